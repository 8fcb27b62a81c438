"""pandas tables of what `kubectl get svc/pods -o wide` prints, and of every cluster DNS record.

The kubectl tables take their cells from the very code `kubectl get` prints with
(`kubectl.printers.columns.table_for`, the API server's table), so a cell here is the cell a
terminal shows; the DNS table lists the records CoreDNS serves (`zone_records`), so it is the
same source as `c.resolve`. All cells are text, as kubectl prints them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kubenet_nb.kubectl.printers import cell_text, format_labels
from kubenet_nb.kubectl.printers.columns import table_for
from kubenet_nb.network.dns import DnsState, Record, zone_records
from kubenet_nb.views.tables.reachability import reachability_table

if TYPE_CHECKING:
    from datetime import datetime

    from kubenet_nb.views.workbook import Objects

__all__ = [
    "DNS_COLUMNS",
    "dns_frame",
    "dns_table",
    "kubectl_frame",
    "pods_table",
    "reachability_table",
    "services_table",
]

DNS_COLUMNS = ("name", "type", "value", "ttl")
"""The columns of `dns_table`: one row per resource record, as dig prints it."""


def kubectl_frame(
    kind: str,
    objects: list[dict],
    now: datetime,
    with_namespace: bool = False,
    show_labels: bool = False,
) -> pd.DataFrame:
    """The `kubectl get <kind> -o wide` table of these objects as a DataFrame of text cells.

    Headers are kubectl's (`NAME`, `CLUSTER-IP`, …), `NAMESPACE` first when `with_namespace`
    (`-A`), `LABELS` last when `show_labels` (`--show-labels`); rows keep the objects' order.
    """
    table = table_for(kind, objects, now)
    columns = [column.name.upper() for column in table.columns]
    rows = []
    for cells, obj in zip(table.rows, table.objects, strict=True):
        row = [cell_text(cell) for cell in cells]
        metadata = obj.get("metadata", {})
        if with_namespace:
            row.insert(0, metadata.get("namespace", ""))
        if show_labels:
            row.append(format_labels(metadata.get("labels")))
        rows.append(row)
    if with_namespace:
        columns.insert(0, "NAMESPACE")
    if show_labels:
        columns.append("LABELS")
    return pd.DataFrame(rows, columns=columns, dtype="string")


def services_table(
    cluster: Objects,
    namespace: str | None = "default",
    selector: str | None = None,
    show_labels: bool = False,
) -> pd.DataFrame:
    """`kubectl get svc -o wide` as a table: NAME, TYPE, CLUSTER-IP, EXTERNAL-IP, PORT(S), AGE,
    SELECTOR; `namespace=None` is `-A` (all namespaces, a NAMESPACE column first), `selector`
    is `-l`, `show_labels` is `--show-labels`.

    >>> from kubenet_nb import Cluster
    >>> services_table(Cluster()).iloc[0].to_dict()  # doctest: +NORMALIZE_WHITESPACE
    {'NAME': 'kubernetes', 'TYPE': 'ClusterIP', 'CLUSTER-IP': '10.96.0.1',
     'EXTERNAL-IP': '<none>', 'PORT(S)': '443/TCP', 'AGE': '5m', 'SELECTOR': '<none>'}
    """
    services = cluster.list("services", namespace, selector)
    return kubectl_frame("Service", services, cluster.now, namespace is None, show_labels)


def pods_table(
    cluster: Objects,
    namespace: str | None = "default",
    selector: str | None = None,
    show_labels: bool = False,
) -> pd.DataFrame:
    """`kubectl get pods -o wide` as a table: NAME, READY, STATUS, RESTARTS, AGE, IP, NODE,
    NOMINATED NODE, READINESS GATES; the other arguments as for `services_table`."""
    pods = cluster.list("pods", namespace, selector)
    return kubectl_frame("Pod", pods, cluster.now, namespace is None, show_labels)


def _service_of(record: Record, suffix: str) -> tuple[str, str] | None:
    """(namespace, service) a record is about, from its owner name (its target for a PTR)."""
    name = record.data if record.rtype == "PTR" else record.name
    if not name.endswith(suffix):
        return None
    labels = name[: -len(suffix)].split(".")
    return (labels[-1], labels[-2]) if len(labels) >= 2 else None


def dns_frame(
    records: list[Record],
    domain: str = "cluster.local",
    namespace: str | None = None,
    service: str | None = None,
) -> pd.DataFrame:
    """Records as a table, in the order given; with `namespace` or `service`, only the records
    of those Services (their names, SRV and headless names, and the PTRs pointing at them)."""
    suffix = f".svc.{domain}."
    rows = []
    for record in records:
        if namespace is not None or service is not None:
            owner = _service_of(record, suffix)
            if owner is None:
                continue
            if namespace is not None and owner[0] != namespace:
                continue
            if service is not None and owner[1] != service:
                continue
        rows.append((record.name, record.rtype, record.data, record.ttl))
    frame = pd.DataFrame(rows, columns=list(DNS_COLUMNS))
    return frame.astype({"name": "string", "type": "string", "value": "string", "ttl": "Int64"})


def dns_table(
    state: DnsState, namespace: str | None = None, service: str | None = None
) -> pd.DataFrame:
    """Every record a DNS state serves for Services: name, type, value and TTL, as `dig`
    would show them (dns-version, A/AAAA, SRV per named port, CNAME for ExternalName, headless
    endpoint names, PTRs); narrowed to a namespace or a Service name when given.

    >>> from kubenet_nb import Cluster
    >>> frame = Cluster().dns_table(service="kubernetes")
    >>> for row in frame.itertuples():
    ...     print(row.type, row.value)
    A 10.96.0.1
    SRV 0 100 443 kubernetes.default.svc.cluster.local.
    PTR kubernetes.default.svc.cluster.local.
    PTR 172-18-0-2.kubernetes.default.svc.cluster.local.
    >>> frame["name"].tolist()[:2]
    ['kubernetes.default.svc.cluster.local.', '_https._tcp.kubernetes.default.svc.cluster.local.']
    """
    return dns_frame(zone_records(state), state.settings.domain, namespace, service)
