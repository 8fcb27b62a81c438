"""NetworkPolicy verdicts as kind v0.29 enforces them (kindnetd's kube-network-policies v0.8.0).

A pure evaluator over stored objects: `verdict(state, src, dst, port, protocol)` says whether
a new connection passes and why; the packet walk asks it where kind's nftables hooks do.
`allowed_matrix(state, pods, port, protocol)` gives its answers for every pair of pods at once.
"""

from __future__ import annotations

from kubenet_nb.network.policy.evaluate import PolicyVerdict, isolation, policy_types, verdict
from kubenet_nb.network.policy.matrix import allowed_matrix
from kubenet_nb.network.policy.state import PolicyState, policy_state

__all__ = [
    "PolicyState",
    "PolicyVerdict",
    "allowed_matrix",
    "isolation",
    "policy_state",
    "policy_types",
    "verdict",
]
