"""NetworkPolicy verdicts as kind v0.29 enforces them (kindnetd's kube-network-policies v0.8.0).

A pure evaluator over stored objects: `verdict(state, src, dst_pod, port, protocol)` says whether
a new connection passes and why. Not wired into the packet walk yet.
"""

from __future__ import annotations

from kubenet_nb.network.policy.evaluate import PolicyVerdict, verdict
from kubenet_nb.network.policy.state import PolicyState, policy_state

__all__ = ["PolicyState", "PolicyVerdict", "policy_state", "verdict"]
