"""The Job controller: runs a Job's pods to completion, retries failures, writes its status.

kubernetes/kubernetes pkg/controller/job/job_controller.go and backoff_utils.go @ v1.33.0, with
JobPodReplacementPolicy and JobSuccessPolicy on (v1.33's defaults), so the terminal condition is
delayed (`delayTerminalCondition`):

- Pods are `generateName: <job>-` (Indexed: `<job>-<index>-`, with the completion index as the
  `batch.kubernetes.io/job-completion-index` annotation and label, `JOB_COMPLETION_INDEX` in the
  environment and the hostname `<job>-<index>`), created with the `batch.kubernetes.io/
  job-tracking` finalizer; the controller counts a pod that ended into `succeeded`/`failed` and
  removes the finalizer, so a count survives the pod.
- Up to `parallelism` pods run, never more than the completions still missing (NonIndexed), or
  one per index not yet succeeded (Indexed). After failures, a new pod waits out the pod-failure
  back-off: 10s doubling per failure since the last success, at most 10m, from the last failure.
- Success (`succeeded` reaching `completions`; without completions, one success and no pod left
  running) adds `SuccessCriteriaMet` (CompletionsReached, "Reached expected number of succeeded
  pods") and, once no pod is terminating, `Complete` with `completionTime`, and the Normal
  event `Completed` "Job completed".
- Failure, more failed pods than `backoffLimit` (restartPolicy OnFailure: as many container
  restarts) or `activeDeadlineSeconds` past `startTime`, adds `FailureTarget`
  (BackoffLimitExceeded, "Job has reached the specified backoff limit"; DeadlineExceeded, "Job
  was active longer than specified deadline"), deletes the running pods and, once they are gone,
  adds `Failed` with the Warning event of that reason and message.
- `ttlSecondsAfterFinished`: the TTL-after-finished controller deletes the Job that long after
  its terminal condition (pkg/controller/ttlafterfinished); its pods go with it.
"""

from __future__ import annotations

from datetime import datetime, timezone

from kubenet_nb.api.errors import KubenetError, NotFound
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import EPOCH
from kubenet_nb.cluster.controllers.base import SyncError, error_text
from kubenet_nb.cluster.controllers.replicaset import is_ready
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.ownership import OwnerIndex
from kubenet_nb.cluster.store import Store, clone
from kubenet_nb.cluster.timers import Timers

__all__ = [
    "COMPLETION_INDEX",
    "DEFAULT_BACKOFF_SECONDS",
    "MAX_BACKOFF_SECONDS",
    "TRACKING_FINALIZER",
    "JobController",
    "backoff_seconds",
    "format_indexes",
]

TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking"
COMPLETION_INDEX = "batch.kubernetes.io/job-completion-index"
DEFAULT_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS = 10.0, 600.0
"""job_controller.go DefaultJobPodFailureBackOff and MaxJobPodFailureBackOff @ v1.33.0."""
MAX_POD_CREATE_DELETE_PER_SYNC = 500
SUCCESS = ("CompletionsReached", "Reached expected number of succeeded pods")
BACKOFF = ("BackoffLimitExceeded", "Job has reached the specified backoff limit")
DEADLINE = ("DeadlineExceeded", "Job was active longer than specified deadline")


def backoff_seconds(failures: int) -> float:
    """getRemainingTimeForFailuresCount's back-off: 10s doubling per failure, capped at 10m.

    >>> [backoff_seconds(n) for n in (1, 2, 3, 7, 8)]
    [10.0, 20.0, 40.0, 600.0, 600.0]
    """
    return min(DEFAULT_BACKOFF_SECONDS * 2 ** max(failures - 1, 0), MAX_BACKOFF_SECONDS)


def format_indexes(indexes: set[int]) -> str:
    """The `completedIndexes` form: sorted, runs of three or more as `a-b`... as upstream's
    `succeededIndexesToString` (two consecutive indexes are a range too).

    >>> format_indexes({0, 1, 2, 5, 7, 8})
    '0-2,5,7-8'
    """
    runs: list[list[int]] = []
    for index in sorted(indexes):
        if runs and runs[-1][1] == index - 1:
            runs[-1][1] = index
        else:
            runs.append([index, index])
    return ",".join(f"{a}" if a == b else f"{a}-{b}" for a, b in runs)


def _finished(job: dict) -> bool:
    return any(
        c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
        for c in (job.get("status") or {}).get("conditions") or ()
    )


def _has(status: dict, kind: str) -> bool:
    return any(c.get("type") == kind for c in status.get("conditions") or ())


