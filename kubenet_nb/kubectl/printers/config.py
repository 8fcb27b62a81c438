"""Table cells for ConfigMaps, Secrets and ServiceAccounts, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printConfigMap`
(DATA counts `data` and `binaryData`), `printSecret` and `printServiceAccount` (SECRETS counts
`secrets`, 0 since token Secrets stopped being created in v1.24).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name

__all__ = ["PRINTERS"]


def _configmap_row(cm: dict, now: datetime) -> list[Any]:
    data = len(cm.get("data") or {}) + len(cm.get("binaryData") or {})
    return [name(cm), data, object_age(cm, now)]


def _secret_row(secret: dict, now: datetime) -> list[Any]:
    # The internal object's Type: the v1 default `Opaque` is set before it is stored.
    return [
        name(secret),
        secret.get("type", ""),
        len(secret.get("data") or {}),
        object_age(secret, now),
    ]


def _serviceaccount_row(sa: dict, now: datetime) -> list[Any]:
    return [name(sa), len(sa.get("secrets") or []), object_age(sa, now)]


PRINTERS = {
    "ConfigMap": Printer((NAME, Column("Data"), AGE), _configmap_row),
    "Secret": Printer((NAME, Column("Type"), Column("Data"), AGE), _secret_row),
    "ServiceAccount": Printer((NAME, Column("Secrets"), AGE), _serviceaccount_row),
}
