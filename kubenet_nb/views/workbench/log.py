"""The workbench's log: what each action did to the cluster, in the cluster's own records.

After every action the workbench takes a `Snapshot` (the Events, the endpoints table's rows,
every node's kube-proxy rules, the reachability matrix) and compares it with the one before:
the new Events as `kubectl get events -A` prints them, the endpoints that appeared, went or
changed conditions, the rules kube-proxy rewrote on each node, and the connections between pods
that NetworkPolicies now allow or drop. All text reaches the HTML escaped.
"""

from __future__ import annotations

import html
from collections import Counter, deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from kubenet_nb.views.tables import kubectl_frame

if TYPE_CHECKING:
    from datetime import datetime

    from kubenet_nb.views.workbook import Workbook

__all__ = [
    "EVENT_COLUMNS",
    "Entry",
    "History",
    "Snapshot",
    "changes",
    "reachable_pairs",
    "says_html",
    "take_snapshot",
]

EVENT_COLUMNS = ["NAMESPACE", "LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"]
"""The columns `kubectl get events -A` prints (the wide ones left out)."""
ENDPOINT_KEY = ["namespace", "service", "port", "protocol", "endpoint_ip", "endpoint_port"]
ENDPOINT_STATE = ["pod", "node", "ready", "serving", "terminating"]
MAX_RULE_LINES = 60
"""Rule lines listed per group of nodes; the count says how many there were."""
MAX_PAIR_LINES = 60
"""Pairs of pods listed whose reachability changed; the count says how many there were."""

EndpointRows = dict[tuple, tuple]


@dataclass(frozen=True)
class Snapshot:
    """What the log compares between two actions."""

    events: dict[tuple[str, str], dict]
    """Events by (namespace, name), with their count (aggregated Events count up)."""
    endpoints: EndpointRows
    rules: dict[str, Counter[str]]
    """Each node's rules (`table -A chain ...`), as a multiset of lines."""
    reachable: dict[tuple[str, str], bool] = field(default_factory=dict)
    """Whether a new connection from a pod to another passes the NetworkPolicies."""
    where: str = ""
    """The port and protocol `reachable` is about (`80/TCP`); "" when not taken."""


def _rules(text: str) -> Counter[str]:
    table, found = "", Counter[str]()
    for line in text.splitlines():
        if line.startswith("*"):
            table = line[1:]
        elif line.startswith("-A "):
            found[f"{table} {line}"] += 1
    return found


def _endpoint_rows(frame: pd.DataFrame) -> EndpointRows:
    if not set(ENDPOINT_KEY + ENDPOINT_STATE) <= set(frame.columns):
        return {}
    rows = frame.loc[frame["endpoint_ip"].notna(), ENDPOINT_KEY + ENDPOINT_STATE]
    width = len(ENDPOINT_KEY)
    found: EndpointRows = {}
    for values in rows.itertuples(index=False, name=None):
        plain = tuple(_plain(value) for value in values)
        found[plain[:width]] = plain[width:]
    return found


def _plain(value: object) -> object:
    """A cell as a plain Python value: None for a missing one, int or bool for numpy's."""
    if value is pd.NA:
        return None
    return value.item() if isinstance(value, np.generic) else value


def reachable_pairs(matrix: pd.DataFrame) -> dict[tuple[str, str], bool]:
    """A reachability matrix as (source, destination) → allowed, a pod to itself left out."""
    return {
        (str(source), str(destination)): bool(allowed)
        for source, row in zip(matrix.index, matrix.to_numpy().tolist(), strict=True)
        for destination, allowed in zip(matrix.columns, row, strict=True)
        if source != destination
    }


