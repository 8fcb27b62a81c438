"""`topology`: a Graphviz picture of a cluster's nodes, pods, Services and how traffic reaches them.

What it draws, from the objects as they are now: each node as a box (name, node IP, pod CIDR)
holding a host box (its address and node ports) and its pods (name, IP, labels, readiness, and
containers with their ports when asked); each Service as a virtual-IP box with edges to its
endpoints labelled `port → target port`; load balancers, the outside client, headless DNS names
and ExternalName CNAMEs; a traced connection's path; the pods a NetworkPolicy isolates, and
when asked the connections policies allow between pods on one port; a legend of the styles
drawn. The DOT text is deterministic (sorted objects, IDs from kind, namespace and name) and all
object text is escaped.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from kubenet_nb.network.trace import Trace
from kubenet_nb.views.dot import dot_id, table, text
from kubenet_nb.views.picture import Picture
from kubenet_nb.views.topology.drawing import NODE_IP_PORT, Drawing
from kubenet_nb.views.topology.flows import Flows, check_flows, draw_flows
from kubenet_nb.views.topology.highlight import Path, Ref, plan
from kubenet_nb.views.topology.ingress import OUTSIDE_ID, WaysIn, node_port_row
from kubenet_nb.views.topology.isolation import isolation_of
from kubenet_nb.views.topology.nodes import draw_nodes
from kubenet_nb.views.topology.scene import collect
from kubenet_nb.views.topology.services import service_boxes, service_endpoint_map
from kubenet_nb.views.topology.styles import CONNECTION_STYLES, FAILED, add_legend

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Workbook

__all__ = ["CAPTION_WIDTH", "FOLD_THRESHOLD", "topology"]

FOLD_THRESHOLD = 4
"""More pods than this of one ReplicaSet on one node fold into one box."""
CAPTION_WIDTH = 90
"""Characters per line of a traced path's caption: one long line would widen the picture, and
so shrink all of it when it is scaled to fit a notebook."""


def _count(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def _ref_id(drawing: Drawing, ref: Ref) -> str:
    """The box (or host-box row) a path reference stands for; a box saying it is not in the
    picture when it is gone (a trace outlives the objects it crossed)."""
    kind, rest = ref[0], ref[1:]
    found = ""
    if kind == "pod":
        found = drawing.pod_ids.get((rest[0], rest[1]), "")
    elif kind in ("svc", "lb"):
        found = dot_id(kind, *rest)
    elif kind in ("host", "row") and rest[0] in drawing.host_ids:
        port = NODE_IP_PORT if kind == "host" else node_port_row(int(rest[1]), rest[2])
        found = f"{drawing.host_ids[rest[0]]}:{port}"
    elif kind == "outside":
        found = OUTSIDE_ID
    elif kind == "ip":
        return drawing.outside(dot_id("ip", rest[0]), [rest[0], "outside the cluster"])
    if found and found.partition(":")[0] in drawing.drawn:
        return found
    return drawing.outside(dot_id("missing", *ref), [" ".join(rest) or kind, "not in the picture"])


def _marked(path: Path) -> frozenset[str]:
    """The boxes on a path (pods on it are never folded, so their IDs are known)."""
    ids = set()
    for step in path.steps:
        for ref in (step.tail, step.head):
            if ref[0] in ("pod", "svc", "lb"):
                ids.add(dot_id(ref[0], ref[1], ref[2]))
            elif ref[0] in ("host", "row"):
                ids.add(dot_id("node", ref[1]))
            elif ref[0] == "outside":
                ids.add(OUTSIDE_ID)
    return frozenset(ids)


def _caption(words: str, colour: str) -> list[str]:
    """Caption rows: `words` wrapped (a long line would widen the picture), in `colour`."""
    lines = textwrap.wrap(words, CAPTION_WIDTH, max_lines=3, placeholder=" …")
    return [f'<FONT COLOR="{colour}">{text(line)}</FONT>' for line in lines]


def _draw_path(drawing: Drawing, path: Path) -> list[str]:
    """The path's edges, numbered; returns its caption rows."""
    colour = CONNECTION_STYLES["trace"]["color"] if path.verdict == "delivered" else FAILED
    for number, step in enumerate(path.steps, start=1):
        lines = [f"{number}. {step.lines[0]}", *step.lines[1:]]
        drawing.add_edge(
            _ref_id(drawing, step.tail),
            _ref_id(drawing, step.head),
            "trace",
            "<BR/>".join(text(line) for line in lines),
            color=colour,
            fontcolor=colour,
            penwidth="2.5",
            constraint="false",
        )
    return _caption(path.caption, colour)


def topology(
    cluster: Workbook,
    namespace: str | None = None,
    highlight: Trace | None = None,
    selector: str | None = None,
    *,
    containers: bool = False,
    system: bool = False,
    fold_threshold: int | None = FOLD_THRESHOLD,
    legend: bool = True,
    flows: int | None = None,
    flows_protocol: str = "TCP",
) -> Picture:
    """Draw the cluster as it is now.

    `namespace` shows one namespace; without it every namespace but the system ones
    (kube-system, kube-public, kube-node-lease, local-path-storage) unless `system=True`.
    `selector` (kubectl's `-l` syntax) keeps the pods whose labels match, and the Services
    that match or route to them. `highlight` draws the path of a `Trace`. `containers` lists
    each pod's containers and ports. More than `fold_threshold` pods of one ReplicaSet on one
    node fold into one box (None: never). A pod some NetworkPolicy isolates has a thicker border
    and says `isolated: ingress, egress`. `flows` (a port; `flows_protocol` TCP, UDP or SCTP)
    draws an edge for each pair of drawn pods whose new connection the NetworkPolicies allow on
    that port (a folded box stands for its pods: `k of n` when only some of their pairs may);
    when all pairs may, or none, the caption says so instead.

    >>> from kubenet_nb import Cluster
    >>> topology(Cluster())
    <Topology: 3 nodes, 0 pods, 1 service>
    """
    wanted = check_flows(flows, flows_protocol) if flows is not None else None
    path = plan(cluster, highlight) if highlight is not None else None
    keep = path.pods if path is not None else frozenset()
    scene = collect(
        cluster,
        namespace,
        selector,
        system,
        keep_pods=keep,
        keep_services=path.services if path is not None else (),
    )
    marked = _marked(path) if path is not None else frozenset()
    drawing = Drawing(scene, marked, isolation_of(cluster, scene.pods))
    endpoints = service_endpoint_map(drawing)
    ways_in = WaysIn(drawing, endpoints)
    draw_nodes(drawing, ways_in.rows(), containers, set(keep), fold_threshold)
    ways_in.draw_outside(path.outside if path is not None else None)
    service_boxes(drawing, endpoints)
    ways_in.draw()
    caption = _draw_path(drawing, path) if path is not None else []
    drawn: Flows | None = None
    if wanted is not None:
        drawn = draw_flows(drawing, cluster, *wanted)
        caption += _caption(drawn.caption, CONNECTION_STYLES["flow"]["color"])
    if caption:
        drawing.graph.attr(label=f"<{table(caption)}>")
    if legend:
        add_legend(drawing.graph, drawing.box_styles, drawing.line_kinds, drawing.isolated_drawn)
    summary = (
        f"<Topology: {_count(len(scene.nodes), 'node')}, {_count(len(scene.pods), 'pod')}, "
        f"{_count(len(scene.services), 'service')}"
    )
    if path is not None:
        summary += f"; trace {path.verdict}"
    if drawn is not None:
        summary += f"; {drawn.summary}"
    return Picture(drawing.graph, summary + ">")
