"""What kube-proxy reads from EndpointSlices: each service port's endpoints, for every node.

This restates kube-proxy's EndpointSliceCache (pkg/proxy/endpointslicecache.go `addEndpoints`,
endpoint.go `BaseEndpointInfo`) over plain API dicts. Each stored slice is read once per version
(`memo.py`) and what is read is shared by every node: only locality differs between nodes, and
it is marked only where asked (`Merged`), so a node's first render re-parses nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import partial

from kubenet_nb.api.well_known import SERVICE_NAME_LABEL
from kubenet_nb.network.proxy.addresses import host_port, ip_text
from kubenet_nb.network.proxy.chains import endpoint_chain, service_port_name
from kubenet_nb.network.proxy.memo import IdentityMemo, ObjectMemo

__all__ = ["Endpoint", "Merged", "endpoints_by_port", "merged_by_port"]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One backend of one service port as kube-proxy's BaseEndpointInfo holds it."""

    ip: str
    port: int
    endpoint: str
    chain: str
    is_local: bool
    ready: bool
    serving: bool
    terminating: bool
    zone_hints: frozenset[str] = frozenset()
    node_hints: frozenset[str] = frozenset()


_SLICES = ObjectMemo(16384)
_MERGED = IdentityMemo(16384)
_SLICE_LISTS = ObjectMemo(8)

SliceEndpoints = tuple[tuple[Endpoint, ...], tuple[str, ...]]
"""One slice's endpoints of one port, in slice order, none marked local, with their nodeNames."""


_NO_NAMES: frozenset[str] = frozenset()


def _names(items: list[dict] | None) -> frozenset[str]:
    """The names in a hints list (`forZones`, `forNodes`); one shared empty set for none."""
    return frozenset(item["name"] for item in items) if items else _NO_NAMES


def _endpoint(
    item: dict, spn: str, proto: str, number: int, node_hints_on: bool
) -> Endpoint | None:
    addresses = item.get("addresses") or []
    ip = ip_text(addresses[0]) if addresses else None
    if ip is None:
        return None
    conditions = item.get("conditions") or {}
    hints = item.get("hints") or {}
    endpoint = host_port(ip, number)
    return Endpoint(
        ip=ip,
        port=number,
        endpoint=endpoint,
        chain=endpoint_chain(spn, proto, endpoint),
        is_local=False,
        ready=conditions.get("ready") is not False,
        serving=conditions.get("serving") is not False,
        terminating=conditions.get("terminating") is True,
        zone_hints=_names(hints.get("forZones")),
        node_hints=_names(hints.get("forNodes") if node_hints_on else None),
    )


def _slice_ports(
    slice_: dict, service: str, node_hints_on: bool
) -> list[tuple[tuple[str, str, str, str], SliceEndpoints]]:
    """One slice's endpoints per (namespace, service, port name, protocol), for every node."""
    namespace = slice_["metadata"].get("namespace", "default")
    result = []
    for port in slice_.get("ports") or []:
        name, number = port.get("name"), port.get("port")
        if name is None or not number:
            continue
        protocol = port.get("protocol") or "TCP"
        spn = service_port_name(namespace, service, name)
        endpoints: list[Endpoint] = []
        nodes: list[str] = []
        for item in slice_.get("endpoints") or []:
            made = _endpoint(item, spn, protocol.lower(), number, node_hints_on)
            if made is not None:
                endpoints.append(made)
                nodes.append(item.get("nodeName") or "")
        result.append(((namespace, service, name, protocol), (tuple(endpoints), tuple(nodes))))
    return result


