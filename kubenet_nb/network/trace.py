"""`trace`: what happens to one connection, step by step, from name lookup to the reply.

The walk evaluates the rules `iptables_save` prints for each node it crosses (parsed, never
re-derived), the answers the cluster DNS gives, and kind's routes. A `Trace` holds the hops,
the verdict (`delivered`, `refused`, `timeout`, `nxdomain`, `nodata`, `servfail`, or
`dns-timeout` when no DNS server answered), the backend
pod and the source address the backend saw; it renders as text, as a pandas DataFrame and as
an HTML table in a notebook.
"""

from __future__ import annotations

import html
import ipaddress
import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from kubenet_nb.api.errors import KubenetError, NotFound
from kubenet_nb.network.clients import client_for, protocol_name, split_destination
from kubenet_nb.network.dataplane import View, dataplane, default_proxy
from kubenet_nb.network.dns_path import DNS_TIMEOUT, dns_drop
from kubenet_nb.network.hops import Client, Hop, Result
from kubenet_nb.network.lookup import dns_hops, dns_verdict, lookup
from kubenet_nb.network.netfilter import host_port
from kubenet_nb.network.policy import PolicyVerdict
from kubenet_nb.network.proxy import ProxySettings
from kubenet_nb.network.walk import Connection

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["COLUMNS", "Steps", "Trace", "TraceRequest", "prepare", "trace"]

COLUMNS = ("stage", "node", "table", "chain", "rule", "action", "src", "dst")
"""The columns of `Trace.to_frame()`, one row per hop."""

_MOVES = ("DNAT", "MASQUERADE", "DROP", "REJECT")
"""The actions `Trace.steps` always keeps: they rewrite the packet's addresses or stop it."""


