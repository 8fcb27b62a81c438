"""One connection's verdict: the source's egress and the destination's ingress, with reasons.

Semantics follow networking.k8s.io/v1 (kubernetes/api networking/v1/types.go @ v0.33.1) as
kube-network-policies v0.8.0 evaluates them (pkg/networkpolicy/networkpolicy.go): a direction is
isolated only by a policy selecting the pod with that type in `policyTypes` (missing
`policyTypes` read as the API defaults it: Ingress, plus Egress when egress rules exist); then a
connection passes iff some rule of that direction matches its ports and peers. Pods are judged on
their pod IP (after any Service DNAT), named ports on the destination pod, ipBlock on either a pod
or another IP; the pod's own node always gets in (kubelet probes); hostNetwork pods are never
selected and count as their node's IP; a pod reaching its own IP never leaves its namespace.
"""

from __future__ import annotations

import functools
import ipaddress
from dataclasses import dataclass

from kubenet_nb.cluster.controllers.service_index import find_port
from kubenet_nb.network.policy.state import PolicyState

__all__ = [
    "End",
    "PolicyVerdict",
    "host_network",
    "isolation",
    "peer_matches",
    "pod_ip",
    "policy_types",
    "port_matches",
    "verdict",
]


@dataclass(frozen=True)
class PolicyVerdict:
    """Whether a new connection passes, and one line per direction saying why."""

    allowed: bool
    reasons: tuple[str, ...]

    def __bool__(self) -> bool:
        return self.allowed

    def __str__(self) -> str:
        return ("allowed: " if self.allowed else "denied: ") + "; ".join(self.reasons)


@dataclass(frozen=True)
class End:
    """One end of a connection: a pod (not hostNetwork) or a bare IP."""

    pod: dict | None
    ip: str | None

    @property
    def label(self) -> str:
        if self.pod is not None:
            return _key(self.pod)
        return self.ip or "<no IP>"


def _key(pod: dict) -> str:
    return f"{pod['metadata'].get('namespace', 'default')}/{pod['metadata']['name']}"


def pod_ip(pod: dict) -> str | None:
    status = pod.get("status") or {}
    return status.get("podIP") or next(
        (entry["ip"] for entry in status.get("podIPs") or () if entry.get("ip")), None
    )


def host_network(pod: dict) -> bool:
    return bool((pod.get("spec") or {}).get("hostNetwork"))


def policy_types(policy: dict) -> list[str]:
    """spec.policyTypes, or what SetDefaults_NetworkPolicy would store (pkg/apis/networking/v1/
    defaults.go): Ingress, plus Egress when there are egress rules."""
    spec = policy.get("spec") or {}
    if spec.get("policyTypes"):
        return list(spec["policyTypes"])
    return ["Ingress", "Egress"] if spec.get("egress") else ["Ingress"]


