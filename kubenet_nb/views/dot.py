"""DOT building blocks that keep user text inert: colon-free node IDs and escaped HTML labels.

Every value that comes from an object (names, IPs, labels, images) passes through `text` before
it reaches an HTML-like label: HTML-escaped (no tag or entity can be injected), backslashes
doubled (Graphviz expands `\\N`, `\\G`... even inside HTML labels), newlines turned into line
breaks and other control characters shown as `\\xNN` (XML, and so SVG, cannot hold them).
IDs are built from a kind and percent-encoded parts, so they never contain a colon, which the
graphviz package would read as `node:port`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote

__all__ = ["LINE_BREAK", "TIMES", "Row", "dot_id", "html_label", "port_name", "table", "text"]

MAX_TEXT = 100
"""Longest run of user text drawn in one place; the rest is cut with an ellipsis."""
TIMES = "\N{MULTIPLICATION SIGN}"
"""The sign before a count of folded pods or endpoints ("times five")."""
LINE_BREAK = '<BR ALIGN="LEFT"/>'
"""What a newline in user text becomes: a line break keeping the lines left-aligned."""
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")


def dot_id(kind: str, *parts: str) -> str:
    """A node ID from a kind and the parts that name it, e.g. `pod/default/web-1`.

    >>> dot_id("pod", "kube-system", "a:b")
    'pod/kube-system/a%3Ab'
    """
    return "/".join([kind, *(quote(part, safe="-.") for part in parts)])


def port_name(*parts: object) -> str:
    """A cell PORT name made only of letters, digits and underscores.

    >>> port_name("np", 30080, "TCP")
    'np_30080_tcp'
    """
    return "_".join(re.sub(r"[^a-z0-9]", "_", str(part).lower()) for part in parts)


def text(value: object, limit: int = MAX_TEXT) -> str:
    r"""User text made safe for an HTML-like label, shown literally.

    >>> text('<script>"x"</script>')
    '&lt;script&gt;&quot;x&quot;&lt;/script&gt;'
    >>> text("a\\N")
    'a\\\\N'
    >>> text("]")  # dot 2.43 refuses a cell holding a lone "]"
    '&#93;'
    """
    raw = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", str(value))
    if len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    lines = [
        html.escape(line).replace("\\", "\\\\").replace("]", "&#93;") for line in raw.split("\n")
    ]
    return LINE_BREAK.join(lines)


Row = tuple[str, str]
"""A table row: its markup (already escaped) and the PORT of its cell ("" for none)."""


def table(rows: Iterable[Row | str], **attrs: str) -> str:
    """An HTML-like table with one cell per row; rows are markup built with `text`."""
    cells = []
    for row in rows:
        markup, port = (row, "") if isinstance(row, str) else row
        port_attr = f' PORT="{port}"' if port else ""
        cells.append(f'<TR><TD ALIGN="LEFT"{port_attr}>{markup}</TD></TR>')
    options = {"BORDER": "0", "CELLBORDER": "0", "CELLSPACING": "0", "CELLPADDING": "1", **attrs}
    head = " ".join(f'{key}="{value}"' for key, value in options.items())
    return f"<TABLE {head}>{''.join(cells)}</TABLE>"


def html_label(markup: str) -> str:
    """Mark finished markup as an HTML-like label for the graphviz package."""
    return f"<{markup}>"
