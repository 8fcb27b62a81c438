"""What kube-proxy reads from Services: their proxied ports, built from Service dicts.

This restates kube-proxy's service cache (pkg/proxy/servicechangetracker.go `serviceToServiceMap`,
serviceport.go `newBaseServiceInfo`) over plain API dicts, independent of the Cluster class, so
tests can feed exactly what proxier_test.go feeds. Each stored Service is read once per version
(`memo.py`). The endpoints side lives in `endpoints.py`; `Endpoint` and `endpoints_by_port` are
named here too, as the two halves of the model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from kubenet_nb.api.ip_addresses import parse_ip_sloppy
from kubenet_nb.network.proxy.addresses import (
    IPNetwork,
    ip_family,
    parse_cidr_sloppy,
)
from kubenet_nb.network.proxy.chains import (
    EXTERNAL_PREFIX,
    FIREWALL_PREFIX,
    LOCAL_PREFIX,
    SERVICE_PREFIX,
    port_proto_hash,
    service_port_name,
)
from kubenet_nb.network.proxy.endpoints import Endpoint, endpoints_by_port
from kubenet_nb.network.proxy.memo import ObjectMemo

__all__ = ["Endpoint", "ServicePort", "endpoints_by_port", "service_ports"]


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


_SERVICES = ObjectMemo(8192)


def service_ports(service: dict, family: str = "IPv4") -> list[ServicePort]:
    """The proxied ports of one Service; none for headless or ExternalName (ShouldSkipService)."""
    return _SERVICES.get(service, family, lambda: _service_ports(service, family))


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
