"""Jobs (batch/v1): defaulting, the generated selector, validation and the update rules.

pkg/apis/batch/v1/defaults.go (SetDefaults_Job), pkg/registry/batch/job/strategy.go
(generateSelector; status reset and generation 1 on create) and pkg/apis/batch/validation
(ValidateJob, validateGeneratedSelector, ValidateJobSpecUpdate) @ v1.33.0, with the
JobPodReplacementPolicy gate on (beta, default on, in v1.33).

The generated selector needs the Job's UID, which upstream fills in before PrepareForCreate.
While this API server assigns it after defaulting and validation, a Job created without a
selector is stored without one and the UID-dependent checks are skipped (they run once the UID
is known when the rules run).
"""

from __future__ import annotations

from kubenet_nb.api.apps.template import default_pod_template
from kubenet_nb.api.batch.template import validate_job_spec
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue, go_string_map, validate_immutable
from kubenet_nb.api.names import is_dns1123_label
from kubenet_nb.api.selectors import (
    SelectorError,
    go_label_selector,
    selector_from_label_selector,
    validate_label_selector,
)

__all__ = ["RULES", "default_job", "generate_selector", "validate_job", "validate_job_update"]

CONTROLLER_UID = "batch.kubernetes.io/controller-uid"
JOB_NAME = "batch.kubernetes.io/job-name"
LEGACY_CONTROLLER_UID = "controller-uid"
LEGACY_JOB_NAME = "job-name"
_TEMPLATE_META = "spec.template.metadata"
_SCHEDULING_KEYS = ("nodeSelector", "tolerations", "schedulingGates")
_POLICIES = {
    "podFailurePolicy": "&batch.PodFailurePolicy{...}",
    "successPolicy": "&batch.SuccessPolicy{...}",
}
"""Struct-valued fields, shown abridged where upstream prints the whole Go value."""


def generate_selector(obj: dict, uid: str) -> None:
    """generateSelector: job-name and controller-uid labels (both spellings) on the template,
    and a controller-uid selector, each only where the client set none."""
    spec = obj["spec"]
    meta = spec.setdefault("template", {}).setdefault("metadata", {})
    labels = meta.get("labels")
    if labels is None:
        labels = meta["labels"] = {}
    for key in (LEGACY_JOB_NAME, JOB_NAME):
        labels.setdefault(key, obj["metadata"].get("name", ""))
    for key in (LEGACY_CONTROLLER_UID, CONTROLLER_UID):
        labels.setdefault(key, uid)
    selector = spec.get("selector")
    if selector is None:
        selector = spec["selector"] = {}
    if selector.get("matchLabels") is None:
        selector["matchLabels"] = {}
    selector["matchLabels"].setdefault(CONTROLLER_UID, uid)


def default_job(obj: dict) -> None:
    """SetDefaults_Job, the template's PodSpec defaults, and the selector generated once the
    UID is known; the Job's labels default to its template's."""
    spec = obj.setdefault("spec", {})
    if spec.get("completions") is None and spec.get("parallelism") is None:
        spec["completions"] = 1
    if spec.get("parallelism") is None:
        spec["parallelism"] = 1
    if spec.get("backoffLimit") is None:
        spec["backoffLimit"] = 2**31 - 1 if spec.get("backoffLimitPerIndex") is not None else 6
    spec.setdefault("completionMode", "NonIndexed")
    spec.setdefault("suspend", False)
    if spec.get("podReplacementPolicy") is None:
        failure_policy = spec.get("podFailurePolicy") is not None
        spec["podReplacementPolicy"] = "Failed" if failure_policy else "TerminatingOrFailed"
    spec.setdefault("manualSelector", False)
    for rule in (spec.get("podFailurePolicy") or {}).get("rules") or []:
        for pattern in rule.get("onPodConditions") or []:
            pattern.setdefault("status", "True")
    template = spec.setdefault("template", {})
    default_pod_template(template)
    uid = obj["metadata"].get("uid")
    if uid and not spec["manualSelector"] and spec.get("selector") is None:
        generate_selector(obj, uid)
    labels = template["metadata"].get("labels")
    if labels is not None and not obj["metadata"].get("labels"):
        obj["metadata"]["labels"] = dict(labels)


def _has_label(labels: dict, key: str, expected: str) -> list[FieldError]:
    """ValidateHasLabel."""
    path = f"{_TEMPLATE_META}.labels[{key}]"
    if key not in labels:
        return [FieldError.required(path, expected)]
    if labels[key] != expected:
        return [FieldError.invalid(path, GoValue(go_string_map(labels)), f"must be '{expected}'")]
    return []


