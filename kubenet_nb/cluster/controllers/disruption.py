"""The disruption controller: each PodDisruptionBudget's status, which the eviction API reads.

Follows kubernetes pkg/controller/disruption/disruption.go @ v1.33.0 (trySync,
getExpectedPodCount, getExpectedScale and its finders, countHealthyPods, buildDisruptedPodMap,
updatePdbStatus, failSafe) and pkg/apis/policy/helper UpdateDisruptionAllowedCondition. A
budget is synced when it or a pod it selects changes, and again when a pod the eviction API
marked as disrupted is due to be gone (`DELETION_TIMEOUT_SECONDS` after its eviction).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from kubenet_nb.api.selectors import SelectorError, selector_from_label_selector
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.controllers.replicaset import is_ready
from kubenet_nb.cluster.ownership import controller_of
from kubenet_nb.cluster.store import Store, WatchEvent, clone
from kubenet_nb.cluster.timers import Timers

__all__ = [
    "DELETION_TIMEOUT_SECONDS",
    "DisruptionController",
    "disruption_allowed_condition",
    "pdbs_for_pod",
]

SOURCE = "controllermanager"
"""The event source the disruption controller's recorder is created with."""
DELETION_TIMEOUT_SECONDS = 120
"""disruption.go DeletionTimeout: how long an evicted pod counts as disrupted, not healthy."""
_SCALED_OWNERS = {
    ("apps", "ReplicaSet"),
    ("apps", "StatefulSet"),
    ("", "ReplicationController"),
    ("apps", "Deployment"),
}


class ExpectedCountError(Exception):
    """getExpectedPodCount's error (CalculateExpectedPodCountFailed, then failSafe)."""


def _group(api_version: str) -> str:
    return api_version.split("/")[0] if "/" in api_version else ""


def scaled_value(value: int | str, total: int) -> int:
    """intstr.GetScaledValueFromIntOrPercent, rounding up."""
    if isinstance(value, int):
        return value
    return math.ceil(int(value.rstrip("%")) * total / 100)


def pdbs_for_pod(store: Store, pod: dict) -> list[dict]:
    """The budgets of the pod's namespace whose selector matches its labels (policy/v1: an
    empty selector matches every pod, a missing one none; a malformed one is skipped)."""
    labels = pod["metadata"].get("labels") or {}
    found = []
    for pdb in store.list("PodDisruptionBudget", pod["metadata"]["namespace"]):
        try:
            selector = selector_from_label_selector((pdb.get("spec") or {}).get("selector"))
        except SelectorError:
            continue
        if selector.matches(labels):
            found.append(pdb)
    return found


def disruption_allowed_condition(status: dict, now: str) -> list[dict]:
    """UpdateDisruptionAllowedCondition with apimeta.SetStatusCondition: SufficientPods while
    disruptions are allowed, else InsufficientPods; the time moves only with the status."""
    allowed = status.get("disruptionsAllowed", 0) > 0
    wanted = {
        "type": "DisruptionAllowed",
        "status": "True" if allowed else "False",
        "observedGeneration": status.get("observedGeneration", 0),
        "lastTransitionTime": now,
        "reason": "SufficientPods" if allowed else "InsufficientPods",
        "message": "",
    }
    return _set_condition(status.get("conditions") or [], wanted)


def _set_condition(conditions: list[dict], wanted: dict) -> list[dict]:
    """apimeta.SetStatusCondition: replace the condition of that type, keeping its transition
    time when the status did not change."""
    result = []
    for condition in conditions:
        if condition.get("type") != wanted["type"]:
            result.append(condition)
            continue
        if condition.get("status") == wanted["status"]:
            wanted = {**wanted, "lastTransitionTime": condition.get("lastTransitionTime")}
        result.append(wanted)
        wanted = {}
    if wanted:
        result.append(wanted)
    return result


