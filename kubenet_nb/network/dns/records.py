"""What CoreDNS's kubernetes plugin knows: Services, ready endpoints and namespaces, indexed.

CoreDNS does not keep a zone file: its informers turn each Service and EndpointSlice into a
stripped-down object (coredns/coredns plugin/kubernetes/object/service.go `ToService`,
object/endpoint.go `EndpointSliceToEndpoints`) filed under "name.namespace" and under their IPs
(controller.go `svcIPIndexFunc`, `epIPIndexFunc`), and answers each question from those indexes.
`ClusterZone` is that cache, built from plain lists of API objects so that tests and the cluster
feed it the same way. Facts kept from upstream (CoreDNS v1.12, the version kubeadm v1.33 installs):

- an endpoint is published when `conditions.ready` is true or unset (`endpointsliceReady`); the
  EndpointSlice controller sets ready for every endpoint of a publishNotReadyAddresses Service, so
  that flag needs no code here; `serving` and `terminating` are not looked at;
- an endpoint without a `hostname` is named by its IP with dashes (`endpointHostname`:
  10.244.1.5 -> 10-244-1-5, fd00::5 -> fd00--5);
- a Service or slice without ports gets one sentinel port numbered -1 (no SRV record for it);
- the TTL of every kubernetes-plugin answer is kind's Corefile `ttl 30` (kubeadm's
  cmd/kubeadm/app/phases/addons/dns/manifests.go); the plugin's own default is 5.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from kubenet_nb.api.well_known import SERVICE_NAME_LABEL
from kubenet_nb.network.parts import Parts

__all__ = [
    "NO_PORT",
    "ClusterZone",
    "DnsResponse",
    "DnsSettings",
    "EndpointSet",
    "Port",
    "Record",
    "ServiceEntry",
    "ZoneBuilder",
    "absolute",
    "address_type",
    "build_zone",
    "endpoint_hostname",
]

NO_PORT = -1


@dataclass(frozen=True)
class DnsSettings:
    """The cluster's DNS knobs: kubelet's --cluster-domain and --cluster-dns, Corefile's ttl."""

    domain: str = "cluster.local"
    dns_ip: str = "10.96.0.10"
    ttl: int = 30


@dataclass(frozen=True)
class Record:
    """One resource record as dig prints it: owner (absolute), TTL, class IN, type, rdata.

    >>> str(Record("kubernetes.default.svc.cluster.local.", "A", "10.96.0.1", 30)).split()
    ['kubernetes.default.svc.cluster.local.', '30', 'IN', 'A', '10.96.0.1']
    """

    name: str
    rtype: str
    data: str
    ttl: int

    def __str__(self) -> str:
        return f"{self.name}\t{self.ttl}\tIN\t{self.rtype}\t{self.data}"


@dataclass(frozen=True)
class DnsResponse:
    """One DNS reply: the question, its rcode and the answer and additional sections."""

    qname: str
    qtype: str
    rcode: str
    answer: tuple[Record, ...] = ()
    additional: tuple[Record, ...] = ()
    authoritative: bool = False
    source: str = "kubernetes"
    """Who produced it: CoreDNS's "kubernetes" plugin, or "forward" (the upstream resolver)."""


def absolute(name: str) -> str:
    """The name with its trailing dot."""
    return name if name.endswith(".") else name + "."


def address_type(host: str) -> str:
    """The record type for an IP address ("A" or "AAAA"), "" for anything else."""
    try:
        return "A" if ipaddress.ip_address(host).version == 4 else "AAAA"
    except ValueError:
        return ""


@dataclass(frozen=True)
class Port:
    """A Service or EndpointSlice port as CoreDNS keeps it (number -1: the no-port sentinel)."""

    name: str
    port: int
    protocol: str


@dataclass(frozen=True)
class ServiceEntry:
    """object.Service: what a Service contributes to DNS."""

    namespace: str
    name: str
    type: str
    cluster_ips: tuple[str, ...]
    external_name: str
    ports: tuple[Port, ...]

    @property
    def headless(self) -> bool:
        return self.cluster_ips[0] == "None"


@dataclass(frozen=True)
class EndpointSet:
    """object.Endpoints made from one EndpointSlice: its ports and its ready addresses.

    `addresses` pairs each ready IP with the hostname CoreDNS gives it.
    """

    namespace: str
    service: str
    slice: str
    ports: tuple[Port, ...]
    addresses: tuple[tuple[str, str], ...]


def endpoint_hostname(ip: str, hostname: str | None) -> str:
    """The endpoint's `hostname`, else its IP with dots (or colons) turned into dashes.

    >>> endpoint_hostname("10.244.1.5", None), endpoint_hostname("fd00::5", "")
    ('10-244-1-5', 'fd00--5')
    >>> endpoint_hostname("10.244.1.5", "web-0")
    'web-0'
    """
    if hostname:
        return hostname
    return ip.replace(".", "-") if "." in ip else ip.replace(":", "-")


