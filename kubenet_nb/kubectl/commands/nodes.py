"""`kubectl cordon`, `uncordon` and `drain`: mark nodes unschedulable and evict their pods.

As k8s.io/kubectl/pkg/cmd/drain/drain.go and pkg/drain/{cordon,filters}.go (v1.33), checked
against kubectl v1.33.1 (tests/kubectl/data/reference/nodes/). Drain cordons first, then runs
every pod of the node through kubectl's filters: DaemonSet pods need `--ignore-daemonsets`,
mirror pods are skipped, pods with emptyDir volumes need `--delete-emptydir-data`, pods without
a controller need `--force`. If any pod is refused, nothing is evicted and the node stays
cordoned. The pods left are evicted through the eviction API (`evictions`), which their
PodDisruptionBudgets may refuse; `--disable-eviction` deletes them instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubectlError, NotFound
from kubenet_nb.api.well_known import MIRROR_POD_ANNOTATION
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    Invocation,
    parse_flags,
    usage_error,
)
from kubenet_nb.kubectl.commands.delete import Target, select_targets
from kubenet_nb.kubectl.commands.evictions import evict_pods
from kubenet_nb.kubectl.commands.exec import parse_duration
from kubenet_nb.kubectl.flags import Flag, FlagSet

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["cordon", "pods_for_deletion", "run_cordon", "run_drain", "run_uncordon"]

_COMMON = (DRY_RUN_FLAG, Flag("selector", "l", default=""))
CORDON_FLAGS = FlagSet(*_COMMON)
DRAIN_FLAGS = FlagSet(
    *_COMMON,
    Flag("ignore-daemonsets", kind="bool"),
    Flag("delete-emptydir-data", kind="bool"),
    Flag("force", kind="bool"),
    Flag("grace-period", kind="int", default=-1),
    Flag("timeout", default="0s"),
    Flag("pod-selector", default=""),
    Flag("disable-eviction", kind="bool"),
    Flag("skip-wait-for-delete-timeout", kind="int"),
    Flag("chunk-size", kind="int", default=500),
)
_DAEMONSET_FATAL = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
_DAEMONSET_WARNING = "ignoring DaemonSet-managed Pods"
_LOCAL_STORAGE_FATAL = "Pods with local storage (use --delete-emptydir-data to override)"
_UNMANAGED_FATAL = "cannot delete Pods that declare no controller (use --force to override)"
_UNMANAGED_WARNING = "deleting Pods that declare no controller"


def _nodes(invocation: Invocation, verb: str, flags: FlagSet) -> tuple[list[Target], dict]:
    """DrainCmdOptions.Complete: NODE names, or `-l` over nodes."""
    path = f"kubectl {verb}"
    parsed = parse_flags(flags, invocation.argv, path)
    selector = parsed.values["selector"]
    if not parsed.args and "selector" not in parsed.changed:
        raise usage_error(f"USAGE: {verb} NODE [flags]", path)
    if parsed.args and selector:
        raise KubectlError(
            "error: cannot specify both a node name and a --selector option\n"
            f"See '{path} -h' for help and examples",
            prefix="",
        )
    if parsed.values["dry-run"] not in ("none", "client"):
        raise KubectlError(f"--dry-run={parsed.values['dry-run']} is not supported by kubenet-nb")
    args = ["nodes", *parsed.args] if parsed.args else ["nodes"]
    targets, errors = select_targets(invocation.cluster, args, "", selector=selector)
    if errors:
        raise errors[0]
    return targets, parsed.values


def cordon(invocation: Invocation, nodes: list[Target], desired: bool, dry_run: bool) -> None:
    """RunCordonOrUncordon: patch `spec.unschedulable` where it differs, print each node."""
    word = "cordoned" if desired else "uncordoned"
    for target in nodes:
        node = target.obj or {}
        if bool(node.get("spec", {}).get("unschedulable")) == desired:
            invocation.terminal.out(f"node/{target.name} already {word}")
            continue
        if not dry_run:
            spec = {k: v for k, v in node.get("spec", {}).items() if k != "unschedulable"}
            if desired:
                spec["unschedulable"] = True
            invocation.cluster.update({**node, "spec": spec})
            invocation.terminal.warnings(invocation.cluster)
        invocation.terminal.out(f"node/{target.name} {word}" + (" (dry run)" if dry_run else ""))


def run_cordon(invocation: Invocation) -> None:
    """`kubectl cordon NODE`."""
    nodes, values = _nodes(invocation, "cordon", CORDON_FLAGS)
    cordon(invocation, nodes, True, values["dry-run"] == "client")


def run_uncordon(invocation: Invocation) -> None:
    """`kubectl uncordon NODE`."""
    nodes, values = _nodes(invocation, "uncordon", CORDON_FLAGS)
    cordon(invocation, nodes, False, values["dry-run"] == "client")


def _controller(pod: dict) -> dict | None:
    refs = pod["metadata"].get("ownerReferences") or []
    return next((ref for ref in refs if ref.get("controller")), None)


def _missing_daemonset(cluster: ControlPlane, pod: dict, name: str) -> NotFound | None:
    """The NotFound of a pod's DaemonSet, or None when it exists (drain's daemonSetFilter)."""
    try:
        cluster.get("daemonsets", name, pod["metadata"]["namespace"])
    except NotFound as error:
        return error
    return None


def _filter(cluster: ControlPlane, pod: dict, values: dict) -> tuple[bool, str, str]:
    """kubectl's drain filters in order: (delete?, "Okay"|"Skip"|"Warning"|"Error", message).

    While a filter lets the pod go, the next one runs and only the last one's word counts.
    """
    finished = pod.get("status", {}).get("phase") in ("Succeeded", "Failed")
    owner = _controller(pod)
    if owner is not None and owner.get("kind") == "DaemonSet" and not finished:
        missing = _missing_daemonset(cluster, pod, owner.get("name", ""))
        if missing is None:
            if not values["ignore-daemonsets"]:
                return False, "Error", _DAEMONSET_FATAL
            return False, "Warning", _DAEMONSET_WARNING
        if not values["force"]:
            return False, "Error", missing.message
    if MIRROR_POD_ANNOTATION in (pod["metadata"].get("annotations") or {}):
        return False, "Skip", ""
    volumes = pod.get("spec", {}).get("volumes") or []
    if any("emptyDir" in v for v in volumes) and not finished:
        if not values["delete-emptydir-data"]:
            return False, "Error", _LOCAL_STORAGE_FATAL
    if finished or owner is not None:
        return True, "Okay", ""
    if values["force"]:
        return True, "Warning", _UNMANAGED_WARNING
    return False, "Error", _UNMANAGED_FATAL


def _grouped(items: list[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for message, pod in items:
        groups.setdefault(message, []).append(pod)
    return groups


def pods_for_deletion(
    cluster: ControlPlane, node: str, values: dict
) -> tuple[list[dict], str, list[str]]:
    """GetPodsForDeletion: the pods to evict, the warning line and the errors, for one node."""
    selector = values["pod-selector"] or None
    pods = [p for p in cluster.list("pods", None, selector) if p["spec"].get("nodeName") == node]
    evict, warnings, errors = [], [], []
    for pod in pods:
        delete, reason, message = _filter(cluster, pod, values)
        where = f"{pod['metadata']['namespace']}/{pod['metadata']['name']}"
        if delete:
            evict.append(pod)
        if reason == "Warning":
            warnings.append((message, where))
        elif reason == "Error":
            errors.append((message, where))
    warning = "; ".join(f"{m}: {', '.join(p)}" for m, p in _grouped(warnings).items())
    # v1.33 puts "cannot delete" before every message, even the one that starts with it.
    failures = [f"cannot delete {m}: {', '.join(p)}" for m, p in _grouped(errors).items()]
    return evict, warning, failures


def _aggregate(errors: list[str]) -> str:
    """utilerrors.NewAggregate(...).Error(): one message, or `[a, b]` (repeats once)."""
    unique = list(dict.fromkeys(errors))
    return unique[0] if len(unique) == 1 else "[" + ", ".join(unique) + "]"


def _timeout(values: dict) -> float:
    """--timeout as Go's time.ParseDuration reads it."""
    try:
        return parse_duration(values["timeout"])
    except ValueError as error:
        raise KubectlError(
            f'invalid argument "{values["timeout"]}" for "--timeout" flag: {error}'
        ) from None


