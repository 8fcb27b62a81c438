"""The tables the API server sends `kubectl get`: per-kind columns and cell values.

Follows kubernetes/kubernetes pkg/printers/internalversion/printers.go (`AddHandlers` and the
`print<Kind>` functions). The server always generates the wide cells (pkg/printers/storage
`ConvertToTable` passes `Wide: true`); the client hides priority-1 columns unless `-o wide`.
Kinds without a handler get the default NAME, AGE table. The cells of workloads and of
Services and their endpoints are computed in columns_workloads and columns_network.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from kubenet_nb.api.well_known import NODE_ROLE_LABEL, NODE_ROLE_LABEL_PREFIX
from kubenet_nb.kubectl.printers import Column, Table
from kubenet_nb.kubectl.printers.age import age, object_age
from kubenet_nb.kubectl.printers.network import endpoints_row, endpointslice_row, service_row
from kubenet_nb.kubectl.printers.workloads import (
    daemonset_row,
    deployment_row,
    pod_row,
    replicaset_row,
)

__all__ = ["node_roles", "table_for"]

NAME = Column("Name", format="name")
AGE = Column("Age")

_COLUMNS: dict[str, list[Column]] = {
    "Pod": [
        NAME,
        Column("Ready"),
        Column("Status"),
        Column("Restarts"),
        AGE,
        Column("IP", 1),
        Column("Node", 1),
        Column("Nominated Node", 1),
        Column("Readiness Gates", 1),
    ],
    "Service": [
        NAME,
        Column("Type"),
        Column("Cluster-IP"),
        Column("External-IP"),
        Column("Port(s)"),
        AGE,
        Column("Selector", 1),
    ],
    "Endpoints": [NAME, Column("Endpoints"), AGE],
    "EndpointSlice": [NAME, Column("AddressType"), Column("Ports"), Column("Endpoints"), AGE],
    "Deployment": [
        NAME,
        Column("Ready"),
        Column("Up-to-date"),
        Column("Available"),
        AGE,
        Column("Containers", 1),
        Column("Images", 1),
        Column("Selector", 1),
    ],
    "ReplicaSet": [
        NAME,
        Column("Desired"),
        Column("Current"),
        Column("Ready"),
        AGE,
        Column("Containers", 1),
        Column("Images", 1),
        Column("Selector", 1),
    ],
    "DaemonSet": [
        NAME,
        Column("Desired"),
        Column("Current"),
        Column("Ready"),
        Column("Up-to-date"),
        Column("Available"),
        Column("Node Selector"),
        AGE,
        Column("Containers", 1),
        Column("Images", 1),
        Column("Selector", 1),
    ],
    "Node": [
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
    ],
    "Namespace": [NAME, Column("Status"), AGE],
    "Event": [
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
    ],
}


def table_for(kind: str, objects: list[dict], now: datetime) -> Table:
    """The server-side table for objects of one kind, all cells computed (wide included)."""
    row = _ROWS.get(kind, _default_row)
    columns = _COLUMNS.get(kind, [NAME, AGE])
    return Table(columns, [row(obj, now) for obj in objects], list(objects))


def _meta(obj: dict) -> dict:
    return obj.get("metadata", {})


def _default_row(obj: dict, now: datetime) -> list[Any]:
    return [_meta(obj).get("name", ""), object_age(obj, now)]


def node_roles(node: dict) -> list[str]:
    """`findNodeRoles`: `node-role.kubernetes.io/<role>` keys and `kubernetes.io/role` values."""
    roles = set()
    for key, value in (_meta(node).get("labels") or {}).items():
        if key.startswith(NODE_ROLE_LABEL_PREFIX) and len(key) > len(NODE_ROLE_LABEL_PREFIX):
            roles.add(key[len(NODE_ROLE_LABEL_PREFIX) :])
        elif key == NODE_ROLE_LABEL and value:
            roles.add(value)
    return sorted(roles)


def _node_address(node: dict, kind: str) -> str:
    for address in (node.get("status") or {}).get("addresses") or []:
        if address.get("type") == kind:
            return address.get("address", "")
    return "<none>"


def _node_row(node: dict, now: datetime) -> list[Any]:
    status = node.get("status", {})
    ready = next((c for c in status.get("conditions") or [] if c.get("type") == "Ready"), None)
    states = (
        ["Unknown"] if ready is None else ["Ready" if ready.get("status") == "True" else "NotReady"]
    )
    if (node.get("spec") or {}).get("unschedulable"):
        states.append("SchedulingDisabled")
    info = status.get("nodeInfo") or {}
    return [
        _meta(node).get("name", ""),
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
    return [
        _meta(ns).get("name", ""),
        (ns.get("status") or {}).get("phase", ""),
        object_age(ns, now),
    ]


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
        _meta(event).get("name", ""),
    ]


_ROWS: dict[str, Callable[[dict, datetime], list[Any]]] = {
    "Pod": pod_row,
    "Service": service_row,
    "Endpoints": endpoints_row,
    "EndpointSlice": endpointslice_row,
    "Deployment": deployment_row,
    "ReplicaSet": replicaset_row,
    "DaemonSet": daemonset_row,
    "Node": _node_row,
    "Namespace": _namespace_row,
    "Event": _event_row,
}
