"""HorizontalPodAutoscalers (autoscaling/v2): defaulting, validation, status and generation.

pkg/apis/autoscaling/v2/defaults.go (minReplicas 1, a CPU 80% metric when none is given, the
scale-up and scale-down rules filled in only when `behavior` is set),
pkg/apis/autoscaling/validation/validation.go (validateHorizontalPodAutoscalerSpec,
ValidateCrossVersionObjectReference, validateBehavior) and
pkg/registry/autoscaling/horizontalpodautoscaler/strategy.go @ v1.33.0 (HPAScaleToZero off).
"""

from __future__ import annotations

import copy

from kubenet_nb.api.autoscaling.metrics import validate_metrics
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.path_segment import is_valid_path_segment_name

__all__ = ["RULES", "default_hpa", "validate_hpa"]

DEFAULT_CPU_UTILIZATION = 80
_SCALE_UP = {
    "stabilizationWindowSeconds": 0,
    "selectPolicy": "Max",
    "policies": [
        {"type": "Pods", "value": 4, "periodSeconds": 15},
        {"type": "Percent", "value": 100, "periodSeconds": 15},
    ],
}
_SCALE_DOWN = {
    "selectPolicy": "Max",
    "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
}
"""The scale-down window is left unset: the controller's --horizontal-pod-autoscaler-
downscale-stabilization flag (300s) applies."""
_SELECT_POLICIES = ["Max", "Min", "Disabled"]
_POLICY_TYPES = ["Pods", "Percent"]
MAX_PERIOD_SECONDS = 1800
MAX_STABILIZATION_WINDOW_SECONDS = 3600


def _rules(given: dict | None, defaults: dict) -> dict:
    """GenerateHPAScale{Up,Down}Rules: the defaults, overridden by what the client set."""
    rules = copy.deepcopy(defaults)
    for key, value in (given or {}).items():
        if value is not None:
            rules[key] = value
    return rules


def default_hpa(obj: dict) -> None:
    """SetDefaults_HorizontalPodAutoscaler and SetDefaults_HorizontalPodAutoscalerBehavior."""
    spec = obj.setdefault("spec", {})
    if spec.get("minReplicas") is None:
        spec["minReplicas"] = 1
    if not spec.get("metrics"):
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {
                        "type": "Utilization",
                        "averageUtilization": DEFAULT_CPU_UTILIZATION,
                    },
                },
            }
        ]
    behavior = spec.get("behavior")
    if behavior is not None:
        behavior["scaleUp"] = _rules(behavior.get("scaleUp"), _SCALE_UP)
        behavior["scaleDown"] = _rules(behavior.get("scaleDown"), _SCALE_DOWN)


def _validate_target_ref(ref: dict) -> list[FieldError]:
    """ValidateCrossVersionObjectReference: kind and name, each a path segment."""
    errs: list[FieldError] = []
    for key in ("kind", "name"):
        value = ref.get(key, "")
        field = f"spec.scaleTargetRef.{key}"
        if not value:
            errs.append(FieldError.required(field))
        errs.extend(
            FieldError.invalid(field, value, msg) for msg in is_valid_path_segment_name(value)
        )
    return errs


def _validate_policy(policy: dict, field: str) -> list[FieldError]:
    """validateScalingPolicy."""
    errs: list[FieldError] = []
    if policy.get("type", "") not in _POLICY_TYPES:
        errs.append(
            FieldError.not_supported(f"{field}.type", policy.get("type", ""), _POLICY_TYPES)
        )
    for key in ("value", "periodSeconds"):
        if policy.get(key, 0) <= 0:
            errs.append(
                FieldError.invalid(
                    f"{field}.{key}", policy.get(key, 0), "must be greater than zero"
                )
            )
    if policy.get("periodSeconds", 0) > MAX_PERIOD_SECONDS:
        errs.append(
            FieldError.invalid(
                f"{field}.periodSeconds",
                policy["periodSeconds"],
                f"must be less than or equal to {MAX_PERIOD_SECONDS}",
            )
        )
    return errs


def _validate_scaling_rules(rules: dict | None, field: str) -> list[FieldError]:
    """validateScalingRules."""
    if rules is None:
        return []
    errs: list[FieldError] = []
    window = rules.get("stabilizationWindowSeconds")
    if window is not None and window < 0:
        errs.append(
            FieldError.invalid(
                f"{field}.stabilizationWindowSeconds",
                window,
                "must be greater than or equal to zero",
            )
        )
    if window is not None and window > MAX_STABILIZATION_WINDOW_SECONDS:
        errs.append(
            FieldError.invalid(
                f"{field}.stabilizationWindowSeconds",
                window,
                f"must be less than or equal to {MAX_STABILIZATION_WINDOW_SECONDS}",
            )
        )
    select = rules.get("selectPolicy")
    if select is not None and select not in _SELECT_POLICIES:
        errs.append(FieldError.not_supported(f"{field}.selectPolicy", select, _SELECT_POLICIES))
    policies = rules.get("policies") or []
    if not policies:
        errs.append(FieldError.required(f"{field}.policies", "must specify at least one Policy"))
    for i, policy in enumerate(policies):
        errs.extend(_validate_policy(policy, f"{field}.policies[{i}]"))
    return errs


def validate_hpa(obj: dict) -> list[FieldError]:
    """validateHorizontalPodAutoscalerSpec: replica bounds, the target, metrics, behavior."""
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    low, high = spec.get("minReplicas"), spec.get("maxReplicas", 0)
    if low is not None and low < 1:
        errs.append(
            FieldError.invalid("spec.minReplicas", low, "must be greater than or equal to 1")
        )
    if high < 1:
        errs.append(FieldError.invalid("spec.maxReplicas", high, "must be greater than 0"))
    if low is not None and high < low:
        errs.append(
            FieldError.invalid(
                "spec.maxReplicas", high, "must be greater than or equal to `minReplicas`"
            )
        )
    errs.extend(_validate_target_ref(spec.get("scaleTargetRef") or {}))
    errs.extend(validate_metrics(spec.get("metrics") or [], low))
    behavior = spec.get("behavior")
    if behavior is not None:
        errs.extend(_validate_scaling_rules(behavior.get("scaleUp"), "spec.behavior.scaleUp"))
        errs.extend(_validate_scaling_rules(behavior.get("scaleDown"), "spec.behavior.scaleDown"))
    return errs


RULES = (
    KindRules(
        "HorizontalPodAutoscaler",
        default=default_hpa,
        validate=validate_hpa,
        status={"currentMetrics": None, "desiredReplicas": 0},
    ),
)
