"""The connections NetworkPolicies allow between the drawn pods, on one port and protocol.

Read from the reachability matrix (`reachability_table`, the evaluator's verdict for every pair
of pods): one edge per allowed pair of boxes, a pod to itself left out (its loopback, where no
policy looks). A folded ReplicaSet box stands for all its pods: an edge joins two boxes when
some pod of one may connect to some pod of the other, labelled `k of n` when only k of their n
pairs may; a folded box's own pods reaching each other draw a loop on it. When every pair may
connect, or none may, no edge is drawn: the caption says so (N² edges would hide the picture).
Pods without an IP cannot be connected to and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubenet_nb.views.dot import text
from kubenet_nb.views.tables.reachability import reachability_table
from kubenet_nb.views.topology.drawing import Drawing
from kubenet_nb.views.topology.scene import object_key

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Objects

__all__ = ["PROTOCOLS", "Flows", "check_flows", "draw_flows"]

PROTOCOLS = ("TCP", "UDP", "SCTP")
"""What a NetworkPolicy port can name (networking/v1 NetworkPolicyPort.protocol)."""


@dataclass(frozen=True)
class Flows:
    """What was drawn: on which port, the pairs of pods allowed out of those there are, and
    the caption."""

    where: str
    allowed: int
    pairs: int
    caption: str

    @property
    def summary(self) -> str:
        """How the picture's summary counts them."""
        return f"flows {self.where}: {self.allowed} of {self.pairs} allowed"


def check_flows(port: object, protocol: object) -> tuple[int, str]:
    """The port (1-65535) and protocol (TCP, UDP, SCTP) asked for, or ValueError."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError(f"flows takes a port number from 1 to 65535, not {port!r}")
    if protocol not in PROTOCOLS:
        raise ValueError(f"flows_protocol is one of TCP, UDP, SCTP, not {protocol!r}")
    return port, str(protocol)


def draw_flows(drawing: Drawing, cluster: Objects, port: int, protocol: str) -> Flows:
    """Edges for the allowed connections among the drawn pods, and what the caption says."""
    pods = [
        pod
        for pod in drawing.scene.pods
        if object_key(pod) in drawing.pod_ids and (pod.get("status") or {}).get("podIP")
    ]
    namespaces = {object_key(pod)[0] for pod in pods}
    matrix = reachability_table(
        cluster, port, protocol, next(iter(namespaces)) if len(namespaces) == 1 else None
    )
    names = [f"{namespace}/{name}" for namespace, name in map(object_key, pods)]
    boxes = [drawing.pod_ids[object_key(pod)] for pod in pods]
    edges: dict[tuple[str, str], list[int]] = {}
    allowed = 0
    for src, tail in zip(names, boxes, strict=True):
        for dst, head in zip(names, boxes, strict=True):
            if src == dst:
                continue
            counts = edges.setdefault((tail, head), [0, 0])
            counts[1] += 1
            if matrix.at[src, dst]:
                counts[0] += 1
                allowed += 1
    pairs = sum(total for _, total in edges.values())
    where = f"{port}/{protocol}"
    if pairs == 0:
        caption = f"flows on {where}: fewer than two pods with an IP drawn"
    elif allowed == pairs:
        caption = (
            f"flows on {where}: every drawn pod may open a connection to every other "
            "(no NetworkPolicy stops one); no edges drawn"
        )
    elif allowed == 0:
        caption = f"flows on {where}: NetworkPolicies let no drawn pod connect to another"
    else:
        caption = f"flows on {where}: {allowed} of {pairs} connections between pods allowed"
        for (tail, head), (count, total) in edges.items():
            if count:
                label = "" if count == total else text(f"{count} of {total}")
                # Not `constraint=false`: Graphviz 2.43's dot never ends laying out such edges
                # between pods of different node clusters; as constraints they only add ranks.
                drawing.add_edge(tail, head, "flow", label)
    return Flows(where, allowed, pairs, caption)
