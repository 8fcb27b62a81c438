"""kube-proxy (iptables mode) for one node: from Service/EndpointSlice/Node dicts to rule text.

`restore_text` is exactly what kube-proxy v1.33 hands to `iptables-restore` on a sync (what the
upstream unit tests compare). `iptables_save` is what `iptables-save` then shows on the node for
the `*filter` and `*nat` tables: the built-in chains with kube-proxy's jump rules, kubelet's and
kube-proxy's canary chains, and every kube-proxy chain, listed chain by chain in iptables-save's
own spelling (pkg `save`). Chains of the CNI plugin and the container runtime are not shown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from functools import partial

from kubenet_nb.network.proxy.chains import KUBE_FIREWALL
from kubenet_nb.network.proxy.endpoints import Endpoint, merged_by_port
from kubenet_nb.network.proxy.memo import IdentityMemo, ObjectMemo
from kubenet_nb.network.proxy.model import ServicePort, service_ports
from kubenet_nb.network.proxy.node import BUILTIN_CHAINS, CANARY_CHAINS, jump_rules, node_context
from kubenet_nb.network.proxy.rules import RuleWriter, Tables
from kubenet_nb.network.proxy.save import save_rule
from kubenet_nb.network.proxy.service_chains import PortRules
from kubenet_nb.network.proxy.settings import ProxySettings

__all__ = ["iptables_save", "proxy_ports", "restore_text"]


_PORT_LISTS = ObjectMemo(8)
_TEXTS = IdentityMemo(8)
"""iptables-save texts by the rendered parts they were made of: nodes with the same parts (all of
them, in a cluster without node-dependent services) share one text."""


def _sorted_ports(services: list[dict], family: str) -> tuple[ServicePort, ...]:
    """The proxied ports of the Services, sorted by (namespace, name, port name, protocol)."""

    def make() -> tuple[ServicePort, ...]:
        ports = [port for service in services for port in service_ports(service, family)]
        return tuple(sorted(ports, key=lambda port: port.key))

    return _PORT_LISTS.get_all(services, family, make)


def proxy_ports(
    services: Iterable[dict], endpoint_slices: Iterable[dict], node: str, settings: ProxySettings
) -> list[tuple[ServicePort, tuple[Endpoint, ...]]]:
    """Every proxied service port with all its endpoints, in sorted order.

    The node's own endpoints are marked local only for the ports whose traffic policies read
    locality; the other ports get the tuple every node shares (the same endpoints), so their
    rules are rendered once for all nodes.
    """
    family = settings.ip_family
    merged = merged_by_port(endpoint_slices, family, settings.prefer_same_traffic_distribution)
    result: list[tuple[ServicePort, tuple[Endpoint, ...]]] = []
    for port in _sorted_ports(list(services), family):
        found = merged.get(port.key)
        if found is None:
            result.append((port, ()))
        elif port.uses_local_endpoints:
            result.append((port, found.for_node(node)))
        else:
            result.append((port, found.blind(node)))
    return result


def _tables(
    services: Iterable[dict],
    endpoint_slices: Iterable[dict],
    nodes: Iterable[dict],
    node: str,
    settings: ProxySettings | None,
    changed: Collection[tuple[str, str]] | None = None,
    existing_nat_chains: Collection[str] = (),
) -> Tables:
    settings = settings or ProxySettings()
    writer = RuleWriter(settings, node_context(nodes, node, settings))
    ports = proxy_ports(services, endpoint_slices, node, settings)
    return writer.write(ports, changed, existing_nat_chains)


def restore_text(
    services: Iterable[dict],
    endpoint_slices: Iterable[dict],
    nodes: Iterable[dict],
    node: str,
    settings: ProxySettings | None = None,
    *,
    changed: Collection[tuple[str, str]] | None = None,
    existing_nat_chains: Collection[str] = (),
) -> str:
    """The iptables-restore input of one sync of kube-proxy on `node`.

    A full sync by default; with `changed` (namespace, name) pairs, a partial sync that rewrites
    only those Services' chains. `existing_nat_chains` are the nat chains already in the kernel:
    the unused ones among kube-proxy's are flushed and deleted (`-X`).
    """
    return _tables(
        services, endpoint_slices, nodes, node, settings, changed, existing_nat_chains
    ).text()


_SAVED = IdentityMemo(16384)
"""Per rendered service port and family: its rules as iptables-save prints them, by chain."""

Groups = tuple[tuple[str, tuple[str, ...]], ...]
"""Saved rules by chain, each chain's in order (tuples: the garbage collector skips them)."""


