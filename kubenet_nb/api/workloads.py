"""Deployments and ReplicaSets (apps/v1): defaulting, validation and warnings.

Sources in kubernetes/kubernetes: pkg/apis/apps/v1/defaults.go (SetDefaults_Deployment,
SetDefaults_ReplicaSet), pkg/apis/apps/validation/validation.go (ValidateDeploymentSpec,
ValidateReplicaSetSpec, ValidatePodTemplateSpecForReplicaSet), the apps registry strategies
(selector immutability on update, WarningsOnCreate) and core ValidatePodTemplateSpec.
"""

from __future__ import annotations

import re

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    GoValue,
    go_quote,
    go_string_map,
    name_is_dns_subdomain,
    validate_annotations,
    validate_immutable,
    validate_labels,
    validate_nonnegative,
    validate_object_meta,
    validate_object_meta_update,
)
from kubenet_nb.api.names import is_dns1123_label
from kubenet_nb.api.pod import pod_spec_warnings
from kubenet_nb.api.podspec import default_pod_spec, validate_pod_spec
from kubenet_nb.api.selectors import (
    Selector,
    SelectorError,
    go_label_selector,
    selector_from_label_selector,
    validate_label_selector,
)

__all__ = [
    "default_deployment",
    "default_pod_template",
    "default_replicaset",
    "deployment_warnings",
    "replicaset_warnings",
    "validate_deployment",
    "validate_deployment_update",
    "validate_pod_template",
    "validate_replicaset",
    "validate_replicaset_update",
]

_PERCENT = re.compile(r"[0-9]+%")
_PERCENT_ERROR = (
    "a valid percent string must be a numeric string followed by an ending '%' "
    "(e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"
)


def default_pod_template(template: dict) -> None:
    """A template is defaulted as a PodSpec (not as a Pod: no enableServiceLinks, no admission).

    `creationTimestamp: null` is what a v1.33 API server returns in template metadata.
    """
    template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    default_pod_spec(template.setdefault("spec", {}))


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


def validate_pod_template(template: dict, selector: Selector, field: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (Deployments use it too, wording included)."""
    meta = template.get("metadata") or {}
    labels = meta.get("labels")
    errs: list[FieldError] = []
    if not selector.empty() and not selector.matches(labels):
        errs.append(
            FieldError.invalid(
                f"{field}.metadata.labels",
                GoValue(go_string_map(labels)),
                "`selector` does not match template `labels`",
            )
        )
    errs.extend(validate_labels(labels, f"{field}.labels"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{field}.annotations"))
    spec = template.get("spec") or {}
    errs.extend(validate_pod_spec(spec, f"{field}.spec", is_pod=False))
    if spec.get("ephemeralContainers"):
        errs.append(
            FieldError.forbidden(
                f"{field}.spec.ephemeralContainers",
                "ephemeral containers not allowed in pod template",
            )
        )
    if spec.get("restartPolicy") != "Always":
        errs.append(
            FieldError.not_supported(
                f"{field}.spec.restartPolicy", spec.get("restartPolicy", ""), ["Always"]
            )
        )
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            FieldError.forbidden(
                f"{field}.spec.activeDeadlineSeconds",
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )
        )
    return errs


def validate_selector_and_template(spec: dict) -> list[FieldError]:
    """A required, non-empty selector that the template's labels match (apps validation)."""
    selector = spec.get("selector")
    errs: list[FieldError] = []
    if selector is None:
        errs.append(FieldError.required("spec.selector"))
    else:
        errs.extend(validate_label_selector(selector, "spec.selector"))
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(
                FieldError.invalid(
                    "spec.selector",
                    go_label_selector(selector),
                    "empty selector is invalid for deployment",
                )
            )
    try:
        parsed = selector_from_label_selector(selector)
    except SelectorError:
        errs.append(
            FieldError.invalid(
                "spec.selector", go_label_selector(selector), "invalid label selector"
            )
        )
    else:
        errs.extend(validate_pod_template(spec.get("template") or {}, parsed, "spec.template"))
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
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    return errs + _validate_deployment_spec(obj.get("spec", {}))


def validate_deployment_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateDeploymentUpdate plus the apps/v1 strategy's selector immutability."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    errs.extend(_validate_deployment_spec(new.get("spec", {})))
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


def _validate_replicaset_spec(spec: dict) -> list[FieldError]:
    errs = validate_nonnegative(spec.get("replicas", 0), "spec.replicas")
    errs.extend(validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds"))
    return errs + validate_selector_and_template(spec)


def validate_replicaset(obj: dict) -> list[FieldError]:
    """ValidateReplicaSet."""
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    return errs + _validate_replicaset_spec(obj.get("spec", {}))


def validate_replicaset_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateReplicaSetUpdate plus the apps/v1 strategy's selector immutability."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    errs.extend(_validate_replicaset_spec(new.get("spec", {})))
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
