"""Notebook 05's task: open Service hello to the outside client through a node port."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.nodeport_task import nodeport_task

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
{extra}  selector:
    app: hello
  ports:
  - port: {port}
    targetPort: {target}
"""


@pytest.fixture
def closed() -> Cluster:
    c = Cluster(seed=5)
    nodeport_task().setup(c)
    return c


def test_the_unsolved_state_fails(closed: Cluster) -> None:
    feedback = nodeport_task().check(closed)
    assert feedback.correct is False
    assert feedback.message == "Service hello is of type ClusterIP: it has no node port."
    assert "172.18.0.1 has no route to" in feedback.explanation


def test_the_documented_solution_passes(closed: Cluster) -> None:
    task = nodeport_task()
    assert task.solve(closed).entries[0][1] == "service/hello configured"
    node_port = closed.get("service", "hello")["spec"]["ports"][0]["nodePort"]
    feedback = task.check(closed)
    assert feedback.correct is True
    assert feedback.message == f"172.18.0.1 reaches hello at node port {node_port} on every node."


def test_the_myth_of_service_ports_in_the_node_port_range(closed: Cluster) -> None:
    # port takes 1-65535 on any type; only nodePort has the node-port range (notebook 05).
    closed.kubectl("apply -f -\n" + SERVICE.format(extra="", port=30080, target=8080))
    feedback = nodeport_task().check(closed)
    assert feedback.correct is False
    assert feedback.message == "Service hello is of type ClusterIP: it has no node port."
    assert feedback.explanation.startswith("Its port (30080) is open on its ClusterIP only")


def test_a_node_port_to_the_wrong_target_port_is_refused(closed: Cluster) -> None:
    extra = "  type: NodePort\n"
    closed.kubectl("apply -f -\n" + SERVICE.format(extra=extra, port=80, target=80))
    node_port = closed.get("service", "hello")["spec"]["ports"][0]["nodePort"]
    feedback = nodeport_task().check(closed)
    assert feedback.correct is False
    assert feedback.message == (
        f"From 172.18.0.1, node port {node_port} does not answer on "
        "kind-control-plane, kind-worker, kind-worker2."
    )
    assert "refused: nothing in default/hello-" in feedback.explanation


def test_local_traffic_policy_leaves_nodes_without_a_pod_silent(closed: Cluster) -> None:
    extra = "  type: NodePort\n  externalTrafficPolicy: Local\n"
    closed.kubectl("apply -f -\n" + SERVICE.format(extra=extra, port=80, target=8080))
    feedback = nodeport_task().check(closed)
    assert feedback.correct is False
    assert feedback.message.endswith("does not answer on kind-control-plane.")
    assert "timeout" in feedback.explanation


def test_a_load_balancer_has_node_ports_too(closed: Cluster) -> None:
    extra = "  type: LoadBalancer\n"
    closed.kubectl("apply -f -\n" + SERVICE.format(extra=extra, port=80, target=8080))
    assert nodeport_task().check(closed).correct is True
