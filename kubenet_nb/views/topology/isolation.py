"""Which drawn pods a NetworkPolicy isolates, and the line their boxes say it with.

A pod is isolated for ingress (egress) when some policy selecting it lists that type in its
(defaulted) `policyTypes`; then only what a rule allows gets in (out). The evaluator in
`kubenet_nb.network.policy` decides; a cluster without NetworkPolicies is never asked, so its
picture is the one drawn before policies existed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from kubenet_nb.network.policy import isolation, policy_state
from kubenet_nb.views.topology.scene import object_key

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Objects

__all__ = ["Isolation", "isolation_line", "isolation_of"]

Isolation = dict[tuple[str, str], tuple[bool, bool]]
"""(namespace, name) of each isolated pod to (isolated for ingress, isolated for egress)."""


def isolation_of(cluster: Objects, pods: Sequence[dict]) -> Isolation:
    """The pods among `pods` some NetworkPolicy isolates; empty without NetworkPolicies."""
    if not cluster.list("networkpolicies", None):
        return {}
    state = policy_state(cluster)
    found: Isolation = {}
    for pod in pods:
        ingress, egress = isolation(state, pod)
        if ingress or egress:
            found[object_key(pod)] = (ingress, egress)
    return found


def isolation_line(marks: Sequence[tuple[bool, bool]], pods: int = 1) -> str:
    """`isolated: ingress, egress` for the isolation `marks` of a box's isolated pods; for a
    box of several `pods` a direction not isolating all of them says how many it does, e.g.
    `isolated: ingress (2 of 5)`. Empty when none is isolated."""
    words = []
    for index, direction in enumerate(("ingress", "egress")):
        count = sum(mark[index] for mark in marks)
        if count:
            words.append(direction if count == pods else f"{direction} ({count} of {pods})")
    return f"isolated: {', '.join(words)}" if words else ""
