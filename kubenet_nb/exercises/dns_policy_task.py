"""Notebook 14's second task: under default-deny egress, let the frontend resolve names again.

The set-up (`policy_shop`) leaves one NetworkPolicy in `shop`, `default-deny-egress`. The check
traces the frontend's `curl http://backend`, whose lookup must get an answer (no
`dns-timeout`), and asks the NetworkPolicy evaluator about the lookups as kind judges them,
after kube-proxy's DNAT of 10.96.0.10: UDP and TCP 53 to every CoreDNS pod (`k8s-app=kube-dns`
in `kube-system`) must pass, while the frontend stays egress-isolated, reaches no other pod on
8080, and still accepts connections. Its feedback names the usual wrong fixes: an ipBlock of the
kube-dns ClusterIP, a podSelector without a namespaceSelector (it looks in `shop`), port 53
without `protocol` (TCP only), and egress rules without `policyTypes` (defaulted to Ingress and
Egress, so the frontend also stops accepting connections).
"""

from __future__ import annotations

import ipaddress
from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.policy_shop import (
    CLIENT,
    OTHER,
    PORT,
    SEED,
    SHOP,
    client,
    judged,
    key,
    missing,
    pods,
    shop_setup,
)
from kubenet_nb.exercises.task import Command, Task
from kubenet_nb.network.dns_path import DNS_TIMEOUT
from kubenet_nb.network.policy import PolicyState, isolation, policy_state, policy_types

__all__ = ["ALLOW_DNS", "DEFAULT_DENY_EGRESS", "DNS_EGRESS_TASK", "dns_egress_task"]

DNS_NAMESPACE = "kube-system"
DNS_LABELS = "k8s-app=kube-dns"
"""CoreDNS's pods in kind, as kubeadm labels them (the kube-dns Service selects them)."""

DEFAULT_DENY_EGRESS = f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: {SHOP}
spec:
  podSelector: {{}}
  policyTypes: [Egress]
"""
ALLOW_DNS = f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: frontend-dns
  namespace: {SHOP}
spec:
  podSelector:
    matchLabels: {{app: frontend}}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector:
        matchLabels: {{kubernetes.io/metadata.name: {DNS_NAMESPACE}}}
      podSelector:
        matchLabels: {{k8s-app: kube-dns}}
    ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
"""
"""The solution: UDP and TCP 53 to the CoreDNS pods, both selectors in one item."""


def _egress_peers(state: PolicyState, pod: dict) -> list[tuple[str, dict]]:
    """(policy name, peer) for every `to` item of the egress policies selecting `pod`."""
    return [
        (str(policy["metadata"]["name"]), peer)
        for policy in state.selecting(pod)
        if "Egress" in policy_types(policy)
        for rule in (policy.get("spec") or {}).get("egress") or ()
        for peer in rule.get("to") or ()
    ]


def _cluster_ip_block(state: PolicyState, pod: dict, ip: str) -> str | None:
    """The policy whose egress ipBlock covers the kube-dns ClusterIP `ip`."""
    address = ipaddress.ip_address(ip)
    for name, peer in _egress_peers(state, pod):
        block = peer.get("ipBlock") or {}
        cidr = block.get("cidr")
        if cidr and address in ipaddress.ip_network(cidr, strict=False):
            return name
    return None


def _own_namespace(state: PolicyState, pod: dict) -> str | None:
    """The policy with a `to` item that asks for CoreDNS's label by podSelector alone."""
    for name, peer in _egress_peers(state, pod):
        labels = (peer.get("podSelector") or {}).get("matchLabels") or {}
        if "namespaceSelector" not in peer and labels.get("k8s-app") == "kube-dns":
            return name
    return None


def _no_lookup(cluster: Any, state: PolicyState, frontend: list[dict], why: str) -> Feedback:
    """Feedback for lookups over UDP that are still dropped."""
    message = "frontend's lookups over UDP 53 to CoreDNS are still dropped."
    service = cluster.get("service", "kube-dns", DNS_NAMESPACE)
    name = _cluster_ip_block(state, frontend[0], service["spec"]["clusterIP"])
    if name is not None:
        return Feedback(
            False,
            message,
            f"Policy {name} allows the kube-dns ClusterIP {service['spec']['clusterIP']} as an "
            "ipBlock, but kube-proxy rewrites that address to a CoreDNS pod's IP before the "
            "policy judges the packet. Select the CoreDNS pods by their labels instead.",
        )
    name = _own_namespace(state, frontend[0])
    if name is not None:
        return Feedback(
            False,
            message,
            f"Policy {name} selects k8s-app=kube-dns with a podSelector alone, which looks in "
            f"the policy's own namespace, {SHOP}. CoreDNS runs in {DNS_NAMESPACE}: add a "
            "namespaceSelector (kubernetes.io/metadata.name) in the same item.",
        )
    if judged(state, frontend, _coredns(cluster), 53, "TCP").allowed:
        return Feedback(
            False,
            message,
            "TCP 53 passes, UDP 53 does not, and a lookup goes over UDP first. List port 53 "
            "twice, with `protocol: UDP` and `protocol: TCP`: a port without `protocol` means "
            "TCP.",
        )
    return Feedback(False, message, f"{why}.")


