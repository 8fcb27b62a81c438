"""What Jobs and CronJobs' job templates share: validateJobSpec and the pod template under it.

pkg/apis/batch/validation/validation.go (validateJobSpec, validatePodReplacementPolicy,
the restartPolicy rule) and pkg/apis/core/validation ValidatePodTemplateSpec @ v1.33.0. Pod
failure and success policies are checked for their shape only (no rule-by-rule validation).
"""

from __future__ import annotations

from kubenet_nb.api.core.pod.template import validate_pod_template_spec
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import GoValue, validate_nonnegative

__all__ = ["validate_job_spec"]

_COMPLETION_MODES = ["NonIndexed", "Indexed"]
_REPLACEMENT_POLICIES = ["Failed", "TerminatingOrFailed"]
_MAX_INDEXED_PARALLELISM = 100000


def _validate_counts(spec: dict, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    for key in (
        "parallelism",
        "completions",
        "activeDeadlineSeconds",
        "backoffLimit",
        "ttlSecondsAfterFinished",
        "backoffLimitPerIndex",
        "maxFailedIndexes",
    ):
        if spec.get(key) is not None:
            errs.extend(validate_nonnegative(spec[key], f"{field}.{key}"))
    if spec.get("maxFailedIndexes") is not None and spec.get("backoffLimitPerIndex") is None:
        errs.append(
            FieldError.required(
                f"{field}.backoffLimitPerIndex", "when maxFailedIndexes is specified"
            )
        )
    return errs


def _validate_completion_mode(spec: dict, field: str) -> list[FieldError]:
    mode = spec.get("completionMode")
    errs: list[FieldError] = []
    if mode is not None and mode not in _COMPLETION_MODES:
        errs.append(FieldError.not_supported(f"{field}.completionMode", mode, _COMPLETION_MODES))
    if mode == "Indexed":
        if spec.get("completions") is None:
            errs.append(
                FieldError.required(f"{field}.completions", "when completion mode is Indexed")
            )
        parallelism = spec.get("parallelism")
        if parallelism is not None and parallelism > _MAX_INDEXED_PARALLELISM:
            errs.append(
                FieldError.invalid(
                    f"{field}.parallelism",
                    parallelism,
                    "must be less than or equal to 100000 when completion mode is Indexed",
                )
            )
    elif mode in (None, "NonIndexed"):
        for key in ("backoffLimitPerIndex", "maxFailedIndexes"):
            if spec.get(key) is not None:
                errs.append(
                    FieldError.invalid(
                        f"{field}.{key}", spec[key], "requires indexed completion mode"
                    )
                )
    return errs


def _validate_replacement_policy(spec: dict, field: str) -> list[FieldError]:
    policy = spec.get("podReplacementPolicy")
    if policy is None:
        return []
    allowed = ["Failed"] if spec.get("podFailurePolicy") is not None else _REPLACEMENT_POLICIES
    if policy not in allowed:
        return [FieldError.not_supported(f"{field}.podReplacementPolicy", policy, allowed)]
    return []


def _validate_restart_policy(spec: dict, field: str) -> list[FieldError]:
    """Defaulting makes an unset restartPolicy Always, so Always reads as `Required`."""
    restart = (spec.get("template") or {}).get("spec", {}).get("restartPolicy", "")
    path = f"{field}.template.spec.restartPolicy"
    if restart in ("Always", ""):
        return [FieldError.required(path, 'valid values: "OnFailure", "Never"')]
    if restart not in ("OnFailure", "Never"):
        return [FieldError.not_supported(path, restart, ["OnFailure", "Never"])]
    if spec.get("podFailurePolicy") is not None and restart != "Never":
        return [
            FieldError.invalid(
                path, restart, 'only "Never" is supported when podFailurePolicy is specified'
            )
        ]
    return []


def validate_job_spec(spec: dict, field: str) -> list[FieldError]:
    """validateJobSpec: counts, completion mode, policies, the pod template, restartPolicy."""
    errs = _validate_counts(spec, field)
    errs.extend(_validate_completion_mode(spec, field))
    success = spec.get("successPolicy")
    if success is not None and spec.get("completionMode") != "Indexed":
        errs.append(
            FieldError.invalid(
                f"{field}.successPolicy",
                GoValue("batch.SuccessPolicy{...}"),
                "requires indexed completion mode",
            )
        )
    errs.extend(_validate_replacement_policy(spec, field))
    errs.extend(validate_pod_template_spec(spec.get("template") or {}, f"{field}.template"))
    return errs + _validate_restart_policy(spec, field)
