"""The iptables-restore text kube-proxy v1.33 writes on one node: a restatement of `syncProxyRules`.

Rules are written in kube-proxy's own order (pkg/proxy/iptables/proxier.go): top-level chains,
KUBE-POSTROUTING and KUBE-MARK-MASQ, then per service port its KUBE-SERVICES / KUBE-NODEPORTS
entry rules and filter rules, then its EXT, FW, SVC, SVL and SEP chains, then stale-chain
deletions, the NodePort tail rule and KUBE-FORWARD. Upstream walks service ports in Go map order
(random); here they come in sorted order, so the text is deterministic.

Each service port's part is rendered once per version of its inputs (`RuleWriter.render`) and
shared by the nodes it does not depend on, so a sync after a change re-renders only the changed
services, as kube-proxy's partial syncs rewrite only theirs.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass, field

from kubenet_nb.api.well_known import ZONE_LABEL
from kubenet_nb.network.proxy.chains import (
    KUBE_EXTERNAL_SERVICES,
    KUBE_FIREWALL,
    KUBE_FORWARD,
    KUBE_MARK_MASQ,
    KUBE_NODEPORTS,
    KUBE_POSTROUTING,
    KUBE_PROXY_FIREWALL,
    KUBE_SERVICES,
    is_service_chain,
)
from kubenet_nb.network.proxy.endpoints import Endpoint
from kubenet_nb.network.proxy.memo import IdentityMemo
from kubenet_nb.network.proxy.model import ServicePort
from kubenet_nb.network.proxy.node import NodeContext
from kubenet_nb.network.proxy.service_chains import PortRules, port_rules
from kubenet_nb.network.proxy.settings import CT_STATE_INVALID_COUNTER, ProxySettings

__all__ = ["LARGE_CLUSTER_ENDPOINTS", "RuleWriter", "Tables"]

LARGE_CLUSTER_ENDPOINTS = 1000
"""`largeClusterEndpointsThreshold`: above it, SVC->SEP and SEP rules lose their comments."""
NODEPORTS_TAIL = '"kubernetes service nodeports; NOTE: this must be the last rule in this chain"'


@dataclass
class Tables:
    """The four line buffers of one sync; `text()` is exactly what goes to iptables-restore."""

    filter_chains: list[str] = field(default_factory=list)
    filter_rules: list[str] = field(default_factory=list)
    nat_chains: list[str] = field(default_factory=list)
    nat_rules: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = ["*filter", *self.filter_chains, *self.filter_rules, "COMMIT"]
        lines += ["*nat", *self.nat_chains, *self.nat_rules, "COMMIT"]
        return "\n".join(lines) + "\n"


_RENDERS = IdentityMemo(16384)
"""Per (service port, endpoints, writer context) and large-cluster mode: whether the node's name,
zone or IP matter, and the rendered rules by those (a single entry for most ports)."""
_CONTEXTS: dict[Hashable, Hashable] = {}
"""One object per distinct writer context, so render keys hash it by identity, not by value."""


def _context(value: Hashable) -> Hashable:
    if len(_CONTEXTS) > 1024:
        _CONTEXTS.clear()
    return _CONTEXTS.setdefault(value, value)


def _chain(name: str) -> str:
    return f":{name} - [0:0]"


class RuleWriter:
    """Writes one node's kube-proxy tables for a list of service ports and their endpoints."""

    def __init__(self, settings: ProxySettings, node: NodeContext) -> None:
        self.settings = settings
        self.node = node
        self.mark = settings.mark
        self._context = _context((settings, node.if_local, node.localhost_nodeports))
        self._zone = node.labels.get(ZONE_LABEL, "")

    @staticmethod
    def is_large(ports: Sequence[tuple[ServicePort, Sequence[Endpoint]]]) -> bool:
        """Large-cluster mode: more endpoints in all than `LARGE_CLUSTER_ENDPOINTS`."""
        return sum(len(endpoints) for _, endpoints in ports) > LARGE_CLUSTER_ENDPOINTS

    def render(self, port: ServicePort, endpoints: Sequence[Endpoint], large: bool) -> PortRules:
        """One service port's rules on this node, re-derived only when an input changed.

        Rendered once per (port, endpoints, settings, large-cluster mode) and shared by the
        nodes, except when the node matters: topology hints (its name and zone) and source
        ranges (its IP). Locality comes in through `endpoints`, marked per node only for the
        ports whose policies read it.
        """
        found = _RENDERS.get(
            (port, endpoints, self._context), large, lambda: ({}, _node_inputs(port, endpoints))
        )
        by_node, (hinted, firewalled) = found
        node = self.node
        key = ((node.name, self._zone) if hinted else None, node.ip if firewalled else None)
        rendered = by_node.get(key)
        if rendered is None:
            rendered = by_node[key] = port_rules(self.settings, node, port, endpoints, large)
        return rendered

    def write(
        self,
        ports: Sequence[tuple[ServicePort, Sequence[Endpoint]]],
        changed: Collection[tuple[str, str]] | None = None,
        existing_nat_chains: Collection[str] = (),
    ) -> Tables:
        """One `syncProxyRules`: a full sync, or a partial one when `changed` names the
        (namespace, name) of the Services whose chains are rewritten. Chains listed in
        `existing_nat_chains` that are no longer used are flushed and deleted (`-X`)."""
        tables = Tables()
        self.prologue(tables)
        large = self.is_large(ports)
        active: set[str] = set()
        for port, endpoints in ports:
            rendered = self.render(port, endpoints, large)
            tables.filter_rules += rendered.filter_entries
            tables.nat_rules += rendered.nat_entries
            active.update(rendered.chains)
            if changed is None or (port.namespace, port.name) in changed:
                tables.nat_chains += [_chain(c) for c in rendered.chains]
                tables.nat_rules += rendered.rules
        for chain in sorted(set(existing_nat_chains) - active):
            if is_service_chain(chain):
                tables.nat_chains.append(_chain(chain))
                tables.nat_rules.append(f"-X {chain}")
        self.epilogue(tables)
        return tables

    def prologue(self, tables: Tables) -> None:
        """The rules written before any service port's: masquerading, the localnet block."""
        mark = self.mark
        tables.filter_chains += [
            _chain(c)
            for c in (
                KUBE_SERVICES,
                KUBE_EXTERNAL_SERVICES,
                KUBE_FORWARD,
                KUBE_NODEPORTS,
                KUBE_PROXY_FIREWALL,
            )
        ]
        tables.nat_chains += [
            _chain(c) for c in (KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ)
        ]
        masquerade = " --random-fully" if self.settings.random_fully else ""
        tables.nat_rules += [
            f"-A {KUBE_POSTROUTING} -m mark ! --mark {mark}/{mark} -j RETURN",
            f"-A {KUBE_POSTROUTING} -j MARK --xor-mark {mark}",
            f'-A {KUBE_POSTROUTING} -m comment --comment "kubernetes service traffic requiring'
            f' SNAT" -j MASQUERADE{masquerade}',
            f"-A {KUBE_MARK_MASQ} -j MARK --or-mark {mark}",
        ]
        if not self.settings.ipv6 and self.node.localhost_nodeports:
            tables.filter_chains.append(_chain(KUBE_FIREWALL))
            tables.filter_rules.append(
                f'-A {KUBE_FIREWALL} -m comment --comment "block incoming localnet connections"'
                " -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack"
                " ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP"
            )

    def epilogue(self, tables: Tables) -> None:
        """The rules written after every service port's: the NodePort tail, KUBE-FORWARD."""
        head = f"-A {KUBE_SERVICES} -m comment --comment {NODEPORTS_TAIL}"
        ipv6 = self.settings.ipv6
        if self.node.nodeport_ips is None:
            not_local = ""
            if ipv6:
                not_local = " ! -d ::1/128"
            elif not self.node.localhost_nodeports:
                not_local = " ! -d 127.0.0.0/8"
            tables.nat_rules.append(
                f"{head} -m addrtype --dst-type LOCAL{not_local} -j {KUBE_NODEPORTS}"
            )
        else:
            for ip in self.node.nodeport_ips:
                if ip.is_loopback and (ipv6 or not self.node.localhost_nodeports):
                    continue
                tables.nat_rules.append(f"{head} -d {ip} -j {KUBE_NODEPORTS}")
        if not self.settings.conntrack_tcp_liberal:
            counter = ""
            if CT_STATE_INVALID_COUNTER in self.settings.nfacct_counters:
                counter = f" -m nfacct --nfacct-name {CT_STATE_INVALID_COUNTER}"
            tables.filter_rules.append(
                f"-A {KUBE_FORWARD} -m conntrack --ctstate INVALID{counter} -j DROP"
            )
        mark = self.mark
        tables.filter_rules += [
            f'-A {KUBE_FORWARD} -m comment --comment "kubernetes forwarding rules"'
            f" -m mark --mark {mark}/{mark} -j ACCEPT",
            f'-A {KUBE_FORWARD} -m comment --comment "kubernetes forwarding conntrack rule"'
            " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
        ]


def _node_inputs(port: ServicePort, endpoints: Sequence[Endpoint]) -> tuple[bool, bool]:
    """Whether a port's rules depend on the node's name and zone (topology hints select the
    endpoints) and on its IP (the firewall chain admits the node when a source range holds it)."""
    hinted = any(ep.zone_hints or ep.node_hints for ep in endpoints)
    return hinted, bool(port.source_ranges and port.load_balancer_vips)