class Steps(str):
    """Lines of text that a notebook shows as they are, whether printed or left last in a cell
    (the repr is the text itself, so the cell's output is the same lines either way)."""

    def __repr__(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Trace:
    """One connection's path through the cluster."""

    source: str
    """Who sent it (`pod default/client (10.244.1.2 on kind-worker)`)."""
    destination: str
    """What the sender asked for, with the port and protocol (`webapp1:80/TCP`)."""
    target: str
    """The address it went to and what that address is (`10.96.0.10:53, cluster IP of …`)."""
    hops: tuple[Hop, ...]
    verdict: str
    reason: str
    backend: dict | None = None
    endpoint: str | None = None
    node: str | None = None
    """The node where it ended (the backend's node when delivered)."""
    source_seen: str | None = None
    """The source address the backend saw (the client's, or a masquerading node's)."""
    peer: str | None = None
    """The source address and port the backend saw (`ip:port`)."""
    entry_node: str | None = None
    """For an outside client: the node the packet entered the cluster on."""
    policy: PolicyVerdict | None = None
    """The NetworkPolicy verdict the connection met, with why (None: no policy judged it)."""

    @property
    def backend_name(self) -> str | None:
        if self.backend is None:
            return None
        meta = self.backend["metadata"]
        return f"{meta.get('namespace', 'default')}/{meta['name']}"

    def to_frame(self) -> pd.DataFrame:
        """The hops as a table with the columns in `COLUMNS`."""
        rows = [[getattr(hop, column) for column in COLUMNS] for hop in self.hops]
        return pd.DataFrame(rows, columns=list(COLUMNS))

    def summary(self) -> str:
        """The verdict in a sentence or two."""
        text = f"{self.verdict}: {self.reason}"
        if self.source_seen is not None and self.verdict == "delivered":
            text += f"; the backend saw the client as {self.source_seen}"
        return text

    def steps(self, chains: str | Iterable[str] = ()) -> Steps:
        """The hops that move the packet (DNS, routing, delivery, the reply), the rules that
        rewrite its addresses or stop it, then the verdict; `chains` adds the rules that
        matched in chains whose names start with one of these prefixes."""
        prefixes = (chains,) if isinstance(chains, str) else tuple(chains)
        lines = []
        for hop in self.hops:
            shown = hop.action.startswith(_MOVES) or (
                bool(prefixes) and hop.chain.startswith(prefixes) and bool(hop.rule)
            )
            if hop.stage != "netfilter" or shown:
                where = f"{hop.chain}: " if hop.stage == "netfilter" else ""
                lines.append(f"{hop.stage:<9} {hop.node:<18} {where}{hop.action}")
        lines.append(self.summary())
        return Steps("\n".join(lines))

    def __str__(self) -> str:
        lines = [f"trace {self.source} → {self.destination}", f"  to {self.target}"]
        packet = ("", "")
        for number, hop in enumerate(self.hops, start=1):
            where = f"{hop.table} {hop.chain}".strip()
            line = f"{number:>3} {hop.stage:<9} {hop.node:<20} {where:<30} {hop.action}"
            if (hop.src, hop.dst) != packet and hop.src:
                line += f"   [{hop.src} → {hop.dst}]"
                packet = (hop.src, hop.dst)
            lines.append(line.rstrip())
            if hop.rule:
                lines.append(f"{'':>34}{hop.rule}")
        lines.append(self.summary())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = html.escape(f"trace {self.source} → {self.destination} (to {self.target})")
        table = self.to_frame().to_html(index=False, escape=True)
        return f"<p><b>{head}</b></p>{table}<p>{html.escape(self.summary())}</p>"


def _target(view: View, ip: str, port: int, proto: str) -> str:
    where = host_port(ip, port)
    found = view.wiring.services_at(ip, port, proto)
    if found:
        names = ", ".join(f"{how} of {sp.name_string}" for sp, how in found)
        return f"{where}, {names}"
    if ip in view.wiring.pods:
        return f"{where}, pod {view.wiring.pods[ip].name}"
    if ip in view.wiring.node_by_ip:
        return f"{where}, node {view.wiring.node_by_ip[ip]}"
    return where


@dataclass(frozen=True)
class TraceRequest:
    """A sender, a destination resolved to an address, and how the name was looked up."""

    client: Client
    host: str
    port: int
    proto: str
    ip: str | None
    dns: tuple[Hop, ...]
    failure: str | None
    """The DNS verdict when the name did not resolve."""
    why: str = ""
    """Why it did not resolve, when the queries got no answer at all."""


def prepare(
    cluster: ControlPlane,
    view: View,
    src: str | dict,
    dst: str,
    port: int | None,
    protocol: str,
    via: str | None,
    rng: random.Random,
) -> TraceRequest:
    """Resolve the sender and the destination (through DNS when it is a name: the first
    query's packet is walked when a NetworkPolicy could drop it, drawing from `rng`)."""
    client = client_for(cluster.store, view.wiring, src)
    host, number = split_destination(dst, port)
    proto = protocol_name(protocol)
    if via is not None:
        if client.kind != "external":
            raise KubenetError("via names the entry node of an outside client only")
        if via not in view.wiring.nodes:
            raise NotFound("nodes", via)
    try:
        ip = str(ipaddress.ip_address(host))
    except ValueError:
        dropped = dns_drop(cluster, view, client, host, rng)
        if dropped is not None:
            failure = (DNS_TIMEOUT, dropped.reason)
            return TraceRequest(client, host, number, proto, None, dropped.hops, *failure)
        answer = lookup(cluster, client, host, "AAAA" if view.proxy.ipv6 else "A")
        hops = tuple(dns_hops(client, answer))
        if not answer.addresses:
            return TraceRequest(client, host, number, proto, None, hops, dns_verdict(answer))
        return TraceRequest(client, host, number, proto, answer.addresses[0], hops, None)
    return TraceRequest(client, host, number, proto, ip, (), None)


def trace(
    cluster: ControlPlane,
    src: str | dict,
    dst: str,
    port: int | None = None,
    protocol: str = "TCP",
    seed: int | None = None,
    *,
    via: str | None = None,
    proxy: ProxySettings | None = None,
) -> Trace:
    """Trace one new connection from `src` to `dst` through the cluster as it is now.

    `seed` fixes the random choices (backend, source ports); without it they come from the
    cluster's traffic generator. `via` sends an outside client's packet to that node. The
    connection leaves state behind as a real one does (ClientIP affinity's `recent` lists).
    """
    proxy = proxy or default_proxy(cluster)
    plane = dataplane(cluster)
    view = plane.view(cluster, proxy)
    rng = random.Random(seed) if seed is not None else plane.rng
    request = prepare(cluster, view, src, dst, port, protocol, via, rng)
    destination = f"{host_port(request.host, request.port)}/{request.proto.upper()}"
    if request.ip is None:
        reason = request.why or f"{request.host} does not resolve ({request.failure})"
        return Trace(
            request.client.label,
            destination,
            request.host,
            request.dns,
            request.failure or "",
            reason,
        )
    connection = Connection(view, rng, cluster.clock.seconds, record=True)
    result: Result = connection.open(request.client, request.ip, request.port, request.proto, via)
    return Trace(
        source=request.client.label,
        destination=destination,
        target=_target(view, request.ip, request.port, request.proto),
        hops=request.dns + tuple(result.hops),
        verdict=result.verdict,
        reason=result.reason,
        backend=result.backend,
        endpoint=result.endpoint,
        node=result.node,
        source_seen=result.source_seen if result.endpoint is not None else None,
        peer=result.peer if result.endpoint is not None else None,
        entry_node=result.entry_node,
        policy=result.policy,
    )
