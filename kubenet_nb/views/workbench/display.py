"""How the workbench shows the cluster: its picture and table makers, the reachability
matrix, the status line, and the choices its dropdowns offer (pods with their state, nodes with
theirs).

The picture and the table come from callables (`Draw`, `Table`), the topology and the
endpoints table by default, so the app depends only on what it needs of them.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from kubenet_nb.views.tables.endpoints import ENDPOINT_COLUMNS, brief, endpoints_table
from kubenet_nb.views.tables.reachability import reachability_table
from kubenet_nb.views.tables.style import ticks
from kubenet_nb.views.topology import topology
from kubenet_nb.views.topology.scene import SYSTEM_NAMESPACES, pod_state
from kubenet_nb.views.workbench.forms import OUTSIDE
from kubenet_nb.views.workbench.log import says_html

if TYPE_CHECKING:
    import pandas as pd

    from kubenet_nb.network.trace import Trace
    from kubenet_nb.views.workbench.log import Entry
    from kubenet_nb.views.workbook import Workbook

__all__ = [
    "PICTURE_HEIGHT",
    "Draw",
    "Drawable",
    "Table",
    "default_source",
    "draw_topology",
    "matrix_html",
    "name_of",
    "node_choices",
    "picture_html",
    "pod_choices",
    "reachability_matrix",
    "source_choices",
    "status_html",
    "table_endpoints",
    "table_html",
    "table_shown",
    "via_choices",
]

Choices = list[tuple[str, str | None]]

PICTURE_HEIGHT = "max(20em, 100vh - 560px)"
"""The tallest the picture is drawn to fit: the window's height less what sits above the
picture (the notebook's bars, the app's title, a form, the status), so that after a click
the whole picture is in view below the form; never less than 20em."""


class Drawable(Protocol):
    """What the workbench needs of a picture (a `kubenet_nb.views.Picture`)."""

    @property
    def source(self) -> str: ...

    def svg(self) -> str | None: ...

    def fallback_html(self) -> str: ...


Draw = Callable[["Workbook", str, "Trace | None"], Drawable]
"""Makes the picture: (cluster, namespace, trace to highlight or None)."""
Table = Callable[["Workbook", str], "pd.DataFrame"]
"""Makes the table: (cluster, namespace)."""


def draw_topology(cluster: Workbook, namespace: str, highlight: Trace | None) -> Drawable:
    """The default picture: the namespace's topology, with the last trace's path."""
    return topology(cluster, namespace, highlight)


def table_endpoints(cluster: Workbook, namespace: str) -> pd.DataFrame:
    """The default table: the namespace's endpoints table, every column (the log compares
    the conditions; the app shows the brief columns unless asked for all)."""
    return endpoints_table(cluster, namespace, wide=True)


def reachability_matrix(cluster: Workbook, port: int, protocol: str) -> pd.DataFrame:
    """Which pod may connect to which on `port`/`protocol` (the reachability matrix), over the
    pods of every namespace but the system ones: a policy admitting another namespace shows."""
    namespaces = {
        pod["metadata"].get("namespace", "")
        for pod in cluster.list("pods", None)
        if pod["metadata"].get("namespace") not in SYSTEM_NAMESPACES
    }
    only = next(iter(namespaces)) if len(namespaces) == 1 else None
    frame = reachability_table(cluster, port, protocol, only)
    keep = [name for name in frame.index if name.partition("/")[0] in namespaces]
    return frame.loc[keep, keep]


def matrix_html(frame: pd.DataFrame, where: str) -> str:
    """A reachability matrix as HTML: a count above, then a row per source and a column per
    destination, ✔ (allowed) or ✘ (dropped: the client times out); every name escaped."""
    if frame.empty:
        return f"<p><i>No pods to connect on {html.escape(where)}.</i></p>"
    pods = len(frame.columns)
    allowed = int(frame.to_numpy().sum()) - pods
    summary = (
        f"<p><small>{allowed} of {pods * (pods - 1)} new connections allowed on "
        f"{html.escape(where)} (rows: from, columns: to; ✘: dropped, the client times out; "
        "a pod reaching itself never leaves it).</small></p>"
    )
    table = ticks(frame, "workbench-reachability")._repr_html_()
    return f'{summary}<div style="white-space:nowrap">{table}</div>'


def table_shown(frame: pd.DataFrame, wide: bool) -> pd.DataFrame:
    """What the app shows of its table: an endpoints table's brief columns unless `wide`;
    any other table whole."""
    if wide or not set(ENDPOINT_COLUMNS) <= set(frame.columns):
        return frame
    return brief(frame)


def picture_html(picture: Drawable, full_size: bool = False) -> str:
    """The SVG (its XML prologue dropped), scaled down to fit the app's width and
    `PICTURE_HEIGHT`, its aspect kept and nothing clipped; at Graphviz's own size when
    `full_size` (the view scrolls). The DOT listing when dot is missing."""
    svg = picture.svg()
    if svg is None:
        return picture.fallback_html()
    root = svg[svg.find("<svg") :]
    if full_size:
        return f"<div>{root}</div>"
    fit = f"max-width:100%;max-height:{PICTURE_HEIGHT};width:auto;height:auto"
    return f'<div><svg style="{fit}"{root[len("<svg") :]}</div>'


def table_html(frame: pd.DataFrame) -> str:
    """A DataFrame as an HTML table (escaped by pandas), missing cells empty, cells unwrapped
    (the view it goes in scrolls)."""
    shown = frame.astype(object).where(frame.notna(), "")
    return f'<div style="white-space:nowrap">{shown.to_html(index=False)}</div>'


def status_html(entry: Entry) -> str:
    """The last action: what ran (its manifest folded), then what it printed or its error (in
    red), escaped."""
    parts = [says_html(entry.says)]
    if entry.output:
        parts.append(f"<pre>{html.escape(entry.output)}</pre>")
    if entry.error is not None:
        parts.append(f'<pre style="color:#c92a2a">{html.escape(entry.error)}</pre>')
    return "".join(parts)


def name_of(obj: dict) -> str:
    """An object's name."""
    return obj["metadata"]["name"]


