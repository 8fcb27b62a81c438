"""The iptables-restore text kube-proxy v1.33 writes on one node: a restatement of `syncProxyRules`.

Rules are written in kube-proxy's own order (pkg/proxy/iptables/proxier.go): top-level chains,
KUBE-POSTROUTING and KUBE-MARK-MASQ, then per service port its KUBE-SERVICES / KUBE-NODEPORTS
entry rules and filter rules, then its EXT, FW, SVC, SVL and SEP chains, then stale-chain
deletions, the NodePort tail rule and KUBE-FORWARD. Upstream walks service ports in Go map order
(random); here they come in sorted order, so the text is deterministic.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

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
from kubenet_nb.network.proxy.model import Endpoint, ServicePort
from kubenet_nb.network.proxy.node import NodeContext
from kubenet_nb.network.proxy.service_chains import (
    balance,
    endpoint_chain,
    external_chain,
    firewall_chain,
)
from kubenet_nb.network.proxy.settings import (
    CT_STATE_INVALID_COUNTER,
    LOCALHOST_NODEPORTS_COUNTER,
    ProxySettings,
)
from kubenet_nb.network.proxy.topology import categorize

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


def _chain(name: str) -> str:
    return f":{name} - [0:0]"


class RuleWriter:
    """Writes one node's kube-proxy tables for a list of service ports and their endpoints."""

    def __init__(self, settings: ProxySettings, node: NodeContext) -> None:
        self.settings = settings
        self.node = node
        self.mark = settings.mark
        if_local = node.if_local
        self.if_not_local = f"! {if_local}" if if_local else ""

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
        self._prologue(tables)
        large = sum(len(endpoints) for _, endpoints in ports) > LARGE_CLUSTER_ENDPOINTS
        active: set[str] = set()
        for port, endpoints in ports:
            write_chains = changed is None or (port.namespace, port.name) in changed
            self._service_port(tables, port, endpoints, write_chains, large, active)
        for chain in sorted(set(existing_nat_chains) - active):
            if is_service_chain(chain):
                tables.nat_chains.append(_chain(chain))
                tables.nat_rules.append(f"-X {chain}")
        self._epilogue(tables)
        return tables

    def _prologue(self, tables: Tables) -> None:
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

    def _epilogue(self, tables: Tables) -> None:
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

    def _service_port(
        self,
        tables: Tables,
        port: ServicePort,
        endpoints: Sequence[Endpoint],
        write_chains: bool,
        large: bool,
        active: set[str],
    ) -> None:
        node = self.node
        cat = categorize(
            endpoints, port, node.name, node.labels, self.settings.prefer_same_traffic_distribution
        )
        spn, p = port.name_string, port.proto
        has_endpoints = cat.has_any
        internal_chain = port.cluster_chain
        has_internal = has_endpoints
        if port.internal_policy_local:
            internal_chain = port.local_chain
            has_internal = has_internal and bool(cat.local)
        external_policy_chain = port.cluster_chain
        has_external = has_endpoints
        if port.external_policy_local:
            external_policy_chain = port.local_chain
            has_external = has_external and bool(cat.local)
        ext = port.external_chain
        uses_ext = has_endpoints and port.externally_accessible
        uses_fw = has_endpoints and bool(port.load_balancer_vips) and bool(port.source_ranges)
        lb_chain = port.firewall_chain if uses_fw else ext
        if not has_endpoints:
            internal_target = external_target = "REJECT"
            internal_comment = external_comment = f'"{spn} has no endpoints"'
        else:
            internal_target = external_target = "DROP"
            internal_comment = external_comment = f'"{spn} has no local endpoints"'

        filter_rules, nat_rules = tables.filter_rules, tables.nat_rules
        dport = f"--dport {port.port}"
        match = f"-m {p} -p {p}"
        cluster_ip = port.cluster_ip
        if has_internal:
            nat_rules.append(
                f'-A {KUBE_SERVICES} -m comment --comment "{spn} cluster IP" {match}'
                f" -d {cluster_ip} {dport} -j {internal_chain}"
            )
        else:
            filter_rules.append(
                f"-A {KUBE_SERVICES} -m comment --comment {internal_comment} {match}"
                f" -d {cluster_ip} {dport} -j {internal_target}"
            )
        for external_ip in port.external_ips:
            if has_endpoints:
                nat_rules.append(
                    f'-A {KUBE_SERVICES} -m comment --comment "{spn} external IP" {match}'
                    f" -d {external_ip} {dport} -j {ext}"
                )
            if not has_external:
                filter_rules.append(
                    f"-A {KUBE_EXTERNAL_SERVICES} -m comment --comment {external_comment}"
                    f" {match} -d {external_ip} {dport} -j {external_target}"
                )
        for vip in port.load_balancer_vips:
            if has_endpoints:
                nat_rules.append(
                    f'-A {KUBE_SERVICES} -m comment --comment "{spn} loadbalancer IP" {match}'
                    f" -d {vip} {dport} -j {lb_chain}"
                )
            if uses_fw:
                filter_rules.append(
                    f'-A {KUBE_PROXY_FIREWALL} -m comment --comment "{spn} traffic not accepted'
                    f' by {port.firewall_chain}" {match} -d {vip} {dport} -j DROP'
                )
        if not has_external:
            for vip in port.load_balancer_vips:
                filter_rules.append(
                    f"-A {KUBE_EXTERNAL_SERVICES} -m comment --comment {external_comment}"
                    f" {match} -d {vip} {dport} -j {external_target}"
                )
        if port.node_port:
            node_port = f"--dport {port.node_port}"
            if has_endpoints:
                if (
                    node.localhost_nodeports
                    and not self.settings.ipv6
                    and LOCALHOST_NODEPORTS_COUNTER in self.settings.nfacct_counters
                ):
                    nat_rules.append(
                        f"-A {KUBE_NODEPORTS} -m comment --comment {spn} {match}"
                        f" -d 127.0.0.0/8 {node_port}"
                        f" -m nfacct --nfacct-name {LOCALHOST_NODEPORTS_COUNTER} -j {ext}"
                    )
                nat_rules.append(
                    f"-A {KUBE_NODEPORTS} -m comment --comment {spn} {match} {node_port} -j {ext}"
                )
            if not has_external:
                filter_rules.append(
                    f"-A {KUBE_EXTERNAL_SERVICES} -m comment --comment {external_comment}"
                    f" -m addrtype --dst-type LOCAL {match} {node_port} -j {external_target}"
                )
        if port.health_check_node_port:
            filter_rules.append(
                f'-A {KUBE_NODEPORTS} -m comment --comment "{spn} health check node port"'
                f" -m tcp -p tcp --dport {port.health_check_node_port} -j ACCEPT"
            )

        chains: list[str] = []
        rules: list[str] = []
        if has_internal:
            entry = f'-m comment --comment "{spn} cluster IP" {match} -d {cluster_ip} {dport}'
            if self.settings.masquerade_all:
                rules.append(f"-A {internal_chain} {entry} -j {KUBE_MARK_MASQ}")
            elif self.if_not_local:
                rules.append(f"-A {internal_chain} {entry} {self.if_not_local} -j {KUBE_MARK_MASQ}")
        if uses_ext:
            chains.append(ext)
            external_chain(rules, port, has_external, external_policy_chain, node.if_local)
        if uses_fw:
            chains.append(port.firewall_chain)
            firewall_chain(rules, port, node.ip)
        if cat.cluster and port.uses_cluster_endpoints:
            chains.append(port.cluster_chain)
            balance(rules, port, port.cluster_chain, cat.cluster, large)
        if cat.local and port.uses_local_endpoints:
            chains.append(port.local_chain)
            balance(rules, port, port.local_chain, cat.local, large)
        for endpoint in cat.reachable:
            chains.append(endpoint.chain)
            endpoint_chain(rules, port, endpoint, large)
        active.update(chains)
        if write_chains:
            tables.nat_chains += [_chain(c) for c in chains]
            nat_rules += rules
