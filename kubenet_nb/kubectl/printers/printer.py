"""What every per-kind table printer is made of: its columns, its row function, its list order.

A family module (config.py, storage.py, ...) maps kinds to `Printer`s; columns.py gathers them.
Rows hold every cell, wide ones included: the API server builds its tables with `Wide: true`
(kubernetes/kubernetes pkg/printers/storage/storage.go `ConvertToTable`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kubenet_nb.api.quantity import Quantity
from kubenet_nb.kubectl.printers import Column

__all__ = [
    "AGE",
    "NAME",
    "Printer",
    "Row",
    "meta",
    "name",
    "quantity_text",
    "spec",
    "status",
]

NAME = Column("Name", format="name")
AGE = Column("Age")

Row = Callable[[dict, datetime], list[Any]]
"""One object's cells, given the simulated clock's "now" (for ages)."""


@dataclass(frozen=True)
class Printer:
    """A kind's table: column definitions, the row function, and, for list printers that
    sort (printFlowSchemaList), the order rows come in."""

    columns: tuple[Column, ...]
    row: Row
    order: Callable[[list[dict]], list[dict]] | None = None


def meta(obj: dict) -> dict:
    """`metadata`, or {} when absent."""
    return obj.get("metadata") or {}


def name(obj: dict) -> str:
    """`metadata.name`."""
    return meta(obj).get("name", "")


def spec(obj: dict) -> dict:
    """`spec`, or {} when absent."""
    return obj.get("spec") or {}


def status(obj: dict) -> dict:
    """`status`, or {} when absent."""
    return obj.get("status") or {}


def quantity_text(value: object) -> str:
    """resource.Quantity's String(): the canonical form; an absent quantity is the zero `0`."""
    return "0" if value is None else str(Quantity(str(value)))
