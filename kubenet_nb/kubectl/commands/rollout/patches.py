"""`kubectl rollout restart|pause|resume`: a mutation per object (objectrestarter.go,
objectpauser.go, objectresumer.go @ v0.33.0) sent as a strategic merge patch."""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.cluster.store import clone
from kubenet_nb.kubectl.command import (
    Invocation,
    print_object,
)
from kubenet_nb.kubectl.commands.rollout.common import (
    no_resources,
    resource_of,
    start,
)
from kubenet_nb.kubectl.jsonpath.values import go_json
from kubenet_nb.kubectl.patching import patch_object

__all__ = ["RESTARTED_AT_ANNOTATION", "run_patches"]

RESTARTED_AT_ANNOTATION = "kubectl.kubernetes.io/restartedAt"
"""polymorphichelpers/objectrestarter.go: the pod template annotation a restart sets."""


def _restarted(obj: dict, kind: str, now: str) -> dict:
    """objectrestarter.go: the template's restartedAt annotation set (paused Deployments
    refused)."""
    if kind not in ("Deployment", "DaemonSet", "StatefulSet"):
        raise ValueError("restarting is not supported")
    if kind == "Deployment" and obj["spec"].get("paused"):
        raise ValueError("can't restart paused deployment (run rollout resume first)")
    changed = clone(obj)
    metadata = changed["spec"].setdefault("template", {}).setdefault("metadata", {})
    metadata.setdefault("annotations", {})[RESTARTED_AT_ANNOTATION] = now
    return changed


def _paused(obj: dict, kind: str, paused: bool) -> dict:
    """objectpauser.go / objectresumer.go: Deployments only, and not twice."""
    if kind != "Deployment":
        raise ValueError("pausing is not supported" if paused else "resuming is not supported")
    if bool(obj["spec"].get("paused")) == paused:
        raise ValueError("is already paused" if paused else "is not paused")
    changed = clone(obj)
    changed["spec"]["paused"] = paused
    return changed


def run_patches(invocation: Invocation, name: str, argv: list[str]) -> None:
    """RunRestart / RunPause / RunResume: a mutation per object, sent as a strategic merge
    patch; refusals and empty patches collected, then reported together."""
    command = start(invocation, name, argv)
    cluster = invocation.cluster
    if not command.targets and not command.errors:
        no_resources(command)
        return
    operation = {"restart": "restarted", "pause": "paused", "resume": "resumed"}[name]
    for target in command.targets:
        obj = target.obj or {}
        try:
            if name == "restart":
                changed = _restarted(obj, target.info.kind, cluster.clock.timestamp())
            else:
                changed = _paused(obj, target.info.kind, name == "pause")
        except ValueError as error:
            quoted = go_quote(target.name)
            command.errors.append(
                KubectlError(f"error: {resource_of(target.info)} {quoted} {error}", prefix="")
            )
            continue
        patch = _spec_patch(obj["spec"], changed["spec"])
        if patch is None:
            command.errors.append(
                KubectlError(
                    f"failed to create patch for {target.name}: if restart has already been "
                    "triggered within the past second, please wait before attempting to trigger "
                    "another"
                )
            )
            continue
        try:
            result, _ = patch_object(cluster, obj, "strategic", go_json({"spec": patch}))
        except KubenetError as error:
            command.errors.append(KubectlError(f"failed to patch: {error}"))
            continue
        invocation.terminal.warnings(cluster)
        print_object(invocation.terminal, result, operation, command.output, False)
    _report(command.errors)


def _report(errors: list[KubenetError]) -> None:
    """utilerrors.NewAggregate through CheckErr: one error as itself; several one per line,
    each as its own message (these commands' own errors begin with `error: ` already)."""
    if len(errors) == 1:
        raise errors[0]
    if errors:
        lines = [e.message if isinstance(e, KubectlError) else str(e) for e in errors]
        raise KubectlError("\n".join(lines), prefix="")


def _spec_patch(before: dict, after: dict) -> dict | None:
    """The two-way merge patch of the spec fields a restart, pause or resume changes."""
    if before.get("paused") != after.get("paused"):
        return {"paused": after.get("paused")}
    key = RESTARTED_AT_ANNOTATION

    def restarted(spec: dict) -> str | None:
        return ((spec.get("template") or {}).get("metadata") or {}).get("annotations", {}).get(key)

    if restarted(before) == restarted(after):
        return None
    return {"template": {"metadata": {"annotations": {key: restarted(after)}}}}
