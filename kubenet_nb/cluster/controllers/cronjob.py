"""The CronJob controller: creates a Job at each scheduled time, keeps the history short.

kubernetes/kubernetes pkg/controller/cronjob/cronjob_controllerv2.go and utils.go @ v1.33.0,
on the simulated clock (a timer at each next activation, 100ms after it as upstream's
nextScheduleDelta):

- The Job is `<cronjob>-<scheduled time in minutes since the epoch>` (getJobName), with the
  jobTemplate's labels and annotations plus `batch.kubernetes.io/cronjob-scheduled-timestamp`
  (RFC 3339, in the CronJob's time zone), a controller ownerReference, and the template's spec;
  Normal `SuccessfulCreate` "Created job NAME"; `status.active` lists it and
  `status.lastScheduleTime` is the scheduled time.
- The time to run is the most recent activation after `lastScheduleTime` (the creation time
  before the first) and at or before now; with `startingDeadlineSeconds`, not before now minus
  the deadline. Missed activations are not run one by one: only the latest.
- `concurrencyPolicy`: Allow runs Jobs side by side; Forbid skips a run while one is active
  (Normal `JobAlreadyActive`); Replace deletes the active Jobs first (`SuccessfulDelete`).
- `suspend: true` creates nothing (finished Jobs are still noticed and pruned).
- A finished Job leaves `status.active` (Normal `SawCompletedJob` "Saw completed job: NAME,
  status: Complete"); a Complete one sets `lastSuccessfulTime`. Finished Jobs beyond
  `successfulJobsHistoryLimit` / `failedJobsHistoryLimit`, oldest first, are deleted (Normal
  `SuccessfulDelete` "Deleted job NAME"), their pods with them.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from kubenet_nb.api.errors import AlreadyExists, KubenetError
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import format_time
from kubenet_nb.cluster.controllers.base import SyncError, error_text
from kubenet_nb.cluster.controllers.cron_schedule import parse_schedule
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.ownership import OwnerIndex
from kubenet_nb.cluster.store import Store, clone
from kubenet_nb.cluster.timers import Timers

__all__ = ["SCHEDULED_TIMESTAMP", "CronJobController", "job_name"]

SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp"
NEXT_SCHEDULE_DELTA = 0.1
"""cronjob_controllerv2.go nextScheduleDelta: 100ms after the activation."""


def job_name(cronjob: str, scheduled: datetime) -> str:
    """getJobName: the CronJob's name and the scheduled time in minutes since the epoch.

    >>> from datetime import timezone
    >>> job_name("hello", datetime(2025, 1, 1, 0, 5, tzinfo=timezone.utc))
    'hello-28928165'
    """
    return f"{cronjob}-{int(scheduled.timestamp()) // 60}"


def _condition(job: dict) -> str | None:
    """The Job's finished condition type (Complete or Failed), None while it runs."""
    for condition in (job.get("status") or {}).get("conditions") or ():
        if condition.get("type") in ("Complete", "Failed") and condition.get("status") == "True":
            return condition["type"]
    return None


def _parse(timestamp: str) -> datetime:
    return datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%S%z")


