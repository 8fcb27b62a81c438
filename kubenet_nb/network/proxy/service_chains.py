"""The nat chains of one service port: KUBE-EXT, KUBE-FW, KUBE-SVC/KUBE-SVL and KUBE-SEP.

Restated from pkg/proxy/iptables/proxier.go `syncProxyRules` and `writeServiceToEndpointRules`;
each function appends kube-proxy's rules for one chain, in kube-proxy's order. In large-cluster
mode (more than 1000 endpoints) the SVC->SEP and SEP rules carry no comment.
"""

from __future__ import annotations

from collections.abc import Sequence

from kubenet_nb.network.proxy.addresses import IPAddress
from kubenet_nb.network.proxy.chains import KUBE_MARK_MASQ, KUBE_PROXY_FIREWALL, probability
from kubenet_nb.network.proxy.model import Endpoint, ServicePort

__all__ = ["balance", "endpoint_chain", "external_chain", "firewall_chain"]


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
