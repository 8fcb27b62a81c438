"""Table cells for Jobs and CronJobs, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printJob` (STATUS
from the conditions, COMPLETIONS `succeeded/completions`, DURATION start to completion or to
now) and `printCronJob` (TIMEZONE, SUSPEND via `printBoolPtr`, LAST SCHEDULE).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import age, human_duration, object_age, parse_time
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, meta, name, spec, status
from kubenet_nb.kubectl.printers.workloads import container_cells, format_label_selector

__all__ = ["PRINTERS"]

_WIDE = (Column("Containers", 1), Column("Images", 1), Column("Selector", 1))


def _has_condition(conditions: list[dict], kind: str) -> bool:
    """`hasJobCondition`: the first condition of that type decides."""
    found = next((c for c in conditions if c.get("type") == kind), None)
    return found is not None and found.get("status") == "True"


def _job_status(job: dict) -> str:
    conditions = status(job).get("conditions") or []
    if _has_condition(conditions, "Complete"):
        return "Complete"
    if _has_condition(conditions, "Failed"):
        return "Failed"
    if meta(job).get("deletionTimestamp"):
        return "Terminating"
    if _has_condition(conditions, "Suspended"):
        return "Suspended"
    if _has_condition(conditions, "FailureTarget"):
        return "FailureTarget"
    return "Running"


def _completions(job: dict) -> str:
    succeeded = status(job).get("succeeded", 0)
    completions = spec(job).get("completions")
    if completions is not None:
        return f"{succeeded}/{completions}"
    parallelism = spec(job).get("parallelism") or 0
    return f"{succeeded}/1 of {parallelism}" if parallelism > 1 else f"{succeeded}/1"


def _duration(job: dict, now: datetime) -> str:
    start, end = status(job).get("startTime"), status(job).get("completionTime")
    if not start:
        return ""
    return human_duration((parse_time(end) if end else now) - parse_time(start))


def _job_row(job: dict, now: datetime) -> list[Any]:
    template = spec(job).get("template") or {}
    names, images = container_cells(template)
    return [
        name(job),
        _job_status(job),
        _completions(job),
        _duration(job, now),
        object_age(job, now),
        names,
        images,
        format_label_selector(spec(job).get("selector")),
    ]


def _bool_pointer(value: object) -> str:
    """`printBoolPtr`: `True`, `False`, or `<unset>` for nil."""
    if value is None:
        return "<unset>"
    return "True" if value else "False"


def _cronjob_row(cj: dict, now: datetime) -> list[Any]:
    job_spec = spec(spec(cj).get("jobTemplate") or {})
    names, images = container_cells(job_spec.get("template") or {})
    last = status(cj).get("lastScheduleTime")
    time_zone = spec(cj).get("timeZone")
    return [
        name(cj),
        spec(cj).get("schedule", ""),
        "<none>" if time_zone is None else time_zone,
        _bool_pointer(spec(cj).get("suspend")),
        len(status(cj).get("active") or []),
        age(last, now) if last else "<none>",
        object_age(cj, now),
        names,
        images,
        format_label_selector(job_spec.get("selector")),
    ]


PRINTERS = {
    "Job": Printer(
        (NAME, Column("Status"), Column("Completions"), Column("Duration"), AGE, *_WIDE), _job_row
    ),
    "CronJob": Printer(
        (
            NAME,
            Column("Schedule"),
            Column("Timezone"),
            Column("Suspend"),
            Column("Active"),
            Column("Last Schedule"),
            AGE,
            *_WIDE,
        ),
        _cronjob_row,
    ),
}
