"""The DNS side of a cluster: CoreDNS over the current objects, the upstream and the nodes' file.

`dns_state` builds it from plain lists of API objects; `cluster_dns_state` from a cluster's store.
The zone is rebuilt whenever the store has changed and reused while it has not: the key is the
store's resourceVersion together with the number of objects of each kind read (a create or update
moves the resourceVersion; a delete does not, but lowers a count), and nothing is reused while a
request is half-done inside a transaction. So answers always come from the objects in the store.
A rebuild reads only the Services and EndpointSlices written since the last one (`ZoneBuilder`
keeps each stored dict's entry), so its cost follows the change, not the cluster.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from kubenet_nb.network.dns.coredns import CoreDns
from kubenet_nb.network.dns.records import (
    ClusterZone,
    DnsResponse,
    DnsSettings,
    Record,
    ZoneBuilder,
    address_type,
    build_zone,
)
from kubenet_nb.network.dns.resolvconf import ResolvConf, kind_node_resolv_conf, pod_resolv_conf
from kubenet_nb.network.dns.upstream import Upstream

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.cluster.store import Store

__all__ = ["DnsState", "cluster_dns_state", "dns_state", "zone_records"]

ZONE_KINDS = ("Service", "EndpointSlice", "Namespace")


@dataclass(frozen=True)
class DnsState:
    """CoreDNS (with its upstream) and the node resolv.conf that Default-policy pods get."""

    coredns: CoreDns
    node_resolv_conf: ResolvConf

    @property
    def settings(self) -> DnsSettings:
        return self.coredns.zone.settings

    def resolv_conf(self, pod: dict) -> ResolvConf:
        """The pod's /etc/resolv.conf (`.text()` is what `cat /etc/resolv.conf` prints)."""
        return pod_resolv_conf(pod, self.settings, self.node_resolv_conf)

    def ask(self, server: str, qname: str, qtype: str) -> DnsResponse:
        """Send one question to a nameserver: the cluster DNS IP reaches CoreDNS, any other
        address the node's resolver (Docker's DNS, the only other server in reach)."""
        if server == self.settings.dns_ip:
            return self.coredns.serve(qname, qtype)
        return self.coredns.upstream.answer(qname, qtype)


def dns_state(
    services: Iterable[dict],
    endpoint_slices: Iterable[dict],
    namespaces: Iterable[dict],
    *,
    settings: DnsSettings | None = None,
    upstream_hosts: Mapping[str, Iterable[str]] | None = None,
    node_resolv_conf: ResolvConf | None = None,
    internet: bool = False,
) -> DnsState:
    """The DNS state for these objects; the upstream knows only `upstream_hosts` and, without
    `internet`, answers SERVFAIL for any other name (upstream.py)."""
    zone = build_zone(services, endpoint_slices, namespaces, settings)
    upstream = Upstream(upstream_hosts, reachable=internet)
    return DnsState(CoreDns(zone, upstream), node_resolv_conf or kind_node_resolv_conf())


class _StoreZone:
    """A store's zone builder and the zone of the last version it built."""

    def __init__(self) -> None:
        self.builder = ZoneBuilder()
        self.key: tuple[object, ...] = ()
        self.zone: ClusterZone | None = None


_zones: WeakKeyDictionary[Store, _StoreZone] = WeakKeyDictionary()


def _cluster_zone(cluster: ControlPlane, settings: DnsSettings) -> ClusterZone:
    store = cluster.store
    key = (store.resource_version, *(store.count(kind) for kind in ZONE_KINDS), settings)
    cached = _zones.get(store)
    if cached is None:
        cached = _zones[store] = _StoreZone()
    if cached.zone is not None and cached.key == key and not store.in_transaction:
        return cached.zone
    zone = cached.builder.build(
        store.list("Service"), store.list("EndpointSlice"), store.list("Namespace"), settings
    )
    if not store.in_transaction:
        cached.key, cached.zone = key, zone
    return zone


def cluster_dns_state(
    cluster: ControlPlane,
    upstream_hosts: Mapping[str, Iterable[str]] | None = None,
    node_search: tuple[str, ...] = (),
) -> DnsState:
    """The DNS state of a kind cluster: kube-dns at the service CIDR's 10th address, its domain,
    and Docker's DNS as upstream, knowing the node containers by name (plus `upstream_hosts`),
    with a resolver beyond it only when the cluster's `internet` setting says so."""
    kind = cluster.settings
    settings = DnsSettings(domain=kind.cluster_domain, dns_ip=kind.service_ip(10))
    hosts: dict[str, list[str]] = {}
    for node in cluster.store.list("Node"):
        for address in (node.get("status") or {}).get("addresses") or ():
            if address.get("type") == "InternalIP":
                hosts.setdefault(node["metadata"]["name"], []).append(address["address"])
    hosts.update({name: list(ips) for name, ips in (upstream_hosts or {}).items()})
    return DnsState(
        CoreDns(_cluster_zone(cluster, settings), Upstream(hosts, reachable=kind.internet)),
        kind_node_resolv_conf(kind.node_network, node_search),
    )


def zone_records(state: DnsState) -> list[Record]:
    """Every record CoreDNS serves for the Services, asked name by name: dns-version, A/AAAA,
    SRV per named port, CNAME, headless endpoint names and PTRs (pod names are left out: with
    `pods insecure` any IP-shaped label in an existing namespace answers)."""
    coredns = state.coredns
    zone, primary = coredns.zone, coredns.primary
    questions = [(f"dns-version.{primary}", "TXT")]
    ips: dict[str, None] = {}
    for svc in zone.services.values():
        base = f"{svc.name}.{svc.namespace}.svc.{primary}"
        if svc.type == "ExternalName":
            questions.append((base, "CNAME"))
            continue
        questions += [(base, "A"), (base, "AAAA")]
        questions += [
            (f"_{p.name}._{p.protocol.lower()}.{base}", "SRV") for p in svc.ports if p.name
        ]
        ips.update((ip, None) for ip in svc.cluster_ips if address_type(ip))
        for eps in zone.endpoint_sets(svc.namespace, svc.name):
            for ip, hostname in eps.addresses:
                ips[ip] = None
                if svc.headless:
                    questions.append((f"{hostname}.{base}", address_type(ip)))
    questions += [(ipaddress.ip_address(ip).reverse_pointer + ".", "PTR") for ip in ips]
    found: dict[Record, None] = {}
    for name, qtype in questions:
        found.update((record, None) for record in coredns.serve(name, qtype).answer)
    return list(found)
