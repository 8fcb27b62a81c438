"""Notebook 10's task: Service checkout with two faults, found one after the other."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.troubleshooting_task import two_faults_task

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: checkout
spec:
  selector: {{app: {app}}}
  ports:
  - port: 80
    targetPort: {target}
"""


@pytest.fixture
def broken() -> Cluster:
    c = Cluster(seed=10)
    two_faults_task().setup(c)
    return c


def test_the_unsolved_state_names_the_selector_first(broken: Cluster) -> None:
    feedback = two_faults_task().check(broken)
    assert feedback.correct is False
    assert (
        feedback.message == "client cannot reach checkout: the Service's selector matches no pod."
    )
    assert feedback.explanation.startswith(
        "Service checkout selects app=check-out, and no pod in namespace default carries"
    )
    assert "there may be another fault behind it" in feedback.explanation


def test_the_documented_solution_passes(broken: Cluster) -> None:
    task = two_faults_task()
    task.solve(broken)
    feedback = task.check(broken)
    assert feedback.correct is True
    assert feedback.message == "client reaches checkout."
    assert "port 8080/TCP" in feedback.explanation
    assert broken.kubectl("exec client -- curl -s http://checkout/hostname").startswith("checkout-")


def test_fixing_the_selector_only_reveals_the_target_port(broken: Cluster) -> None:
    broken.kubectl("apply -f -\n" + SERVICE.format(app="checkout", target=80))
    feedback = two_faults_task().check(broken)
    assert feedback.correct is False
    assert feedback.message == (
        "client cannot reach checkout: nothing in the pods listens on the Service's targetPort."
    )
    assert "(it declares 8080/TCP)" in feedback.explanation


def test_fixing_the_target_port_only_leaves_the_selector(broken: Cluster) -> None:
    broken.kubectl("apply -f -\n" + SERVICE.format(app="check-out", target=8080))
    feedback = two_faults_task().check(broken)
    assert (
        feedback.message == "client cannot reach checkout: the Service's selector matches no pod."
    )


def test_a_missing_deployment_asks_for_the_setup(broken: Cluster) -> None:
    broken.kubectl("delete deployment checkout")
    assert two_faults_task().check(broken).message == "There is no Deployment checkout."
