"""One `-A CHAIN …` line of iptables-save (or iptables-restore) text, compiled.

The line is read into its parts by `syntax.split_rule`. The generic header (`[!] -s/-d/-i/-o/-p`)
is kept apart from the `-m` matches because the kernel tests it first (ipt_do_table:
`ip_packet_match`, then each match in written order, stopping at the first that fails); the
matches' tests are compiled in written order, so a `statistic` draw happens only when everything
before it matched, exactly as on a node. The target keeps its options as written.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubenet_nb.network.netfilter.matches import Match, Test, compile_match
from kubenet_nb.network.netfilter.packet import Packet
from kubenet_nb.network.netfilter.syntax import split_rule

__all__ = ["Address", "Rule", "parse_rule"]


@dataclass(frozen=True, slots=True)
class Address:
    """`[!] -s/-d addr[/prefix]` as network integer and mask."""

    network: int
    mask: int
    negated: bool
    text: str

    @property
    def host(self) -> int | None:
        """The single address it names (a /32 or /128 without `!`), for indexing."""
        full = self.mask.bit_length() in (32, 128) and (self.mask + 1) & self.mask == 0
        return self.network if full and not self.negated else None

    def matches(self, ip: int) -> bool:
        return ((ip & self.mask) == self.network) != self.negated


def _address(text: str, negated: bool) -> Address:
    net = ipaddress.ip_network(text, strict=False)
    return Address(int(net.network_address), int(net.netmask), negated, text)


def _interface_test(name: str, negated: bool, outgoing: bool) -> Test:
    prefix = name.endswith("+")
    stem = name[:-1] if prefix else name

    def test(packet: Packet, _env: object) -> bool:
        iface = packet.out_iface if outgoing else packet.in_iface
        hit = iface.startswith(stem) if prefix else iface == stem
        return hit != negated

    return test


@dataclass(frozen=True, slots=True)
class Rule:
    """One rule: where it sits, what it tests, what it does."""

    chain: str
    text: str
    src: Address | None
    dst: Address | None
    proto: str | None
    proto_negated: bool
    matches: tuple[Match, ...]
    target: str
    """`ACCEPT`, `DNAT`, a chain name, …; "" for a rule without one."""
    target_options: tuple[tuple[str, str | None], ...]
    goto: bool
    tests: tuple[tuple[str, Test], ...]
    """(match module or `-i`/`-o`, test) in the kernel's order after the addresses."""

    @property
    def dport(self) -> int | None:
        """The single destination port its protocol match requires, for indexing."""
        for match in self.matches:
            if match.module == self.proto:
                for option, negated, value in match.options:
                    if option in ("--dport", "--destination-port") and value and not negated:
                        return int(value) if value.isdigit() else None
        return None

    def option(self, name: str) -> str | None:
        return next((value for option, value in self.target_options if option == name), None)

    def match(self, module: str) -> Match | None:
        return next((m for m in self.matches if m.module == module), None)


def parse_rule(line: str) -> Rule:
    """Parse `-A CHAIN …`; a ValueError names what kube-proxy never writes and is unsupported."""
    parts = split_rule(line)
    header, matches = parts.header, parts.matches
    compiled = tuple(Match(name, tuple(options)) for name, options in matches)
    tests: list[tuple[str, Test]] = []
    for flag in ("-i", "-o"):
        if flag in header:
            name, negated = header[flag]
            tests.append((flag, _interface_test(name, negated, flag == "-o")))
    for match in compiled:
        test = compile_match(match)
        if test is not None:
            tests.append((match.module, test))
    proto = header.get("-p")
    return Rule(
        chain=parts.chain,
        text=line,
        src=_address(*header["-s"]) if "-s" in header else None,
        dst=_address(*header["-d"]) if "-d" in header else None,
        proto=proto[0].lower() if proto else None,
        proto_negated=proto[1] if proto else False,
        matches=compiled,
        target=parts.target,
        target_options=tuple(parts.target_options),
        goto=parts.goto,
        tests=tuple(tests),
    )
