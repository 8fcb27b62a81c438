"""`Drawing`: the Digraph being built and where each object landed in it.

The parts of the topology (nodes and pods, Services, the ways in, the traced path) add to one
`Drawing`; it applies the shared styles and the highlight, and answers "which box stands for
this pod or this address" so that edges find their ends.
"""

from __future__ import annotations

from collections.abc import Sequence

import graphviz

from kubenet_nb.views.dot import TIMES, dot_id, html_label, table, text
from kubenet_nb.views.topology.endpoints import DrawnEndpoint
from kubenet_nb.views.topology.isolation import Isolation
from kubenet_nb.views.topology.scene import Scene
from kubenet_nb.views.topology.styles import CONNECTION_STYLES, FONT, HIGHLIGHT, OUTSIDE_STYLE

__all__ = ["NODE_IP_PORT", "Drawing"]

NODE_IP_PORT = "ip"
"""The PORT of a node's address row in its host box (where outside traffic enters)."""


class Drawing:
    """A graph under construction over one `Scene`."""

    def __init__(
        self, scene: Scene, marked: frozenset[str] = frozenset(), isolation: Isolation | None = None
    ) -> None:
        self.scene = scene
        self.marked = marked
        """Boxes on a traced path, drawn emphasised."""
        self.isolation: Isolation = isolation or {}
        """The pods a NetworkPolicy isolates, marked on their boxes."""
        self.isolated_drawn = False
        """Whether a box was marked isolated, for the legend."""
        self.graph = graphviz.Digraph(
            "topology",
            graph_attr={
                "rankdir": "LR",
                "fontname": FONT,
                "fontsize": "10",
                "nodesep": "0.2",
                "ranksep": "0.5",
                "labelloc": "t",
                "labeljust": "l",
            },
            node_attr={"fontname": FONT, "fontsize": "9", "shape": "box", "margin": "0.08,0.04"},
            edge_attr={"fontname": FONT, "fontsize": "8", "arrowsize": "0.6"},
        )
        self.pod_ids: dict[tuple[str, str], str] = {}
        """(namespace, name) of each drawn pod to its box (its own or a folded one)."""
        self.pod_ip_ids: dict[str, str] = {}
        """Pod IP (own network namespace only) to its box."""
        self.host_ids: dict[str, str] = {}
        """Node name to its host box."""
        self.node_names = scene.node_ips()
        """Node InternalIP to node name."""
        self.drawn: set[str] = set()
        """The IDs of the boxes added so far."""
        self.box_styles: list[dict[str, str]] = []
        """The attributes each box was given (before a highlight), for the legend."""
        self.line_kinds: set[str] = set()
        """The kinds of edges drawn (keys of CONNECTION_STYLES), for the legend."""

    def add_node(self, where: graphviz.Digraph, node_id: str, markup: str, **attrs: str) -> None:
        """A box with an HTML-like label (markup already escaped), emphasised if marked."""
        self.box_styles.append(attrs)
        if node_id in self.marked:
            attrs = {**attrs, "penwidth": "3", "color": HIGHLIGHT}
        self.drawn.add(node_id)
        where.node(node_id, html_label(markup), **attrs)

    def add_edge(self, tail: str, head: str, kind: str, markup: str = "", **attrs: str) -> None:
        """An edge styled by what it means (a key of CONNECTION_STYLES)."""
        style = CONNECTION_STYLES[kind]
        self.line_kinds.add(kind)
        options = {"color": style["color"], "fontcolor": style["color"], "style": style["style"]}
        options.update(attrs)
        if markup:
            options["label"] = html_label(markup)
        self.graph.edge(tail, head, **options)

    def outside(self, node_id: str, lines: list[str]) -> str:
        """A box (drawn once) for something outside the cluster: an address, a DNS name."""
        if node_id not in self.drawn:
            self.add_node(
                self.graph, node_id, table([text(line) for line in lines]), **OUTSIDE_STYLE
            )
        return node_id

    def address_id(self, ip: str) -> str | None:
        """The box (or host row) that answers at an address, if it is drawn."""
        if ip in self.pod_ip_ids:
            return self.pod_ip_ids[ip]
        node = self.node_names.get(ip)
        if node is not None and node in self.host_ids:
            return f"{self.host_ids[node]}:{NODE_IP_PORT}"
        return None

    def endpoint_id(self, endpoint: DrawnEndpoint) -> str | None:
        """The box of an endpoint: its pod's, its node's, or an outside address's; None for a
        pod left out of the picture."""
        if endpoint.pod is not None and endpoint.pod in self.pod_ids:
            return self.pod_ids[endpoint.pod]
        found = self.address_id(endpoint.ip)
        if found is not None or endpoint.pod is not None:
            return found
        return self.outside(dot_id("ip", endpoint.ip), [endpoint.ip, "not a pod"])

    def endpoint_edges(
        self, tail: str, endpoints: Sequence[tuple[DrawnEndpoint, tuple[str, ...]]], kind: str = ""
    ) -> None:
        """Edges to endpoints, each labelled with its port mappings: one per box and kind
        (the endpoint's condition unless `kind`), with a count when several share a box."""
        edges: dict[tuple[str, str], tuple[dict[str, None], int]] = {}
        for endpoint, mappings in endpoints:
            target = self.endpoint_id(endpoint)
            if target is None:
                continue
            condition = kind or endpoint.condition
            labels, count = edges.get((target, condition), ({}, 0))
            labels.update(dict.fromkeys(mappings))
            edges[(target, condition)] = (labels, count + 1)
        for (target, condition), (labels, count) in edges.items():
            words = "<BR/>".join(text(m) for m in labels) or "no port"
            if count > 1:
                words += f" {TIMES}{count}"
            self.add_edge(tail, target, condition, words)
