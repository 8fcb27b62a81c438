"""What one service port adds to a sync: its rules in the shared chains, and its own chains.

Restated from pkg/proxy/iptables/proxier.go `syncProxyRules` (the body of its loop over service
ports) and `writeServiceToEndpointRules`. `port_rules` writes the port's entry rules in
KUBE-SERVICES, KUBE-NODEPORTS, KUBE-EXTERNAL-SERVICES and KUBE-PROXY-FIREWALL, then its KUBE-EXT,
KUBE-FW, KUBE-SVC/KUBE-SVL and KUBE-SEP chains, each through the function for that chain, in
kube-proxy's order. In large-cluster mode (more than 1000 endpoints) the SVC->SEP and SEP rules
carry no comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kubenet_nb.api.ip_addresses import IPAddress
from kubenet_nb.network.proxy.categorize import categorize
from kubenet_nb.network.proxy.chains import (
    KUBE_EXTERNAL_SERVICES,
    KUBE_MARK_MASQ,
    KUBE_NODEPORTS,
    KUBE_PROXY_FIREWALL,
    KUBE_SERVICES,
    probability,
)
from kubenet_nb.network.proxy.endpoints import Endpoint
from kubenet_nb.network.proxy.model import ServicePort
from kubenet_nb.network.proxy.node import NodeContext
from kubenet_nb.network.proxy.settings import LOCALHOST_NODEPORTS_COUNTER, ProxySettings

__all__ = [
    "PortRules",
    "balance",
    "endpoint_chain",
    "external_chain",
    "firewall_chain",
    "port_rules",
]


def external_chain(
    rules: list[str], port: ServicePort, has_external: bool, policy_chain: str, if_local: str
) -> None:
    """The KUBE-EXT chain: masquerade (eTP=Cluster) or short-circuit local sources (eTP=Local)."""
    spn, ext = port.name_string, port.external_chain
    if not port.external_policy_local:
        rules.append(
            f'-A {ext} -m comment --comment "masquerade traffic for {spn} external'
            f' destinations" -j {KUBE_MARK_MASQ}'
        )
    else:
        if if_local:
            rules.append(
                f'-A {ext} -m comment --comment "pod traffic for {spn} external destinations"'
                f" {if_local} -j {port.cluster_chain}"
            )
        rules += [
            f'-A {ext} -m comment --comment "masquerade LOCAL traffic for {spn} external'
            f' destinations" -m addrtype --src-type LOCAL -j {KUBE_MARK_MASQ}',
            f'-A {ext} -m comment --comment "route LOCAL traffic for {spn} external'
            f' destinations" -m addrtype --src-type LOCAL -j {port.cluster_chain}',
        ]
    if has_external:
        rules.append(f"-A {ext} -j {policy_chain}")


def firewall_chain(rules: list[str], port: ServicePort, node_ip: IPAddress | None) -> None:
    """The KUBE-FW chain: loadBalancerSourceRanges, then the VIPs when the node is allowed."""
    spn, fw, ext = port.name_string, port.firewall_chain, port.external_chain
    head = f'-A {fw} -m comment --comment "{spn} loadbalancer IP"'
    allow_from_node = False
    for cidr in port.source_ranges:
        rules.append(f"{head} -s {cidr} -j {ext}")
        if node_ip is not None and node_ip.version == cidr.version and node_ip in cidr:
            allow_from_node = True
    if allow_from_node:
        rules += [f"{head} -s {vip} -j {ext}" for vip in port.load_balancer_vips]
    rules.append(
        f'-A {fw} -m comment --comment "other traffic to {spn} will be dropped by'
        f' {KUBE_PROXY_FIREWALL}"'
    )


def balance(
    rules: list[str],
    port: ServicePort,
    chain: str,
    endpoints: Sequence[Endpoint],
    large: bool,
) -> None:
    """`writeServiceToEndpointRules`: affinity checks first, then 1/(n-i) probabilities."""
    spn = port.name_string
    if port.client_ip_affinity:
        for ep in endpoints:
            comment = "" if large else f' -m comment --comment "{spn} -> {ep.endpoint}"'
            rules.append(
                f"-A {chain}{comment} -m recent --name {ep.chain} --rcheck"
                f" --seconds {port.sticky_seconds} --reap -j {ep.chain}"
            )
    last = len(endpoints) - 1
    for i, ep in enumerate(endpoints):
        comment = "" if large else f' -m comment --comment "{spn} -> {ep.endpoint}"'
        chance = (
            f" -m statistic --mode random --probability {probability(last + 1 - i)}"
            if i < last
            else ""
        )
        rules.append(f"-A {chain}{comment}{chance} -j {ep.chain}")


def endpoint_chain(rules: list[str], port: ServicePort, ep: Endpoint, large: bool) -> None:
    """A KUBE-SEP chain: hairpin masquerade, then (affinity-recording) DNAT to the endpoint."""
    head = f"-A {ep.chain}" if large else f"-A {ep.chain} -m comment --comment {port.name_string}"
    recent = f" -m recent --name {ep.chain} --set" if port.client_ip_affinity else ""
    rules += [
        f"{head} -s {ep.ip} -j {KUBE_MARK_MASQ}",
        f"{head}{recent} -m {port.proto} -p {port.proto} -j DNAT --to-destination {ep.endpoint}",
    ]


@dataclass(frozen=True, slots=True)
class PortRules:
    """What one service port adds to a sync: its rules in the shared chains (KUBE-SERVICES,
    KUBE-NODEPORTS, KUBE-EXTERNAL-SERVICES, KUBE-PROXY-FIREWALL), its own chains and their rules."""

    filter_entries: tuple[str, ...]
    nat_entries: tuple[str, ...]
    chains: tuple[str, ...]
    rules: tuple[str, ...]


def port_rules(
    settings: ProxySettings,
    node: NodeContext,
    port: ServicePort,
    endpoints: Sequence[Endpoint],
    large: bool,
) -> PortRules:
    """Everything one service port adds to a sync on `node`, in kube-proxy's order."""
    cat = categorize(
        endpoints, port, node.name, node.labels, settings.prefer_same_traffic_distribution
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

    filter_rules: list[str] = []
    nat_rules: list[str] = []
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
                and not settings.ipv6
                and LOCALHOST_NODEPORTS_COUNTER in settings.nfacct_counters
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
        if settings.masquerade_all:
            rules.append(f"-A {internal_chain} {entry} -j {KUBE_MARK_MASQ}")
        elif node.if_local:
            rules.append(f"-A {internal_chain} {entry} ! {node.if_local} -j {KUBE_MARK_MASQ}")
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
    return PortRules(tuple(filter_rules), tuple(nat_rules), tuple(chains), tuple(rules))
