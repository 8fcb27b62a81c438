"""The StatefulSet controller: pods with stable names, hostnames and claims, made in order.

As pkg/controller/statefulset @ v1.33.0 (stateful_set_control.go, stateful_set_utils.go,
stateful_pod_control.go): pod `<set>-<ordinal>` carries `hostname: <set>-<ordinal>`,
`subdomain: <serviceName>`, the labels `controller-revision-hash`,
`statefulset.kubernetes.io/pod-name` and `apps.kubernetes.io/pod-index`, and one volume per
claim template naming the claim `<template>-<set>-<ordinal>`, created before the pod. With
`OrderedReady` an ordinal is created only when every lower one is Running and Ready, and
condemned pods go from the highest ordinal, one at a time; `Parallel` does neither wait. A
RollingUpdate replaces pods from the highest ordinal down to the partition, one at a time; each
template is kept as a ControllerRevision `<set>-<hash>`, the unused ones beyond
`revisionHistoryLimit` deleted. Claims are left behind, as the default Retain retention policy
leaves them (the Delete policies are not modelled: claims never get owners here), and a ready pod
counts as available at once (`minReadySeconds` is not modelled).
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.api.well_known import CONTROLLER_REVISION_HASH_LABEL
from kubenet_nb.cluster.controllers.base import SyncError, error_text
from kubenet_nb.cluster.controllers.replicaset import is_ready
from kubenet_nb.cluster.controllers.template_hash import pod_template_hash
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.store import clone

__all__ = ["POD_INDEX_LABEL", "POD_NAME_LABEL", "StatefulSetController", "claim_name"]

POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name"
POD_INDEX_LABEL = "apps.kubernetes.io/pod-index"
"""k8s.io/api apps/v1 types.go @ v1.33.0: StatefulSetPodNameLabel and PodIndexLabel (the
PodIndexLabel gate is on by default since v1.32)."""


def claim_name(template: str, set_name: str, ordinal: int) -> str:
    """getPersistentVolumeClaimName: `<template>-<set>-<ordinal>`.

    >>> claim_name("www", "web", 0)
    'www-web-0'
    """
    return f"{template}-{set_name}-{ordinal}"


def _ordinal(pod: dict, set_name: str) -> int | None:
    """getParentNameAndOrdinal: the ordinal of a pod named `<set>-<n>`, else None."""
    prefix, _, suffix = pod["metadata"]["name"].rpartition("-")
    return int(suffix) if prefix == set_name and suffix.isdigit() else None


def _running_and_ready(pod: dict) -> bool:
    """isRunningAndReady: phase Running and the Ready condition True."""
    return pod.get("status", {}).get("phase") == "Running" and is_ready(pod)


def _failed(pod: dict) -> bool:
    return pod.get("status", {}).get("phase") == "Failed"


def _start(sts: dict) -> int:
    """getStartOrdinal: `spec.ordinals.start` (StatefulSetStartOrdinal, GA in v1.31), else 0."""
    return int((sts["spec"].get("ordinals") or {}).get("start", 0) or 0)


def _revision_data(sts: dict) -> dict:
    """getPatch: the part of the set a revision records, the template replaced whole."""
    return {"spec": {"template": {**clone(sts["spec"]["template"]), "$patch": "replace"}}}


class StatefulSetController(WorkloadController):
    """Reconciles StatefulSets keyed by (namespace, name)."""

    name = "statefulset-controller"
    kind, dependent_kind = "StatefulSet", "Pod"

    def reconcile(self, namespace: str, name: str) -> None:
        sts = self.store.get("StatefulSet", namespace, name)
        if sts is None or sts["metadata"].get("deletionTimestamp"):
            return
        self.release_strays(sts)
        current, update = self._revisions(sts)
        pods: dict[int, dict] = {}
        for pod in self.dependents(sts):
            ordinal = _ordinal(pod, name)
            if ordinal is not None:
                pods[ordinal] = pod
        self._sync_pods(sts, pods, current, update)
        self._update_status(sts, current, update)
        self._truncate_history(sts, {current, update})

    # -- revisions ---------------------------------------------------------------------------

    def _revisions(self, sts: dict) -> tuple[str, str]:
        """(currentRevision, updateRevision) names, the update revision stored if new."""
        data = _revision_data(sts)
        update = f"{sts['metadata']['name']}-{pod_template_hash(data)}"
        owned = {r["metadata"]["name"]: r for r in self._owned_revisions(sts)}
        latest = max((r.get("revision", 0) for r in owned.values()), default=0)
        existing = owned.get(update)
        if existing is None:
            self._create_revision(sts, update, data, latest + 1)
        elif existing.get("revision", 0) != latest:
            # a rollback to an older template: the revision is renumbered as the newest
            self.api.update({**existing, "revision": latest + 1}, trusted=True)
        current = sts.get("status", {}).get("currentRevision") or update
        return (current if current in owned or current == update else update), update

    def _owned_revisions(self, sts: dict) -> list[dict]:
        found = (
            self.store.get("ControllerRevision", ns, n)
            for _, ns, n in self.owners.dependents(sts["metadata"]["uid"], "ControllerRevision")
        )
        return [r for r in found if r is not None]

    def _truncate_history(self, sts: dict, live: set[str]) -> None:
        """truncateHistory: beyond revisionHistoryLimit, the oldest revisions no pod, current or
        update revision uses are deleted."""
        live |= {
            p["metadata"].get("labels", {}).get(CONTROLLER_REVISION_HASH_LABEL, "")
            for p in self.dependents(sts)
        }
        history = sorted(
            (r for r in self._owned_revisions(sts) if r["metadata"]["name"] not in live),
            key=lambda r: r.get("revision", 0),
        )
        excess = len(history) - sts["spec"].get("revisionHistoryLimit", 10)
        for revision in history[: max(excess, 0)]:
            meta = revision["metadata"]
            self.api.delete("ControllerRevision", meta["namespace"], meta["name"])

    def _create_revision(self, sts: dict, name: str, data: dict, number: int) -> None:
        """history.NewControllerRevision: labels of the template, owned by the set."""
        labels = dict(sts["spec"]["template"].get("metadata", {}).get("labels", {}))
        self.api.create(
            {
                "apiVersion": "apps/v1",
                "kind": "ControllerRevision",
                "metadata": {
                    "name": name,
                    "namespace": sts["metadata"]["namespace"],
                    "labels": labels,
                    "ownerReferences": [self._owner_ref(sts)],
                },
                "data": data,
                "revision": number,
            },
            trusted=True,
        )

    # -- pods --------------------------------------------------------------------------------

    def _sync_pods(self, sts: dict, pods: dict[int, dict], current: str, update: str) -> None:
        """updateStatefulSet: create or wait in ordinal order, then condemn, then roll."""
        spec = sts["spec"]
        start = _start(sts)
        end = start + spec.get("replicas", 1)
        monotonic = spec.get("podManagementPolicy", "OrderedReady") != "Parallel"
        partition = start + self._partition(sts)
        for ordinal in range(start, end):
            pod = pods.get(ordinal)
            if pod is not None and _failed(pod) and not pod["metadata"].get("deletionTimestamp"):
                self._delete(sts, pod)
                pod = None
                if monotonic:
                    return
            if pod is None:
                if self.store.get(
                    "Pod", sts["metadata"]["namespace"], self._pod_name(sts, ordinal)
                ):
                    return  # the old pod of this name is still being removed
                revision = update if ordinal >= partition else current
                self._create(sts, ordinal, revision)
                if monotonic:
                    return
                continue
            if pod["metadata"].get("deletionTimestamp"):
                if monotonic:
                    return
                continue
            if monotonic and not _running_and_ready(pod):
                return
        condemned = sorted((o for o in pods if not start <= o < end), reverse=True)
        for ordinal in condemned:
            pod = pods[ordinal]
            if pod["metadata"].get("deletionTimestamp"):
                if monotonic:
                    return
                continue
            self._delete(sts, pod)
            if monotonic:
                return
        if spec.get("updateStrategy", {}).get("type", "RollingUpdate") == "RollingUpdate":
            self._roll(sts, pods, update, range(end - 1, partition - 1, -1))

    def _roll(self, sts: dict, pods: dict[int, dict], update: str, ordinals: range) -> None:
        """The RollingUpdate: from the highest ordinal to the partition, one unhealthy at most."""
        for ordinal in ordinals:
            pod = pods.get(ordinal)
            if pod is None:
                continue
            if pod["metadata"].get("labels", {}).get(CONTROLLER_REVISION_HASH_LABEL) != update:
                if not pod["metadata"].get("deletionTimestamp"):
                    self._delete(sts, pod)
                return
            if not _running_and_ready(pod):
                return

    @staticmethod
    def _partition(sts: dict) -> int:
        rolling = sts["spec"].get("updateStrategy", {}).get("rollingUpdate") or {}
        return int(rolling.get("partition", 0) or 0)

    @staticmethod
    def _pod_name(sts: dict, ordinal: int) -> str:
        return f"{sts['metadata']['name']}-{ordinal}"

    @staticmethod
    def _owner_ref(sts: dict) -> dict:
        return {
            "apiVersion": "apps/v1",
            "kind": "StatefulSet",
            "name": sts["metadata"]["name"],
            "uid": sts["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }

    def _template_for(self, sts: dict, revision: str) -> dict:
        """The pod template of the named revision (ApplyRevision), else the set's own."""
        stored = self.store.get("ControllerRevision", sts["metadata"]["namespace"], revision)
        if stored is None:
            return clone(sts["spec"]["template"])
        template = clone(stored["data"]["spec"]["template"])
        template.pop("$patch", None)
        return template

    def _create(self, sts: dict, ordinal: int, revision: str) -> None:
        """newVersionedStatefulSetPod, then CreateStatefulPod: claims first, then the pod."""
        set_name, namespace = sts["metadata"]["name"], sts["metadata"]["namespace"]
        name = self._pod_name(sts, ordinal)
        template = self._template_for(sts, revision)
        meta = template.get("metadata", {})
        meta.pop("creationTimestamp", None)
        meta["name"] = name
        meta["namespace"] = namespace
        meta["labels"] = {
            **meta.get("labels", {}),
            CONTROLLER_REVISION_HASH_LABEL: revision,
            POD_NAME_LABEL: name,
            POD_INDEX_LABEL: str(ordinal),
        }
        meta["ownerReferences"] = [self._owner_ref(sts)]
        spec = template["spec"]
        spec["hostname"] = name
        if sts["spec"].get("serviceName"):
            spec["subdomain"] = sts["spec"]["serviceName"]
        templates = sts["spec"].get("volumeClaimTemplates") or []
        claims = {
            t["metadata"]["name"]: claim_name(t["metadata"]["name"], set_name, ordinal)
            for t in templates
        }
        spec["volumes"] = [
            {"name": vol, "persistentVolumeClaim": {"claimName": claim}}
            for vol, claim in claims.items()
        ] + [v for v in spec.get("volumes", []) if v.get("name") not in claims]
        pod = {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}
        for claim_template in templates:
            self._create_claim(sts, claim_template, ordinal, name)
        try:
            self.api.create(pod, trusted=True)
        except KubenetError as error:
            # stateful_pod_control.go recordPodEvent: FailedCreate
            raise SyncError(
                sts,
                "FailedCreate",
                f"create Pod {name} in StatefulSet {set_name} failed error: {error_text(error)}",
            ) from error
        self.api.record_event(
            sts,
            "Normal",
            "SuccessfulCreate",
            self.name,
            f"create Pod {name} in StatefulSet {set_name} successful",
        )

    def _create_claim(self, sts: dict, template: dict, ordinal: int, pod: str) -> None:
        """getPersistentVolumeClaims + createPersistentVolumeClaims: a missing claim is made
        from its template, labelled with the set's matchLabels too."""
        set_name, namespace = sts["metadata"]["name"], sts["metadata"]["namespace"]
        name = claim_name(template["metadata"]["name"], set_name, ordinal)
        if self.store.get("PersistentVolumeClaim", namespace, name) is not None:
            return
        claim = clone(template)
        meta = claim.setdefault("metadata", {})
        meta.pop("creationTimestamp", None)
        meta["name"], meta["namespace"] = name, namespace
        meta["labels"] = {
            **meta.get("labels", {}),
            **sts["spec"].get("selector", {}).get("matchLabels", {}),
        }
        claim.pop("status", None)
        claim["apiVersion"], claim["kind"] = "v1", "PersistentVolumeClaim"
        try:
            self.api.create(claim)  # validated: a template the API refuses stops the pod too
        except KubenetError as error:
            # stateful_pod_control.go recordClaimEvent: FailedCreate
            raise SyncError(
                sts,
                "FailedCreate",
                f"create Claim {name} for Pod {pod} in StatefulSet {set_name} failed error: "
                f"{error_text(error)}",
            ) from error
        self.api.record_event(
            sts,
            "Normal",
            "SuccessfulCreate",
            self.name,
            f"create Claim {name} Pod {pod} in StatefulSet {set_name} success",
        )

    def _delete(self, sts: dict, pod: dict) -> None:
        """DeleteStatefulPod with its `SuccessfulDelete` event."""
        name = pod["metadata"]["name"]
        self.api.delete("Pod", pod["metadata"]["namespace"], name)
        self.api.record_event(
            sts,
            "Normal",
            "SuccessfulDelete",
            self.name,
            f"delete Pod {name} in StatefulSet {sts['metadata']['name']} successful",
        )

    # -- status ------------------------------------------------------------------------------

    def _update_status(self, sts: dict, current: str, update: str) -> None:
        """computeReplicaStatus: counts over the pods that exist and are not being deleted."""
        pods = [
            p
            for p in self.dependents(sts)
            if _ordinal(p, sts["metadata"]["name"]) is not None
            and not p["metadata"].get("deletionTimestamp")
        ]
        revisions = [
            p["metadata"].get("labels", {}).get(CONTROLLER_REVISION_HASH_LABEL) for p in pods
        ]
        ready = sum(1 for p in pods if _running_and_ready(p))
        updated = revisions.count(update)
        if updated == sts["spec"].get("replicas", 1) and len(pods) == updated:
            current = update  # the rollout is complete
        status = {
            "availableReplicas": ready,
            "collisionCount": sts.get("status", {}).get("collisionCount", 0),
            "currentReplicas": revisions.count(current),
            "currentRevision": current,
            "observedGeneration": sts["metadata"].get("generation", 1),
            "readyReplicas": ready,
            "replicas": len(pods),
            "updateRevision": update,
            "updatedReplicas": updated,
        }
        status = {
            k: v
            for k, v in status.items()
            if v or k in ("replicas", "availableReplicas", "collisionCount")
        }
        if status != sts.get("status"):
            self.api.set_status(sts, status)