@functools.lru_cache(maxsize=4096)
def _go_cidr(text: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """Go's net.ParseCIDR as `IPNet.Contains` then uses it: strict (no leading zeros, no
    zone), None when it fails; an IPv4-mapped IPv6 network matches IPv4 addresses under the
    last 32 bits of its mask (`networkNumberAndMask`, golang/go src/net/ip.go)."""
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None
    if isinstance(network, ipaddress.IPv6Network) and "%" in text:
        return None
    mapped = network.version == 6 and network.network_address.ipv4_mapped is not None
    if mapped and isinstance(network, ipaddress.IPv6Network):
        prefix = max(network.prefixlen - 96, 0)
        base = network.network_address.ipv4_mapped
        return ipaddress.IPv4Network(f"{base}/{prefix}", strict=False)
    return network


def _in_block(block: dict, ip: str | None) -> bool:
    """kube-network-policies v0.8.0 `evaluateIPBlocks`: the address is in `cidr` and in no
    `except`; a CIDR Go's strict parser refuses (the API's sloppy one let `010.0.0.0/8` in)
    matches every address, as that code returns true on a parse error."""
    if ip is None:
        return False
    address = ipaddress.ip_address(ip)
    cidr = _go_cidr(block["cidr"])
    if cidr is None:
        return True
    if address.version != cidr.version or address not in cidr:
        return False
    for text in block.get("except") or ():
        network = _go_cidr(text)
        if network is None:
            return True
        if address.version == network.version and address in network:
            return False
    return True


def peer_matches(peer: dict, policy_namespace: str, other: End, state: PolicyState) -> bool:
    """One NetworkPolicyPeer: an ipBlock, or pod/namespace selectors ANDed."""
    if "ipBlock" in peer:
        return _in_block(peer["ipBlock"], other.ip)
    if other.pod is None:
        return False
    namespace = other.pod["metadata"].get("namespace", "default")
    if "namespaceSelector" in peer:
        ns_labels = state.namespaces.get(namespace, {})
        if not state.selector(peer["namespaceSelector"]).matches(ns_labels):
            return False
    elif namespace != policy_namespace:
        return False
    if "podSelector" in peer:
        return state.selector(peer["podSelector"]).matches(other.pod["metadata"].get("labels"))
    return True


def port_matches(rule_port: dict, port: int, protocol: str, dst: End) -> bool:
    """One NetworkPolicyPort: protocol (default TCP), then a number, a range or a named port
    resolved on the destination pod."""
    if (rule_port.get("protocol") or "TCP") != protocol:
        return False
    wanted = rule_port.get("port")
    if wanted is None:
        return True
    if isinstance(wanted, int):
        end = rule_port.get("endPort")
        return wanted <= port <= end if end is not None else wanted == port
    if dst.pod is None:
        return False
    return find_port(dst.pod, {"targetPort": wanted, "protocol": protocol}) == port


def _direction(
    direction: str,
    subject: dict,
    other: End,
    dst: End,
    port: int,
    protocol: str,
    state: PolicyState,
    src_label: str,
) -> tuple[bool, str]:
    """The verdict of one direction for the subject pod, and a sentence saying why."""
    kind = "ingress" if direction == "Ingress" else "egress"
    peers_key = "from" if direction == "Ingress" else "to"
    applying = [policy for policy in state.selecting(subject) if direction in policy_types(policy)]
    where = f"{protocol} {port}"
    if not applying:
        return True, f"pod {_key(subject)} is not isolated for {kind}"
    names = ", ".join(policy["metadata"]["name"] for policy in applying)
    for policy in applying:
        policy_namespace = policy["metadata"].get("namespace", "default")
        for r, rule in enumerate((policy.get("spec") or {}).get(kind) or ()):
            ports = rule.get("ports") or []
            if ports and not any(port_matches(p, port, protocol, dst) for p in ports):
                continue
            peers = rule.get(peers_key) or []
            if not peers:
                return True, f"policy {policy['metadata']['name']} {kind}[{r}] allows all peers"
            for n, peer in enumerate(peers):
                if peer_matches(peer, policy_namespace, other, state):
                    return True, (
                        f"policy {policy['metadata']['name']} {kind}[{r}].{peers_key}[{n}] "
                        f"matches {other.label} on {where}"
                    )
    plural = "policies" if len(applying) > 1 else "policy"
    peer = src_label if direction == "Ingress" else f"traffic to {dst.label}"
    return False, (
        f"pod {_key(subject)} is isolated for {kind} by {plural} {names}; "
        f"no rule allows {peer} on {where}"
    )


def isolation(state: PolicyState, pod: dict) -> tuple[bool, bool]:
    """Whether the pod is isolated for ingress and for egress (some policy selecting it lists
    that type)."""
    types = {kind for policy in state.selecting(pod) for kind in policy_types(policy)}
    return "Ingress" in types, "Egress" in types


def verdict(
    state: PolicyState,
    src: dict | str,
    dst: dict | str,
    port: int,
    protocol: str = "TCP",
    *,
    hairpin: bool = False,
) -> PolicyVerdict:
    """Whether a new `protocol` connection from `src` (a pod, or an IP: a node or outside) to
    `dst` (a pod's IP, or another IP) on `port` passes the NetworkPolicies, and why.

    A pod reaching its own IP stays on its loopback, where no policy looks; `hairpin` says it
    came back through its node instead (through its own Service), where it is judged.
    """
    if isinstance(src, dict) and not host_network(src):
        source = End(src, pod_ip(src))
    else:
        source = End(None, pod_ip(src) if isinstance(src, dict) else src)
    if isinstance(dst, str):
        destination = End(None, dst)
    else:
        destination = End(None if host_network(dst) else dst, pod_ip(dst))
    if source.pod is not None and destination.pod is not None and not hairpin:
        if _key(source.pod) == _key(destination.pod):
            label = _key(destination.pod)
            return PolicyVerdict(True, (f"{label} reaches itself over loopback",))
    if isinstance(dst, dict) and source.pod is None:
        host_ip = (dst.get("status") or {}).get("hostIP")
        if host_ip and source.ip == host_ip:
            why = f"{host_ip} is the node of {_key(dst)} (its root sockets); always allowed"
            return PolicyVerdict(True, (why,))
    reasons = []
    allowed = True
    if source.pod is not None:
        ok, why = _direction(
            "Egress", source.pod, destination, destination, port, protocol, state, source.label
        )
        allowed &= ok
        reasons.append(why)
    if destination.pod is not None:
        ok, why = _direction(
            "Ingress", destination.pod, source, destination, port, protocol, state, source.label
        )
        allowed &= ok
        reasons.append(why)
    elif isinstance(dst, dict):
        reasons.append(f"pod {_key(dst)} uses the host network; no policy selects it")
    return PolicyVerdict(allowed, tuple(reasons))