def _service_entry(service: dict) -> ServiceEntry:
    meta, spec = service["metadata"], service.get("spec") or {}
    cluster_ips = tuple(spec.get("clusterIPs") or (spec.get("clusterIP") or "",))
    ports = tuple(
        Port(p.get("name") or "", int(p["port"]), p.get("protocol") or "TCP")
        for p in spec.get("ports") or ()
    )
    return ServiceEntry(
        namespace=meta.get("namespace") or "default",
        name=meta["name"],
        type=spec.get("type") or "ClusterIP",
        cluster_ips=cluster_ips,
        external_name=spec.get("externalName") or "",
        ports=ports or (Port("", NO_PORT, ""),),
    )


def _endpoint_set(endpoint_slice: dict) -> EndpointSet | None:
    meta = endpoint_slice["metadata"]
    service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
    if not service or endpoint_slice.get("addressType") not in ("IPv4", "IPv6"):
        return None
    ports = tuple(
        Port(
            p.get("name") or "",
            NO_PORT if p.get("port") is None else int(p["port"]),
            p.get("protocol") or "",
        )
        for p in endpoint_slice.get("ports") or ()
    )
    addresses = tuple(
        (ip, endpoint_hostname(ip, endpoint.get("hostname")))
        for endpoint in endpoint_slice.get("endpoints") or ()
        if (endpoint.get("conditions") or {}).get("ready") is not False
        for ip in endpoint.get("addresses") or ()
    )
    return EndpointSet(
        namespace=meta.get("namespace") or "default",
        service=service,
        slice=meta.get("name") or "",
        ports=ports or (Port("", NO_PORT, ""),),
        addresses=addresses,
    )


class ClusterZone:
    """The kubernetes plugin's cache: Services by name and ClusterIP, ready endpoints by Service
    and IP, and the namespaces that exist (a name in a missing namespace is NXDOMAIN). The
    indexes by IP, which only reverse lookups read, are made on first use."""

    def __init__(
        self,
        services: Iterable[ServiceEntry],
        endpoints: Iterable[EndpointSet],
        namespaces: Iterable[str],
        settings: DnsSettings,
    ) -> None:
        self.settings = settings
        self.namespaces = frozenset(n.lower() for n in namespaces)
        self._services = sorted(services, key=_SERVICE_ORDER)
        self.services: dict[tuple[str, str], ServiceEntry] = {
            (svc.namespace.lower(), svc.name.lower()): svc for svc in self._services
        }
        self._endpoints = sorted(endpoints, key=_ENDPOINT_ORDER)
        self.endpoints: dict[tuple[str, str], list[EndpointSet]] = {}
        for eps in self._endpoints:
            self.endpoints.setdefault((eps.namespace.lower(), eps.service.lower()), []).append(eps)

    @cached_property
    def services_by_ip(self) -> dict[str, list[ServiceEntry]]:
        found: dict[str, list[ServiceEntry]] = {}
        for svc in self._services:
            for ip in svc.cluster_ips:
                if address_type(ip):
                    found.setdefault(ip, []).append(svc)
        return found

    @cached_property
    def endpoints_by_ip(self) -> dict[str, list[EndpointSet]]:
        found: dict[str, list[EndpointSet]] = {}
        for eps in self._endpoints:
            for ip in dict.fromkeys(ip for ip, _ in eps.addresses):
                found.setdefault(ip, []).append(eps)
        return found

    def service(self, namespace: str, name: str) -> ServiceEntry | None:
        return self.services.get((namespace.lower(), name.lower()))

    def endpoint_sets(self, namespace: str, service: str) -> list[EndpointSet]:
        return self.endpoints.get((namespace.lower(), service.lower()), [])


_SERVICE_ORDER = attrgetter("namespace", "name")
_ENDPOINT_ORDER = attrgetter("namespace", "service", "slice")


class ZoneBuilder:
    """Builds the zone version after version: each Service and EndpointSlice is read once per
    stored dict (`Parts`), and a version costs sorting and indexing the entries."""

    def __init__(self) -> None:
        self._services = Parts(_service_entry)
        self._slices = Parts(_endpoint_set)

    def build(
        self,
        services: Iterable[dict],
        endpoint_slices: Iterable[dict],
        namespaces: Iterable[dict],
        settings: DnsSettings | None = None,
    ) -> ClusterZone:
        """The cache CoreDNS would hold for these API objects (see `build_zone`)."""
        return ClusterZone(
            self._services.of(list(services)),
            filter(None, self._slices.of(list(endpoint_slices))),
            (n["metadata"]["name"] for n in namespaces),
            settings or DnsSettings(),
        )


def build_zone(
    services: Iterable[dict],
    endpoint_slices: Iterable[dict],
    namespaces: Iterable[dict],
    settings: DnsSettings | None = None,
) -> ClusterZone:
    """The cache CoreDNS would hold for these API objects (Service, EndpointSlice, Namespace).

    Slices without the kubernetes.io/service-name label belong to no Service; FQDN slices are
    left out (their "addresses" are names, which the plugin cannot answer with).
    """
    return ZoneBuilder().build(services, endpoint_slices, namespaces, settings)
