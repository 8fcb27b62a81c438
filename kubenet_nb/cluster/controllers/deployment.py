"""The Deployment controller: one ReplicaSet per pod template, rolled out per the strategy.

The ReplicaSet for a template is `<deployment>-<pod-template-hash>`. Upstream hashes the template
with FNV-32a over Go's object dump and encodes the decimal digits with SafeEncodeString; we hash
a canonical JSON dump the same way, so hashes look like upstream's (`7c5ddbdf54`) but are not
byte-identical to a real cluster's. Rolling updates follow pkg/controller/deployment/rolling.go:
scale the new ReplicaSet up within maxSurge, scale old ones down within maxUnavailable. A change
of the replica count mid-rollout is a scaling event (sync.go `isScalingEvent`, `scale`): the new
count is shared out among the active ReplicaSets in proportion to their sizes.

A rollout waits on availability, not readiness: old ReplicaSets shrink only while enough pods
are available (the ReplicaSet controller counts a pod available `minReadySeconds` after it
became Ready). The status follows progress.go: `Progressing` (NewReplicaSetCreated,
FoundNewReplicaSet, ReplicaSetUpdated, NewReplicaSetAvailable, ProgressDeadlineExceeded once
`progressDeadlineSeconds` pass without progress, checked by a requeue on the simulated clock)
and `Available` (MinimumReplicasAvailable or MinimumReplicasUnavailable).
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

from kubenet_nb.api.well_known import (
    DEPLOYMENT_DESIRED_REPLICAS_ANNOTATION,
    DEPLOYMENT_MAX_REPLICAS_ANNOTATION,
    DEPLOYMENT_REVISION_ANNOTATION,
    LAST_APPLIED_ANNOTATION,
    POD_TEMPLATE_HASH_LABEL,
)
from kubenet_nb.cluster.controllers.template_hash import pod_template_hash
from kubenet_nb.cluster.controllers.workload import WorkloadController
from kubenet_nb.cluster.store import clone

__all__ = ["NOT_COPIED_ANNOTATIONS", "DeploymentController"]

MAX_INT32 = 2**31 - 1

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
        """syncDeployment: paused and scaling events only resize (`sync`), else the strategy's
        rollout; each path ends by writing the status it sees."""
        deploy = self.store.get("Deployment", namespace, name)
        if deploy is None or deploy["metadata"].get("deletionTimestamp"):
            return
        deploy = self._check_paused_conditions(deploy)
        all_rs = self._replica_sets(deploy)
        wanted = _template_without_hash(deploy["spec"]["template"])
        new_rs = next(
            (rs for rs in all_rs if _template_without_hash(rs["spec"]["template"]) == wanted), None
        )
        old = [rs for rs in all_rs if rs is not new_rs]
        if deploy["spec"].get("paused"):
            self._sync_status(deploy, new_rs, all_rs, rollout=False)
            return
        if new_rs is not None and self._scaling_event(deploy, all_rs):
            self._proportional_scale(deploy, new_rs, old)
            self._sync_status(deploy, new_rs, self._replica_sets(deploy), rollout=False)
            return
        new_rs, deploy = self._new_replica_set(deploy, new_rs, old)
        scaled = False
        if deploy["spec"].get("strategy", {}).get("type") == "Recreate":
            self._recreate(deploy, new_rs, old)
        else:
            scaled = self._rolling(deploy, new_rs, old)
        if not scaled and self._complete(deploy, deploy.get("status") or {}):
            self._cleanup(deploy, old)
        self._sync_status(
            deploy,
            self.store.get("ReplicaSet", namespace, new_rs["metadata"]["name"]),
            self._replica_sets(deploy),
            rollout=True,
        )

    def _new_replica_set(
        self, deploy: dict, new_rs: dict | None, old: list[dict]
    ) -> tuple[dict, dict]:
        """getNewReplicaSet: the new ReplicaSet, created (`NewReplicaSetCreated`) or brought up
        to date (revision, annotations, minReadySeconds; `FoundNewReplicaSet` when the
        Deployment has no Progressing condition yet), and the Deployment as it now is."""
        if new_rs is None:
            new_rs = self._create_replica_set(deploy, old)
            message = f'Created new replica set "{new_rs["metadata"]["name"]}"'
            deploy = self._set_progressing(deploy, "True", "NewReplicaSetCreated", message)
        else:
            if self._revision(new_rs) < self._max_revision(old):
                new_rs = self._set_revision(new_rs, self._max_revision(old) + 1)
            new_rs = self._copy_annotations(deploy, new_rs)
            min_ready = deploy["spec"].get("minReadySeconds", 0)
            if new_rs["spec"].get("minReadySeconds", 0) != min_ready:
                spec = {**new_rs["spec"], "minReadySeconds": min_ready}
                new_rs = self.api.update({**new_rs, "spec": spec}, trusted=True)
            if _progressing(deploy) is None:
                message = f'Found new replica set "{new_rs["metadata"]["name"]}"'
                deploy = self._set_progressing(deploy, "True", "FoundNewReplicaSet", message)
        return new_rs, self._set_revision(deploy, self._revision(new_rs))

    def _set_progressing(self, deploy: dict, state: str, reason: str, message: str) -> dict:
        """The Progressing condition set (SetDeploymentCondition) and written, as getNewReplicaSet
        and checkPausedConditions write it before the rollout goes on."""
        if not _has_progress_deadline(deploy):
            return deploy
        status = deploy.get("status") or {}
        conditions = self._set_condition(
            status.get("conditions") or [], "Progressing", state, reason, message
        )
        if conditions == status.get("conditions"):
            return deploy
        return self.api.set_status(deploy, {**status, "conditions": conditions})

    def _check_paused_conditions(self, deploy: dict) -> dict:
        """checkPausedConditions: Progressing Unknown `DeploymentPaused` while paused,
        `DeploymentResumed` once resumed; a timed-out rollout keeps its condition."""
        current = _progressing(deploy)
        if current is not None and current["reason"] == "ProgressDeadlineExceeded":
            return deploy
        paused_before = current is not None and current["reason"] == "DeploymentPaused"
        if deploy["spec"].get("paused") and not paused_before:
            return self._set_progressing(
                deploy, "Unknown", "DeploymentPaused", "Deployment is paused"
            )
        if not deploy["spec"].get("paused") and paused_before:
            return self._set_progressing(
                deploy, "Unknown", "DeploymentResumed", "Deployment is resumed"
            )
        return deploy

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
            "spec": {
                "replicas": 0,
                "minReadySeconds": deploy["spec"].get("minReadySeconds", 0),
                "selector": selector,
                "template": template,
            },
        }
        created = self.api.create(rs, trusted=True)
        if not any(r["spec"].get("replicas", 0) for r in old):
            self._scale(deploy, created, replicas)
        return self.store.require("ReplicaSet", meta["namespace"], created["metadata"]["name"])

    def _max_surge(self, deploy: dict) -> int:
        rolling = deploy["spec"].get("strategy", {}).get("rollingUpdate", {})
        return _resolve(rolling.get("maxSurge", "25%"), deploy["spec"].get("replicas", 1), True)

    def _max_unavailable(self, deploy: dict) -> int:
        """MaxUnavailable: 0 for Recreate or no replicas, at most the replica count."""
        strategy = deploy["spec"].get("strategy", {})
        replicas = deploy["spec"].get("replicas", 1)
        if strategy.get("type") == "Recreate" or replicas == 0:
            return 0
        rolling = strategy.get("rollingUpdate", {})
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

    def _rolling(self, deploy: dict, new_rs: dict, old: list[dict]) -> bool:
        """rolloutRolling: scale the new ReplicaSet up within maxSurge; only if it did not
        change, scale old ones down within maxUnavailable. Whether a ReplicaSet was scaled."""
        if self._reconcile_new(deploy, new_rs, old):
            return True
        return self._reconcile_old(deploy, new_rs, old)

    def _reconcile_new(self, deploy: dict, new_rs: dict, old: list[dict]) -> bool:
        """reconcileNewReplicaSet and NewRSNewReplicas: up to desired, within desired +
        maxSurge pods over all ReplicaSets' spec.replicas (terminating pods not counted)."""
        desired = deploy["spec"].get("replicas", 1)
        current = new_rs["spec"].get("replicas", 0)
        if current == desired:
            return False
        if current > desired:
            return self._scale(deploy, new_rs, desired) is not new_rs
        total = sum(rs["spec"].get("replicas", 0) for rs in [new_rs, *old])
        room = desired + self._max_surge(deploy) - total
        if room <= 0:
            return False
        return self._scale(deploy, new_rs, current + min(room, desired - current)) is not new_rs

    def _reconcile_old(self, deploy: dict, new_rs: dict, old: list[dict]) -> bool:
        """reconcileOldReplicaSets: with maxScaledDown = all pods - minAvailable - the new
        ReplicaSet's unavailable pods, first old ReplicaSets' unavailable pods go
        (cleanupUnhealthyReplicas), then available ones while more than minAvailable pods are
        available (scaleDownOldReplicaSetsForRollingUpdate), oldest ReplicaSet first."""
        old = sorted((rs for rs in old if rs["spec"].get("replicas", 0) > 0), key=self._created)
        if not old:
            return False
        desired = deploy["spec"].get("replicas", 1)
        min_available = desired - self._max_unavailable(deploy)
        total = sum(rs["spec"].get("replicas", 0) for rs in [new_rs, *old])
        new_unavailable = new_rs["spec"].get("replicas", 0) - _available(new_rs)
        max_scaled_down = total - min_available - new_unavailable
        if max_scaled_down <= 0:
            return False
        scaled = 0
        for index, rs in enumerate(old):
            if scaled >= max_scaled_down:
                break
            replicas = rs["spec"]["replicas"]
            unhealthy = replicas - _available(rs)
            if unhealthy <= 0:
                continue
            cut = min(max_scaled_down - scaled, unhealthy)
            old[index] = self._scale(deploy, rs, replicas - cut)
            scaled += cut
        available = sum(_available(rs) for rs in [new_rs, *old])
        budget = available - min_available
        for rs in old:
            if budget <= 0:
                break
            replicas = rs["spec"].get("replicas", 0)
            if replicas == 0:
                continue
            cut = min(replicas, budget)
            self._scale(deploy, rs, replicas - cut)
            budget -= cut
            scaled += cut
        return scaled > 0

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
        """cleanupDeployment: beyond revisionHistoryLimit, the idle old ReplicaSets of the
        lowest revisions are deleted."""
        limit = deploy["spec"].get("revisionHistoryLimit", 10)
        idle = [
            rs
            for rs in old
            if rs["spec"].get("replicas", 0) == 0
            and not rs.get("status", {}).get("replicas")
            and not rs["metadata"].get("deletionTimestamp")
        ]
        idle.sort(key=lambda rs: (self._revision(rs), *self._created(rs)))
        for rs in idle[: max(0, len(idle) - limit)]:
            self.api.delete("ReplicaSet", rs["metadata"]["namespace"], rs["metadata"]["name"])

    def _calculate_status(self, deploy: dict, new_rs: dict | None, all_rs: list[dict]) -> dict:
        """calculateStatus: the counts over the ReplicaSets, the conditions kept, and the
        Available condition against minAvailable (replicas - maxUnavailable)."""
        desired = deploy["spec"].get("replicas", 1)

        def total(field: str) -> int:
            return sum(rs.get("status", {}).get(field, 0) for rs in all_rs)

        available = total("availableReplicas")
        sized = sum(rs["spec"].get("replicas", 0) for rs in all_rs)
        old_status = deploy.get("status") or {}
        status = {
            "observedGeneration": deploy["metadata"].get("generation", 1),
            "replicas": total("replicas"),
            "updatedReplicas": new_rs.get("status", {}).get("replicas", 0) if new_rs else 0,
            "readyReplicas": total("readyReplicas"),
            "availableReplicas": available,
            "unavailableReplicas": max(sized - available, 0),
        }
        status = {k: v for k, v in status.items() if v or k == "observedGeneration"}
        conditions = old_status.get("conditions") or []
        if available >= desired - self._max_unavailable(deploy):
            conditions = self._set_condition(
                conditions,
                "Available",
                "True",
                "MinimumReplicasAvailable",
                "Deployment has minimum availability.",
            )
        else:
            conditions = self._set_condition(
                conditions,
                "Available",
                "False",
                "MinimumReplicasUnavailable",
                "Deployment does not have minimum availability.",
            )
        status["conditions"] = conditions
        if old_status.get("collisionCount"):
            status["collisionCount"] = old_status["collisionCount"]
        return status

    def _sync_status(
        self, deploy: dict, new_rs: dict | None, all_rs: list[dict], *, rollout: bool
    ) -> None:
        """syncDeploymentStatus (`rollout` False: a paused or scaling sync estimates no
        progress) or syncRolloutStatus (progress.go): the Progressing condition moves to
        NewReplicaSetAvailable once complete, ReplicaSetUpdated on any progress (its
        lastUpdateTime refreshed), ProgressDeadlineExceeded once progressDeadlineSeconds have
        passed since then; an unchanged status requeues the Deployment for that deadline."""
        status = self._calculate_status(deploy, new_rs, all_rs)
        if rollout and _has_progress_deadline(deploy):
            status = self._progress(deploy, new_rs, status)
        if status != deploy.get("status"):
            self.api.set_status(deploy, status)
        elif rollout:
            self._requeue_stuck(deploy, status)

    def _progress(self, deploy: dict, new_rs: dict | None, status: dict) -> dict:
        """syncRolloutStatus's switch: complete, progressing, or timed out."""
        current = _progressing(deploy)
        name = new_rs["metadata"]["name"] if new_rs else ""
        if (
            status.get("replicas", 0) == status.get("updatedReplicas", 0)
            and current is not None
            and current["reason"] == "NewReplicaSetAvailable"
        ):
            return status
        conditions = status["conditions"]
        if self._complete(deploy, status):
            conditions = self._set_condition(
                conditions,
                "Progressing",
                "True",
                "NewReplicaSetAvailable",
                f'ReplicaSet "{name}" has successfully progressed.',
            )
        elif _made_progress(deploy.get("status") or {}, status):
            now = self.api.clock.timestamp()
            transition = now
            if current is not None and current["status"] == "True":
                transition = current["lastTransitionTime"]
            conditions = [c for c in conditions if c["type"] != "Progressing"]
            conditions.append(
                {
                    "type": "Progressing",
                    "status": "True",
                    "lastUpdateTime": now,
                    "lastTransitionTime": transition,
                    "reason": "ReplicaSetUpdated",
                    "message": f'ReplicaSet "{name}" is progressing.',
                }
            )
        elif self._timed_out(deploy):
            conditions = self._set_condition(
                conditions,
                "Progressing",
                "False",
                "ProgressDeadlineExceeded",
                f'ReplicaSet "{name}" has timed out progressing.',
            )
        return {**status, "conditions": conditions}

    @staticmethod
    def _complete(deploy: dict, status: dict) -> bool:
        """DeploymentComplete: every replica updated and available, no old one left."""
        desired = deploy["spec"].get("replicas", 1)
        return (
            status.get("updatedReplicas", 0) == desired
            and status.get("replicas", 0) == desired
            and status.get("availableReplicas", 0) == desired
            and status.get("observedGeneration", 0) >= deploy["metadata"].get("generation", 1)
        )

    def _deadline(self, deploy: dict) -> float | None:
        """The clock second progressDeadlineSeconds after the Progressing condition's last
        update (None without a condition to measure from)."""
        current = _progressing(deploy)
        if current is None:
            return None
        updated = _seconds(current["lastUpdateTime"])
        clock = self.api.clock
        return (
            clock.seconds
            + updated
            + deploy["spec"]["progressDeadlineSeconds"]
            - (clock.now.timestamp())
        )

    def _timed_out(self, deploy: dict) -> bool:
        """DeploymentTimedOut: the deadline is strictly past (`from.Add(delta).Before(now)`)."""
        current = _progressing(deploy)
        if current is None or current["reason"] == "NewReplicaSetAvailable":
            return False
        if current["reason"] == "ProgressDeadlineExceeded":
            return True
        deadline = self._deadline(deploy)
        return deadline is not None and deadline < self.api.clock.seconds

    def _requeue_stuck(self, deploy: dict, status: dict) -> None:
        """requeueStuckDeployment: look again a second after the deadline (upstream adds the
        second against clock skew), unless complete or already timed out."""
        current = _progressing(deploy)
        if current is None or current["reason"] == "ProgressDeadlineExceeded":
            return
        if self._complete(deploy, status):
            return
        deadline = self._deadline(deploy)
        if deadline is not None:
            meta = deploy["metadata"]
            now = self.api.clock.seconds
            self.requeue_at((meta["namespace"], meta["name"]), max(deadline + 1, now))

    def _set_condition(
        self, conditions: list[dict], kind: str, state: str, reason: str, message: str
    ) -> list[dict]:
        """SetDeploymentCondition: nothing changes when status and reason hold; otherwise the
        new condition goes last, keeping lastTransitionTime when only the reason changed."""
        old = next((c for c in conditions if c["type"] == kind), None)
        if old is not None and (old["status"], old["reason"]) == (state, reason):
            return conditions
        now = self.api.clock.timestamp()
        transition = old["lastTransitionTime"] if old and old["status"] == state else now
        condition = {
            "type": kind,
            "status": state,
            "lastUpdateTime": now,
            "lastTransitionTime": transition,
            "reason": reason,
            "message": message,
        }
        return [*(c for c in conditions if c["type"] != kind), condition]


