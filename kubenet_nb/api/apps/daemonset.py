"""DaemonSet defaulting and validation (apps/v1), as for the other apps workloads."""

from __future__ import annotations

from kubenet_nb.api.apps.template import (
    default_pod_template,
    validate_selector_and_template,
    validate_workload,
    validate_workload_update,
)
from kubenet_nb.api.errors import FieldError

__all__ = ["default_daemonset", "validate_daemonset", "validate_daemonset_update"]

UPDATE_STRATEGIES = ("OnDelete", "RollingUpdate")


def default_daemonset(obj: dict) -> None:
    """SetDefaults_DaemonSet: RollingUpdate (maxUnavailable 1, maxSurge 0), history 10."""
    spec = obj.setdefault("spec", {})
    strategy = spec.setdefault("updateStrategy", {})
    strategy.setdefault("type", "RollingUpdate")
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.setdefault("rollingUpdate", {})
        rolling.setdefault("maxUnavailable", 1)
        rolling.setdefault("maxSurge", 0)
    spec.setdefault("revisionHistoryLimit", 10)
    default_pod_template(spec.setdefault("template", {}))


def _validate_spec(spec: dict) -> list[FieldError]:
    errs = validate_selector_and_template(spec)
    kind = (spec.get("updateStrategy") or {}).get("type")
    if kind not in UPDATE_STRATEGIES:
        errs.append(
            FieldError.not_supported("spec.updateStrategy.type", kind, list(UPDATE_STRATEGIES))
        )
    restart = ((spec.get("template") or {}).get("spec") or {}).get("restartPolicy")
    if restart not in (None, "Always"):
        errs.append(
            FieldError.not_supported("spec.template.spec.restartPolicy", restart, ["Always"])
        )
    return errs


def validate_daemonset(obj: dict) -> list[FieldError]:
    """ValidateDaemonSet."""
    return validate_workload(obj, _validate_spec)


def validate_daemonset_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateDaemonSetUpdate: the selector is immutable."""
    return validate_workload_update(new, old, _validate_spec)
