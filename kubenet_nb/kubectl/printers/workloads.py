"""Table cells for Pods, Deployments, ReplicaSets and DaemonSets, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go `printPod` (status reasons, init
and sidecar containers, restarts with the last restart's age, readiness gates),
`printDeployment`, `printReplicaSet` and `printDaemonSet`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.api.selectors import SelectorError, selector_from_label_selector
from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import human_duration, object_age, parse_time
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name

__all__ = ["PRINTERS", "container_cells", "format_label_selector", "selector_text"]


def _condition_true(conditions: list[dict], kind: str) -> bool:
    return any(c.get("type") == kind and c.get("status") == "True" for c in conditions)


def _terminated_reason(state: dict, prefix: str) -> str:
    terminated = state["terminated"]
    if terminated.get("reason"):
        return prefix + terminated["reason"]
    if terminated.get("signal"):
        return f"{prefix}Signal:{terminated['signal']}"
    return f"{prefix}ExitCode:{terminated.get('exitCode', 0)}"


def _pod_row(pod: dict, now: datetime) -> list[Any]:
    spec, status = pod.get("spec", {}), pod.get("status", {})
    phase = status.get("phase", "")
    reason = status.get("reason") or phase
    conditions = status.get("conditions") or []
    if any(
        c.get("type") == "PodScheduled" and c.get("reason") == "SchedulingGated" for c in conditions
    ):
        reason = "SchedulingGated"
    init_specs = {c["name"]: c for c in spec.get("initContainers") or []}
    sidecars = {key for key, c in init_specs.items() if c.get("restartPolicy") == "Always"}
    total = len(spec.get("containers") or []) + len(sidecars)
    ready = restarts = sidecar_restarts = 0
    last_restart = sidecar_last = ""
    initializing = False
    for i, container in enumerate(status.get("initContainerStatuses") or []):
        restarts += container.get("restartCount", 0)
        finished = ((container.get("lastState") or {}).get("terminated") or {}).get("finishedAt")
        last_restart = max(last_restart, finished or "")
        if container.get("name") in sidecars:
            sidecar_restarts += container.get("restartCount", 0)
            sidecar_last = max(sidecar_last, finished or "")
        state = container.get("state") or {}
        if state.get("terminated") and state["terminated"].get("exitCode", 0) == 0:
            continue
        if container.get("name") in sidecars and container.get("started"):
            ready += 1 if container.get("ready") else 0
            continue
        if state.get("terminated"):
            reason = _terminated_reason(state, "Init:")
        elif (state.get("waiting") or {}).get("reason") not in (None, "", "PodInitializing"):
            reason = "Init:" + state["waiting"]["reason"]
        else:
            reason = f"Init:{i}/{len(init_specs)}"
        initializing = True
        break
    if not initializing or _condition_true(conditions, "Initialized"):
        restarts, last_restart = sidecar_restarts, sidecar_last
        running = False
        for container in reversed(status.get("containerStatuses") or []):
            restarts += container.get("restartCount", 0)
            finished = ((container.get("lastState") or {}).get("terminated") or {}).get(
                "finishedAt"
            )
            last_restart = max(last_restart, finished or "")
            state = container.get("state") or {}
            if (state.get("waiting") or {}).get("reason"):
                reason = state["waiting"]["reason"]
            elif state.get("terminated"):
                reason = _terminated_reason(state, "")
            elif container.get("ready") and state.get("running") is not None:
                running = True
                ready += 1
        if reason == "Completed" and running:
            reason = "Running" if _condition_true(conditions, "Ready") else "NotReady"
    deleting = bool(pod.get("metadata", {}).get("deletionTimestamp"))
    if deleting and status.get("reason") == "NodeLost":
        reason = "Unknown"
    elif deleting and phase not in ("Succeeded", "Failed"):
        reason = "Terminating"
    restarts_text = str(restarts)
    if restarts and last_restart:
        restarts_text = f"{restarts} ({human_duration(now - parse_time(last_restart))} ago)"
    pod_ips = status.get("podIPs") or []
    gates = spec.get("readinessGates") or []
    gates_text = "<none>"
    if gates:
        by_type: dict[str, str] = {}
        for condition in conditions:
            by_type.setdefault(condition.get("type"), condition.get("status"))
        passed = sum(1 for g in gates if by_type.get(g.get("conditionType")) == "True")
        gates_text = f"{passed}/{len(gates)}"
    return [
        name(pod),
        f"{ready}/{total}",
        reason,
        restarts_text,
        object_age(pod, now),
        (pod_ips[0].get("ip") if pod_ips else "") or "<none>",
        spec.get("nodeName") or "<none>",
        status.get("nominatedNodeName") or "<none>",
        gates_text,
    ]


def container_cells(template: dict) -> tuple[str, str]:
    """`layoutContainerCells` of a pod template: container names and images, comma-joined."""
    containers = (template.get("spec") or {}).get("containers") or []
    return (
        ",".join(c.get("name", "") for c in containers),
        ",".join(c.get("image", "") for c in containers),
    )


def selector_text(selector: dict | None, invalid: str) -> str:
    """`LabelSelectorAsSelector(...).String()`, or `invalid` when the selector does not convert."""
    try:
        return str(selector_from_label_selector(selector))
    except SelectorError:
        return invalid


def format_label_selector(selector: dict | None) -> str:
    """metav1.FormatLabelSelector: the selector's text, `<none>` when empty, `<error>` if bad."""
    return selector_text(selector, "<error>") or "<none>"


