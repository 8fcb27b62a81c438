"""Where kind's policy enforcement meets a packet: kube-network-policies' nftables hooks.

kindnetd runs kube-network-policies v0.8.0 with its table `inet kindnet-network-policies`
(kubernetes-sigs/kind images/kindnetd/cmd/kindnetd/main.go @ v0.29.0). Its `postrouting` chain
(priority srcnat - 5: after kube-proxy's DNAT, before masquerading) accepts UDP to port 53, the
node's own root sockets and established flows, and queues to user space the first packet of a
flow whose source or destination is a pod of THIS node selected by some NetworkPolicy; UDP to
port 53 is queued instead in a `prerouting` chain at dstnat + 5, after the DNAT of the DNS
Service (pkg/networkpolicy/controller.go `syncNFTablesRules`, `addDNSRacersWorkaroundRules`).
A queued packet gets the full verdict, the source's egress and the destination's ingress, and a
denied one is dropped without a word (`NfDrop`).
"""

from __future__ import annotations

from kubenet_nb.network.lookup import DNS_PORT
from kubenet_nb.network.netfilter import Packet
from kubenet_nb.network.policy.evaluate import PolicyVerdict, verdict
from kubenet_nb.network.policy.state import PolicyState, namespace_labels
from kubenet_nb.network.wiring import Wiring

__all__ = ["TABLE", "PolicyGate"]

TABLE = "inet kindnet-network-policies"
"""The nftables table kindnetd names for kube-network-policies (`NFTableName`)."""


class PolicyGate:
    """The NetworkPolicies of one store version, as each node's hooks apply them."""

    def __init__(self, policies: list[dict], namespaces: list[dict], wiring: Wiring) -> None:
        self.state = PolicyState(policies, [], namespace_labels(namespaces))
        self.wiring = wiring
        self._decided: dict[tuple[str, str, str, str, int, str], PolicyVerdict | None] = {}

    @property
    def active(self) -> bool:
        """Whether any NetworkPolicy exists (none: no packet is ever queued)."""
        return bool(self.state.policies)

    def decide(self, node: str, packet: Packet, chain: str) -> PolicyVerdict | None:
        """The verdict when the node's `chain` queues this packet, None when it lets it by
        unjudged (remembered: it depends on the addresses, port and protocol alone)."""
        key = (node, chain, packet.src, packet.dst, packet.dport, packet.proto)
        if key in self._decided:
            return self._decided[key]
        found = None
        if self.hook(packet, chain) and self.queued(node, packet):
            found = self.judge(packet)
        self._decided[key] = found
        return found

    def hook(self, packet: Packet, chain: str) -> bool:
        """Whether this packet is one the chain queues at all (`postrouting` lets UDP to
        port 53 by; `prerouting` looks at nothing else)."""
        dns = packet.proto == "udp" and packet.dport == DNS_PORT
        return dns if chain == "prerouting" else not dns

    def queued(self, node: str, packet: Packet) -> bool:
        """Whether the source or destination is a pod on `node` that a policy selects (the
        node's `podips` sets)."""
        for ip in (packet.src, packet.dst):
            info = self.wiring.pods.get(ip)
            if info is not None and info.node == node and self.state.selecting(info.pod):
                return True
        return False

    def judge(self, packet: Packet) -> PolicyVerdict:
        """The verdict on the packet's current addresses (pod IPs after any DNAT)."""
        src = self.wiring.pods.get(packet.src)
        dst = self.wiring.pods.get(packet.dst)
        return verdict(
            self.state,
            src.pod if src is not None else packet.src,
            dst.pod if dst is not None else packet.dst,
            packet.dport,
            packet.proto.upper(),
            hairpin=True,
        )