class CronJobController(WorkloadController):
    """Reconciles CronJobs keyed by (namespace, name); they own Jobs."""

    name = "cronjob-controller"
    kind, dependent_kind = "CronJob", "Job"

    def __init__(self, store: Store, api: ApiServer, owners: OwnerIndex, timers: Timers) -> None:
        super().__init__(store, api, owners, timers)
        self._due: dict[tuple[str, float], None] = {}

    def reconcile(self, namespace: str, name: str) -> None:
        cj = self.store.get("CronJob", namespace, name)
        if cj is None or cj["metadata"].get("deletionTimestamp"):
            return
        status = clone(cj.get("status") or {})
        jobs = self.dependents(cj)
        self._reconcile_jobs(cj, jobs, status)
        self._run(cj, status)
        self._cleanup(cj, status)
        if status != (cj.get("status") or {}):
            self.api.set_status(cj, status)

    def _reconcile_jobs(self, cj: dict, jobs: list[dict], status: dict) -> None:
        """Finished Jobs leave `active`; a missing one too."""
        names = {j["metadata"]["name"]: j for j in jobs}
        active = []
        for ref in status.get("active") or ():
            job = names.get(ref.get("name", ""))
            if job is None:
                self.api.record_event(
                    cj, "Normal", "MissingJob", self.name, f"Active job went missing: {ref['name']}"
                )
                continue
            finished = _condition(job)
            if finished is None:
                active.append(ref)
                continue
            self.api.record_event(
                cj,
                "Normal",
                "SawCompletedJob",
                self.name,
                f"Saw completed job: {ref['name']}, status: {finished}",
            )
        for job in jobs:
            completed = (job.get("status") or {}).get("completionTime")
            if _condition(job) == "Complete" and completed:
                last = status.get("lastSuccessfulTime")
                if last is None or _parse(completed) > _parse(last):
                    status["lastSuccessfulTime"] = completed
        if active:
            status["active"] = active
        else:
            status.pop("active", None)

    def _run(self, cj: dict, status: dict) -> None:
        """Create the Job of the most recent activation not yet run, and time the next."""
        spec = cj["spec"]
        if spec.get("suspend"):
            return
        schedule = parse_schedule(spec["schedule"], spec.get("timeZone"))
        if schedule is None:
            return
        now = self.api.clock.now
        earliest = _parse(status.get("lastScheduleTime") or cj["metadata"]["creationTimestamp"])
        deadline = spec.get("startingDeadlineSeconds")
        if deadline is not None:
            earliest = max(earliest, now - timedelta(seconds=deadline))
        scheduled = None
        moment = schedule.next(earliest)
        while moment is not None and moment <= now:
            scheduled = moment
            moment = schedule.next(moment)
        following = schedule.next(now)
        if following is not None:
            at = (following - self.api.clock.now).total_seconds() + NEXT_SCHEDULE_DELTA
            self._sync_at(cj, self.api.clock.seconds + at)
        if scheduled is None:
            return
        active = status.get("active") or []
        if spec.get("concurrencyPolicy") == "Forbid" and active:
            self.api.record_event(
                cj,
                "Normal",
                "JobAlreadyActive",
                self.name,
                "Not starting job because prior execution is running and concurrency policy is "
                "Forbid",
            )
            return
        if spec.get("concurrencyPolicy") == "Replace":
            for ref in active:
                self._delete(cj, ref["name"])
            status.pop("active", None)
        job = self._create(cj, scheduled)
        if job is not None:
            ref = {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "name": job["metadata"]["name"],
                "namespace": job["metadata"]["namespace"],
                "resourceVersion": job["metadata"]["resourceVersion"],
                "uid": job["metadata"]["uid"],
            }
            status["active"] = [*(status.get("active") or ()), ref]
        status["lastScheduleTime"] = format_time(scheduled)

    def _create(self, cj: dict, scheduled: datetime) -> dict | None:
        """getJobFromTemplate2 and the create; None when that Job exists already."""
        template = cj["spec"]["jobTemplate"]
        meta = template.get("metadata") or {}
        zone = cj["spec"].get("timeZone")
        shown = scheduled.astimezone(ZoneInfo(zone)) if zone else scheduled
        annotations = {**(meta.get("annotations") or {}), SCHEDULED_TIMESTAMP: _rfc3339(shown)}
        name = job_name(cj["metadata"]["name"], scheduled)
        job = {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {
                "name": name,
                "namespace": cj["metadata"]["namespace"],
                **({"labels": clone(meta["labels"])} if meta.get("labels") else {}),
                "annotations": annotations,
                "ownerReferences": [
                    {
                        "apiVersion": "batch/v1",
                        "kind": "CronJob",
                        "name": cj["metadata"]["name"],
                        "uid": cj["metadata"]["uid"],
                        "controller": True,
                        "blockOwnerDeletion": True,
                    }
                ],
            },
            "spec": clone(template.get("spec") or {}),
        }
        try:
            created = self.api.create(job, trusted=True)
        except AlreadyExists:
            return None
        except KubenetError as error:
            raise SyncError(
                cj, "FailedCreate", f"Error creating job: {error_text(error)}"
            ) from error
        self.api.record_event(cj, "Normal", "SuccessfulCreate", self.name, f"Created job {name}")
        return created

    def _delete(self, cj: dict, name: str) -> None:
        namespace = cj["metadata"]["namespace"]
        if self.store.get("Job", namespace, name) is None:
            return
        self.api.delete("Job", namespace, name)
        self.api.record_event(cj, "Normal", "SuccessfulDelete", self.name, f"Deleted job {name}")

    def _cleanup(self, cj: dict, status: dict) -> None:
        """cleanupFinishedJobs: the oldest finished Jobs beyond the history limits go."""
        spec = cj["spec"]
        active = {ref["name"] for ref in status.get("active") or ()}
        jobs = [j for j in self.dependents(cj) if j["metadata"]["name"] not in active]
        for kind, limit in (
            ("Complete", spec.get("successfulJobsHistoryLimit")),
            ("Failed", spec.get("failedJobsHistoryLimit")),
        ):
            if limit is None:
                continue
            done = [j for j in jobs if _condition(j) == kind]
            done.sort(
                key=lambda j: (
                    (j.get("status") or {}).get("startTime") or "",
                    j["metadata"]["name"],
                )
            )
            for job in done[: max(len(done) - limit, 0)]:
                self._delete(cj, job["metadata"]["name"])

    def _sync_at(self, cj: dict, due: float) -> None:
        """Sync the CronJob again at `due` (once per CronJob and moment)."""
        key = (cj["metadata"]["uid"], due)
        if key in self._due:
            return
        self._due[key] = None
        self.store.on_undo(lambda: self._due.pop(key, None))
        namespace, name = cj["metadata"]["namespace"], cj["metadata"]["name"]

        def due_now() -> None:
            self._due.pop(key, None)
            self.enqueue(namespace, name)

        self.timers.at(due, due_now)


def _rfc3339(moment: datetime) -> str:
    """Go's time.RFC3339: `Z` for UTC, else the offset."""
    text = moment.strftime("%Y-%m-%dT%H:%M:%S%z")
    if text.endswith("+0000") and moment.utcoffset() == timedelta(0) and moment.tzname() == "UTC":
        return text[:-5] + "Z"
    return text[:-2] + ":" + text[-2:]
