"""Cluster DNS: CoreDNS's answers, the pods' resolv.conf and resolver, and nslookup's output."""

from __future__ import annotations

from kubenet_nb.network.dns.coredns import CoreDns
from kubenet_nb.network.dns.nslookup import NslookupResult, nslookup
from kubenet_nb.network.dns.records import DnsResponse, DnsSettings, Record, build_zone
from kubenet_nb.network.dns.resolvconf import ResolvConf, pod_resolv_conf
from kubenet_nb.network.dns.resolver import Answer, resolve
from kubenet_nb.network.dns.state import DnsState, cluster_dns_state, dns_state, zone_records
from kubenet_nb.network.dns.upstream import Upstream

__all__ = [
    "Answer",
    "CoreDns",
    "DnsResponse",
    "DnsSettings",
    "DnsState",
    "NslookupResult",
    "Record",
    "ResolvConf",
    "Upstream",
    "build_zone",
    "cluster_dns_state",
    "dns_state",
    "nslookup",
    "pod_resolv_conf",
    "resolve",
    "zone_records",
]
