"""Netfilter's rule traversal for one table of one hook on one node, recorded step by step.

`Walker.run(table, chain, packet)` starts at a built-in chain and goes rule by rule as
ipt_do_table does: the first matching rule's target decides; a jump pushes a return point, a
goto does not; RETURN or the end of a user chain goes back to the caller, the end of a built-in
chain applies its policy. ACCEPT ends the table's traversal for this hook, DROP and REJECT end
the packet. DNAT and MASQUERADE rewrite the packet and end the nat table's traversal; MARK
changes the packet mark and goes on. Every built-in chain entered, every rule matched, every
random draw not taken and every fall off the end of a chain is recorded as an `Event` (unless
recording is off, as for bulk traffic).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from kubenet_nb.network.netfilter.packet import Host, Packet, address
from kubenet_nb.network.netfilter.rules import Rule
from kubenet_nb.network.netfilter.ruleset import Chain, Ruleset

__all__ = ["Event", "Outcome", "Walker"]

_STATEFUL = frozenset({"statistic", "recent"})
MAX_STEPS = 100_000
"""A guard against rule loops (iptables itself refuses to load one)."""
EPHEMERAL_LOW = 1024


@dataclass(frozen=True, slots=True)
class Event:
    """One step of a traversal: `enter` a built-in chain, a `rule` matched, a random draw
    `skip`ped, a `return` from the end of a user chain, or the built-in chain's `policy`."""

    kind: str
    table: str
    chain: str
    rule: str
    action: str
    src: str
    dst: str


@dataclass(frozen=True, slots=True)
class Outcome:
    """How a table's traversal ended: ACCEPT, DROP or REJECT, and the rule that said so."""

    verdict: str
    rule: Rule | None = None
    nat: str = ""
    """`DNAT` or `MASQUERADE` when the packet was rewritten."""


def _mark(rule: Rule, mark: int) -> int:
    """The MARK target's new packet mark (libxt_MARK options, as xt_MARK computes them)."""
    for option, value in rule.target_options:
        text, _, mask_text = (value or "").partition("/")
        bits = int(text, 0) if text else 0
        mask = int(mask_text, 0) if mask_text else 0xFFFFFFFF
        if option == "--set-xmark":
            return (mark & ~mask & 0xFFFFFFFF) ^ bits
        if option == "--set-mark":
            return (mark & ~mask & 0xFFFFFFFF) | bits
        if option == "--or-mark":
            return mark | bits
        if option == "--xor-mark":
            return mark ^ bits
        if option == "--and-mark":
            return mark & bits
    raise ValueError(f"unsupported MARK target: {rule.text}")


