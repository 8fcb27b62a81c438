"""What kube-proxy knows about its own node, and what it installs there outside iptables-restore.

`node_context` reads the Node object as kube-proxy does at start-up: its IP (InternalIP first,
then ExternalIP, of the proxier's family; 127.0.0.1 when none), its labels (topology), the local
traffic detector (`--detect-local-mode`), and the addresses NodePorts listen on
(`--nodeport-addresses`, pkg/proxy/util/nodeport_addresses.go). `jump_rules` are the rules
`syncProxyRules` ensures in the built-in chains with `EnsureRule(Prepend, …)`.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass, field

from kubenet_nb.api.errors import NotFound
from kubenet_nb.api.ip_addresses import IPAddress, parse_ip_sloppy
from kubenet_nb.network.proxy.addresses import (
    ip_family,
    parse_cidr_sloppy,
)
from kubenet_nb.network.proxy.chains import (
    KUBE_EXTERNAL_SERVICES,
    KUBE_FIREWALL,
    KUBE_FORWARD,
    KUBE_NODEPORTS,
    KUBE_POSTROUTING,
    KUBE_PROXY_FIREWALL,
    KUBE_SERVICES,
)
from kubenet_nb.network.proxy.settings import ProxySettings

__all__ = ["BUILTIN_CHAINS", "CANARY_CHAINS", "NodeContext", "jump_rules", "node_context"]

BUILTIN_CHAINS = {
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
}
CANARY_CHAINS = ("KUBE-KUBELET-CANARY", "KUBE-PROXY-CANARY")
"""Empty chains kubelet and kube-proxy create in mangle, nat and filter to notice a flush."""
_JUMPS: tuple[tuple[str, str, str, bool, str], ...] = (
    (
        "filter",
        "INPUT",
        KUBE_EXTERNAL_SERVICES,
        True,
        "kubernetes externally-visible service portals",
    ),
    (
        "filter",
        "FORWARD",
        KUBE_EXTERNAL_SERVICES,
        True,
        "kubernetes externally-visible service portals",
    ),
    ("filter", "INPUT", KUBE_NODEPORTS, False, "kubernetes health check service ports"),
    ("filter", "FORWARD", KUBE_SERVICES, True, "kubernetes service portals"),
    ("filter", "OUTPUT", KUBE_SERVICES, True, "kubernetes service portals"),
    ("filter", "FORWARD", KUBE_FORWARD, False, "kubernetes forwarding rules"),
    ("filter", "INPUT", KUBE_PROXY_FIREWALL, True, "kubernetes load balancer firewall"),
    ("filter", "OUTPUT", KUBE_PROXY_FIREWALL, True, "kubernetes load balancer firewall"),
    ("filter", "FORWARD", KUBE_PROXY_FIREWALL, True, "kubernetes load balancer firewall"),
    ("nat", "OUTPUT", KUBE_SERVICES, False, "kubernetes service portals"),
    ("nat", "PREROUTING", KUBE_SERVICES, False, "kubernetes service portals"),
    ("nat", "POSTROUTING", KUBE_POSTROUTING, False, "kubernetes postrouting rules"),
)
"""proxier.go `iptablesJumpChains`: (table, built-in chain, target, `--ctstate NEW`?, comment)."""
_BUILTINS = {
    "filter": ("INPUT", "FORWARD", "OUTPUT"),
    "nat": ("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"),
}
_ZERO_CIDRS = ("0.0.0.0/0", "::/0")
_LOOPBACK = ipaddress.ip_address("127.0.0.0")


@dataclass(frozen=True)
class NodeContext:
    """What the proxier knows about its own node."""

    name: str
    ip: IPAddress | None
    labels: dict[str, str] = field(default_factory=dict)
    if_local: str = ""
    """The local detector's match for pod traffic (`-s <cidr>`, `-i <if>`); "" for the no-op."""
    nodeport_ips: tuple[IPAddress, ...] | None = None
    """Addresses NodePorts listen on, or None when `--nodeport-addresses` matches every address."""
    localhost_nodeports: bool = True
    """Effective `localhostNodePorts` (off unless the nodeport addresses include 127.0.0.0/8)."""


