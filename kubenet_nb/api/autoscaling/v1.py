"""autoscaling/v1 HorizontalPodAutoscalers, converted to the stored autoscaling/v2 shape.

kind v1.33 serves HorizontalPodAutoscalers at autoscaling/v2 (preferred, stored) and
autoscaling/v1, the version of `targetCPUUtilizationPercentage`. A v1 request body is decoded
against the v1 schema, then converted as kubernetes/kubernetes pkg/apis/autoscaling/v1/
conversion.go @ v1.33.0 converts it to the internal type (which is v2's shape):

- `spec.targetCPUUtilizationPercentage` becomes a `Resource` metric on `cpu` with a
  `Utilization` target; the metrics v1 cannot express come back from the
  `autoscaling.alpha.kubernetes.io/metrics` annotation (v1's MetricSpec, the older field names),
  before that CPU metric; with no metric at all, CPU at 80% (autoscaling.DefaultCPUUtilization);
- `spec.behavior` comes back from the `autoscaling.alpha.kubernetes.io/behavior` annotation;
- the status' CPU utilization becomes a `Resource` current metric;
- every round-trip annotation is dropped (pkg/apis/autoscaling/annotations.go
  DropRoundTripHorizontalPodAutoscalerAnnotations).

`to_v1` is the way back (Convert_autoscaling_HorizontalPodAutoscaler_To_v1_HorizontalPodAutoscaler):
what v1 has no field for goes into those annotations, so that a v1 client's read-modify-write
(kubectl apply's three-way patch) loses nothing.

Validation then runs on the converted object, so its errors name v2's fields
(`spec.metrics[0].resource.target.averageUtilization`), as the API server's do.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["ANNOTATIONS", "BEHAVIOR_ANNOTATION", "METRICS_ANNOTATION", "to_v1", "to_v2"]

METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics"
CURRENT_METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/current-metrics"
CONDITIONS_ANNOTATION = "autoscaling.alpha.kubernetes.io/conditions"
BEHAVIOR_ANNOTATION = "autoscaling.alpha.kubernetes.io/behavior"
ANNOTATIONS = (
    METRICS_ANNOTATION,
    BEHAVIOR_ANNOTATION,
    CURRENT_METRICS_ANNOTATION,
    CONDITIONS_ANNOTATION,
)
"""The round-trip annotations, dropped once their content is in the object's fields."""
DEFAULT_CPU_UTILIZATION = 80


def _target(utilization: Any, average_value: Any) -> dict[str, Any]:
    """A v1 resource target: Utilization when a percentage is given, else AverageValue."""
    target: dict[str, Any] = {
        "type": "AverageValue" if utilization is None else "Utilization",
    }
    if utilization is not None:
        target["averageUtilization"] = utilization
    if average_value is not None:
        target["averageValue"] = average_value
    return target


def _identifier(name: Any, selector: Any) -> dict[str, Any]:
    metric: dict[str, Any] = {"name": name if isinstance(name, str) else ""}
    if selector is not None:
        metric["selector"] = selector
    return metric


