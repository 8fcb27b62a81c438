"""`kubectl rollout status`: polymorphichelpers/rollout_status.go @ v0.33.0, one line for the
state the (settled) cluster is in."""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.kubectl.command import (
    Invocation,
    check_errors,
)
from kubenet_nb.kubectl.commands.rollout.common import (
    group_kind,
    no_resources,
    revision_of,
    start,
)

__all__ = ["run_status"]


def _deployment_status(deploy: dict, revision: int) -> tuple[str, bool]:
    name = go_quote(deploy["metadata"]["name"])
    if revision > 0 and revision != revision_of(deploy):
        raise KubectlError(
            f"desired revision ({revision}) is different from the running revision "
            f"({revision_of(deploy)})"
        )
    spec, status = deploy.get("spec") or {}, deploy.get("status") or {}
    if deploy["metadata"].get("generation", 0) > status.get("observedGeneration", 0):
        return "Waiting for deployment spec update to be observed...", False
    progressing = next(
        (c for c in status.get("conditions") or [] if c.get("type") == "Progressing"), None
    )
    if progressing is not None and progressing.get("reason") == "ProgressDeadlineExceeded":
        raise KubectlError(f"deployment {name} exceeded its progress deadline")
    replicas = spec.get("replicas", 1)
    updated = status.get("updatedReplicas", 0)
    waiting = f"Waiting for deployment {name} rollout to finish: "
    if updated < replicas:
        return f"{waiting}{updated} out of {replicas} new replicas have been updated...", False
    if status.get("replicas", 0) > updated:
        old = status.get("replicas", 0) - updated
        return f"{waiting}{old} old replicas are pending termination...", False
    if status.get("availableReplicas", 0) < updated:
        available = status.get("availableReplicas", 0)
        return f"{waiting}{available} of {updated} updated replicas are available...", False
    return f"deployment {name} successfully rolled out", True


def _daemon_set_status(ds: dict) -> tuple[str, bool]:
    if (ds["spec"].get("updateStrategy") or {}).get("type") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    name, status = go_quote(ds["metadata"]["name"]), ds.get("status") or {}
    if ds["metadata"].get("generation", 0) > status.get("observedGeneration", 0):
        return "Waiting for daemon set spec update to be observed...", False
    desired = status.get("desiredNumberScheduled", 0)
    updated = status.get("updatedNumberScheduled", 0)
    waiting = f"Waiting for daemon set {name} rollout to finish: "
    if updated < desired:
        return f"{waiting}{updated} out of {desired} new pods have been updated...", False
    if status.get("numberAvailable", 0) < desired:
        available = status.get("numberAvailable", 0)
        return f"{waiting}{available} of {desired} updated pods are available...", False
    return f"daemon set {name} successfully rolled out", True


def _stateful_set_status(sts: dict) -> tuple[str, bool]:
    spec, status = sts.get("spec") or {}, sts.get("status") or {}
    strategy = spec.get("updateStrategy") or {}
    if strategy.get("type", "RollingUpdate") != "RollingUpdate":
        raise KubectlError("rollout status is only available for RollingUpdate strategy type")
    observed = status.get("observedGeneration", 0)
    if observed == 0 or sts["metadata"].get("generation", 0) > observed:
        return "Waiting for statefulset spec update to be observed...", False
    replicas = spec.get("replicas", 1)
    if status.get("readyReplicas", 0) < replicas:
        return f"Waiting for {replicas - status.get('readyReplicas', 0)} pods to be ready...", False
    updated = status.get("updatedReplicas", 0)
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        partition = rolling.get("partition")
        if partition is not None and updated < replicas - partition:
            return (
                "Waiting for partitioned roll out to finish: "
                f"{updated} out of {replicas - partition} new pods have been updated...",
                False,
            )
        return f"partitioned roll out complete: {updated} new pods have been updated...", True
    revision = status.get("updateRevision", "")
    if revision != status.get("currentRevision", ""):
        return (
            f"waiting for statefulset rolling update to complete {updated} pods at revision "
            f"{revision}...",
            False,
        )
    return (
        f"statefulset rolling update complete {status.get('currentReplicas', 0)} pods at "
        f"revision {status.get('currentRevision', '')}...",
        True,
    )


def run_status(invocation: Invocation, argv: list[str]) -> None:
    command = start(invocation, "status", argv)
    for target in command.targets:
        obj = target.obj or {}
        kind = target.info.kind
        if kind == "Deployment":
            line, _ = _deployment_status(obj, command.values["revision"])
        elif kind == "DaemonSet":
            line, _ = _daemon_set_status(obj)
        elif kind == "StatefulSet":
            line, _ = _stateful_set_status(obj)
        else:
            raise KubectlError(
                f"no status viewer has been implemented for {group_kind(target.info)}"
            )
        invocation.terminal.out(line)
    if not command.targets and not command.errors:
        no_resources(command)
    check_errors(command.errors)
