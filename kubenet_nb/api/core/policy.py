"""LimitRanges and ResourceQuotas: defaulting and validation.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/core/v1/defaults.go
(SetDefaults_LimitRangeItem), pkg/apis/core/validation/validation.go (ValidateLimitRange,
ValidateResourceQuota and ValidateResourceQuotaUpdate) and the resourcequota strategy, which
starts a created quota from an empty status (the quota controller fills it in).
"""

from __future__ import annotations

from kubenet_nb.api.core.resource_names import (
    is_overcommit_allowed,
    validate_container_resource_name,
    validate_quota_resource_name,
    validate_resource_name,
    validate_resource_quantity,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import FIELD_IMMUTABLE, GoValue, go_quote
from kubenet_nb.api.names import is_qualified_name
from kubenet_nb.api.quantity import Quantity, parse_quantity

__all__ = ["RULES"]

_LIMIT_TYPES = ("Pod", "Container", "PersistentVolumeClaim")
_SCOPES = (
    "Terminating",
    "NotTerminating",
    "BestEffort",
    "NotBestEffort",
    "PriorityClass",
    "CrossNamespacePodAffinity",
)
_POD_SCOPED = {
    "pods",
    "cpu",
    "memory",
    "limits.cpu",
    "limits.memory",
    "requests.cpu",
    "requests.memory",
}
_CONFLICTS = (("BestEffort", "NotBestEffort"), ("Terminating", "NotTerminating"))
_EXISTS_ONLY = (
    "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, "
    "ResourceQuotaScopeNotTerminating, ResourceQuotaScopeBestEffort, "
    "ResourceQuotaScopeNotBestEffort or ResourceQuotaScopeCrossNamespacePodAffinity"
)


def _default_limit_range(obj: dict) -> None:
    """SetDefaults_LimitRangeItem: a Container item's default from max, defaultRequest from
    default, then from min."""
    for item in (obj.get("spec") or {}).get("limits") or []:
        if item.get("type") != "Container":
            continue
        default = {**(item.get("max") or {}), **(item.get("default") or {})}
        request = {**(item.get("min") or {}), **default, **(item.get("defaultRequest") or {})}
        for key, value in (("default", default), ("defaultRequest", request)):
            if value:
                item[key] = value


def _quantities(item: dict, key: str) -> dict[str, Quantity]:
    return {name: parse_quantity(raw) for name, raw in (item.get(key) or {}).items()}


def _validate_limit_type(kind: str, field: str) -> list[FieldError]:
    errs = [FieldError.invalid(field, kind, msg) for msg in is_qualified_name(kind)]
    if not errs and "/" not in kind and kind not in _LIMIT_TYPES:
        errs.append(
            FieldError.invalid(field, kind, "must be a standard limit type or fully qualified")
        )
    return errs


def _compare(item: dict, path: str) -> list[FieldError]:
    """The per-resource consistency checks of ValidateLimitRange (resources in name order; the
    bad values are Quantities, which Go prints through String(), unquoted)."""
    low, high = _quantities(item, "min"), _quantities(item, "max")
    limit, request = _quantities(item, "default"), _quantities(item, "defaultRequest")
    ratios = _quantities(item, "maxLimitRequestRatio")
    if item.get("type") == "Pod":
        limit, request = {}, {}
    errs: list[FieldError] = []
    for name in sorted({*low, *high, *limit, *request, *ratios}):
        lo, hi, d, dr, ratio = (q.get(name) for q in (low, high, limit, request, ratios))
        # (field, the value shown, the one that must not be greater, the other, message), in
        # ValidateLimitRange's order; a check needs both values set.
        orderings = (
            ("min", lo, lo, hi, f"min value {lo} is greater than max value {hi}"),
            (
                "defaultRequest",
                dr,
                lo,
                dr,
                f"min value {lo} is greater than default request value {dr}",
            ),
            (
                "defaultRequest",
                dr,
                dr,
                hi,
                f"default request value {dr} is greater than max value {hi}",
            ),
            (
                "defaultRequest",
                dr,
                dr,
                d,
                f"default request value {dr} is greater than default limit value {d}",
            ),
            ("default", lo, lo, d, f"min value {lo} is greater than default value {d}"),
            ("default", hi, d, hi, f"default value {d} is greater than max value {hi}"),
        )
        for key, shown, lesser, greater, message in orderings:
            if lesser and greater and lesser > greater:
                errs.append(
                    FieldError.invalid(f"{path}.{key}[{name}]", GoValue(str(shown)), message)
                )
        if ratio and ratio.value < 1:
            errs.append(
                FieldError.invalid(
                    f"{path}.maxLimitRequestRatio[{name}]",
                    GoValue(str(ratio)),
                    f"ratio {ratio} is less than 1",
                )
            )
        if ratio and lo and hi and lo.value:
            bound = float(hi.value / lo.value)
            if float(ratio.value) > bound:
                errs.append(
                    FieldError.invalid(
                        f"{path}.maxLimitRequestRatio[{name}]",
                        GoValue(str(ratio)),
                        f"ratio {ratio} is greater than max/min = {bound:f}",
                    )
                )
        if not is_overcommit_allowed(name) and d and dr and d != dr:
            errs.append(
                FieldError.invalid(
                    f"{path}.defaultRequest[{name}]",
                    GoValue(str(dr)),
                    f"default value {d} must equal to defaultRequest value {dr} in {name}",
                )
            )
    return errs


def _validate_limit_range(obj: dict) -> list[FieldError]:
    """ValidateLimitRange beyond ObjectMeta."""
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, item in enumerate((obj.get("spec") or {}).get("limits") or []):
        path, kind = f"spec.limits[{i}]", item.get("type") or ""
        errs.extend(_validate_limit_type(kind, f"{path}.type"))
        if kind in seen:
            errs.append(FieldError.duplicate(f"{path}.type", kind))
        seen.add(kind)
        check = (
            validate_container_resource_name
            if kind in ("Pod", "Container")
            else validate_resource_name
        )
        keys = ["max", "min"] + (["default", "defaultRequest"] if kind != "Pod" else [])
        for key in keys:
            for name in item.get(key) or {}:
                errs.extend(check(name, f"{path}.{key}[{name}]"))
        if kind == "Pod":
            errs.extend(
                FieldError.forbidden(f"{path}.{key}", "may not be specified when `type` is 'Pod'")
                for key in ("default", "defaultRequest")
                if item.get(key)
            )
        if kind == "PersistentVolumeClaim" and not (
            "storage" in (item.get("min") or {}) or "storage" in (item.get("max") or {})
        ):
            errs.append(
                FieldError.required(
                    f"{path}.limits",
                    "either minimum or maximum storage value is required, but neither was provided",
                )
            )
        for name in item.get("maxLimitRequestRatio") or {}:
            errs.extend(check(name, f"{path}.maxLimitRequestRatio[{name}]"))
        errs.extend(_compare(item, path))
    return errs


def _go_scopes(scopes: list[str] | None) -> GoValue:
    if scopes is None:
        return GoValue("[]core.ResourceQuotaScope(nil)")
    return GoValue("[]core.ResourceQuotaScope{" + ", ".join(go_quote(s) for s in scopes) + "}")


def _conflicts(scopes: set[str], field: str, shown: GoValue) -> list[FieldError]:
    return [
        FieldError.invalid(field, shown, "conflicting scopes")
        for pair in _CONFLICTS
        if scopes.issuperset(pair)
    ]


def _valid_for(scope: str, resource: str) -> bool:
    """IsResourceQuotaScopeValidForResource."""
    if scope == "BestEffort":
        return resource == "pods"
    return scope not in _SCOPES or resource in _POD_SCOPED


def _validate_scopes(spec: dict) -> list[FieldError]:
    scopes = spec.get("scopes") or []
    hard = sorted(spec.get("hard") or {})
    shown = _go_scopes(spec.get("scopes"))
    errs: list[FieldError] = []
    for scope in scopes:
        if scope not in _SCOPES:
            errs.append(FieldError.invalid("spec.scopes", shown, "unsupported scope"))
        errs.extend(
            FieldError.invalid("spec.scopes", shown, "unsupported scope applied to resource")
            for name in hard
            if not validate_quota_resource_name(name, "") and not _valid_for(scope, name)
        )
    return errs + _conflicts(set(scopes), "spec.scopes", shown)


def _validate_scope_selector(spec: dict) -> list[FieldError]:
    selector = spec.get("scopeSelector")
    if selector is None:
        return []
    path = "spec.scopeSelector.matchExpressions"
    shown = GoValue(
        "&core.ScopeSelector{MatchExpressions:[]core.ScopedResourceSelectorRequirement{...}}"
    )
    hard = sorted(spec.get("hard") or {})
    errs: list[FieldError] = []
    names: set[str] = set()
    for requirement in selector.get("matchExpressions") or []:
        scope, operator = requirement.get("scopeName") or "", requirement.get("operator") or ""
        values = requirement.get("values") or []
        if scope not in _SCOPES:
            errs.append(FieldError.invalid(f"{path}.scopeName", scope, "unsupported scope"))
        errs.extend(
            FieldError.invalid(path, shown, "unsupported scope applied to resource")
            for name in hard
            if not validate_quota_resource_name(name, "") and not _valid_for(scope, name)
        )
        if scope in _SCOPES and scope != "PriorityClass" and operator != "Exists":
            errs.append(FieldError.invalid(f"{path}.operator", operator, _EXISTS_ONLY))
        if operator in ("In", "NotIn") and not values:
            errs.append(
                FieldError.required(
                    f"{path}.values",
                    "must be at least one value when `operator` is 'In' or 'NotIn' for scope "
                    "selector",
                )
            )
        elif operator in ("Exists", "DoesNotExist") and values:
            errs.append(
                FieldError.invalid(
                    f"{path}.values",
                    list(values),
                    "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope "
                    "selector",
                )
            )
        elif operator not in ("In", "NotIn", "Exists", "DoesNotExist"):
            errs.append(
                FieldError.invalid(f"{path}.operator", operator, "not a valid selector operator")
            )
        names.add(scope)
    return errs + _conflicts(names, path, _go_scopes(spec.get("scopes")))


def _validate_quota(obj: dict) -> list[FieldError]:
    """ValidateResourceQuota beyond ObjectMeta (the status is empty on create)."""
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    for name, raw in (spec.get("hard") or {}).items():
        path = f"spec.hard[{name}]"
        errs.extend(validate_quota_resource_name(name, path))
        errs.extend(validate_resource_quantity(name, raw, path))
    return errs + _validate_scopes(spec) + _validate_scope_selector(spec)


def _validate_quota_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateResourceQuotaUpdate: the spec again, and the set of scopes unchanged."""
    errs = _validate_quota(new)
    scopes = (new.get("spec") or {}).get("scopes")
    if set(scopes or []) != set((old.get("spec") or {}).get("scopes") or []):
        errs.append(FieldError.invalid("spec.scopes", _go_scopes(scopes), FIELD_IMMUTABLE))
    return errs


RULES = (
    KindRules("LimitRange", default=_default_limit_range, validate=_validate_limit_range),
    KindRules(
        "ResourceQuota",
        validate=_validate_quota,
        validate_update=_validate_quota_update,
        status={},
    ),
)