def _metric(v1: dict[str, Any]) -> dict[str, Any]:
    """Convert_v1_MetricSpec_To_autoscaling_MetricSpec: v1's flat sources to v2's targets."""
    metric: dict[str, Any] = {"type": v1.get("type", "")}
    resource = v1.get("resource")
    if isinstance(resource, dict):
        metric["resource"] = {
            "name": resource.get("name", ""),
            "target": _target(
                resource.get("targetAverageUtilization"), resource.get("targetAverageValue")
            ),
        }
    container = v1.get("containerResource")
    if isinstance(container, dict):
        metric["containerResource"] = {
            "name": container.get("name", ""),
            "container": container.get("container", ""),
            "target": _target(
                container.get("targetAverageUtilization"), container.get("targetAverageValue")
            ),
        }
    pods = v1.get("pods")
    if isinstance(pods, dict):
        metric["pods"] = {
            "metric": _identifier(pods.get("metricName"), pods.get("selector")),
            "target": {"type": "AverageValue", "averageValue": pods.get("targetAverageValue", "0")},
        }
    described = v1.get("object")
    if isinstance(described, dict):
        average = described.get("averageValue")
        target: dict[str, Any] = {
            "type": "Value" if average is None else "AverageValue",
            "value": described.get("targetValue", "0"),
        }
        if average is not None:
            target["averageValue"] = average
        metric["object"] = {
            "describedObject": described.get("target") or {},
            "metric": _identifier(described.get("metricName"), described.get("selector")),
            "target": target,
        }
    external = v1.get("external")
    if isinstance(external, dict):
        value = external.get("targetValue")
        target = {"type": "AverageValue" if value is None else "Value"}
        if value is not None:
            target["value"] = value
        if external.get("targetAverageValue") is not None:
            target["averageValue"] = external["targetAverageValue"]
        metric["external"] = {
            "metric": _identifier(external.get("metricName"), external.get("metricSelector")),
            "target": target,
        }
    return metric


_RULE_FIELDS = {"stabilizationwindowseconds", "selectpolicy", "policies"}
_POLICY_FIELDS = {"type", "value", "periodseconds"}
_CASED = {
    "stabilizationwindowseconds": "stabilizationWindowSeconds",
    "selectpolicy": "selectPolicy",
    "periodseconds": "periodSeconds",
}


def _fields(given: Any, known: set[str]) -> dict[str, Any]:
    """encoding/json's reading of a struct: keys matched case-insensitively, others ignored."""
    if not isinstance(given, dict):
        return {}
    return {
        _CASED.get(key.lower(), key.lower()): value
        for key, value in given.items()
        if key.lower() in known and value is not None
    }


def _behavior(encoded: str) -> dict[str, Any] | None:
    """The behavior annotation: Go's internal HorizontalPodAutoscalerBehavior, marshalled
    without json tags (`ScaleUp`, `StabilizationWindowSeconds`...); ignored when malformed or
    empty, as conversion.go ignores it."""
    try:
        given = json.loads(encoded)
    except ValueError:
        return None
    behavior: dict[str, Any] = {}
    for key, value in given.items() if isinstance(given, dict) else ():
        direction = {"scaleup": "scaleUp", "scaledown": "scaleDown"}.get(key.lower())
        if direction is None or value is None:
            continue
        rules = _fields(value, _RULE_FIELDS)
        if isinstance(rules.get("policies"), list):
            rules["policies"] = [_fields(p, _POLICY_FIELDS) for p in rules["policies"]]
        behavior[direction] = rules
    return behavior or None


def _annotation_metrics(encoded: str) -> list[dict[str, Any]]:
    try:
        given = json.loads(encoded)
    except ValueError:
        return []
    return [_metric(m) for m in given if isinstance(m, dict)] if isinstance(given, list) else []


def _spec(v1: dict[str, Any], annotations: dict[str, Any]) -> dict[str, Any]:
    spec = {k: v for k, v in v1.items() if k != "targetCPUUtilizationPercentage"}
    metrics = _annotation_metrics(annotations.get(METRICS_ANNOTATION, "null"))
    cpu = v1.get("targetCPUUtilizationPercentage")
    if cpu is not None:
        metrics.append(_cpu_metric(cpu))
    spec["metrics"] = metrics or [_cpu_metric(DEFAULT_CPU_UTILIZATION)]
    behavior = _behavior(annotations.get(BEHAVIOR_ANNOTATION, "null"))
    if behavior is not None:
        spec["behavior"] = behavior
    return spec


def _cpu_metric(utilization: int) -> dict[str, Any]:
    return {
        "type": "Resource",
        "resource": {
            "name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": utilization},
        },
    }


