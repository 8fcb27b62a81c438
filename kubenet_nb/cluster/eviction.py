"""The pods/eviction subresource (policy/v1 Eviction): a delete PodDisruptionBudgets may refuse.

Follows kubernetes pkg/registry/core/pod/storage/eviction.go @ v1.33.0 (EvictionREST.Create,
canIgnorePDB, checkAndDecrement, createTooManyRequestsError, addConditionAndDeletePod). A pod
that is Pending, finished or already being deleted is deleted at once; otherwise its one
budget must allow a disruption: the budget's disruptionsAllowed is decremented and the pod
recorded in disruptedPods before the pod is deleted with the eviction's grace period. Deleting a
pod directly is never gated by budgets; only this subresource is.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.errors import KubenetError, StatusError
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.disruption import (
    disruption_allowed_condition,
    pdbs_for_pod,
)
from kubenet_nb.cluster.controllers.replicaset import is_ready
from kubenet_nb.cluster.store import clone

__all__ = ["MAX_DISRUPTED_POD_SIZE", "TooManyRequests", "evict", "evict_each"]

MAX_DISRUPTED_POD_SIZE = 2000
"""eviction.go MaxDisruptedPodSize: evictions the disruption controller has not yet confirmed."""
VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."
SUCCESS = {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Success"}


class TooManyRequests(StatusError):
    """HTTP 429 (errors.NewTooManyRequests) with the budget's `DisruptionBudget` cause."""

    code, reason = 429, "TooManyRequests"

    def __init__(self, message: str, cause: str) -> None:
        super().__init__(message)
        self.cause = cause

    @property
    def status(self) -> dict[str, Any]:
        return {
            **super().status,
            "details": {"causes": [{"reason": "DisruptionBudget", "message": self.cause}]},
        }


class BudgetForbidden(StatusError):
    """HTTP 403 on the budget (`poddisruptionbudget.policy "web" is forbidden: ...`)."""

    code, reason = 403, "Forbidden"

    def __init__(self, name: str, why: str) -> None:
        super().__init__(f'poddisruptionbudget.policy "{name}" is forbidden: {why}')


class EvictionFailure(StatusError):
    """The metav1.Status with code 500 and no reason the eviction returns for a pod under more
    than one budget."""

    code, reason = 500, ""


def can_ignore_pdb(pod: dict) -> bool:
    """canIgnorePDB: the pod is not running (Pending, Succeeded, Failed) or is being deleted."""
    phase = (pod.get("status") or {}).get("phase")
    return phase in ("Succeeded", "Failed", "Pending") or bool(
        pod["metadata"].get("deletionTimestamp")
    )


def evict(
    api: ApiServer, namespace: str, name: str, grace_period: int | None = None
) -> dict[str, Any]:
    """POST pods/NAME/eviction: the Success Status, or the refusal as a StatusError."""
    pod = api.store.require("Pod", namespace, name)
    if can_ignore_pdb(pod):
        _delete(api, pod, grace_period)
        return dict(SUCCESS)
    budgets = pdbs_for_pod(api.store, pod)
    if len(budgets) > 1:
        raise EvictionFailure(
            "This pod has more than one PodDisruptionBudget, which the eviction subresource "
            "does not support."
        )
    if budgets and _guarded(pod, budgets[0]):
        _check_and_decrement(api, budgets[0], name)
    _delete(api, pod, grace_period)
    return dict(SUCCESS)


def evict_each(
    api: ApiServer, pods: list[tuple[str, str]], grace_period: int | None = None
) -> list[KubenetError | None]:
    """Several evictions before any controller reacts: each one's refusal (None: evicted).
    A refusal is raised before the eviction writes anything, so the others stand."""
    results: list[KubenetError | None] = []
    for namespace, name in pods:
        try:
            evict(api, namespace, name, grace_period)
        except KubenetError as error:
            results.append(error)
        else:
            results.append(None)
    return results


def _guarded(pod: dict, pdb: dict) -> bool:
    """Whether the budget must allow this eviction: a ready pod always; an unready one unless
    the policy is AlwaysAllow or the budget is currently met (IfHealthyBudget, the default)."""
    if is_ready(pod):
        return True
    if (pdb.get("spec") or {}).get("unhealthyPodEvictionPolicy") == "AlwaysAllow":
        return False
    status = pdb.get("status") or {}
    desired = status.get("desiredHealthy", 0)
    return not (status.get("currentHealthy", 0) >= desired and desired > 0)


def _check_and_decrement(api: ApiServer, pdb: dict, pod_name: str) -> None:
    """checkAndDecrement: refuse while the budget allows no disruption, else take one."""
    name = pdb["metadata"]["name"]
    status = clone(pdb.get("status") or {})
    if status.get("observedGeneration", 0) < pdb["metadata"].get("generation", 0):
        raise TooManyRequests(
            VIOLATION, f"The disruption budget {name} is still being processed by the server."
        )
    allowed = status.get("disruptionsAllowed", 0)
    if allowed < 0:
        raise BudgetForbidden(name, "pdb disruptions allowed is negative")
    if len(status.get("disruptedPods") or {}) > MAX_DISRUPTED_POD_SIZE:
        raise BudgetForbidden(
            name, "DisruptedPods map too big - too many evictions not confirmed by PDB controller"
        )
    if allowed == 0:
        raise TooManyRequests(
            VIOLATION,
            f"The disruption budget {name} needs {status.get('desiredHealthy', 0)} healthy pods "
            f"and has {status.get('currentHealthy', 0)} currently",
        )
    status["disruptionsAllowed"] = allowed - 1
    if allowed == 1:
        status["conditions"] = disruption_allowed_condition(status, api.clock.timestamp())
    status["disruptedPods"] = {
        **(status.get("disruptedPods") or {}),
        pod_name: api.clock.timestamp(),
    }
    api.set_status(pdb, status)


def _delete(api: ApiServer, pod: dict, grace_period: int | None) -> None:
    """addConditionAndDeletePod: DisruptionTarget True (EvictionByEvictionAPI), then DELETE."""
    meta = pod["metadata"]
    if not meta.get("deletionTimestamp"):
        status = clone(pod.get("status") or {})
        conditions = [c for c in status.get("conditions") or [] if c["type"] != "DisruptionTarget"]
        conditions.append(
            {
                "type": "DisruptionTarget",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": api.clock.timestamp(),
                "reason": "EvictionByEvictionAPI",
                "message": "Eviction API: evicting",
            }
        )
        status["conditions"] = conditions
        pod = api.set_status(pod, status)
    api.delete("Pod", meta["namespace"], meta["name"], grace_period)
