"""Table cells for HorizontalPodAutoscalers, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0:
`printHorizontalPodAutoscaler` and `formatHPAMetrics` (`cpu: <unknown>/50%`, `cpu: 250m/500m`,
at most two metrics then `+ N more...`). Metrics are autoscaling/v2's, the stored version.
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

_UNKNOWN = "<unknown>"
_SOURCE_FIELD = {
    "External": "external",
    "Pods": "pods",
    "Object": "object",
    "Resource": "resource",
    "ContainerResource": "containerResource",
}


def _current(statuses: list[dict], index: int, field: str) -> dict | None:
    """The status of metric `index` when it reports the same source, else None."""
    if index < len(statuses) and statuses[index].get(field) is not None:
        return (statuses[index].get(field) or {}).get("current") or {}
    return None


def _value_pair(target: dict, current: dict | None) -> str:
    """External and Object metrics: `current/target (avg)` or `current/target`."""
    if target.get("averageValue") is not None:
        now = _UNKNOWN
        if current is not None and current.get("averageValue") is not None:
            now = quantity_text(current["averageValue"])
        return f"{now}/{quantity_text(target['averageValue'])} (avg)"
    now = _UNKNOWN if current is None else quantity_text(current.get("value"))
    return f"{now}/{quantity_text(target.get('value'))}"


def _resource(source: dict, current: dict | None) -> str:
    """Resource and ContainerResource metrics: `cpu: 250m/500m` or `cpu: 40%/50%`."""
    target = source.get("target") or {}
    label = source.get("name", "")
    if target.get("averageValue") is not None:
        now = _UNKNOWN if current is None else quantity_text(current.get("averageValue"))
        return f"{label}: {now}/{quantity_text(target['averageValue'])}"
    now = _UNKNOWN
    if current is not None and current.get("averageUtilization") is not None:
        now = f"{current['averageUtilization']}%"
    goal = target.get("averageUtilization")
    return f"{label}: {now}/{'<auto>' if goal is None else f'{goal}%'}"


def _metric(metric: dict, statuses: list[dict], index: int) -> str:
    kind = metric.get("type", "")
    field = _SOURCE_FIELD.get(kind)
    if field is None:
        return "<unknown type>"
    source = metric.get(field) or {}
    current = _current(statuses, index, field)
    if kind in ("External", "Object"):
        return _value_pair(source.get("target") or {}, current)
    if kind == "Pods":
        now = _UNKNOWN if current is None else quantity_text(current.get("averageValue"))
        return f"{now}/{quantity_text((source.get('target') or {}).get('averageValue'))}"
    return _resource(source, current)


def format_hpa_metrics(metrics: list[dict], statuses: list[dict]) -> str:
    """`formatHPAMetrics`: each metric's current/target, two at most, `<none>` without any."""
    if not metrics:
        return "<none>"
    shown = [_metric(m, statuses, i) for i, m in enumerate(metrics)]
    text = ", ".join(shown[:2])
    return f"{text} + {len(shown) - 2} more..." if len(shown) > 2 else text


def _hpa_row(hpa: dict, now: datetime) -> list[Any]:
    hpa_spec = spec(hpa)
    target = hpa_spec.get("scaleTargetRef") or {}
    min_replicas = hpa_spec.get("minReplicas")
    return [
        name(hpa),
        f"{target.get('kind', '')}/{target.get('name', '')}",
        format_hpa_metrics(hpa_spec.get("metrics") or [], status(hpa).get("currentMetrics") or []),
        "<unset>" if min_replicas is None else str(min_replicas),
        hpa_spec.get("maxReplicas", 0),
        status(hpa).get("currentReplicas", 0),
        object_age(hpa, now),
    ]


PRINTERS = {
    "HorizontalPodAutoscaler": Printer(
        (
            NAME,
            Column("Reference"),
            Column("Targets"),
            Column("MinPods"),
            Column("MaxPods"),
            Column("Replicas"),
            AGE,
        ),
        _hpa_row,
    ),
}