def _status(v1: dict[str, Any]) -> dict[str, Any]:
    status = {k: v for k, v in v1.items() if k != "currentCPUUtilizationPercentage"}
    cpu = v1.get("currentCPUUtilizationPercentage")
    if cpu is not None:
        status["currentMetrics"] = [
            {
                "type": "Resource",
                "resource": {"name": "cpu", "current": {"averageUtilization": cpu}},
            }
        ]
    return status


def to_v2(obj: dict[str, Any]) -> dict[str, Any]:
    """A decoded autoscaling/v1 HorizontalPodAutoscaler as the autoscaling/v2 object it stores.

    >>> to_v2(
    ...     {
    ...         "apiVersion": "autoscaling/v1",
    ...         "kind": "HorizontalPodAutoscaler",
    ...         "spec": {"maxReplicas": 3, "targetCPUUtilizationPercentage": 50},
    ...     }
    ... )["spec"]["metrics"][0]["resource"]["target"]
    {'type': 'Utilization', 'averageUtilization': 50}
    """
    converted = {**obj, "apiVersion": "autoscaling/v2"}
    metadata = obj.get("metadata")
    annotations = metadata.get("annotations") if isinstance(metadata, dict) else None
    annotations = annotations if isinstance(annotations, dict) else {}
    spec = obj.get("spec")
    converted["spec"] = _spec(spec if isinstance(spec, dict) else {}, annotations)
    if isinstance(obj.get("status"), dict):
        converted["status"] = _status(obj["status"])
    if isinstance(metadata, dict) and any(key in annotations for key in ANNOTATIONS):
        kept = {k: v for k, v in annotations.items() if k not in ANNOTATIONS}
        converted["metadata"] = {k: v for k, v in metadata.items() if k != "annotations"}
        if kept:  # an emptied map is omitted, as Go's omitempty omits it
            converted["metadata"]["annotations"] = kept
    return converted


def _v1_target(target: Any) -> dict[str, Any]:
    target = target if isinstance(target, dict) else {}
    return {
        key: target[field]
        for key, field in (
            ("targetAverageUtilization", "averageUtilization"),
            ("targetAverageValue", "averageValue"),
        )
        if target.get(field) is not None
    }


def _v1_identifier(metric: Any, selector_key: str) -> dict[str, Any]:
    metric = metric if isinstance(metric, dict) else {}
    found = {"metricName": metric.get("name", "")}
    if metric.get("selector") is not None:
        found[selector_key] = metric["selector"]
    return found


def _v1_metric(v2: dict[str, Any]) -> dict[str, Any]:
    """Convert_autoscaling_MetricSpec_To_v1_MetricSpec: v2's targets back to v1's fields."""
    metric: dict[str, Any] = {"type": v2.get("type", "")}
    if isinstance(v2.get("resource"), dict):
        source = v2["resource"]
        metric["resource"] = {"name": source.get("name", ""), **_v1_target(source.get("target"))}
    if isinstance(v2.get("containerResource"), dict):
        source = v2["containerResource"]
        metric["containerResource"] = {
            "name": source.get("name", ""),
            "container": source.get("container", ""),
            **_v1_target(source.get("target")),
        }
    if isinstance(v2.get("pods"), dict):
        source = v2["pods"]
        target = source.get("target") or {}
        metric["pods"] = {
            **_v1_identifier(source.get("metric"), "selector"),
            "targetAverageValue": target.get("averageValue", "0"),
        }
    if isinstance(v2.get("object"), dict):
        source = v2["object"]
        target = source.get("target") or {}
        metric["object"] = {
            "target": source.get("describedObject") or {},
            **_v1_identifier(source.get("metric"), "selector"),
            "targetValue": target.get("value", "0"),
        }
        if target.get("averageValue") is not None:
            metric["object"]["averageValue"] = target["averageValue"]
    if isinstance(v2.get("external"), dict):
        source = v2["external"]
        target = source.get("target") or {}
        metric["external"] = _v1_identifier(source.get("metric"), "metricSelector")
        for key, field in (("targetValue", "value"), ("targetAverageValue", "averageValue")):
            if target.get(field) is not None:
                metric["external"][key] = target[field]
    return metric


