"""PodDisruptionBudgets (policy/v1): validation, the zero status and generation.

pkg/apis/policy/validation/validation.go (ValidatePodDisruptionBudgetSpec, with the apps
int-or-percent checks) and pkg/registry/policy/poddisruptionbudget/strategy.go (status reset,
generation 1) @ v1.33.0. policy/v1 has no defaults.
"""

from __future__ import annotations

from kubenet_nb.api.apps.workloads import _go_int_or_string, _validate_int_or_percent
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue
from kubenet_nb.api.selectors import validate_label_selector

__all__ = ["RULES", "validate_pdb"]

_EVICTION_POLICIES = ["AlwaysAllow", "IfHealthyBudget"]
_ZERO_STATUS = {
    "currentHealthy": 0,
    "desiredHealthy": 0,
    "disruptionsAllowed": 0,
    "expectedPods": 0,
}


def _pointer(spec: dict, key: str, go_type: str) -> str:
    """How `%#v` shows a pointer field: typed nil, or an address (placeholder)."""
    return f"(*{go_type})({'nil' if spec.get(key) is None else '0xc000000000'})"


def _go_spec(spec: dict) -> GoValue:
    """`%#v` of policy.PodDisruptionBudgetSpec (addresses are placeholders)."""
    return GoValue(
        "policy.PodDisruptionBudgetSpec{"
        f"MinAvailable:{_pointer(spec, 'minAvailable', 'intstr.IntOrString')}, "
        f"Selector:{_pointer(spec, 'selector', 'v1.LabelSelector')}, "
        f"MaxUnavailable:{_pointer(spec, 'maxUnavailable', 'intstr.IntOrString')}, "
        "UnhealthyPodEvictionPolicy:"
        f"{_pointer(spec, 'unhealthyPodEvictionPolicy', 'policy.UnhealthyPodEvictionPolicyType')}}}"
    )


def _validate_budget(value: object, field: str) -> list[FieldError]:
    """ValidatePositiveIntOrPercent and IsNotMoreThan100Percent."""
    errs = _validate_int_or_percent(value, field)
    if isinstance(value, str) and not errs and int(value[:-1]) > 100:
        errs.append(
            FieldError.invalid(field, _go_int_or_string(value), "must not be greater than 100%")
        )
    return errs


def validate_pdb(obj: dict) -> list[FieldError]:
    """ValidatePodDisruptionBudget (create and update alike in policy/v1)."""
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    if spec.get("minAvailable") is not None and spec.get("maxUnavailable") is not None:
        errs.append(
            FieldError.invalid(
                "spec", _go_spec(spec), "minAvailable and maxUnavailable cannot be both set"
            )
        )
    for key in ("minAvailable", "maxUnavailable"):
        if spec.get(key) is not None:
            errs.extend(_validate_budget(spec[key], f"spec.{key}"))
    errs.extend(validate_label_selector(spec.get("selector"), "spec.selector"))
    policy = spec.get("unhealthyPodEvictionPolicy")
    if policy is not None and policy not in _EVICTION_POLICIES:
        errs.append(
            FieldError.not_supported("spec.unhealthyPodEvictionPolicy", policy, _EVICTION_POLICIES)
        )
    return errs


RULES = (
    KindRules("PodDisruptionBudget", validate=validate_pdb, status=_ZERO_STATUS, generation=True),
)
