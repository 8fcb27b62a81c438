"""`send`: many connections through kube-proxy's rules, counted per backend.

kube-proxy's iptables mode picks an endpoint at random, rule i of n matching with probability
1/(n-i) (pkg/proxy/iptables/proxier.go `writeServiceToEndpointRules`), which is uniform;
ClientIP affinity pins a client address to its endpoint for timeoutSeconds (`recent` lists;
virtual-ips.md "Session affinity"); externalTrafficPolicy and internalTrafficPolicy Local keep
traffic on the receiving node's endpoints (service-traffic-policy.md, virtual-ips.md).
"""

from __future__ import annotations

import pandas as pd
import pytest

from kubenet_nb import Cluster
from kubenet_nb.network.send import SEND_COLUMNS, send

OUTSIDE = "172.18.0.100"
CHI_SQUARE_CRITICAL = {2: 13.816, 4: 18.467}
"""Chi-square critical values at significance 0.001 for 2 and 4 degrees of freedom (any
statistics table, e.g. NIST/SEMATECH e-Handbook 1.3.6.7.4). The seeds are fixed, so the test
is deterministic; the significance only says how surprising a failure would be."""


def client(name: str, node: str) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"nodeName": node, "containers": [{"name": "main", "image": "busybox"}]},
    }


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.kubectl("create deployment web --image=nginx --replicas=3 --port=80")
    c.kubectl("expose deployment web --port=80 --type=NodePort")
    c.create(client("client", "kind-worker"))
    c.create(client("other", "kind-worker2"))
    return c


def delivered(frame: pd.DataFrame) -> dict[str, int]:
    rows = frame[frame["verdict"] == "delivered"]
    return dict(zip(rows["pod"], rows["count"], strict=True))


def chi_square(counts: list[int]) -> float:
    expected = sum(counts) / len(counts)
    return sum((count - expected) ** 2 / expected for count in counts)


def test_table_shape(cluster: Cluster) -> None:
    frame = send(cluster.control_plane, "client", "web", n=300, seed=1)
    assert list(frame.columns) == list(SEND_COLUMNS)
    pods = sorted(p["metadata"]["name"] for p in cluster.list("pods", selector="app=web"))
    assert sorted(frame["pod"]) == pods
    assert frame["count"].sum() == 300
    assert frame["share"].sum() == pytest.approx(1.0)
    assert set(frame["verdict"]) == {"delivered"}
    ips = {p["status"]["podIP"] + ":80" for p in cluster.list("pods", selector="app=web")}
    assert set(frame["ip"]) == ips


def test_one_seed_one_outcome(cluster: Cluster) -> None:
    first = send(cluster.control_plane, "client", "web", n=500, seed=11)
    assert first.equals(send(cluster.control_plane, "client", "web", n=500, seed=11))
    assert not first.equals(send(cluster.control_plane, "client", "web", n=500, seed=12))


def test_distribution_is_uniform_across_seeds(cluster: Cluster) -> None:
    """Per seed, a chi-square test of 3,000 connections against equal thirds; the sum over
    ten seeds of the counts against equal thirds too (significance 0.001)."""
    totals = [0, 0, 0]
    for seed in range(10):
        counts = list(
            delivered(send(cluster.control_plane, "client", "web", n=3000, seed=seed)).values()
        )
        assert len(counts) == 3
        assert chi_square(counts) < CHI_SQUARE_CRITICAL[2]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
    assert chi_square(totals) < CHI_SQUARE_CRITICAL[2]


def test_five_endpoints_uniform(cluster: Cluster) -> None:
    cluster.kubectl("scale deployment web --replicas=5")
    counts = list(delivered(send(cluster.control_plane, "other", "web", n=5000, seed=5)).values())
    assert len(counts) == 5
    assert chi_square(counts) < CHI_SQUARE_CRITICAL[4]


