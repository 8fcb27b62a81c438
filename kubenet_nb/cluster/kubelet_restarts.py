"""Containers that exit, and how the kubelet restarts them: the back-off and its statuses.

A container whose process exits is `terminated` (reason `Error`, or `Completed` for exit code
0) and not ready. The pod's restartPolicy says whether it comes back: `Always`, or `OnFailure`
for a non-zero code. The kubelet notices the exit at its next relist of the runtime (1s,
pkg/kubelet/kubelet.go genericPlegRelistPeriod) and restarts the container at once unless it is
in back-off (pkg/kubelet/kuberuntime/kuberuntime_manager.go @ v1.33.0 `doBackOff`, over
client-go util/flowcontrol/backoff.go with kubelet.go's backOffPeriod 10s and
MaxContainerBackOff 300s, no jitter):

- each restart calls `Next`: the first sets a 10s window, each later one doubles it up to 5m;
  a restart more than 10 minutes (twice the maximum) after the previous one starts over at 10s;
- a container that exits less than the current window after it finished is waiting in
  `CrashLoopBackOff` with `back-off 20s restarting failed container=C pod=P_NS(UID)`, and the
  kubelet records Warning `BackOff` `Back-off restarting failed container C in pod P_NS(UID)`;
  it restarts the container once the window has passed since the exit.

Each restart adds one to the container's restartCount and keeps the exit in `lastState`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from kubenet_nb.cluster.kubelet_images import go_duration

__all__ = [
    "INITIAL_BACKOFF_SECONDS",
    "MAX_BACKOFF_SECONDS",
    "RELIST_SECONDS",
    "BackOff",
    "Exit",
    "back_off_event",
    "back_off_state",
    "instance_id",
    "restarts",
    "terminated_state",
]

INITIAL_BACKOFF_SECONDS, MAX_BACKOFF_SECONDS = 10.0, 300.0
RELIST_SECONDS = 1.0


@dataclass(frozen=True)
class Exit:
    """One exit of a container instance: the code and the moment (simulated seconds)."""

    uid: str
    container: str
    code: int
    at: float


def restarts(policy: str, code: int) -> bool:
    """Whether the restartPolicy brings an exited container back."""
    return policy == "Always" or (policy == "OnFailure" and code != 0)


def terminated_state(code: int, started: str, finished: str, container_id: str) -> dict:
    """A ContainerStateTerminated as the kubelet reports an exit it did not cause."""
    return {
        "terminated": {
            "exitCode": code,
            "reason": "Completed" if code == 0 else "Error",
            "startedAt": started,
            "finishedAt": finished,
            "containerID": container_id,
        }
    }


def _pod_text(pod: dict) -> str:
    """format.Pod: `name_namespace(uid)`."""
    meta = pod["metadata"]
    return f"{meta['name']}_{meta['namespace']}({meta['uid']})"


def back_off_state(seconds: float, container: str, pod: dict) -> dict:
    """The waiting state of a container in CrashLoopBackOff."""
    window = go_duration(int(seconds * 1000))
    return {
        "waiting": {
            "reason": "CrashLoopBackOff",
            "message": f"back-off {window} restarting failed container={container} "
            f"pod={_pod_text(pod)}",
        }
    }


def back_off_event(container: str, pod: dict) -> str:
    return f"Back-off restarting failed container {container} in pod {_pod_text(pod)}"


def instance_id(pod: dict, container: str, restart: int) -> str:
    """The containerID of a restarted instance: a new one each time (64 hex digits)."""
    seed = f"{pod['metadata']['uid']}/{container}/{restart}"
    return "containerd://" + hashlib.sha256(seed.encode()).hexdigest()


@dataclass
class _Window:
    seconds: float
    last_update: float


class BackOff:
    """The kubelet's container back-off, keyed by pod uid and container name."""

    def __init__(self, on_undo: Callable[[Callable[[], object]], None]) -> None:
        self._on_undo = on_undo
        self._windows: dict[tuple[str, str], _Window] = {}

    def waiting(self, exit: Exit, now: float) -> float | None:
        """IsInBackOffSince(finishedAt): the current window while it has not passed, else None."""
        window = self._windows.get((exit.uid, exit.container))
        if window is None or _expired(exit.at, window.last_update):
            return None
        return window.seconds if now - exit.at < window.seconds else None

    def next(self, exit: Exit, now: float) -> None:
        """Next(): a restart happens now; the window for the next exit grows."""
        key = (exit.uid, exit.container)
        before = self._windows.get(key)
        if before is None or _expired(exit.at, before.last_update):
            seconds = INITIAL_BACKOFF_SECONDS
        else:
            seconds = min(before.seconds * 2, MAX_BACKOFF_SECONDS)
        self._windows[key] = _Window(seconds, now)
        self._on_undo(lambda: self._restore(key, before))

    def forget(self, uid: str) -> None:
        """The pod is gone: its windows go too (the kubelet's GC of back-off entries)."""
        for key in [k for k in self._windows if k[0] == uid]:
            window = self._windows.pop(key)
            self._on_undo(partial(self._restore, key, window))

    def _restore(self, key: tuple[str, str], window: _Window | None) -> None:
        if window is None:
            self._windows.pop(key, None)
        else:
            self._windows[key] = window


def _expired(event: float, last_update: float) -> bool:
    """flowcontrol hasExpired: stable again after twice the maximum window."""
    return event - last_update > 2 * MAX_BACKOFF_SECONDS