def _deployment_row(deploy: dict, now: datetime) -> list[Any]:
    spec, status = deploy.get("spec", {}), deploy.get("status", {})
    names, images = container_cells(spec.get("template") or {})
    return [
        name(deploy),
        f"{status.get('readyReplicas', 0)}/{spec.get('replicas', 1)}",
        status.get("updatedReplicas", 0),
        status.get("availableReplicas", 0),
        object_age(deploy, now),
        names,
        images,
        selector_text(spec.get("selector"), "<invalid>"),
    ]


def _replicaset_row(rs: dict, now: datetime) -> list[Any]:
    spec, status = rs.get("spec", {}), rs.get("status", {})
    names, images = container_cells(spec.get("template") or {})
    return [
        name(rs),
        spec.get("replicas", 1),
        status.get("replicas", 0),
        status.get("readyReplicas", 0),
        object_age(rs, now),
        names,
        images,
        format_label_selector(spec.get("selector")),
    ]


def _daemonset_row(ds: dict, now: datetime) -> list[Any]:
    spec, status = ds.get("spec", {}), ds.get("status", {})
    template = spec.get("template") or {}
    names, images = container_cells(template)
    node_selector = (template.get("spec") or {}).get("nodeSelector") or {}
    return [
        name(ds),
        status.get("desiredNumberScheduled", 0),
        status.get("currentNumberScheduled", 0),
        status.get("numberReady", 0),
        status.get("updatedNumberScheduled", 0),
        status.get("numberAvailable", 0),
        ",".join(f"{k}={v}" for k, v in sorted(node_selector.items())) or "<none>",
        object_age(ds, now),
        names,
        images,
        selector_text(spec.get("selector"), "<invalid>"),
    ]


_TEMPLATE_WIDE = (Column("Containers", 1), Column("Images", 1), Column("Selector", 1))

PRINTERS = {
    "Pod": Printer(
        (
            NAME,
            Column("Ready"),
            Column("Status"),
            Column("Restarts"),
            AGE,
            Column("IP", 1),
            Column("Node", 1),
            Column("Nominated Node", 1),
            Column("Readiness Gates", 1),
        ),
        _pod_row,
    ),
    "Deployment": Printer(
        (NAME, Column("Ready"), Column("Up-to-date"), Column("Available"), AGE, *_TEMPLATE_WIDE),
        _deployment_row,
    ),
    "ReplicaSet": Printer(
        (NAME, Column("Desired"), Column("Current"), Column("Ready"), AGE, *_TEMPLATE_WIDE),
        _replicaset_row,
    ),
    "DaemonSet": Printer(
        (
            NAME,
            Column("Desired"),
            Column("Current"),
            Column("Ready"),
            Column("Up-to-date"),
            Column("Available"),
            Column("Node Selector"),
            AGE,
            *_TEMPLATE_WIDE,
        ),
        _daemonset_row,
    ),
}
