"""The Deployment controller: one ReplicaSet per pod template, rolled out per the strategy.

The ReplicaSet for a template is `<deployment>-<pod-template-hash>`. Upstream hashes the template
with FNV-32a over Go's object dump and encodes the decimal digits with SafeEncodeString; we hash
a canonical JSON dump the same way, so hashes look like upstream's (`7c5ddbdf54`) but are not
byte-identical to a real cluster's. Rolling updates follow pkg/controller/deployment/rolling.go:
scale the new ReplicaSet up within maxSurge, scale old ones down within maxUnavailable. A change
of the replica count mid-rollout is a scaling event (sync.go `isScalingEvent`, `scale`): the new
count is shared out among the active ReplicaSets in proportion to their sizes.
"""

from __future__ import annotations

import json
import math

from kubenet_nb.api.well_known import (
    DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION,
    DEPLOYMENT_MAX_REPLICAS_ANNOTATION,
    DEPLOYMENT_REVISION_ANNOTATION,
    LAST_APPLIED_ANNOTATION,
    POD_TEMPLATE_HASH_LABEL,
)
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.randomness import ALPHANUMS
from kubenet_nb.cluster.store import clone

__all__ = ["NOT_COPIED_ANNOTATIONS", "DeploymentController", "pod_template_hash"]

NOT_COPIED_ANNOTATIONS = frozenset(
    (
        LAST_APPLIED_ANNOTATION,
        DEPLOYMENT_REVISION_ANNOTATION,
        "deployment.kubernetes.io/revision-history",  # RevisionHistoryAnnotation
        DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION,
        DEPLOYMENT_MAX_REPLICAS_ANNOTATION,
        "deprecated.deployment.rollback.to",  # appsv1.DeprecatedRollbackTo
    )
)
"""deployment_util.go skipCopyAnnotation (kubernetes/kubernetes pkg/controller/deployment/util
@ v1.33.0): what a Deployment does not pass to its ReplicaSets; kubectl's rollback keeps the
same keys (`annotationsToSkip`) from the Deployment rather than the ReplicaSet."""


def _fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """utilrand.SafeEncodeString: each character mapped into the vowel-free alphabet.

    >>> safe_encode("0123456789")
    '456789bcdf'
    """
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in text)


def pod_template_hash(template: dict, collision_count: int = 0) -> str:
    """controller.ComputeHash's shape: FNV-32a of the template (+ collision count), encoded."""
    template = clone(template)
    template.get("metadata", {}).get("labels", {}).pop(POD_TEMPLATE_HASH_LABEL, None)
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(collision_count).encode()
    return safe_encode(str(_fnv32a(data)))


def _resolve(value: int | str, total: int, round_up: bool) -> int:
    """intstr.GetScaledValueFromIntOrPercent for maxSurge (round up) / maxUnavailable (down)."""
    if isinstance(value, int):
        return value
    percent = int(value.rstrip("%"))
    scaled = percent * total / 100
    return math.ceil(scaled) if round_up else math.floor(scaled)


def _copied_annotations(deploy: dict) -> dict[str, str]:
    """The Deployment's annotations its ReplicaSets carry too."""
    annotations = deploy["metadata"].get("annotations", {})
    return {k: v for k, v in annotations.items() if k not in NOT_COPIED_ANNOTATIONS}


def _template_without_hash(template: dict) -> dict:
    """The template without its pod-template-hash label, to compare templates (never written:
    it shares all but the dicts on the way to the label with `template`)."""
    meta = template.get("metadata", {})
    labels = meta.get("labels", {})
    if POD_TEMPLATE_HASH_LABEL not in labels:
        return template
    labels = {k: v for k, v in labels.items() if k != POD_TEMPLATE_HASH_LABEL}
    return {**template, "metadata": {**meta, "labels": labels}}


