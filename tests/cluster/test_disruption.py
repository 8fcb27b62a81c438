"""PodDisruptionBudget status from the disruption controller, and the eviction subresource.

Pinned to kubernetes pkg/controller/disruption/disruption.go @ v1.33.0 (getExpectedPodCount,
getExpectedScale, countHealthyPods, updatePdbStatus, failSafe), pkg/apis/policy/helper
UpdateDisruptionAllowedCondition and pkg/registry/core/pod/storage/eviction.go @ v1.33.0
(canIgnorePDB, checkAndDecrement, addConditionAndDeletePod).
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import NotFound
from kubenet_nb.cluster.eviction import EvictionFailure, TooManyRequests, evict

VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget."


def _cluster(replicas: int = 2, probe: bool = False) -> Cluster:
    c = Cluster()
    container: dict = {"name": "nginx", "image": "nginx"}
    if probe:
        container["readinessProbe"] = {"httpGet": {"path": "/", "port": 80}}
    c.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": replicas,
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {"containers": [container]},
                },
            },
        }
    )
    c.advance(30)
    return c


def _pdb(c: Cluster, name: str = "web-pdb", namespace: str = "default", **spec: object) -> dict:
    selector = spec.pop("selector", {"matchLabels": {"app": "web"}})
    return c.create(
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": name, "namespace": namespace},
            "spec": {**spec, "selector": selector},
        }
    )


def _numbers(c: Cluster, name: str = "web-pdb", namespace: str = "default") -> tuple:
    status = c.get("pdb", name, namespace)["status"]
    return (
        status["currentHealthy"],
        status["desiredHealthy"],
        status["expectedPods"],
        status["disruptionsAllowed"],
    )


def _pods(c: Cluster) -> list[str]:
    return [p["metadata"]["name"] for p in c.list("pods", selector="app=web")]


def test_min_available_integer_counts_the_selected_pods() -> None:
    c = _cluster(replicas=2)
    _pdb(c, minAvailable=2)
    status = c.get("pdb", "web-pdb")["status"]
    assert _numbers(c) == (2, 2, 2, 0)
    assert status["observedGeneration"] == 1
    assert status["conditions"] == [
        {
            "type": "DisruptionAllowed",
            "status": "False",
            "observedGeneration": 1,
            "lastTransitionTime": status["conditions"][0]["lastTransitionTime"],
            "reason": "InsufficientPods",
            "message": "",
        }
    ]
    assert c.kubectl("get pdb").splitlines()[1].split()[:4] == ["web-pdb", "2", "N/A", "0"]


def test_scaling_up_allows_disruptions_and_flips_the_condition() -> None:
    c = _cluster(replicas=2)
    _pdb(c, minAvailable=2)
    c.kubectl("scale deployment web --replicas=3")
    assert _numbers(c) == (3, 2, 3, 1)
    condition = c.get("pdb", "web-pdb")["status"]["conditions"][0]
    assert (condition["status"], condition["reason"]) == ("True", "SufficientPods")


@pytest.mark.parametrize(
    ("spec", "numbers"),
    [
        # expectedPods is the controller's scale: a Deployment's spec.replicas
        ({"maxUnavailable": 1}, (4, 3, 4, 1)),
        ({"maxUnavailable": "25%"}, (4, 3, 4, 1)),
        ({"maxUnavailable": "30%"}, (4, 2, 4, 2)),  # rounded up: 2 may be unavailable
        ({"minAvailable": "50%"}, (4, 2, 4, 2)),
        ({"minAvailable": "60%"}, (4, 3, 4, 1)),  # rounded up: 3 must stay
        ({"maxUnavailable": 0}, (4, 4, 4, 0)),
    ],
)
def test_budgets_as_numbers_and_percentages(spec: dict, numbers: tuple) -> None:
    c = _cluster(replicas=4)
    _pdb(c, **spec)
    assert _numbers(c) == numbers


def test_unready_pods_are_not_healthy() -> None:
    c = _cluster(replicas=3, probe=True)
    _pdb(c, minAvailable=2)
    assert _numbers(c) == (3, 2, 3, 1)
    c.set_ready(_pods(c)[0], False)
    assert _numbers(c) == (2, 2, 3, 0)


def test_no_pods_and_no_controller() -> None:
    c = _cluster(replicas=1)
    _pdb(c, minAvailable=1, selector={"matchLabels": {"app": "nothing"}})
    events = c.control_plane.events_about("default", "web-pdb")
    assert next((e["type"], e["reason"], e["message"]) for e in events) == (
        "Normal",
        "NoPods",
        "No matching pods found",
    )
    assert _numbers(c) == (0, 1, 0, 0)


def test_a_percentage_over_daemonset_pods_fails_safe() -> None:
    # getScaleController: a DaemonSet has no scale subresource; failSafe sets SyncFailed.
    c = Cluster()
    _pdb(
        c,
        "kindnet",
        "kube-system",
        maxUnavailable="50%",
        selector={"matchLabels": {"app": "kindnet"}},
    )
    error = "daemonsets.apps does not implement the scale subresource"
    status = c.get("pdb", "kindnet", "kube-system")["status"]
    assert status["disruptionsAllowed"] == 0
    condition = status["conditions"][0]
    assert (condition["status"], condition["reason"], condition["message"]) == (
        "False",
        "SyncFailed",
        error,
    )
    events = [
        e
        for e in c.control_plane.events_about("kube-system", "kindnet")
        if e["involvedObject"]["kind"] == "PodDisruptionBudget"
    ]
    assert (events[0]["reason"], events[0]["message"]) == (
        "CalculateExpectedPodCountFailed",
        f"Failed to calculate the number of expected pods: {error}",
    )


def test_eviction_refused_by_the_budget() -> None:
    c = _cluster(replicas=2)
    _pdb(c, minAvailable=2)
    pod = _pods(c)[0]
    [refusal] = c.control_plane.evict([("default", pod)])
    assert isinstance(refusal, TooManyRequests)
    assert refusal.status == {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": VIOLATION,
        "reason": "TooManyRequests",
        "code": 429,
        "details": {
            "causes": [
                {
                    "reason": "DisruptionBudget",
                    "message": "The disruption budget web-pdb needs 2 healthy pods and has 2 "
                    "currently",
                }
            ]
        },
    }
    assert c.get("pod", pod)["metadata"].get("deletionTimestamp") is None


def test_eviction_allowed_takes_a_disruption_and_deletes_with_grace() -> None:
    c = _cluster(replicas=3)
    _pdb(c, minAvailable=2)
    pod = _pods(c)[0]
    control = c.control_plane
    before = c.get("pod", pod)
    with control.store.transaction():
        # what the eviction alone writes, before any controller reacts
        evict(control.api, "default", pod, grace_period=10)
        status = control.store.get("PodDisruptionBudget", "default", "web-pdb")["status"]
        evicted = control.store.get("Pod", "default", pod)
    assert status["disruptionsAllowed"] == 0
    assert status["disruptedPods"] == {pod: control.clock.timestamp()}
    assert status["conditions"][0]["reason"] == "InsufficientPods"
    assert evicted["metadata"]["deletionGracePeriodSeconds"] == 10
    target = [x for x in evicted["status"]["conditions"] if x["type"] == "DisruptionTarget"]
    assert [(x["status"], x["reason"], x["message"]) for x in target] == [
        ("True", "EvictionByEvictionAPI", "Eviction API: evicting")
    ]
    assert before["metadata"]["uid"] == evicted["metadata"]["uid"]


def test_the_controller_forgets_an_evicted_pod_once_it_is_deleted() -> None:
    c = _cluster(replicas=3)
    _pdb(c, minAvailable=2)
    pod = _pods(c)[0]
    assert c.control_plane.evict([("default", pod)]) == [None]
    status = c.get("pdb", "web-pdb")["status"]
    assert "disruptedPods" not in status  # the pod is being deleted: buildDisruptedPodMap drops it
    assert c.get("pod", pod)["metadata"]["deletionTimestamp"]


def test_evictions_sent_together_share_one_budget() -> None:
    c = _cluster(replicas=4)
    _pdb(c, maxUnavailable=1)
    pods = _pods(c)
    results = c.control_plane.evict([("default", p) for p in pods[:2]])
    assert results[0] is None
    assert isinstance(results[1], TooManyRequests)


def test_two_budgets_refuse_the_eviction() -> None:
    c = _cluster(replicas=3)
    _pdb(c, minAvailable=1)
    _pdb(c, "other", maxUnavailable=1)
    [refusal] = c.control_plane.evict([("default", _pods(c)[0])])
    assert isinstance(refusal, EvictionFailure)
    assert refusal.code == 500
    assert refusal.message == (
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does not "
        "support."
    )


def test_pending_and_unguarded_pods_are_evicted_without_the_budget() -> None:
    c = _cluster(replicas=2)
    _pdb(c, minAvailable=2)
    pending = c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stuck", "labels": {"app": "web"}},
            "spec": {
                "nodeSelector": {"disk": "ssd"},
                "containers": [{"name": "nginx", "image": "nginx"}],
            },
        }
    )
    assert pending["status"]["phase"] == "Pending"
    assert c.control_plane.evict([("default", "stuck")]) == [None]
    [missing] = c.control_plane.evict([("default", "gone")])
    assert isinstance(missing, NotFound)
    assert missing.message == 'pods "gone" not found'


def test_unready_pod_evicted_while_the_budget_is_met() -> None:
    # IfHealthyBudget (the default): an unready pod may go while currentHealthy >= desired.
    c = _cluster(replicas=3, probe=True)
    _pdb(c, minAvailable=2)
    unready = _pods(c)[0]
    c.set_ready(unready, False)
    assert _numbers(c) == (2, 2, 3, 0)
    assert c.control_plane.evict([("default", unready)]) == [None]


def test_deleting_a_pod_is_not_gated_by_budgets() -> None:
    c = _cluster(replicas=2)
    _pdb(c, minAvailable=2)
    pod = _pods(c)[0]
    c.delete("pod", pod)
    assert c.get("pod", pod)["metadata"]["deletionTimestamp"]