def _index(pod: dict) -> int | None:
    value = (pod["metadata"].get("annotations") or {}).get(COMPLETION_INDEX)
    return int(value) if isinstance(value, str) and value.isdigit() else None


class JobController(WorkloadController):
    """Reconciles Jobs keyed by (namespace, name); they own Pods."""

    name = "job-controller"
    kind, dependent_kind = "Job", "Pod"

    def __init__(self, store: Store, api: ApiServer, owners: OwnerIndex, timers: Timers) -> None:
        super().__init__(store, api, owners, timers)
        self._backoff: dict[str, tuple[int, float]] = {}
        """Job uid -> failures since the last success, and when the last one failed (seconds):
        upstream's backoffRecordStore."""
        self._due: dict[tuple[str, float], None] = {}
        """(job uid, time) of the syncs already on a timer."""

    def reconcile(self, namespace: str, name: str) -> None:
        job = self.store.get("Job", namespace, name)
        if job is None or job["metadata"].get("deletionTimestamp"):
            return
        if _finished(job):
            self._expire(job)
            return
        pods = self.dependents(job)
        status = clone(job.get("status") or {})
        now = self.api.clock.timestamp()
        suspended = bool(job["spec"].get("suspend"))
        if not suspended:
            status.setdefault("startTime", now)
        self._suspension(job, status, suspended, now)
        self._count(job, pods, status)
        active = [p for p in self.dependents(job) if _active(p)]
        target = self._target(job, status, active)
        if target is not None:
            for pod in active:
                self._delete(job, pod)
            active = []
        else:
            self._manage(job, status, active)
            active = [p for p in self.dependents(job) if _active(p)]
        status["active"] = len(active)
        status["ready"] = sum(1 for p in active if is_ready(p))
        status["terminating"] = sum(
            1
            for p in self.dependents(job)
            if p["metadata"].get("deletionTimestamp") and not _terminal(p)
        )
        status["uncountedTerminatedPods"] = {}
        if target is not None:
            self._conclude(job, status, target, now)
        self._write(job, status)

    # -- counting pods that ended --------------------------------------------------------

    def _count(self, job: dict, pods: list[dict], status: dict) -> None:
        """Count the pods that ended and still carry the tracking finalizer, then remove it.
        A pod deleted before it succeeded counts as failed (isPodFailed)."""
        indexed = job["spec"].get("completionMode") == "Indexed"
        completed = _parse_indexes(status.get("completedIndexes", ""))
        uid = job["metadata"]["uid"]
        failures, last = self._backoff.get(uid, (0, 0.0))
        for pod in pods:
            ended = _terminal(pod) or pod["metadata"].get("deletionTimestamp")
            if not ended or TRACKING_FINALIZER not in (pod["metadata"].get("finalizers") or ()):
                continue
            if pod["status"].get("phase") == "Succeeded":
                index = _index(pod)
                if indexed and index is not None:
                    if index in completed:
                        self._untrack(pod)
                        continue
                    completed.add(index)
                status["succeeded"] = status.get("succeeded", 0) + 1
                failures = 0
            else:
                status["failed"] = status.get("failed", 0) + 1
                failures += 1
                last = max(last, self.api.clock.seconds)
            self._untrack(pod)
        if indexed and completed:
            status["completedIndexes"] = format_indexes(completed)
        if self._backoff.get(uid, (0, 0.0)) != (failures, last):
            before = self._backoff.get(uid)
            self._backoff[uid] = (failures, last)
            self.store.on_undo(lambda: self._restore_backoff(uid, before))

    def _restore_backoff(self, uid: str, before: tuple[int, float] | None) -> None:
        if before is None:
            self._backoff.pop(uid, None)
        else:
            self._backoff[uid] = before

    def _untrack(self, pod: dict) -> None:
        meta = dict(pod["metadata"])
        meta["finalizers"] = [f for f in meta.get("finalizers") or () if f != TRACKING_FINALIZER]
        if not meta["finalizers"]:
            del meta["finalizers"]
        self.api.update({**pod, "metadata": meta}, trusted=True)

    # -- deciding the outcome -------------------------------------------------------------

    def _target(self, job: dict, status: dict, active: list[dict]) -> tuple[str, str, str] | None:
        """The finished condition the Job is heading for: (type, reason, message), or None."""
        spec = job["spec"]
        for kind in ("SuccessCriteriaMet", "FailureTarget"):
            found = next((c for c in status.get("conditions") or () if c["type"] == kind), None)
            if found is not None:
                return kind, found["reason"], found["message"]
        completions = spec.get("completions")
        succeeded = status.get("succeeded", 0)
        if spec.get("completionMode") == "Indexed":
            done = len(_parse_indexes(status.get("completedIndexes", ""))) >= (completions or 0)
        elif completions is None:
            done = succeeded > 0 and not active
        else:
            done = succeeded >= completions
        if done:
            return ("SuccessCriteriaMet", *SUCCESS)
        limit = spec.get("backoffLimit", 6)
        if status.get("failed", 0) > limit or self._past_limit_on_failure(job, active, limit):
            return ("FailureTarget", *BACKOFF)
        deadline = spec.get("activeDeadlineSeconds")
        if deadline is not None and status.get("startTime") and not spec.get("suspend"):
            started = self._seconds(status["startTime"])
            if self.api.clock.seconds - started >= deadline:
                return ("FailureTarget", *DEADLINE)
            self._sync_at(job, started + deadline)
        return None

    def _suspension(self, job: dict, status: dict, suspended: bool, now: str) -> None:
        """The Suspended condition: True while suspended; False once resumed, which restarts
        `startTime` (so activeDeadlineSeconds counts only active time)."""
        conditions = status.setdefault("conditions", [])
        found = next((c for c in conditions if c["type"] == "Suspended"), None)
        if suspended and (found is None or found["status"] != "True"):
            condition = _condition("Suspended", "JobSuspended", "Job suspended", now)
            if found is None:
                conditions.append(condition)
            else:
                conditions[conditions.index(found)] = condition
            self.api.record_event(job, "Normal", "Suspended", self.name, "Job suspended")
        elif not suspended and found is not None and found["status"] == "True":
            resumed = _condition("Suspended", "JobResumed", "Job resumed", now)
            conditions[conditions.index(found)] = {**resumed, "status": "False"}
            status["startTime"] = now
            self.api.record_event(job, "Normal", "Resumed", self.name, "Job resumed")

    @staticmethod
    def _past_limit_on_failure(job: dict, active: list[dict], limit: int) -> bool:
        """pastBackoffLimitOnFailure: restartPolicy OnFailure counts container restarts."""
        template = job["spec"]["template"]["spec"]
        if template.get("restartPolicy") != "OnFailure":
            return False
        restarts = sum(
            s.get("restartCount", 0)
            for p in active
            for s in (p.get("status") or {}).get("containerStatuses") or ()
        )
        return restarts > 0 if limit == 0 else restarts >= limit

    def _conclude(self, job: dict, status: dict, target: tuple[str, str, str], now: str) -> None:
        """The interim condition first; the terminal one once no pod is terminating."""
        kind, reason, message = target
        conditions = status.setdefault("conditions", [])
        if not _has(status, kind):
            conditions.append(_condition(kind, reason, message, now))
        if status["terminating"]:
            return
        final = "Complete" if kind == "SuccessCriteriaMet" else "Failed"
        conditions.append(_condition(final, reason, message, now))
        if final == "Complete":
            status["completionTime"] = now
            self.api.record_event(job, "Normal", "Completed", self.name, "Job completed")
        else:
            self.api.record_event(job, "Warning", reason, self.name, message)
        ttl = job["spec"].get("ttlSecondsAfterFinished")
        if ttl is not None:
            self._sync_at(job, self.api.clock.seconds + ttl)

    def _expire(self, job: dict) -> None:
        """The TTL-after-finished controller: delete the Job once its TTL has passed."""
        ttl = job["spec"].get("ttlSecondsAfterFinished")
        if ttl is None:
            return
        ends = [
            c["lastTransitionTime"]
            for c in (job.get("status") or {}).get("conditions") or ()
            if c.get("type") in ("Complete", "Failed") and c.get("status") == "True"
        ]
        due = self._seconds(ends[0]) + ttl
        if self.api.clock.seconds >= due:
            meta = job["metadata"]
            try:
                self.api.delete("Job", meta["namespace"], meta["name"])
            except NotFound:
                return
        else:
            self._sync_at(job, due)

    # -- pods -------------------------------------------------------------------------------

    def _manage(self, job: dict, status: dict, active: list[dict]) -> None:
        """Create the pods missing, once the back-off since the last failure has passed."""
        spec = job["spec"]
        parallelism = spec.get("parallelism", 1)
        completions = spec.get("completions")
        if spec.get("suspend"):
            for pod in active:
                self._delete(job, pod)
            return
        if spec.get("completionMode") == "Indexed":
            taken = _parse_indexes(status.get("completedIndexes", ""))
            taken |= {i for p in active if (i := _index(p)) is not None}
            pending = [i for i in range(completions or 0) if i not in taken]
            wanted: list[int | None] = list(pending[: max(parallelism - len(active), 0)])
        else:
            if completions is None:
                want = 0 if status.get("succeeded", 0) else parallelism
            else:
                want = min(parallelism, completions - status.get("succeeded", 0))
            wanted = [None] * max(want - len(active), 0)
        if not wanted:
            return
        failures, last = self._backoff.get(job["metadata"]["uid"], (0, 0.0))
        if failures:
            due = last + backoff_seconds(failures)
            if self.api.clock.seconds < due:
                self._sync_at(job, due)
                return
        for index in wanted[:MAX_POD_CREATE_DELETE_PER_SYNC]:
            self._create_pod(job, index)

    def _create_pod(self, job: dict, index: int | None) -> None:
        template = job["spec"]["template"]
        meta = clone(template.get("metadata") or {})
        meta.pop("name", None)
        name = job["metadata"]["name"]
        meta["generateName"] = f"{name}-" if index is None else f"{name}-{index}-"
        meta["namespace"] = job["metadata"]["namespace"]
        meta["finalizers"] = [*(meta.get("finalizers") or ()), TRACKING_FINALIZER]
        meta.pop("creationTimestamp", None)
        meta["ownerReferences"] = [
            {
                "apiVersion": "batch/v1",
                "kind": "Job",
                "name": name,
                "uid": job["metadata"]["uid"],
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
        pod_spec = clone(template["spec"])
        if index is not None:
            meta.setdefault("annotations", {})[COMPLETION_INDEX] = str(index)
            meta.setdefault("labels", {})[COMPLETION_INDEX] = str(index)
            pod_spec.setdefault("hostname", f"{name}-{index}")
            env = {
                "name": "JOB_COMPLETION_INDEX",
                "valueFrom": {
                    "fieldRef": {
                        "apiVersion": "v1",
                        "fieldPath": f"metadata.labels['{COMPLETION_INDEX}']",
                    }
                },
            }
            for container in pod_spec.get("containers") or ():
                if not any(e.get("name") == env["name"] for e in container.get("env") or ()):
                    container["env"] = [*(container.get("env") or ()), clone(env)]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": meta,
            "spec": pod_spec,
            "status": {"phase": "Pending"},
        }
        try:
            created = self.api.create(pod, trusted=True)
        except KubenetError as error:
            raise SyncError(job, "FailedCreate", f"Error creating: {error_text(error)}") from error
        self.api.record_event(
            job,
            "Normal",
            "SuccessfulCreate",
            self.name,
            f"Created pod: {created['metadata']['name']}",
        )

    def _delete(self, job: dict, pod: dict) -> None:
        meta = pod["metadata"]
        self.api.delete("Pod", meta["namespace"], meta["name"])
        self.api.record_event(
            job, "Normal", "SuccessfulDelete", self.name, f"Deleted pod: {meta['name']}"
        )

    # -- status and timers ----------------------------------------------------------------

    def _write(self, job: dict, status: dict) -> None:
        status = {k: v for k, v in status.items() if v or k in _ALWAYS}
        if status != (job.get("status") or {}):
            self.api.set_status(job, status)

    @staticmethod
    def _seconds(timestamp: str) -> float:
        """A metav1.Time as simulated seconds."""
        moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        return (moment - EPOCH).total_seconds()

    def _sync_at(self, job: dict, due: float) -> None:
        """Sync the Job again at `due` (once per Job and moment)."""
        key = (job["metadata"]["uid"], due)
        if key in self._due:
            return
        self._due[key] = None
        self.store.on_undo(lambda: self._due.pop(key, None))
        namespace, name = job["metadata"]["namespace"], job["metadata"]["name"]

        def due_now() -> None:
            self._due.pop(key, None)
            self.enqueue(namespace, name)

        self.timers.at(due, due_now)


_ALWAYS = ("ready", "terminating", "uncountedTerminatedPods")
"""Status fields v1.33 writes even when zero or empty (pointers, and the struct)."""


def _terminal(pod: dict) -> bool:
    return (pod.get("status") or {}).get("phase") in ("Succeeded", "Failed")


def _active(pod: dict) -> bool:
    return not _terminal(pod) and not pod["metadata"].get("deletionTimestamp")


def _condition(kind: str, reason: str, message: str, now: str) -> dict:
    return {
        "type": kind,
        "status": "True",
        "lastProbeTime": now,
        "lastTransitionTime": now,
        "reason": reason,
        "message": message,
    }


def _parse_indexes(text: str) -> set[int]:
    """The indexes `completedIndexes` lists."""
    found: set[int] = set()
    for part in filter(None, text.split(",")):
        low, _, high = part.partition("-")
        found.update(range(int(low), int(high or low) + 1))
    return found
