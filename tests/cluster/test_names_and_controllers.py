"""Generated names retried on collision, controllers failing alone, and a 10,000-pod Deployment.

Upstream sources (kubernetes/kubernetes @ v1.33.0):
- staging/src/k8s.io/apiserver/pkg/registry/generic/registry/store.go: `Create` retries a
  generateName create on AlreadyExists (`createWithGenerateNameRetry`, RetryGenerateName feature,
  `maxNameGenerationCreateAttempts = 8`);
- staging/src/k8s.io/apiserver/pkg/registry/rest/create.go `CheckGeneratedNameError` and
  staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go `NewGenerateNameConflict`: the
  final error, `... already exists, the server was not able to generate a unique name ...`;
- pkg/controller/controller_utils.go `RealPodControl.createPods`: the `FailedCreate` event,
  `Error creating: <error>`; pkg/controller/replicaset/replica_set.go: a failed sync is requeued
  with the rate limiter (client-go util/workqueue, 5ms doubling);
- pkg/scheduler/framework/plugins/noderesources/fit.go (`Too many pods`) and
  pkg/scheduler/framework/preemption/preemption.go (the `preemption:` verdicts).
"""

from __future__ import annotations

import pytest

from kubenet_nb.api.errors import AlreadyExists, Forbidden
from kubenet_nb.cluster.apiserver import MAX_NAME_GENERATION_CREATE_ATTEMPTS
from kubenet_nb.cluster.control_plane import ControlPlane
from tests.cluster.invariants import snapshot


def deployment(name: str, replicas: int) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {"containers": [{"name": "nginx", "image": "nginx"}]},
            },
        },
    }


def pod(name: str = "", generate_name: str = "") -> dict:
    meta = {"name": name} if name else {"generateName": generate_name}
    spec = {"containers": [{"name": "c", "image": "nginx"}]}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec}


def test_5744_replicas_with_seed_0_no_longer_collide() -> None:
    """The reproduction: seed 0 draws a taken pod name before the 5744th; the retry draws on."""
    c = ControlPlane(seed=0)
    c.create(deployment("big", 5744))
    pods = c.list("pods", "default", "app=big")
    assert len(pods) == 5744
    assert len({p["metadata"]["name"] for p in pods}) == 5744


def test_a_taken_generated_name_is_drawn_again() -> None:
    c = ControlPlane(seed=1, system_pods=False)
    state = c.random.getstate()
    first, second = (c.random.generate_name("web-") for _ in range(2))
    c.create(pod(first))
    c.random.setstate(state)
    assert c.create(pod(generate_name="web-"))["metadata"]["name"] == second


def test_generate_name_exhaustion_is_refused_in_the_api_servers_words() -> None:
    c = ControlPlane(seed=2, system_pods=False)
    state = c.random.getstate()
    names = [c.random.generate_name("web-") for _ in range(MAX_NAME_GENERATION_CREATE_ATTEMPTS)]
    for name in names:
        c.create(pod(name))
    c.random.setstate(state)
    before = snapshot(c)
    with pytest.raises(AlreadyExists) as refused:
        c.create(pod(generate_name="web-"))
    assert str(refused.value) == (
        f'Error from server (AlreadyExists): pods "{names[-1]}" already exists, the server was '
        "not able to generate a unique name for the object"
    )
    assert snapshot(c) == before


@pytest.fixture
def quota() -> list[BaseException]:
    """Errors the API server raises for pod creates (as a ResourceQuota would) while listed."""
    return []


def _refuse_pods(c: ControlPlane, refusals: list[BaseException]) -> None:
    strategy = c.api.strategy("Pod")
    allocate = strategy.allocate

    def refusing(obj: dict) -> None:
        if refusals:
            raise refusals[0]
        allocate(obj)

    strategy.allocate = refusing  # type: ignore[method-assign]


QUOTA = "exceeded quota: compute, requested: pods=1, used: pods=0, limited: pods=0"


def test_a_failing_controller_keeps_the_users_deployment_and_retries(
    quota: list[BaseException],
) -> None:
    c = ControlPlane(seed=0, system_pods=False)
    _refuse_pods(c, quota)
    quota.append(Forbidden(f'pods "web" is forbidden: {QUOTA}'))
    c.create(deployment("web", 2))
    assert c.get("deploy", "web")["spec"]["replicas"] == 2
    [rs] = c.list("rs", "default")
    assert c.list("pods", "default") == []
    failed = c.events_about("default", rs["metadata"]["name"])
    assert [(e["type"], e["reason"], e["message"]) for e in failed] == [
        ("Warning", "FailedCreate", f'Error creating: pods "web" is forbidden: {QUOTA}')
    ]
    assert failed[0]["source"]["component"] == "replicaset-controller"
    c.advance(0.004)  # the first retry is due after 5ms
    assert [e["count"] for e in c.events_about("default", rs["metadata"]["name"])] == [1]
    c.advance(0.001)
    # The repeat counts up the first event (client-go tools/record/events_cache.go @ v0.33.0).
    assert [e["count"] for e in c.events_about("default", rs["metadata"]["name"])] == [2]
    quota.clear()
    c.advance(0.01)
    assert len(c.list("pods", "default", "app=web")) == 2
    assert c.failures == {}


def test_a_controller_bug_still_surfaces(quota: list[BaseException]) -> None:
    c = ControlPlane(seed=0, system_pods=False)
    _refuse_pods(c, quota)
    quota.append(RuntimeError("a bug"))
    with pytest.raises(RuntimeError, match="a bug"):
        c.create(deployment("web", 1))
    assert c.get("deploy", "web")["metadata"]["name"] == "web"  # the user's write is committed


def test_10000_replicas_build_with_the_rest_pending() -> None:
    """About 5 s: the reproduction is the size itself (the issue asks for 10,000 pods)."""
    c = ControlPlane(seed=0)
    c.create(deployment("big", 10_000))
    pods = c.list("pods", "default", "app=big")
    assert len(pods) == 10_000
    per_node: dict[str, int] = {}
    for p in c.list("pods", None):
        node = p["spec"].get("nodeName")
        if node:
            per_node[node] = per_node.get(node, 0) + 1
    assert per_node == {"kind-control-plane": per_node["kind-control-plane"]} | {
        "kind-worker": 110,
        "kind-worker2": 110,
    }
    pending = [p for p in pods if not p["spec"].get("nodeName")]
    assert 9_700 < len(pending) < 10_000 - 200  # the workers' 220 slots less system pods
    message = (
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Too many pods. preemption: 0/3 nodes are "
        "available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found "
        "for incoming pod.."
    )
    events = c.events_about("default", pending[0]["metadata"]["name"])
    assert [(e["reason"], e["message"]) for e in events] == [("FailedScheduling", message)]
    assert pending[0]["status"]["conditions"][0]["message"] == message
    assert c.get("deploy", "big")["status"]["replicas"] == 10_000
