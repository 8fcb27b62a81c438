"""kubectl's output printers: aligned tables, `-o yaml`, `-o json` and `-o name`.

Tables go through the same column alignment as Go's text/tabwriter (cells end at a tab, the
last cell of a line is not aligned, a column block is a run of lines that have that cell). kubectl
get uses minwidth 6, padding 3 (k8s.io/cli-runtime/pkg/printers/tabwriter.go); kubectl describe
uses minwidth 0, padding 2 (k8s.io/kubectl/pkg/describe/describe.go `tabbedString`).
`-o yaml` lives in go_yaml.py and is re-exported here with the other printers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers.go_yaml import to_yaml

__all__ = [
    "Column",
    "Table",
    "cell_text",
    "escape_terminal",
    "format_labels",
    "join_host_port",
    "print_table",
    "tabwrite",
    "to_json",
    "to_name",
    "to_yaml",
]


@dataclass(frozen=True)
class Column:
    """A table column as the server defines it: name, priority (1 = only with -o wide), format."""

    name: str
    priority: int = 0
    format: str = ""


@dataclass
class Table:
    """A server-side table: column definitions and, per object, its cells and the object."""

    columns: list[Column]
    rows: list[list[Any]]
    objects: list[dict]


def tabwrite(text: str, minwidth: int, padding: int) -> str:
    """Align tab-separated cells as Go's text/tabwriter does (padchar ' ', no flags).

    >>> print(tabwrite("NAME\\tAGE\\nkubernetes\\t5m\\n", 6, 3), end="")
    NAME         AGE
    kubernetes   5m
    """
    if not text:
        return ""
    lines = [line.split("\t") for line in text.split("\n")]
    trailing = lines.pop()
    out: list[str] = []
    _format(lines, [], 0, len(lines), minwidth, padding, out)
    return "".join(out) + trailing[0] if trailing != [""] else "".join(out)


def _format(
    lines: list[list[str]],
    widths: list[int],
    line0: int,
    line1: int,
    minwidth: int,
    padding: int,
    out: list[str],
) -> None:
    column = len(widths)
    this = line0
    while this < line1:
        if column >= len(lines[this]) - 1:
            this += 1
            continue
        _write_lines(lines, widths, line0, this, out)
        line0 = this
        width = minwidth
        while this < line1 and column < len(lines[this]) - 1:
            width = max(width, len(lines[this][column]) + padding)
            this += 1
        widths.append(width)
        _format(lines, widths, line0, this, minwidth, padding, out)
        widths.pop()
        line0 = this
    _write_lines(lines, widths, line0, line1, out)


def _write_lines(
    lines: list[list[str]], widths: list[int], line0: int, line1: int, out: list[str]
) -> None:
    for line in lines[line0:line1]:
        for j, cell in enumerate(line):
            out.append(cell)
            if j < len(widths):
                out.append(" " * (widths[j] - len(cell)))
        out.append("\n")


def format_labels(labels: dict[str, str] | None) -> str:
    """apimachinery `labels.FormatLabels`: `k=v` pairs sorted by key, `<none>` when empty.

    >>> format_labels({"tier": "web", "app": "shop"}), format_labels({})
    ('app=shop,tier=web', '<none>')
    """
    if not labels:
        return "<none>"
    return ",".join(f"{key}={labels[key]}" for key in sorted(labels))


def join_host_port(host: str, port: int) -> str:
    """Go's net.JoinHostPort: `host:port`, an IPv6 host in brackets."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


# cli-runtime printers/terminal.go (kubectl >= 1.26, issue #101695): ESC shows as `^[`, CR as `\r`.
_TERMINAL_ESCAPES = str.maketrans({"\x1b": "^[", "\r": "\\r"})
# tableprinter.go printTable cuts a string cell at the first of these (tabwriter's line breaks).
_LINE_BREAK = re.compile("[\\f\\n\\r]")


def escape_terminal(text: str) -> str:
    r"""cli-runtime's EscapeTerminal: user text cannot drive the terminal (ESC and CR shown).

    >>> escape_terminal("\x1b[31mred\rover")
    '^[[31mred\\rover'
    """
    return text.translate(_TERMINAL_ESCAPES)


def cell_text(cell: Any) -> str:
    """A cell as cli-runtime's printTable writes it: strings cut at the first newline, carriage
    return or form feed (`...` follows), then terminal-escaped like every other cell."""
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, str):
        cut = _LINE_BREAK.search(cell)
        if cut:
            return escape_terminal(cell[: cut.start()]) + "..."
        return escape_terminal(cell)
    return escape_terminal(str(cell))


# tableprinter.go formattedEventType: watch event types padded to one width.
_EVENT_TYPES = {
    "ADDED": "ADDED   ",
    "MODIFIED": "MODIFIED",
    "DELETED": "DELETED ",
    "ERROR": "ERROR   ",
}


def print_table(
    table: Table,
    *,
    wide: bool = False,
    no_headers: bool = False,
    with_namespace: bool = False,
    show_labels: bool = False,
    kind_prefix: str = "",
    label_columns: tuple[str, ...] = (),
    event: str = "",
) -> str:
    """One table as `kubectl get` prints it (headers, decoration, alignment; cli-runtime
    tableprinter.go `decorateTable` + `printTable`). Empty tables print nothing. `-L` label
    columns come before LABELS, headed by the key's last `/` part in capitals; a watch event
    (`--output-watch-events`) is a first EVENT column, padded as `formatEventType` pads it."""
    if not table.rows and not no_headers:
        return ""
    visible = [i for i, c in enumerate(table.columns) if wide or c.priority == 0]
    name_index = next((i for i, c in enumerate(table.columns) if c.format == "name"), -1)
    lines: list[list[str]] = []
    if not no_headers:
        header = [table.columns[i].name.upper() for i in visible]
        if with_namespace:
            header.insert(0, "NAMESPACE")
        header.extend(label.split("/")[-1].upper() for label in label_columns)
        if show_labels:
            header.append("LABELS")
        if event:
            header.insert(0, "EVENT")
        lines.append(header)
    for cells, obj in zip(table.rows, table.objects, strict=True):
        texts = []
        for i in visible:
            text = cell_text(cells[i])
            if i == name_index and kind_prefix:
                text = f"{kind_prefix}/{text}"
            texts.append(text)
        metadata = obj.get("metadata", {})
        # decorateTable adds these as cells, so they are printed (cut, escaped) as cells are.
        if with_namespace:
            texts.insert(0, cell_text(metadata.get("namespace", "")))
        labels = metadata.get("labels") or {}
        texts.extend(cell_text(labels.get(label, "")) for label in label_columns)
        if show_labels:
            texts.append(cell_text(format_labels(labels)))
        if event:
            texts.insert(0, _EVENT_TYPES.get(event, event))
        lines.append(texts)
    return tabwrite("".join("\t".join(line) + "\n" for line in lines), 6, 3)


def to_json(obj: Any) -> str:
    """`-o json`: Go's json.MarshalIndent with 4 spaces over an unstructured object (map keys
    sorted, `<`, `>` and `&` escaped as Go's encoder does), plus a newline."""
    text = json.dumps(obj, indent=4, sort_keys=True, ensure_ascii=False, default=_json_default)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029") + "\n"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serializable: {type(value).__name__}")


def to_name(obj: dict, qualified_kind: str) -> str:
    """`-o name`: `service/web`, `deployment.apps/web` (cli-runtime name printer)."""
    return f"{qualified_kind}/{obj['metadata']['name']}\n"
