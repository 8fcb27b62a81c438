"""IP addresses and CIDRs as kube-proxy reads and prints them (k8s.io/utils/net, Go's net).

Go's old `net.ParseIP` accepted leading zeros as decimal ("010.001.002.003"); the API server
still lets such values through in some fields, and kube-proxy normalises them (TestBadIPs).
The address parser itself is kubenet_nb.api.ip_addresses.parse_ip_sloppy, shared with the API.
"""

from __future__ import annotations

from functools import lru_cache

from kubenet_nb.api.ip_addresses import IPAddress, IPNetwork, parse_cidr_sloppy, parse_ip_sloppy

__all__ = [
    "IPNetwork",
    "host_port",
    "ip_family",
    "ip_text",
    "parse_cidr_sloppy",
]


@lru_cache(maxsize=65536)
def ip_text(text: str) -> str | None:
    """The normalised text of an address (Go's `ParseIPSloppy(text).String()`), None if invalid.

    >>> ip_text("10.180.00.001"), ip_text("FD00::0001"), ip_text("nope")
    ('10.180.0.1', 'fd00::1', None)
    """
    address = parse_ip_sloppy(text)
    return None if address is None else str(address)


def ip_family(address: IPAddress) -> str:
    return "IPv4" if address.version == 4 else "IPv6"


def host_port(ip: str, port: int) -> str:
    """Go's `net.JoinHostPort(ip, port)`: IPv6 addresses in brackets.

    >>> host_port("10.0.0.1", 80), host_port("fd00::1", 80)
    ('10.0.0.1:80', '[fd00::1]:80')
    """
    return f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
