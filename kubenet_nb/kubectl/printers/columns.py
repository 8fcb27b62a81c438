"""The tables the API server sends `kubectl get`: the registry of per-kind printers.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0 (`AddHandlers`) defines
the columns and cells of the built-in kinds; each API family's module here contributes its kinds
(a new kind's printer is one module entry plus, for a new module, one line in `_FAMILIES`).
A built-in kind without a handler gets k8s.io/apiserver pkg/registry/rest/table.go's default
table (NAME, CREATED AT); a custom resource without printer columns gets NAME, AGE
(k8s.io/apiextensions-apiserver pkg/apiserver/helpers.go `serveDefaultColumnsIfEmpty`).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from kubenet_nb.api.kinds import by_kind
from kubenet_nb.kubectl.printers import (
    Column,
    Table,
    admission,
    apiserver,
    autoscaling,
    batch,
    config,
    controllers,
    core,
    network,
    networking,
    policy,
    rbac,
    scheduling,
    storage,
    workloads,
)
from kubenet_nb.kubectl.printers.age import object_age, parse_time
from kubenet_nb.kubectl.printers.core import node_roles
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, meta, name

__all__ = ["PRINTERS", "node_roles", "table_for"]

_FAMILIES = (
    core,
    workloads,
    controllers,
    batch,
    autoscaling,
    policy,
    scheduling,
    config,
    network,
    networking,
    storage,
    rbac,
    admission,
    apiserver,
)

PRINTERS: dict[str, Printer] = {
    kind: printer for family in _FAMILIES for kind, printer in family.PRINTERS.items()
}
"""Every kind with a server-side printer, by kind."""


def _created_at(obj: dict, now: datetime) -> list[Any]:
    """`defaultTableConvertor`: the name and the creation time in RFC 3339, UTC."""
    stamp = meta(obj).get("creationTimestamp")
    moment = parse_time(stamp) if stamp else datetime(1, 1, 1, tzinfo=timezone.utc)
    return [name(obj), moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]


def _name_age(obj: dict, now: datetime) -> list[Any]:
    return [name(obj), object_age(obj, now)]


_DEFAULT = Printer((NAME, Column("Created At")), _created_at)
_CUSTOM_RESOURCE = Printer((NAME, AGE), _name_age)


def _printer(kind: str) -> Printer:
    if kind in PRINTERS:
        return PRINTERS[kind]
    try:
        by_kind(kind)
    except KeyError:
        return _CUSTOM_RESOURCE
    return _DEFAULT


def table_for(
    kind: str, objects: list[dict], now: datetime, printer: Printer | None = None
) -> Table:
    """The server-side table for objects of one kind, all cells computed (wide included);
    `printer`: a custom resource's own (its CRD's printer columns, printers/custom.py)."""
    printer = printer or _printer(kind)
    ordered = printer.order(list(objects)) if printer.order else list(objects)
    return Table(list(printer.columns), [printer.row(obj, now) for obj in ordered], ordered)
