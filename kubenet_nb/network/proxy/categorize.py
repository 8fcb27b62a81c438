"""Which endpoints a node's proxy uses for one service port: pkg/proxy/topology.go, v1.33.

`categorize` restates `CategorizeEndpoints`: Ready endpoints by default, falling back to
serving-and-terminating ones (separately for the Cluster and the Local lists), filtered by the
EndpointSlice topology hints when every ready endpoint carries one for this node or zone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kubenet_nb.api.well_known import ZONE_LABEL
from kubenet_nb.network.proxy.endpoints import Endpoint
from kubenet_nb.network.proxy.model import ServicePort

__all__ = ["Categories", "categorize"]


@dataclass(frozen=True, slots=True)
class Categories:
    """The four results of `CategorizeEndpoints` for one service port on one node."""

    cluster: tuple[Endpoint, ...]
    local: tuple[Endpoint, ...]
    reachable: tuple[Endpoint, ...]
    has_any: bool


def _topology_mode(
    endpoints: Sequence[Endpoint], node_name: str, zone: str, node_hints_on: bool
) -> str:
    """`topologyModeFromHints`: "PreferSameNode", "PreferSameZone" or "" (no topology)."""
    ready = [ep for ep in endpoints if ep.ready]
    if node_hints_on and all(ep.node_hints for ep in ready):
        if any(node_name in ep.node_hints for ep in ready):
            return "PreferSameNode"
    if all(ep.zone_hints for ep in ready) and any(zone in ep.zone_hints for ep in ready):
        return "PreferSameZone"
    return ""


def _available(endpoint: Endpoint, mode: str, node_name: str, zone: str) -> bool:
    if mode == "PreferSameNode":
        return node_name in endpoint.node_hints
    if mode == "PreferSameZone":
        return zone in endpoint.zone_hints
    return True


def _keep(endpoints: Sequence[Endpoint], test: Callable[[Endpoint], bool]) -> tuple[Endpoint, ...]:
    return tuple(ep for ep in endpoints if test(ep))


def categorize(
    endpoints: Sequence[Endpoint],
    port: ServicePort,
    node_name: str,
    node_labels: dict[str, str],
    node_hints_on: bool = False,
) -> Categories:
    """Split a service port's endpoints into what this node's Cluster and Local chains use."""
    cluster: tuple[Endpoint, ...] = ()
    local: tuple[Endpoint, ...] = ()
    has_any = False
    mode = ""
    zone = node_labels.get(ZONE_LABEL, "")
    if port.uses_cluster_endpoints:
        mode = _topology_mode(endpoints, node_name, zone, node_hints_on)
        cluster = _keep(endpoints, lambda ep: ep.ready and _available(ep, mode, node_name, zone))
        if not cluster:
            cluster = _keep(endpoints, lambda ep: ep.serving and ep.terminating)
        has_any = bool(cluster)
    if not port.uses_local_endpoints:
        return Categories(cluster, local, cluster, has_any)
    has_local_ready = has_local_terminating = False
    for ep in endpoints:
        if ep.ready:
            has_any = True
            has_local_ready = has_local_ready or ep.is_local
        elif ep.serving and ep.terminating:
            has_any = True
            has_local_terminating = has_local_terminating or ep.is_local
    fallback = False
    if has_local_ready:
        local = _keep(endpoints, lambda ep: ep.is_local and ep.ready)
    elif has_local_terminating:
        fallback = True
        local = _keep(endpoints, lambda ep: ep.is_local and ep.serving and ep.terminating)
    if not port.uses_cluster_endpoints:
        return Categories(cluster, local, local, has_any)
    if not mode and not fallback:
        return Categories(cluster, local, cluster, has_any)
    union = {ep.endpoint: ep for ep in cluster}
    union.update((ep.endpoint, ep) for ep in local)
    return Categories(cluster, local, tuple(union[key] for key in sorted(union)), has_any)
