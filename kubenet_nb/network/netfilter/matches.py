"""The match extensions kube-proxy (and kindnet) use, each compiled to a test on a packet.

A test takes the packet and the walk's environment (`Env`: the node, the random generator, the
clock) and says whether the packet matches; negation (`!`) is folded in. Semantics follow the
kernel modules: xt_tcpudp/xt_sctp ports (a `lo:hi` range included), xt_addrtype LOCAL, xt_mark
`(mark & mask) == value`, xt_statistic random mode (a 31-bit draw below the fixed-point
probability iptables stored), xt_recent and xt_conntrack `--ctstate`. comment and nfacct
only annotate or count, so they always match and compile to nothing.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from kubenet_nb.network.netfilter.packet import Host, Packet, ip_int

__all__ = ["Env", "Match", "Test", "compile_match", "fixed_probability"]


class Env(Protocol):
    """What a match may consult besides the packet."""

    host: Host
    rng: random.Random
    now: float


Test = Callable[[Packet, Env], bool]
MatchOption = tuple[str, bool, "str | None"]


@dataclass(frozen=True, slots=True)
class Match:
    """`-m <module>` with its options in written order: (option, negated, value or None)."""

    module: str
    options: tuple[MatchOption, ...]

    def value(self, option: str) -> str | None:
        return next((v for o, _, v in self.options if o == option), None)

    def has(self, option: str) -> bool:
        return any(o == option for o, _, _ in self.options)

    def negated(self, option: str) -> bool:
        return any(n for o, n, _ in self.options if o == option)


def fixed_probability(text: str) -> int:
    """libxt_statistic: `lround(0x80000000 * probability)`, what the kernel compares with.

    >>> fixed_probability("0.50000000000"), fixed_probability("0.3333333333")
    (1073741824, 715827883)
    """
    return math.floor(0x80000000 * float(text) + 0.5)


def _ports(value: str) -> tuple[int, int]:
    """`80` or a range `lo:hi` (either end may be left out)."""
    if ":" not in value:
        return int(value), int(value)
    low, _, high = value.partition(":")
    return int(low or 0), int(high or 65535)


def _dport_test(low: int, high: int, negated: bool) -> Test:
    return lambda p, _e: (low <= p.dport <= high) != negated


def _sport_test(low: int, high: int, negated: bool) -> Test:
    return lambda p, _e: (low <= p.sport <= high) != negated


def _port_test(match: Match) -> Test | None:
    tests: list[Test] = []
    for option, negated, value in match.options:
        if option in ("--dport", "--destination-port", "--sport", "--source-port"):
            low, high = _ports(value or "")
            if option in ("--dport", "--destination-port"):
                tests.append(_dport_test(low, high, negated))
            else:
                tests.append(_sport_test(low, high, negated))
        else:
            raise ValueError(f"unsupported option {option} of -m {match.module}")
    return _all(tests)


def _src_local_test(negated: bool) -> Test:
    return lambda p, e: e.host.is_local(p.src_int) != negated


def _dst_local_test(negated: bool) -> Test:
    return lambda p, e: e.host.is_local(p.dst_int) != negated


def _addrtype_test(match: Match) -> Test | None:
    tests: list[Test] = []
    for option, negated, value in match.options:
        if value != "LOCAL" or option not in ("--src-type", "--dst-type"):
            raise ValueError(f"unsupported -m addrtype {option} {value}")
        if option == "--src-type":
            tests.append(_src_local_test(negated))
        else:
            tests.append(_dst_local_test(negated))
    return _all(tests)


def _mark_test(match: Match) -> Test:
    mark, _, mask = (match.value("--mark") or "").partition("/")
    value, bits = int(mark, 0), int(mask, 0) if mask else 0xFFFFFFFF
    negated = match.negated("--mark")
    return lambda p, _e: ((p.mark & bits) == value) != negated


def _statistic_test(match: Match) -> Test:
    if match.value("--mode") != "random":
        raise ValueError(f"unsupported -m statistic --mode {match.value('--mode')}")
    fixed = fixed_probability(match.value("--probability") or "0")
    negated = match.negated("--probability")
    return lambda _p, e: (e.rng.getrandbits(31) < fixed) != negated


def _recent_test(match: Match) -> Test:
    name = match.value("--name") or "DEFAULT"
    mask = ip_int(match.value("--mask") or "255.255.255.255")
    seconds_text = match.value("--seconds")
    seconds = float(seconds_text) if seconds_text is not None else None
    reap = match.has("--reap")
    use_dst = match.has("--rdest")
    negated = any(n for _, n, _ in match.options)

    def key(packet: Packet) -> int:
        return (packet.dst_int if use_dst else packet.src_int) & mask

    if match.has("--set"):

        def test(packet: Packet, env: Env) -> bool:
            env.host.recent.set(name, key(packet), env.now)
            return not negated

    elif match.has("--rcheck") or match.has("--update"):
        update = match.has("--update")

        def test(packet: Packet, env: Env) -> bool:
            hit = env.host.recent.check(name, key(packet), env.now, seconds, reap)
            if hit and update:
                env.host.recent.set(name, key(packet), env.now)
            return hit != negated

    elif match.has("--remove"):

        def test(packet: Packet, env: Env) -> bool:
            return env.host.recent.remove(name, key(packet)) != negated

    else:
        raise ValueError("-m recent needs one of --set, --rcheck, --update, --remove")
    return test


def _ctstate_test(states: frozenset[str], negated: bool) -> Test:
    return lambda p, _e: bool(p.ctstate & states) != negated


def _conntrack_test(match: Match) -> Test | None:
    tests: list[Test] = []
    for option, negated, value in match.options:
        if option != "--ctstate":
            raise ValueError(f"unsupported option {option} of -m conntrack")
        states = frozenset((value or "").split(","))
        tests.append(_ctstate_test(states, negated))
    return _all(tests)


def _all(tests: list[Test]) -> Test | None:
    if not tests:
        return None
    if len(tests) == 1:
        return tests[0]
    return lambda p, e: all(test(p, e) for test in tests)


_COMPILERS: dict[str, Callable[[Match], Test | None]] = {
    "tcp": _port_test,
    "udp": _port_test,
    "sctp": _port_test,
    "addrtype": _addrtype_test,
    "mark": _mark_test,
    "statistic": _statistic_test,
    "recent": _recent_test,
    "conntrack": _conntrack_test,
}
_ALWAYS = frozenset({"comment", "nfacct"})


def compile_match(match: Match) -> Test | None:
    """The match's test, or None when it always matches (comment, nfacct)."""
    if match.module in _ALWAYS:
        return None
    compiler = _COMPILERS.get(match.module)
    if compiler is None:
        raise ValueError(f"unsupported match -m {match.module}")
    return compiler(match)
