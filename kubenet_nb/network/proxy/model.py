"""What kube-proxy reads: service ports and their endpoints, built from Service/EndpointSlice dicts.

This restates kube-proxy's caches (pkg/proxy/servicechangetracker.go `serviceToServiceMap`,
serviceport.go `newBaseServiceInfo`, endpointslicecache.go `addEndpoints`) over plain API dicts,
independent of the Cluster class, so tests can feed exactly what proxier_test.go feeds.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from kubenet_nb.network.proxy.addresses import (
    IPNetwork,
    host_port,
    ip_family,
    ip_text,
    parse_cidr_sloppy,
    parse_ip_sloppy,
)
from kubenet_nb.network.proxy.chains import (
    EXTERNAL_PREFIX,
    FIREWALL_PREFIX,
    LOCAL_PREFIX,
    SERVICE_PREFIX,
    endpoint_chain,
    port_proto_hash,
    service_port_name,
)

__all__ = ["Endpoint", "ServicePort", "endpoints_by_port", "service_ports"]

SERVICE_NAME_LABEL = "kubernetes.io/service-name"


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


@dataclass(frozen=True, slots=True)
class ServicePort:
    """One (service, port, protocol) as kube-proxy's servicePortInfo holds it."""

    namespace: str
    name: str
    port_name: str
    protocol: str
    cluster_ip: str
    port: int
    node_port: int
    external_ips: tuple[str, ...]
    load_balancer_vips: tuple[str, ...]
    source_ranges: tuple[IPNetwork, ...]
    health_check_node_port: int
    client_ip_affinity: bool
    sticky_seconds: int
    external_policy_local: bool
    internal_policy_local: bool
    name_string: str = field(init=False)
    proto: str = field(init=False)
    hash: str = field(init=False)

    def __post_init__(self) -> None:
        spn = service_port_name(self.namespace, self.name, self.port_name)
        object.__setattr__(self, "name_string", spn)
        object.__setattr__(self, "proto", self.protocol.lower())
        object.__setattr__(self, "hash", port_proto_hash(spn, self.protocol.lower()))

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.namespace, self.name, self.port_name, self.protocol)

    @property
    def cluster_chain(self) -> str:
        return SERVICE_PREFIX + self.hash

    @property
    def local_chain(self) -> str:
        return LOCAL_PREFIX + self.hash

    @property
    def firewall_chain(self) -> str:
        return FIREWALL_PREFIX + self.hash

    @property
    def external_chain(self) -> str:
        return EXTERNAL_PREFIX + self.hash

    @property
    def externally_accessible(self) -> bool:
        return bool(self.node_port or self.load_balancer_vips or self.external_ips)

    @property
    def uses_cluster_endpoints(self) -> bool:
        return not self.internal_policy_local or self.externally_accessible

    @property
    def uses_local_endpoints(self) -> bool:
        return self.internal_policy_local or (
            self.external_policy_local and self.externally_accessible
        )


def _cluster_ip(spec: dict, family: str) -> str:
    """proxyutil `GetClusterIPByFamily` (tolerates Services without ipFamilies)."""
    families = spec.get("ipFamilies") or []
    if not families:
        ip = spec.get("clusterIP") or ""
        parsed = parse_ip_sloppy(ip) if ip and ip != "None" else None
        return ip if parsed is not None and ip_family(parsed) == family else ""
    cluster_ips = spec.get("clusterIPs") or []
    for index, each in enumerate(families):
        if each == family and index < len(cluster_ips):
            return cluster_ips[index]
    return ""


def _addresses(texts: Iterable[str], family: str) -> tuple[str, ...]:
    parsed = (parse_ip_sloppy(text) for text in texts)
    return tuple(str(ip) for ip in parsed if ip is not None and ip_family(ip) == family)


def service_ports(service: dict, family: str = "IPv4") -> list[ServicePort]:
    """The proxied ports of one Service; none for headless or ExternalName (ShouldSkipService)."""
    return _SERVICES.get(service, (family,), lambda: _service_ports(service, family))


