"""The path a traced connection took, as steps between the boxes of a topology picture.

Read from the `Trace`: its first packet says who sent it and what address it went to (a
ClusterIP, a load balancer IP, a node port, a pod); its DNAT hop says which node translated it
and to which endpoint; the source address the backend saw says whether it was masqueraded.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubenet_nb.network.trace import Trace
from kubenet_nb.views.topology.scene import internal_ip, object_key

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Workbook

__all__ = ["Path", "Ref", "Step", "plan"]

Ref = tuple[str, ...]
"""A box on the path: ("pod", ns, name), ("svc", ns, name), ("lb", ns, name), ("host", node),
("row", node, nodePort, protocol), ("outside",), ("ip", address) outside the cluster, or
("gone", address) in the pod network with no pod there now."""


@dataclass(frozen=True)
class Step:
    """One edge of the path: from a box to the next, with what happened on the way."""

    tail: Ref
    head: Ref
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Path:
    """Everything the picture needs to draw a trace."""

    steps: tuple[Step, ...]
    caption: str
    verdict: str
    outside: str | None = None
    """How to name the outside client, when the trace starts outside the cluster."""

    @property
    def pods(self) -> frozenset[tuple[str, str]]:
        """The pods on the path: always drawn, never folded."""
        refs = [ref for step in self.steps for ref in (step.tail, step.head)]
        return frozenset((ref[1], ref[2]) for ref in refs if ref[0] == "pod")

    @property
    def services(self) -> frozenset[tuple[str, str]]:
        """The Services on the path (by their box or their load balancer's): always drawn."""
        refs = [ref for step in self.steps for ref in (step.tail, step.head)]
        return frozenset((ref[1], ref[2]) for ref in refs if ref[0] in ("svc", "lb"))


def _split(address: str) -> tuple[str, int]:
    """`10.0.0.1:80` or `[fd00::1]:80` into the host and the port (0 when absent)."""
    if address.startswith("["):
        host, _, rest = address[1:].partition("]")
        return host, int(rest[1:] or 0)
    if address.count(":") == 1:
        host, _, port = address.partition(":")
        return host, int(port or 0)
    return address, 0


def _matches(port: dict, number: int, protocol: str, field: str = "port") -> bool:
    return port.get(field) == number and (port.get("protocol") or "TCP") == protocol


@dataclass(frozen=True)
class _Addresses:
    """Who holds which address in the cluster now."""

    nodes: dict[str, str]
    """InternalIP to node name."""
    pods: dict[str, tuple[str, str]]
    """Pod IP (own network namespace) to (namespace, name)."""
    services: list[dict]
    pod_cidrs: list[ipaddress.IPv4Network | ipaddress.IPv6Network]

    @classmethod
    def of(cls, cluster: Workbook) -> _Addresses:
        nodes = cluster.list("nodes", None)
        return cls(
            nodes={internal_ip(n): n["metadata"]["name"] for n in nodes},
            pods={
                (p.get("status") or {}).get("podIP") or "": object_key(p)
                for p in cluster.list("pods", None)
                if not (p.get("spec") or {}).get("hostNetwork")
            },
            services=cluster.list("services", None),
            pod_cidrs=[
                ipaddress.ip_network(cidr, strict=False)
                for n in nodes
                for cidr in (n.get("spec") or {}).get("podCIDRs") or ()
            ],
        )

    def in_pod_network(self, ip: str) -> bool:
        """Whether a pod could hold the address (it is in a node's pod CIDR)."""
        try:
            address = ipaddress.ip_address(ip)
        except ValueError:
            return False
        return any(address in cidr for cidr in self.pod_cidrs)


def _entry(
    where: _Addresses, trace: Trace, client: Ref, dst: str, dport: int, proto: str
) -> list[Step]:
    """The steps up to the Service (or whatever the client connected to)."""
    nodes, pods = where.nodes, where.pods
    suffix = "" if proto == "TCP" else f"/{proto}"
    to = (f"to {dst}:{dport}{suffix}" if dport else f"to {dst}",)
    for svc in where.services:
        spec, key = svc.get("spec") or {}, object_key(svc)
        ports = spec.get("ports") or ()
        if dst in (spec.get("clusterIPs") or [spec.get("clusterIP")]) and any(
            _matches(p, dport, proto) for p in ports
        ):
            return [Step(client, ("svc", *key), to)]
        ingress = ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
        if dst in [i.get("ip") for i in ingress] and any(_matches(p, dport, proto) for p in ports):
            entry = trace.entry_node or ""
            return [
                Step(client, ("lb", *key), to),
                Step(("lb", *key), ("host", entry), (f"sent to node {entry}",)),
                Step(("host", entry), ("svc", *key), ("kube-proxy's rules",)),
            ]
        if dst in nodes and any(_matches(p, dport, proto, "nodePort") for p in ports):
            row: Ref = ("row", nodes[dst], str(dport), proto)
            if spec.get("externalTrafficPolicy") == "Local":
                return [Step(client, row, to)]
            return [Step(client, row, to), Step(row, ("svc", *key), ("node port",))]
    if dst in pods:
        return [Step(client, ("pod", *pods[dst]), (*to, "straight to the pod, no NAT"))]
    if dst in nodes:
        return [Step(client, ("host", nodes[dst]), to)]
    return [Step(client, ("gone" if where.in_pod_network(dst) else "ip", dst), to)]


def plan(cluster: Workbook, trace: Trace) -> Path:
    """The path of `trace` through the cluster as it is now."""
    if not isinstance(trace, Trace):
        raise TypeError(f"highlight takes a Trace (from c.trace(...)), not {type(trace).__name__}")
    caption = f"trace {trace.source} → {trace.destination}: {trace.summary()}"
    first = next((h for h in trace.hops if h.stage != "dns" and h.src and h.dst), None)
    if first is None:
        return Path((), caption, trace.verdict)
    client_ip, _ = _split(first.src)
    dst, dport = _split(first.dst)
    proto = trace.destination.rpartition("/")[2] or "TCP"
    where = _Addresses.of(cluster)
    nodes, pods = where.nodes, where.pods
    outside = None
    if client_ip in pods:
        client: Ref = ("pod", *pods[client_ip])
    elif client_ip in nodes:
        client = ("host", nodes[client_ip])
    elif where.in_pod_network(client_ip):
        client = ("gone", client_ip)
    else:
        client, outside = ("outside",), f"external client {client_ip}"
    steps = _entry(where, trace, client, dst, dport, proto)
    dnat = next((h for h in trace.hops if h.table == "nat" and h.action.startswith("DNAT")), None)
    masqueraded = trace.source_seen is not None and trace.source_seen != client_ip
    snat = (f"SNAT: the backend sees source {trace.source_seen}",) if masqueraded else ()
    if dnat is not None and trace.endpoint is not None:
        ip, _ = _split(trace.endpoint)
        if trace.backend is not None:
            backend: Ref = ("pod", *object_key(trace.backend))
        elif ip in nodes:
            backend = ("host", nodes[ip])
        else:
            backend = ("ip", ip)
        words = (f"DNAT on {dnat.node} → {trace.endpoint}", *snat)
        steps.append(Step(steps[-1].head, backend, words))
    elif snat:
        steps[-1] = Step(steps[-1].tail, steps[-1].head, steps[-1].lines + snat)
    return Path(tuple(steps), caption, trace.verdict, outside)
