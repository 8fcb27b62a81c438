"""Every task's check answers with feedback, whatever the learner did to the cluster.

Hypothesis sets a task up (or not), then disturbs the cluster the way learners do: objects
deleted, Services turned into aliases or stripped of their selector, pods relabelled or failing
their probes, Deployments scaled to zero, NetworkPolicies deleted or denying everything, a whole
namespace deleted. The check must judge it, never raise.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError
from kubenet_nb.exercises import Feedback
from kubenet_nb.exercises.dns_policy_task import dns_egress_task
from kubenet_nb.exercises.loadbalancer_task import keep_client_task
from kubenet_nb.exercises.nodeport_task import nodeport_task
from kubenet_nb.exercises.policy_task import frontend_only_task
from kubenet_nb.exercises.port_task import port_task
from kubenet_nb.exercises.readiness_task import ready_only_task
from kubenet_nb.exercises.selector_task import selector_task
from kubenet_nb.exercises.task import Task
from kubenet_nb.exercises.troubleshooting_task import two_faults_task

TASKS: list[Callable[[], Task]] = [
    selector_task,
    port_task,
    nodeport_task,
    keep_client_task,
    ready_only_task,
    two_faults_task,
    frontend_only_task,
    dns_egress_task,
]


def _services(c: Cluster) -> list[dict]:
    return [s for s in c.list("services") if s["metadata"]["name"] != "kubernetes"]


def delete_services(c: Cluster) -> None:
    for service in _services(c):
        c.delete("service", service["metadata"]["name"])


def delete_client(c: Cluster) -> None:
    c.delete("pod", "client", grace_period=0)


def delete_deployments(c: Cluster) -> None:
    for deployment in c.list("deployments"):
        c.delete("deployment", deployment["metadata"]["name"])


def delete_pods(c: Cluster) -> None:
    for pod in c.list("pods"):
        c.delete("pod", pod["metadata"]["name"], grace_period=0)


def scale_to_zero(c: Cluster) -> None:
    for deployment in c.list("deployments"):
        c.kubectl(f"scale deployment {deployment['metadata']['name']} --replicas=0")


def external_names(c: Cluster) -> None:
    for service in _services(c):
        name = service["metadata"]["name"]
        c.delete("service", name)
        spec = {"type": "ExternalName", "externalName": "example.com"}
        c.create({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})


def no_selectors(c: Cluster) -> None:
    for service in _services(c):
        service["spec"].pop("selector", None)
        c.update(service)


def named_target_ports(c: Cluster) -> None:
    for service in _services(c):
        for port in service["spec"].get("ports") or ():
            port["targetPort"] = "http"
        c.update(service)


def relabel_pods(c: Cluster) -> None:
    c.kubectl("label pods --all app=other --overwrite")


def probes_fail(c: Cluster) -> None:
    for pod in c.list("pods"):
        c.set_ready(pod["metadata"]["name"], False)


def advance(c: Cluster) -> None:
    c.advance(60)


def delete_policies(c: Cluster) -> None:
    for policy in c.list("networkpolicies", None):
        c.delete("networkpolicy", policy["metadata"]["name"], policy["metadata"]["namespace"])


def deny_all_everywhere(c: Cluster) -> None:
    for namespace in c.list("namespaces", None):
        name = namespace["metadata"]["name"]
        spec = {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        metadata = {"name": "deny-all", "namespace": name}
        c.create(
            {
                "apiVersion": "networking.k8s.io/v1",
                "kind": "NetworkPolicy",
                "metadata": metadata,
                "spec": spec,
            }
        )


def delete_shop(c: Cluster) -> None:
    c.delete("namespace", "shop")


def scale_shop_to_zero(c: Cluster) -> None:
    for deployment in c.list("deployments", "shop"):
        c.kubectl(f"scale deployment {deployment['metadata']['name']} -n shop --replicas=0")


DISTURBANCES = [
    delete_services,
    delete_client,
    delete_deployments,
    delete_pods,
    scale_to_zero,
    external_names,
    no_selectors,
    named_target_ports,
    relabel_pods,
    probes_fail,
    advance,
    delete_policies,
    deny_all_everywhere,
    delete_shop,
    scale_shop_to_zero,
]


@settings(max_examples=40, deadline=None)
@given(
    make=st.sampled_from(TASKS),
    set_up=st.booleans(),
    solved=st.booleans(),
    disturbances=st.lists(st.sampled_from(DISTURBANCES), max_size=3),
)
def test_check_never_raises(
    make: Callable[[], Task],
    set_up: bool,
    solved: bool,
    disturbances: list[Callable[[Cluster], None]],
) -> None:
    task, c = make(), Cluster(seed=7)
    if set_up:
        task.setup(c)
        if solved:
            task.solve(c)
    for disturb in disturbances:
        try:
            disturb(c)
        except KubenetError:
            pass  # refused, as the learner's own command would be: the cluster is unchanged
    feedback = task.check(c)
    assert isinstance(feedback, Feedback)
    assert feedback.correct in (True, False)
    assert feedback.message
    assert html.escape(feedback.message) in feedback._repr_html_()


def test_a_fresh_cluster_fails_every_check_with_a_way_forward() -> None:
    for make in TASKS:
        feedback = make().check(Cluster(seed=7))
        assert feedback.correct is False, make
        assert feedback.message.startswith("There is no"), feedback
