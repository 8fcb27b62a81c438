"""Notebook 09's exercise: the pods that get new connections, read from the EndpointSlices."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.readiness import TRAFFIC_PODS, service_endpoints, traffic_pods
from tests.readiness_probes import create_deployment

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"


@pytest.fixture
def cluster() -> Cluster:
    """Notebook 09's `web`: three agnhost pods with a readinessProbe `set_ready` can fail."""
    c = Cluster(seed=9)
    create_deployment(
        c,
        f"web --image={AGNHOST} --replicas=3 --port=8080 -- /agnhost netexec --http-port=8080",
        {"httpGet": {"path": "/healthz", "port": 8080}},
    )
    c.kubectl("expose deployment web --port=80 --target-port=8080")
    return c


def web_pods(c: Cluster) -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.list("pods", selector="app=web"))


def ip_of(c: Cluster, pod: str) -> str:
    return c.get("pod", pod)["status"]["podIP"]


def routed(c: Cluster) -> set[str]:
    """The pods `c.send` delivers to: the data plane's own answer."""
    ip = c.get("service", "web")["spec"]["clusterIP"]
    frame = c.send("kind-worker", f"{ip}:80", n=200)
    return set(frame[frame.verdict == "delivered"].pod)


def test_unanswered_shows_the_question_only(cluster: Cluster) -> None:
    feedback = TRAFFIC_PODS.check(cluster, ...)
    assert feedback.correct is None
    assert feedback.message.startswith("Which pods get new connections to Service web now?")
    assert "web-" not in str(feedback)


def test_every_ready_pod_gets_traffic(cluster: Cluster) -> None:
    pods = web_pods(cluster)
    assert TRAFFIC_PODS.check(cluster, set(pods)).correct is True
    assert TRAFFIC_PODS.check(cluster, list(reversed(pods))).correct is True
    wrong = TRAFFIC_PODS.check(cluster, set(pods[:2]))
    assert wrong.correct is False
    assert f"{pods[2]} ({ip_of(cluster, pods[2])}) is ready" in wrong.explanation


def test_a_not_ready_pod_gets_none(cluster: Cluster) -> None:
    # endpointslice utils.go podToEndpoint: serving = pod Ready, ready = serving && !terminating;
    # pkg/proxy/topology.go CategorizeEndpoints: cluster endpoints are the ready ones.
    sick, *healthy = web_pods(cluster)
    cluster.set_ready(sick, False)
    assert TRAFFIC_PODS.expected(cluster) == set(healthy)
    feedback = TRAFFIC_PODS.check(cluster, set(healthy))
    assert feedback.correct is True
    assert f"{sick} ({ip_of(cluster, sick)}) is not ready" in feedback.explanation
    assert "kube-proxy sends new connections to the ready ones only" in feedback.explanation


def test_the_replacement_not_the_terminating_pod(cluster: Cluster) -> None:
    first, second, third = web_pods(cluster)
    cluster.set_ready(first, False)
    cluster.set_ready(second, False)
    third_ip = ip_of(cluster, third)
    cluster.delete("pod", third)
    replacement = set(web_pods(cluster)) - {first, second, third}
    assert len(replacement) == 1
    assert TRAFFIC_PODS.expected(cluster) == replacement
    assert TRAFFIC_PODS.check(cluster, next(iter(replacement))).correct is True
    feedback = TRAFFIC_PODS.check(cluster, {third})
    assert feedback.correct is False
    assert f"{third} ({third_ip}) is terminating, still serving" in feedback.explanation


def test_terminating_pods_serve_when_none_is_ready(cluster: Cluster) -> None:
    # pkg/proxy/topology.go CategorizeEndpoints: with no ready endpoint, the serving and
    # terminating ones are used (ProxyTerminatingEndpoints, GA in v1.28).
    pods = web_pods(cluster)
    cluster.kubectl("scale deployment web --replicas=0")
    assert TRAFFIC_PODS.expected(cluster) == set(pods) == routed(cluster)
    feedback = TRAFFIC_PODS.check(cluster, set(pods))
    assert feedback.correct is True
    assert "falls back to the terminating ones still serving" in feedback.explanation


def test_no_endpoint_means_no_pod(cluster: Cluster) -> None:
    cluster.kubectl("scale deployment web --replicas=0")
    cluster.advance(2)
    assert TRAFFIC_PODS.expected(cluster) == set()
    feedback = TRAFFIC_PODS.check(cluster, set())
    assert feedback.correct is True
    assert "kube-proxy rejects every connection: no pod" in feedback.explanation


def test_the_answer_matches_the_data_plane(cluster: Cluster) -> None:
    sick = web_pods(cluster)[0]
    cluster.set_ready(sick, False)
    assert TRAFFIC_PODS.expected(cluster) == routed(cluster)


def test_publish_not_ready_addresses_counts_every_pod_as_ready(cluster: Cluster) -> None:
    # endpointslice utils.go podToEndpoint: ready = publishNotReadyAddresses || (serving && ...)
    cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web-all"},
            "spec": {
                "selector": {"app": "web"},
                "publishNotReadyAddresses": True,
                "ports": [{"port": 80, "targetPort": 8080}],
            },
        }
    )
    pods = web_pods(cluster)
    cluster.set_ready(pods[0], False)
    exercise = traffic_pods("web-all")
    assert exercise.expected(cluster) == set(pods)
    endpoints = service_endpoints(cluster, "web-all") or []
    sick = next(e for e in endpoints if e.pod == pods[0])
    assert (sick.ready, sick.serving, sick.terminating) == (True, False, False)


def test_answers_that_are_not_names_are_wrong(cluster: Cluster) -> None:
    assert TRAFFIC_PODS.check(cluster, 3).correct is False
    assert TRAFFIC_PODS.check(cluster, {"web": 1}).correct is False
    assert TRAFFIC_PODS.check(cluster, [1, 2, 3]).correct is False


def test_a_missing_service_asks_to_rerun() -> None:
    c = Cluster(seed=9)
    feedback = TRAFFIC_PODS.check(c, set())
    assert feedback.correct is False
    assert feedback.explanation == "There is no Service web in default: run the notebook again."
    assert service_endpoints(c, "web") is None
