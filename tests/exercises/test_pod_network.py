"""The pod-network exercises: a pod's shared localhost, and the source a pod sees (no NAT)."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.pod_network import LOCALHOST_PORT, POD_SOURCE_IP, SHOP_POD

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"


@pytest.fixture
def shop() -> Cluster:
    c = Cluster(seed=1)
    c.kubectl("apply -f -\n" + SHOP_POD)
    return c


@pytest.fixture
def pods() -> Cluster:
    """The pod-to-pod notebook's set-up: three hello pods and a client."""
    c = Cluster(seed=2)
    c.kubectl(
        f"create deployment hello --image={AGNHOST} --replicas=3 --port=8080"
        " -- /agnhost netexec --http-port=8080"
    )
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    return c


def test_the_sidecar_reaches_the_app_on_localhost(shop: Cluster) -> None:
    # the answer the exercise expects is what curl from the sidecar really gets
    assert shop.kubectl("exec shop -c sidecar -- curl -s localhost:9376/hostname") == "shop"


@pytest.mark.parametrize("answer", [9376, "9376", "localhost:9376", "http://localhost:9376/"])
def test_localhost_port_right(shop: Cluster, answer: object) -> None:
    feedback = LOCALHOST_PORT.check(shop, answer)
    assert feedback.correct is True
    assert "localhost:9376" in feedback.explanation


@pytest.mark.parametrize("answer", [80, "8080", "localhost", None])
def test_localhost_port_wrong_or_unanswered(shop: Cluster, answer: object) -> None:
    feedback = LOCALHOST_PORT.check(shop, answer)
    assert feedback.correct is (None if answer is None else False)


def test_localhost_port_unanswered_gives_nothing_away(shop: Cluster) -> None:
    feedback = LOCALHOST_PORT.check(shop, ...)
    assert feedback.correct is None
    assert feedback.title == "Not answered yet"
    assert "9376" not in str(feedback)


def test_localhost_port_follows_the_cluster() -> None:
    c = Cluster()
    c.kubectl("apply -f -\n" + SHOP_POD.replace("9376", "5000"))
    assert LOCALHOST_PORT.check(c, 5000).correct is True
    assert LOCALHOST_PORT.check(c, 9376).correct is False


def test_localhost_port_without_the_pod() -> None:
    feedback = LOCALHOST_PORT.check(Cluster(), 9376)
    assert feedback.correct is False
    assert "run the cells above first" in feedback.explanation


def test_pod_source_ip_is_the_client_pod_ip(pods: Cluster) -> None:
    client_ip = pods.get("pod", "client")["status"]["podIP"]
    feedback = POD_SOURCE_IP.check(pods, client_ip)
    assert feedback.correct is True
    assert client_ip in feedback.explanation


def test_pod_source_ip_wrong(pods: Cluster) -> None:
    client = pods.get("pod", "client")
    node_ip = next(
        a["address"]
        for a in pods.get("node", client["spec"]["nodeName"])["status"]["addresses"]
        if a["type"] == "InternalIP"
    )
    feedback = POD_SOURCE_IP.check(pods, node_ip)
    assert feedback.correct is False
    assert client["status"]["podIP"] in feedback.explanation


def test_pod_source_ip_unanswered(pods: Cluster) -> None:
    feedback = POD_SOURCE_IP.check(pods, ...)
    assert feedback.correct is None
    assert pods.get("pod", "client")["status"]["podIP"] not in str(feedback)


def test_pod_source_ip_without_the_pods() -> None:
    feedback = POD_SOURCE_IP.check(Cluster(), "10.244.1.2")
    assert feedback.correct is False
    assert "run the cells above first" in feedback.explanation


def test_pod_source_ip_leaves_the_traffic_generator_alone(pods: Cluster) -> None:
    # the checker traces with its own seed, so checking does not change later traces
    ip = pods.list("pods", selector="app=hello")[0]["status"]["podIP"]
    twin = Cluster(seed=2)
    twin.kubectl(
        f"create deployment hello --image={AGNHOST} --replicas=3 --port=8080"
        " -- /agnhost netexec --http-port=8080"
    )
    twin.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    POD_SOURCE_IP.check(pods, ...)
    assert pods.trace("client", f"{ip}:8080").peer == twin.trace("client", f"{ip}:8080").peer
