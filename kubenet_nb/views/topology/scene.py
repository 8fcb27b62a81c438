"""What a topology picture shows: the objects read from a cluster, filtered and sorted.

The picture is computed from the store at the moment it is drawn, through the same calls a
user makes (`list`, `resolve`); nothing is kept beside the cluster.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubenet_nb.api.well_known import SERVICE_NAME_LABEL
from kubenet_nb.views.topology.endpoints import ip_key

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Workbook

__all__ = [
    "SYSTEM_NAMESPACES",
    "Scene",
    "collect",
    "internal_ip",
    "object_key",
    "pod_state",
    "qualified",
]

SYSTEM_NAMESPACES = ("kube-node-lease", "kube-public", "kube-system", "local-path-storage")
"""Namespaces a kind cluster starts with that hold no user workloads; hidden unless asked."""


def pod_state(pod: dict) -> str:
    """`terminating`, `pending` (not scheduled or no IP yet), `ready` or `not ready`."""
    if pod["metadata"].get("deletionTimestamp"):
        return "terminating"
    status = pod.get("status") or {}
    if not (pod.get("spec") or {}).get("nodeName") or not status.get("podIP"):
        return "pending"
    conditions = status.get("conditions") or ()
    if any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions):
        return "ready"
    return "not ready"


def internal_ip(node: dict) -> str:
    """The node's InternalIP ("" when it has none)."""
    for address in (node.get("status") or {}).get("addresses") or ():
        if address.get("type") == "InternalIP":
            return address.get("address") or ""
    return ""


def object_key(obj: dict) -> tuple[str, str]:
    """(namespace, name) of an object ("" namespace for cluster-scoped ones)."""
    meta = obj["metadata"]
    return meta.get("namespace") or "", meta["name"]


def qualified(key: tuple[str, str]) -> str:
    """How the picture names an object: `name` in default, `namespace/name` elsewhere."""
    return key[1] if key[0] == "default" else f"{key[0]}/{key[1]}"


@dataclass
class Scene:
    """Objects to draw, each list sorted by namespace and name."""

    nodes: list[dict]
    pods: list[dict]
    services: list[dict]
    slices: dict[tuple[str, str], list[dict]] = field(default_factory=dict)
    """EndpointSlices by (namespace, service name)."""
    dns: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """What the cluster DNS answers for each headless Service's name (A/AAAA addresses)."""
    domain: str = "cluster.local"

    def node_ips(self) -> dict[str, str]:
        """InternalIP to node name."""
        return {internal_ip(n): n["metadata"]["name"] for n in self.nodes if internal_ip(n)}


def _visible(namespace: str, wanted: str | None, system: bool) -> bool:
    if wanted is not None:
        return namespace == wanted
    return system or namespace not in SYSTEM_NAMESPACES


def collect(
    cluster: Workbook,
    namespace: str | None = None,
    selector: str | None = None,
    system: bool = False,
    keep_pods: Iterable[tuple[str, str]] = (),
    keep_services: Iterable[tuple[str, str]] = (),
) -> Scene:
    """Read the objects to draw: every node; the pods and Services in the namespaces shown
    (all but the system ones unless `system`, or just `namespace`) whose labels match
    `selector`, plus the Services routing to those pods; `keep_*` are always shown."""

    def shown(objects: list[dict], keep: set[tuple[str, str]]) -> list[dict]:
        chosen = [
            o
            for o in objects
            if _visible(object_key(o)[0], namespace, system) or object_key(o) in keep
        ]
        return sorted(chosen, key=object_key)

    wanted_pods, wanted_services = set(keep_pods), set(keep_services)
    pods = cluster.list("pods", None, selector)
    if selector:
        names = {object_key(p) for p in pods}
        pods += [p for p in cluster.list("pods", None) if object_key(p) in wanted_pods - names]
    pods = shown(pods, wanted_pods)
    slices: dict[tuple[str, str], list[dict]] = {}
    for each in sorted(cluster.list("endpointslices", None), key=object_key):
        service = (each["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL)
        if service:
            slices.setdefault((object_key(each)[0], service), []).append(each)
    services = cluster.list("services", None)
    if selector:
        pod_keys = {object_key(p) for p in pods}
        matching = {object_key(s) for s in cluster.list("services", None, selector)}
        services = [
            s
            for s in services
            if object_key(s) in matching
            or object_key(s) in wanted_services
            or _routes_to(slices.get(object_key(s), ()), pod_keys)
        ]
    services = shown(services, wanted_services)
    domain = cluster.settings.cluster_domain
    dns: dict[tuple[str, str], tuple[str, ...]] = {}
    for service in services:
        if (service.get("spec") or {}).get("clusterIP") == "None":
            key = object_key(service)
            answer = cluster.resolve(f"{key[1]}.{key[0]}.svc.{domain}.")
            dns[key] = tuple(sorted(answer.addresses, key=ip_key))
    nodes = sorted(cluster.list("nodes", None), key=object_key)
    return Scene(nodes, pods, services, slices, dns, domain)


def _routes_to(slices: Iterable[dict], pods: set[tuple[str, str]]) -> bool:
    for each in slices:
        for endpoint in each.get("endpoints") or ():
            ref = endpoint.get("targetRef") or {}
            if ref.get("kind") == "Pod" and (ref.get("namespace") or "", ref.get("name")) in pods:
                return True
    return False
