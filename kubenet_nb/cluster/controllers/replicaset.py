"""The ReplicaSet controller: keeps `spec.replicas` active pods, created from the template.

Pods are named `<replicaset>-<5 random characters>` through generateName. When scaling down,
the pods to delete are ranked as pkg/controller/replicaset's getPodsToDelete ranks them
(controller.ActivePodsWithRanks): unscheduled before scheduled, pending before running, not ready
before ready, more replicas on the same node first, then the most recently created.
"""

from __future__ import annotations

from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.store import clone

__all__ = ["ReplicaSetController", "is_active", "is_ready"]

PHASE_RANK = {"Pending": 0, "Unknown": 1, "Running": 2}


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


class ReplicaSetController(WorkloadController):
    """Reconciles ReplicaSets keyed by (namespace, name)."""

    name = "replicaset-controller"
    kind, dependent_kind = "ReplicaSet", "Pod"

    def reconcile(self, namespace: str, name: str) -> None:
        rs = self.store.get("ReplicaSet", namespace, name)
        if rs is None or rs["metadata"].get("deletionTimestamp"):
            return
        self.release_strays(rs)
        pods = self.dependents(rs)
        active = [p for p in pods if is_active(p)]
        diff = rs["spec"].get("replicas", 1) - len(active)
        if diff > 0:
            for _ in range(diff):
                self._create_pod(rs)
        elif diff < 0:
            for pod in self._rank_for_deletion(active)[:-diff]:
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
        created = self.api.create(pod, trusted=True)
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
                _negated(pod["metadata"].get("creationTimestamp", "")),
                _negated(pod["metadata"]["name"]),
            )

        return sorted(pods, key=rank)

    def _update_status(self, rs: dict) -> None:
        pods = [p for p in self.dependents(rs) if is_active(p)]
        ready = sum(1 for p in pods if is_ready(p))
        status = {
            "replicas": len(pods),
            "fullyLabeledReplicas": len(pods),
            "readyReplicas": ready,
            "availableReplicas": ready,
            "observedGeneration": rs["metadata"].get("generation", 1),
        }
        status = {k: v for k, v in status.items() if v or k in ("replicas", "observedGeneration")}
        if status != rs.get("status"):
            self.api.set_status(rs, status)


def _negated(text: str) -> tuple[int, ...]:
    """A sort key that orders strings backwards (newest timestamp or name first)."""
    return (*tuple(-ord(c) for c in text), 1)
