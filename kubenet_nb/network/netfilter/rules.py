"""One `-A CHAIN …` line of iptables-save (or iptables-restore) text, parsed and compiled.

The generic header (`[!] -s/-d/-i/-o/-p`) is kept apart from the `-m` matches because the
kernel tests it first (ipt_do_table: `ip_packet_match`, then each match in written order,
stopping at the first that fails); the matches' tests are compiled in written order, so a
`statistic` draw happens only when everything before it matched, exactly as on a node.
Options written without their `-m` (`-p tcp --dport 80`, accepted by iptables) belong to the
protocol's match. The target (`-j`, or `-g` for a goto) keeps its options as written.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubenet_nb.network.netfilter.matches import Match, Test, compile_match
from kubenet_nb.network.netfilter.packet import Packet

__all__ = ["Address", "Rule", "parse_rule", "tokens"]

_HEADER = {
    "-s": "-s",
    "--source": "-s",
    "--src": "-s",
    "-d": "-d",
    "--destination": "-d",
    "--dst": "-d",
    "-i": "-i",
    "--in-interface": "-i",
    "-o": "-o",
    "--out-interface": "-o",
    "-p": "-p",
    "--protocol": "-p",
}
_OWNER = {
    "--comment": "comment",
    "--src-type": "addrtype",
    "--dst-type": "addrtype",
    "--mode": "statistic",
    "--probability": "statistic",
    "--mark": "mark",
    "--ctstate": "conntrack",
    "--nfacct-name": "nfacct",
    "--name": "recent",
    "--set": "recent",
    "--rcheck": "recent",
    "--update": "recent",
    "--remove": "recent",
    "--seconds": "recent",
    "--reap": "recent",
    "--rsource": "recent",
    "--rdest": "recent",
    "--mask": "recent",
}
FLAGS = frozenset(
    {
        "--set",
        "--rcheck",
        "--update",
        "--remove",
        "--reap",
        "--rsource",
        "--rdest",
        "--random",
        "--random-fully",
        "--persistent",
    }
)
"""Options that take no value."""


def tokens(line: str) -> list[str]:
    """Split on blanks; a double-quoted argument stays whole, unquoted and unescaped
    (xtables_save_string escapes `\\`, `"` and `'` with a backslash)."""
    if '"' not in line:
        return line.split()
    out: list[str] = []
    i, size = 0, len(line)
    while i < size:
        if line[i] == " ":
            i += 1
            continue
        if line[i] != '"':
            end = line.find(" ", i)
            end = size if end < 0 else end
            out.append(line[i:end])
            i = end
            continue
        chars: list[str] = []
        i += 1
        while i < size and line[i] != '"':
            if line[i] == "\\" and i + 1 < size:
                i += 1
            chars.append(line[i])
            i += 1
        out.append("".join(chars))
        i += 1
    return out


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
    words = tokens(line)
    if words and words[0].startswith("["):
        words = words[1:]
    if len(words) < 2 or words[0] not in ("-A", "--append"):
        raise ValueError(f"not a rule: {line!r}")
    chain = words[1]
    header: dict[str, tuple[str, bool]] = {}
    matches: list[tuple[str, list[tuple[str, bool, str | None]]]] = []
    target, goto = "", False
    target_options: list[tuple[str, str | None]] = []
    negate = False
    i = 2
    while i < len(words):
        word = words[i]
        if word == "!":
            negate = True
            i += 1
            continue
        if target:
            value = None if word in FLAGS else words[i + 1]
            target_options.append((word, value))
            i += 1 if value is None else 2
            continue
        if word in _HEADER:
            header[_HEADER[word]] = (words[i + 1], negate)
        elif word in ("-m", "--match"):
            matches.append((words[i + 1], []))
        elif word in ("-j", "--jump", "-g", "--goto"):
            target, goto = words[i + 1], word in ("-g", "--goto")
        else:
            value = None if word in FLAGS else words[i + 1]
            owner = _OWNER.get(word) or (matches[-1][0] if matches else header["-p"][0])
            found = next((opts for name, opts in reversed(matches) if name == owner), None)
            if found is None:
                matches.append((owner, []))
                found = matches[-1][1]
            found.append((word, negate, value))
            negate = False
            i += 1 if value is None else 2
            continue
        negate = False
        i += 2
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
        chain=chain,
        text=line,
        src=_address(*header["-s"]) if "-s" in header else None,
        dst=_address(*header["-d"]) if "-d" in header else None,
        proto=proto[0].lower() if proto else None,
        proto_negated=proto[1] if proto else False,
        matches=compiled,
        target=target,
        target_options=tuple(target_options),
        goto=goto,
        tests=tuple(tests),
    )
