"""Notebook 09's task: Service orders must send traffic to ready pods only."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.readiness_task import ready_only_task


@pytest.fixture
def leaky() -> Cluster:
    c = Cluster(seed=9)
    ready_only_task().setup(c)
    return c


def sick_pod(c: Cluster) -> str:
    return sorted(p["metadata"]["name"] for p in c.list("pods", selector="app=orders"))[0]


def test_setup_fails_one_probe_through_the_public_api() -> None:
    c = Cluster(seed=9)
    out = ready_only_task().setup(c)
    assert out.entries[-1] == (f'>>> c.set_ready("{sick_pod(c)}", False)', "")
    assert "0/1" in c.kubectl(f"get pod {sick_pod(c)}")


def test_the_unsolved_state_fails(leaky: Cluster) -> None:
    feedback = ready_only_task().check(leaky)
    assert feedback.correct is False
    assert feedback.message.startswith(
        f"Pods that are not ready still get connections: {sick_pod(leaky)} got "
    )
    # publishNotReadyAddresses: the EndpointSlice controller sets ready regardless of the pod
    # (kubernetes/kubernetes pkg/controller/endpointslice/utils.go podToEndpoint @ v1.33.0)
    assert "publishNotReadyAddresses" in feedback.explanation


def test_the_documented_solution_passes(leaky: Cluster) -> None:
    task = ready_only_task()
    assert task.solve(leaky).entries[0][1] == "service/orders configured"
    assert "publishNotReadyAddresses" not in leaky.get("service", "orders")["spec"]
    feedback = task.check(leaky)
    assert feedback.correct is True
    assert sick_pod(leaky) not in feedback.message
    traffic = leaky.send("client", "orders", n=100, seed=1)
    assert sick_pod(leaky) not in set(traffic[traffic["count"] > 0]["pod"])


def test_deleting_the_sick_pod_does_not_fix_the_service(leaky: Cluster) -> None:
    leaky.delete("pod", sick_pod(leaky), grace_period=0)
    feedback = ready_only_task().check(leaky)
    assert feedback.correct is False
    assert feedback.message == (
        "No pod that is not ready got a connection now, but Service orders still publishes "
        "not-ready addresses."
    )


def test_a_service_that_reaches_nothing_fails(leaky: Cluster) -> None:
    leaky.kubectl("scale deployment orders --replicas=0")
    leaky.advance(60)
    feedback = ready_only_task().check(leaky)
    assert feedback.correct is False
    assert feedback.message.startswith("None of 300 connections to orders was delivered")


def test_rerunning_the_setup_breaks_it_again(leaky: Cluster) -> None:
    task = ready_only_task()
    task.solve(leaky)
    task.setup(leaky)
    assert leaky.get("service", "orders")["spec"]["publishNotReadyAddresses"] is True
    assert task.check(leaky).correct is False
