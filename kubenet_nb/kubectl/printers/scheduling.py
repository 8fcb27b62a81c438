"""Table cells for PriorityClasses and RuntimeClasses, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printPriorityClass`
(PREEMPTIONPOLICY is not a wide-only column, and the server's tables are always built wide, so
`kubectl get pc` shows it) and `printRuntimeClass`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name

__all__ = ["PRINTERS"]


def _priorityclass_row(pc: dict, now: datetime) -> list[Any]:
    return [
        name(pc),
        pc.get("value", 0),
        bool(pc.get("globalDefault")),
        object_age(pc, now),
        pc.get("preemptionPolicy") or "",
    ]


def _runtimeclass_row(rc: dict, now: datetime) -> list[Any]:
    return [name(rc), rc.get("handler", ""), object_age(rc, now)]


PRINTERS = {
    "PriorityClass": Printer(
        (NAME, Column("Value"), Column("Global-Default"), AGE, Column("PreemptionPolicy")),
        _priorityclass_row,
    ),
    "RuntimeClass": Printer((NAME, Column("Handler"), AGE), _runtimeclass_row),
}
