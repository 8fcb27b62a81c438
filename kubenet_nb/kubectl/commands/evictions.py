"""How `kubectl drain` evicts a node's pods, on the simulated clock.

As k8s.io/kubectl pkg/drain/drain.go @ v0.33.0 (evictPods, deletePods, waitForDelete): every
pod has its own loop, run side by side. Each attempt prints `evicting pod NS/NAME`; a 429 from
a PodDisruptionBudget prints kubectl's retry line and is tried again 5 s later; an evicted pod
is polled every second until it is gone (`pod/NAME evicted`). `--timeout` (0: none) ends every
loop once reached. Without a timeout kubectl retries forever; here the drain stops when the
cluster has not changed at all for `QUIET_SECONDS` of simulated time while every pod left is
refused, since nothing can then let a budget allow the eviction, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound, StatusError
from kubenet_nb.cluster.eviction import TooManyRequests

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.kubectl.command import Terminal

__all__ = ["QUIET_SECONDS", "evict_pods", "go_duration"]

RETRY_SECONDS = 5
"""evictPods: `time.Sleep(5 * time.Second)` after a 429."""
POLL_SECONDS = 1
"""waitForDelete's interval."""
QUIET_SECONDS = 600
"""With no --timeout: how long nothing in the cluster may change before the drain gives up."""


def go_duration(seconds: float) -> str:
    """time.Duration.String for whole milliseconds: `7s`, `1m0s`, `1h0m0s`, `1.5s`, `500ms`."""
    millis = round(seconds * 1000)
    if millis == 0:
        return "0s"
    if millis < 1000:
        return f"{millis}ms"
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    text = f"{rest // 1000}.{rest % 1000:03d}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{hours}h{minutes}m{text}"
    return f"{minutes}m{text}" if minutes else text


@dataclass
class _Loop:
    """One pod's goroutine: evicting (or deleted and waited for), next due at `due`."""

    namespace: str
    name: str
    uid: str
    due: float
    waiting: bool = False
    refused: bool = False


def _text(error: KubenetError) -> str:
    return error.message if isinstance(error, StatusError) else str(error)


def _gone(cluster: ControlPlane, loop: _Loop) -> bool:
    pod = cluster.store.get("Pod", loop.namespace, loop.name)
    return pod is None or pod["metadata"].get("uid") != loop.uid


def evict_pods(
    cluster: ControlPlane,
    terminal: Terminal,
    pods: list[dict],
    *,
    grace: int | None,
    timeout: float,
    use_eviction: bool,
) -> list[str]:
    """Evict (or, with --disable-eviction, delete) the pods; the errors, as kubectl words them."""
    start = cluster.clock.seconds
    deadline = start + timeout if timeout > 0 else None
    limit = go_duration(timeout)
    loops = [
        _Loop(p["metadata"]["namespace"], p["metadata"]["name"], p["metadata"]["uid"], start)
        for p in pods
    ]
    errors: list[str] = []
    if not use_eviction:
        for loop in loops:
            try:
                cluster.delete("pods", loop.name, loop.namespace, grace)
            except NotFound:
                pass
            loop.waiting = True
    verb = "evicted" if use_eviction else "deleted"
    version, changed_at = cluster.store.resource_version, start
    while loops:
        now = cluster.clock.seconds
        due = [lp for lp in loops if lp.due <= now]
        evicting = [lp for lp in due if not lp.waiting]
        for loop in evicting:
            terminal.out(f"evicting pod {loop.namespace}/{loop.name}")
        late = deadline is not None and now >= deadline
        sent = [] if late else evicting
        results = cluster.evict([(lp.namespace, lp.name) for lp in sent], grace) if sent else []
        refusals = {id(lp): result for lp, result in zip(sent, results, strict=True)}
        for loop in due:
            where = f'pods/"{loop.name}" -n "{loop.namespace}"'
            if not loop.waiting and late:
                error = f"error when evicting {where}: global timeout reached: {limit}"
            elif not loop.waiting:
                error = _evicted(terminal, loop, refusals[id(loop)], now)
            else:
                error = ""
            if loop.waiting and not error:
                error = _poll(cluster, terminal, loop, verb, late)
            if loop.due <= now:
                loops.remove(loop)
                if error:
                    errors.append(error)
        if not loops:
            break
        if cluster.store.resource_version != version:
            version, changed_at = cluster.store.resource_version, now
        if deadline is None and all(lp.refused for lp in loops):
            if now - changed_at >= QUIET_SECONDS:
                raise KubectlError(
                    f"kubenet: nothing in the cluster changed for {go_duration(QUIET_SECONDS)} "
                    "of simulated time, so no disruption budget can allow these evictions; "
                    "kubectl would retry forever (give drain a --timeout)",
                    prefix="",
                )
        wake = min(lp.due for lp in loops)
        cluster.advance(wake - now)
    return errors


def _evicted(terminal: Terminal, loop: _Loop, refusal: KubenetError | None, now: float) -> str:
    """The answer to one eviction: wait for the pod, retry after a 429, or give up."""
    where = f'pods/"{loop.name}" -n "{loop.namespace}"'
    if refusal is None:
        loop.waiting, loop.refused = True, False
        return ""
    if isinstance(refusal, NotFound):
        return ""
    if isinstance(refusal, TooManyRequests):
        terminal.err(f"error when evicting {where} (will retry after 5s): {refusal.message}")
        loop.due, loop.refused = now + RETRY_SECONDS, True
        return ""
    return f"error when evicting {where}: {_text(refusal)}"


def _poll(cluster: ControlPlane, terminal: Terminal, loop: _Loop, verb: str, late: bool) -> str:
    """waitForDelete's check of one pod, every second until it is gone or time is up."""
    if _gone(cluster, loop):
        terminal.out(f"pod/{loop.name} {verb}")
        return ""
    if late:
        return (
            f'error when waiting for pod "{loop.name}" in namespace "{loop.namespace}" to '
            "terminate: context deadline exceeded"
        )
    loop.due = cluster.clock.seconds + POLL_SECONDS
    return ""
