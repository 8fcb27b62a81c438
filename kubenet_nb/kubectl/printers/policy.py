"""Table cells for PodDisruptionBudgets and ResourceQuotas, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0:
`printPodDisruptionBudget` (an unset bound is `N/A`) and `printResourceQuota` (`used/hard` per
resource of `status.hard`, sorted, `limits.*` under LIMIT, the rest under REQUEST).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import (
    AGE,
    NAME,
    Printer,
    name,
    quantity_text,
    spec,
    status,
)

__all__ = ["PRINTERS"]


def _bound(value: object) -> str:
    """An IntOrString bound as `String()` prints it, `N/A` when unset."""
    return "N/A" if value is None else str(value)


def _pdb_row(pdb: dict, now: datetime) -> list[Any]:
    return [
        name(pdb),
        _bound(spec(pdb).get("minAvailable")),
        _bound(spec(pdb).get("maxUnavailable")),
        status(pdb).get("disruptionsAllowed", 0),
        object_age(pdb, now),
    ]


def _quota_row(quota: dict, now: datetime) -> list[Any]:
    hard, used = status(quota).get("hard") or {}, status(quota).get("used") or {}
    requests: list[str] = []
    limits: list[str] = []
    for resource in sorted(hard):
        pieces = resource.split(".")
        column = limits if len(pieces) > 1 and pieces[0] == "limits" else requests
        column.append(
            f"{resource}: {quantity_text(used.get(resource))}/{quantity_text(hard[resource])}"
        )
    return [name(quota), ", ".join(requests), ", ".join(limits), object_age(quota, now)]


PRINTERS = {
    "PodDisruptionBudget": Printer(
        (
            NAME,
            Column("Min Available"),
            Column("Max Unavailable"),
            Column("Allowed Disruptions"),
            AGE,
        ),
        _pdb_row,
    ),
    "ResourceQuota": Printer((NAME, Column("Request"), Column("Limit"), AGE), _quota_row),
}
