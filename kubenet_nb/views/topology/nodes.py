"""The nodes of a topology picture: one box per node with its address, and the pods on it.

A node's box holds a host box (its InternalIP, where node ports and outside traffic arrive) and
its pods. Beyond `fold_threshold`, the pods of one controller (a ReplicaSet) on one node fold
into a single box with a count, drawn in the style of most of its pods; pods on a traced path
never fold.
"""

from __future__ import annotations

from collections.abc import Iterable

import graphviz

from kubenet_nb.api.well_known import (
    CONTROLLER_REVISION_HASH_LABEL,
    POD_TEMPLATE_GENERATION_LABEL,
    POD_TEMPLATE_HASH_LABEL,
)
from kubenet_nb.views.dot import TIMES, Row, dot_id, table, text
from kubenet_nb.views.topology.drawing import NODE_IP_PORT, Drawing
from kubenet_nb.views.topology.endpoints import ip_key
from kubenet_nb.views.topology.isolation import isolation_line
from kubenet_nb.views.topology.scene import internal_ip, object_key, pod_state, qualified
from kubenet_nb.views.topology.styles import HOST_STYLE, ISOLATED_STYLE, POD_STYLES, POLICY

__all__ = ["HIDDEN_LABELS", "draw_nodes"]

HIDDEN_LABELS = (
    CONTROLLER_REVISION_HASH_LABEL,
    POD_TEMPLATE_GENERATION_LABEL,
    POD_TEMPLATE_HASH_LABEL,
)
"""Labels controllers add to tell revisions apart: left out of the pod boxes (the box name
already carries the ReplicaSet's hash)."""
MAX_LABELS = 4
LABEL_SLACK = 8
"""Points of room after a node's label, beyond what Graphviz measures of its text."""
STATE_ORDER = ("ready", "not ready", "terminating", "pending")
"""The order of the states in a folded box's counts."""


def _small(markup: str, colour: str = "#495057") -> str:
    return f'<FONT POINT-SIZE="8" COLOR="{colour}">{markup}</FONT>'


def _controller(pod: dict) -> tuple[str, str] | None:
    for ref in pod["metadata"].get("ownerReferences") or ():
        if ref.get("controller"):
            return ref.get("kind") or "", ref.get("name") or ""
    return None


def _label_rows(labels: dict) -> list[str]:
    shown = sorted((k, v) for k, v in labels.items() if k not in HIDDEN_LABELS)
    rows = [_small(text(f"{k}={v}")) for k, v in shown[:MAX_LABELS]]
    if len(shown) > MAX_LABELS:
        rows.append(_small(f"+{len(shown) - MAX_LABELS} more labels"))
    return rows


def _container_rows(pod: dict) -> list[str]:
    rows = []
    for container in (pod.get("spec") or {}).get("containers") or ():
        rows.append(text(f"▸ {container.get('name', '')}: {container.get('image', '')}"))
        for port in container.get("ports") or ():
            words = f"{port.get('containerPort')}/{port.get('protocol') or 'TCP'}"
            if port.get("name"):
                words += f" ({port['name']})"
            rows.append(_small(text(f"   port {words}")))
    return rows


def _pod_markup(pod: dict, state: str, containers: bool, isolated: str = "") -> str:
    namespace, name = object_key(pod)
    status = pod.get("status") or {}
    where = status.get("podIP") or "no IP"
    if (pod.get("spec") or {}).get("hostNetwork"):
        where += " (host network)"
    rows = [f"<B>{text(qualified((namespace, name)))}</B>", text(f"{where} · {state}")]
    if isolated:
        rows.append(_small(text(isolated), POLICY))
    rows += _label_rows(pod["metadata"].get("labels") or {})
    if containers:
        rows += _container_rows(pod)
    return table(rows)


def _folded_markup(
    pods: list[dict], states: list[str], containers: bool, isolated: str = ""
) -> str:
    namespace, _ = object_key(pods[0])
    owner = (_controller(pods[0]) or ("", "?"))[1]
    counts = ", ".join(f"{states.count(s)} {s}" for s in STATE_ORDER if s in states)
    ips = sorted(filter(None, ((p.get("status") or {}).get("podIP") for p in pods)), key=ip_key)
    rows = [
        f"<B>{text(qualified((namespace, owner)))} {TIMES}{len(pods)}</B>",
        text(f"{len(pods)} pods: {counts}"),
    ]
    if ips:
        rows.append(text(f"{ips[0]} … {ips[-1]}" if len(ips) > 1 else ips[0]))
    if isolated:
        rows.append(_small(text(isolated), POLICY))
    common = dict(pods[0]["metadata"].get("labels") or {})
    for pod in pods[1:]:
        labels = pod["metadata"].get("labels") or {}
        common = {k: v for k, v in common.items() if labels.get(k) == v}
    rows += _label_rows(common)
    if containers:
        rows += _container_rows(pods[0])
    return table(rows)


