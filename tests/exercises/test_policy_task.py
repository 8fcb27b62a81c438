"""Notebook 14's two NetworkPolicy tasks, judged by the policy evaluator: unsolved, solved, the
usual wrong fixes and their feedback, and a set-up run again.

Semantics pinned here are the API's (kubernetes/api networking/v1/types.go @ v0.33.1: peers of
one `from`/`to` are ORed, selectors within one peer ANDed, a podSelector alone means the policy's
namespace, `protocol` defaults to TCP; kubernetes/kubernetes pkg/apis/networking/v1/defaults.go
@ v1.33.0: policyTypes defaults to Ingress, plus Egress when there are egress rules) and kind's
(kubernetes-sigs/kube-network-policies pkg/networkpolicy/controller.go @ v0.8.0: packets are
judged after kube-proxy's DNAT, on the pod's IP and port).
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.dns_policy_task import ALLOW_DNS, DEFAULT_DENY_EGRESS, dns_egress_task
from kubenet_nb.exercises.policy_task import (
    DEFAULT_DENY_INGRESS,
    frontend_only_task,
)

BACKEND_POLICY = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {{name: backend-from-frontend{namespace}}}
spec:
  podSelector: {{matchLabels: {{app: backend}}}}
  policyTypes: [Ingress]
  ingress:
  - from:
{peers}    ports: [{{port: {port}}}]
"""
ONE_ITEM = "    - podSelector: {matchLabels: {app: frontend}}\n"
ANY_NAMESPACE_OR_FRONTEND = "    - namespaceSelector: {}\n" + ONE_ITEM
SHOP_OR_FRONTEND = (
    "    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: shop}}\n" + ONE_ITEM
)


def backend_policy(peers: str = ONE_ITEM, port: int = 8080, namespace: str = "shop") -> str:
    where = f", namespace: {namespace}" if namespace else ""
    return "apply -f -\n" + BACKEND_POLICY.format(namespace=where, peers=peers, port=port)


@pytest.fixture
def deny_ingress() -> Cluster:
    c = Cluster(seed=14)
    frontend_only_task().setup(c)
    return c


def test_the_first_task_unsolved_says_the_frontend_is_shut_out(deny_ingress: Cluster) -> None:
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.correct is False
    assert feedback.message == "frontend cannot reach backend on 8080."
    assert "isolated for ingress by policy default-deny-ingress" in feedback.explanation


def test_the_first_task_solved(deny_ingress: Cluster) -> None:
    task = frontend_only_task()
    out = task.solve(deny_ingress)
    assert out.entries[-1][1] == "networkpolicy.networking.k8s.io/backend-from-frontend created"
    feedback = task.check(deny_ingress)
    assert feedback.correct is True, feedback
    assert feedback.message == "Only the frontend reaches backend on 8080."
    assert "backend-from-frontend ingress[0].from[0] matches shop/frontend-" in str(feedback)


def test_two_items_let_the_other_namespace_in(deny_ingress: Cluster) -> None:
    deny_ingress.kubectl(backend_policy(ANY_NAMESPACE_OR_FRONTEND))
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.correct is False
    assert feedback.message == (
        "client (namespace other) reaches backend on 8080 too; only the frontend may."
    )
    assert "two items of `from`" in feedback.explanation
    assert "ORed" in feedback.explanation


def test_two_items_with_the_own_namespace_let_the_db_in(deny_ingress: Cluster) -> None:
    deny_ingress.kubectl(backend_policy(SHOP_OR_FRONTEND))
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.message == "db reaches backend on 8080 too; only the frontend may."
    assert "ORed" in feedback.explanation


def test_the_service_port_is_not_what_the_policy_sees(deny_ingress: Cluster) -> None:
    deny_ingress.kubectl(backend_policy(port=80))
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.message == "frontend cannot reach backend on 8080; your policy allows port 80."
    assert "targetPort, 8080" in feedback.explanation


def test_a_policy_in_the_wrong_namespace_is_named(deny_ingress: Cluster) -> None:
    deny_ingress.kubectl(backend_policy(namespace=""))
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.message == (
        "frontend cannot reach backend on 8080; policy backend-from-frontend is in default."
    )


def test_deleting_the_default_deny_opens_the_shop(deny_ingress: Cluster) -> None:
    deny_ingress.kubectl("delete networkpolicy default-deny-ingress -n shop")
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.message.startswith("client (namespace other) reaches backend")
    assert "No policy selects the backend pods" in feedback.explanation
    deny_ingress.kubectl(backend_policy())  # the backend alone closed: the rest is open
    feedback = frontend_only_task().check(deny_ingress)
    assert feedback.message == "client (namespace other) reaches frontend too."


def test_the_first_set_up_run_again_starts_over(deny_ingress: Cluster) -> None:
    task = frontend_only_task()
    task.solve(deny_ingress)
    assert task.check(deny_ingress).correct is True
    out = task.setup(deny_ingress)
    shown = [command for command, _printed in out.entries]
    assert shown == [
        "$ kubectl delete networkpolicy --all -n shop",
        "$ kubectl apply -f - <<EOF\n" + DEFAULT_DENY_INGRESS.rstrip() + "\nEOF",
    ]
    assert task.check(deny_ingress).correct is False
    assert [p["metadata"]["name"] for p in deny_ingress.list("networkpolicies", "shop")] == [
        "default-deny-ingress"
    ]


@pytest.fixture
def deny_egress() -> Cluster:
    c = Cluster(seed=14)
    dns_egress_task().setup(c)
    return c


