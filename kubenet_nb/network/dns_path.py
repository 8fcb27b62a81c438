"""Whether a pod's DNS queries reach CoreDNS at all: the query's packet through the rules.

A query is a new UDP flow from the pod to its nameserver (the kube-dns ClusterIP) on port 53:
kube-proxy DNATs it to a CoreDNS pod, and kindnetd's policy hook judges it there, after the
DNAT (kube-network-policies v0.8.0 `addDNSRacersWorkaroundRules`). A dropped query gets no
answer, nor do its retries: the resolver gives up after its timeouts, whatever the name. Walked
only when some NetworkPolicy exists (nothing else in the model drops a query), so clusters
without policies draw nothing from the traffic generator for it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubenet_nb.network.clients import client_for
from kubenet_nb.network.dataplane import View, dataplane, default_proxy
from kubenet_nb.network.dns import cluster_dns_state
from kubenet_nb.network.hops import Client, Hop, Result
from kubenet_nb.network.lookup import DNS_PORT
from kubenet_nb.network.netfilter import host_port
from kubenet_nb.network.walk import Connection

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.network.proxy import ProxySettings

__all__ = ["DNS_TIMEOUT", "DnsDrop", "dns_drop", "pod_dns_drop"]

DNS_TIMEOUT = "dns-timeout"
"""The verdict of a trace whose name lookup got no answer."""


@dataclass(frozen=True)
class DnsDrop:
    """A query that never reaches a DNS server: where it went and why it stopped."""

    server: str
    hops: tuple[Hop, ...]
    reason: str


def dns_drop(
    cluster: ControlPlane, view: View, client: Client, name: str, rng: random.Random
) -> DnsDrop | None:
    """The fate of a pod's first query for `name` to its nameserver (port 53/UDP) when a
    NetworkPolicy drops it; None when it gets through (or nothing could drop it)."""
    if client.pod is None or client.host_network or not view.policies.active:
        return None
    servers = cluster_dns_state(cluster).resolv_conf(client.pod).nameservers
    if not servers:
        return None
    server, now, drawn = servers[0], cluster.clock.seconds, rng.getstate()
    quiet = Connection(view, rng, now, record=False).open(client, server, DNS_PORT, "udp")
    if quiet.policy is None or quiet.policy.allowed:
        return None
    rng.setstate(drawn)  # the same draws again, this time with every hop recorded
    result: Result = Connection(view, rng, now, record=True).open(client, server, DNS_PORT, "udp")
    where = host_port(server, DNS_PORT)
    asked = Hop("dns", client.node or "", action=f"{name}: no answer from {where}")
    reason = f"the DNS query to {where}/UDP gets no answer, nor do its retries: {result.reason}"
    return DnsDrop(server, (asked, *result.hops), reason)


def pod_dns_drop(
    cluster: ControlPlane, pod: dict, name: str, proxy: ProxySettings | None = None
) -> DnsDrop | None:
    """`dns_drop` for a command in a pod (nslookup): the cluster as it is now, the traffic
    generator's draws."""
    plane = dataplane(cluster)
    view = plane.view(cluster, proxy or default_proxy(cluster))
    client = client_for(cluster.store, view.wiring, pod)
    return dns_drop(cluster, view, client, name, plane.rng)
