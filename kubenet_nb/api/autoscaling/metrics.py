"""An HPA's metrics: each one source of the type it names, with a sensible target.

pkg/apis/autoscaling/validation/validation.go (validateMetrics, validateMetricSpec,
validateResourceSource, validateMetricTarget) @ v1.33.0; Object, Pods and External sources are
checked for presence and their target only.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError

__all__ = ["validate_metrics"]

_SOURCE_TYPES = ["Object", "Pods", "Resource", "External", "ContainerResource"]
"""validMetricSourceTypesList, in its declared order."""
_SOURCE_FIELDS = {
    "Object": "object",
    "Pods": "pods",
    "Resource": "resource",
    "External": "external",
    "ContainerResource": "containerResource",
}
_TARGET_TYPES = ("Utilization", "Value", "AverageValue")


def _is_positive(quantity: object) -> bool:
    """Quantity.Sign() == 1, read from the quantity's text."""
    text = str(quantity).strip()
    return bool(text) and not text.startswith("-") and any(c in "123456789" for c in text)


def _validate_target(target: dict, field: str) -> list[FieldError]:
    """validateMetricTarget."""
    errs: list[FieldError] = []
    kind = target.get("type", "")
    if not kind:
        errs.append(FieldError.required(f"{field}.type", "must specify a metric target type"))
    if kind not in _TARGET_TYPES:
        errs.append(
            FieldError.invalid(
                f"{field}.type", kind, "must be either Utilization, Value, or AverageValue"
            )
        )
    for key in ("value", "averageValue"):
        if target.get(key) is not None and not _is_positive(target[key]):
            errs.append(FieldError.invalid(f"{field}.{key}", str(target[key]), "must be positive"))
    utilization = target.get("averageUtilization")
    if utilization is not None and utilization < 1:
        errs.append(
            FieldError.invalid(f"{field}.averageUtilization", utilization, "must be greater than 0")
        )
    return errs


def _validate_resource(source: dict, field: str, container: bool) -> list[FieldError]:
    """validateResourceSource / validateContainerResourceSource."""
    errs: list[FieldError] = []
    if not source.get("name"):
        errs.append(FieldError.required(f"{field}.name", "must specify a resource name"))
    if container and not source.get("container"):
        errs.append(FieldError.required(f"{field}.container", "must specify a container"))
    target = source.get("target") or {}
    errs.extend(_validate_target(target, f"{field}.target"))
    if target.get("averageUtilization") is None and target.get("averageValue") is None:
        errs.append(
            FieldError.required(
                f"{field}.target.averageUtilization",
                "must set either a target raw value or a target utilization",
            )
        )
    if target.get("averageUtilization") is not None and target.get("averageValue") is not None:
        errs.append(
            FieldError.forbidden(
                f"{field}.target.averageValue",
                "may not set both a target raw value and a target utilization",
            )
        )
    return errs


def _validate_metric(metric: dict, field: str) -> list[FieldError]:
    """validateMetricSpec: a known type, its source populated and no other."""
    kind = metric.get("type", "")
    if not kind:
        return [FieldError.required(f"{field}.type", "must specify a metric source type")]
    if kind not in _SOURCE_TYPES:
        return [FieldError.not_supported(f"{field}.type", kind, _SOURCE_TYPES)]
    expected = _SOURCE_FIELDS[kind]
    errs: list[FieldError] = []
    if metric.get(expected) is None:
        errs.append(
            FieldError.required(
                f"{field}.{expected}", "must populate information for the given metric source"
            )
        )
    for other in sorted(set(_SOURCE_FIELDS.values()) - {expected}):
        if metric.get(other) is not None:
            errs.append(
                FieldError.forbidden(
                    f"{field}.{other}", "must populate the given metric source only"
                )
            )
    for key in ("resource", "containerResource"):
        if metric.get(key) is not None:
            errs.extend(_validate_resource(metric[key], f"{field}.{key}", key != "resource"))
    for key in ("object", "pods", "external"):
        if metric.get(key) is not None:
            target = metric[key].get("target") or {}
            errs.extend(_validate_target(target, f"{field}.{key}.target"))
    return errs


def validate_metrics(metrics: list[dict], min_replicas: int | None) -> list[FieldError]:
    """validateMetrics: each metric, and an Object or External one to scale to zero."""
    errs: list[FieldError] = []
    for i, metric in enumerate(metrics):
        errs.extend(_validate_metric(metric, f"spec.metrics[{i}]"))
    kinds = {metric.get("type") for metric in metrics}
    if min_replicas == 0 and not kinds & {"Object", "External"}:
        errs.append(
            FieldError.forbidden(
                "spec.metrics",
                "must specify at least one Object or External metric to support scaling to "
                "zero replicas",
            )
        )
    return errs
