"""One connection through the cluster: from the client, through each node's rules, to a socket.

The first packet of a connection takes the path a kernel gives it. From a pod it leaves the
pod's eth0 and enters its node on the veth: nat PREROUTING, the routing decision, then either
filter INPUT and nat INPUT (for the node itself) or filter FORWARD and nat POSTROUTING. A node
sending it itself picks the route and source address first, then nat OUTPUT and filter OUTPUT,
re-routes if the destination was translated, then nat POSTROUTING (a packet for a local address
loops back through lo into filter INPUT; its NAT is already settled). A packet forwarded to
another node starts there as a new connection of that node's conntrack. Delivery ends at a
listening socket, or fails as it would: a REJECT rule (ICMP port unreachable: refused), a DROP
rule (no answer: timeout), a NetworkPolicy (kindnetd's hook after the DNAT, before the
masquerade: a silent drop, so a timeout), a closed port (RST: refused), or a destination outside
the cluster (timeout). The reply retraces the NATs in reverse through conntrack, which no rule sees.
"""

from __future__ import annotations

import random
from functools import partial

from kubenet_nb.cluster.listeners import Listener, pod_listeners
from kubenet_nb.network.dataplane import View
from kubenet_nb.network.hops import Client, Hop, Result, reply_hops
from kubenet_nb.network.netfilter import Outcome, Packet, Walker, host_port
from kubenet_nb.network.policy import PolicyVerdict
from kubenet_nb.network.policy.gate import TABLE
from kubenet_nb.network.routing import Route
from kubenet_nb.network.wiring import PodInfo

__all__ = ["Connection"]

EPHEMERAL_PORTS = (32768, 60999)
"""Linux's default net.ipv4.ip_local_port_range: each new connection's source port."""
MAX_NODES = 4