def take_snapshot(
    cluster: Workbook, endpoints: pd.DataFrame, matrix: pd.DataFrame | None = None, where: str = ""
) -> Snapshot:
    """The cluster's Events and rules now, the rows of the endpoints table just drawn, and the
    reachability `matrix` just drawn (on `where`, e.g. `80/TCP`)."""
    events = {
        (e["metadata"]["namespace"], e["metadata"]["name"]): e for e in cluster.list("events", None)
    }
    nodes = [node["metadata"]["name"] for node in cluster.list("nodes", None)]
    rules = {node: _rules(cluster.iptables_save(node)) for node in nodes}
    reachable = reachable_pairs(matrix) if matrix is not None else {}
    return Snapshot(events, _endpoint_rows(endpoints), rules, reachable, where)


def _event_order(event: dict) -> tuple[str, int, str]:
    """When it happened: its last timestamp, then the hex suffix of its name (the creation
    time in nanoseconds on a real cluster, a sequence number here)."""
    name = event["metadata"]["name"]
    suffix = name.rpartition(".")[2]
    number = int(suffix, 16) if suffix and all(ch in "0123456789abcdef" for ch in suffix) else 0
    return (event.get("lastTimestamp") or event.get("eventTime") or "", number, name)


def _conditions(state: tuple) -> str:
    ready, serving, terminating = state[2:]
    if terminating:
        return "terminating, " + ("serving" if serving else "not serving")
    return "ready" if ready else "not ready"


def _endpoint(key: tuple, state: tuple) -> str:
    namespace, service, port, protocol, ip, number = key
    where = f"{ip}:{number}" if number is not None else ip
    pod = f"pod {state[0]}" if state[0] else "no pod"
    node = f" on {state[1]}" if state[1] else ""
    return f"{namespace}/{service} {port}/{protocol} → {where} ({pod}{node})"


def _endpoint_changes(before: EndpointRows, after: EndpointRows) -> list[str]:
    lines = []
    for key in sorted(set(before) | set(after), key=str):
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            lines.append(f"endpoint added: {_endpoint(key, new)}, {_conditions(new)}")
        elif new is None and old is not None:
            lines.append(f"endpoint removed: {_endpoint(key, old)}")
        elif old != new and old is not None and new is not None:
            change = f"{_conditions(old)} → {_conditions(new)}"
            lines.append(f"endpoint changed: {_endpoint(key, new)}, {change}")
    return lines


def _rule_changes(before: Snapshot, after: Snapshot) -> list[tuple[str, list[str]]]:
    """(the nodes, the changed lines with + or -) for each distinct change, nodes grouped."""
    groups: dict[tuple[str, ...], list[str]] = {}
    for node in sorted(set(before.rules) | set(after.rules)):
        old, new = before.rules.get(node, Counter()), after.rules.get(node, Counter())
        lines = [f"- {line}" for line in (old - new).elements()]
        lines += [f"+ {line}" for line in (new - old).elements()]
        if lines:
            groups.setdefault(tuple(lines), []).append(node)
    return [(", ".join(nodes), list(lines)) for lines, nodes in groups.items()]


def _reachability_changes(before: Snapshot, after: Snapshot) -> list[str]:
    """`a → b: now dropped` / `now allowed` for each pair of pods there before and after whose
    verdict changed; nothing when the two matrices are about different ports."""
    if not after.where or before.where != after.where:
        return []
    lines = []
    for pair, allowed in after.reachable.items():
        was = before.reachable.get(pair)
        if was is not None and was != allowed:
            lines.append(f"{pair[0]} → {pair[1]}: now {'allowed' if allowed else 'dropped'}")
    return lines


def says_html(says: str) -> str:
    """What was run, escaped: its first line in bold; the here-document it fed on standard
    input (the manifest of `kubectl create -f -`, then its delimiter) folded away under that
    line, shown on demand."""
    first, _, rest = says.partition("\n")
    head = f"<pre><b>{html.escape(first)}</b></pre>"
    if not rest:
        return head
    lines = rest.count("\n")  # the delimiter's line not counted
    summary = f"standard input: {lines} lines"
    return f"{head}<details><summary>{summary}</summary><pre>{html.escape(rest)}</pre></details>"


