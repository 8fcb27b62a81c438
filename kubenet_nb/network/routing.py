"""Routing on a kind node: which way a packet leaves, and from which address.

A kind node's tables (what `ip route` shows there): the local addresses (its InternalIP on
eth0, 127.0.0.0/8 on lo, the pod gateway on the veths); one `<pod IP> dev veth… scope host`
route per local pod (the ptp plugin's host route); `<other node's podCIDR> via <its
InternalIP> dev eth0` for every other node (kindnetd's routes, images/kindnetd in
kubernetes-sigs/kind); the Docker network on eth0; and the default route via the Docker
gateway. Nothing else: a ClusterIP is not routable, so a packet for one that no rule
translated follows the default route out of the cluster.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubenet_nb.network.wiring import NodeInfo, PodInfo, Wiring

__all__ = ["Route", "masquerade_address", "route"]


@dataclass(frozen=True)
class Route:
    """The route a node picks for a destination."""

    kind: str
    """`local`, `pod` (a local pod's veth), `node` (another node's pod CIDR), `link` (the
    Docker network) or `default`."""
    device: str
    entry: str
    """The routing table entry, as `ip route` prints it."""
    source: str
    """The source address the node picks for a packet it sends itself."""
    pod: PodInfo | None = None
    next_node: str | None = None
    """The node that receives the packet next, when it is a node."""


def route(wiring: Wiring, node: str, dst: str) -> Route:
    """`ip route get <dst>` on `node`."""
    info = wiring.nodes[node]
    address = ipaddress.ip_address(dst)
    if dst == info.ip or address.is_loopback or (info.gateway is not None and dst == info.gateway):
        source = dst if address.is_loopback or dst == info.gateway else info.ip
        device = "lo"
        return Route("local", device, f"local {dst} dev {device} table local", source)
    pod = wiring.pods.get(dst)
    if pod is not None and pod.node == node:
        entry = f"{dst} dev {pod.veth} scope host"
        return Route("pod", pod.veth, entry, info.gateway or info.ip, pod=pod)
    owner = wiring.cidr_node(address)
    if owner is not None and owner != node:
        other = wiring.nodes[owner]
        entry = f"{other.pod_cidr} via {other.ip} dev eth0"
        return Route("node", "eth0", entry, info.ip, next_node=owner)
    if address in wiring.node_network:
        entry = f"{wiring.node_network} dev eth0 proto kernel scope link src {info.ip}"
        return Route("link", "eth0", entry, info.ip, next_node=wiring.node_by_ip.get(dst))
    entry = f"default via {wiring.docker_gateway} dev eth0"
    return Route("default", "eth0", entry, info.ip)


def masquerade_address(info: NodeInfo, device: str) -> str:
    """MASQUERADE's new source: the output device's primary address (the pod gateway on a
    veth, the InternalIP on eth0); for lo, whose 127.0.0.1 is host-scoped, the kernel's
    `inet_select_addr` falls back to the first universe-scope address, eth0's."""
    if device.startswith("veth") and info.gateway is not None:
        return info.gateway
    return info.ip
