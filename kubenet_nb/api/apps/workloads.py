"""Deployments and ReplicaSets (apps/v1): defaulting, validation and warnings.

Sources in kubernetes/kubernetes: pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment,
SetDefaults_ReplicaSet), pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
ValidateReplicaSetSpec) and the apps registry strategies (WarningsOnCreate). The pod template,
the selector and selector immutability are shared with DaemonSets, in apps_workload.
"""

from __future__ import annotations

import re

from kubenet_nb.api.apps.template import (
    default_pod_template,
    validate_selector_and_template,
    validate_workload,
    validate_workload_update,
)
from kubenet_nb.api.core.pod.warnings import pod_spec_warnings
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import GoValue, go_quote, validate_nonnegative
from kubenet_nb.api.names import is_dns1123_label

__all__ = [
    "default_deployment",
    "default_replicaset",
    "deployment_warnings",
    "replicaset_warnings",
    "validate_deployment",
    "validate_deployment_update",
    "validate_replicaset",
    "validate_replicaset_update",
]

_PERCENT = re.compile(r"[0-9]+%")
_PERCENT_ERROR = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def default_deployment(obj: dict) -> None:
    """SetDefaults_Deployment: replicas 1, RollingUpdate 25%/25%, history 10, deadline 600."""
    spec = obj.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    strategy = spec.setdefault("strategy", {})
    if not strategy.get("type"):
        strategy["type"] = "RollingUpdate"
    if strategy["type"] == "RollingUpdate":
        rolling = strategy.get("rollingUpdate")
        if rolling is None:
            rolling = strategy["rollingUpdate"] = {}
        for key in ("maxUnavailable", "maxSurge"):
            if rolling.get(key) is None:
                rolling[key] = "25%"
    if spec.get("revisionHistoryLimit") is None:
        spec["revisionHistoryLimit"] = 10
    if spec.get("progressDeadlineSeconds") is None:
        spec["progressDeadlineSeconds"] = 600
    default_pod_template(spec.setdefault("template", {}))


def default_replicaset(obj: dict) -> None:
    """SetDefaults_ReplicaSet: replicas 1, and the template defaulted as a PodSpec."""
    spec = obj.setdefault("spec", {})
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    default_pod_template(spec.setdefault("template", {}))


def _go_int_or_string(value: object) -> GoValue:
    if isinstance(value, str):
        return GoValue(f"intstr.IntOrString{{Type:1, IntVal:0, StrVal:{go_quote(value)}}}")
    return GoValue(f'intstr.IntOrString{{Type:0, IntVal:{value}, StrVal:""}}')


def _int_or_percent(value: object) -> int:
    if isinstance(value, str):
        if _PERCENT.fullmatch(value):
            return int(value[:-1])
        return int(value) if re.fullmatch(r"[+-]?[0-9]+", value) else 0
    return value if isinstance(value, int) else 0


def _validate_int_or_percent(value: object, field: str) -> list[FieldError]:
    if isinstance(value, str):
        if _PERCENT.fullmatch(value):
            return []
        return [FieldError.invalid(field, _go_int_or_string(value), _PERCENT_ERROR)]
    return validate_nonnegative(value, field)