def _service_ports(service: dict, family: str) -> list[ServicePort]:
    spec = service.get("spec", {})
    svc_type = spec.get("type", "")
    if spec.get("clusterIP") in (None, "", "None") or svc_type == "ExternalName":
        return []
    cluster_ip = parse_ip_sloppy(_cluster_ip(spec, family))
    if cluster_ip is None:
        return []
    accessible = svc_type in ("LoadBalancer", "NodePort") or (
        svc_type == "ClusterIP" and bool(spec.get("externalIPs"))
    )
    external_local = accessible and spec.get("externalTrafficPolicy") == "Local"
    ranges = (parse_cidr_sloppy(text.strip()) for text in spec.get("loadBalancerSourceRanges", []))
    ingress = service.get("status", {}).get("loadBalancer", {}).get("ingress") or []
    vips = [i["ip"] for i in ingress if i.get("ip") and (i.get("ipMode") or "VIP") == "VIP"]
    affinity = spec.get("sessionAffinity") == "ClientIP"
    client_ip = (spec.get("sessionAffinityConfig") or {}).get("clientIP") or {}
    health = spec.get("healthCheckNodePort", 0) if svc_type == "LoadBalancer" else 0
    meta = service["metadata"]
    common = {
        "namespace": meta.get("namespace", "default"),
        "name": meta["name"],
        "cluster_ip": str(cluster_ip),
        "external_ips": _addresses(spec.get("externalIPs") or [], family),
        "load_balancer_vips": _addresses(vips, family),
        "source_ranges": tuple(
            net for net in ranges if net is not None and net.version == cluster_ip.version
        ),
        "health_check_node_port": health if external_local else 0,
        "client_ip_affinity": affinity,
        "sticky_seconds": (client_ip.get("timeoutSeconds") or 10800) if affinity else 0,
        "external_policy_local": external_local,
        "internal_policy_local": spec.get("internalTrafficPolicy") == "Local",
    }
    return [
        ServicePort(
            port_name=port.get("name", ""),
            protocol=port.get("protocol", "TCP"),
            port=port.get("port", 0),
            node_port=port.get("nodePort", 0),
            **common,
        )
        for port in spec.get("ports") or []
    ]


class _Memo:
    """A bounded memo of what was derived from stored objects, keyed on the object itself.

    The store never changes a stored dict in place (a write stores a new one with a new
    resourceVersion), so a derivation from that very dict stays valid. The dict is kept with the
    result, so its id cannot be reused while cached. Dicts without a resourceVersion (hand-built
    ones, which callers may mutate) are never memoised.
    """

    def __init__(self, size: int) -> None:
        self._data: OrderedDict[tuple, tuple[dict, Any]] = OrderedDict()
        self._size = size

    def get(self, obj: dict, extra: tuple, make: Callable[[], Any]) -> Any:
        if not obj.get("metadata", {}).get("resourceVersion"):
            return make()
        key = (id(obj), *extra)
        entry = self._data.get(key)
        if entry is not None and entry[0] is obj:
            self._data.move_to_end(key)
            return entry[1]
        value = make()
        self._data[key] = (obj, value)
        self._data.move_to_end(key)
        if len(self._data) > self._size:
            self._data.popitem(last=False)
        return value


_SERVICES = _Memo(8192)
_SLICES = _Memo(16384)


def _endpoint(
    item: dict, spn: str, proto: str, number: int, node_name: str, node_hints_on: bool
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
        is_local=bool(node_name) and item.get("nodeName") == node_name,
        ready=conditions.get("ready") is not False,
        serving=conditions.get("serving") is not False,
        terminating=conditions.get("terminating") is True,
        zone_hints=frozenset(z["name"] for z in hints.get("forZones") or []),
        node_hints=frozenset(n["name"] for n in (hints.get("forNodes") or []) if node_hints_on),
    )


def _slice_ports(
    slice_: dict, service: str, node_name: str, node_hints_on: bool
) -> list[tuple[tuple[str, str, str, str], list[Endpoint]]]:
    """One slice's endpoints per (namespace, service, port name, protocol), in slice order."""
    namespace = slice_["metadata"].get("namespace", "default")
    result = []
    for port in slice_.get("ports") or []:
        name, number = port.get("name"), port.get("port")
        if name is None or not number:
            continue
        protocol = port.get("protocol") or "TCP"
        spn = service_port_name(namespace, service, name)
        made = (
            _endpoint(item, spn, protocol.lower(), number, node_name, node_hints_on)
            for item in slice_.get("endpoints") or []
        )
        result.append(((namespace, service, name, protocol), [e for e in made if e is not None]))
    return result


def endpoints_by_port(
    slices: Iterable[dict],
    node_name: str,
    family: str = "IPv4",
    node_hints: bool = False,
) -> dict[tuple[str, str, str, str], list[Endpoint]]:
    """EndpointSliceCache's view: (namespace, service, port name, protocol) -> sorted endpoints.

    Slices are tied to their Service by the `kubernetes.io/service-name` label; slices of the
    other address family (and FQDN ones) are ignored; a port without a name or number is skipped.
    Endpoints are deduplicated by `ip:port` (a later copy replaces an earlier one only when it is
    local, as in v1.33's `addEndpoints`) and sorted by that string (`byEndpoint`).
    """
    merged: dict[tuple[str, str, str, str], dict[str, Endpoint]] = {}
    for slice_ in slices:
        meta = slice_.get("metadata", {})
        service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
        if slice_.get("addressType") != family or not service or not meta.get("name"):
            continue
        per_port = _SLICES.get(
            slice_,
            (node_name, node_hints),
            lambda s=slice_, n=service: _slice_ports(s, n, node_name, node_hints),
        )
        for key, endpoints in per_port:
            found = merged.setdefault(key, {})
            for each in endpoints:
                if each.endpoint not in found or each.is_local:
                    found[each.endpoint] = each
    return {key: [found[e] for e in sorted(found)] for key, found in merged.items() if found}
