"""The kubelet's prober: one worker per container and probe type, on the simulated clock.

k/k pkg/kubelet/prober @ v1.33.0:

- prober_manager.go `AddPod`: a worker for each probe of each container when the kubelet admits
  the pod; a container without a probe has none (started at once, ready while it runs).
- worker.go `run`: the worker probes once when it starts (the pod's containers are not running
  yet, so that run does nothing), then at each tick of a `periodSeconds` ticker; only while the
  kubelet has been up for less than a period does it first sleep a random part of one.
- worker.go `doProbe`: a new container instance resets the result to the probe type's initial
  value (readiness Failure, liveness Success, startup Unknown); no probe runs before
  `initialDelaySeconds` since the instance started, nor, for liveness and readiness, before the
  startup probe succeeded; `failureThreshold` failures or `successThreshold` successes in a row
  set the result; a liveness or startup failure holds the worker until the next instance (the
  kubelet kills the container); a pod that finished, or a container exited for good under
  `restartPolicy: Never`, ends the worker; so does a pod's deletion, for liveness and startup.
- prober_manager.go `UpdatePodStatus`: a container is started once its startup result is
  Success, and ready once its readiness result is; a readiness probe not passed yet is run at
  once when the kubelet reports a container started (a start, a restart, a startup success).
- prober.go `probe`: each failed run records Warning `Unhealthy` "%s probe failed: %s" from the
  kubelet (the type capitalized); a run that cannot be made (a port name the container lacks)
  "%s probe errored and resulted in %s state: %s" and is thrown away.

What the application does is the learner's: `failing` holds the probes it fails, by pod and
(container, probe type), with the HTTP status its httpGet answers.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import EPOCH
from kubenet_nb.cluster.kubelet_probes import ERROR, FAILURE, SUCCESS, run_probe
from kubenet_nb.cluster.listeners import Listener, pod_listeners
from kubenet_nb.cluster.store import Store
from kubenet_nb.cluster.timers import Timers

__all__ = ["PROBES", "UNKNOWN", "Prober"]

PROBES = {"startup": "startupProbe", "liveness": "livenessProbe", "readiness": "readinessProbe"}
"""Probe types, as the kubelet names them, and the container field of each."""
UNKNOWN = "unknown"
INITIAL = {"readiness": FAILURE, "liveness": SUCCESS, "startup": UNKNOWN}
KUBELET_STARTED = 0.0
"""When the kubelets started (the cluster's creation, simulated seconds)."""

WorkerKey = tuple[str, str, str]
"""(pod uid, container, probe type)."""
PodKey = tuple[str, str]
Reaction = Callable[[dict, str, str, str], None]
"""What the kubelet does with a new result: (pod, container, probe type, result)."""


@dataclass(frozen=True)
class Worker:
    """One probe worker's state: the instance it probes, its result, the current run."""

    namespace: str
    pod: str
    instance: str = ""
    """The containerID last seen ("" before the container exists)."""
    result: str = ""
    """The results manager's value for the instance ("" before it has one)."""
    last: str = SUCCESS
    """worker.lastResult: results.Result's zero value is Success (results_manager.go)."""
    run: int = 0
    on_hold: bool = False


class Prober:
    """Every kubelet's probe workers; `react` tells the kubelet of each changed result."""

    def __init__(self, store: Store, api: ApiServer, timers: Timers, react: Reaction) -> None:
        self.store, self.api, self.timers, self.react = store, api, timers, react
        self.failing: dict[PodKey, dict[tuple[str, str], int]] = {}
        """(namespace, pod) -> (container, probe type) -> the HTTP status the app answers."""
        self._workers: dict[WorkerKey, Worker] = {}
        self._listeners: dict[str, tuple[dict, list[Listener]]] = {}
        """pod uid -> (the spec they were read from, the pod's sockets): derived, so no undo."""

    # -- lifecycle ----------------------------------------------------------------------------

    def admit(self, pod: dict) -> None:
        """AddPod: start the workers the pod's containers' probes need (once per pod)."""
        meta = pod["metadata"]
        now = self.api.clock.seconds
        for container in pod["spec"]["containers"]:
            for kind, field in PROBES.items():
                probe = container.get(field)
                key = (meta["uid"], container["name"], kind)
                if not probe or key in self._workers:
                    continue
                self._put(key, Worker(meta["namespace"], meta["name"]))
                period = float(probe.get("periodSeconds") or 10)
                first = now + period
                if period > now - KUBELET_STARTED:
                    first = now + random.Random("/".join(key)).random() * period
                self.timers.at(first, partial(self._tick, key, first, period))

    def forget(self, pod: dict) -> None:
        """The pod left: its workers stop, and what its application failed is forgotten."""
        meta = pod["metadata"]
        self._listeners.pop(meta["uid"], None)
        for container in pod["spec"]["containers"]:
            for kind in PROBES:
                self._put((meta["uid"], container["name"], kind), None)
        self.set_failing((meta["namespace"], meta["name"]), {})

    def started_container(self, pod: dict, container: str) -> None:
        """A container's startup probe passed: its readiness probe, if any, runs at once."""
        key = (pod["metadata"]["uid"], container, "readiness")
        if key in self._workers:
            self._probe(key)

    def start(self, pod: dict, container: dict, instance: str, pod_ip: str) -> None:
        """A container instance starts, its status not written yet: the workers will see a new
        instance; its readiness probe runs at once (unless an initial delay or a startup probe
        holds it), so that the status the kubelet writes says whether it is ready."""
        key = (pod["metadata"]["uid"], container["name"], "readiness")
        worker = self._workers.get(key)
        if worker is None:
            return
        worker = replace(worker, instance=instance, result=INITIAL["readiness"], on_hold=False)
        self._put(key, worker)
        probe = container["readinessProbe"]
        if int(probe.get("initialDelaySeconds") or 0) > 0 or not self.started(
            pod, container, instance
        ):
            return
        result, output = self.outcome(pod, container, "readiness", pod_ip)
        self._count(key, worker, pod, probe, result, output)

    # -- what the status reports -------------------------------------------------------------

    def started(self, pod: dict, container: dict, instance: str) -> bool:
        """A running container's `started`: its startup probe passed (none: at once)."""
        if not container.get("startupProbe"):
            return True
        return self._result(pod, container["name"], "startup", instance) == SUCCESS

    def ready(self, pod: dict, container: dict, instance: str) -> bool:
        """A running container's `ready`: started, and its readiness probe passed (none: yes)."""
        if not self.started(pod, container, instance):
            return False
        if not container.get("readinessProbe"):
            return True
        return self._result(pod, container["name"], "readiness", instance) == SUCCESS

    def _result(self, pod: dict, container: str, kind: str, instance: str) -> str:
        worker = self._workers.get((pod["metadata"]["uid"], container, kind))
        return worker.result if worker is not None and worker.instance == instance else ""

    # -- the application's failures ------------------------------------------------------------

    def set_failing(self, key: PodKey, failing: dict[tuple[str, str], int]) -> None:
        """What the pod's application fails from now on (undoably)."""
        before = self.failing.get(key)
        if failing:
            self.failing[key] = failing
        else:
            self.failing.pop(key, None)
        if before != failing:
            self.store.on_undo(partial(self._restore_failing, key, before))

    def _restore_failing(self, key: PodKey, before: dict[tuple[str, str], int] | None) -> None:
        if before is None:
            self.failing.pop(key, None)
        else:
            self.failing[key] = before

    def settle(self, pod: dict, container: dict, instance: str, result: str) -> bool:
        """The kubelet has seen the readiness probe reach `result` (a threshold's worth of runs
        in a row): set it at once. Whether the container has a readiness worker."""
        key = (pod["metadata"]["uid"], container["name"], "readiness")
        worker = self._workers.get(key)
        if worker is None:
            return False
        probe = container["readinessProbe"]
        field = "failureThreshold" if result == FAILURE else "successThreshold"
        run = int(probe.get(field) or 1)
        self._put(key, replace(worker, instance=instance, result=result, last=result, run=run))
        return True

    def outcome(
        self, pod: dict, container: dict, kind: str, pod_ip: str | None = None
    ) -> tuple[str, str]:
        """Run the container's probe of this type now: (result, output)."""
        meta = pod["metadata"]
        if pod_ip is None:
            pod_ip = (pod.get("status") or {}).get("podIP") or ""
        failing = self.failing.get((meta["namespace"], meta["name"]), {})
        cached = self._listeners.get(meta["uid"])
        if cached is None or cached[0] is not pod["spec"]:
            cached = self._listeners[meta["uid"]] = (pod["spec"], pod_listeners(pod))
        probe, status = container[PROBES[kind]], failing.get((container["name"], kind))
        done = run_probe(probe, container, pod, pod_ip, cached[1], status)
        return done.result, done.output

    # -- a worker's run -----------------------------------------------------------------------

    def _tick(self, key: WorkerKey, due: float, period: float) -> None:
        if key in self._workers and self._probe(key):
            self.timers.at(due + period, partial(self._tick, key, due + period, period))

    def _probe(self, key: WorkerKey) -> bool:
        """worker.go doProbe: one run, its result counted; whether the worker goes on."""
        uid, name, kind = key
        worker = self._workers[key]
        pod = self.store.get("Pod", worker.namespace, worker.pod)
        status = (pod or {}).get("status") or {}
        if pod is None or pod["metadata"]["uid"] != uid or status.get("phase") in _FINISHED:
            self._put(key, None)
            return False
        found = next((c for c in status.get("containerStatuses") or () if c["name"] == name), None)
        if found is None or not found.get("containerID"):
            return True
        if found["containerID"] != worker.instance:
            worker = replace(
                worker, instance=found["containerID"], result=INITIAL[kind], on_hold=False
            )
            self._put(key, worker)
        if worker.on_hold:
            return True
        state = found.get("state") or {}
        if "running" not in state:
            self._put(key, replace(worker, result=FAILURE))
            if "terminated" in state and pod["spec"].get("restartPolicy") == "Never":
                self._put(key, None)
                return False
            return True
        if pod["metadata"].get("deletionTimestamp") and kind != "readiness":
            self._put(key, None)  # a last Success for a quiet shutdown, then no more runs
            return False
        container = next(c for c in pod["spec"]["containers"] if c["name"] == name)
        probe = container[PROBES[kind]]
        since = self.api.clock.seconds - _seconds(state["running"].get("startedAt"))
        if int(since) < int(probe.get("initialDelaySeconds") or 0):
            return True
        if bool(found.get("started")) != (kind != "startup"):
            return True  # startup: done once started; the others: wait until then
        result, output = self.outcome(pod, container, kind)
        if self._count(key, worker, pod, probe, result, output):
            self.react(pod, name, kind, result)
        return True

    def _count(
        self, key: WorkerKey, worker: Worker, pod: dict, probe: dict, result: str, output: str
    ) -> bool:
        """A run's result: its event, the run in a row, the result it sets at the threshold.
        Whether the result changed."""
        kind = key[2]
        text = kind.capitalize()
        if result == ERROR:
            message = f"{text} probe errored and resulted in {UNKNOWN} state: {output}"
            self.api.record_event(pod, "Warning", "Unhealthy", "kubelet", message)
            return False
        if result == FAILURE:
            message = f"{text} probe failed: {output}"
            self.api.record_event(pod, "Warning", "Unhealthy", "kubelet", message)
        field = "failureThreshold" if result == FAILURE else "successThreshold"
        threshold = int(probe.get(field) or 1)
        run = min(worker.run + 1, threshold) if worker.last == result else 1
        if (worker.last, worker.run, worker.result) == (result, run, result):
            return False  # a steady result: nothing to count (past the threshold, runs are alike)
        worker = replace(worker, last=result, run=run)
        if run < threshold:
            self._put(key, worker)
            return False
        changed = worker.result != result
        worker = replace(worker, result=result)
        if kind != "readiness" and result == FAILURE:
            worker = replace(worker, on_hold=True, run=0)
        self._put(key, worker)
        return changed

    def _put(self, key: WorkerKey, worker: Worker | None) -> None:
        """Set or drop a worker's state, undoably."""
        before = self._workers.get(key)
        if before is worker:
            return
        if worker is None:
            self._workers.pop(key, None)
        else:
            self._workers[key] = worker
        self.store.on_undo(partial(self._restore, key, before))

    def _restore(self, key: WorkerKey, worker: Worker | None) -> None:
        if worker is None:
            self._workers.pop(key, None)
        else:
            self._workers[key] = worker


_FINISHED = ("Succeeded", "Failed")


def _seconds(timestamp: str | None) -> float:
    """A status time as simulated seconds (the clock's epoch is the cluster's)."""
    if not timestamp:
        return 0.0
    return (datetime.fromisoformat(timestamp) - EPOCH).total_seconds()