class DisruptionController(Controller):
    """Reconciles PodDisruptionBudgets keyed by (namespace, name)."""

    name = "disruption-controller"

    def __init__(self, store: Store, api: ApiServer, timers: Timers) -> None:
        super().__init__()
        self.store, self.api, self.timers = store, api, timers

    def handle(self, event: WatchEvent) -> None:
        if event.replay:
            return
        if event.kind == "PodDisruptionBudget" and event.obj is not None:
            self.enqueue(event.obj["metadata"]["namespace"], event.obj["metadata"]["name"])
        elif event.kind == "Pod":
            for pod in (event.old, event.obj):
                if pod is not None:
                    for pdb in pdbs_for_pod(self.store, pod):
                        self.enqueue(pdb["metadata"]["namespace"], pdb["metadata"]["name"])

    def reconcile(self, namespace: str, name: str) -> None:
        pdb = self.store.get("PodDisruptionBudget", namespace, name)
        if pdb is None:
            return
        pods = self._pods(pdb)
        if not pods:
            self._event(pdb, "Normal", "NoPods", "No matching pods found")
        try:
            expected, desired, unmanaged = self._expected_count(pdb, pods)
        except ExpectedCountError as error:
            self._event(
                pdb,
                "Warning",
                "CalculateExpectedPodCountFailed",
                f"Failed to calculate the number of expected pods: {error}",
            )
            self._fail_safe(pdb, str(error))
            return
        if unmanaged:
            self._event(
                pdb,
                "Warning",
                "UnmanagedPods",
                "Pods selected by this PodDisruptionBudget (selector: "
                f"{_go_selector(pdb['spec'].get('selector'))}) were found to be unmanaged. As a "
                "result, the status of the PDB cannot be calculated correctly, which may result "
                'in undefined behavior. To account for these pods please set ".spec.minAvailable" '
                "field of the PDB to an integer value.",
            )
        disrupted, recheck = self._disrupted_pods(pdb, pods)
        now = self.api.clock.now
        healthy = sum(
            1
            for pod in pods
            if not pod["metadata"].get("deletionTimestamp")
            and pod["metadata"]["name"] not in disrupted
            and is_ready(pod)
        )
        self._update_status(pdb, healthy, desired, expected, disrupted)
        if recheck is not None:
            due = self.api.clock.seconds + max((recheck - now).total_seconds(), 0.0)
            self.timers.at(due, lambda: self.enqueue(namespace, name))

    def _event(self, pdb: dict, type_: str, reason: str, message: str) -> None:
        self.api.record_event(pdb, type_, reason, SOURCE, message)

    def _pods(self, pdb: dict) -> list[dict]:
        """getPodsForPdb: the namespace's pods the selector matches."""
        try:
            selector = selector_from_label_selector(pdb["spec"].get("selector"))
        except SelectorError:
            return []
        return [
            pod
            for pod in self.store.list("Pod", pdb["metadata"]["namespace"])
            if selector.matches(pod["metadata"].get("labels") or {})
        ]

    def _expected_count(self, pdb: dict, pods: list[dict]) -> tuple[int, int, list[str]]:
        """getExpectedPodCount: (expectedPods, desiredHealthy, unmanaged pod names)."""
        spec = pdb["spec"]
        if spec.get("maxUnavailable") is not None:
            expected, unmanaged = self._expected_scale(pods)
            desired = max(expected - scaled_value(spec["maxUnavailable"], expected), 0)
            return expected, desired, unmanaged
        minimum = spec.get("minAvailable")
        if isinstance(minimum, int):
            return len(pods), minimum, []
        if isinstance(minimum, str):
            expected, unmanaged = self._expected_scale(pods)
            return expected, scaled_value(minimum, expected), unmanaged
        return 0, 0, []

    def _expected_scale(self, pods: list[dict]) -> tuple[int, list[str]]:
        """getExpectedScale: the sum of the scales of the pods' controllers."""
        scales: dict[str, int] = {}
        unmanaged = []
        for pod in pods:
            ref = controller_of(pod)
            if ref is None:
                unmanaged.append(pod["metadata"]["name"])
                continue
            if ref.get("uid") in scales:
                continue
            found = self._scale_of(ref, pod["metadata"]["namespace"])
            if found is None:
                raise ExpectedCountError(
                    f'found no controllers for pod "{pod["metadata"]["name"]}"'
                )
            scales[found[0]] = found[1]
        return sum(scales.values()), unmanaged

    def _scale_of(self, ref: dict, namespace: str) -> tuple[str, int] | None:
        """The finders: a ReplicaSet's Deployment when it has one, else the ReplicaSet,
        StatefulSet or ReplicationController itself; other kinds have no scale subresource."""
        group, kind = _group(ref.get("apiVersion", "")), ref.get("kind", "")
        if (group, kind) not in _SCALED_OWNERS:
            resources = self.store.resources
            if resources.has_kind(kind):
                info = resources.by_kind(kind)
                plural = f"{info.plural}.{info.group}" if info.group else info.plural
                raise ExpectedCountError(f"{plural} does not implement the scale subresource")
            raise ExpectedCountError(f'no matches for kind "{kind}" in group "{group}"')
        owner = self.store.get(kind, namespace, ref.get("name", ""))
        if owner is None or owner["metadata"]["uid"] != ref.get("uid"):
            return None
        if kind == "ReplicaSet":
            parent = controller_of(owner)
            if parent is not None and parent.get("kind") == "Deployment":
                deployment = self.store.get("Deployment", namespace, parent.get("name", ""))
                if deployment is None or deployment["metadata"]["uid"] != parent.get("uid"):
                    return None
                owner = deployment
        return owner["metadata"]["uid"], owner["spec"].get("replicas", 1)

    def _disrupted_pods(self, pdb: dict, pods: list[dict]) -> tuple[dict, datetime | None]:
        """buildDisruptedPodMap: evicted pods not yet being deleted, within the timeout."""
        marked = (pdb.get("status") or {}).get("disruptedPods") or {}
        result: dict[str, str] = {}
        recheck: datetime | None = None
        now = self.api.clock.now
        for pod in pods:
            name = pod["metadata"]["name"]
            if pod["metadata"].get("deletionTimestamp") or name not in marked:
                continue
            expected = datetime.fromisoformat(marked[name]) + timedelta(
                seconds=DELETION_TIMEOUT_SECONDS
            )
            if expected < now:
                # upstream formats the budget's namespace twice
                namespace = pdb["metadata"]["namespace"]
                self.api.record_event(
                    pod,
                    "Warning",
                    "NotDeleted",
                    SOURCE,
                    f"Pod was expected by PDB {namespace}/{namespace} to be deleted but it wasn't",
                )
                continue
            result[name] = marked[name]
            if recheck is None or expected < recheck:
                recheck = expected
        return result, recheck

    def _update_status(
        self, pdb: dict, healthy: int, desired: int, expected: int, disrupted: dict
    ) -> None:
        """updatePdbStatus: written only when a number, the map or the condition changed."""
        allowed = healthy - desired
        if expected <= 0 or allowed <= 0:
            allowed = 0
        old = pdb.get("status") or {}
        status: dict = {
            "currentHealthy": healthy,
            "desiredHealthy": desired,
            "expectedPods": expected,
            "disruptionsAllowed": allowed,
        }
        if disrupted:
            status["disruptedPods"] = disrupted
        generation = pdb["metadata"].get("generation", 0)
        if generation:
            status["observedGeneration"] = generation
        status["conditions"] = old.get("conditions") or []
        status["conditions"] = disruption_allowed_condition(status, self.api.clock.timestamp())
        if status != old:
            self.api.set_status(pdb, status)

    def _fail_safe(self, pdb: dict, message: str) -> None:
        """failSafe: no disruptions allowed, condition SyncFailed with the error."""
        status = clone(pdb.get("status") or {})
        status["disruptionsAllowed"] = 0
        wanted = {
            "type": "DisruptionAllowed",
            "status": "False",
            "observedGeneration": status.get("observedGeneration", 0),
            "lastTransitionTime": self.api.clock.timestamp(),
            "reason": "SyncFailed",
            "message": message,
        }
        status["conditions"] = _set_condition(status.get("conditions") or [], wanted)
        if status != pdb.get("status"):
            self.api.set_status(pdb, status)


def _go_selector(selector: dict | None) -> str:
    """`%v` of a *metav1.LabelSelector (its String(): `&LabelSelector{MatchLabels:...}`)."""
    if selector is None:
        return "nil"
    labels = selector.get("matchLabels") or {}
    pairs = ",".join(f"{k}: {v}," for k, v in sorted(labels.items()))
    match = f"map[string]string{{{pairs}}}"
    expressions = selector.get("matchExpressions") or []
    shown = "".join(
        f"LabelSelectorRequirement{{Key:{e.get('key', '')},Operator:{e.get('operator', '')},"
        f"Values:[{' '.join(e.get('values') or [])}],}},"
        for e in expressions
    )
    return (
        f"&LabelSelector{{MatchLabels:{match},"
        f"MatchExpressions:[]LabelSelectorRequirement{{{shown}}},}}"
    )
