"""PriorityClasses: defaulting, validation and update rules.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/scheduling/v1/defaults.go
(SetDefaults_PriorityClass: preemptionPolicy PreemptLowerPriority),
pkg/apis/scheduling/validation/validation.go (ValidatePriorityClass, ValidatePriorityClassUpdate)
and pkg/apis/scheduling/v1/helpers.go (the two system classes).
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import validate_immutable

__all__ = ["HIGHEST_USER_DEFINABLE_PRIORITY", "RULES", "SYSTEM_PRIORITY_CLASSES"]

HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000
SYSTEM_PRIORITY_CLASSES = {
    "system-node-critical": 2_000_001_000,
    "system-cluster-critical": 2_000_000_000,
}
"""The system classes (name → value; neither is the global default)."""
_SYSTEM_PREFIX = "system-"
_PREEMPTION_POLICIES = ["PreemptLowerPriority", "Never"]


def _default(obj: dict) -> None:
    if obj.get("preemptionPolicy") is None:
        obj["preemptionPolicy"] = "PreemptLowerPriority"


def _system_class_problem(name: str, value: int, global_default: bool) -> str | None:
    """IsKnownSystemPriorityClass's error, or None for a known system class as it must be."""
    if name not in SYSTEM_PRIORITY_CLASSES:
        return f"{name} is not a known system priority class"
    if value != SYSTEM_PRIORITY_CLASSES[name]:
        return f"value of {name} PriorityClass must be {SYSTEM_PRIORITY_CLASSES[name]}"
    if global_default:
        return f"globalDefault of {name} PriorityClass must be false"
    return None


def _validate(obj: dict) -> list[FieldError]:
    """ValidatePriorityClass beyond ObjectMeta."""
    name, value = obj.get("metadata", {}).get("name", ""), obj.get("value", 0)
    errs: list[FieldError] = []
    if name.startswith(_SYSTEM_PREFIX):
        problem = _system_class_problem(name, value, bool(obj.get("globalDefault")))
        if problem:
            errs.append(
                FieldError.forbidden(
                    "metadata.name",
                    f"priority class names with '{_SYSTEM_PREFIX}' prefix are reserved for system "
                    f"use only. error: {problem}",
                )
            )
    elif value > HIGHEST_USER_DEFINABLE_PRIORITY:
        errs.append(
            FieldError.forbidden(
                "value",
                "maximum allowed value of a user defined priority is "
                f"{HIGHEST_USER_DEFINABLE_PRIORITY}",
            )
        )
    policy = obj.get("preemptionPolicy")
    if policy is not None and policy not in _PREEMPTION_POLICIES:
        errs.append(FieldError.not_supported("preemptionPolicy", policy, _PREEMPTION_POLICIES))
    return errs


def _validate_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePriorityClassUpdate: value and preemptionPolicy are fixed (nothing else checked)."""
    errs = []
    if new.get("value", 0) != old.get("value", 0):
        errs.append(FieldError.forbidden("value", "may not be changed in an update."))
    return errs + validate_immutable(
        new.get("preemptionPolicy"), old.get("preemptionPolicy"), "preemptionPolicy"
    )


RULES = (
    KindRules(
        "PriorityClass", default=_default, validate=_validate, validate_update=_validate_update
    ),
)
