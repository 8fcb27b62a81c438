"""What a trace is made of: who sent, the hops a packet took, how it ended, the way back.

The reply is not walked through rules (a reply is not a new connection, the nat table never
sees it): conntrack undoes each translation in reverse order on the node that made it, so the
client gets the answer from the address it connected to.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubenet_nb.network.policy import PolicyVerdict

__all__ = ["Client", "Hop", "Result", "reply_hops"]


@dataclass(frozen=True)
class Hop:
    """One step of a trace: where it happened and what it did to the packet."""

    stage: str
    """`dns`, `route`, `netfilter`, `policy`, `deliver` or `reply`."""
    node: str
    table: str = ""
    chain: str = ""
    rule: str = ""
    """The iptables-save line of the rule that matched (netfilter steps)."""
    action: str = ""
    src: str = ""
    dst: str = ""
    """The packet's source and destination after this step."""


@dataclass(frozen=True)
class Client:
    """Where a connection starts: a pod, a node, or a machine outside the cluster."""

    kind: str
    """`pod`, `node` or `external`."""
    ip: str
    node: str | None = None
    pod: dict | None = None

    @property
    def host_network(self) -> bool:
        return self.pod is not None and bool((self.pod.get("spec") or {}).get("hostNetwork"))

    @property
    def label(self) -> str:
        if self.pod is not None:
            meta = self.pod["metadata"]
            return (
                f"pod {meta.get('namespace', 'default')}/{meta['name']} ({self.ip} on {self.node})"
            )
        if self.kind == "node":
            return f"node {self.node} ({self.ip})"
        return f"external client {self.ip}"


@dataclass
class Result:
    """How one connection ended."""

    verdict: str
    reason: str
    backend: dict | None = None
    endpoint: str | None = None
    """The ip:port the connection reached (delivered, or refused by a closed port), or was
    headed to when a NetworkPolicy dropped it."""
    node: str | None = None
    source_seen: str | None = None
    """The source address the backend saw."""
    peer: str | None = None
    """The source address and port the backend saw (where its reply goes)."""
    entry_node: str | None = None
    policy: PolicyVerdict | None = None
    """The last NetworkPolicy verdict on the way (None when no policy hook judged it)."""
    hops: list[Hop] = field(default_factory=list)


def reply_hops(
    client: Client, original: str, result: Result, nats: list[tuple[str, str, str, str]]
) -> list[Hop]:
    """The answer's way back: from the backend (or the node that refused) to the client;
    `nats` are (node, "DNAT" or "SNAT", before, after) in the order they were made."""
    if result.endpoint is None or result.verdict == "timeout":
        if result.verdict == "refused":
            action = f"ICMP port unreachable to {client.ip}"
            return [Hop("reply", result.node or "", action=action)]
        return [Hop("reply", "", action="no reply")]
    src, dst = result.endpoint, result.peer or ""
    kind = "reply" if result.verdict == "delivered" else "RST"
    hops = [Hop("reply", result.node or "", action=f"{kind} {src} → {dst}", src=src, dst=dst)]
    for node, nat, before, after in reversed(nats):
        if nat == "SNAT":
            dst = before
            action = f"conntrack un-SNAT: destination {after} → {before}"
        else:
            src = before
            action = f"conntrack un-DNAT: source {after} → {before}"
        hops.append(Hop("reply", node, action=action, src=src, dst=dst))
    action = f"{client.label} gets the {kind} from {original}"
    hops.append(Hop("reply", client.node or "", action=action, src=src, dst=dst))
    return hops
