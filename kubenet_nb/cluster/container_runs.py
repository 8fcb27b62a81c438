"""Containers whose process ends: each started instance exits when its command is done.

When a container instance starts (a new containerID in the `running` state), the process it
runs is looked up (`images.commands`): a command known to end is given a timer for its end, when
the kubelet reports the exit as it reports any other (`Kubelets.kill`): terminated with its exit
code (`Completed` for 0, else `Error`), restarted as the pod's restartPolicy says (`OnFailure`:
only after a failure, with the kubelet's back-off), and the pod `Succeeded` or `Failed` once
every container has ended for good. What the process printed is kept for `kubectl logs`
(`output`). A container whose command is not known to end runs until its pod is deleted.
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.images import IMAGES, container_argv, image_repository
from kubenet_nb.cluster.images.commands import Run, command_run
from kubenet_nb.cluster.kubelet import Kubelets
from kubenet_nb.cluster.store import Store, WatchEvent
from kubenet_nb.cluster.timers import Timers

__all__ = ["ContainerRuns", "container_command", "container_run"]


def container_command(container: dict) -> list[str]:
    """The argv the container runs: its image's ENTRYPOINT and CMD as command/args override them
    (an image not in the table has neither)."""
    image = IMAGES.get(image_repository(container.get("image") or ""))
    if image is not None:
        return container_argv(container, image)
    return [str(w) for w in (container.get("command") or ())] + [
        str(w) for w in (container.get("args") or ())
    ]


def container_run(pod: dict, container: dict, started: datetime) -> Run | None:
    """What the container's process does if it ends (None: it runs on)."""
    return command_run(container_command(container), started, pod["metadata"]["name"])


class ContainerRuns(Controller):
    """The container runtime's side of process exits: pods keyed by (namespace, name)."""

    name = "container-runtime"

    def __init__(self, store: Store, kubelets: Kubelets, timers: Timers, clock: Clock) -> None:
        super().__init__()
        self.store, self.kubelets, self.timers, self.clock = store, kubelets, timers, clock
        self._timed: dict[tuple[str, str], set[str]] = {}
        """Pod key -> the containerIDs whose end has a timer."""
        self.output: dict[str, tuple[str, ...]] = {}
        """containerID -> the lines its process printed, once it has ended."""

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "Pod" or event.replay:
            return
        meta = event.subject["metadata"]
        key = (meta["namespace"], meta["name"])
        if event.obj is None:
            if key in self._timed:
                self.enqueue(*key)
            return
        timed = self._timed.get(key, set())
        if any(
            "running" in (s.get("state") or {}) and s.get("containerID") not in timed
            for s in (event.obj.get("status") or {}).get("containerStatuses") or ()
        ):
            self.enqueue(*key)

    def reconcile(self, namespace: str, name: str) -> None:
        key = (namespace, name)
        pod = self.store.get("Pod", namespace, name)
        before = self._timed.get(key)
        if pod is None or pod["metadata"].get("deletionTimestamp"):
            if before is not None:
                del self._timed[key]
                self.store.on_undo(lambda: self._timed.__setitem__(key, before))
            return
        specs = {c["name"]: c for c in pod["spec"]["containers"]}
        timed = set(before or ())
        for status in (pod.get("status") or {}).get("containerStatuses") or ():
            instance = status.get("containerID", "")
            if "running" not in (status.get("state") or {}) or instance in timed:
                continue
            timed.add(instance)
            run = container_run(pod, specs[status["name"]], self.clock.now)
            if run is not None:
                self._time(pod, status["name"], instance, run)
        if timed != (before or set()):
            self._timed[key] = timed
            self.store.on_undo(lambda: self._restore(key, before))

    def _restore(self, key: tuple[str, str], before: set[str] | None) -> None:
        if before is None:
            self._timed.pop(key, None)
        else:
            self._timed[key] = before

    def _time(self, pod: dict, container: str, instance: str, run: Run) -> None:
        meta = pod["metadata"]
        key, uid = (meta["namespace"], meta["name"]), meta["uid"]

        def end() -> None:
            found = self.store.get("Pod", *key)
            if found is None or found["metadata"]["uid"] != uid:
                return
            if found["metadata"].get("deletionTimestamp"):
                return
            statuses = (found.get("status") or {}).get("containerStatuses") or ()
            current = next((s for s in statuses if s["name"] == container), None)
            if current is None or current.get("containerID") != instance:
                return
            if "running" not in (current.get("state") or {}):
                return
            self.output[instance] = run.output
            self.store.on_undo(lambda: self.output.pop(instance, None))
            self.kubelets.kill(found, container, run.code)

        self.timers.at(self.clock.seconds + run.seconds, end)
