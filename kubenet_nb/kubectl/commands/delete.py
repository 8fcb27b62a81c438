"""`kubectl delete`, and the resource builder it shares with label, annotate and scale.

Delete follows k8s.io/kubectl/pkg/cmd/delete/delete.go as of v1.33: it prints `pod "web"
deleted` for each object (the v1.34 form adds `from default namespace`), keeps going past
objects that are not found and reports them last, and by default waits until the objects are
gone. Waiting here lets simulated time pass (`cluster.advance`), one second at a time, as long
as a terminating pod or namespace is still there.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceInfo
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
)
from kubenet_nb.kubectl.commands.get import parse_resource_args
from kubenet_nb.kubectl.flags import Flag, FlagSet

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["NO_RESOURCES", "Target", "run", "select_targets", "wait_until_gone"]

NO_RESOURCES = (
    "You must provide one or more resources by argument or filename.\n"
    "Example resource specifications include:\n"
    "   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'"
)
FLAGS = FlagSet(
    NAMESPACE_FLAG,
    DRY_RUN_FLAG,
    Flag("selector", "l", default=""),
    Flag("all", kind="bool"),
    Flag("all-namespaces", "A", "bool"),
    Flag("grace-period", kind="int", default=-1),
    Flag("now", kind="bool"),
    Flag("force", kind="bool"),
    Flag("wait", kind="bool", default=True),
    Flag("ignore-not-found", kind="bool"),
    Flag("output", "o", default=""),
    Flag("cascade", default="background"),
    Flag("timeout", default="0s"),
)
MAX_WAIT_SECONDS = 3600
"""How long `delete` lets simulated time run before it stops waiting (kubectl waits a week)."""


@dataclass(frozen=True)
class Target:
    """One object the command acts on: its resource, name, namespace and (if fetched) itself."""

    info: ResourceInfo
    name: str
    namespace: str
    obj: dict | None = None


def select_targets(
    cluster: ControlPlane,
    args: list[str],
    namespace: str,
    *,
    selector: str = "",
    select_all: bool = False,
    all_namespaces: bool = False,
    fetch: bool = True,
) -> tuple[list[Target], list[KubenetError]]:
    """cli-runtime's builder over `TYPE NAME...`, `TYPE/NAME...`, `-l` and `--all`.

    Returns the targets in the order kubectl visits them, and the NotFound errors of named
    objects (kubectl's ContinueOnError); argument mistakes raise at once.
    """
    if select_all and selector:
        raise KubectlError("setting 'all' parameter but found a non empty selector. ")
    if not args:
        raise KubectlError(NO_RESOURCES)
    requests, _ = parse_resource_args(args, cluster.resources)
    named = any(r.name is not None for r in requests)
    if named and (selector or select_all):
        raise KubectlError("name cannot be provided when a selector is specified")
    if named and all_namespaces:
        raise KubectlError("a resource cannot be retrieved by name across all namespaces")
    if not named and not (selector or select_all):
        raise KubectlError("resource(s) were provided, but no name was specified")
    targets: list[Target] = []
    errors: list[KubenetError] = []
    for request in requests:
        info = request.info
        scope = namespace if info.namespaced else ""
        if request.name is None:
            where = None if all_namespaces else scope
            for obj in cluster.list(info.plural, where, selector or None):
                meta = obj["metadata"]
                targets.append(Target(info, meta["name"], meta.get("namespace", ""), obj))
        elif not fetch:
            targets.append(Target(info, request.name, scope))
        else:
            try:
                obj = cluster.get(info.plural, request.name, scope or namespace)
            except NotFound as error:
                errors.append(error)
                continue
            targets.append(Target(info, request.name, scope, obj))
    return targets, errors


def _exists(cluster: ControlPlane, target: Target) -> bool:
    try:
        obj = cluster.get(target.info.plural, target.name, target.namespace or "default")
    except NotFound:
        return False
    uid = (target.obj or {}).get("metadata", {}).get("uid")
    return uid is None or obj["metadata"].get("uid") == uid


def wait_until_gone(cluster: ControlPlane, targets: list[Target]) -> None:
    """Let simulated time pass until none of the objects exists (kubectl's IsDeleted wait)."""
    waited = 0
    while waited < MAX_WAIT_SECONDS and any(_exists(cluster, t) for t in targets):
        cluster.advance(1)
        waited += 1


def _grace(values: dict) -> int:
    """DeleteOptions.Complete and Validate: --now, --grace-period=0 and --force."""
    grace = values["grace-period"]
    if values["now"]:
        if grace != -1:
            raise KubectlError("--now and --grace-period cannot be specified together")
        grace = 1
    if grace == 0 and not values["force"]:
        grace = 1
    if values["force"] and grace < 0:
        grace = 0
    if values["force"] and grace > 0:
        raise KubectlError("--force and --grace-period greater than 0 cannot be specified together")
    return grace


def run(invocation: Invocation) -> None:
    """`kubectl delete (TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all)`."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl delete")
    values = parsed.values
    if values["output"] not in ("", "name"):
        raise KubectlError(
            f"unexpected -o output mode: {values['output']}. We only support '-o name'"
        )
    if values["cascade"] not in ("background", "foreground", "true"):
        raise KubectlError(f"--cascade={values['cascade']} is not supported by kubenet-nb")
    dry_run = values["dry-run"] == "client"
    if values["dry-run"] not in ("none", "client"):
        raise KubectlError(f"--dry-run={values['dry-run']} is not supported by kubenet-nb")
    grace = _grace(values)
    namespace, enforced = namespace_of(parsed)
    cluster, terminal = invocation.cluster, invocation.terminal
    targets, errors = select_targets(
        cluster,
        parsed.args,
        namespace,
        selector=values["selector"],
        select_all=values["all"],
        all_namespaces=values["all-namespaces"],
        fetch=False,
    )
    ignore = values["ignore-not-found"] or (
        "ignore-not-found" not in parsed.changed and (values["all"] or values["selector"])
    )
    if grace == 0 and values["force"]:
        terminal.err(
            "Warning: Immediate deletion does not wait for confirmation that the "
            "running resource has been terminated. The resource may continue to run "
            "on the cluster indefinitely."
        )
    warn_scope = enforced and not values["all-namespaces"]
    deleted: list[Target] = []
    for target in targets:
        if warn_scope and not target.info.namespaced:
            terminal.err(
                "Warning: deleting cluster-scoped resources, not scoped to the provided namespace"
            )
            warn_scope = False
        kind = target.info.qualified_kind
        if not dry_run:
            try:
                obj = cluster.delete(
                    target.info.plural,
                    target.name,
                    target.namespace or namespace,
                    grace if grace >= 0 else None,
                )
            except NotFound as error:
                if not ignore:
                    errors.append(error)
                continue
            deleted.append(Target(target.info, target.name, target.namespace, obj))
        if values["output"] == "name":
            terminal.out(f"{kind}/{target.name}")
            continue
        operation = "force deleted" if grace == 0 else "deleted"
        terminal.out(f'{kind} "{target.name}" {operation}' + (" (dry run)" if dry_run else ""))
    check_errors(errors)
    if not targets:
        terminal.out("No resources found")
    elif values["wait"] and deleted:
        wait_until_gone(cluster, deleted)