def _coredns(cluster: Any) -> list[dict]:
    """CoreDNS's pods, not being deleted, by name."""
    found = cluster.list("pods", DNS_NAMESPACE, DNS_LABELS)
    alive = [pod for pod in found if not pod["metadata"].get("deletionTimestamp")]
    return sorted(alive, key=lambda pod: pod["metadata"]["name"])


def _judge(cluster: Any) -> Feedback:
    gone = missing(cluster, "frontend", "backend", "db")
    if gone is not None:
        return gone
    dns = _coredns(cluster)
    if not dns:
        return Feedback(
            False,
            f"There are no CoreDNS pods ({DNS_LABELS} in {DNS_NAMESPACE}).",
            "Without them no lookup is answered, whatever the policies say. Start over on a "
            "fresh cluster.",
        )
    state = policy_state(cluster)
    frontend = pods(cluster, "frontend")
    if not isolation(state, frontend[0])[1]:
        return Feedback(
            False,
            "frontend is no longer isolated for egress: it may connect anywhere.",
            f"No policy selecting the frontend lists Egress any more. Keep default-deny-egress "
            f"in {SHOP} and add a policy next to it that allows only DNS.",
        )
    # The lookup as the pod makes it: the query's packet through the rules, to the CoreDNS pod
    # kube-proxy picks (a fixed seed: checking leaves the cluster's own traffic stream alone).
    trace = cluster.trace(key(frontend[0]), "backend", seed=SEED)
    udp = judged(state, frontend, dns, 53, "UDP")
    if trace.verdict == DNS_TIMEOUT or not udp.allowed:
        why = trace.summary() if trace.verdict == DNS_TIMEOUT else f"The policy verdict: {udp}"
        return _no_lookup(cluster, state, frontend, why)
    tcp = judged(state, frontend, dns, 53, "TCP")
    if not tcp.allowed:
        return Feedback(
            False,
            "frontend's lookups pass over UDP, not over TCP.",
            "A resolver retries over TCP when an answer does not fit in a UDP packet (the "
            "server sets the truncated flag); such names would still fail. Allow TCP 53 to "
            "the same pods.",
        )
    others = [*pods(cluster, "backend"), *pods(cluster, "db"), client(cluster)]
    for target in others:
        opened = judged(state, frontend, [target], PORT)
        if opened.allowed:
            where = f"{target['metadata'].get('namespace')}/{target['metadata']['name']}"
            return Feedback(
                False,
                f"frontend may now connect to {where} on {PORT}: that is more than DNS.",
                f"The policy verdict: {opened}. Give the rule a `to` that selects only the "
                "CoreDNS pods and `ports` with 53.",
            )
    welcome = judged(state, [client(cluster)], frontend, PORT)
    if not welcome.allowed and isolation(state, frontend[0])[0]:
        return Feedback(
            False,
            f"DNS works, but frontend no longer accepts connections ({CLIENT} of {OTHER}).",
            f"The policy verdict: {welcome}. A policy that lists Ingress in policyTypes "
            "isolates the pods for ingress too. Without `policyTypes` in the manifest, the "
            "API server stores Ingress, plus Egress when there are egress rules: write "
            "`policyTypes: [Egress]`.",
        )
    return Feedback(
        True,
        "frontend resolves names again, and reaches nothing else.",
        f"The policy verdict for a lookup: {udp}. kube-proxy has already rewritten "
        "10.96.0.10 to a CoreDNS pod's IP when the policy looks, so the rule names the CoreDNS "
        "pods, over UDP and TCP 53.",
    )


def dns_egress_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Let the frontend resolve names again",
        goal=(
            f"Namespace {SHOP} is default-deny for egress, and the frontend's lookups time out: "
            f"`nslookup backend` gets no answer. Let the frontend pods use the cluster DNS again, "
            f"without opening anything else: they still reach no other pod on {PORT}, and they "
            "still accept connections. Write a NetworkPolicy, apply it with %%kubectl, then run "
            "the check."
        ),
        setup=shop_setup(DEFAULT_DENY_EGRESS),
        judge=_judge,
        hints=[
            "A lookup goes to 10.96.0.10, port 53; kube-proxy rewrites that to a CoreDNS pod's "
            "IP before the policy looks at the packet. So the rule must select the CoreDNS pods: "
            f"`kubectl get pods -n {DNS_NAMESPACE} --show-labels`.",
            f"CoreDNS runs in {DNS_NAMESPACE}: one `to` item with a namespaceSelector "
            f"(kubernetes.io/metadata.name: {DNS_NAMESPACE}) AND a podSelector (k8s-app: "
            "kube-dns). Ports: UDP 53 and TCP 53, each with its `protocol` (the default is TCP).",
            f"Apply a NetworkPolicy in {SHOP} with podSelector app=frontend, policyTypes "
            "[Egress] (without it the frontend would stop accepting connections), and that "
            "one egress rule.",
        ],
        solution=[Command("apply -f -\n" + ALLOW_DNS)],
    )


DNS_EGRESS_TASK = dns_egress_task()
"""Notebook 14: the second task."""
