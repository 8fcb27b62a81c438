"""The resolver CoreDNS forwards to: on a kind node, Docker's embedded DNS.

kind's node entrypoint (kubernetes-sigs/kind images/base/files/usr/local/bin/entrypoint,
`enable_network_magic`) rewrites the node's /etc/resolv.conf from Docker's 127.0.0.11 to the
Docker network gateway and DNATs pod traffic for it to Docker's embedded DNS, which answers the
names of the containers on the network (the nodes) itself and forwards everything else to the
host's nameservers (moby/moby libnetwork/resolver.go `forwardExtDNS`).

What it says about any other name depends on the host:

- `reachable=False` (the default: a laptop with no internet, as the workbook's cluster is): the
  host's nameservers never answer; Docker's DNS gives up on each after its I/O timeout (4 s,
  `extIOTimeout`) and, having no answer, replies SERVFAIL (`serveDNS`: "unable to get an answer
  from any of the upstream DNS servers"). CoreDNS's `forward` passes that reply on as it came
  (coredns/coredns plugin/forward/forward.go @ v1.12.0 `ServeDNS` writes the upstream's reply;
  had Docker not answered at all, its own 5 s `defaultTimeout` would end in SERVFAIL too, with
  `no healthy proxies` or the read error in CoreDNS's log). So a pod sees SERVFAIL, seconds late.
- `reachable=True` (a host with internet): the simulation knows no name of the internet, so any
  name outside `hosts` is NXDOMAIN, as a real resolver answers a name that does not exist. Names
  that exist on the internet can be given in `hosts`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from kubenet_nb.network.dns.records import DnsResponse, Record, absolute, address_type

__all__ = ["UPSTREAM_TTL", "Upstream"]

UPSTREAM_TTL = 600
"""The TTL Docker's embedded DNS gives container names."""


class Upstream:
    """Answers A/AAAA for the names in `hosts`, NODATA for their other types, and for any other
    name SERVFAIL (no resolver reachable) or NXDOMAIN (`reachable`); never authoritatively.

    >>> Upstream({"kind-worker": ["172.18.0.3"]}).answer("KIND-WORKER", "A").answer[0].data
    '172.18.0.3'
    >>> Upstream().answer("example.com", "A").rcode
    'SERVFAIL'
    >>> Upstream(reachable=True).answer("example.com", "A").rcode
    'NXDOMAIN'
    """

    def __init__(
        self, hosts: Mapping[str, Iterable[str]] | None = None, *, reachable: bool = False
    ) -> None:
        self.hosts = {absolute(name).lower(): tuple(ips) for name, ips in (hosts or {}).items()}
        self.reachable = reachable

    def answer(self, qname: str, qtype: str) -> DnsResponse:
        qname = absolute(qname)
        ips = self.hosts.get(qname.lower())
        if ips is None:
            rcode = "NXDOMAIN" if self.reachable else "SERVFAIL"
            return DnsResponse(qname, qtype, rcode, source="forward")
        records = tuple(
            Record(qname, qtype, ip, UPSTREAM_TTL) for ip in ips if address_type(ip) == qtype
        )
        return DnsResponse(qname, qtype, "NOERROR", records, source="forward")
