"""Notebook 04's task: expose Deployment catalog on port 80, judged by a traced connection."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.port_task import port_task


@pytest.fixture
def incomplete() -> Cluster:
    c = Cluster(seed=4)
    port_task().setup(c)
    return c


def test_setup_makes_the_deployment_and_a_client_once() -> None:
    c = Cluster(seed=4)
    first = port_task().setup(c)
    assert [out for _shown, out in first.entries] == [
        "deployment.apps/catalog created",
        "pod/client created",
    ]
    c.kubectl("expose deployment catalog --port=80")
    again = port_task().setup(c)
    assert again.entries == (("$ kubectl delete service catalog", 'service "catalog" deleted'),)


def test_the_unsolved_state_fails(incomplete: Cluster) -> None:
    feedback = port_task().check(incomplete)
    assert feedback.correct is False
    assert feedback.message == "There is no Service catalog yet."
    assert "kubectl expose" in feedback.explanation


def test_the_documented_solution_passes(incomplete: Cluster) -> None:
    task = port_task()
    assert [out for _shown, out in task.solve(incomplete).entries] == [
        "",
        "service/catalog exposed",
    ]
    feedback = task.check(incomplete)
    assert feedback.correct is True
    assert feedback.message == "client reaches catalog on port 80."
    assert "container agnhost, port 9376/TCP" in feedback.explanation
    answer = incomplete.kubectl("exec client -- curl -s http://catalog/hostname")
    assert answer.startswith("catalog-")


def test_exposing_without_a_target_port_is_refused_by_the_pod(incomplete: Cluster) -> None:
    # kubectl expose: without --target-port the Service's targetPort is its port
    # (kubernetes/kubectl pkg/cmd/expose/expose.go @ v0.33.0); agnhost listens on 9376 only.
    incomplete.kubectl("expose deployment catalog --port=80")
    feedback = port_task().check(incomplete)
    assert feedback.correct is False
    assert feedback.message == (
        "client cannot reach catalog: nothing in the pods listens on the Service's targetPort."
    )
    assert "targetPort 80 is not a port the container serves (it declares 9376/TCP)" in (
        feedback.explanation
    )


def test_exposing_on_the_container_port_misses_port_80(incomplete: Cluster) -> None:
    # Without --port, kubectl expose takes the container's declared port for the Service.
    incomplete.kubectl("expose deployment catalog")
    feedback = port_task().check(incomplete)
    assert feedback.correct is False
    assert feedback.message == "Service catalog listens on 9376, not on 80."


def test_a_missing_client_or_deployment_asks_for_the_setup(incomplete: Cluster) -> None:
    incomplete.kubectl("delete deployment catalog")
    assert port_task().check(incomplete).message == "There is no Deployment catalog."
    incomplete.delete("pod", "client", grace_period=0)
    assert port_task().check(incomplete).message == "There is no pod client to connect from."
