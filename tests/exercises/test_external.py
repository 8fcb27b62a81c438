"""Exercises of notebooks 04-06: answers from the cluster, right, wrong and unanswered."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.external import (
    LB_TARGET_NODES,
    NODEPORT_LOCAL_NODES,
    OUTSIDE_ADDRESS,
    OUTSIDE_CLIENT,
)

AGNHOST = (
    "--image=registry.k8s.io/e2e-test-images/agnhost:2.52 --port=8080 "
    "-- /agnhost netexec --http-port=8080"
)
WORKERS = ["kind-worker", "kind-worker2", "kind-worker3"]


def _set_policy(c: Cluster, name: str, policy: str) -> dict:
    service = c.get("svc", name)
    service["spec"]["externalTrafficPolicy"] = policy
    return c.update(service)


def _pod_nodes(c: Cluster, app: str) -> list[str]:
    return sorted({p["spec"]["nodeName"] for p in c.list("pods", selector=f"app={app}")})


# -- 04 -------------------------------------------------------------------------------------


@pytest.fixture
def web() -> Cluster:
    c = Cluster(seed=4)
    c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deploy web --type=NodePort --name=web-nodeport --port=80")
    return c


def test_outside_address_is_the_control_plane_ip_and_node_port(web: Cluster) -> None:
    service = web.get("svc", "web-nodeport")
    node_port = service["spec"]["ports"][0]["nodePort"]
    # kind's control-plane node is the first on the `kind` Docker network: 172.18.0.2.
    right = OUTSIDE_ADDRESS.check(web, f" 172.18.0.2:{node_port} ")
    assert right.correct is True
    assert "kind-control-plane too" in right.explanation
    assert "kind-worker, kind-worker2" in right.explanation
    # The answer is what a trace from outside confirms.
    assert web.trace(OUTSIDE_CLIENT, f"172.18.0.2:{node_port}").verdict == "delivered"


def test_outside_address_refuses_the_cluster_ip(web: Cluster) -> None:
    cluster_ip = web.get("svc", "web-nodeport")["spec"]["clusterIP"]
    wrong = OUTSIDE_ADDRESS.check(web, f"{cluster_ip}:80")
    assert wrong.correct is False
    assert f"The ClusterIP {cluster_ip} works only from inside the cluster." in wrong.explanation
    assert web.trace(OUTSIDE_CLIENT, f"{cluster_ip}:80").verdict == "timeout"


def test_outside_address_unanswered_and_missing_service(web: Cluster) -> None:
    unanswered = OUTSIDE_ADDRESS.check(web, ...)
    assert unanswered.correct is None
    assert "172.18.0.2" not in str(unanswered)
    web.delete("svc", "web-nodeport")
    gone = OUTSIDE_ADDRESS.check(web, "172.18.0.2:30000")
    assert gone.correct is False
    assert "run the notebook again" in gone.explanation


# -- 05 -------------------------------------------------------------------------------------


@pytest.fixture
def echo() -> Cluster:
    c = Cluster(seed=5)
    c.kubectl(f"create deployment echo --replicas=1 {AGNHOST}")
    c.kubectl("expose deployment echo --type=NodePort --port=80 --target-port=8080")
    return c


def test_cluster_policy_every_node_answers(echo: Cluster) -> None:
    nodes = ["kind-control-plane", "kind-worker", "kind-worker2"]
    right = NODEPORT_LOCAL_NODES.check(echo, list(reversed(nodes)))
    assert right.correct is True
    assert "externalTrafficPolicy Cluster" in right.explanation
    assert NODEPORT_LOCAL_NODES.check(echo, _pod_nodes(echo, "echo")).correct is False


def test_local_policy_only_nodes_with_a_pod_answer(echo: Cluster) -> None:
    _set_policy(echo, "echo", "Local")
    (node,) = _pod_nodes(echo, "echo")
    # Upstream proxier.go: without local endpoints, KUBE-EXTERNAL-SERVICES DROPs the node port.
    for answer in ([node], (node,), {node}, node):
        assert NODEPORT_LOCAL_NODES.check(echo, answer).correct is True
    wrong = NODEPORT_LOCAL_NODES.check(echo, ["kind-control-plane", "kind-worker", "kind-worker2"])
    assert wrong.correct is False
    assert f"Nodes answering: {node}." in wrong.explanation
    assert "keep the client's address" in wrong.explanation
    echo.kubectl("scale deployment echo --replicas=2")
    assert NODEPORT_LOCAL_NODES.check(echo, _pod_nodes(echo, "echo")).correct is True


@pytest.mark.parametrize("answer", [3, ["kind-worker", 2], None])
def test_node_lists_of_other_shapes_are_not_it(echo: Cluster, answer: object) -> None:
    feedback = NODEPORT_LOCAL_NODES.check(echo, answer)
    assert feedback.correct is (None if answer is None else False)


def test_node_port_exercise_without_the_service(echo: Cluster) -> None:
    echo.delete("svc", "echo")
    gone = NODEPORT_LOCAL_NODES.check(echo, ["kind-worker"])
    assert gone.correct is False
    assert "There is no Service echo any more" in gone.explanation


# -- 06 -------------------------------------------------------------------------------------


@pytest.fixture
def shop() -> Cluster:
    c = Cluster(seed=6, workers=3)
    c.kubectl(f"create deployment shop --replicas=2 {AGNHOST}")
    c.kubectl("expose deployment shop --type=LoadBalancer --port=80 --target-port=8080")
    return c


def test_load_balancer_skips_the_control_plane(shop: Cluster) -> None:
    # kind labels its control plane node.kubernetes.io/exclude-from-external-load-balancers
    # (k8s.io/api core/v1 well_known_labels.go LabelNodeExcludeBalancers); cloud load balancers
    # leave such nodes out (k8s.io/cloud-provider controllers/service).
    right = LB_TARGET_NODES.check(shop, WORKERS)
    assert right.correct is True
    assert "It never uses kind-control-plane" in right.explanation
    assert LB_TARGET_NODES.check(shop, ["kind-control-plane", *WORKERS]).correct is False
    assert LB_TARGET_NODES.check(shop, ...).correct is None


def test_load_balancer_follows_the_health_checks_with_local(shop: Cluster) -> None:
    service = _set_policy(shop, "shop", "Local")
    pods = _pod_nodes(shop, "shop")
    assert len(pods) == 2
    right = LB_TARGET_NODES.check(shop, pods)
    assert right.correct is True
    assert f"health-checks port {service['spec']['healthCheckNodePort']}" in right.explanation
    assert LB_TARGET_NODES.check(shop, WORKERS).correct is False
    entries = {
        shop.trace(OUTSIDE_CLIENT, "172.18.255.200:80", seed=seed).entry_node for seed in range(40)
    }
    assert sorted(entries) == pods


def test_load_balancer_exercise_without_an_address(shop: Cluster) -> None:
    shop.delete("svc", "shop")
    gone = LB_TARGET_NODES.check(shop, WORKERS)
    assert gone.correct is False
    assert "There is no Service shop any more" in gone.explanation


def test_load_balancer_with_local_and_no_pod_falls_back(shop: Cluster) -> None:
    _set_policy(shop, "shop", "Local")
    shop.kubectl("scale deployment shop --replicas=0")
    shop.advance(5)
    feedback = LB_TARGET_NODES.check(shop, WORKERS)
    assert feedback.correct is True
    assert "no node runs a ready shop pod, so none passes" in feedback.explanation
