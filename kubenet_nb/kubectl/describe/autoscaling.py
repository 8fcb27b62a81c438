"""`kubectl describe` for HorizontalPodAutoscalers (autoscaling/v2).

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeHorizontalPodAutoscalerV2`,
`printDirectionBehavior`): each metric as `current / target`, the current value taken from
the status metric at the same index, `<unknown>` until the controller reports one.
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.quantity import parse_quantity
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    print_annotations,
    print_labels,
)
from kubenet_nb.kubectl.printers.age import rfc1123z

__all__ = ["describe_hpa"]

_UNKNOWN = "<unknown>"


def _q(raw: object) -> str:
    """A quantity as `Quantity.String()` prints it (the zero quantity when unset)."""
    return str(parse_quantity(raw if raw is not None else 0))


def _current(statuses: list[dict], index: int, source: str) -> dict | None:
    """The `current` of the status metric at `index`, if that status has the source."""
    if index < len(statuses) and statuses[index].get(source) is not None:
        return statuses[index][source].get("current") or {}
    return None


def _utilization(w: Writer, current: dict | None, target: dict) -> None:
    """The `(as a percentage of request)` line of a utilization target."""
    shown = _UNKNOWN
    if current is not None and current.get("averageUtilization") is not None:
        shown = f"{current['averageUtilization']}% ({_q(current.get('averageValue'))})"
    wanted = target.get("averageUtilization")
    goal = "<auto>" if wanted is None else f"{wanted}%"
    w.write(1, f"(as a percentage of request):\t{shown} / {goal}\n")


def _resource(w: Writer, source: dict, current: dict | None) -> None:
    target = source.get("target") or {}
    if target.get("averageValue") is not None:
        shown = _UNKNOWN if current is None else _q(current.get("averageValue"))
        w.write(0, f":\t{shown} / {_q(target['averageValue'])}\n")
    else:
        _utilization(w, current, target)


def _metric(w: Writer, metric: dict, statuses: list[dict], index: int) -> None:
    """One metric's line (the switch on metric.Type)."""
    kind = metric.get("type", "")
    if kind == "External":
        source = metric.get("external") or {}
        name, target = go_quote((source.get("metric") or {}).get("name", "")), source["target"]
        current = _current(statuses, index, "external")
        if target.get("averageValue") is not None:
            value = (current or {}).get("averageValue")
            shown = _UNKNOWN if value is None else _q(value)
            w.write(1, f"{name} (target average value):\t{shown} / {_q(target['averageValue'])}\n")
        else:
            shown = _UNKNOWN if current is None else _q(current.get("value"))
            w.write(1, f"{name} (target value):\t{shown} / {_q(target.get('value'))}\n")
    elif kind == "Pods":
        source = metric.get("pods") or {}
        current = _current(statuses, index, "pods")
        shown = _UNKNOWN if current is None else _q(current.get("averageValue"))
        target = _q((source.get("target") or {}).get("averageValue"))
        name = go_quote((source.get("metric") or {}).get("name", ""))
        w.write(1, f"{name} on pods:\t{shown} / {target}\n")
    elif kind == "Object":
        source = metric.get("object") or {}
        described, target = source.get("describedObject") or {}, source.get("target") or {}
        name = (source.get("metric") or {}).get("name", "")
        w.write(1, f'"{name}" on {described.get("kind", "")}/{described.get("name", "")} ')
        current = _current(statuses, index, "object")
        field, title = "value", "target value"
        if target.get("type") == "AverageValue":
            field, title = "averageValue", "target average value"
        shown = _UNKNOWN if current is None else _q(current.get(field))
        w.write(0, f"({title}):\t{shown} / {_q(target.get(field))}\n")
    elif kind == "Resource":
        source = metric.get("resource") or {}
        w.write(1, f"resource {source.get('name', '')} on pods")
        _resource(w, source, _current(statuses, index, "resource"))
    elif kind == "ContainerResource":
        source = metric.get("containerResource") or {}
        w.write(
            1,
            f"resource {source.get('name', '')} of container "
            f'"{source.get("container", "")}" on pods',
        )
        _resource(w, source, _current(statuses, index, "containerResource"))
    else:
        w.write(1, f"<unknown metric type {go_quote(kind)}>\n")


def _direction(w: Writer, title: str, rules: dict | None) -> None:
    """`printDirectionBehavior`: the window, the select policy and the policies."""
    if rules is None:
        return
    w.write(1, f"{title}:\n")
    if rules.get("stabilizationWindowSeconds") is not None:
        w.write(2, f"Stabilization Window: {rules['stabilizationWindowSeconds']} seconds\n")
    if rules.get("policies"):
        w.write(2, f"Select Policy: {rules.get('selectPolicy') or 'Max'}\n")
        w.write(2, "Policies:\n")
        for p in rules["policies"]:
            w.write(
                3,
                f"- Type: {p.get('type', '')}\tValue: {p.get('value', 0)}\t"
                f"Period: {p.get('periodSeconds', 0)} seconds\n",
            )


def describe_hpa(hpa: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeHorizontalPodAutoscalerV2`: target, metrics, bounds, behavior, conditions."""
    meta, spec = hpa.get("metadata", {}), hpa.get("spec") or {}
    status = hpa.get("status") or {}
    target = spec.get("scaleTargetRef") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp', ''))}\n")
    w.write(0, f"Reference:\t{target.get('kind', '')}/{target.get('name', '')}\n")
    w.write(0, "Metrics:\t( current / target )\n")
    statuses = status.get("currentMetrics") or []
    for index, metric in enumerate(spec.get("metrics") or []):
        _metric(w, metric, statuses, index)
    low = spec.get("minReplicas")
    w.write(0, f"Min replicas:\t{'<unset>' if low is None else low}\n")
    w.write(0, f"Max replicas:\t{spec.get('maxReplicas', 0)}\n")
    behavior = spec.get("behavior")
    if behavior is not None:
        w.write(0, "Behavior:\n")
        _direction(w, "Scale Up", behavior.get("scaleUp"))
        _direction(w, "Scale Down", behavior.get("scaleDown"))
    current, desired = status.get("currentReplicas", 0), status.get("desiredReplicas", 0)
    w.write(0, f"{target.get('kind', '')} pods:\t")
    w.write(0, f"{current} current / {desired} desired\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tReason\tMessage\n")
        w.write(1, "----\t------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(
                1,
                f"{c.get('type', '')}\t{c.get('status', '')}\t{c.get('reason', '')}\t"
                f"{c.get('message', '')}\n",
            )
    if events is not None:
        describe_events(w, events, now)
    return w.text()