def pod_choices(pods: list[dict]) -> Choices:
    """`name · state · node` for each pod (state as the picture draws it)."""
    choices: Choices = []
    for pod in pods:
        node = (pod.get("spec") or {}).get("nodeName") or "no node"
        choices.append((f"{name_of(pod)} · {pod_state(pod)} · {node}", name_of(pod)))
    return choices


def default_source(pods: list[dict], namespace: str) -> str | None:
    """Where a trace starts until the user picks: the first ready pod (a pod that is not ready
    is a poor client to start from), else the first pod; None without pods."""
    ready = [p for p in pods if pod_state(p) == "ready"] or pods
    return f"{namespace}/{name_of(ready[0])}" if ready else None


def node_choices(nodes: list[dict]) -> Choices:
    """`name · Ready[,SchedulingDisabled]` for each node, as `kubectl get nodes` says it."""
    choices: Choices = []
    for node in nodes:
        conditions = (node.get("status") or {}).get("conditions") or ()
        ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
        status = "Ready" if ready else "NotReady"
        if (node.get("spec") or {}).get("unschedulable"):
            status += ",SchedulingDisabled"
        choices.append((f"{name_of(node)} · {status}", name_of(node)))
    return choices


def source_choices(pods: list[dict], nodes: list[dict], namespace: str) -> Choices:
    """Who a trace can start from: the pods (first), the nodes, an outside client."""
    choices: Choices = [(f"pod {name_of(p)}", f"{namespace}/{name_of(p)}") for p in pods]
    choices += [(f"node {name_of(n)}", name_of(n)) for n in nodes]
    return [*choices, ("outside client (IP below)", OUTSIDE)]


def via_choices(nodes: list[dict]) -> Choices:
    """Which node an outside client's packet enters by (None: kube-proxy's own choice)."""
    return [("(kube-proxy's choice)", None), *((name_of(n), name_of(n)) for n in nodes)]
