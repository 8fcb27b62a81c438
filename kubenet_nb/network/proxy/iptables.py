"""kube-proxy (iptables mode) for one node: from Service/EndpointSlice/Node dicts to rule text.

`restore_text` is exactly what kube-proxy v1.33 hands to `iptables-restore` on a sync (what the
upstream unit tests compare). `iptables_save` is what `iptables-save` then shows on the node for
the `*filter` and `*nat` tables: the built-in chains with kube-proxy's jump rules, kubelet's and
kube-proxy's canary chains, and every kube-proxy chain, listed chain by chain in iptables-save's
own spelling (pkg `save`). Chains of the CNI plugin and the container runtime are not shown.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence

from kubenet_nb.network.proxy.chains import KUBE_FIREWALL
from kubenet_nb.network.proxy.model import (
    Endpoint,
    ServicePort,
    endpoints_by_port,
    service_ports,
)
from kubenet_nb.network.proxy.node import BUILTIN_CHAINS, CANARY_CHAINS, jump_rules, node_context
from kubenet_nb.network.proxy.rules import RuleWriter, Tables
from kubenet_nb.network.proxy.save import save_rule
from kubenet_nb.network.proxy.settings import ProxySettings

__all__ = ["iptables_save", "proxy_ports", "restore_text"]


def proxy_ports(
    services: Iterable[dict], endpoint_slices: Iterable[dict], node: str, settings: ProxySettings
) -> list[tuple[ServicePort, list[Endpoint]]]:
    """Every proxied service port with all its endpoints, in sorted order."""
    family = settings.ip_family
    endpoints = endpoints_by_port(
        endpoint_slices, node, family, settings.prefer_same_traffic_distribution
    )
    ports = [port for service in services for port in service_ports(service, family)]
    ports.sort(key=lambda port: port.key)
    return [(port, endpoints.get(port.key, [])) for port in ports]


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


def _save_table(table: str, chains: Sequence[str], rules: Sequence[str], ipv6: bool) -> list[str]:
    by_chain: dict[str, list[str]] = jump_rules(table)
    user = {line[1:].split(" ", 1)[0] for line in chains} | set(CANARY_CHAINS)
    if table == "filter":
        user.add(KUBE_FIREWALL)
    names = sorted(user - set(by_chain))
    for name in names:
        by_chain[name] = []
    for rule in rules:
        by_chain[rule.split(" ", 2)[1]].append(rule)
    lines = [f"*{table}"]
    lines += [f":{name} ACCEPT [0:0]" for name in BUILTIN_CHAINS[table]]
    lines += [f":{name} - [0:0]" for name in names]
    for name in (*BUILTIN_CHAINS[table], *names):
        lines += [save_rule(rule, ipv6) for rule in by_chain[name]]
    lines.append("COMMIT")
    return lines


def iptables_save(
    services: Iterable[dict],
    endpoint_slices: Iterable[dict],
    nodes: Iterable[dict],
    node: str,
    settings: ProxySettings | None = None,
) -> str:
    """The `*filter` and `*nat` tables on `node` as iptables-save prints them (kube-proxy's part).

    Built-in chains first (policy ACCEPT), then the other chains in name order, as iptables-save
    lists them; each chain's rules in order; counters are shown as [0:0].
    """
    settings = settings or ProxySettings()
    tables = _tables(services, endpoint_slices, nodes, node, settings)
    ipv6 = settings.ipv6
    lines = _save_table("filter", tables.filter_chains, tables.filter_rules, ipv6)
    lines += _save_table("nat", tables.nat_chains, tables.nat_rules, ipv6)
    return "\n".join(lines) + "\n"