class Connection:
    """Opens connections through a view of the network; one per trace, one for a whole send."""

    def __init__(self, view: View, rng: random.Random, now: float, record: bool) -> None:
        self.view, self.rng, self.now, self.record = view, rng, now, record
        self.wiring = view.wiring
        self._walkers: dict[str, Walker] = {}
        self._listeners: dict[str, list[Listener]] = {}
        self._memo: dict[tuple, tuple] = {}
        self.hops: list[Hop] = []
        self.policy: PolicyVerdict | None = None
        """The last NetworkPolicy verdict the connection met (None: no hook judged it)."""
        self._nats: list[tuple[str, str, str, str]] = []

    # -- recording -------------------------------------------------------------------------

    def _hop(self, stage: str, node: str, action: str, packet: Packet | None = None) -> None:
        if self.record:
            src, dst = (packet.source, packet.destination) if packet is not None else ("", "")
            self.hops.append(Hop(stage, node, action=action, src=src, dst=dst))

    def _walker(self, node: str) -> Walker:
        walker = self._walkers.get(node)
        if walker is None:
            view = self.view
            walker = Walker(view.ruleset(node), view.host(node), self.rng, self.now, self.record)
            self._walkers[node] = walker
        return walker

    def _table(self, node: str, table: str, chain: str, packet: Packet) -> Outcome:
        if not self.record:
            return self._table_quietly(node, table, chain, packet)
        walker = self._walker(node)
        before_src, before_dst = packet.source, packet.destination
        outcome = walker.run(table, chain, packet)
        self.hops += [
            Hop("netfilter", node, e.table, e.chain, e.rule, e.action, e.src, e.dst)
            for e in walker.events
        ]
        walker.events.clear()
        if outcome.nat == "DNAT":
            self._nats.append((node, "DNAT", before_dst, packet.destination))
        elif outcome.nat == "MASQUERADE":
            self._nats.append((node, "SNAT", before_src, packet.source))
        return outcome

    def _table_quietly(self, node: str, table: str, chain: str, packet: Packet) -> Outcome:
        """A traversal without a record; one that drew nothing random and touched no `recent`
        list is a function of the packet, so its result is remembered for the next packets."""
        walker = self._walker(node)
        key = (
            node,
            table,
            chain,
            packet.src,
            packet.sport if walker.ruleset.uses_source_port else 0,
            packet.dst,
            packet.dport,
            packet.proto,
            packet.in_iface,
            packet.out_iface,
            packet.mark,
            packet.ctstate,
        )
        known = self._memo.get(key)
        if known is not None:
            outcome, src, dst, dport, mark, ctstate = known
            if src != packet.src:
                packet.set_src(src)
            if dst != packet.dst or dport != packet.dport:
                packet.set_dst(dst, dport)
            packet.mark, packet.ctstate = mark, ctstate
            return outcome
        outcome = walker.run(table, chain, packet)
        if not walker.volatile:
            state = (packet.src, packet.dst, packet.dport, packet.mark, packet.ctstate)
            self._memo[key] = (outcome, *state)
        return outcome

    # -- the forward path ------------------------------------------------------------------

    def open(
        self, client: Client, dst: str, dport: int, proto: str, entry: str | None = None
    ) -> Result:
        """Send the first packet of a new connection from `client` to dst:dport."""
        self.hops, self._nats = [], []
        self.policy = None
        sport = self.rng.randint(*EPHEMERAL_PORTS)
        packet = Packet(client.ip, dst, sport, dport, proto)
        if client.kind == "pod" and not client.host_network:
            result = self._from_pod(client, packet)
        elif client.kind == "external":
            result = self._from_outside(client, packet, entry)
        else:
            result = self._output(client.node or "", packet)
        if self.record:
            self.hops += reply_hops(client, host_port(dst, dport), result, self._nats)
        result.hops = self.hops
        result.policy = self.policy
        return result

    def _from_pod(self, client: Client, packet: Packet) -> Result:
        info = self.wiring.pods[client.ip]
        node = info.node
        if packet.dst.startswith("127.") or packet.dst == client.ip:
            self._hop("route", node, f"inside pod {info.name}: local {packet.dst} dev lo", packet)
            if packet.dst.startswith("127."):
                packet.set_src(packet.dst)
            return self._deliver_pod(info, packet)
        gateway = self.wiring.nodes[node].gateway
        packet.in_iface = info.veth
        self._hop(
            "route",
            node,
            f"pod {info.name}: default via {gateway} dev eth0 → {node} on {info.veth}",
            packet,
        )
        return self._arrive(node, packet, 1)

    def _from_outside(self, client: Client, packet: Packet, entry: str | None) -> Result:
        if entry is None:
            nodes = self.wiring.lb_entry_nodes(packet.dst)
            if not nodes:
                reason = (
                    f"{packet.dst} is not reachable from outside the cluster: only node IPs,"
                    " load-balancer IPs and routed external IPs lead to a node"
                )
                self._hop("route", "", f"no route to {packet.dst} from {client.ip}", packet)
                return Result("timeout", reason)
            entry = nodes[0] if len(nodes) == 1 else nodes[self.rng.randrange(len(nodes))]
        packet.in_iface = "eth0"
        how = "its InternalIP" if packet.dst in self.wiring.node_by_ip else "routed there"
        self._hop("route", entry, f"{client.ip} → {entry} eth0 ({how})", packet)
        result = self._arrive(entry, packet, 1)
        result.entry_node = entry
        return result

    def _arrive(self, node: str, packet: Packet, depth: int) -> Result:
        """A packet entering `node` from a veth or eth0."""
        outcome = self._table(node, "nat", "PREROUTING", packet)
        if outcome.verdict != "ACCEPT":
            return self._blocked(node, outcome)
        dropped = self._policy(node, packet, "prerouting")
        if dropped is not None:
            return dropped
        path = self.view.route(node, packet.dst)
        self._route_hop(node, path, packet)
        if path.kind == "local":
            for table in ("filter", "nat"):
                outcome = self._table(node, table, "INPUT", packet)
                if outcome.verdict != "ACCEPT":
                    return self._blocked(node, outcome)
            return self._deliver_host(node, packet)
        packet.out_iface = path.device
        outcome = self._table(node, "filter", "FORWARD", packet)
        if outcome.verdict != "ACCEPT":
            return self._blocked(node, outcome)
        dropped = self._policy(node, packet, "postrouting")
        if dropped is not None:
            return dropped
        outcome = self._table(node, "nat", "POSTROUTING", packet)
        if outcome.verdict != "ACCEPT":
            return self._blocked(node, outcome)
        return self._transmit(node, path, packet, depth)

    def _output(self, node: str, packet: Packet) -> Result:
        """A packet the node (or a host-network pod) sends itself."""
        path = self.view.route(node, packet.dst)
        packet.set_src(path.source)
        packet.out_iface = path.device
        self._route_hop(node, path, packet)
        original = packet.destination
        for table in ("nat", "filter"):
            outcome = self._table(node, table, "OUTPUT", packet)
            if outcome.verdict != "ACCEPT":
                return self._blocked(node, outcome)
        if packet.destination != original:
            path = self.view.route(node, packet.dst)
            packet.out_iface = path.device
            self._route_hop(node, path, packet, "re-routed after DNAT: ")
        outcome = self._table(node, "nat", "POSTROUTING", packet)
        if outcome.verdict != "ACCEPT":
            return self._blocked(node, outcome)
        if path.kind != "local":
            return self._transmit(node, path, packet, 1)
        packet.in_iface = "lo"
        self._hop("route", node, "looped back into the node on lo (NAT already settled)", packet)
        outcome = self._table(node, "filter", "INPUT", packet)
        if outcome.verdict != "ACCEPT":
            return self._blocked(node, outcome)
        return self._deliver_host(node, packet)

    def _policy(self, node: str, packet: Packet, chain: str) -> Result | None:
        """kindnetd's NetworkPolicy hook `chain` on the node: None when it lets the packet on
        (not queued, or allowed), else the silent drop. The node's own packets never come here:
        they leave from root sockets, which the hook accepts (`meta skuid 0`)."""
        gate = self.view.policies
        if not gate.active:
            return None
        judged = gate.decide(node, packet, chain)
        if judged is None:
            return None
        self.policy = judged
        if self.record:
            word = "allows" if judged.allowed else "drops"
            flow = f"{packet.source} → {packet.destination}/{packet.proto.upper()}"
            action = f"NetworkPolicy {word} {flow}: "
            self.hops.append(
                Hop(
                    "policy",
                    node,
                    TABLE,
                    chain,
                    action=action + "; ".join(judged.reasons),
                    src=packet.source,
                    dst=packet.destination,
                )
            )
        if judged.allowed:
            return None
        info = self.wiring.pods.get(packet.dst)
        reason = (
            f"dropped by NetworkPolicy on {node} ({'; '.join(judged.reasons)}):"
            " no answer comes back, the client times out"
        )
        return Result(
            "timeout",
            reason,
            backend=info.pod if info is not None else None,
            endpoint=packet.destination,
            node=node,
        )

    def _route_hop(self, node: str, path: Route, packet: Packet, prefix: str = "") -> None:
        if self.record:
            self._hop("route", node, f"{prefix}ip route: {path.entry}", packet)

    def _transmit(self, node: str, path: Route, packet: Packet, depth: int) -> Result:
        if path.pod is not None:
            self._hop("route", node, f"→ {path.pod.name} over {path.device}", packet)
            return self._deliver_pod(path.pod, packet)
        if path.next_node is not None and depth < MAX_NODES:
            nxt = path.next_node
            self._hop("route", node, f"→ {nxt} over eth0", packet)
            fresh = Packet(packet.src, packet.dst, packet.sport, packet.dport, packet.proto)
            fresh.in_iface = "eth0"
            return self._arrive(nxt, fresh, depth + 1)
        gone = "the Docker network" if path.kind == "link" else self.wiring.docker_gateway
        self._hop("route", node, f"→ out of the cluster via {gone}", packet)
        owners = self.wiring.services_at(packet.dst, 0, "")
        if owners:
            names = ", ".join(f"{how} of {sp.name_string}" for sp, how in owners)
            reason = (
                f"{packet.dst} is the {names}, but no rule handles port"
                f" {packet.dport}/{packet.proto.upper()}: the packet leaves {node} towards"
                f" {gone} and no answer comes back"
            )
        else:
            reason = (
                f"nothing in the cluster owns {packet.dst}: the packet leaves {node} towards"
                f" {gone} and no answer comes back"
            )
        return Result("timeout", reason, node=node)

    # -- endings -------------------------------------------------------------------------------

    def _blocked(self, node: str, outcome: Outcome) -> Result:
        rule = outcome.rule
        where = f"a policy on {node}"
        if rule is not None:
            comment = rule.match("comment")
            why = f" ({comment.value('--comment')})" if comment is not None else ""
            where = f"{rule.chain} on {node}{why}"
        if outcome.verdict == "REJECT":
            reason = f"rejected by {where}: ICMP port unreachable, the connection is refused"
            return Result("refused", reason, node=node)
        reason = f"dropped by {where}: no answer comes back, the client times out"
        return Result("timeout", reason, node=node)

    def _deliver_pod(self, info: PodInfo, packet: Packet) -> Result:
        sockets = self._listeners.get(info.ip)
        if sockets is None:
            sockets = self._listeners[info.ip] = pod_listeners(info.pod)
        found = next(
            (s for s in sockets if s.accepts(packet.dst, packet.dport, packet.proto)), None
        )
        return self._deliver(info.node, info.name, info.pod, found, packet)

    def _deliver_host(self, node: str, packet: Packet) -> Result:
        sockets = self.wiring.nodes[node].listeners
        found = next(
            ((pod, s) for pod, s in sockets if s.accepts(packet.dst, packet.dport, packet.proto)),
            None,
        )
        if found is None:
            return self._deliver(node, f"node {node}", None, None, packet)
        pod, listener = found
        owner = f"node {node}" if pod is None else f"host-network pod {_name(pod)}"
        return self._deliver(node, owner, pod, listener, packet)

    def _deliver(
        self, node: str, owner: str, pod: dict | None, listener: Listener | None, packet: Packet
    ) -> Result:
        endpoint = host_port(packet.dst, packet.dport)
        port = f"{packet.dport}/{packet.proto.upper()}"
        ended = partial(
            Result,
            backend=pod,
            endpoint=endpoint,
            node=node,
            source_seen=packet.src,
            peer=packet.source,
        )
        if listener is None:
            answer = "a TCP RST" if packet.proto == "tcp" else "ICMP port unreachable"
            self._hop("deliver", node, f"{owner}: nothing listens on {port}, {answer}", packet)
            reason = f"nothing in {owner} listens on {endpoint} ({port}): {answer} refuses it"
            return ended("refused", reason)
        what = f"{owner}, container {listener.container}, port {port}"
        self._hop("deliver", node, f"delivered to {what}", packet)
        return ended("delivered", f"delivered to {what}")


def _name(pod: dict) -> str:
    meta = pod["metadata"]
    return f"{meta.get('namespace', 'default')}/{meta['name']}"
