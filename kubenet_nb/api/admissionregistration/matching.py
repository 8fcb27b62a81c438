"""What admission webhooks and policies match on: rules with operations, and match resources.

pkg/apis/admissionregistration/validation/validation.go (validateRuleWithOperations,
validateRule, validateResources, validateMatchResources) @ v1.33.0.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.selectors import validate_label_selector

__all__ = ["FAILURE_POLICIES", "validate_match_resources", "validate_rule_with_operations"]

FAILURE_POLICIES = ["Fail", "Ignore"]
MATCH_POLICIES = ["Equivalent", "Exact"]
_OPERATIONS = ["*", "CONNECT", "CREATE", "DELETE", "UPDATE"]
_SCOPES = ["*", "Cluster", "Namespaced"]


def _validate_resources(resources: list[str], field: str) -> list[FieldError]:
    """validateResources: `resource` or `resource/subresource`, wildcards not overlapping."""
    errs: list[FieldError] = []
    if not resources:
        errs.append(FieldError.required(field))
    wild_subresources: set[str] = set()
    wild_resources: set[str] = set()
    plain = False
    for i, item in enumerate(resources):
        if not item:
            errs.append(FieldError.required(f"{field}[{i}]"))
            continue
        if "/" not in item:
            plain = item != "*"
            continue
        res, sub = item.split("/", 1)
        if res in wild_subresources:
            errs.append(
                FieldError.invalid(
                    f"{field}[{i}]", item, f"if '{res}/*' is present, must not specify {item}"
                )
            )
        if sub in wild_resources:
            errs.append(
                FieldError.invalid(
                    f"{field}[{i}]", item, f"if '*/{sub}' is present, must not specify {item}"
                )
            )
        if sub == "*":
            wild_subresources.add(res)
        if res == "*":
            wild_resources.add(sub)
    if len(resources) > 1 and "*/*" in resources:
        errs.append(
            FieldError.invalid(
                field, list(resources), "if '*/*' is present, must not specify other resources"
            )
        )
    if "*" in resources and plain:
        errs.append(
            FieldError.invalid(
                field,
                list(resources),
                "if '*' is present, must not specify other resources without subresources",
            )
        )
    return errs


def _validate_rule(rule: dict, field: str) -> list[FieldError]:
    """validateRule: groups, versions, resources and scope."""
    errs: list[FieldError] = []
    for key, what in (("apiGroups", "API groups"), ("apiVersions", "API versions")):
        values = rule.get(key) or []
        if not values:
            errs.append(FieldError.required(f"{field}.{key}"))
        if len(values) > 1 and "*" in values:
            errs.append(
                FieldError.invalid(
                    f"{field}.{key}",
                    list(values),
                    f"if '*' is present, must not specify other {what}",
                )
            )
    for i, version in enumerate(rule.get("apiVersions") or []):
        if not version:
            errs.append(FieldError.required(f"{field}.apiVersions[{i}]"))
    errs.extend(_validate_resources(rule.get("resources") or [], f"{field}.resources"))
    scope = rule.get("scope")
    if scope is not None and scope not in _SCOPES:
        errs.append(FieldError.not_supported(f"{field}.scope", scope, _SCOPES))
    return errs


def validate_rule_with_operations(rule: dict, field: str) -> list[FieldError]:
    """validateRuleWithOperations."""
    operations = rule.get("operations") or []
    errs: list[FieldError] = []
    if not operations:
        errs.append(FieldError.required(f"{field}.operations"))
    if len(operations) > 1 and "*" in operations:
        errs.append(
            FieldError.invalid(
                f"{field}.operations",
                list(operations),
                "if '*' is present, must not specify other operations",
            )
        )
    for i, operation in enumerate(operations):
        if operation not in _OPERATIONS:
            errs.append(
                FieldError.not_supported(f"{field}.operations[{i}]", operation, _OPERATIONS)
            )
    return errs + _validate_rule(rule, field)


def validate_match_policy(policy: str | None, field: str) -> list[FieldError]:
    """A matchPolicy, when set, is Equivalent or Exact."""
    if policy is not None and policy not in MATCH_POLICIES:
        return [FieldError.not_supported(field, policy, MATCH_POLICIES)]
    return []


def validate_match_resources(match: dict | None, field: str) -> list[FieldError]:
    """validateMatchResources: selectors and policy present (defaulted), every resource rule."""
    if match is None:
        return []
    errs: list[FieldError] = []
    if match.get("matchPolicy") is None:
        errs.append(FieldError.required(f"{field}.matchPolicy"))
    errs.extend(validate_match_policy(match.get("matchPolicy"), f"{field}.matchPolicy"))
    for key in ("namespaceSelector", "objectSelector"):
        if match.get(key) is None:
            errs.append(FieldError.required(f"{field}.{key}"))
        errs.extend(validate_label_selector(match.get(key), f"{field}.{key}"))
    for key in ("resourceRules", "excludeResourceRules"):
        for i, rule in enumerate(match.get(key) or []):
            errs.extend(validate_rule_with_operations(rule, f"{field}.{key}[{i}]"))
    return errs
