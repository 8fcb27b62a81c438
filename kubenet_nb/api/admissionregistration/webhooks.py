"""Validating and mutating webhook configurations (admissionregistration.k8s.io/v1).

pkg/apis/admissionregistration/v1/defaults.go (SetDefaults_ValidatingWebhook,
SetDefaults_MutatingWebhook, SetDefaults_Rule, SetDefaults_ServiceReference) and
pkg/apis/admissionregistration/validation/validation.go (validateValidatingWebhook,
validateMutatingWebhook, validateAdmissionReviewVersions, unique webhook names) @ v1.33.0.
Match conditions are not compiled (no CEL here).
"""

from __future__ import annotations

from kubenet_nb.api.admissionregistration.client import (
    default_client_config,
    validate_client_config,
)
from kubenet_nb.api.admissionregistration.matching import (
    FAILURE_POLICIES,
    validate_match_policy,
    validate_rule_with_operations,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.names import is_dns1035_label, is_dns1123_subdomain
from kubenet_nb.api.selectors import validate_label_selector

__all__ = ["RULES", "default_webhooks", "validate_webhooks"]

_SIDE_EFFECTS = ["None", "NoneOnDryRun"]
_REINVOCATION = ["IfNeeded", "Never"]
_REVIEW_VERSIONS = ["v1", "v1beta1"]
_MAX_TIMEOUT = 30


def _default_webhook(hook: dict, mutating: bool) -> None:
    hook.setdefault("failurePolicy", "Fail")
    hook.setdefault("matchPolicy", "Equivalent")
    for key in ("namespaceSelector", "objectSelector"):
        if hook.get(key) is None:
            hook[key] = {}
    hook.setdefault("timeoutSeconds", 10)
    if mutating:
        hook.setdefault("reinvocationPolicy", "Never")
    for rule in hook.get("rules") or []:
        rule.setdefault("scope", "*")
    default_client_config(hook.setdefault("clientConfig", {}))


def default_webhooks(obj: dict) -> None:
    """SetDefaults of every webhook of a configuration."""
    mutating = obj.get("kind") == "MutatingWebhookConfiguration"
    for hook in obj.get("webhooks") or []:
        _default_webhook(hook, mutating)


def _fully_qualified(name: str, field: str) -> list[FieldError]:
    """IsFullyQualifiedName: a DNS subdomain of at least three labels."""
    if not name:
        return [FieldError.required(field)]
    problems = is_dns1123_subdomain(name)
    if problems:
        return [FieldError.invalid(field, name, ",".join(problems))]
    if len(name.split(".")) < 3:
        return [
            FieldError.invalid(
                field, name, "should be a domain with at least three segments separated by dots"
            )
        ]
    return []


def _validate_review_versions(versions: list[str], field: str) -> list[FieldError]:
    """validateAdmissionReviewVersions: at least one, known to this server, no repeats."""
    accepted = ", ".join(_REVIEW_VERSIONS)
    if not versions:
        return [FieldError.required(field, f"must specify one of {accepted}")]
    errs: list[FieldError] = []
    for i, version in enumerate(versions):
        if version in versions[:i]:
            errs.append(FieldError.invalid(f"{field}[{i}]", version, "duplicate version"))
            continue
        errs.extend(
            FieldError.invalid(f"{field}[{i}]", version, msg) for msg in is_dns1035_label(version)
        )
    if not set(versions) & set(_REVIEW_VERSIONS):
        errs.append(
            FieldError.invalid(field, list(versions), f"must include at least one of {accepted}")
        )
    return errs


def _validate_webhook(hook: dict, mutating: bool, field: str) -> list[FieldError]:
    """validateValidatingWebhook / validateMutatingWebhook."""
    errs = _fully_qualified(hook.get("name", ""), f"{field}.name")
    for i, rule in enumerate(hook.get("rules") or []):
        errs.extend(validate_rule_with_operations(rule, f"{field}.rules[{i}]"))
    failure = hook.get("failurePolicy")
    if failure is not None and failure not in FAILURE_POLICIES:
        errs.append(FieldError.not_supported(f"{field}.failurePolicy", failure, FAILURE_POLICIES))
    errs.extend(validate_match_policy(hook.get("matchPolicy"), f"{field}.matchPolicy"))
    reinvocation = hook.get("reinvocationPolicy")
    if mutating and reinvocation is not None and reinvocation not in _REINVOCATION:
        errs.append(
            FieldError.not_supported(f"{field}.reinvocationPolicy", reinvocation, _REINVOCATION)
        )
    for key in ("namespaceSelector", "objectSelector"):
        errs.extend(validate_label_selector(hook.get(key), f"{field}.{key}"))
    side_effects = hook.get("sideEffects")
    if side_effects is None:
        errs.append(
            FieldError.required(
                f"{field}.sideEffects", f"must specify one of {', '.join(_SIDE_EFFECTS)}"
            )
        )
    elif side_effects not in _SIDE_EFFECTS:
        errs.append(FieldError.not_supported(f"{field}.sideEffects", side_effects, _SIDE_EFFECTS))
    timeout = hook.get("timeoutSeconds")
    if timeout is not None and not 1 <= timeout <= _MAX_TIMEOUT:
        errs.append(
            FieldError.invalid(
                f"{field}.timeoutSeconds",
                timeout,
                "the timeout value must be between 1 and 30 seconds",
            )
        )
    return errs + validate_client_config(hook.get("clientConfig") or {}, f"{field}.clientConfig")


def validate_webhooks(obj: dict) -> list[FieldError]:
    """validateValidatingWebhookConfiguration / validateMutatingWebhookConfiguration."""
    mutating = obj.get("kind") == "MutatingWebhookConfiguration"
    errs: list[FieldError] = []
    seen: set[str] = set()
    for i, hook in enumerate(obj.get("webhooks") or []):
        field = f"webhooks[{i}]"
        errs.extend(_validate_webhook(hook, mutating, field))
        errs.extend(
            _validate_review_versions(
                hook.get("admissionReviewVersions") or [], f"{field}.admissionReviewVersions"
            )
        )
        name = hook.get("name", "")
        if name and name in seen:
            errs.append(FieldError.duplicate(f"{field}.name", name))
        seen.add(name)
    return errs


RULES = tuple(
    KindRules(kind, default=default_webhooks, validate=validate_webhooks)
    for kind in ("ValidatingWebhookConfiguration", "MutatingWebhookConfiguration")
)
