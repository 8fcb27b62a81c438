"""CoreDNS as kind's Corefile runs it: the kubernetes plugin answers its zones, forward the rest.

The Corefile (kubeadm cmd/kubeadm/app/phases/addons/dns/manifests.go) reads
`kubernetes cluster.local in-addr.arpa ip6.arpa { pods insecure; fallthrough in-addr.arpa
ip6.arpa; ttl 30 }` then `forward . /etc/resolv.conf`. The logic below follows CoreDNS v1.12's
plugin/kubernetes (handler.go ServeDNS, kubernetes.go Services/Records/findServices/findPods,
parse.go parseRequest, reverse.go serviceRecordForIP) and plugin/backend_lookup.go (A, AAAA, SRV,
TXT, CNAME, PTR). What decides NXDOMAIN against NODATA (NOERROR, empty answer):

- NXDOMAIN when the name does not parse as `[x.[y.]]<svc|pod>.<ns>.<svc|pod>.<zone>`, when the
  namespace does not exist, when no Service/port/endpoint matches, when a headless Service has no
  ready endpoint, or when a pod label is not an IP with dashes;
- NODATA for the zone apex, `svc.<zone>`, `pod.<zone>`, `<ns>.svc.<zone>` of an existing
  namespace, a name that exists without records of the asked type (AAAA of an IPv4 Service, SRV of
  an ExternalName), any TXT name but `dns-version.<zone>`;
- reverse names that match nothing fall through to `forward`, as do all names outside the zones.

Answers use the question's own spelling for owner names (CoreDNS echoes `state.QName()`), and the
`loadbalance` plugin's shuffling of A/AAAA records is not reproduced: records come in slice order.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

from kubenet_nb.network.dns.records import (
    NO_PORT,
    ClusterZone,
    DnsResponse,
    Record,
    absolute,
    address_type,
)
from kubenet_nb.network.dns.upstream import Upstream

__all__ = ["SCHEMA_VERSION", "CoreDns"]

SCHEMA_VERSION = "1.1.0"
VERSION_TTL = 28800
"""kubernetes.go: the dns-version TXT record has its own TTL."""
UNMODELLED = ("SOA", "NS", "AXFR", "IXFR")


class _NoSuchName(Exception):
    """errNoItems / errNsNotExposed / errInvalidRequest: the plugin's name errors."""


@dataclass(frozen=True)
class _Item:
    """msg.Service: an address (or a CNAME target, or a text) found for a question."""

    host: str
    port: int = 0
    owner: str = ""
    """msg.Domain(key): the name an SRV record points at."""
    text: str = ""

    def host_type(self) -> str:
        if self.text:
            return "TXT"
        return address_type(self.host) or "CNAME"


def _is_subdomain(parent: str, child: str) -> bool:
    return child == parent or child.endswith("." + parent)


def _strip_underscore(label: str) -> str:
    return label[1:] if label.startswith("_") else label


def _match_port(q_port: str, port: str, q_protocol: str, protocol: str) -> bool:
    return q_port in ("", port.lower()) and q_protocol in ("", protocol.lower())


def _address_from_reverse(name: str) -> str:
    """dnsutil.ExtractAddressFromReverse: the IP a full reverse name stands for, else ""."""
    for suffix, size, sep, version in ((".in-addr.arpa.", 4, ".", 4), (".ip6.arpa.", 32, "", 6)):
        if name.endswith(suffix):
            labels = name[: -len(suffix)].split(".")[::-1]
            if len(labels) != size:
                return ""
            text = sep.join(labels)
            if version == 6:
                text = ":".join(text[i : i + 4] for i in range(0, 32, 4))
            try:
                ip = ipaddress.ip_address(text)
            except ValueError:
                return ""
            return str(ip) if ip.version == version else ""
    return ""


