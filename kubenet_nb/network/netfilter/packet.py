"""A packet as netfilter sees it on one node, and the facts about that node its matches consult.

Addresses are kept as text (for display) and as integers (for matching); set them through
`set_src`/`set_dst` so both stay in step. `ctstate` is the connection's conntrack state on this
node: `NEW` for the first packet of a connection, plus the virtual states `DNAT`/`SNAT` once
a NAT rule rewrote it (`-m conntrack --ctstate DNAT` tests that, KUBE-FIREWALL uses it).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache

from kubenet_nb.network.netfilter.recent import RecentTables

__all__ = ["Host", "Packet", "address", "host_port", "ip_int"]


@lru_cache(maxsize=1 << 16)
def ip_int(ip: str) -> int:
    """The address as an integer (IPv4 and IPv6 alike)."""
    return int(ipaddress.ip_address(ip))


def host_port(ip: str, port: int) -> str:
    """`ip:port`, bracketing IPv6 addresses as Go's net.JoinHostPort does."""
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"


def address(value: str) -> tuple[str, int | None]:
    """Split `ip`, `ip:port` or `[ip6]:port` (as DNAT's --to-destination writes them)."""
    if value.startswith("["):
        ip, _, rest = value[1:].partition("]")
        return ip, int(rest[1:]) if rest.startswith(":") else None
    if value.count(":") == 1:
        ip, _, port = value.partition(":")
        return ip, int(port)
    return value, None


@dataclass(slots=True)
class Packet:
    """The first packet of a connection (what the nat table sees)."""

    src: str
    dst: str
    sport: int
    dport: int
    proto: str = "tcp"
    in_iface: str = ""
    out_iface: str = ""
    mark: int = 0
    ctstate: frozenset[str] = frozenset({"NEW"})
    src_int: int = field(init=False)
    dst_int: int = field(init=False)

    def __post_init__(self) -> None:
        self.src_int = ip_int(self.src)
        self.dst_int = ip_int(self.dst)

    def set_src(self, ip: str, port: int | None = None) -> None:
        self.src, self.src_int = ip, ip_int(ip)
        if port is not None:
            self.sport = port

    def set_dst(self, ip: str, port: int | None = None) -> None:
        self.dst, self.dst_int = ip, ip_int(ip)
        if port is not None:
            self.dport = port

    @property
    def source(self) -> str:
        return host_port(self.src, self.sport)

    @property
    def destination(self) -> str:
        return host_port(self.dst, self.dport)

    def copy(self) -> Packet:
        twin = Packet(self.src, self.dst, self.sport, self.dport, self.proto)
        twin.in_iface, twin.out_iface = self.in_iface, self.out_iface
        twin.mark, twin.ctstate = self.mark, self.ctstate
        return twin


@dataclass
class Host:
    """One node as its rules see it: local addresses, interface addresses, `recent` lists."""

    name: str
    local_ips: frozenset[int]
    """Addresses `-m addrtype --src-type/--dst-type LOCAL` matches (besides 127.0.0.0/8, ::1)."""
    masquerade_address: Callable[[str], str]
    """The address MASQUERADE picks for an output interface (its primary address)."""
    recent: RecentTables = field(default_factory=RecentTables)
    ipv6: bool = False

    def is_local(self, ip: int) -> bool:
        """The routing table's verdict `local` (RTN_LOCAL) for an address."""
        if ip in self.local_ips:
            return True
        return ip == 1 if self.ipv6 else (ip >> 24) == 127
