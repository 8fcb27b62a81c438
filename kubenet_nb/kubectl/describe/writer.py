"""The text machinery every `kubectl describe` output shares: indented, tab-aligned lines.

k8s.io/kubectl/pkg/describe/describe.go writes through a `PrefixWriter` (two spaces per level)
into a text/tabwriter with minwidth 0 and padding 2 (`tabbedString`); `DescribeEvents` flushes
that writer before its table. Labels, annotations, taints, tolerations and the Events table are
printed the same way for every kind, so they live here.
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION
from kubenet_nb.kubectl.printers import escape_terminal, tabwrite
from kubenet_nb.kubectl.printers.age import age, parse_time, rfc1123z

__all__ = [
    "Writer",
    "bool_text",
    "condition_time",
    "describe_events",
    "header",
    "print_annotations",
    "print_conditions_since",
    "print_labels",
    "print_taints",
    "print_tolerations",
]

_MAX_ANNOTATION = 140
# Go's zero time.Time in time.RFC1123Z, for a condition's unset probe or transition time.
_ZERO_TIME = "Mon, 01 Jan 0001 00:00:00 +0000"


class Writer:
    """describe.go's prefixWriter: `write(level, text)` indents by two spaces per level.

    Everything written is terminal-escaped on the way in (`Write` and `WriteLine` go through
    cli-runtime's WriteEscaped), so the tabwriter aligns the escaped text, as kubectl's does.
    """

    def __init__(self) -> None:
        self._segments: list[list[str]] = [[]]

    def write(self, level: int, text: str) -> None:
        self._segments[-1].append(escape_terminal("  " * level + text))

    def line(self, text: str) -> None:
        """`WriteLine`: the text and a newline, no indentation."""
        self._segments[-1].append(escape_terminal(text) + "\n")

    def flush(self) -> None:
        """End an alignment block, as the tabwriter's Flush does."""
        self._segments.append([])

    def text(self) -> str:
        return "".join(tabwrite("".join(segment), 0, 2) for segment in self._segments)


def bool_text(value: bool) -> str:
    """describe.go `printBool`: True / False."""
    return "True" if value else "False"


def condition_time(stamp: str | None) -> str:
    """A condition's time in `time.RFC1123Z`, Go's zero time when unset."""
    return rfc1123z(stamp) if stamp else _ZERO_TIME


def print_conditions_since(w: Writer, conditions: list[dict]) -> None:
    """A `Conditions:` table of type, status, last transition, reason and message."""
    w.write(0, "Conditions:\n")
    w.write(1, "Type\tStatus\tLastTransitionTime\tReason\tMessage\n")
    w.write(1, "----\t------\t------------------\t------\t-------\n")
    for c in conditions:
        w.write(
            1,
            f"{c.get('type', '')}\t{c.get('status', '')}\t"
            f"{condition_time(c.get('lastTransitionTime'))}\t{c.get('reason', '')}\t"
            f"{c.get('message', '')}\n",
        )


def print_labels(
    w: Writer, title: str, labels: dict[str, str] | None, indent: str = "", inner: str = "\t"
) -> None:
    """`printLabelsMultilineWithIndent`: `key=value`, one per line, sorted, or `<none>`."""
    w.write(0, f"{indent}{title}:{inner}")
    if not labels:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(labels)):
        if i:
            w.write(0, indent + inner)
        w.write(0, f"{key}={labels[key]}\n")


def print_annotations(w: Writer, title: str, annotations: dict[str, str] | None) -> None:
    """`printAnnotationsMultiline`: `key: value`, long or multi-line values folded below."""
    w.write(0, f"{title}:\t")
    annotations = annotations or {}
    keys = sorted(k for k in annotations if k != LAST_APPLIED_ANNOTATION)
    if not keys:
        w.line("<none>")
        return
    for i, key in enumerate(keys):
        if i:
            w.write(0, "\t")
        value = annotations[key].removesuffix("\n")
        if len(value) + len(key) + 2 > _MAX_ANNOTATION or "\n" in value:
            w.write(0, f"{key}:\n")
            for part in value.split("\n"):
                limit = _MAX_ANNOTATION - 2
                shown = part[:limit] + "..." if len(part) > limit else part
                w.write(0, f"\t  {shown}\n")
        else:
            w.write(0, f"{key}: {value}\n")


def header(obj: dict, namespace: bool = True) -> Writer:
    """The Name, Namespace, Labels and Annotations lines most describers start with."""
    meta = obj.get("metadata", {})
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    if namespace:
        w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    return w


def print_taints(w: Writer, title: str, taints: list[dict] | None) -> None:
    """`printTaintsMultilineWithIndent`: `key=value:Effect`, sorted by effect then key."""
    w.write(0, f"{title}:\t")
    if not taints:
        w.line("<none>")
        return
    ordered = sorted(taints, key=lambda t: f"{t.get('effect', '')},{t.get('key', '')}")
    for i, taint in enumerate(ordered):
        if i:
            w.write(0, "\t")
        value = f"={taint['value']}" if taint.get("value") else ""
        w.write(0, f"{taint.get('key', '')}{value}:{taint.get('effect', '')}\n")


def print_tolerations(w: Writer, title: str, tolerations: list[dict] | None) -> None:
    """`printTolerationsMultilineWithIndent`: `key=value:Effect op=Exists for Ns`."""
    w.write(0, f"{title}:\t")
    if not tolerations:
        w.line("<none>")
        return
    for i, toleration in enumerate(sorted(tolerations, key=lambda t: t.get("key", ""))):
        if i:
            w.write(0, "\t")
        key, value = toleration.get("key", ""), toleration.get("value", "")
        effect = toleration.get("effect", "")
        text = key + (f"={value}" if value else "") + (f":{effect}" if effect else "")
        if toleration.get("operator") == "Exists" and not value:
            text += " op=Exists" if key or effect else "op=Exists"
        if toleration.get("tolerationSeconds") is not None:
            text += f" for {toleration['tolerationSeconds']}s"
        w.write(0, text + "\n")


def _event_time(event: dict) -> datetime:
    """kubectl's `SortableEvents` key: series last observation, else last, else event time."""
    stamp = (
        (event.get("series") or {}).get("lastObservedTime")
        or event.get("lastTimestamp")
        or event.get("eventTime")
        or "0001-01-01T00:00:00Z"
    )
    return parse_time(stamp)


def describe_events(w: Writer, events: list[dict], now: datetime) -> None:
    """`DescribeEvents`: `Events: <none>`, or a Type/Reason/Age/From/Message table."""
    if not events:
        w.write(0, "Events:\t<none>\n")
        return
    w.flush()
    w.write(0, "Events:\n  Type\tReason\tAge\tFrom\tMessage\n")
    w.write(1, "----\t------\t----\t----\t-------\n")
    for event in sorted(events, key=_event_time):
        first = age(event.get("eventTime") or event.get("firstTimestamp"), now)
        series = event.get("series")
        if series:
            interval = f"{age(series.get('lastObservedTime'), now)} (x{series.get('count', 0)} "
            interval += f"over {first})"
        elif event.get("count", 0) > 1:
            interval = f"{age(event.get('lastTimestamp'), now)} (x{event['count']} over {first})"
        else:
            interval = first
        source = (event.get("source") or {}).get("component") or event.get("reportingComponent", "")
        message = event.get("message", "").strip()
        w.write(1, f"{event.get('type', '')}\t{event.get('reason', '')}\t{interval}\t")
        w.write(0, f"{source}\t{message}\n")
