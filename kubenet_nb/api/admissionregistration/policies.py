"""ValidatingAdmissionPolicy and its bindings (admissionregistration.k8s.io/v1).

pkg/apis/admissionregistration/v1/defaults.go (SetDefaults_ValidatingAdmissionPolicySpec,
SetDefaults_MatchResources) and the main required-field checks of
pkg/apis/admissionregistration/validation/validation.go @ v1.33.0. CEL expressions are only
required to be present, never compiled or type-checked: a policy whose expressions a real
API server would refuse is accepted here.
"""

from __future__ import annotations

from kubenet_nb.api.admissionregistration.matching import (
    FAILURE_POLICIES,
    validate_match_resources,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.names import is_dns1123_subdomain

__all__ = ["RULES", "validate_binding", "validate_policy"]

_ACTIONS = ["Audit", "Deny", "Warn"]
_REASONS = ["Forbidden", "Invalid", "RequestEntityTooLarge", "Unauthorized"]
_PARAM_NOT_FOUND = ["Allow", "Deny"]


def _default_match(match: dict | None) -> None:
    """SetDefaults_MatchResources."""
    if match is None:
        return
    match.setdefault("matchPolicy", "Equivalent")
    for key in ("namespaceSelector", "objectSelector"):
        if match.get(key) is None:
            match[key] = {}


def default_policy(obj: dict) -> None:
    """SetDefaults_ValidatingAdmissionPolicySpec: failurePolicy Fail, match resources."""
    spec = obj.setdefault("spec", {})
    spec.setdefault("failurePolicy", "Fail")
    _default_match(spec.get("matchConstraints"))


def default_binding(obj: dict) -> None:
    """SetDefaults_MatchResources for a binding's matchResources."""
    _default_match(obj.setdefault("spec", {}).get("matchResources"))


def _validate_validations(spec: dict) -> list[FieldError]:
    validations, audits = spec.get("validations") or [], spec.get("auditAnnotations") or []
    if not validations and not audits:
        detail = "validations or auditAnnotations must contain at least one item"
        return [
            FieldError.required("spec.validations", detail),
            FieldError.required("spec.auditAnnotations", detail),
        ]
    errs: list[FieldError] = []
    for i, validation in enumerate(validations):
        if not validation.get("expression"):
            errs.append(FieldError.required(f"spec.validations[{i}].expression"))
        reason = validation.get("reason")
        if reason is not None and reason not in _REASONS:
            errs.append(FieldError.not_supported(f"spec.validations[{i}].reason", reason, _REASONS))
    for i, audit in enumerate(audits):
        if not audit.get("valueExpression"):
            errs.append(FieldError.required(f"spec.auditAnnotations[{i}].valueExpression"))
    return errs


def validate_policy(obj: dict) -> list[FieldError]:
    """validateValidatingAdmissionPolicySpec without the CEL compilation."""
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    failure = spec.get("failurePolicy")
    if failure is None:
        errs.append(FieldError.required("spec.failurePolicy"))
    elif failure not in FAILURE_POLICIES:
        errs.append(FieldError.not_supported("spec.failurePolicy", failure, FAILURE_POLICIES))
    match = spec.get("matchConstraints")
    if match is None:
        errs.append(FieldError.required("spec.matchConstraints"))
    else:
        errs.extend(validate_match_resources(match, "spec.matchConstraints"))
        if not match.get("resourceRules"):
            errs.append(FieldError.required("spec.matchConstraints.resourceRules"))
    return errs + _validate_validations(spec)


def _validate_actions(actions: list[str]) -> list[FieldError]:
    """validateValidationActions."""
    field = "spec.validationActions"
    errs: list[FieldError] = []
    for i, action in enumerate(actions):
        if action not in _ACTIONS:
            errs.append(FieldError.not_supported(f"{field}[{i}]", action, _ACTIONS))
        if action in actions[:i]:
            errs.append(FieldError.duplicate(f"{field}[{i}]", action))
    if "Deny" in actions and "Warn" in actions:
        errs.append(
            FieldError.invalid(
                field,
                list(actions),
                "must not contain both Deny and Warn (repeating the same validation failure "
                "information in the API response and headers serves no purpose)",
            )
        )
    if not actions:
        errs.append(FieldError.required(field, "at least one validation action is required"))
    return errs


def _validate_param_ref(ref: dict | None) -> list[FieldError]:
    if ref is None:
        return []
    action = ref.get("parameterNotFoundAction")
    field = "spec.paramRef.parameterNotFoundAction"
    if action is None:
        return [FieldError.required(field)]
    if action not in _PARAM_NOT_FOUND:
        return [FieldError.not_supported(field, action, _PARAM_NOT_FOUND)]
    return []


def validate_binding(obj: dict) -> list[FieldError]:
    """validateValidatingAdmissionPolicyBindingSpec (upstream's path keeps its
    `matchResouces` spelling)."""
    spec = obj.get("spec") or {}
    name = spec.get("policyName", "")
    errs: list[FieldError] = []
    if not name:
        errs.append(FieldError.required("spec.policyName"))
    else:
        errs.extend(
            FieldError.invalid("spec.policyName", name, msg) for msg in is_dns1123_subdomain(name)
        )
    errs.extend(_validate_param_ref(spec.get("paramRef")))
    errs.extend(validate_match_resources(spec.get("matchResources"), "spec.matchResouces"))
    return errs + _validate_actions(spec.get("validationActions") or [])


RULES = (
    KindRules(
        "ValidatingAdmissionPolicy",
        default=default_policy,
        validate=validate_policy,
        status={},
        generation=True,
    ),
    KindRules(
        "ValidatingAdmissionPolicyBinding", default=default_binding, validate=validate_binding
    ),
)