class CoreDns:
    """The cluster DNS server at the kube-dns ClusterIP, answering from a `ClusterZone`."""

    def __init__(self, zone: ClusterZone, upstream: Upstream | None = None) -> None:
        self.zone = zone
        self.upstream = upstream or Upstream()
        self.primary = absolute(zone.settings.domain.strip(".").lower())
        self.zones = (self.primary, "in-addr.arpa.", "ip6.arpa.")

    def serve(self, qname: str, qtype: str = "A") -> DnsResponse:
        """Answer one question as the whole server does (kubernetes plugin, then forward)."""
        qname, qtype = absolute(qname), qtype.upper()
        if qtype in UNMODELLED:
            raise ValueError(f"query type {qtype} is not modelled")
        name = qname.lower()
        matching = [z for z in self.zones if _is_subdomain(z, name)]
        if not matching:
            return self.upstream.answer(qname, qtype)
        zone = max(matching, key=len)
        zone_text = qname[len(qname) - len(zone) :]
        try:
            answer, additional = self._dispatch(qname, zone_text, qtype)
        except _NoSuchName:
            if zone != self.primary:
                return self.upstream.answer(qname, qtype)
            return DnsResponse(qname, qtype, "NXDOMAIN", authoritative=True)
        return DnsResponse(qname, qtype, "NOERROR", tuple(answer), tuple(additional), True)

    def _dispatch(self, qname: str, zone: str, qtype: str) -> tuple[list[Record], list[Record]]:
        if qtype in ("A", "AAAA"):
            return self._address(qname, zone, qtype, ()), []
        if qtype == "SRV":
            return self._srv(qname, zone)
        if qtype == "PTR":
            return self._ptr(qname, zone), []
        items = self._services(qname, zone, qtype)
        ttl = self.zone.settings.ttl
        if qtype == "TXT":
            return [Record(qname, "TXT", f'"{i.text}"', VERSION_TTL) for i in items[:1]], []
        if qtype == "CNAME" and items and items[0].host_type() == "CNAME":
            return [Record(qname, "CNAME", absolute(items[0].host), ttl)], []
        return [], []

    # -- kubernetes.go: Services, Records, findServices, findPods ------------------------------

    def _services(self, qname: str, zone: str, qtype: str) -> list[_Item]:
        name = qname.lower()
        if qtype == "TXT":
            base = name[: -len(zone)].rstrip(".")
            return [_Item("", text=SCHEMA_VERSION)] if base == "dns-version" else []
        if name == "ns.dns." + zone.lower():
            ip = self.zone.settings.dns_ip
            return [_Item(ip, owner=qname)] if address_type(ip) == qtype else []
        items = self._records(name, zone)
        return [i for i in items if i.host_type() != "CNAME"] if qtype == "SRV" else items

    def _records(self, name: str, zone: str) -> list[_Item]:
        base = name[: -len(zone)].rstrip(".")
        if base in ("", "svc", "pod"):
            return []
        segs = base.split(".")
        kind = segs[-1]
        if kind not in ("svc", "pod") or len(segs) > 5:
            raise _NoSuchName
        namespace = segs[-2]
        service = segs[-3] if len(segs) > 2 else ""
        rest = segs[:-3]
        endpoint = port = protocol = ""
        if len(rest) == 1:
            endpoint = rest[0]
        elif len(rest) == 2:
            port, protocol = _strip_underscore(rest[0]), _strip_underscore(rest[1])
        if name.endswith((".in-addr.arpa.", ".ip6.arpa.")) or namespace not in self.zone.namespaces:
            raise _NoSuchName
        if kind == "pod":
            return self._pods(namespace, service, zone)
        return self._find_services(namespace, service, endpoint, port, protocol, zone)

    def _pods(self, namespace: str, label: str, zone: str) -> list[_Item]:
        if not label:
            return []
        dotted = label.count("-") == 3 and "--" not in label
        ip = label.replace("-", "." if dotted else ":")
        if not address_type(ip):
            raise _NoSuchName
        return [_Item(ip, owner=f"{label}.{namespace}.pod.{zone}")]

    def _find_services(
        self, namespace: str, service: str, endpoint: str, port: str, protocol: str, zone: str
    ) -> list[_Item]:
        if not service:
            return []
        svc = self.zone.service(namespace, service)
        items: list[_Item] = []
        found = False
        if svc is not None:
            owner = f"{svc.name}.{svc.namespace}.svc.{zone}"
            if svc.type == "ExternalName":
                item = _Item(svc.external_name, owner=owner)
                if not endpoint and item.host_type() == "CNAME":
                    items.append(item)
                    found = True
            elif svc.headless or endpoint:
                for eps in self.zone.endpoint_sets(svc.namespace, svc.name):
                    for ip, hostname in eps.addresses:
                        if endpoint and endpoint != hostname.lower():
                            continue
                        for p in eps.ports:
                            if _match_port(port, p.name, protocol, p.protocol):
                                items.append(_Item(ip, p.port, f"{hostname}.{owner}"))
                                found = True
            else:
                for p in svc.ports:
                    if _match_port(port, p.name, protocol, p.protocol):
                        found = True
                        items.extend(_Item(ip, p.port, owner) for ip in svc.cluster_ips)
        if not found:
            raise _NoSuchName
        return items

    # -- backend_lookup.go: A/AAAA (with CNAME chasing), SRV, PTR -------------------------------

    def _address(
        self, qname: str, zone: str, qtype: str, previous: tuple[Record, ...]
    ) -> list[Record]:
        records: list[Record] = []
        seen: set[str] = set()
        ttl = self.zone.settings.ttl
        for item in self._services(qname, zone, qtype):
            kind = item.host_type()
            if kind == qtype and item.host not in seen:
                seen.add(item.host)
                records.append(Record(qname, qtype, str(ipaddress.ip_address(item.host)), ttl))
            if kind != "CNAME":
                continue
            target = absolute(item.host)
            if _is_subdomain(qname.lower(), target.lower()) or len(previous) > 7:
                continue
            cname = Record(qname, "CNAME", target, ttl)
            if any(r.rtype == "CNAME" and r.data == target for r in previous):
                continue
            if _is_subdomain(zone.lower(), target.lower()):
                try:
                    chased = self._address(target, zone, qtype, (*previous, cname))
                except _NoSuchName:
                    continue
                records.extend([cname, *chased] if chased else [])
                continue
            records.extend([cname, *self.serve(target, qtype).answer])
        return records

    def _srv(self, qname: str, zone: str) -> tuple[list[Record], list[Record]]:
        items = self._services(qname, zone, "SRV")
        records: list[Record] = []
        additional: list[Record] = []
        seen: set[tuple[str, str | int]] = set()
        ttl = self.zone.settings.ttl
        for item in items:
            if item.port == NO_PORT:
                continue
            weight = max(1, math.floor(100.0 / (100 * len(items)) * 100))
            target = absolute(item.owner)
            if (target, item.port) not in seen:
                seen.add((target, item.port))
                records.append(Record(qname, "SRV", f"0 {weight} {item.port} {target}", ttl))
            if (target, item.host) not in seen:
                seen.add((target, item.host))
                ip = str(ipaddress.ip_address(item.host))
                additional.append(Record(target, item.host_type(), ip, ttl))
        return records, additional

    def _ptr(self, qname: str, zone: str) -> list[Record]:
        ip = _address_from_reverse(qname.lower())
        if not ip:
            self._records(qname.lower(), zone)
            return []
        hosts = self._reverse(ip)
        if not hosts:
            raise _NoSuchName
        ttl = self.zone.settings.ttl
        return [Record(qname, "PTR", host, ttl) for host in dict.fromkeys(hosts)]

    def _reverse(self, ip: str) -> list[str]:
        """serviceRecordForIP: the first Service with that ClusterIP, else every ready endpoint."""
        for svc in self.zone.services_by_ip.get(ip, ()):
            return [f"{svc.name}.{svc.namespace}.svc.{self.primary}"]
        return [
            f"{hostname}.{eps.service}.{eps.namespace}.svc.{self.primary}"
            for eps in self.zone.endpoints_by_ip.get(ip, ())
            for address, hostname in eps.addresses
            if address == ip
        ]