def _is_cpu_utilization(metric: Any) -> bool:
    resource = metric.get("resource") if isinstance(metric, dict) else None
    return (
        metric.get("type") == "Resource"
        and isinstance(resource, dict)
        and resource.get("name") == "cpu"
        and (resource.get("target") or {}).get("averageUtilization") is not None
    )


def _go_behavior(behavior: dict[str, Any]) -> dict[str, Any]:
    """The internal behavior as Go marshals it without json tags: field names capitalised."""
    encoded: dict[str, Any] = {}
    for direction in ("scaleUp", "scaleDown"):
        rules = behavior.get(direction)
        if not isinstance(rules, dict):
            continue
        encoded[direction[0].upper() + direction[1:]] = {
            "StabilizationWindowSeconds": rules.get("stabilizationWindowSeconds"),
            "SelectPolicy": rules.get("selectPolicy"),
            "Policies": [
                {
                    "Type": policy.get("type"),
                    "Value": policy.get("value"),
                    "PeriodSeconds": policy.get("periodSeconds"),
                }
                for policy in rules.get("policies") or []
                if isinstance(policy, dict)
            ],
        }
    return encoded


def _v1_spec(v2: dict[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """v1's spec and the metrics it has no field for."""
    spec = {k: v for k, v in v2.items() if k not in ("metrics", "behavior")}
    metrics = [m for m in v2.get("metrics") or [] if isinstance(m, dict)]
    for metric in metrics:
        if metric.get("type") == "Resource" and (metric.get("resource") or {}).get("name") == "cpu":
            utilization = (metric["resource"].get("target") or {}).get("averageUtilization")
            if utilization is not None:
                spec["targetCPUUtilizationPercentage"] = utilization
            break
    return spec, [_v1_metric(m) for m in metrics if not _is_cpu_utilization(m)]


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def to_v1(obj: dict[str, Any]) -> dict[str, Any]:
    """A stored autoscaling/v2 HorizontalPodAutoscaler as an autoscaling/v1 client reads it."""
    converted = {**obj, "apiVersion": "autoscaling/v1"}
    metadata = _mapping(obj.get("metadata"))
    given = metadata.get("annotations")
    annotations = {
        k: v for k, v in (given if isinstance(given, dict) else {}).items() if k not in ANNOTATIONS
    }
    spec = _mapping(obj.get("spec"))
    converted["spec"], other_metrics = _v1_spec(spec)
    if other_metrics:
        annotations[METRICS_ANNOTATION] = json.dumps(other_metrics, separators=(",", ":"))
    if isinstance(spec.get("behavior"), dict):
        encoded = json.dumps(_go_behavior(spec["behavior"]), separators=(",", ":"))
        annotations[BEHAVIOR_ANNOTATION] = encoded
    status = obj.get("status")
    if isinstance(status, dict):
        converted["status"] = {
            k: v for k, v in status.items() if k not in ("currentMetrics", "conditions")
        }
        for metric in status.get("currentMetrics") or []:
            resource = metric.get("resource") if isinstance(metric, dict) else None
            if metric.get("type") == "Resource" and isinstance(resource, dict):
                current = (resource.get("current") or {}).get("averageUtilization")
                if resource.get("name") == "cpu" and current is not None:
                    converted["status"]["currentCPUUtilizationPercentage"] = current
        if status.get("conditions"):
            annotations[CONDITIONS_ANNOTATION] = json.dumps(
                status["conditions"], separators=(",", ":")
            )
    converted["metadata"] = {k: v for k, v in metadata.items() if k != "annotations"}
    if annotations:
        converted["metadata"]["annotations"] = annotations
    return converted
