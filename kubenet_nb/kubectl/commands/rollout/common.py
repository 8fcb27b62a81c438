"""What the rollout subcommands share: their flags, the builder's targets, the Deployment's
ReplicaSets and revisions, the kinds kubectl has helpers for, and printTemplate."""

from __future__ import annotations

from dataclasses import dataclass

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.api.kinds import ResourceInfo
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.well_known import DEPLOYMENT_REVISION_ANNOTATION
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    namespace_of,
    parse_flags,
    printing,
)
from kubenet_nb.kubectl.commands.delete import Target, select_targets
from kubenet_nb.kubectl.describe.workloads import print_pod_template
from kubenet_nb.kubectl.describe.writer import Writer
from kubenet_nb.kubectl.flags import Flag, FlagSet

__all__ = [
    "FLAGS",
    "VALUE_FLAGS",
    "Subcommand",
    "group_kind",
    "no_helper",
    "no_resources",
    "replica_sets",
    "resource_of",
    "revision_of",
    "start",
    "template_text",
]

_SELECTOR = Flag("selector", "l", default="")
FLAGS = {
    "status": FlagSet(
        NAMESPACE_FLAG,
        _SELECTOR,
        Flag("watch", "w", "bool", default=True),
        Flag("revision", kind="int", default=0),
        Flag("timeout", default="0s"),
    ),
    "history": FlagSet(
        NAMESPACE_FLAG, _SELECTOR, OUTPUT_FLAG, Flag("revision", kind="int", default=0)
    ),
    "undo": FlagSet(
        NAMESPACE_FLAG,
        _SELECTOR,
        OUTPUT_FLAG,
        DRY_RUN_FLAG,
        Flag("to-revision", kind="int", default=0),
    ),
    "restart": FlagSet(
        NAMESPACE_FLAG, _SELECTOR, OUTPUT_FLAG, Flag("field-manager", default="kubectl-rollout")
    ),
    "pause": FlagSet(
        NAMESPACE_FLAG, _SELECTOR, OUTPUT_FLAG, Flag("field-manager", default="kubectl-rollout")
    ),
    "resume": FlagSet(
        NAMESPACE_FLAG, _SELECTOR, OUTPUT_FLAG, Flag("field-manager", default="kubectl-rollout")
    ),
}
VALUE_FLAGS = ("-n", "--namespace", "-l", "--selector", "-o", "--output")


@dataclass
class Subcommand:
    """One subcommand's invocation: flags read, targets found, errors met."""

    invocation: Invocation
    values: dict
    namespace: str
    targets: list[Target]
    errors: list[KubenetError]
    output: str = ""
    dry_run: bool = False


def group_kind(info: ResourceInfo) -> str:
    """schema.GroupKind's String(): `Deployment.apps`, `Pod`."""
    return f"{info.kind}.{info.group}" if info.group else info.kind


# kubectl pkg/apps/kind_visitor.go: the kinds its GroupKindElement visitor knows.
_VISITED = {
    ("apps", "DaemonSet"),
    ("apps", "Deployment"),
    ("batch", "Job"),
    ("", "Pod"),
    ("apps", "ReplicaSet"),
    ("", "ReplicationController"),
    ("apps", "StatefulSet"),
    ("batch", "CronJob"),
}


def no_helper(info: ResourceInfo, helper: str, retrieving: str) -> KubectlError:
    """HistoryViewerFor / RollbackerFor on a kind without one: the kind visitor's refusal for
    kinds it does not know (`{group kind}`), else `no ... has been implemented`."""
    kind = go_quote(group_kind(info))
    if (info.group, info.kind) not in _VISITED:
        visited = "{" + f"{info.group} {info.kind}" + "}"
        return KubectlError(
            f"error retrieving {retrieving} for {kind}, no visitor method exists for {visited}"
        )
    return KubectlError(f"no {helper} has been implemented for {kind}")


def resource_of(info: ResourceInfo) -> str:
    """The `resource.group` set.CalculatePatches errors name (`deployments.apps`)."""
    return f"{info.plural}.{info.group}" if info.group else info.plural


def start(invocation: Invocation, name: str, argv: list[str]) -> Subcommand:
    """Flags, Validate's `required resource not specified`, and the builder's targets (a type
    alone means every object of it: `ResourceTypeOrNameArgs(true, ...)`)."""
    parsed = parse_flags(FLAGS[name], argv, f"kubectl rollout {name}")
    values = parsed.values
    if not parsed.args:
        raise KubectlError("required resource not specified")
    if values.get("revision", 0) < 0:
        raise KubectlError(f"revision must be a positive integer: {values['revision']}")
    output, dry_run = "", False
    if "output" in values:
        output, dry_run = printing(parsed)
    namespace, _ = namespace_of(parsed)
    named = len(parsed.args) > 1 or "/" in parsed.args[0]
    targets, errors = select_targets(
        invocation.cluster,
        parsed.args,
        namespace,
        selector=values["selector"],
        select_all=not named and not values["selector"],
    )
    return Subcommand(invocation, values, namespace, targets, errors, output, dry_run)


def no_resources(command: Subcommand) -> None:
    command.invocation.terminal.err(f"No resources found in {command.namespace} namespace.")


def replica_sets(command: Subcommand, deploy: dict) -> list[dict]:
    """The ReplicaSets the Deployment controls (deploymentutil.GetAllReplicaSets)."""
    uid = deploy["metadata"]["uid"]
    return [
        rs
        for rs in command.invocation.cluster.list("replicasets", deploy["metadata"]["namespace"])
        if any(
            ref.get("uid") == uid and ref.get("controller")
            for ref in rs["metadata"].get("ownerReferences") or []
        )
    ]


def revision_of(obj: dict) -> int | None:
    """deploymentutil.Revision: the revision annotation (0 without one; None if unreadable)."""
    text = (obj["metadata"].get("annotations") or {}).get(DEPLOYMENT_REVISION_ANNOTATION)
    if text is None:
        return 0
    try:
        return int(text)
    except ValueError:
        return None


class _BufferWriter(Writer):
    """describe's PrefixWriter over a plain buffer, as printTemplate uses it: no tab alignment."""

    def text(self) -> str:
        return "".join("".join(segment) for segment in self._segments)


def template_text(template: dict) -> str:
    """printTemplate: DescribePodTemplate into a buffer."""
    w = _BufferWriter()
    print_pod_template(w, template)
    return w.text()