@dataclass
class Entry:
    """One action in the log: what was run, what it printed or the error, what changed."""

    says: str
    output: str = ""
    error: str | None = None
    events: list[dict] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    rules: list[tuple[str, list[str]]] = field(default_factory=list)
    reachability: list[str] = field(default_factory=list)
    where: str = ""
    """The port and protocol the reachability changes are about."""

    def html(self, now: datetime) -> str:
        """The entry as HTML; every piece of cluster or user text escaped."""
        parts = [f"<div>{says_html(self.says)}"]
        if self.output:
            parts.append(f"<pre>{html.escape(self.output)}</pre>")
        if self.error is not None:
            parts.append(f'<pre style="color:#c92a2a">{html.escape(self.error)}</pre>')
        if self.events:
            frame = kubectl_frame("Event", self.events, now, with_namespace=True)
            table = frame[EVENT_COLUMNS].to_html(index=False, border=0)
            parts.append(f'<div style="overflow-x:auto;white-space:nowrap">{table}</div>')
        if self.endpoints:
            items = "".join(f"<li>{html.escape(line)}</li>" for line in self.endpoints)
            parts.append(f"<ul>{items}</ul>")
        for nodes, lines in self.rules:
            added = sum(line.startswith("+") for line in lines)
            summary = f"iptables on {nodes}: {added} rules added, {len(lines) - added} removed"
            shown = lines[:MAX_RULE_LINES] + (["…"] if len(lines) > MAX_RULE_LINES else [])
            listing = html.escape("\n".join(shown))
            parts.append(
                f"<details><summary>{html.escape(summary)}</summary><pre>{listing}</pre></details>"
            )
        if self.reachability:
            dropped = sum(line.endswith("now dropped") for line in self.reachability)
            summary = (
                f"reachability on {self.where}: {dropped} connections now dropped, "
                f"{len(self.reachability) - dropped} now allowed"
            )
            shown = self.reachability[:MAX_PAIR_LINES]
            shown += ["…"] if len(self.reachability) > MAX_PAIR_LINES else []
            listing = html.escape("\n".join(shown))
            parts.append(
                f"<details open><summary>{html.escape(summary)}</summary>"
                f"<pre>{listing}</pre></details>"
            )
        if self.error is None and not (
            self.events or self.endpoints or self.rules or self.reachability
        ):
            unchanged = f" (reachability on {self.where} unchanged)" if self.where else ""
            parts.append(
                f"<p><i>no change in events, endpoints or rules{html.escape(unchanged)}</i></p>"
            )
        return "".join(parts) + "</div>"


def changes(entry: Entry, before: Snapshot, after: Snapshot) -> Entry:
    """Fill an entry with what differs from `before` to `after`."""
    fresh = [
        event
        for key, event in after.events.items()
        if key not in before.events or before.events[key].get("count") != event.get("count")
    ]
    entry.events = sorted(fresh, key=_event_order)
    entry.endpoints = _endpoint_changes(before.endpoints, after.endpoints)
    entry.rules = _rule_changes(before, after)
    entry.reachability = _reachability_changes(before, after)
    entry.where = after.where
    return entry


class History:
    """The last `size` entries, newest first, as one HTML block; each drawn once, when added,
    so its ages (LAST SEEN) are those of that moment, as on a terminal."""

    def __init__(self, size: int = 20) -> None:
        self.entries: deque[tuple[Entry, str]] = deque(maxlen=size)

    def add(self, entry: Entry, now: datetime) -> None:
        """Log an entry, drawn as of `now`."""
        self.entries.appendleft((entry, entry.html(now)))

    def html(self) -> str:
        """Every kept entry, newest first, separated by rules."""
        if not self.entries:
            return "<p><i>Nothing done yet: every action and what it changed shows here.</i></p>"
        return "<hr/>".join(markup for _, markup in self.entries)
