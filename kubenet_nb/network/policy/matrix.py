"""Every pod-to-pod verdict at once: `verdict`'s answers for n pods without n² calls to it.

The same predicates decide (evaluate.py's `peer_matches` and `port_matches`), asked per set
instead of per pair: each rule's peers and ports once per group of pods they cannot tell apart,
giving the pods it admits as a bitset (bit i: the i-th pod); a pod's egress set is the union of
what the egress rules of the policies isolating it admit, its ingress set likewise, and a
connection passes iff the destination is in the source's egress set and the source in the
destination's ingress set. A pod reaching itself passes: its loopback, which no policy sees.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Iterable

import numpy as np
import numpy.typing as npt

from kubenet_nb.network.policy.evaluate import (
    End,
    host_network,
    peer_matches,
    pod_ip,
    policy_types,
    port_matches,
)
from kubenet_nb.network.policy.state import PolicyState

__all__ = ["allowed_matrix"]

_Groups = list[tuple[End, int]]
"""Pods that a predicate cannot tell apart: one of them as an end, and all of them as a bitset."""


def _end(pod: dict) -> End:
    """The pod as `verdict` sees either end: by its IP alone when it uses the host network."""
    return End(None if host_network(pod) else pod, pod_ip(pod))


def _selected_as(pod: dict) -> Hashable:
    """What a selector peer reads of the other end: a pod or not, its namespace, its labels."""
    meta = pod["metadata"]
    labels = tuple(sorted((meta.get("labels") or {}).items()))
    return host_network(pod), meta.get("namespace", "default"), labels


def _declared_ports(pod: dict) -> Hashable:
    """What a named port reads of the destination: a pod or not, its containers' ports and its
    init containers' ports with their restartPolicy (a sidecar's count)."""
    spec = pod.get("spec") or {}

    def ports(container: dict) -> tuple:
        return tuple(tuple(sorted(port.items())) for port in container.get("ports") or ())

    return (
        host_network(pod),
        tuple(ports(container) for container in spec.get("containers") or ()),
        tuple(
            (container.get("restartPolicy"), ports(container))
            for container in spec.get("initContainers") or ()
        ),
    )


def _groups(pods: list[dict], key: Callable[[dict], Hashable]) -> _Groups:
    """The pods grouped by `key`, in order of first appearance."""
    found: dict[Hashable, list] = {}
    for index, pod in enumerate(pods):
        entry = found.setdefault(key(pod), [_end(pod), 0])
        entry[1] |= 1 << index
    return [(end, bits) for end, bits in found.values()]


def _union(sets: Iterable[int]) -> int:
    result = 0
    for bits in sets:
        result |= bits
    return result


class _Admitted:
    """The bitsets of one matrix: per rule, per policy, per pod and direction."""

    def __init__(self, state: PolicyState, pods: list[dict], port: int, protocol: str) -> None:
        self.state, self.port, self.protocol = state, port, protocol
        self.everyone = (1 << len(pods)) - 1
        self.by_selection = _groups(pods, _selected_as)
        self.by_ip = _groups(pods, pod_ip)
        self.by_ports = _groups(pods, _declared_ports)
        self._rules: dict[tuple[int, str], tuple[dict, list[tuple[int, int]]]] = {}
        self._peers: dict[tuple[str, str], int] = {}

    def _peer(self, peer: dict, namespace: str) -> int:
        """The pods one NetworkPolicyPeer matches, once per peer written alike (an ipBlock reads
        only the IP, selectors the pod and the policy's namespace: types.go makes them
        exclusive)."""
        block = "ipBlock" in peer
        key = ("" if block else namespace, json.dumps(peer, sort_keys=True))
        found = self._peers.get(key)
        if found is None:
            found = self._peers[key] = _union(
                bits
                for end, bits in (self.by_ip if block else self.by_selection)
                if peer_matches(peer, namespace, end, self.state)
            )
        return found

    def _ports(self, rule: dict) -> int:
        """The destinations on which some port of the rule matches (every one without ports)."""
        wanted = rule.get("ports") or []
        if not wanted:
            return self.everyone
        return _union(
            bits
            for end, bits in self.by_ports
            if any(port_matches(p, self.port, self.protocol, end) for p in wanted)
        )

    def rules(self, policy: dict, kind: str) -> list[tuple[int, int]]:
        """Per rule of one direction ("ingress" or "egress") of a policy: the destinations its
        ports match and the pods its peers match (the other end), computed once per policy."""
        found = self._rules.get((id(policy), kind))
        if found is None:
            namespace = policy["metadata"].get("namespace", "default")
            peers_key = "from" if kind == "ingress" else "to"
            sets = []
            for rule in (policy.get("spec") or {}).get(kind) or ():
                peers = rule.get(peers_key) or []
                admitted = (
                    _union(self._peer(peer, namespace) for peer in peers)
                    if peers
                    else self.everyone
                )
                sets.append((self._ports(rule), admitted))
            found = self._rules[(id(policy), kind)] = (policy, sets)
        return found[1]

    def _applying(self, pod: dict, direction: str) -> list[dict]:
        return [p for p in self.state.selecting(pod) if direction in policy_types(p)]

    def egress(self, pod: dict) -> int:
        """The destinations the pod may send to: every pod unless isolated for egress."""
        applying = self._applying(pod, "Egress")
        if not applying:
            return self.everyone
        return _union(
            ports & peers for policy in applying for ports, peers in self.rules(policy, "egress")
        )

    def ingress(self, index: int, pod: dict) -> int:
        """The sources the pod (the `index`-th) may receive from: every pod unless isolated for
        ingress; a rule counts when its ports match on this pod."""
        applying = self._applying(pod, "Ingress")
        if not applying:
            return self.everyone
        return self._node_of(pod) | _union(
            peers
            for policy in applying
            for ports, peers in self.rules(policy, "ingress")
            if ports >> index & 1
        )

    def _node_of(self, pod: dict) -> int:
        """The host-network pods of the pod's own node: its root sockets, never judged."""
        host_ip = (pod.get("status") or {}).get("hostIP")
        return _union(bits for end, bits in self.by_ip if end.pod is None and end.ip == host_ip)


def _unpack(sets: list[int], width: int) -> npt.NDArray[np.bool_]:
    """Bitsets as the rows of a bool array, `width` columns."""
    size = (width + 7) // 8
    data = np.frombuffer(b"".join(bits.to_bytes(size, "little") for bits in sets), np.uint8)
    rows = np.unpackbits(data.reshape(len(sets), size), axis=1, bitorder="little")
    return rows[:, :width].astype(bool)


def allowed_matrix(
    state: PolicyState, pods: list[dict], port: int, protocol: str = "TCP"
) -> npt.NDArray[np.bool_]:
    """An n by n bool array: [i, j] is whether a new `protocol` connection from pods[i] to
    pods[j]'s IP on `port` passes, as `verdict(state, pods[i], pods[j], port, protocol)` says;
    the diagonal is True (loopback)."""
    admitted = _Admitted(state, pods, port, protocol)
    egress = _unpack([admitted.egress(pod) for pod in pods], len(pods))
    ingress = _unpack([admitted.ingress(j, pod) for j, pod in enumerate(pods)], len(pods))
    matrix = egress & ingress.T
    np.fill_diagonal(matrix, True)
    return matrix
