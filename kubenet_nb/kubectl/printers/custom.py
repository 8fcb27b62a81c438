"""The table of a custom resource: NAME, then the CRD version's additionalPrinterColumns.

k8s.io/apiextensions-apiserver pkg/registry/customresource/tableconvertor/tableconvertor.go
@ v0.33.1: each column's JSONPath is evaluated on the object (no result: an empty cell); a
`string` column prints the value as kubectl's JSONPath prints it (lists and maps as JSON),
the other types are typed (`cellForJSONValue`: integer, number, boolean, and date shown as an
age). Columns with priority > 0 show with `-o wide` only. Without printer columns the table is
NAME, AGE (`serveDefaultColumnsIfEmpty`; columns.py's default for custom resources). The
JSONPath subset: `.field` steps, `[n]` indexes, `['key']` and `[?(@.key=="value")]` filters.
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import age
from kubenet_nb.kubectl.printers.printer import NAME, Printer, name

__all__ = ["custom_printer", "json_path"]

_STEP = re.compile(
    r"""\.(?P<field>[^.\[]+)"""
    r"""|\[(?P<index>-?\d+)\]"""
    r"""|\['(?P<key>[^']*)'\]"""
    r"""|\[\?\(@\.(?P<filter>[\w.-]+)\s*==\s*(?P<quote>["'])(?P<value>.*?)(?P=quote)\)\]"""
)


def json_path(obj: Any, path: str) -> list[Any]:
    """The values a simple JSONPath finds (a filter may find several).

    >>> json_path(
    ...     {"status": {"conditions": [{"type": "Ready", "status": "True"}]}},
    ...     '.status.conditions[?(@.type=="Ready")].status',
    ... )
    ['True']
    """
    text = path.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    values = [obj]
    position = 0
    while position < len(text):
        step = _STEP.match(text, position)
        if step is None:
            return []
        position = step.end()
        values = [found for value in values for found in _step(value, step)]
    return values


def _step(value: Any, step: re.Match[str]) -> list[Any]:
    field = step.group("field") or step.group("key")
    if field is not None:
        return [value[field]] if isinstance(value, dict) and field in value else []
    if step.group("index") is not None:
        index = int(step.group("index"))
        return (
            [value[index]] if isinstance(value, list) and -len(value) <= index < len(value) else []
        )
    key, wanted = step.group("filter"), step.group("value")
    items = value if isinstance(value, list) else []
    return [item for item in items if isinstance(item, dict) and str(item.get(key)) == wanted]


def _text(value: Any) -> str:
    """A value as kubectl's JSONPath prints it: strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _go_number(value: float) -> str:
    """Go's %v of a float64."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e21 else repr(value)


def _cell(kind: str, value: Any, now: datetime) -> Any:
    """cellForJSONValue, and the string columns' JSONPath printing."""
    if value is None:
        return None
    if kind == "string":
        return _text(value)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "integer" and number:
        return str(int(value))
    if kind == "number" and number:
        return _go_number(float(value))
    if kind == "boolean" and isinstance(value, bool):
        return value
    if kind == "date" and isinstance(value, str):
        try:
            return age(value, now)
        except ValueError:
            return "<invalid>"
    return None


def custom_printer(columns: list[dict]) -> Printer:
    """The table of a custom resource whose CRD version declares printer columns."""
    headers = tuple(
        Column(c.get("name", ""), c.get("priority", 0), c.get("format", "")) for c in columns
    )

    def row(obj: dict, now: datetime) -> list[Any]:
        cells: list[Any] = [name(obj)]
        for column in columns:
            found = json_path(obj, column.get("jsonPath", ""))
            cells.append(_cell(column.get("type", ""), found[0], now) if found else None)
        return cells

    return Printer((NAME, *headers), row)
