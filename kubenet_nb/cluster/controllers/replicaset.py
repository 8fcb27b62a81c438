"""The ReplicaSet controller: keeps `spec.replicas` active pods, created from the template.

Pods are named `<replicaset>-<5 random characters>` through generateName. When scaling down,
the pods to delete are ranked as pkg/controller/replicaset's getPodsToDelete ranks them
(controller.ActivePodsWithRanks): unscheduled before scheduled, pending before running, not ready
before ready, more replicas on the same node first, then the most recently created.

One sync creates or deletes at most `BURST_REPLICAS` pods, as upstream's manageReplicas does; the
pods it creates queue the ReplicaSet again, so a large ReplicaSet is built in steps of that size.
A create the API server refuses fails the sync (undone alone), with the controller's
`FailedCreate` event; the ControlPlane retries it later.

A pod is available once it has been Ready for `spec.minReadySeconds` (podutil.IsPodAvailable:
the Ready condition's lastTransitionTime plus minReadySeconds is past). The ready pods' ready
times are kept sorted per ReplicaSet, so the available count is a bisection; a ReplicaSet with
pods ready but not yet available is synced again on the simulated clock when the next of them
becomes available (upstream requeues with `AddAfter`). At exactly that second the pod counts as
available: the simulated clock has no sub-second skew to guard against.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from datetime import datetime, timezone

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import SyncError, error_text
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.ownership import OwnerIndex, controller_of
from kubenet_nb.cluster.store import Store, WatchEvent, clone
from kubenet_nb.cluster.timers import Timers

__all__ = ["BURST_REPLICAS", "ReplicaSetController", "is_active", "is_ready", "ready_since"]

PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}
BURST_REPLICAS = 500
"""kubernetes pkg/controller/replicaset/replica_set.go @ v1.33.0, BurstReplicas: the most pods
one sync creates or deletes."""


def is_active(pod: dict) -> bool:
    """controller.IsPodActive: not terminal and not being deleted."""
    phase = pod.get("status", {}).get("phase")
    return phase not in ("Succeeded", "Failed") and not pod["metadata"].get("deletionTimestamp")


def is_ready(pod: dict) -> bool:
    """podutil.IsPodReady: the Ready condition is True."""
    return any(
        c["type"] == "Ready" and c["status"] == "True"
        for c in pod.get("status", {}).get("conditions", ())
    )


def ready_since(pod: dict) -> float | None:
    """When the pod last became Ready (POSIX seconds), None while it is not Ready."""
    for condition in pod.get("status", {}).get("conditions", ()):
        if condition["type"] == "Ready" and condition["status"] == "True":
            moment = datetime.strptime(condition["lastTransitionTime"], "%Y-%m-%dT%H:%M:%SZ")
            return moment.replace(tzinfo=timezone.utc).timestamp()
    return None


class ReplicaSetController(WorkloadController):
    """Reconciles ReplicaSets keyed by (namespace, name)."""

    name = "replicaset-controller"
    kind, dependent_kind = "ReplicaSet", "Pod"

    def __init__(self, store: Store, api: ApiServer, owners: OwnerIndex, timers: Timers) -> None:
        super().__init__(store, api, owners, timers)
        self._active: dict[str, int] = {}
        self._ready: dict[str, list[float]] = {}
        """Per ReplicaSet uid, its active pods, and when each of its active ready pods became
        Ready (sorted), kept from watch events (undo replays included) so that a sync need not
        read every pod."""

    def handle(self, event: WatchEvent) -> None:
        if event.kind == "Pod":
            self._count(event.old, -1)
            self._count(event.obj, +1)
        super().handle(event)

    def _count(self, pod: dict | None, delta: int) -> None:
        if pod is None or not is_active(pod):
            return
        ref = controller_of(pod)
        if ref is None or ref["kind"] != "ReplicaSet":
            return
        uid = ref["uid"]
        self._active[uid] = self._active.get(uid, 0) + delta
        if not self._active[uid]:
            del self._active[uid]
        since = ready_since(pod)
        if since is None:
            return
        times = self._ready.setdefault(uid, [])
        if delta > 0:
            insort(times, since)
        else:
            times.remove(since)
            if not times:
                del self._ready[uid]

    def _available(self, rs: dict) -> tuple[int, float | None]:
        """The available pods, and when (clock seconds) the next ready one becomes available."""
        times = self._ready.get(rs["metadata"]["uid"], [])
        min_ready = rs["spec"].get("minReadySeconds", 0)
        if not min_ready:
            return len(times), None
        clock = self.api.clock
        now = clock.now.timestamp()
        available = bisect_right(times, now - min_ready)
        if available == len(times):
            return available, None
        return available, clock.seconds + times[available] + min_ready - now

    def reconcile(self, namespace: str, name: str) -> None:
        rs = self.store.get("ReplicaSet", namespace, name)
        if rs is None or rs["metadata"].get("deletionTimestamp"):
            return
        self.release_strays(rs)
        active_count = self._active.get(rs["metadata"]["uid"], 0)
        diff = rs["spec"].get("replicas", 1) - active_count
        if diff > 0:
            for _ in range(min(diff, BURST_REPLICAS)):
                self._create_pod(rs)
        elif diff < 0:
            active = [p for p in self.dependents(rs) if is_active(p)]
            for pod in self._rank_for_deletion(active)[: min(-diff, BURST_REPLICAS)]:
                meta = pod["metadata"]
                self.api.delete("Pod", meta["namespace"], meta["name"])
                self.api.record_event(
                    rs, "Normal", "SuccessfulDelete", self.name, f"Deleted pod: {meta['name']}"
                )
        self._update_status(rs)

    def _create_pod(self, rs: dict) -> None:
        template = rs["spec"]["template"]
        meta = clone(template.get("metadata", {}))
        meta.pop("name", None)
        meta["generateName"] = rs["metadata"]["name"] + "-"
        meta["namespace"] = rs["metadata"]["namespace"]
        meta["ownerReferences"] = [
            {
                "apiVersion": "apps/v1",
                "kind": "ReplicaSet",
                "name": rs["metadata"]["name"],
                "uid": rs["metadata"]["uid"],
                "controller": True,
                "blockOwnerDeletion": True,
            }
        ]
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": meta,
            "spec": clone(template["spec"]),
            "status": {"phase": "Pending", "qosClass": "BestEffort"},
        }
        try:
            created = self.api.create(pod, trusted=True)
        except KubenetError as error:
            # controller_utils.go RealPodControl.createPods: FailedCreatePodReason
            raise SyncError(rs, "FailedCreate", f"Error creating: {error_text(error)}") from error
        self.api.record_event(
            rs,
            "Normal",
            "SuccessfulCreate",
            self.name,
            f"Created pod: {created['metadata']['name']}",
        )

    def _rank_for_deletion(self, pods: list[dict]) -> list[dict]:
        per_node: dict[str, int] = {}
        for pod in pods:
            node = pod["spec"].get("nodeName", "")
            per_node[node] = per_node.get(node, 0) + 1

        def rank(pod: dict) -> tuple:
            node = pod["spec"].get("nodeName", "")
            phase = pod.get("status", {}).get("phase", "Pending")
            return (
                bool(node),
                PHASE_RANK.get(phase, 1),
                is_ready(pod),
                -per_node[node] if node else 0,
            )

        # newest first (creationTimestamp, then name, descending), then the stable sort by rank
        newest_first = sorted(
            pods,
            key=lambda p: (p["metadata"].get("creationTimestamp", ""), p["metadata"]["name"]),
            reverse=True,
        )
        return sorted(newest_first, key=rank)

    def _update_status(self, rs: dict) -> None:
        uid = rs["metadata"]["uid"]
        active, ready = self._active.get(uid, 0), len(self._ready.get(uid, ()))
        available, next_available = self._available(rs)
        if next_available is not None:
            meta = rs["metadata"]
            self.requeue_at((meta["namespace"], meta["name"]), next_available)
        status = {
            "replicas": active,
            "fullyLabeledReplicas": active,
            "readyReplicas": ready,
            "availableReplicas": available,
            "observedGeneration": rs["metadata"].get("generation", 1),
        }
        status = {k: v for k, v in status.items() if v or k in ("replicas", "observedGeneration")}
        if status != rs.get("status"):
            self.api.set_status(rs, status)
