"""iptables-save text as tables of chains, each chain's rules compiled when first entered.

`parse_ruleset` reads `*table`, `:CHAIN POLICY [packets:bytes]`, `-A CHAIN …` and `COMMIT`
lines; several texts may be given and their chains are merged in order (rules of a chain
named again are appended), which is how another agent's rules join kube-proxy's. Reading only
files each rule line under its chain; a chain is made and compiled on first use (taken from a
`ChainPool` when an equal one was compiled before, and each line's rule compiled once), so a
trace through 40,000 rules compiles only the chains it visits, and a new version of the rules
only the chains and lines that changed.
Long chains (KUBE-SERVICES, KUBE-NODEPORTS, the filter chains) get an index from destination
address and destination port to the rules that could match, built once per chain: a lookup
yields the candidate rules in their original order (those naming that address or port, and
every rule that names neither), so evaluating only the candidates gives the same first match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from kubenet_nb.network.netfilter.rules import Rule, parse_rule

__all__ = ["Chain", "ChainPool", "Ruleset", "parse_ruleset"]

INDEX_THRESHOLD = 16
"""Chains longer than this are indexed by destination address and port."""
_rule = lru_cache(maxsize=1 << 15)(parse_rule)
"""Rules by line: a rule is immutable and the same line means the same rule, so chains that
changed keep their unchanged rules compiled (a Service added to KUBE-SERVICES, say)."""


@dataclass
class Chain:
    """A chain: its policy (built-in chains only) and its rules, compiled lazily."""

    name: str
    policy: str | None
    lines: list[str] = field(default_factory=list)
    _rules: list[Rule] | None = None
    _index: tuple[dict[int, list[int]], dict[int, list[int]], list[int]] | None = None

    @property
    def builtin(self) -> bool:
        return self.policy is not None

    @property
    def rules(self) -> list[Rule]:
        if self._rules is None:
            self._rules = list(map(_rule, self.lines))
        return self._rules

    def candidates(self, dst: int, dport: int) -> list[Rule]:
        """The rules a packet to dst:dport could match, in chain order."""
        rules = self.rules
        if len(rules) <= INDEX_THRESHOLD:
            return rules
        if self._index is None:
            self._index = self._build_index()
        dsts, ports, hits = self._index
        by_dst, by_port = dsts.get(dst), ports.get(dport)
        if by_dst or by_port:
            hits = sorted([*hits, *(by_dst or ()), *(by_port or ())])
        return [rules[i] for i in hits]

    def _build_index(
        self,
    ) -> tuple[dict[int, list[int]], dict[int, list[int]], list[int]]:
        """Rule positions by exact destination address, else by destination port, else kept
        for every packet."""
        by_dst: dict[int, list[int]] = {}
        by_port: dict[int, list[int]] = {}
        rest: list[int] = []
        for position, rule in enumerate(self.rules):
            host = rule.dst.host if rule.dst is not None else None
            port = rule.dport
            if host is not None:
                by_dst.setdefault(host, []).append(position)
            elif port is not None:
                by_port.setdefault(port, []).append(position)
            else:
                rest.append(position)
        return by_dst, by_port, rest


class Ruleset:
    """Tables by name, chains by name (in the order they were declared).

    Parsing only files each rule line under its chain; a `Chain` is made when first asked for
    (and taken from the pool when an equal one is there), so a ruleset of 40,000 lines costs
    what the chains a packet visits cost, plus one pass over the text."""

    def __init__(self, pool: ChainPool | None = None, texts: tuple[str, ...] = ()) -> None:
        self._policies: dict[str, dict[str, str | None]] = {}
        self._lines: dict[str, dict[str, list[str]]] = {}
        self._made: dict[str, dict[str, Chain]] = {}
        self._pool = pool
        self._texts = texts
        self._sport: bool | None = None

    def chain(self, table: str, name: str) -> Chain:
        try:
            return self._made[table][name]
        except KeyError:
            pass
        policies = self._policies.get(table, {})
        if name not in policies:
            raise ValueError(f"no chain {name} in table {table}")
        found = Chain(name, policies[name], self._lines[table].get(name, []))
        if self._pool is not None:
            found = self._pool.share(table, found)
        self._made.setdefault(table, {})[name] = found
        return found

    def has_chain(self, table: str, name: str) -> bool:
        return name in self._policies.get(table, {})

    @property
    def tables(self) -> dict[str, dict[str, Chain]]:
        """Every table's chains, in the order they were declared."""
        return {
            table: {name: self.chain(table, name) for name in policies}
            for table, policies in self._policies.items()
        }

    @property
    def uses_source_port(self) -> bool:
        """Whether any rule tests the source port (kube-proxy's never do)."""
        if self._sport is None:
            self._sport = any(
                "--sport" in text or "--source-port" in text for text in self._texts
            ) and any(
                "--sport" in line or "--source-port" in line
                for chains in self._lines.values()
                for lines in chains.values()
                for line in lines
            )
        return self._sport

    def text(self) -> str:
        """The ruleset written back as iptables-save text (counters as [0:0])."""
        lines: list[str] = []
        for table, chains in self.tables.items():
            lines.append(f"*{table}")
            lines += [f":{c.name} {c.policy or '-'} [0:0]" for c in chains.values()]
            for chain in chains.values():
                lines += chain.lines
            lines.append("COMMIT")
        return "\n".join(lines) + "\n"

    def _read(self, text: str) -> None:
        """File the text's declarations and rules (a chain named again gets the rules added)."""
        policies: dict[str, str | None] | None = None
        by_chain: dict[str, list[str]] = {}
        # The last rule's "-A CHAIN " and its chain's lines: the next rules are mostly its.
        prefix = "\n"
        block: list[str] = []
        for number, line in enumerate(text.split("\n"), start=1):
            if line.startswith(prefix):
                block.append(line)
                continue
            first = line[:1]
            if first == "-" and policies is not None and line.startswith("-A "):
                end = line.find(" ", 3)
                name = line[3:end] if end > 0 else line[3:]
                if name not in policies:
                    raise ValueError(f"line {number}: chain of {line!r} was not declared")
                chain_lines = by_chain.get(name)
                if chain_lines is None:
                    chain_lines = by_chain[name] = []
                chain_lines.append(line)
                block = chain_lines
                prefix = line[: end + 1] if end > 0 else "\n"
            elif first == ":" and policies is not None:
                name, policy = line[1:].split()[:2]
                if name not in policies:
                    policies[name] = None if policy == "-" else policy
            elif first == "*":
                table = line[1:].strip()
                policies = self._policies.setdefault(table, {})
                by_chain = self._lines.setdefault(table, {})
                prefix = "\n"
            elif line == "COMMIT":
                policies, prefix = None, "\n"
            elif first not in ("", "#"):
                raise ValueError(
                    f"line {number}: not in a table or not iptables-save text: {line!r}"
                )


class ChainPool:
    """Compiled chains shared between rulesets: nodes hold mostly the same chains, and a chain
    unchanged since the last version keeps its compiled rules and index. A chain is shared
    only with one of the same table, name and lines, so sharing never changes a meaning."""

    def __init__(self, previous: ChainPool | None = None) -> None:
        self._chains: dict[tuple[str, str], Chain] = {}
        self._previous = previous._chains if previous is not None else {}

    def share(self, table: str, chain: Chain) -> Chain:
        key = (table, chain.name)
        for known in (self._chains.get(key), self._previous.get(key)):
            if known is not None and known.policy == chain.policy and known.lines == chain.lines:
                self._chains[key] = known
                return known
        self._chains[key] = chain
        return chain


def parse_ruleset(*texts: str, pool: ChainPool | None = None) -> Ruleset:
    """Parse iptables-save texts into one ruleset (later texts extend earlier ones); with a
    pool, chains equal to ones already compiled are taken from it."""
    ruleset = Ruleset(pool, texts)
    for text in texts:
        ruleset._read(text)
    return ruleset