class DeploymentController(WorkloadController):
    """Reconciles Deployments keyed by (namespace, name)."""

    name = "deployment-controller"
    kind, dependent_kind = "Deployment", "ReplicaSet"

    def _replica_sets(self, deploy: dict) -> list[dict]:
        return sorted(
            self.dependents(deploy),
            key=lambda rs: (rs["metadata"]["creationTimestamp"], rs["metadata"]["name"]),
        )

    def reconcile(self, namespace: str, name: str) -> None:
        deploy = self.store.get("Deployment", namespace, name)
        if deploy is None or deploy["metadata"].get("deletionTimestamp"):
            return
        all_rs = self._replica_sets(deploy)
        wanted = _template_without_hash(deploy["spec"]["template"])
        new_rs = next(
            (rs for rs in all_rs if _template_without_hash(rs["spec"]["template"]) == wanted), None
        )
        old = [rs for rs in all_rs if rs is not new_rs]
        if deploy["spec"].get("paused"):
            self._update_status(deploy, new_rs, all_rs)
            return
        if new_rs is not None and self._scaling_event(deploy, all_rs):
            self._proportional_scale(deploy, new_rs, old)
            self._update_status(deploy, new_rs, self._replica_sets(deploy))
            return
        if new_rs is None:
            new_rs = self._create_replica_set(deploy, old)
            all_rs.append(new_rs)
        elif self._revision(new_rs) < self._max_revision(old):
            new_rs = self._set_revision(new_rs, self._max_revision(old) + 1)
        new_rs = self._copy_annotations(deploy, new_rs)
        deploy = self._set_revision(deploy, self._revision(new_rs))
        strategy = deploy["spec"].get("strategy", {})
        if strategy.get("type") == "Recreate":
            self._recreate(deploy, new_rs, old)
        else:
            self._rolling(deploy, new_rs, old)
        self._cleanup(deploy, old)
        self._update_status(
            deploy,
            self.store.get("ReplicaSet", namespace, new_rs["metadata"]["name"]),
            self._replica_sets(deploy),
        )

    @staticmethod
    def _revision(rs: dict) -> int:
        return int(rs["metadata"].get("annotations", {}).get(DEPLOYMENT_REVISION_ANNOTATION, "0"))

    def _max_revision(self, replica_sets: list[dict]) -> int:
        return max((self._revision(rs) for rs in replica_sets), default=0)

    def _set_revision(self, obj: dict, revision: int) -> dict:
        """The revision annotation on a ReplicaSet, or on the Deployment itself as upstream's
        SetDeploymentRevision keeps it (pkg/controller/deployment/util)."""
        if self._revision(obj) == revision:
            return obj
        annotations = {
            **obj["metadata"].get("annotations", {}),
            DEPLOYMENT_REVISION_ANNOTATION: str(revision),
        }
        return self.api.update(
            {**obj, "metadata": {**obj["metadata"], "annotations": annotations}}, trusted=True
        )

    def _copy_annotations(self, deploy: dict, rs: dict) -> dict:
        """copyDeploymentAnnotationsToReplicaSet: the Deployment's annotations (a change-cause)
        onto its new ReplicaSet, but for the controller's own and last-applied."""
        annotations = rs["metadata"].get("annotations", {})
        copied = {
            key: value
            for key, value in _copied_annotations(deploy).items()
            if annotations.get(key) != value
        }
        if not copied:
            return rs
        metadata = {**rs["metadata"], "annotations": {**annotations, **copied}}
        return self.api.update({**rs, "metadata": metadata}, trusted=True)

    def _create_replica_set(self, deploy: dict, old: list[dict]) -> dict:
        collisions = deploy.get("status", {}).get("collisionCount", 0)
        template = clone(deploy["spec"]["template"])
        hash_ = pod_template_hash(template, collisions)
        template.setdefault("metadata", {}).setdefault("labels", {})[POD_TEMPLATE_HASH_LABEL] = (
            hash_
        )
        selector = clone(deploy["spec"]["selector"])
        selector.setdefault("matchLabels", {})[POD_TEMPLATE_HASH_LABEL] = hash_
        replicas = deploy["spec"].get("replicas", 1)
        surge = self._max_surge(deploy)
        meta = deploy["metadata"]
        labels = {**template["metadata"].get("labels", {})}
        rs = {
            "apiVersion": "apps/v1",
            "kind": "ReplicaSet",
            "metadata": {
                "name": f"{meta['name']}-{hash_}",
                "namespace": meta["namespace"],
                "labels": labels,
                "annotations": {
                    **_copied_annotations(deploy),
                    DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION: str(replicas),
                    DEPLOYMENT_MAX_REPLICAS_ANNOTATION: str(replicas + surge),
                    DEPLOYMENT_REVISION_ANNOTATION: str(self._max_revision(old) + 1),
                },
                "ownerReferences": [
                    {
                        "apiVersion": "apps/v1",
                        "kind": "Deployment",
                        "name": meta["name"],
                        "uid": meta["uid"],
                        "controller": True,
                        "blockOwnerDeletion": True,
                    }
                ],
            },
            "spec": {"replicas": 0, "selector": selector, "template": template},
        }
        created = self.api.create(rs, trusted=True)
        if not any(r["spec"].get("replicas", 0) for r in old):
            self._scale(deploy, created, replicas)
        return self.store.require("ReplicaSet", meta["namespace"], created["metadata"]["name"])

    def _max_surge(self, deploy: dict) -> int:
        rolling = deploy["spec"].get("strategy", {}).get("rollingUpdate", {})
        return _resolve(rolling.get("maxSurge", "25%"), deploy["spec"].get("replicas", 1), True)

    def _max_unavailable(self, deploy: dict) -> int:
        rolling = deploy["spec"].get("strategy", {}).get("rollingUpdate", {})
        replicas = deploy["spec"].get("replicas", 1)
        value = _resolve(rolling.get("maxUnavailable", "25%"), replicas, False)
        if value == 0 and self._max_surge(deploy) == 0:
            value = 1
        return min(value, replicas)

    def _scale(self, deploy: dict, rs: dict, replicas: int) -> dict:
        current = rs["spec"].get("replicas", 0)
        desired = deploy["spec"].get("replicas", 1)
        annotations = {
            **rs["metadata"].get("annotations", {}),
            DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION: str(desired),
            DEPLOYMENT_MAX_REPLICAS_ANNOTATION: str(desired + self._max_surge(deploy)),
        }
        if current == replicas and annotations == rs["metadata"].get("annotations"):
            return rs
        new = dict(rs)
        new["metadata"] = {**rs["metadata"], "annotations": annotations}
        new["spec"] = {**rs["spec"], "replicas": replicas}
        updated = self.api.update(new, trusted=True)
        if current != replicas:
            verb = "up" if replicas > current else "down"
            self.api.record_event(
                deploy,
                "Normal",
                "ScalingReplicaSet",
                self.name,
                f"Scaled {verb} replica set {rs['metadata']['name']} from {current} to {replicas}",
            )
        return updated

    @staticmethod
    def _scaling_event(deploy: dict, all_rs: list[dict]) -> bool:
        """isScalingEvent: an active ReplicaSet was sized for another replica count."""
        desired = deploy["spec"].get("replicas", 1)
        for rs in all_rs:
            annotations = rs["metadata"].get("annotations") or {}
            wanted = annotations.get(DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION)
            if rs["spec"].get("replicas", 0) > 0 and wanted is not None and int(wanted) != desired:
                return True
        return False

    def _proportional_scale(self, deploy: dict, new_rs: dict, old: list[dict]) -> None:
        """sync.go `scale`: a replica count changed mid-rollout is shared out in proportion to
        each active ReplicaSet's size, largest first, leftovers to the largest; a single active
        (or, with none, the newest) ReplicaSet takes the whole count."""
        desired = deploy["spec"].get("replicas", 1)
        active = [rs for rs in [*old, new_rs] if rs["spec"].get("replicas", 0) > 0]
        if len(active) <= 1:
            newest = [new_rs] if new_rs is not None else sorted(old, key=self._created)[-1:]
            target = active[0] if active else newest[0]
            self._scale(deploy, target, desired)
            return
        if self._saturated(deploy, new_rs):
            for rs in active:
                if rs is not new_rs:
                    self._scale(deploy, rs, 0)
            return
        if deploy["spec"].get("strategy", {}).get("type") == "Recreate":
            return
        allowed = desired + self._max_surge(deploy) if desired > 0 else 0
        to_add = allowed - sum(rs["spec"]["replicas"] for rs in active)
        # ReplicaSetsBySizeNewer when adding, BySizeOlder when removing: same size, the newer
        # (adding) or the older (removing) first.
        newer_first = to_add > 0
        active.sort(key=self._created, reverse=newer_first)
        active.sort(key=lambda rs: rs["spec"]["replicas"], reverse=True)
        sizes: dict[str, int] = {}
        added = 0
        for rs in active:
            proportion = self._proportion(deploy, rs, to_add, added) if to_add else 0
            sizes[rs["metadata"]["name"]] = rs["spec"]["replicas"] + proportion
            added += proportion
        for index, rs in enumerate(active):
            name = rs["metadata"]["name"]
            if index == 0 and to_add:
                sizes[name] = max(sizes[name] + to_add - added, 0)
            self._scale(deploy, rs, sizes[name])

    @staticmethod
    def _created(rs: dict) -> tuple[str, str]:
        return rs["metadata"]["creationTimestamp"], rs["metadata"]["name"]

    @staticmethod
    def _saturated(deploy: dict, rs: dict) -> bool:
        """IsSaturated: the ReplicaSet is sized for, and has available, the whole count."""
        desired = deploy["spec"].get("replicas", 1)
        annotations = rs["metadata"].get("annotations") or {}
        return (
            rs["spec"].get("replicas", 0) == desired
            and annotations.get(DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION) == str(desired)
            and rs.get("status", {}).get("availableReplicas", 0) == desired
        )

    def _proportion(self, deploy: dict, rs: dict, to_add: int, added: int) -> int:
        """GetReplicaSetProportion: this ReplicaSet's share, never past what is left to add."""
        replicas = rs["spec"]["replicas"]
        if replicas == 0 or to_add == added:
            return 0
        desired = deploy["spec"].get("replicas", 1)
        if desired == 0:
            fraction = -replicas
        else:
            annotations = rs["metadata"].get("annotations") or {}
            before = int(annotations.get(DEPLOYMENT_MAX_REPLICAS_ANNOTATION) or 0)
            before = before or deploy.get("status", {}).get("replicas", 0)
            if before == 0:
                return 0
            scaled = replicas * (desired + self._max_surge(deploy)) / before
            fraction = int(math.floor(abs(scaled) + 0.5) * (1 if scaled >= 0 else -1)) - replicas
        allowed = to_add - added
        return min(fraction, allowed) if to_add > 0 else max(fraction, allowed)

    def _rolling(self, deploy: dict, new_rs: dict, old: list[dict]) -> None:
        desired = deploy["spec"].get("replicas", 1)
        active_old = [rs for rs in old if rs["spec"].get("replicas", 0) > 0]
        if not active_old:
            self._scale(deploy, new_rs, desired)
            return
        total = sum(rs["spec"].get("replicas", 0) for rs in [new_rs, *active_old])
        new_count = new_rs["spec"].get("replicas", 0)
        if new_count < desired:
            room = desired + self._max_surge(deploy) - total
            step = min(room, desired - new_count)
            if step > 0:
                new_rs = self._scale(deploy, new_rs, new_count + step)
                total += step
        elif new_count > desired:
            new_rs = self._scale(deploy, new_rs, desired)
            total -= new_count - desired
        min_available = desired - self._max_unavailable(deploy)
        new_unavailable = new_rs["spec"].get("replicas", 0) - new_rs.get("status", {}).get(
            "availableReplicas", 0
        )
        budget = total - min_available - new_unavailable
        for rs in active_old:
            if budget <= 0:
                break
            current = rs["spec"]["replicas"]
            unavailable = current - rs.get("status", {}).get("availableReplicas", 0)
            cut = min(current, max(budget, unavailable))
            self._scale(deploy, rs, current - cut)
            budget -= cut

    def _recreate(self, deploy: dict, new_rs: dict, old: list[dict]) -> None:
        for rs in old:
            if rs["spec"].get("replicas", 0):
                self._scale(deploy, rs, 0)
        namespace = deploy["metadata"]["namespace"]
        for rs in old:
            if self.owners.dependents(rs["metadata"]["uid"], "Pod"):
                return
        self._scale(
            deploy,
            self.store.require("ReplicaSet", namespace, new_rs["metadata"]["name"]),
            deploy["spec"].get("replicas", 1),
        )

    def _cleanup(self, deploy: dict, old: list[dict]) -> None:
        limit = deploy["spec"].get("revisionHistoryLimit", 10)
        idle = [
            rs
            for rs in old
            if rs["spec"].get("replicas", 0) == 0 and not rs.get("status", {}).get("replicas")
        ]
        for rs in idle[: max(0, len(idle) - limit)]:
            self.api.delete("ReplicaSet", rs["metadata"]["namespace"], rs["metadata"]["name"])

    def _update_status(self, deploy: dict, new_rs: dict | None, all_rs: list[dict]) -> None:
        desired = deploy["spec"].get("replicas", 1)

        def total(field: str) -> int:
            return sum(rs.get("status", {}).get(field, 0) for rs in all_rs)

        replicas = total("replicas")
        available = total("availableReplicas")
        updated = new_rs.get("status", {}).get("replicas", 0) if new_rs else 0
        status = {
            "observedGeneration": deploy["metadata"].get("generation", 1),
            "replicas": replicas,
            "updatedReplicas": updated,
            "readyReplicas": total("readyReplicas"),
            "availableReplicas": available,
        }
        unavailable = max(desired - available, 0)
        if unavailable:
            status["unavailableReplicas"] = unavailable
        status = {k: v for k, v in status.items() if v or k == "observedGeneration"}
        old_status = deploy.get("status", {})
        conditions = {c["type"]: c for c in old_status.get("conditions", [])}
        min_available = desired - self._max_unavailable(deploy)
        if available >= min_available:
            available_condition = (
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            )
        else:
            available_condition = (
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            )
        rs_name = new_rs["metadata"]["name"] if new_rs else ""
        complete = (
            new_rs is not None
            and updated == desired
            and replicas == desired
            and available == desired
        )
        if complete:
            progressing = (
                "True",
                "NewReplicaSetAvailable",
                f'ReplicaSet "{rs_name}" has successfully progressed.',
            )
        elif "Progressing" not in conditions:
            progressing = ("True", "NewReplicaSetCreated", f'Created new replica set "{rs_name}"')
        else:
            progressing = ("True", "ReplicaSetUpdated", f'ReplicaSet "{rs_name}" is progressing.')
        status["conditions"] = [
            self._condition(conditions.get("Available"), "Available", *available_condition),
            self._condition(conditions.get("Progressing"), "Progressing", *progressing),
        ]
        if old_status.get("collisionCount"):
            status["collisionCount"] = old_status["collisionCount"]
        if status != old_status:
            self.api.set_status(deploy, status)

    def _condition(
        self, old: dict | None, kind: str, state: str, reason: str, message: str
    ) -> dict:
        now = self.api.clock.timestamp()
        if old and (old["status"], old["reason"], old["message"]) == (state, reason, message):
            return old
        transition = old["lastTransitionTime"] if old and old["status"] == state else now
        return {
            "type": kind,
            "status": state,
            "lastUpdateTime": now,
            "lastTransitionTime": transition,
            "reason": reason,
            "message": message,
        }