def _validate_generated_selector(obj: dict) -> list[FieldError]:
    """validateGeneratedSelector (with the batch.kubernetes.io labels required)."""
    spec, meta = obj.get("spec") or {}, obj.get("metadata") or {}
    selector = spec.get("selector")
    if spec.get("manualSelector") or selector is None:
        return []
    uid, name = meta.get("uid", ""), meta.get("name", "")
    errs = [] if uid else [FieldError.required("metadata.uid")]
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels") or {}
    expected = {
        LEGACY_CONTROLLER_UID: uid,
        LEGACY_JOB_NAME: name,
        CONTROLLER_UID: uid,
        JOB_NAME: name,
    }
    for key in (LEGACY_CONTROLLER_UID, LEGACY_JOB_NAME, CONTROLLER_UID, JOB_NAME):
        errs.extend(_has_label(labels, key, expected[key]))
    try:
        matches = selector_from_label_selector(selector).matches(expected)
    except SelectorError:
        return errs
    if not matches:
        errs.append(
            FieldError.invalid(
                "spec.selector", go_label_selector(selector), "`selector` not auto-generated"
            )
        )
    return errs


def _validate_selector(spec: dict, uid_known: bool) -> list[FieldError]:
    """ValidateJobSpec's selector part: required, valid, matching the template's labels."""
    selector = spec.get("selector")
    if selector is None:
        if uid_known or spec.get("manualSelector"):
            return [FieldError.required("spec.selector")]
        return []
    errs = validate_label_selector(selector, "spec.selector")
    labels = ((spec.get("template") or {}).get("metadata") or {}).get("labels")
    try:
        matches = selector_from_label_selector(selector).matches(labels or {})
    except SelectorError:
        return errs
    if not matches:
        errs.append(
            FieldError.invalid(
                f"{_TEMPLATE_META}.labels",
                GoValue(go_string_map(labels)),
                "`selector` does not match template `labels`",
            )
        )
    return errs


def validate_job(obj: dict) -> list[FieldError]:
    """ValidateJob beyond ObjectMeta."""
    spec, meta = obj.get("spec") or {}, obj.get("metadata") or {}
    uid_known = bool(meta.get("uid"))
    errs = _validate_generated_selector(obj) if uid_known else []
    errs.extend(validate_job_spec(spec, "spec"))
    errs.extend(_validate_selector(spec, uid_known))
    completions = spec.get("completions")
    if spec.get("completionMode") == "Indexed" and completions is not None and completions > 0:
        hostname = f"{meta.get('name', '')}-{completions - 1}"
        if is_dns1123_label(hostname):
            errs.append(
                FieldError.invalid(
                    "metadata.name",
                    meta.get("name", ""),
                    f"will not able to create pod with invalid DNS label: {hostname}",
                )
            )
    return errs


def _comparable_template(template: dict, other: dict, mutable: bool) -> dict:
    """The template as the immutability check sees it: for a suspended Job that never started,
    its scheduling directives, labels and annotations may change (validatePodTemplateUpdate)."""
    if not mutable:
        return template
    meta = dict(template.get("metadata") or {})
    other_meta = other.get("metadata") or {}
    for key in ("labels", "annotations"):
        meta.pop(key, None)
        if key in other_meta:
            meta[key] = other_meta[key]
    spec = dict(template.get("spec") or {})
    other_spec = other.get("spec") or {}
    for key in (*_SCHEDULING_KEYS, "affinity"):
        spec.pop(key, None)
        if key in other_spec:
            spec[key] = other_spec[key]
    return {**template, "metadata": meta, "spec": spec}


def validate_job_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateJob of the new Job, then ValidateJobSpecUpdate: the selector, the template and
    the completion mode and policies are immutable (completions too, unless elastic Indexed)."""
    errs = validate_job(new)
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    errs.extend(validate_job_spec(spec, "spec"))
    errs.extend(_validate_selector(spec, True))
    if spec.get("completionMode") != "Indexed":
        errs.extend(
            validate_immutable(
                spec.get("completions"), old_spec.get("completions"), "spec.completions"
            )
        )
    elif spec.get("completions") != old_spec.get("completions") and spec.get(
        "completions"
    ) != spec.get("parallelism"):
        errs.append(
            FieldError.invalid(
                "spec.completions",
                spec.get("completions"),
                "can only be modified in tandem with spec.parallelism",
            )
        )
    selector = spec.get("selector")
    errs.extend(
        validate_immutable(
            selector, old_spec.get("selector"), "spec.selector", go_label_selector(selector)
        )
    )
    mutable = bool(old_spec.get("suspend")) and not (old.get("status") or {}).get("startTime")
    template, old_template = spec.get("template") or {}, old_spec.get("template") or {}
    errs.extend(
        validate_immutable(
            _comparable_template(old_template, template, mutable),
            template,
            "spec.template",
            GoValue("core.PodTemplateSpec{...}"),
        )
    )
    for key in ("completionMode", "backoffLimitPerIndex", "managedBy"):
        errs.extend(validate_immutable(spec.get(key), old_spec.get(key), f"spec.{key}"))
    for key, shown in _POLICIES.items():
        errs.extend(
            validate_immutable(spec.get(key), old_spec.get(key), f"spec.{key}", GoValue(shown))
        )
    return errs


RULES = (
    KindRules(
        "Job",
        default=default_job,
        validate=validate_job,
        validate_update=validate_job_update,
        status={},
        generation=True,
    ),
)
