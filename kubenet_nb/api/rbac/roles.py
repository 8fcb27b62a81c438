"""Role and ClusterRole: policy rules and the aggregation rule (rbac.authorization.k8s.io/v1).

pkg/apis/rbac/validation/validation.go (ValidateRole, ValidateClusterRole, validatePolicyRule)
@ v1.33.0; names are path segments (minimalNameRequirements). Neither kind has defaults.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.path_segment import name_is_path_segment
from kubenet_nb.api.selectors import (
    SelectorError,
    go_label_selector,
    selector_from_label_selector,
    validate_label_selector,
)

__all__ = ["RULES", "validate_cluster_role", "validate_policy_rule", "validate_role"]


def validate_policy_rule(rule: dict, namespaced: bool, field: str) -> list[FieldError]:
    """validatePolicyRule: verbs, then either non-resource URLs or groups and resources."""
    errs: list[FieldError] = []
    if not rule.get("verbs"):
        errs.append(FieldError.required(f"{field}.verbs", "verbs must contain at least one value"))
    urls = rule.get("nonResourceURLs") or []
    if urls:
        if namespaced:
            errs.append(
                FieldError.invalid(
                    f"{field}.nonResourceURLs",
                    list(urls),
                    "namespaced rules cannot apply to non-resource URLs",
                )
            )
        if rule.get("apiGroups") or rule.get("resources") or rule.get("resourceNames"):
            errs.append(
                FieldError.invalid(
                    f"{field}.nonResourceURLs",
                    list(urls),
                    "rules cannot apply to both regular resources and non-resource URLs",
                )
            )
        return errs
    if not rule.get("apiGroups"):
        errs.append(
            FieldError.required(
                f"{field}.apiGroups", "resource rules must supply at least one api group"
            )
        )
    resources = rule.get("resources") or []
    if not resources:
        errs.append(
            FieldError.required(
                f"{field}.resources", "resource rules must supply at least one resource"
            )
        )
    if rule.get("resourceNames") and len(resources) > 1:
        errs.append(
            FieldError.required(
                f"{field}.resourceNames", "resource names cannot apply to multiple resources"
            )
        )
    return errs


def _validate_rules(obj: dict, namespaced: bool) -> list[FieldError]:
    errs: list[FieldError] = []
    for i, rule in enumerate(obj.get("rules") or []):
        errs.extend(validate_policy_rule(rule, namespaced, f"rules[{i}]"))
    return errs


def validate_role(obj: dict) -> list[FieldError]:
    """ValidateRole beyond ObjectMeta: every rule, namespaced."""
    return _validate_rules(obj, True)


def _validate_aggregation(rule: dict) -> list[FieldError]:
    path = "aggregationRule.clusterRoleSelectors"
    selectors = rule.get("clusterRoleSelectors") or []
    errs: list[FieldError] = []
    if not selectors:
        errs.append(
            FieldError.required(
                path, "at least one clusterRoleSelector required if aggregationRule is non-nil"
            )
        )
    for i, selector in enumerate(selectors):
        errs.extend(validate_label_selector(selector, f"{path}[{i}]"))
        try:
            selector_from_label_selector(selector)
        except SelectorError:
            errs.append(
                FieldError.invalid(
                    f"{path}[{i}]", go_label_selector(selector), "invalid label selector."
                )
            )
    return errs


def validate_cluster_role(obj: dict) -> list[FieldError]:
    """ValidateClusterRole beyond ObjectMeta: every rule, then the aggregation rule's selectors."""
    errs = _validate_rules(obj, False)
    if obj.get("aggregationRule") is not None:
        errs.extend(_validate_aggregation(obj["aggregationRule"]))
    return errs


RULES = (
    KindRules("Role", name=name_is_path_segment, validate=validate_role),
    KindRules("ClusterRole", name=name_is_path_segment, validate=validate_cluster_role),
)
