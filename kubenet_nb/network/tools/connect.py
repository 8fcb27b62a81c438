"""One TCP connection a tool in a pod opens: the cluster's packet walk, and how long it took.

Every connection is a new one through `trace` (kube-proxy's rules with their random choice,
affinity, traffic policies, masquerading), drawn from the cluster's traffic generator. Time is
simulated only in what the tools print: a refusal or an answer comes back within the same
millisecond; a dropped SYN costs the tool's timeout, or without one the kernel's (about 130 s:
net.ipv4.tcp_syn_retries=6 retransmits after 1+2+4+8+16+32+64 = 127 s, plus timer slack). The
cluster's clock does not move: affinity timeouts and ages stay where they were.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubenet_nb.cluster.listeners import pod_listeners
from kubenet_nb.network.dns_path import DNS_TIMEOUT
from kubenet_nb.network.tools.files import hosts_file
from kubenet_nb.network.tools.process import Context
from kubenet_nb.network.trace import Trace, trace

__all__ = ["KERNEL_CONNECT_TIMEOUT_MS", "ConnectResult", "connect", "elapsed_ms", "hosts_address"]

KERNEL_CONNECT_TIMEOUT_MS = 130_000
RESOLVE_FAILURES = ("nxdomain", "nodata", "servfail", DNS_TIMEOUT)


@dataclass(frozen=True)
class ConnectResult:
    """How a connect() to host:port ended, with the addresses on both sides."""

    host: str
    port: int
    trace: Trace
    ip: str | None
    """The address connected to (after name resolution), None when the name did not resolve."""
    local: str | None
    """The client socket's ip:port."""

    @property
    def verdict(self) -> str:
        return self.trace.verdict

    @property
    def resolved(self) -> bool:
        return self.trace.verdict not in RESOLVE_FAILURES

    @property
    def server_port(self) -> int:
        """The port the accepting socket listens on (after any DNAT)."""
        endpoint = self.trace.endpoint
        return int(endpoint.rsplit(":", 1)[1]) if endpoint else self.port

    @property
    def container(self) -> dict | None:
        """The container whose socket accepted the connection (None for a node's own)."""
        backend, endpoint = self.trace.backend, self.trace.endpoint
        if backend is None or endpoint is None or self.verdict != "delivered":
            return None
        port = int(endpoint.rsplit(":", 1)[1])
        name = next((s.container for s in pod_listeners(backend) if s.port == port), None)
        containers = (backend.get("spec") or {}).get("containers") or []
        return next((c for c in containers if c.get("name") == name), None)


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def hosts_address(context: Context, name: str) -> str | None:
    """The IPv4 address /etc/hosts gives `name` (looked up before DNS: `hosts: files dns`);
    a hostNetwork pod's file is its node's, of which only `localhost` is known here."""
    if (context.pod.get("spec") or {}).get("hostNetwork"):
        return "127.0.0.1" if name == "localhost" else None
    domain = context.cluster.settings.cluster_domain
    for line in hosts_file(context.pod, domain).splitlines():
        fields = line.split()
        if fields and not line.startswith("#") and ":" not in fields[0] and name in fields[1:]:
            return fields[0]
    return None


def connect(context: Context, host: str, port: int, protocol: str = "TCP") -> ConnectResult:
    """Open one new connection (a UDP flow's first datagram for `protocol` UDP) from the
    context's pod to host:port (a name or an address)."""
    literal = hosts_address(context, host) or host
    try:
        ip = ipaddress.ip_address(literal.strip("[]"))
    except ValueError:
        ip = None
    if ip is not None:
        literal = str(ip)
    result = trace(context.cluster, context.pod, literal, port, protocol, None, proxy=context.proxy)
    local = next((hop.src for hop in result.hops if hop.stage == "route" and hop.src), None)
    first = next((hop.dst for hop in result.hops if hop.stage == "route" and hop.dst), None)
    address = _address(first)[0] if first else None
    return ConnectResult(host, port, result, address, local)


def elapsed_ms(connection: ConnectResult, timeout_ms: int | None) -> int:
    """Milliseconds until the tool learnt the outcome (a timeout's, 1 ms past it)."""
    if connection.verdict not in ("timeout", DNS_TIMEOUT):
        return 0
    if timeout_ms is None:
        return KERNEL_CONNECT_TIMEOUT_MS
    return timeout_ms + 1
