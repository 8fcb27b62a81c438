"""Name resolution for a trace's sender, through the cluster DNS state (one source of truth).

A pod resolves through its own resolv.conf (search list, ndots:5, via CoreDNS), by the rules of
its image's C library. A node, and an
outside machine on the kind Docker network, use the node's resolv.conf: Docker's DNS, which
knows the node containers by name but nothing of the cluster's zone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenet_nb.network.dns import Answer, cluster_dns_state, resolve
from kubenet_nb.network.dns.resolver import search
from kubenet_nb.network.hops import Client, Hop
from kubenet_nb.network.netfilter import host_port
from kubenet_nb.network.tools.libc import pod_libc

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["dns_hops", "dns_verdict", "lookup"]

DNS_PORT = 53


def lookup(cluster: ControlPlane, client: Client, name: str, qtype: str = "A") -> Answer:
    """What the sender's resolver gets for `name`, with every query it tried."""
    state = cluster_dns_state(cluster)
    if client.pod is not None:
        return resolve(state, name, qtype, client.pod, pod_libc(client.pod))
    conf = state.node_resolv_conf
    server = conf.nameservers[0]
    replies, rcode = search(
        name, conf.searches, conf.ndots, lambda candidate: state.ask(server, candidate, qtype)
    )
    last = replies[-1]
    records = last.answer if last.rcode == "NOERROR" else ()
    return Answer(name, qtype, server, tuple(replies), rcode, records, conf)


def dns_hops(client: Client, answer: Answer) -> list[Hop]:
    """One `dns` hop per query the resolver sent."""
    hops = []
    for query in answer.queries:
        found = [r.data for r in query.answer if r.rtype == answer.qtype]
        shown = f" {', '.join(found)}" if found else ""
        action = f"{query.qname} {query.qtype} → {query.rcode}{shown}"
        server = host_port(answer.server, DNS_PORT)
        hops.append(Hop("dns", client.node or "", action=action, src=client.ip, dst=server))
    return hops


def dns_verdict(answer: Answer) -> str:
    """`nxdomain`, `nodata` (the name exists without an address) or `servfail`."""
    if answer.rcode == "NXDOMAIN":
        return "nxdomain"
    return "nodata" if answer.rcode == "NOERROR" else "servfail"
