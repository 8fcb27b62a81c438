"""The resolver CoreDNS forwards to: on a kind node, Docker's embedded DNS, with no internet.

kind's node entrypoint (kubernetes-sigs/kind images/base/files/usr/local/bin/entrypoint,
`enable_network_magic`) rewrites the node's /etc/resolv.conf from Docker's 127.0.0.11 to the
Docker network gateway and DNATs pod traffic for it to Docker's embedded DNS, which answers the
names of the containers on the network (the nodes) and passes everything else to the host. The
workbook has no internet, so any other name is NXDOMAIN unless `hosts` says otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kubenet_nb.network.dns.records import DnsResponse, Record, absolute, address_type

__all__ = ["UPSTREAM_TTL", "Upstream"]

UPSTREAM_TTL = 600
"""The TTL Docker's embedded DNS gives container names."""


class Upstream:
    """Answers A/AAAA for the names in `hosts`, NODATA for their other types, NXDOMAIN otherwise;
    never authoritatively.

    >>> Upstream({"kind-worker": ["172.18.0.3"]}).answer("KIND-WORKER", "A").answer[0].data
    '172.18.0.3'
    >>> Upstream().answer("example.com", "A").rcode
    'NXDOMAIN'
    """

    def __init__(self, hosts: Mapping[str, Iterable[str]] | None = None) -> None:
        self.hosts = {absolute(name).lower(): tuple(ips) for name, ips in (hosts or {}).items()}

    def answer(self, qname: str, qtype: str) -> DnsResponse:
        qname = absolute(qname)
        ips = self.hosts.get(qname.lower())
        if ips is None:
            return DnsResponse(qname, qtype, "NXDOMAIN", source="forward")
        records = tuple(
            Record(qname, qtype, ip, UPSTREAM_TTL) for ip in ips if address_type(ip) == qtype
        )
        return DnsResponse(qname, qtype, "NOERROR", records, source="forward")
