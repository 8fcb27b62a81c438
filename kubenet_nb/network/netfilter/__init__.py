"""Netfilter for the simulation: iptables-save text parsed into rules, and packets walked
through them as a node's kernel would (nat and filter tables, the matches and targets that
kube-proxy and kindnet write, `recent` lists per node, seeded random draws)."""

from __future__ import annotations

from kubenet_nb.network.netfilter.packet import Host, Packet, address, host_port, ip_int
from kubenet_nb.network.netfilter.recent import RecentTables
from kubenet_nb.network.netfilter.rules import Rule, parse_rule
from kubenet_nb.network.netfilter.ruleset import Chain, ChainPool, Ruleset, parse_ruleset
from kubenet_nb.network.netfilter.walker import Event, Outcome, Walker

__all__ = [
    "Chain",
    "ChainPool",
    "Event",
    "Host",
    "Outcome",
    "Packet",
    "RecentTables",
    "Rule",
    "Ruleset",
    "Walker",
    "address",
    "host_port",
    "ip_int",
    "parse_rule",
    "parse_ruleset",
]