def _available(rs: dict) -> int:
    return rs.get("status", {}).get("availableReplicas", 0)


def _progressing(deploy: dict) -> dict | None:
    conditions = (deploy.get("status") or {}).get("conditions") or ()
    return next((c for c in conditions if c["type"] == "Progressing"), None)


def _has_progress_deadline(deploy: dict) -> bool:
    """HasProgressDeadline: set, and not math.MaxInt32 (which means no deadline)."""
    deadline = deploy["spec"].get("progressDeadlineSeconds")
    return deadline is not None and deadline != MAX_INT32


def _made_progress(old: dict, new: dict) -> bool:
    """DeploymentProgressing: more updated, fewer old, more ready or more available replicas."""

    def old_replicas(status: dict) -> int:
        return status.get("replicas", 0) - status.get("updatedReplicas", 0)

    return (
        new.get("updatedReplicas", 0) > old.get("updatedReplicas", 0)
        or old_replicas(new) < old_replicas(old)
        or new.get("readyReplicas", 0) > old.get("readyReplicas", 0)
        or new.get("availableReplicas", 0) > old.get("availableReplicas", 0)
    )


def _seconds(timestamp: str) -> float:
    """metav1.Time text as POSIX seconds."""
    moment = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ")
    return moment.replace(tzinfo=timezone.utc).timestamp()
