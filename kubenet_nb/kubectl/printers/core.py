"""Table cells for Nodes, Namespaces, Events and ComponentStatuses, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printNode`
(`findNodeRoles`), `printNamespace`, `printEvent` and `printComponentStatus`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.api.well_known import NODE_ROLE_LABEL, NODE_ROLE_LABEL_PREFIX
from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import age, object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, meta, name, status

__all__ = ["PRINTERS", "node_roles"]


def node_roles(node: dict) -> list[str]:
    """`findNodeRoles`: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values."""
    roles = set()
    for key, value in (meta(node).get("labels") or {}).items():
        if key.startswith(NODE_ROLE_LABEL_PREFIX) and len(key) > len(NODE_ROLE_LABEL_PREFIX):
            roles.add(key[len(NODE_ROLE_LABEL_PREFIX) :])
        elif key == NODE_ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def _node_address(node: dict, kind: str) -> str:
    for address in status(node).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "")
    return "<none>"


def _node_row(node: dict, now: datetime) -> list[Any]:
    node_status = status(node)
    ready = next((c for c in node_status.get("conditions") or [] if c.get("type") == "Ready"), None)
    states = (
        ["Unknown"] if ready is None else ["Ready" if ready.get("status") == "True" else "NotReady"]
    )
    if (node.get("spec") or {}).get("unschedulable"):
        states.append("SchedulingDisabled")
    info = node_status.get("nodeInfo") or {}
    return [
        name(node),
        ",".join(states),
        ",".join(node_roles(node)) or "<none>",
        object_age(node, now),
        info.get("kubeletVersion", ""),
        _node_address(node, "InternalIP"),
        _node_address(node, "ExternalIP"),
        info.get("osImage") or "<unknown>",
        info.get("kernelVersion") or "<unknown>",
        info.get("containerRuntimeVersion") or "<unknown>",
    ]


def _namespace_row(ns: dict, now: datetime) -> list[Any]:
    return [name(ns), status(ns).get("phase", ""), object_age(ns, now)]


def _event_row(event: dict, now: datetime) -> list[Any]:
    first = (
        age(event.get("firstTimestamp"), now)
        if event.get("firstTimestamp")
        else age(event.get("eventTime"), now)
    )
    last = age(event.get("lastTimestamp"), now) if event.get("lastTimestamp") else first
    count = event.get("count", 0)
    series = event.get("series")
    if series:
        last = age(series.get("lastObservedTime"), now)
        count = series.get("count", 0)
    elif count == 0:
        count = 1
    involved = event.get("involvedObject") or {}
    target = involved.get("kind", "").lower()
    if involved.get("name"):
        target = f"{target}/{involved['name']}"
    source = event.get("source") or {}
    component = source.get("component") or event.get("reportingComponent", "")
    host = source.get("host") or event.get("reportingInstance", "")
    return [
        last,
        event.get("type", ""),
        event.get("reason", ""),
        target,
        involved.get("fieldPath", ""),
        f"{component}, {host}" if host else component,
        event.get("message", "").strip(),
        first,
        count,
        name(event),
    ]


def _component_status_row(cs: dict, now: datetime) -> list[Any]:
    """`printComponentStatus`: the first Healthy condition's status, message and error."""
    healthy = next((c for c in cs.get("conditions") or [] if c.get("type") == "Healthy"), None)
    if healthy is None:
        return [name(cs), "Unknown", "", ""]
    state = "Healthy" if healthy.get("status") == "True" else "Unhealthy"
    return [name(cs), state, healthy.get("message", ""), healthy.get("error", "")]


PRINTERS = {
    "Node": Printer(
        (
            NAME,
            Column("Status"),
            Column("Roles"),
            AGE,
            Column("Version"),
            Column("Internal-IP", 1),
            Column("External-IP", 1),
            Column("OS-Image", 1),
            Column("Kernel-Version", 1),
            Column("Container-Runtime", 1),
        ),
        _node_row,
    ),
    "Namespace": Printer((NAME, Column("Status"), AGE), _namespace_row),
    "Event": Printer(
        (
            Column("Last Seen"),
            Column("Type"),
            Column("Reason"),
            Column("Object"),
            Column("Subobject", 1),
            Column("Source", 1),
            Column("Message"),
            Column("First Seen", 1),
            Column("Count", 1),
            Column("Name", 1, "name"),
        ),
        _event_row,
    ),
    "ComponentStatus": Printer(
        (NAME, Column("Status"), Column("Message"), Column("Error")), _component_status_row
    ),
}
