"""How the topology draws each thing (colours, line styles) and the legend that explains them.

One table of styles serves both the drawing and its legend, so the legend cannot drift from
what is drawn; the legend lists only the styles a picture uses, so it stays small.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import graphviz

from kubenet_nb.views.dot import html_label

__all__ = [
    "CONNECTION_STYLES",
    "FONT",
    "HIGHLIGHT",
    "ISOLATED_STYLE",
    "POD_STYLES",
    "POLICY",
    "add_legend",
]

FONT = "Helvetica"
HIGHLIGHT = "#d9480f"
"""The colour of a traced path (and of the boxes it crosses)."""
FAILED = "#c92a2a"
"""The colour of a traced path that was not delivered."""
POLICY = "#c2255c"
"""The colour of a NetworkPolicy's isolation line in a pod's box (and of the flows caption)."""
ALLOWED = "#2f9e44"
"""The colour of a connection NetworkPolicies allow (`flows`)."""

POD_STYLES: dict[str, dict[str, str]] = {
    "ready": {"style": "rounded,filled", "fillcolor": "#d3f9d8", "color": "#2b8a3e"},
    "not ready": {"style": "rounded,filled", "fillcolor": "#ffe8cc", "color": "#e8590c"},
    "terminating": {"style": "rounded,filled,dashed", "fillcolor": "#e9ecef", "color": "#868e96"},
    "pending": {"style": "rounded,filled,dotted", "fillcolor": "#f8f9fa", "color": "#868e96"},
}
"""A pod's box by its state; a folded box takes the style of most of its pods."""
ISOLATED_STYLE = {"penwidth": "2.5"}
"""Added to the box of a pod some NetworkPolicy isolates: a thicker border, in its state's
colour (the box also says `isolated: ingress, egress`)."""

SERVICE_STYLE = {"shape": "box", "style": "filled", "fillcolor": "#dbe4ff", "color": "#364fc7"}
LOCAL_SERVICE_STYLE = {**SERVICE_STYLE, "color": "#862e9c", "penwidth": "2.5"}
DNS_STYLE = {"shape": "note", "style": "filled", "fillcolor": "#e6fcf5", "color": "#0c8599"}
LOAD_BALANCER_STYLE = {
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": "#fff3bf",
    "color": "#e67700",
}
OUTSIDE_STYLE = {"shape": "ellipse", "style": "dashed", "color": "#495057"}
HOST_STYLE = {"shape": "box", "style": "filled", "fillcolor": "#ffffff", "color": "#868e96"}

CONNECTION_STYLES: dict[str, dict[str, str]] = {
    "ready": {"color": "#364fc7", "style": "solid"},
    "not ready": {"color": "#e8590c", "style": "dashed"},
    "terminating": {"color": "#868e96", "style": "dotted"},
    "node port": {"color": "#868e96", "style": "solid"},
    "local": {"color": "#862e9c", "style": "bold"},
    "dns": {"color": "#0c8599", "style": "dotted"},
    "outside": {"color": "#495057", "style": "dashed"},
    "load balancer": {"color": "#e67700", "style": "solid"},
    "trace": {"color": HIGHLIGHT, "style": "bold"},
    "flow": {"color": ALLOWED, "style": "solid"},
}
"""Edges by what they mean; endpoint edges by the endpoint's conditions."""

_BOX_LEGEND: tuple[tuple[dict[str, str], str], ...] = (
    (POD_STYLES["ready"], "pod: ready"),
    (POD_STYLES["not ready"], "pod: not ready (no traffic)"),
    (POD_STYLES["terminating"], "pod: terminating"),
    (POD_STYLES["pending"], "pod: not scheduled / no IP"),
    (SERVICE_STYLE, "Service: virtual IP (ClusterIP) and ports"),
    (LOCAL_SERVICE_STYLE, "Service with externalTrafficPolicy Local"),
    (DNS_STYLE, "DNS only: headless or ExternalName Service"),
    (LOAD_BALANCER_STYLE, "load balancer's external IP"),
)
_LINE_LEGEND = (
    ("ready", "Service → ready endpoint (port → target port)"),
    ("not ready", "Service → not-ready endpoint (left out)"),
    ("terminating", "Service → terminating endpoint"),
    ("node port", "node port → Service (externalTrafficPolicy Cluster)"),
    ("local", "node port → local pods only (externalTrafficPolicy Local)"),
    ("dns", "DNS answer (headless A record, ExternalName CNAME)"),
    ("load balancer", "load balancer → nodes it sends to"),
    ("trace", "the traced connection (DNAT, SNAT marked)"),
    ("flow", "NetworkPolicies let the pod open a new connection (port in the caption)"),
)
_ISOLATED_BORDER = 3
"""The legend swatch's border for an isolated pod (cells take whole points)."""
_LINE_GLYPH = {"solid": "──────", "dashed": "─ ─ ─ ─", "dotted": "·······", "bold": "━━━━━━"}


def _swatch(fill: str, border: str) -> str:
    return f'<TD BGCOLOR="{fill}" COLOR="{border}" BORDER="1" WIDTH="28"> </TD>'


def _drawn(style: dict[str, str], boxes: Iterable[dict[str, str]]) -> bool:
    """Whether a box was drawn in this style (a folded pod box adds `peripheries`)."""
    return any(style.items() <= box.items() for box in boxes)


def add_legend(
    graph: graphviz.Digraph,
    boxes: Iterable[dict[str, str]],
    lines: Collection[str],
    isolated: bool = False,
) -> None:
    """A legend box explaining only what the picture shows: the styles of the `boxes` drawn
    (their attributes as given, before any highlight), whether a pod drawn is `isolated` by a
    NetworkPolicy, and the kinds of `lines` drawn. Nothing drawn in a legend style, no legend."""
    boxes = list(boxes)
    rows = [
        f'<TR>{_swatch(style["fillcolor"], style["color"])}<TD ALIGN="LEFT">{words}</TD></TR>'
        for style, words in _BOX_LEGEND
        if _drawn(style, boxes)
    ]
    if isolated:
        rows.append(
            f'<TR><TD BGCOLOR="#ffffff" COLOR="#495057" BORDER="{_ISOLATED_BORDER}" WIDTH="28"> '
            '</TD><TD ALIGN="LEFT">pod isolated by a NetworkPolicy (thick border; '
            "“isolated: ingress, egress”: only what a rule allows gets in / out)</TD></TR>"
        )
    for kind, words in _LINE_LEGEND:
        if kind in lines:
            style = CONNECTION_STYLES[kind]
            glyph = _LINE_GLYPH[style["style"]]
            rows.append(
                f'<TR><TD><FONT COLOR="{style["color"]}">{glyph}</FONT></TD>'
                f'<TD ALIGN="LEFT">{words}</TD></TR>'
            )
    if not rows:
        return
    markup = (
        '<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="1" CELLPADDING="1">'
        + "".join(rows)
        + "</TABLE>"
    )
    with graph.subgraph(name="cluster_legend") as legend:
        legend.attr(label="", style="rounded", color="#ced4da")
        legend.node("legend", html_label(markup), shape="plain", fontsize="8")
