"""The upstream unit tests' canonical form of iptables-restore text, restated for our tests.

kube-proxy's proxier_test.go (pkg/proxy/iptables) compares its output only after
`sortIPTablesRules`, which parses the text with `iptablestest.ParseIPTablesDump` and prints it
back with `IPTablesDump.String()` (pkg/util/iptables/testing/parse.go): tables by name; chains
KUBE-NODEPORTS, KUBE-SERVICES, the other KUBE-* by name, then the rest by name; rules of
KUBE-NODEPORTS and KUBE-SERVICES stable-sorted by the service name in their comment (the nat
KUBE-SERVICES "must be the last rule" rule kept last); every other chain in write order; all
`:CHAIN - [0:0]` lines, then the rules chain by chain, then `-X CHAIN` lines, then COMMIT.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["canonical", "check_rule_jumps", "comment_of", "load_expected"]

_CHAIN_LINE = re.compile(r"^:(\S+) (\S+) \[(\d+):(\d+)\]$")
_COMMENT = re.compile(r'-m comment --comment (?:"([^"]*)"|(\S+))')


@dataclass
class _Chain:
    name: str
    counters: str = "0:0"
    rules: list[str] = field(default_factory=list)
    deleted: bool = False


def comment_of(rule: str) -> str | None:
    """The value of a rule's `--comment`, quotes removed (what parse.go's Rule.Comment holds).

    >>> comment_of('-A X -m comment --comment "ns1/svc1:p80 cluster IP" -j Y')
    'ns1/svc1:p80 cluster IP'
    >>> comment_of("-A X -m comment --comment ns1/svc1:p80 -j Y"), comment_of("-A X -j Y")
    ('ns1/svc1:p80', None)
    """
    match = _COMMENT.search(rule)
    if match is None:
        return None
    return match.group(1) if match.group(1) is not None else match.group(2)


def _service_name(rule: str) -> str:
    comment = comment_of(rule) or ""
    return re.split(r"[ :]", comment, maxsplit=1)[0]


def _parse(text: str) -> list[tuple[str, dict[str, _Chain]]]:
    tables: list[tuple[str, dict[str, _Chain]]] = []
    chains: dict[str, _Chain] | None = None
    for line in text.strip("\n").split("\n"):
        if line.startswith("*"):
            chains = {}
            tables.append((line[1:], chains))
        elif line == "COMMIT":
            chains = None
        elif chains is None:
            raise ValueError(f"line outside a table: {line!r}")
        elif match := _CHAIN_LINE.match(line):
            chains.setdefault(match[1], _Chain(match[1], f"{match[3]}:{match[4]}"))
        elif line.startswith("-A "):
            name = line.split(" ", 2)[1]
            if name not in chains or chains[name].deleted:
                raise ValueError(f"rule for an undeclared or deleted chain: {line!r}")
            chains[name].rules.append(line)
        elif line.startswith("-X "):
            chain = chains[line[3:]]
            if chain.rules:
                raise ValueError(f"cannot delete chain {chain.name} after adding rules")
            chain.deleted = True
        else:
            raise ValueError(f"cannot parse {line!r}")
    if chains is not None:
        raise ValueError("no COMMIT line")
    return tables


def _chain_order(name: str) -> tuple[int, str]:
    if name == "KUBE-NODEPORTS":
        return (0, name)
    if name == "KUBE-SERVICES":
        return (1, name)
    return (2 if name.startswith("KUBE-") else 3, name)


def canonical(text: str) -> str:
    """`sortIPTablesRules(text)` of proxier_test.go, byte for byte."""
    out: list[str] = []
    for table, chains in sorted(_parse(text), key=lambda item: item[0]):
        ordered = sorted(chains.values(), key=lambda chain: _chain_order(chain.name))
        for chain in ordered:
            if chain.name == "KUBE-NODEPORTS" or (
                chain.name == "KUBE-SERVICES" and table == "filter"
            ):
                chain.rules.sort(key=_service_name)
            elif chain.name == "KUBE-SERVICES":
                chain.rules.sort(key=_last_rule_key)
        out.append(f"*{table}")
        out += [f":{chain.name} - [{chain.counters}]" for chain in ordered]
        out += [rule for chain in ordered for rule in chain.rules]
        out += [f"-X {chain.name}" for chain in ordered if chain.deleted]
        out.append("COMMIT")
    return "\n".join(out) + "\n"


def _last_rule_key(rule: str) -> tuple[int, str]:
    if "must be the last rule" in (comment_of(rule) or ""):
        return (1, "")
    return (0, _service_name(rule))


def load_expected(path: Path) -> str:
    """An expected-output file without its leading `#` provenance lines."""
    lines = path.read_text().split("\n")
    while lines and lines[0].startswith("#"):
        lines.pop(0)
    return "\n".join(lines)


_TARGETS = {"ACCEPT", "REJECT", "DROP", "MARK", "RETURN", "DNAT", "SNAT", "MASQUERADE"}
_TOP_LEVEL = {
    "KUBE-SERVICES",
    "KUBE-EXTERNAL-SERVICES",
    "KUBE-NODEPORTS",
    "KUBE-POSTROUTING",
    "KUBE-FORWARD",
    "KUBE-MARK-MASQ",
    "KUBE-PROXY-FIREWALL",
    "KUBE-FIREWALL",
}


def check_rule_jumps(text: str) -> list[str]:
    """`checkIPTablesRuleJumps` of proxier_test.go: the problems found, [] when consistent.

    Every `-j` target and `-A` chain must be declared; no chain jumped to may be empty (except
    KUBE-NODEPORTS); no declared chain may go unused (except kube-proxy's top-level chains).
    """
    problems: list[str] = []
    for table, body in re.findall(r"^\*(\w+)\n(.*?)^COMMIT$", text, re.M | re.S):
        lines = body.split("\n")
        created = {m[1] for line in lines if (m := re.match(r"^:([^ ]*)", line))}
        created -= {m[1] for line in lines if (m := re.search(r"-X ([^ ]*)", line))}
        filled = {m[1] for line in lines if (m := re.search(r"-A ([^ ]*)", line))}
        jumped = {m[1] for line in lines if (m := re.search(r"-j ([^ ]*)", line))} - _TARGETS
        missing = (jumped - created) | (filled - created)
        if missing:
            problems.append(f"{table}: used but not created: {sorted(missing)}")
        empty = jumped - filled - {"KUBE-NODEPORTS"}
        if empty:
            problems.append(f"{table}: jumped to but empty: {sorted(empty)}")
        extra = created - jumped - _TOP_LEVEL
        if extra:
            problems.append(f"{table}: created but not used: {sorted(extra)}")
    return problems
