"""CronJobs (batch/v1): defaulting and validation of the schedule and the job template.

pkg/apis/batch/v1/defaults.go (SetDefaults_CronJob; the job template gets PodSpec defaults,
not SetDefaults_Job), pkg/registry/batch/cronjob/strategy.go (status reset, generation 1) and
pkg/apis/batch/validation (ValidateCronJobCreate, validateCronJobSpec, ValidateJobTemplateSpec,
validateTimeZone) @ v1.33.0. Time zones are checked for their spelling, not against tzdata.
"""

from __future__ import annotations

import re

from kubenet_nb.api.apps.template import default_pod_template
from kubenet_nb.api.batch.cron import CronError, parse_standard
from kubenet_nb.api.batch.template import validate_job_spec
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import validate_nonnegative
from kubenet_nb.api.selectors import go_label_selector

__all__ = ["RULES", "default_cronjob", "validate_cronjob", "validate_cronjob_update"]

_CONCURRENCY = ["Allow", "Forbid", "Replace"]
_MAX_NAME = 52
"""63 (a DNS-1035 label) less the 11 characters of the `-<timestamp>` suffix of its Jobs."""
_TZ_PART = re.compile(r"[A-Za-z.\-_0-9+]{1,14}")


def default_cronjob(obj: dict) -> None:
    """SetDefaults_CronJob, and PodSpec defaults for the job template's pod template."""
    spec = obj.setdefault("spec", {})
    if not spec.get("concurrencyPolicy"):
        spec["concurrencyPolicy"] = "Allow"
    spec.setdefault("suspend", False)
    spec.setdefault("successfulJobsHistoryLimit", 3)
    spec.setdefault("failedJobsHistoryLimit", 1)
    job_template = spec.setdefault("jobTemplate", {})
    job_template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    job_spec = job_template.setdefault("spec", {})
    for rule in (job_spec.get("podFailurePolicy") or {}).get("rules") or []:
        for pattern in rule.get("onPodConditions") or []:
            pattern.setdefault("status", "True")
    default_pod_template(job_spec.setdefault("template", {}))


def _validate_schedule(schedule: str, old_schedule: str | None) -> list[FieldError]:
    """validateScheduleFormat: the cron parser's verdict, and no TZ= in new schedules."""
    errs: list[FieldError] = []
    try:
        parse_standard(schedule)
    except CronError as error:
        errs.append(FieldError.invalid("spec.schedule", schedule, str(error)))
    if "TZ" in schedule and (old_schedule is None or "TZ" not in old_schedule):
        errs.append(
            FieldError.invalid(
                "spec.schedule",
                schedule,
                "cannot use TZ or CRON_TZ in schedule, use timeZone field instead",
            )
        )
    return errs


def _validate_time_zone(zone: str | None) -> list[FieldError]:
    """validateTimeZone, without the tzdata lookup."""
    if zone is None:
        return []
    if not zone:
        return [
            FieldError.invalid("spec.timeZone", zone, "timeZone must be nil or non-empty string")
        ]
    for part in zone.split("/"):
        if part in (".", "..") or part.startswith("-") or not _TZ_PART.fullmatch(part):
            return [FieldError.invalid("spec.timeZone", zone, f"unknown time zone {zone}")]
    if zone.lower() == "local":
        return [
            FieldError.invalid(
                "spec.timeZone",
                zone,
                "timeZone must be an explicit time zone as defined in "
                "https://www.iana.org/time-zones",
            )
        ]
    return []


def _validate_job_template(job_spec: dict) -> list[FieldError]:
    """ValidateJobTemplateSpec: a job spec whose selector the Job strategy will generate."""
    path = "spec.jobTemplate.spec"
    errs = validate_job_spec(job_spec, path)
    if job_spec.get("selector") is not None:
        errs.append(
            FieldError.invalid(
                f"{path}.selector",
                go_label_selector(job_spec["selector"]),
                "`selector` will be auto-generated",
            )
        )
    if job_spec.get("manualSelector"):
        errs.append(FieldError.not_supported(f"{path}.manualSelector", True, ["nil", "false"]))
    return errs


def _validate_spec(spec: dict, old: dict | None) -> list[FieldError]:
    """validateCronJobSpec."""
    schedule = spec.get("schedule") or ""
    errs: list[FieldError] = []
    if not schedule:
        errs.append(FieldError.required("spec.schedule"))
    else:
        errs.extend(_validate_schedule(schedule, None if old is None else old.get("schedule", "")))
    if spec.get("startingDeadlineSeconds") is not None:
        errs.extend(
            validate_nonnegative(spec["startingDeadlineSeconds"], "spec.startingDeadlineSeconds")
        )
    if old is None or old.get("timeZone") != spec.get("timeZone"):
        errs.extend(_validate_time_zone(spec.get("timeZone")))
    policy = spec.get("concurrencyPolicy") or ""
    if not policy:
        errs.append(FieldError.required("spec.concurrencyPolicy"))
    elif policy not in _CONCURRENCY:
        errs.append(FieldError.not_supported("spec.concurrencyPolicy", policy, _CONCURRENCY))
    errs.extend(_validate_job_template((spec.get("jobTemplate") or {}).get("spec") or {}))
    for key in ("successfulJobsHistoryLimit", "failedJobsHistoryLimit"):
        if spec.get(key) is not None:
            errs.extend(validate_nonnegative(spec[key], f"spec.{key}"))
    return errs


def validate_cronjob(obj: dict) -> list[FieldError]:
    """ValidateCronJobCreate beyond ObjectMeta: the spec, and a name its Jobs can extend."""
    errs = _validate_spec(obj.get("spec") or {}, None)
    name = (obj.get("metadata") or {}).get("name", "")
    if len(name) > _MAX_NAME:
        errs.append(FieldError.invalid("metadata.name", name, "must be no more than 52 characters"))
    return errs


def validate_cronjob_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateCronJobUpdate: the spec against the old one; long old names stay updatable."""
    return _validate_spec(new.get("spec") or {}, old.get("spec") or {})


RULES = (
    KindRules(
        "CronJob",
        default=default_cronjob,
        validate=validate_cronjob,
        validate_update=validate_cronjob_update,
        status={},
        generation=True,
    ),
)