class Merged:
    """A service port's endpoints from all its slices, deduplicated by `ip:port` and sorted.

    Only locality differs between nodes: `for_node` marks the node's own endpoints (a later
    duplicate replaces an earlier one only when it is local, as v1.33's `addEndpoints` does);
    `blind` is the same choice without the marks, which is what a port whose policies never read
    locality renders from, so that such ports share one tuple across nodes.
    """

    def __init__(self, parts: tuple[SliceEndpoints, ...]) -> None:
        self._parts = parts
        self._nodes = frozenset(node for _, nodes in parts for node in nodes)
        found: dict[str, Endpoint] = {}
        for endpoints, _ in parts:
            for each in endpoints:
                found.setdefault(each.endpoint, each)
        self.agnostic = tuple(found[key] for key in sorted(found))
        self._duplicates = len(found) < sum(len(endpoints) for endpoints, _ in parts)
        self._by_node: dict[str, tuple[tuple[Endpoint, ...], tuple[Endpoint, ...]]] = {}

    def for_node(self, node: str) -> tuple[Endpoint, ...]:
        """The endpoints with the node's own marked local."""
        return self._node(node)[0]

    def blind(self, node: str) -> tuple[Endpoint, ...]:
        """The endpoints the node picks, none marked local (the shared tuple when that is it)."""
        if not self._duplicates:
            return self.agnostic
        return self._node(node)[1]

    def _node(self, node: str) -> tuple[tuple[Endpoint, ...], tuple[Endpoint, ...]]:
        if not node or node not in self._nodes:
            return self.agnostic, self.agnostic
        known = self._by_node.get(node)
        if known is not None:
            return known
        found: dict[str, tuple[Endpoint, bool]] = {}
        for endpoints, nodes in self._parts:
            for each, owner in zip(endpoints, nodes, strict=True):
                local = owner == node
                if local or each.endpoint not in found:
                    found[each.endpoint] = (each, local)
        chosen = [found[key] for key in sorted(found)]
        marked = tuple(replace(each, is_local=True) if local else each for each, local in chosen)
        picked = tuple(each for each, _ in chosen)
        same = all(a is b for a, b in zip(picked, self.agnostic, strict=True))
        known = self._by_node[node] = (marked, self.agnostic if same else picked)
        return known


def merged_by_port(
    slices: Iterable[dict], family: str = "IPv4", node_hints: bool = False
) -> dict[tuple[str, str, str, str], Merged]:
    """EndpointSliceCache's view for every node: (namespace, service, port name, protocol) ->
    the port's endpoints from all its slices, in slice order.

    Slices are tied to their Service by the `kubernetes.io/service-name` label; slices of the
    other address family (and FQDN ones) are ignored; a port without a name or number is skipped.
    The result is shared by the callers with the same slices: read it, never change it.
    """
    found = list(slices)
    return _SLICE_LISTS.get_all(
        found, (family, node_hints), lambda: _merged_by_port(found, family, node_hints)
    )


def _merged_by_port(
    slices: list[dict], family: str, node_hints: bool
) -> dict[tuple[str, str, str, str], Merged]:
    parts: dict[tuple[str, str, str, str], list[SliceEndpoints]] = {}
    for slice_ in slices:
        meta = slice_.get("metadata", {})
        service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
        if slice_.get("addressType") != family or not service or not meta.get("name"):
            continue
        per_port = _SLICES.get(
            slice_, node_hints, partial(_slice_ports, slice_, service, node_hints)
        )
        for key, endpoints in per_port:
            parts.setdefault(key, []).append(endpoints)
    result = {}
    for key, found in parts.items():
        frozen = tuple(found)
        result[key] = _MERGED.get(frozen, None, partial(Merged, frozen))
    return result


def endpoints_by_port(
    slices: Iterable[dict],
    node_name: str,
    family: str = "IPv4",
    node_hints: bool = False,
) -> dict[tuple[str, str, str, str], tuple[Endpoint, ...]]:
    """What kube-proxy on `node_name` holds: each port's endpoints, its own marked local.

    Endpoints are deduplicated by `ip:port` (a later copy replaces an earlier one only when it is
    local, as in v1.33's `addEndpoints`) and sorted by that string (`byEndpoint`); ports without
    endpoints are left out.
    """
    found = merged_by_port(slices, family, node_hints)
    return {key: merged.for_node(node_name) for key, merged in found.items() if merged.agnostic}
