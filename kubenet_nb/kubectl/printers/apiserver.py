"""Table cells for the objects the control plane keeps for itself: API priority and fairness,
APIServices, Leases and CertificateSigningRequests.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printFlowSchema`
(and `printFlowSchemaList`, which sorts by matching precedence, then name),
`printPriorityLevelConfiguration`, `printLease` and `printCertificateSigningRequest`
(`extractCSRStatus`); APIService: kubernetes/kube-aggregator pkg/registry/apiservice/etcd/etcd.go
`ConvertToTable` (SERVICE `Local` or `namespace/name`, AVAILABLE `True` or `False (Reason)`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import human_duration, object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name, spec, status

__all__ = ["PRINTERS"]


def _flowschema_row(fs: dict, now: datetime) -> list[Any]:
    method = spec(fs).get("distinguisherMethod")
    dangling = next(
        (c for c in status(fs).get("conditions") or [] if c.get("type") == "Dangling"), None
    )
    return [
        name(fs),
        (spec(fs).get("priorityLevelConfiguration") or {}).get("name", ""),
        spec(fs).get("matchingPrecedence", 0),
        "<none>" if method is None else method.get("type", ""),
        object_age(fs, now),
        "?" if dangling is None else dangling.get("status", ""),
    ]


def _flowschema_order(schemas: list[dict]) -> list[dict]:
    """`FlowSchemaSequence`: by matching precedence, then by name."""
    return sorted(schemas, key=lambda fs: (spec(fs).get("matchingPrecedence", 0), name(fs)))


def _prioritylevel_row(plc: dict, now: datetime) -> list[Any]:
    limited = spec(plc).get("limited")
    cells: list[Any] = ["<none>"] * 4
    if limited is not None:
        queuing = (limited.get("limitResponse") or {}).get("queuing")
        cells[0] = limited.get("nominalConcurrencyShares", 0)
        if queuing is not None:
            cells[1:] = [
                queuing.get("queues", 0),
                queuing.get("handSize", 0),
                queuing.get("queueLengthLimit", 0),
            ]
    return [name(plc), spec(plc).get("type", ""), *cells, object_age(plc, now)]


def _apiservice_row(service: dict, now: datetime) -> list[Any]:
    backend = spec(service).get("service")
    where = "Local"
    if backend is not None:
        where = f"{backend.get('namespace', '')}/{backend.get('name', '')}"
    available = next(
        (c for c in status(service).get("conditions") or [] if c.get("type") == "Available"),
        None,
    )
    state = "Unknown"
    if available is not None:
        state = available.get("status", "")
        if state != "True" and available.get("reason"):
            state = f"{state} ({available['reason']})"
    return [name(service), where, state, object_age(service, now)]


def _lease_row(lease: dict, now: datetime) -> list[Any]:
    return [name(lease), spec(lease).get("holderIdentity") or "", object_age(lease, now)]


def _csr_condition(csr: dict) -> str:
    """`extractCSRStatus`: Denied, else Approved, else Pending; then `,Failed`, `,Issued`."""
    types = {c.get("type") for c in status(csr).get("conditions") or []}
    text = "Denied" if "Denied" in types else "Approved" if "Approved" in types else "Pending"
    if "Failed" in types:
        text += ",Failed"
    if status(csr).get("certificate"):
        text += ",Issued"
    return text


def _csr_row(csr: dict, now: datetime) -> list[Any]:
    seconds = spec(csr).get("expirationSeconds")
    return [
        name(csr),
        object_age(csr, now),
        spec(csr).get("signerName") or "<none>",
        spec(csr).get("username", ""),
        "<none>" if seconds is None else human_duration(timedelta(seconds=seconds)),
        _csr_condition(csr),
    ]


PRINTERS = {
    "FlowSchema": Printer(
        (
            NAME,
            Column("PriorityLevel"),
            Column("MatchingPrecedence"),
            Column("DistinguisherMethod"),
            AGE,
            Column("MissingPL"),
        ),
        _flowschema_row,
        _flowschema_order,
    ),
    "PriorityLevelConfiguration": Printer(
        (
            NAME,
            Column("Type"),
            Column("NominalConcurrencyShares"),
            Column("Queues"),
            Column("HandSize"),
            Column("QueueLengthLimit"),
            AGE,
        ),
        _prioritylevel_row,
    ),
    "APIService": Printer((NAME, Column("Service"), Column("Available"), AGE), _apiservice_row),
    "Lease": Printer((NAME, Column("Holder"), AGE), _lease_row),
    "CertificateSigningRequest": Printer(
        (
            NAME,
            AGE,
            Column("SignerName"),
            Column("Requestor"),
            Column("RequestedDuration"),
            Column("Condition"),
        ),
        _csr_row,
    ),
}
