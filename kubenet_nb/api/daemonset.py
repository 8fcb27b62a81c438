"""DaemonSet defaulting and validation (apps/v1), as for the other apps workloads."""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_immutable,
    validate_object_meta,
    validate_object_meta_update,
)
from kubenet_nb.api.selectors import go_label_selector
from kubenet_nb.api.workloads import default_pod_template, validate_selector_and_template

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
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    return errs + _validate_spec(obj.get("spec", {}))


def validate_daemonset_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateDaemonSetUpdate: the selector is immutable."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    errs.extend(_validate_spec(new.get("spec", {})))
    selector = new.get("spec", {}).get("selector")
    errs.extend(
        validate_immutable(
            selector,
            old.get("spec", {}).get("selector"),
            "spec.selector",
            go_label_selector(selector),
        )
    )
    return errs
