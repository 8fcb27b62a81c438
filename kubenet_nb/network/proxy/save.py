"""How `iptables-save` prints a rule that kube-proxy wrote: the kernel's view, re-spelled.

kube-proxy hands iptables-restore arguments in its own order (`-m comment --comment … -m tcp -p
tcp -d 10.96.0.1 --dport 443 -j …`); the kernel keeps the parsed rule and iptables-save prints it
back in a fixed layout: `[!] -s`, `[!] -d`, `[!] -i`, `-p`, then each match in the order it was
given with its options, then the target with its options. Addresses gain their prefix length
(`/32`), comments are quoted unless plain, the statistic probability comes back from the
kernel's 31-bit fixed point with 11 decimals, MARK's --or-mark/--xor-mark become --set-xmark,
REJECT shows its default --reject-with, and `recent` shows its default mask and side.
Checked against real iptables-save output of kube-proxy v1.32 nodes (iptables 1.8.10).
"""

from __future__ import annotations

import math
from functools import lru_cache

from kubenet_nb.network.netfilter.syntax import Option, split_rule

__all__ = ["save_rule"]

_PLAIN = frozenset("_-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _string(value: str) -> str:
    """xtables_save_string: bare when only [-_0-9A-Za-z], else double-quoted and escaped."""
    if value and set(value) <= _PLAIN:
        return value
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("'", "\\'")
    return f'"{escaped}"'


def _address(value: str, ipv6: bool) -> str:
    return value if "/" in value else f"{value}/{128 if ipv6 else 32}"


def _hex(value: str) -> str:
    return hex(int(value, 16))


def _probability(value: str) -> str:
    fixed = math.floor(0x80000000 * float(value) + 0.5)
    return f"{fixed / 0x80000000:.11f}"


def _match(name: str, options: list[Option], ipv6: bool) -> str:
    """One match as its libxt_*.c save() prints it."""
    values = {option: (negated, value) for option, negated, value in options}

    def neg(option: str) -> str:
        return "! " if values[option][0] else ""

    if name == "comment":
        return f"-m comment --comment {_string(values['--comment'][1] or '')}"
    if name == "statistic":
        chance = _probability(values["--probability"][1] or "")
        return f"-m statistic --mode random --probability {chance}"
    if name == "mark":
        mark, _, mask = (values["--mark"][1] or "").partition("/")
        shown = f"{_hex(mark)}/{_hex(mask)}" if mask and int(mask, 16) != 0xFFFFFFFF else _hex(mark)
        return f"-m mark {neg('--mark')}--mark {shown}"
    if name == "recent":
        mask = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff" if ipv6 else "255.255.255.255"
        parts = ["-m recent"]
        parts += ["--set"] if "--set" in values else []
        parts += ["--rcheck"] if "--rcheck" in values else []
        if "--seconds" in values:
            parts.append(f"--seconds {values['--seconds'][1]}")
        parts += ["--reap"] if "--reap" in values else []
        parts.append(f"--name {values['--name'][1]} --mask {mask} --rsource")
        return " ".join(parts)
    if name == "nfacct":
        return f"-m nfacct --nfacct-name  {values['--nfacct-name'][1]}"
    shown = " ".join(
        f"{'! ' if negated else ''}{option}" + (f" {value}" if value is not None else "")
        for option, negated, value in options
    )
    return f"-m {name} {shown}" if shown else f"-m {name}"


def _target(target: str, options: list[tuple[str, str | None]], ipv6: bool) -> str:
    values = dict(options)
    if target == "MARK" and "--or-mark" in values:
        mark = _hex(values["--or-mark"] or "")
        return f"-j MARK --set-xmark {mark}/{mark}"
    if target == "MARK" and "--xor-mark" in values:
        return f"-j MARK --set-xmark {_hex(values['--xor-mark'] or '')}/0x0"
    if target == "REJECT":
        return f"-j REJECT --reject-with icmp{'6' if ipv6 else ''}-port-unreachable"
    shown = "".join(f" {option}" + (f" {value}" if value else "") for option, value in options)
    return f"-j {target}{shown}"


@lru_cache(maxsize=1 << 17)
def save_rule(rule: str, ipv6: bool = False) -> str:
    """The iptables-save line for one `-A CHAIN …` rule as kube-proxy writes it.

    >>> save_rule(
    ...     '-A KUBE-SERVICES -m comment --comment "default/kubernetes:https cluster IP"'
    ...     " -m tcp -p tcp -d 10.96.0.1 --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y"
    ... )  # doctest: +NORMALIZE_WHITESPACE
    '-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp -m comment --comment
     "default/kubernetes:https cluster IP" -m tcp --dport 443 -j KUBE-SVC-NPX46M4PTMTKRN6Y'
    >>> save_rule("-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000")
    '-A KUBE-MARK-MASQ -j MARK --set-xmark 0x4000/0x4000'
    """
    rule_parts = split_rule(rule)
    head = {
        flag: f"{'! ' if negated else ''}{flag} "
        + (_address(value, ipv6) if flag in ("-s", "-d") else value)
        for flag, (value, negated) in rule_parts.header.items()
    }
    parts = [f"-A {rule_parts.chain}"]
    parts += [head[key] for key in ("-s", "-d", "-i", "-o", "-p") if key in head]
    parts += [_match(name, options, ipv6) for name, options in rule_parts.matches]
    if rule_parts.target:
        parts.append(_target(rule_parts.target, rule_parts.target_options, ipv6))
    return " ".join(parts)
