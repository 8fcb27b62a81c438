"""`kubectl rollout history` and `undo` over a Deployment's ReplicaSets: polymorphichelpers
history.go and rollback.go @ v0.33.0."""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.well_known import POD_TEMPLATE_HASH_LABEL
from kubenet_nb.cluster.controllers.deployment import NOT_COPIED_ANNOTATIONS
from kubenet_nb.cluster.store import clone
from kubenet_nb.kubectl.command import (
    Invocation,
    check_errors,
    print_object,
)
from kubenet_nb.kubectl.commands.rollout.common import (
    Subcommand,
    no_helper,
    no_resources,
    replica_sets,
    revision_of,
    start,
    template_text,
)
from kubenet_nb.kubectl.jsonpath.values import go_json
from kubenet_nb.kubectl.patching import patch_object
from kubenet_nb.kubectl.printers import tabwrite

__all__ = ["CHANGE_CAUSE_ANNOTATION", "run_history", "run_undo"]

CHANGE_CAUSE_ANNOTATION = "kubernetes.io/change-cause"
"""polymorphichelpers/history.go ChangeCauseAnnotation."""


def _history(command: Subcommand, deploy: dict) -> str:
    """DeploymentHistoryViewer.ViewHistory: the REVISION table, or one revision's template."""
    templates: dict[int, dict] = {}
    for rs in replica_sets(command, deploy):
        revision = revision_of(rs)
        if revision is None:
            continue
        template = clone(rs["spec"].get("template") or {})
        cause = (rs["metadata"].get("annotations") or {}).get(CHANGE_CAUSE_ANNOTATION)
        if cause:
            metadata = template.setdefault("metadata", {})
            metadata["annotations"] = {**(metadata.get("annotations") or {})}
            metadata["annotations"][CHANGE_CAUSE_ANNOTATION] = cause
        templates[revision] = template
    if not templates:
        return "No rollout history found."
    wanted = command.values["revision"]
    if wanted > 0:
        if wanted not in templates:
            raise KubectlError("unable to find the specified revision")
        return template_text(templates[wanted])
    rows = ["REVISION\tCHANGE-CAUSE\n"]
    for revision in sorted(templates):
        annotations = templates[revision].get("metadata", {}).get("annotations") or {}
        rows.append(f"{revision}\t{annotations.get(CHANGE_CAUSE_ANNOTATION) or '<none>'}\n")
    return tabwrite("".join(rows), 0, 2)


def run_history(invocation: Invocation, argv: list[str]) -> None:
    command = start(invocation, "history", argv)
    if command.output:
        raise KubectlError(
            f'"kubectl rollout history -o {command.output}" is not supported by kubenet-nb'
        )
    for target in command.targets:
        kind = target.info.kind
        if kind in ("DaemonSet", "StatefulSet"):
            raise KubectlError(
                f'"kubectl rollout history {kind.lower()}" is not supported by kubenet-nb'
            )
        if kind != "Deployment":
            raise no_helper(target.info, "history viewer", "history")
        text = _history(command, target.obj or {})
        wanted = command.values["revision"]
        heading = f"with revision #{wanted}" if wanted > 0 else ""
        print_object(invocation.terminal, target.obj or {}, f"{heading}\n{text}", "", False)
    if not command.targets and not command.errors:
        no_resources(command)
    check_errors(command.errors)


def _rollback_target(command: Subcommand, deploy: dict, to_revision: int) -> dict:
    """deploymentRevision: the ReplicaSet of `to_revision`, or of the revision before the
    latest when it is 0."""
    latest: tuple[int, dict | None] = (-1, None)
    previous: tuple[int, dict | None] = (-1, None)
    for rs in replica_sets(command, deploy):
        revision = revision_of(rs)
        if revision is None:
            continue
        if to_revision == 0:
            if latest[0] < revision:
                previous, latest = latest, (revision, rs)
            elif previous[0] < revision:
                previous = (revision, rs)
        elif to_revision == revision:
            return rs
    if to_revision > 0:
        raise KubectlError(f"unable to find specified revision {to_revision} in history")
    if previous[1] is None:
        raise KubectlError(
            f"no rollout history found for deployment {go_quote(deploy['metadata']['name'])}"
        )
    return previous[1]


def _without_hash(template: dict) -> dict:
    template = clone(template)
    labels = template.get("metadata", {}).get("labels")
    if labels is not None:
        labels.pop(POD_TEMPLATE_HASH_LABEL, None)
    return template


def _rollback(command: Subcommand, deploy: dict) -> str:
    """DeploymentRollbacker.Rollback: what the name printer says after `deployment.apps/web`."""
    to_revision = command.values["to-revision"]
    if to_revision < 0:
        raise KubectlError(f"unable to find specified revision {to_revision} in history")
    rs = _rollback_target(command, deploy, to_revision)
    if command.dry_run:
        return template_text(rs["spec"]["template"])
    if deploy["spec"].get("paused"):
        raise KubectlError(
            "you cannot rollback a paused deployment; resume it first with 'kubectl rollout "
            "resume' and try again"
        )
    template = _without_hash(rs["spec"]["template"])
    if template == _without_hash(deploy["spec"]["template"]):
        return f"skipped rollback (current template already matches revision {to_revision})"
    current = deploy["metadata"].get("annotations") or {}
    annotations = {k: v for k, v in current.items() if k in NOT_COPIED_ANNOTATIONS}
    for key, value in (rs["metadata"].get("annotations") or {}).items():
        if key not in NOT_COPIED_ANNOTATIONS:
            annotations[key] = value
    patch = [
        {"op": "replace", "path": "/spec/template", "value": template},
        {"op": "replace", "path": "/metadata/annotations", "value": annotations},
    ]
    try:
        patch_object(command.invocation.cluster, deploy, "json", go_json(patch))
    except KubenetError as error:
        raise KubectlError(f"failed restoring revision {to_revision}: {error}") from None
    return "rolled back"


def run_undo(invocation: Invocation, argv: list[str]) -> None:
    command = start(invocation, "undo", argv)
    for target in command.targets:
        kind = target.info.kind
        try:
            if kind in ("DaemonSet", "StatefulSet"):
                raise KubectlError(
                    f'"kubectl rollout undo {kind.lower()}" is not supported by kubenet-nb'
                )
            if kind != "Deployment":
                raise no_helper(target.info, "rollbacker", "rollbacker")
            result = _rollback(command, target.obj or {})
        except KubenetError as error:
            command.errors.append(error)
            continue
        invocation.terminal.warnings(invocation.cluster)
        print_object(invocation.terminal, target.obj or {}, result, command.output, command.dry_run)
    check_errors(command.errors)
