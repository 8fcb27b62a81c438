"""The DaemonSet controller: one pod per eligible node, like kindnet and kube-proxy on kind.

As pkg/controller/daemon: a node is eligible when the template's nodeSelector matches and its
NoSchedule/NoExecute taints are tolerated, counting the tolerations the controller adds to every
daemon pod (not-ready, unreachable, pressure, unschedulable). Each pod carries a required node
affinity on `metadata.name`, so the scheduler binds it to its node. A template change replaces the
pods node by node (RollingUpdate, maxUnavailable at a time) unless the strategy is OnDelete.
Active pods that match the selector and have no controller are adopted (ControllerRefManager).
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.api.selectors import selector_from_label_selector
from kubenet_nb.api.well_known import (
    CONTROLLER_REVISION_HASH_LABEL,
    NODE_DISK_PRESSURE_TAINT,
    NODE_MEMORY_PRESSURE_TAINT,
    NODE_NETWORK_UNAVAILABLE_TAINT,
    NODE_NOT_READY_TAINT,
    NODE_PID_PRESSURE_TAINT,
    NODE_UNREACHABLE_TAINT,
    NODE_UNSCHEDULABLE_TAINT,
    POD_TEMPLATE_GENERATION_LABEL,
)
from kubenet_nb.cluster.controllers.base import SyncError, error_text
from kubenet_nb.cluster.controllers.replicaset import is_active, is_ready
from kubenet_nb.cluster.controllers.template_hash import pod_template_hash
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.ownership import controller_of
from kubenet_nb.cluster.scheduler import tolerates
from kubenet_nb.cluster.store import WatchEvent, clone

__all__ = ["DaemonSetController", "daemon_tolerations"]


def daemon_tolerations(host_network: bool) -> list[dict]:
    """util.AddOrUpdateDaemonPodTolerations: what every daemon pod tolerates."""
    tolerations = [
        {"key": NODE_NOT_READY_TAINT, "operator": "Exists", "effect": "NoExecute"},
        {"key": NODE_UNREACHABLE_TAINT, "operator": "Exists", "effect": "NoExecute"},
        {"key": NODE_DISK_PRESSURE_TAINT, "operator": "Exists", "effect": "NoSchedule"},
        {"key": NODE_MEMORY_PRESSURE_TAINT, "operator": "Exists", "effect": "NoSchedule"},
        {"key": NODE_PID_PRESSURE_TAINT, "operator": "Exists", "effect": "NoSchedule"},
        {"key": NODE_UNSCHEDULABLE_TAINT, "operator": "Exists", "effect": "NoSchedule"},
    ]
    if host_network:
        tolerations.append(
            {
                "key": NODE_NETWORK_UNAVAILABLE_TAINT,
                "operator": "Exists",
                "effect": "NoSchedule",
            }
        )
    return tolerations


class DaemonSetController(WorkloadController):
    """Reconciles DaemonSets keyed by (namespace, name); Node changes queue every DaemonSet."""

    name = "daemonset-controller"
    kind, dependent_kind = "DaemonSet", "Pod"

    def handle(self, event: WatchEvent) -> None:
        super().handle(event)
        if event.kind == "Node" and not event.replay:
            for ds in self.store.list("DaemonSet"):
                self.enqueue(ds["metadata"]["namespace"], ds["metadata"]["name"])

    def _eligible(self, ds: dict, node: dict) -> bool:
        spec = ds["spec"]["template"]["spec"]
        labels = node["metadata"].get("labels", {})
        if any(labels.get(k) != v for k, v in (spec.get("nodeSelector") or {}).items()):
            return False
        tolerations = (spec.get("tolerations") or []) + daemon_tolerations(
            bool(spec.get("hostNetwork"))
        )
        return all(
            tolerates(tolerations, t)
            for t in node.get("spec", {}).get("taints", [])
            if t.get("effect") in ("NoSchedule", "NoExecute")
        )

    def reconcile(self, namespace: str, name: str) -> None:
        ds = self.store.get("DaemonSet", namespace, name)
        if ds is None or ds["metadata"].get("deletionTimestamp"):
            return
        self.release_strays(ds)
        self._adopt_orphans(ds)
        revision = pod_template_hash(ds["spec"]["template"])
        by_node: dict[str, list[dict]] = {}
        for pod in self.dependents(ds):
            if is_active(pod):
                by_node.setdefault(self._node_of(pod), []).append(pod)
        nodes = {n["metadata"]["name"]: n for n in self.store.list("Node")}
        wanted = {name for name, node in nodes.items() if self._eligible(ds, node)}
        for node in sorted(wanted):
            if not by_node.get(node):
                self._create(ds, node, revision)
        for node, pods in sorted(by_node.items()):
            extra = pods if node not in wanted else pods[1:]
            for pod in extra:
                self.api.delete("Pod", namespace, pod["metadata"]["name"])
        if ds["spec"].get("updateStrategy", {}).get("type") == "RollingUpdate":
            self._roll(ds, by_node, wanted, revision)
        self._update_status(ds, wanted, revision)

    def _adopt_orphans(self, ds: dict) -> None:
        """ClaimPods: active pods matching the selector with no controller become this set's."""
        selector = selector_from_label_selector(ds["spec"]["selector"])
        for pod in self.store.list("Pod", ds["metadata"]["namespace"]):
            if (
                controller_of(pod) is None
                and is_active(pod)
                and selector.matches(pod["metadata"].get("labels", {}))
            ):
                meta = {
                    **pod["metadata"],
                    "ownerReferences": [
                        *pod["metadata"].get("ownerReferences", []),
                        self._owner_ref(ds),
                    ],
                }
                self.api.update({**pod, "metadata": meta}, trusted=True)

    @staticmethod
    def _owner_ref(ds: dict) -> dict:
        return {
            "apiVersion": "apps/v1",
            "kind": "DaemonSet",
            "name": ds["metadata"]["name"],
            "uid": ds["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }

    @staticmethod
    def _node_of(pod: dict) -> str:
        if pod["spec"].get("nodeName"):
            return pod["spec"]["nodeName"]
        terms = (
            pod["spec"]
            .get("affinity", {})
            .get("nodeAffinity", {})
            .get("requiredDuringSchedulingIgnoredDuringExecution", {})
            .get("nodeSelectorTerms", [])
        )
        for term in terms:
            for field in term.get("matchFields", []):
                if field.get("key") == "metadata.name" and field.get("values"):
                    return field["values"][0]
        return ""

    def _roll(
        self, ds: dict, by_node: dict[str, list[dict]], wanted: set[str], revision: str
    ) -> None:
        budget = int(ds["spec"]["updateStrategy"].get("rollingUpdate", {}).get("maxUnavailable", 1))
        unavailable = sum(
            1 for node in wanted if not any(is_ready(p) for p in by_node.get(node, []))
        )
        for node in sorted(wanted):
            if unavailable >= budget:
                return
            for pod in by_node.get(node, [])[:1]:
                if (
                    pod["metadata"].get("labels", {}).get(CONTROLLER_REVISION_HASH_LABEL)
                    != revision
                ):
                    self.api.delete("Pod", pod["metadata"]["namespace"], pod["metadata"]["name"])
                    unavailable += 1

    def _create(self, ds: dict, node: str, revision: str) -> None:
        template = clone(ds["spec"]["template"])
        meta = template.get("metadata", {})
        meta.pop("creationTimestamp", None)
        meta["labels"] = {
            **meta.get("labels", {}),
            CONTROLLER_REVISION_HASH_LABEL: revision,
            POD_TEMPLATE_GENERATION_LABEL: str(ds["metadata"].get("generation", 1)),
        }
        meta["generateName"] = ds["metadata"]["name"] + "-"
        meta["namespace"] = ds["metadata"]["namespace"]
        meta["ownerReferences"] = [self._owner_ref(ds)]
        spec = template["spec"]
        spec["affinity"] = {
            "nodeAffinity": {
                "requiredDuringSchedulingIgnoredDuringExecution": {
                    "nodeSelectorTerms": [
                        {
                            "matchFields": [
                                {"key": "metadata.name", "operator": "In", "values": [node]}
                            ]
                        }
                    ]
                }
            }
        }
        present = {(t.get("key"), t.get("effect")) for t in spec.get("tolerations", [])}
        spec["tolerations"] = spec.get("tolerations", []) + [
            t
            for t in daemon_tolerations(bool(spec.get("hostNetwork")))
            if (t["key"], t["effect"]) not in present
        ]
        try:
            pod = self.api.create(
                {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}, trusted=True
            )
        except KubenetError as error:
            # controller_utils.go RealPodControl.createPods: FailedCreatePodReason
            raise SyncError(ds, "FailedCreate", f"Error creating: {error_text(error)}") from error
        self.api.record_event(
            ds, "Normal", "SuccessfulCreate", self.name, f"Created pod: {pod['metadata']['name']}"
        )

    def _update_status(self, ds: dict, wanted: set[str], revision: str) -> None:
        active = [p for p in self.dependents(ds) if is_active(p)]
        scheduled = {p["spec"]["nodeName"] for p in active if p["spec"].get("nodeName")}
        ready = sum(1 for p in active if is_ready(p))
        updated = sum(
            1
            for p in active
            if p["spec"].get("nodeName")
            and p["metadata"].get("labels", {}).get(CONTROLLER_REVISION_HASH_LABEL) == revision
        )
        status = {
            "currentNumberScheduled": len(scheduled & wanted),
            "desiredNumberScheduled": len(wanted),
            "numberAvailable": ready,
            "numberMisscheduled": len(scheduled - wanted),
            "numberReady": ready,
            "observedGeneration": ds["metadata"].get("generation", 1),
            "updatedNumberScheduled": updated,
        }
        if len(wanted) > ready:
            status["numberUnavailable"] = len(wanted) - ready
        status = {
            k: v
            for k, v in status.items()
            if v
            or k
            in (
                "currentNumberScheduled",
                "desiredNumberScheduled",
                "numberMisscheduled",
                "numberReady",
            )
        }
        if status != ds.get("status"):
            self.api.set_status(ds, status)
