"""Notebook 06's task: keep the outside client's address behind Service store's load balancer."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises import KEEP_CLIENT_TASK
from kubenet_nb.exercises.loadbalancer_task import SEEDS, keep_client_task

LB_IP = "172.18.255.200"
"""MetalLB's first address in kind's pool (the only LoadBalancer Service of these clusters)."""


def patch(c: Cluster, spec: str) -> None:
    c.kubectl(f"patch service store -p '{{\"spec\":{spec}}}'")


def internal_ip(c: Cluster, node: str) -> str:
    addresses = c.get("node", node)["status"]["addresses"]
    return next(a["address"] for a in addresses if a["type"] == "InternalIP")


@pytest.fixture
def store() -> Cluster:
    c = Cluster(seed=6, workers=3)  # notebook 06's cluster: one worker runs no store pod
    keep_client_task().setup(c)
    return c


def test_the_setup_is_a_load_balancer_with_the_default_policy(store: Cluster) -> None:
    spec = store.get("service", "store")["spec"]
    assert (spec["type"], spec["externalTrafficPolicy"]) == ("LoadBalancer", "Cluster")
    assert spec["ports"][0]["port"] == 80
    assert spec["ports"][0]["targetPort"] == 8080
    assert store.get("deployment", "store")["spec"]["replicas"] == 2
    assert store.trace("172.18.0.1", f"{LB_IP}:80").verdict == "delivered"


def test_the_unsolved_state_fails_with_the_masquerading_node(store: Cluster) -> None:
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    # The check's first trace, seed 0: the load balancer picks a node, which masquerades.
    trace = store.trace("172.18.0.1", f"{LB_IP}:80", seed=0)
    assert trace.verdict == "delivered"
    assert feedback.message == f"The store pods see {trace.source_seen}, not 172.18.0.1."
    assert feedback.explanation.startswith(
        f"The load balancer handed the connection to {trace.entry_node}, "
    )
    assert "(MASQUERADE)" in feedback.explanation
    assert "With externalTrafficPolicy Cluster" in feedback.explanation
    if trace.node != trace.entry_node:
        # Towards another node's pod, the node masquerades as its own node IP.
        assert trace.source_seen == internal_ip(store, str(trace.entry_node))


def test_the_documented_solution_passes(store: Cluster) -> None:
    task = keep_client_task()
    out = task.solve(store)
    assert out.entries == (
        (
            """$ kubectl patch service store -p '{"spec":{"externalTrafficPolicy":"Local"}}'""",
            "service/store patched",
        ),
    )
    feedback = task.check(store)
    assert feedback.correct is True
    assert feedback.message == (
        f"Every connection from 172.18.0.1 to {LB_IP}:80 reached a store pod, which saw 172.18.0.1."
    )
    spec = store.get("service", "store")["spec"]
    assert f"health-checks port {spec['healthCheckNodePort']}" in feedback.explanation
    # Each connection entered on a node that runs a store pod, and these six reached both.
    pod_nodes = sorted({p["spec"]["nodeName"] for p in store.list("pods", selector="app=store")})
    assert feedback.explanation.endswith(f"entered on {', '.join(pod_nodes)}.")
    # What the check traced is what any trace shows: the client's own address.
    for seed in SEEDS:
        assert store.trace("172.18.0.1", f"{LB_IP}:80", seed=seed).source_seen == "172.18.0.1"


def test_checking_leaves_the_cluster_traffic_stream_alone(store: Cluster) -> None:
    twin = Cluster(seed=6, workers=3)
    keep_client_task().setup(twin)
    keep_client_task().check(store)
    ours = [store.trace("172.18.0.1", f"{LB_IP}:80").entry_node for _ in range(5)]
    theirs = [twin.trace("172.18.0.1", f"{LB_IP}:80").entry_node for _ in range(5)]
    assert ours == theirs


def test_a_node_port_instead_loses_the_load_balancer(store: Cluster) -> None:
    patch(store, '{"type":"NodePort"}')
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    assert (
        feedback.message == "Service store is of type NodePort: it has no load balancer any more."
    )
    assert "a NodePort has an externalTrafficPolicy too" in feedback.explanation
    assert store.trace("172.18.0.1", f"{LB_IP}:80").verdict == "timeout"


def test_a_node_port_with_local_policy_still_fails(store: Cluster) -> None:
    patch(store, '{"type":"NodePort","externalTrafficPolicy":"Local"}')
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    assert feedback.explanation.endswith(
        "Keep type LoadBalancer and change how its nodes forward outside traffic."
    )


def test_a_cluster_ip_loses_it_too(store: Cluster) -> None:
    store.kubectl("delete service store")
    store.kubectl("expose deployment store --port=80 --target-port=8080")
    feedback = keep_client_task().check(store)
    assert (
        feedback.message == "Service store is of type ClusterIP: it has no load balancer any more."
    )
    assert feedback.explanation.startswith("The load balancer belongs to a Service of type")


def test_deleting_the_service_is_no_fix(store: Cluster) -> None:
    store.kubectl("delete service store")
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    assert feedback.message == "There is no Service store."
    assert "not a reason to remove it" in feedback.explanation
    assert feedback.explanation.endswith("Run the set-up cell again to start over.")


def test_internal_traffic_policy_is_the_wrong_field(store: Cluster) -> None:
    patch(store, '{"internalTrafficPolicy":"Local"}')
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    assert feedback.message.startswith("The store pods see ")
    assert "internalTrafficPolicy applies to connections from inside" in feedback.explanation


def test_local_policy_without_pods_gets_no_answer(store: Cluster) -> None:
    patch(store, '{"externalTrafficPolicy":"Local"}')
    store.kubectl("scale deployment store --replicas=0")
    store.advance(60)
    assert store.list("pods", selector="app=store") == []
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    assert feedback.message == f"From 172.18.0.1, {LB_IP}:80 does not answer."
    # kube-proxy rejects outside traffic for a Service without endpoints (KUBE-EXTERNAL-SERVICES).
    assert feedback.explanation.startswith("refused: ")
    assert "(default/store has no endpoints)" in feedback.explanation


def test_a_wrong_target_port_is_refused(store: Cluster) -> None:
    patch(store, '{"externalTrafficPolicy":"Local","ports":[{"port":80,"targetPort":80}]}')
    feedback = keep_client_task().check(store)
    assert feedback.correct is False
    assert feedback.explanation.startswith("refused: ")


def test_running_the_setup_again_starts_over(store: Cluster) -> None:
    task = keep_client_task()
    task.solve(store)
    out = task.setup(store)
    assert [shown.splitlines()[0] for shown, _ in out.entries] == [
        "$ kubectl delete service store",
        "$ kubectl apply -f - <<EOF",
    ]
    assert task.check(store).correct is False


def test_the_hints_lead_to_the_patch() -> None:
    task = keep_client_task()
    hints = [task.hint().text for _ in range(3)]
    assert "externalTrafficPolicy" in hints[0]
    assert hints[1].startswith("Set externalTrafficPolicy to Local")
    assert '{"spec":{"externalTrafficPolicy":"Local"}}' in hints[2]
    assert hints[2].endswith("(That was the last hint: the solution shows the commands.)")
    assert str(task.solution()).endswith(
        """$ kubectl patch service store -p '{"spec":{"externalTrafficPolicy":"Local"}}'"""
    )


def test_the_notebooks_task_is_exported() -> None:
    assert KEEP_CLIENT_TASK.title == "Keep the client's address"
    assert "172.18.0.1" in KEEP_CLIENT_TASK.goal