class Walker:
    """Walks packets through one node's rules with that node's state, the clock and a generator."""

    def __init__(
        self, ruleset: Ruleset, host: Host, rng: random.Random, now: float, record: bool = True
    ) -> None:
        self.ruleset, self.host, self.rng, self.now = ruleset, host, rng, now
        self.record = record
        self.events: list[Event] = []
        self.volatile = False
        """Whether the last run drew a random number or read or wrote `recent` state."""

    def _event(self, kind: str, table: str, chain: str, rule: str, action: str, p: Packet) -> None:
        self.events.append(Event(kind, table, chain, rule, action, p.source, p.destination))

    def _matches(self, table: str, rule: Rule, packet: Packet) -> bool:
        if rule.src is not None and not rule.src.matches(packet.src_int):
            return False
        if rule.dst is not None and not rule.dst.matches(packet.dst_int):
            return False
        if rule.proto is not None and (rule.proto == packet.proto) == rule.proto_negated:
            return False
        for module, test in rule.tests:
            if module in _STATEFUL:
                self.volatile = True
            if not test(packet, self):
                if module == "statistic" and self.record:
                    chance = rule.match("statistic").value("--probability")  # type: ignore[union-attr]
                    note = f"random draw not taken (probability {chance})"
                    self._event("skip", table, rule.chain, rule.text, note, packet)
                return False
        return True

    def _notes(self, rule: Rule, packet: Packet) -> str:
        """What the stateful matches of a matched rule did, for the record."""
        notes = []
        for match in rule.matches:
            if match.module == "statistic":
                notes.append(f"random draw taken (probability {match.value('--probability')})")
            elif match.module == "recent":
                name = match.value("--name") or "DEFAULT"
                if match.has("--set"):
                    notes.append(f"recent list {name}: remember {packet.src}")
                elif match.has("--rcheck") or match.has("--update"):
                    seen = self.host.recent.last_seen(name, packet.src_int)
                    ago = "" if seen is None else f", last set {self.now - seen:g} s ago"
                    notes.append(f"recent list {name} has {packet.src}{ago}")
        return "; ".join(notes)

    def run(self, table: str, chain_name: str, packet: Packet) -> Outcome:
        """Traverse `table` from built-in chain `chain_name`, rewriting the packet in place."""
        chain = self.ruleset.chain(table, chain_name)
        record = self.record
        self.volatile = False
        if record:
            self._event("enter", table, chain_name, "", f"{table} {chain_name}", packet)
        stack: list[tuple[Chain, list[Rule], int]] = []
        rules = chain.candidates(packet.dst_int, packet.dport)
        position = 0
        for _ in range(MAX_STEPS):
            if position >= len(rules):
                if not stack:
                    return self._policy(table, chain, packet)
                if record:
                    back = f"end of chain: back to {stack[-1][0].name}"
                    self._event("return", table, chain.name, "", back, packet)
                chain, rules, position = stack.pop()
                continue
            rule = rules[position]
            position += 1
            if not self._matches(table, rule, packet):
                continue
            target = rule.target
            notes = self._notes(rule, packet) if record else ""
            if target == "RETURN":
                if not stack:
                    self._rule(table, rule, packet, notes, "RETURN")
                    return self._policy(table, chain, packet)
                self._rule(table, rule, packet, notes, f"RETURN to {stack[-1][0].name}")
                chain, rules, position = stack.pop()
            elif target in ("ACCEPT", "DROP"):
                self._rule(table, rule, packet, notes, target)
                return Outcome(target, rule)
            elif target == "REJECT":
                reason = rule.option("--reject-with") or "icmp-port-unreachable"
                self._rule(table, rule, packet, notes, f"REJECT with {reason}")
                return Outcome("REJECT", rule)
            elif target == "DNAT":
                before = packet.destination
                ip, port = address(rule.option("--to-destination") or "")
                packet.set_dst(ip, port)
                packet.ctstate = packet.ctstate | {"DNAT"}
                self._rule(table, rule, packet, notes, f"DNAT {before} → {packet.destination}")
                return Outcome("ACCEPT", rule, "DNAT")
            elif target == "MASQUERADE":
                before = packet.source
                port = None
                if any(option == "--random-fully" for option, _ in rule.target_options):
                    port = self.rng.randrange(EPHEMERAL_LOW, 65536)
                    self.volatile = True
                packet.set_src(self.host.masquerade_address(packet.out_iface), port)
                packet.ctstate = packet.ctstate | {"SNAT"}
                self._rule(table, rule, packet, notes, f"MASQUERADE {before} → {packet.source}")
                return Outcome("ACCEPT", rule, "MASQUERADE")
            elif target == "MARK":
                old_mark, packet.mark = packet.mark, _mark(rule, packet.mark)
                self._rule(table, rule, packet, notes, f"mark {old_mark:#x} → {packet.mark:#x}")
            elif not target:
                self._rule(table, rule, packet, notes, "no target: go on")
            else:
                verb = "goto" if rule.goto else "jump to"
                self._rule(table, rule, packet, notes, f"{verb} {target}")
                if not rule.goto:
                    stack.append((chain, rules, position))
                chain = self.ruleset.chain(table, target)
                rules = chain.candidates(packet.dst_int, packet.dport)
                position = 0
        raise ValueError(f"rule loop in {table} {chain_name}")

    def _rule(self, table: str, rule: Rule, packet: Packet, notes: str, action: str) -> None:
        if self.record:
            text = f"{notes}; {action}" if notes else action
            self._event("rule", table, rule.chain, rule.text, text, packet)

    def _policy(self, table: str, chain: Chain, packet: Packet) -> Outcome:
        policy = chain.policy or "ACCEPT"
        if self.record:
            end = f"end of {chain.name}: policy {policy}"
            self._event("policy", table, chain.name, "", end, packet)
        return Outcome(policy)