def _group(rules: Iterable[str], ipv6: bool) -> Groups:
    """Rules as iptables-save prints them, by chain (the word after `-A`), in order."""
    by_chain: dict[str, list[str]] = {}
    for rule in rules:
        by_chain.setdefault(rule.split(" ", 2)[1], []).append(save_rule(rule, ipv6))
    return tuple((chain, tuple(lines)) for chain, lines in by_chain.items())


def _saved(rendered: PortRules, ipv6: bool) -> tuple[Groups, Groups]:
    """A service port's filter and nat rules as iptables-save prints them, by chain."""
    nat = _group((*rendered.nat_entries, *rendered.rules), ipv6)
    return _group(rendered.filter_entries, ipv6), nat


def _save_table(table: str, declared: set[str], groups: Iterable[Groups]) -> list[str]:
    """One table as iptables-save lists it: built-in chains first, then the others by name."""
    by_chain: dict[str, list[str]] = jump_rules(table)
    names = sorted((declared | set(CANARY_CHAINS)) - set(by_chain))
    for name in names:
        by_chain[name] = []
    for group in groups:
        for chain, rules in group:
            by_chain[chain] += rules
    lines = [f"*{table}"]
    lines += [f":{name} ACCEPT [0:0]" for name in BUILTIN_CHAINS[table]]
    lines += [f":{name} - [0:0]" for name in names]
    for name in (*BUILTIN_CHAINS[table], *names):
        lines += by_chain[name]
    lines.append("COMMIT")
    return lines


def _declared(chains: Iterable[str]) -> set[str]:
    return {line[1:].split(" ", 1)[0] for line in chains}


def iptables_save(
    services: Iterable[dict],
    endpoint_slices: Iterable[dict],
    nodes: Iterable[dict],
    node: str,
    settings: ProxySettings | None = None,
) -> str:
    """The `*filter` and `*nat` tables on `node` as iptables-save prints them (kube-proxy's part).

    Built-in chains first (policy ACCEPT), then the other chains in name order, as iptables-save
    lists them; each chain's rules in order; counters are shown as [0:0]. Each service port's
    part is rendered and re-spelled once per version of its inputs and shared between nodes.
    """
    settings = settings or ProxySettings()
    writer = RuleWriter(settings, node_context(nodes, node, settings))
    ports = proxy_ports(services, endpoint_slices, node, settings)
    large = writer.is_large(ports)
    rendered = tuple(writer.render(port, endpoints, large) for port, endpoints in ports)
    head, tail = Tables(), Tables()
    writer.prologue(head)
    writer.epilogue(tail)
    frame = tuple(
        tuple(lines)
        for part in (head, tail)
        for lines in (part.filter_chains, part.filter_rules, part.nat_chains, part.nat_rules)
    )
    return _TEXTS.get(
        rendered, (frame, settings.ipv6), lambda: _save(rendered, head, tail, settings.ipv6)
    )


def _save(rendered: tuple[PortRules, ...], head: Tables, tail: Tables, ipv6: bool) -> str:
    """The text of both tables: the rendered ports' parts between the prologue and epilogue."""
    saved = [_SAVED.get((part,), ipv6, partial(_saved, part, ipv6)) for part in rendered]
    nat_declared = _declared(head.nat_chains + tail.nat_chains)
    for part in rendered:
        nat_declared.update(part.chains)
    filter_declared = _declared(head.filter_chains + tail.filter_chains) | {KUBE_FIREWALL}
    lines = _save_table(
        "filter",
        filter_declared,
        [
            _group(head.filter_rules, ipv6),
            *(filter_rules for filter_rules, _ in saved),
            _group(tail.filter_rules, ipv6),
        ],
    )
    lines += _save_table(
        "nat",
        nat_declared,
        [
            _group(head.nat_rules, ipv6),
            *(nat_rules for _, nat_rules in saved),
            _group(tail.nat_rules, ipv6),
        ],
    )
    return "\n".join(lines) + "\n"