def _groups(
    pods: Iterable[dict], keep: set[tuple[str, str]], threshold: int | None
) -> list[list[dict]]:
    """Pods in drawing order, grouped: a group of several pods is drawn as one folded box."""
    by_owner: dict[tuple, list[dict]] = {}
    order: list[tuple] = []
    for pod in pods:
        owner = _controller(pod)
        key: tuple = (object_key(pod),)
        if owner is not None and object_key(pod) not in keep:
            key = (object_key(pod)[0], *owner)
        if key not in by_owner:
            order.append(key)
        by_owner.setdefault(key, []).append(pod)
    groups: list[list[dict]] = []
    for key in order:
        members = by_owner[key]
        if threshold is not None and len(members) > threshold:
            groups.append(members)
        else:
            groups += [[pod] for pod in members]
    return groups


def _draw_pods(
    drawing: Drawing,
    where: graphviz.Digraph,
    pods: list[dict],
    node: str,
    containers: bool,
    keep: set[tuple[str, str]],
    threshold: int | None,
) -> None:
    for group in _groups(pods, keep, threshold):
        states = [pod_state(p) for p in group]
        marks = [
            drawing.isolation[key] for key in map(object_key, group) if key in drawing.isolation
        ]
        isolated = isolation_line(marks, len(group))
        if len(group) == 1:
            pod_id = dot_id("pod", *object_key(group[0]))
            markup = _pod_markup(group[0], states[0], containers, isolated)
            attrs = dict(POD_STYLES[states[0]])
        else:
            namespace, _ = object_key(group[0])
            owner = _controller(group[0]) or ("", "")
            pod_id = dot_id("pods", namespace, *owner, node)
            markup = _folded_markup(group, states, containers, isolated)
            most = max(STATE_ORDER, key=states.count)
            attrs = {**POD_STYLES[most], "peripheries": "2"}
        if isolated:
            attrs.update(ISOLATED_STYLE)
            drawing.isolated_drawn = True
        drawing.add_node(where, pod_id, markup, **attrs)
        for pod in group:
            drawing.pod_ids[object_key(pod)] = pod_id
            spec, status = pod.get("spec") or {}, pod.get("status") or {}
            if status.get("podIP") and not spec.get("hostNetwork"):
                drawing.pod_ip_ids[status["podIP"]] = pod_id


def _node_markup(node: dict) -> str:
    spec = node.get("spec") or {}
    conditions = (node.get("status") or {}).get("conditions") or ()
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)
    cidr = ", ".join(spec.get("podCIDRs") or ([spec["podCIDR"]] if spec.get("podCIDR") else []))
    rows = [
        f"<B>{text(node['metadata']['name'])}</B>",
        text(f"node IP {internal_ip(node) or 'none'} · pod CIDR {cidr or 'none'}"),
    ]
    flags = [] if ready else ["NotReady"]
    if spec.get("unschedulable"):
        flags.append("SchedulingDisabled")
    if flags:
        rows.append(f'<FONT COLOR="#c92a2a">{text(", ".join(flags))}</FONT>')
    # When its label is a cluster's widest part, Graphviz makes the cluster just as wide, and
    # the text, drawn by the browser a little wider at some scales, reaches past the border:
    # an empty cell after the label keeps the text inside.
    cells = f'<TR><TD>{table(rows)}</TD><TD WIDTH="{LABEL_SLACK}"></TD></TR>'
    return f'<TABLE BORDER="0" CELLPADDING="0" CELLSPACING="0">{cells}</TABLE>'


def draw_nodes(
    drawing: Drawing,
    entry_rows: dict[str, list[Row]],
    containers: bool,
    keep: set[tuple[str, str]],
    threshold: int | None,
) -> None:
    """One cluster box per node (host box, then its pods), then the pods not on any node."""
    by_node: dict[str, list[dict]] = {}
    for pod in drawing.scene.pods:
        by_node.setdefault((pod.get("spec") or {}).get("nodeName") or "", []).append(pod)
    for node in drawing.scene.nodes:
        name = node["metadata"]["name"]
        host_id = dot_id("node", name)
        drawing.host_ids[name] = host_id
        with drawing.graph.subgraph(name=f"cluster_{host_id}") as box:
            box.attr(
                label=f"<{_node_markup(node)}>",
                style="rounded,filled",
                fillcolor="#f8f9fa",
                color="#adb5bd",
            )
            rows: list[Row] = [(text(f"eth0 {internal_ip(node) or 'no IP'}"), NODE_IP_PORT)]
            rows += entry_rows.get(name, [])
            drawing.add_node(box, host_id, table(rows), **HOST_STYLE)
            pods = by_node.pop(name, [])
            _draw_pods(drawing, box, pods, name, containers, keep, threshold)
    unplaced = [pod for pods in by_node.values() for pod in pods]
    if unplaced:
        with drawing.graph.subgraph(name="cluster_unscheduled") as box:
            box.attr(label="<<B>not scheduled</B>>", style="rounded,dashed", color="#adb5bd")
            _draw_pods(drawing, box, unplaced, "", containers, keep, threshold)