def _drain_node(invocation: Invocation, node: Target, values: dict, dry_run: bool) -> list[str]:
    """deleteOrEvictPodsSimple for one node; returns why it could not be drained."""
    cluster, terminal = invocation.cluster, invocation.terminal
    pods, warning, failures = pods_for_deletion(cluster, node.name, values)
    if failures:
        return failures
    if warning:
        terminal.err(f"Warning: {warning}")
    if dry_run:
        for pod in pods:
            meta = pod["metadata"]
            terminal.out(f"evicting pod {meta['namespace']}/{meta['name']} (dry run)")
        return []
    grace = values["grace-period"]
    errors = evict_pods(
        cluster,
        terminal,
        pods,
        grace=grace if grace >= 0 else None,
        timeout=_timeout(values),
        use_eviction=not values["disable-eviction"],
    )
    if not errors:
        return []
    error = _aggregate(errors)
    pending, _, _ = pods_for_deletion(cluster, node.name, values)
    if pending:
        terminal.err(
            f'There are pending pods in node "{node.name}" when an error occurred: {error}'
        )
        for pod in pending:
            terminal.err(f"pod/{pod['metadata']['name']}")
    return errors


def run_drain(invocation: Invocation) -> None:
    """`kubectl drain NODE [--ignore-daemonsets] [--delete-emptydir-data] [--force]`.

    Every node is cordoned first; a node that cannot be drained does not stop the others.
    """
    nodes, values = _nodes(invocation, "drain", DRAIN_FLAGS)
    dry_run = values["dry-run"] == "client"
    _timeout(values)
    cordon(invocation, nodes, True, dry_run)
    pending: list[str] = []
    fatal: list[list[str]] = []
    for node in nodes:
        errors = _drain_node(invocation, node, values, dry_run)
        if not errors:
            suffix = " (dry run)" if dry_run else ""
            invocation.terminal.out(f"node/{node.name} drained{suffix}")
            continue
        invocation.terminal.err(
            f'error: unable to drain node "{node.name}" due to error: {_aggregate(errors)}, '
            "continuing command..."
        )
        pending.append(node.name)
        fatal.append(errors)
    if pending:
        invocation.terminal.err("There are pending nodes to be drained:")
        for name in pending:
            invocation.terminal.err(f" {name}")
        # cmdutil.CheckErr unwraps an aggregate of one and prints an aggregate's errors one a
        # line, without `error: `
        lines = fatal[0] if len(fatal) == 1 else [_aggregate(errors) for errors in fatal]
        raise KubectlError("\n".join(dict.fromkeys(lines)), prefix="")