def test_client_ip_affinity_pins_a_client_until_the_timeout(cluster: Cluster) -> None:
    service = cluster.get("svc", "web")
    service["spec"]["sessionAffinity"] = "ClientIP"
    service["spec"]["sessionAffinityConfig"] = {"clientIP": {"timeoutSeconds": 60}}
    cluster.update(service)
    first = {
        pod
        for pod, n in delivered(send(cluster.control_plane, "client", "web", n=200, seed=1)).items()
        if n
    }
    assert len(first) == 1
    for seed in (2, 3, 4):
        again = delivered(send(cluster.control_plane, "client", "web", n=50, seed=seed))
        assert {pod for pod, n in again.items() if n} == first
    cluster.advance(30)
    assert {
        p for p, n in delivered(send(cluster.control_plane, "client", "web", n=5)).items() if n
    } == first
    picked = set()
    for seed in range(8):
        cluster.advance(61)
        chosen = delivered(send(cluster.control_plane, "client", "web", n=20, seed=seed))
        winners = {pod for pod, n in chosen.items() if n}
        assert len(winners) == 1
        picked |= winners
    assert len(picked) > 1


def test_affinity_is_per_client_address(cluster: Cluster) -> None:
    service = cluster.get("svc", "web")
    service["spec"]["sessionAffinity"] = "ClientIP"
    cluster.update(service)
    for name in ("client", "other"):
        counts = delivered(send(cluster.control_plane, name, "web", n=100, seed=9))
        assert sorted(counts.values()) == [0, 0, 100]


def test_external_traffic_policy_local_node_port(cluster: Cluster) -> None:
    service = cluster.get("svc", "web")
    service["spec"]["externalTrafficPolicy"] = "Local"
    cluster.update(service)
    by_node: dict[str, set[str]] = {}
    for pod in cluster.list("pods", selector="app=web"):
        by_node.setdefault(pod["spec"]["nodeName"], set()).add(pod["metadata"]["name"])
    port = service["spec"]["ports"][0]["nodePort"]
    for number, node in enumerate(("kind-control-plane", "kind-worker", "kind-worker2"), 2):
        frame = send(
            cluster.control_plane, OUTSIDE, f"172.18.0.{number}:{port}", n=400, seed=number
        )
        got = {pod for pod, n in delivered(frame).items() if n}
        assert got == by_node.get(node, set())
        if not got:
            assert frame[frame["count"] > 0]["verdict"].tolist() == ["timeout"]


def test_load_balancer_spreads_over_healthy_nodes_only(cluster: Cluster) -> None:
    # With ETP Local the load balancer's health checks (healthCheckNodePort) leave out nodes
    # without a local endpoint, so nothing is dropped.
    cluster.kubectl("scale deployment web --replicas=1")
    cluster.kubectl("expose deployment web --name=lb --port=80 --type=LoadBalancer")
    service = cluster.get("svc", "lb")
    service["spec"]["externalTrafficPolicy"] = "Local"
    cluster.update(service)
    ip = cluster.get("svc", "lb")["status"]["loadBalancer"]["ingress"][0]["ip"]
    frame = send(cluster.control_plane, OUTSIDE, f"{ip}:80", n=200, seed=1)
    assert frame[frame["count"] > 0]["verdict"].tolist() == ["delivered"]
    assert frame["count"].sum() == 200


def test_internal_traffic_policy_local(cluster: Cluster) -> None:
    service = cluster.get("svc", "web")
    service["spec"]["internalTrafficPolicy"] = "Local"
    cluster.update(service)
    local = {
        p["metadata"]["name"]
        for p in cluster.list("pods", selector="app=web")
        if p["spec"]["nodeName"] == "kind-worker"
    }
    got = {
        pod
        for pod, n in delivered(send(cluster.control_plane, "client", "web", n=300, seed=2)).items()
        if n
    }
    assert got == local


def test_failures_are_rows_too(cluster: Cluster) -> None:
    frame = send(cluster.control_plane, "client", "nope", n=10, seed=1)
    assert frame[["pod", "verdict", "count", "share"]].values.tolist() == [
        ["", "servfail", 10, 1.0]  # `nope.` leaves the zone: SERVFAIL without internet
    ]
    frame = send(cluster.control_plane, "client", "web:81", n=10, seed=1)
    assert frame[["verdict", "count"]].values.tolist() == [["timeout", 10]]


def test_n_must_be_positive(cluster: Cluster) -> None:
    with pytest.raises(ValueError, match="n must be at least 1"):
        send(cluster.control_plane, "client", "web", n=0)
