"""`kubectl describe` for Jobs and CronJobs.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeJob`, `capIndexesListOrNone`,
`describeCronJob`, `describeJobTemplate`, `printActiveJobs`).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.selectors import SelectorError, selector_from_label_selector
from kubenet_nb.kubectl.describe.containers import controller_of
from kubenet_nb.kubectl.describe.workloads import print_pod_template
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    header,
    print_annotations,
    print_labels,
)
from kubenet_nb.kubectl.printers.age import human_duration, parse_time, rfc1123z

__all__ = ["describe_cronjob", "describe_job"]


def _selector_line(w: Writer, selector: dict | None) -> None:
    """`Selector:` as `LabelSelectorAsSelector` prints it, or the error it gave."""
    try:
        w.write(0, f"Selector:\t{selector_from_label_selector(selector)}\n")
    except SelectorError as error:
        w.write(0, f"Selector:\tFailed to get selector: {error}\n")


def _indexes(indexes: str, soft_limit: int = 50) -> str:
    """`capIndexesListOrNone`: the list cut at the first comma past the limit, then `...`.

    >>> _indexes(""), _indexes("1-3,7"), _indexes(",".join(map(str, range(30))))[-9:]
    ('<none>', '1-3,7', '19,20,...')
    """
    if not indexes:
        return "<none>"
    cut = indexes.find(",", soft_limit)
    return indexes if cut == -1 else indexes[: cut + 1] + "..."


def describe_job(job: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeJob`: parallelism and completions, timing, pod counts, template, events."""
    meta, spec = job.get("metadata", {}), job.get("spec") or {}
    status = job.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _selector_line(w, spec.get("selector"))
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    if controller_of(meta):
        w.write(0, f"Controlled By:\t{controller_of(meta)}\n")
    if spec.get("parallelism") is not None:
        w.write(0, f"Parallelism:\t{spec['parallelism']}\n")
    completions = spec.get("completions")
    w.write(0, f"Completions:\t{'<unset>' if completions is None else completions}\n")
    mode = spec.get("completionMode")
    if mode is not None:
        w.write(0, f"Completion Mode:\t{mode}\n")
    if spec.get("suspend") is not None:
        w.write(0, f"Suspend:\t{'true' if spec['suspend'] else 'false'}\n")
    if spec.get("backoffLimit") is not None:
        w.write(0, f"Backoff Limit:\t{spec['backoffLimit']}\n")
    if spec.get("ttlSecondsAfterFinished") is not None:
        w.write(0, f"TTL Seconds After Finished:\t{spec['ttlSecondsAfterFinished']}\n")
    start, done = status.get("startTime"), status.get("completionTime")
    if start:
        w.write(0, f"Start Time:\t{rfc1123z(start)}\n")
    if done:
        w.write(0, f"Completed At:\t{rfc1123z(done)}\n")
    if start and done:
        w.write(0, f"Duration:\t{human_duration(parse_time(done) - parse_time(start))}\n")
    if spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{spec['activeDeadlineSeconds']}s\n")
    active, ready = status.get("active", 0), status.get("ready")
    counts = f"{status.get('succeeded', 0)} Succeeded / {status.get('failed', 0)} Failed"
    if ready is None:
        w.write(0, f"Pods Statuses:\t{active} Active / {counts}\n")
    else:
        w.write(0, f"Pods Statuses:\t{active} Active ({ready} Ready) / {counts}\n")
    if mode == "Indexed":
        w.write(0, f"Completed Indexes:\t{_indexes(status.get('completedIndexes', ''))}\n")
    print_pod_template(w, spec.get("template") or {})
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def _optional(w: Writer, title: str, value: object, suffix: str = "") -> None:
    """A `title:` line with the value, or `<unset>` when the field is absent."""
    w.write(0, f"{title}:\t{'<unset>' if value is None else f'{value}{suffix}'}\n")


def describe_cronjob(cronjob: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeCronJob`: schedule and policies, the job template, last run, active jobs."""
    spec, status = cronjob.get("spec") or {}, cronjob.get("status") or {}
    w = header(cronjob)
    w.write(0, f"Schedule:\t{spec.get('schedule', '')}\n")
    w.write(0, f"Concurrency Policy:\t{spec.get('concurrencyPolicy', '')}\n")
    suspend = spec.get("suspend")
    w.write(0, f"Suspend:\t{'<unset>' if suspend is None else ('True' if suspend else 'False')}\n")
    _optional(w, "Successful Job History Limit", spec.get("successfulJobsHistoryLimit"))
    _optional(w, "Failed Job History Limit", spec.get("failedJobsHistoryLimit"))
    _optional(w, "Starting Deadline Seconds", spec.get("startingDeadlineSeconds"), "s")
    job_spec = (spec.get("jobTemplate") or {}).get("spec") or {}
    if job_spec.get("selector") is not None:
        _selector_line(w, job_spec["selector"])
    else:
        w.write(0, "Selector:\t<unset>\n")
    _optional(w, "Parallelism", job_spec.get("parallelism"))
    _optional(w, "Completions", job_spec.get("completions"))
    if job_spec.get("activeDeadlineSeconds") is not None:
        w.write(0, f"Active Deadline Seconds:\t{job_spec['activeDeadlineSeconds']}s\n")
    print_pod_template(w, job_spec.get("template") or {})
    last = status.get("lastScheduleTime")
    w.write(0, f"Last Schedule Time:\t{rfc1123z(last) if last else '<unset>'}\n")
    w.write(0, "Active Jobs:\t")
    names = [job.get("name", "") for job in status.get("active") or []]
    w.line(", ".join(names) if names else "<none>")
    if events is not None:
        describe_events(w, events, now)
    return w.text()