def _node_ips(node: dict, family: str) -> list[IPAddress]:
    """`GetNodeHostIPs`: InternalIPs first, then ExternalIPs, of the proxier's family."""
    found: list[IPAddress] = []
    addresses = node.get("status", {}).get("addresses") or []
    for kind in ("InternalIP", "ExternalIP"):
        for each in addresses:
            ip = parse_ip_sloppy(each.get("address", "")) if each.get("type") == kind else None
            if ip is not None and ip_family(ip) == family and ip not in found:
                found.append(ip)
    return found


def _if_local(settings: ProxySettings, node: dict) -> str:
    """The local traffic detector's match (proxyutil `NewDetectLocalBy…`), "" for the no-op."""
    mode = settings.detect_local_mode
    if mode in ("ClusterCIDR", "NodeCIDR"):
        spec = node.get("spec", {})
        if mode == "ClusterCIDR":
            cidrs = settings.cluster_cidr.split(",")
        else:
            cidrs = spec.get("podCIDRs") or [spec.get("podCIDR") or ""]
        for cidr in (c.strip() for c in cidrs):
            network = parse_cidr_sloppy(cidr)
            if network is not None and (network.version == 6) == settings.ipv6:
                return f"-s {cidr}"
        return ""
    if mode == "BridgeInterface" and settings.bridge_interface:
        return f"-i {settings.bridge_interface}"
    if mode == "InterfaceNamePrefix" and settings.interface_name_prefix:
        return f"-i {settings.interface_name_prefix}+"
    return ""


def node_context(nodes: Iterable[dict], node: str, settings: ProxySettings) -> NodeContext:
    """What kube-proxy on `node` learns about itself: its IP, labels, local detector, and the
    addresses NodePorts listen on (`NewNodePortAddresses`, `GetNodeIPs`). An unknown node is
    the API server's NotFound."""
    family = settings.ip_family
    found = next((n for n in nodes if n.get("metadata", {}).get("name") == node), None)
    if found is None:
        raise NotFound("nodes", node)
    ips = _node_ips(found, family)
    loopback = ipaddress.ip_address("::1" if settings.ipv6 else "127.0.0.1")
    wanted = list(settings.nodeport_addresses)
    if wanted == ["primary"]:
        wanted = [f"{ip}/{ip.max_prefixlen}" for ip in ips]
    cidrs = [c for c in wanted if (parse_cidr_sloppy(c) or loopback).version == loopback.version]
    if not cidrs:
        cidrs = [_ZERO_CIDRS[settings.ipv6]]
    networks = [parse_cidr_sloppy(c) for c in cidrs]
    has_loopback = any(
        n is not None and n.version == 4 and (n.network_address.is_loopback or _LOOPBACK in n)
        for n in networks
    )
    nodeport_ips: tuple[IPAddress, ...] | None = None
    if not any(c in _ZERO_CIDRS for c in cidrs):
        if settings.interface_addresses is not None:
            local = [parse_ip_sloppy(a) for a in settings.interface_addresses]
        else:
            local = [ipaddress.ip_address("127.0.0.1"), ipaddress.ip_address("::1"), *ips]
        matched: list[IPAddress] = []
        for network in networks:
            for ip in local:
                if network is not None and ip is not None and ip.version == network.version:
                    if ip in network and ip not in matched:
                        matched.append(ip)
        nodeport_ips = tuple(matched)
    return NodeContext(
        name=node,
        ip=ips[0] if ips else loopback,
        labels=dict(found.get("metadata", {}).get("labels") or {}),
        if_local=_if_local(settings, found),
        nodeport_ips=nodeport_ips,
        localhost_nodeports=settings.localhost_nodeports and has_loopback,
    )


def jump_rules(table: str) -> dict[str, list[str]]:
    """The built-in chains' rules after kube-proxy's first full sync on a kind node.

    kubelet has already appended `-j KUBE-FIREWALL` to INPUT and OUTPUT; kube-proxy then
    prepends each missing jump of `iptablesJumpChains` in order, so the last one ends up first.
    """
    rules: dict[str, list[str]] = {chain: [] for chain in BUILTIN_CHAINS[table]}
    if table == "filter":
        rules["INPUT"].append(f"-A INPUT -j {KUBE_FIREWALL}")
        rules["OUTPUT"].append(f"-A OUTPUT -j {KUBE_FIREWALL}")
    for jump_table, chain, target, new_only, comment in _JUMPS:
        if jump_table == table:
            state = "-m conntrack --ctstate NEW " if new_only else ""
            rules[chain].insert(
                0, f'-A {chain} {state}-m comment --comment "{comment}" -j {target}'
            )
    return rules