def _validate_strategy(strategy: dict, field: str) -> list[FieldError]:
    kind, rolling = strategy.get("type", ""), strategy.get("rollingUpdate")
    if kind == "Recreate":
        if rolling is not None:
            return [
                FieldError.forbidden(
                    f"{field}.rollingUpdate",
                    "may not be specified when strategy `type` is 'Recreate'",
                )
            ]
        return []
    if kind != "RollingUpdate":
        pointer = "(nil)" if rolling is None else "(0xc000000000)"
        shown = GoValue(
            f"apps.DeploymentStrategy{{Type:{go_quote(kind)}, "
            f"RollingUpdate:(*apps.RollingUpdateDeployment){pointer}}}"
        )
        return [FieldError.not_supported(field, shown, ["Recreate", "RollingUpdate"])]
    if rolling is None:
        return [
            FieldError.required(
                f"{field}.rollingUpdate", "this should be defaulted and never be nil"
            )
        ]
    path = f"{field}.rollingUpdate"
    unavailable, surge = rolling.get("maxUnavailable"), rolling.get("maxSurge")
    errs = _validate_int_or_percent(unavailable, f"{path}.maxUnavailable")
    errs.extend(_validate_int_or_percent(surge, f"{path}.maxSurge"))
    if _int_or_percent(unavailable) == 0 and _int_or_percent(surge) == 0:
        errs.append(
            FieldError.invalid(
                f"{path}.maxUnavailable",
                _go_int_or_string(unavailable),
                "may not be 0 when `maxSurge` is 0",
            )
        )
    if (
        isinstance(unavailable, str)
        and _PERCENT.fullmatch(unavailable)
        and int(unavailable[:-1]) > 100
    ):
        errs.append(
            FieldError.invalid(
                f"{path}.maxUnavailable",
                _go_int_or_string(unavailable),
                "must not be greater than 100%",
            )
        )
    return errs


def _validate_deployment_spec(spec: dict) -> list[FieldError]:
    errs = validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs.extend(validate_selector_and_template(spec))
    errs.extend(_validate_strategy(spec.get("strategy") or {}, "spec.strategy"))
    min_ready = spec.get("minReadySeconds", 0)
    errs.extend(validate_nonnegative(min_ready, "spec.minReadySeconds"))
    if spec.get("revisionHistoryLimit") is not None:
        errs.extend(validate_nonnegative(spec["revisionHistoryLimit"], "spec.revisionHistoryLimit"))
    deadline = spec.get("progressDeadlineSeconds")
    if deadline is not None:
        errs.extend(validate_nonnegative(deadline, "spec.progressDeadlineSeconds"))
        if deadline <= min_ready:
            errs.append(
                FieldError.invalid(
                    "spec.progressDeadlineSeconds", deadline, "must be greater than minReadySeconds"
                )
            )
    return errs


def validate_deployment(obj: dict) -> list[FieldError]:
    """ValidateDeployment."""
    return validate_workload(obj, _validate_deployment_spec)


def validate_deployment_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateDeploymentUpdate plus the apps/v1 strategy's selector immutability."""
    return validate_workload_update(new, old, _validate_deployment_spec)


def _validate_replicaset_spec(spec: dict) -> list[FieldError]:
    errs = validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs.extend(validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds"))
    return errs + validate_selector_and_template(spec)


def validate_replicaset(obj: dict) -> list[FieldError]:
    """ValidateReplicaSet."""
    return validate_workload(obj, _validate_replicaset_spec)


def validate_replicaset_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateReplicaSetUpdate plus the apps/v1 strategy's selector immutability."""
    return validate_workload_update(new, old, _validate_replicaset_spec)


def _workload_warnings(obj: dict, old: dict | None) -> list[str]:
    warnings = []
    problems = is_dns1123_label(obj.get("metadata", {}).get("name", ""))
    if old is None and problems:
        warnings.append(
            "metadata.name: this is used in Pod names and hostnames, which can "
            "result in surprising behavior; a DNS label is recommended: "
            f"[{' '.join(problems)}]"
        )
    spec = obj.get("spec") or {}
    template = spec.get("template") or {}
    if old is None or spec != old.get("spec"):
        warnings.extend(pod_spec_warnings(template.get("spec") or {}, "spec.template.spec"))
    return warnings


def deployment_warnings(obj: dict, old: dict | None = None) -> list[str]:
    """WarningsOnCreate (old None) or WarningsOnUpdate of the deployment strategy."""
    return _workload_warnings(obj, old)


def replicaset_warnings(obj: dict, old: dict | None = None) -> list[str]:
    """WarningsOnCreate (old None) or WarningsOnUpdate of the replicaset strategy."""
    return _workload_warnings(obj, old)
