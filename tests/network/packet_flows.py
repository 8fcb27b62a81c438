"""The upstream unit tests' packet tracer (proxier_test.go `tracePacket`), restated for our tests.

It is deliberately as crude as upstream's: nat PREROUTING is walked from the top, probabilistic
jumps are all followed (so every reachable endpoint is listed), rules that test past state
(`recent --rcheck`, `mark`, `ctstate`) never match, and afterwards the filter chains
KUBE-SERVICES, KUBE-EXTERNAL-SERVICES, KUBE-NODEPORTS and KUBE-PROXY-FIREWALL are run directly.
It reads `iptables_save` text, so it also exercises the jump rules and the save spelling. It is
a test oracle for kube-proxy's expected behaviour, not the workbook's packet walk.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field

__all__ = ["FlowCase", "trace"]

TEST_NODE_IPS = ("192.168.0.2", "192.168.1.2", "192.168.99.11", "2001:db8::1", "2001:db8:1::2")
"""proxier_test.go `testNodeIPs`: the addresses `--src-type/--dst-type LOCAL` match."""


@dataclass(frozen=True)
class FlowCase:
    """One `packetFlowTest`: where a packet goes and whether it gets masqueraded."""

    name: str
    source: str
    dest: str
    port: int
    output: str
    masq: bool = False
    protocol: str = "tcp"


@dataclass
class _Rule:
    raw: str
    fields: dict[str, tuple[bool, str]] = field(default_factory=dict)


_FIELDS = {
    "-s": "src",
    "-d": "dst",
    "-p": "proto",
    "--src-type": "src_type",
    "--dst-type": "dst_type",
    "--dport": "dport",
    "-j": "jump",
    "--probability": "probability",
    "--rcheck": "affinity",
    "--mark": "mark",
    "--ctstate": "ctstate",
    "--to-destination": "dnat",
}


def _parse(line: str) -> _Rule:
    rule = _Rule(line)
    tokens = re.findall(r'"[^"]*"|\S+', line)
    negate = False
    for i, token in enumerate(tokens):
        if token == "!":
            negate = True
            continue
        name = _FIELDS.get(token)
        if name is not None:
            value = tokens[i + 1] if i + 1 < len(tokens) and token != "--rcheck" else ""
            rule.fields[name] = (negate, value)
        negate = False
    return rule


def _tables(text: str) -> dict[str, dict[str, list[_Rule]]]:
    tables: dict[str, dict[str, list[_Rule]]] = {}
    current: dict[str, list[_Rule]] = {}
    for line in text.split("\n"):
        if line.startswith("*"):
            current = tables.setdefault(line[1:], {})
        elif line.startswith("-A "):
            current.setdefault(line.split(" ")[1], []).append(_parse(line))
    return tables


def _address_matches(spec: tuple[bool, str], ip: str) -> bool:
    negated, value = spec
    address = ipaddress.ip_address(ip)
    network = ipaddress.ip_network(value, strict=False)
    return (address in network) != negated


class _Tracer:
    def __init__(self, tables: dict[str, dict[str, list[_Rule]]], local_ips: set[str]) -> None:
        self.tables = tables
        self.local_ips = local_ips
        self.matches: list[str] = []
        self.outputs: list[str] = []
        self.masq = False

    def _matches(self, rule: _Rule, src: str, proto: str, dst: str, dport: str) -> bool:
        f = rule.fields
        if "src" in f and not _address_matches(f["src"], src):
            return False
        if "src_type" in f:
            kind = "LOCAL" if src in self.local_ips else "not-matched"
            if (kind == f["src_type"][1]) == f["src_type"][0]:
                return False
        if "proto" in f and (f["proto"][1] == proto) == f["proto"][0]:
            return False
        if "dst" in f and not _address_matches(f["dst"], dst):
            return False
        if "dst_type" in f:
            kind = "LOCAL" if dst in self.local_ips else "not-matched"
            if (kind == f["dst_type"][1]) == f["dst_type"][0]:
                return False
        if "dport" in f and (f["dport"][1] == dport) == f["dport"][0]:
            return False
        return not ({"affinity", "mark", "ctstate"} & f.keys())

    def run(self, table: str, chain: str, src: str, proto: str, dst: str, dport: str) -> bool:
        for rule in self.tables.get(table, {}).get(chain, []):
            if "jump" not in rule.fields or not self._matches(rule, src, proto, dst, dport):
                continue
            self.matches.append(rule.raw)
            target = rule.fields["jump"][1]
            if target == "KUBE-MARK-MASQ":
                self.masq = True
            elif target in ("ACCEPT", "REJECT", "DROP"):
                self.outputs.append(target)
                return True
            elif target == "DNAT":
                self.outputs.append(rule.fields["dnat"][1])
                return True
            elif (
                self.run(table, target, src, proto, dst, dport) and "probability" not in rule.fields
            ):
                return True
        return False


def trace(text: str, case: FlowCase, node_ips: tuple[str, ...] = TEST_NODE_IPS) -> tuple[str, bool]:
    """`tracePacket`: the comma-joined destinations (or ACCEPT/DROP/REJECT) and the masq mark."""
    tracer = _Tracer(_tables(text), {"127.0.0.1", "::1", *node_ips})
    dst, port = case.dest, str(case.port)
    tracer.run("nat", "PREROUTING", case.source, case.protocol, dst, port)
    if tracer.outputs:
        dst = tracer.outputs[0].split(":")[0]
    for chain in (
        "KUBE-SERVICES",
        "KUBE-EXTERNAL-SERVICES",
        "KUBE-NODEPORTS",
        "KUBE-PROXY-FIREWALL",
    ):
        tracer.run("filter", chain, case.source, case.protocol, dst, port)
    return ", ".join(tracer.outputs), tracer.masq