def dns_policy(old: str, new: str) -> str:
    assert old in ALLOW_DNS
    return "apply -f -\n" + ALLOW_DNS.replace(old, new)


ITEM = """    - namespaceSelector:
        matchLabels: {kubernetes.io/metadata.name: kube-system}
      podSelector:
        matchLabels: {k8s-app: kube-dns}
"""
UDP = "    - protocol: UDP\n      port: 53\n"
TCP = "    - protocol: TCP\n      port: 53\n"
PORTS = "    ports:\n" + UDP + TCP


def test_the_second_task_unsolved_says_lookups_are_dropped(deny_egress: Cluster) -> None:
    feedback = dns_egress_task().check(deny_egress)
    assert feedback.correct is False
    assert feedback.message == "frontend's lookups over UDP 53 to CoreDNS are still dropped."
    assert "isolated for egress by policy default-deny-egress" in feedback.explanation
    assert "to kube-system/coredns-" in feedback.explanation  # judged after DNAT, on the pod


def test_the_second_task_solved(deny_egress: Cluster) -> None:
    task = dns_egress_task()
    out = task.solve(deny_egress)
    assert out.entries[-1][1] == "networkpolicy.networking.k8s.io/frontend-dns created"
    feedback = task.check(deny_egress)
    assert feedback.correct is True, feedback
    assert feedback.message == "frontend resolves names again, and reaches nothing else."


@pytest.mark.parametrize(
    ("old", "new", "message", "why"),
    [
        (
            ITEM,
            "    - ipBlock: {cidr: 10.96.0.10/32}\n",
            "frontend's lookups over UDP 53 to CoreDNS are still dropped.",
            "kube-dns ClusterIP 10.96.0.10 as an ipBlock",
        ),
        (
            ITEM,
            "    - podSelector:\n        matchLabels: {k8s-app: kube-dns}\n",
            "frontend's lookups over UDP 53 to CoreDNS are still dropped.",
            "policy's own namespace, shop",
        ),
        (
            UDP,
            "",
            "frontend's lookups over UDP 53 to CoreDNS are still dropped.",
            "a port without `protocol` means TCP",
        ),
        (TCP, "", "frontend's lookups pass over UDP, not over TCP.", "truncated"),
        (
            "  policyTypes: [Egress]\n",
            "",
            "DNS works, but frontend no longer accepts connections (client of other).",
            "`policyTypes: [Egress]`",
        ),
        (
            ITEM + PORTS,
            "    - namespaceSelector: {}\n",
            "frontend may now connect to shop/backend-",
            "egress[0].to[0] matches shop/backend-",
        ),
    ],
    ids=[
        "cluster-ip",
        "pod-selector-alone",
        "tcp-only",
        "udp-only",
        "no-policy-types",
        "everywhere",
    ],
)
def test_wrong_dns_fixes_are_explained(
    deny_egress: Cluster, old: str, new: str, message: str, why: str
) -> None:
    deny_egress.kubectl(dns_policy(old, new))
    feedback = dns_egress_task().check(deny_egress)
    assert feedback.correct is False
    assert feedback.message.startswith(message), feedback
    assert why in feedback.explanation, feedback


def test_allowing_all_egress_is_not_dns_only(deny_egress: Cluster) -> None:
    deny_egress.kubectl("delete networkpolicy default-deny-egress -n shop")
    feedback = dns_egress_task().check(deny_egress)
    assert feedback.message == "frontend is no longer isolated for egress: it may connect anywhere."


def test_the_second_set_up_run_again_starts_over(deny_egress: Cluster) -> None:
    task = dns_egress_task()
    task.solve(deny_egress)
    assert task.check(deny_egress).correct is True
    out = task.setup(deny_egress)
    assert (
        out.entries[-1][0]
        == "$ kubectl apply -f - <<EOF\n" + DEFAULT_DENY_EGRESS.rstrip() + "\nEOF"
    )
    assert task.check(deny_egress).correct is False


def test_a_fresh_cluster_asks_for_the_set_up() -> None:
    for make in (frontend_only_task, dns_egress_task):
        feedback = make().check(Cluster(seed=14))
        assert feedback.message == "There is no namespace shop."


def test_a_deployment_scaled_to_zero_is_named() -> None:
    c = Cluster(seed=14)
    frontend_only_task().setup(c)
    c.kubectl("scale deployment backend -n shop --replicas=0")
    c.advance(60)
    feedback = frontend_only_task().check(c)
    assert feedback.message == "Deployment backend has no pods."


def test_the_first_check_also_traces_the_frontends_request(deny_ingress: Cluster) -> None:
    task = frontend_only_task()
    task.solve(deny_ingress)
    deny_ingress.kubectl("delete service backend -n shop")
    feedback = task.check(deny_ingress)  # the bare name goes on upstream: SERVFAIL offline
    assert feedback.correct is False
    assert feedback.message == (
        "The policies are right, but frontend's `curl http://backend` ends in servfail."
    )


def test_every_coredns_pod_must_be_allowed(deny_egress: Cluster) -> None:
    # kube-proxy sends each query to any CoreDNS pod: allowing one of them is not enough, whichever
    # one the check's own trace happens to reach.
    coredns = deny_egress.list("pods", "kube-system", "k8s-app=kube-dns")
    assert len(coredns) == 2
    for pod in coredns:
        block = f"    - ipBlock: {{cidr: {pod['status']['podIP']}/32}}\n"
        deny_egress.kubectl(dns_policy(ITEM, block))
        feedback = dns_egress_task().check(deny_egress)
        assert feedback.message == "frontend's lookups over UDP 53 to CoreDNS are still dropped."
