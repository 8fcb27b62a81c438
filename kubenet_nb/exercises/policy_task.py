"""Notebook 14's first task: in a default-deny namespace, let only the frontend reach the backend.

The set-up (`policy_shop`) leaves one NetworkPolicy in `shop`, `default-deny-ingress`. The check
asks the NetworkPolicy evaluator about new TCP connections to the backend pods' port 8080: done
when the frontend's pass, and neither the client of namespace `other` nor the db gets in, while
the rest of `shop` stays closed; then a trace of the frontend's `curl http://backend` must be
delivered. Its feedback names the usual wrong fixes: a namespaceSelector
and a podSelector as two items (ORed, so more pods get in) and the Service's port 80 instead of
the pods' 8080 (policies see the connection after kube-proxy's DNAT).
"""

from __future__ import annotations

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
    policies,
    shop_setup,
)
from kubenet_nb.exercises.task import Command, Task
from kubenet_nb.network.policy import PolicyState, isolation, policy_state, policy_types

__all__ = ["ALLOW_FRONTEND", "DEFAULT_DENY_INGRESS", "FRONTEND_ONLY_TASK", "frontend_only_task"]

DEFAULT_DENY_INGRESS = f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-ingress
  namespace: {SHOP}
spec:
  podSelector: {{}}
  policyTypes: [Ingress]
"""
ALLOW_FRONTEND = f"""apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: backend-from-frontend
  namespace: {SHOP}
spec:
  podSelector:
    matchLabels: {{app: backend}}
  policyTypes: [Ingress]
  ingress:
  - from:
    - podSelector:
        matchLabels: {{app: frontend}}
    ports:
    - protocol: TCP
      port: {PORT}
"""
"""The solution: a second policy, for the backend pods, from the frontend pods, on 8080."""


def _two_items(state: PolicyState, pod: dict) -> str | None:
    """The name of a policy admitting to `pod` that lists a namespaceSelector and a podSelector
    as two peers of one rule (ORed) instead of one peer with both (ANDed)."""
    for policy in state.selecting(pod):
        if "Ingress" not in policy_types(policy):
            continue
        for rule in (policy.get("spec") or {}).get("ingress") or ():
            peers = rule.get("from") or ()
            namespaces = any("namespaceSelector" in p and "podSelector" not in p for p in peers)
            selected = any("podSelector" in p and "namespaceSelector" not in p for p in peers)
            if namespaces and selected:
                return str(policy["metadata"]["name"])
    return None


def _elsewhere(cluster: Any) -> tuple[str, str] | None:
    """(name, namespace) of a policy outside `shop` whose podSelector asks for app=backend:
    one applied to the wrong namespace."""
    for policy in policies(cluster, None):
        namespace = policy["metadata"].get("namespace", "default")
        labels = ((policy.get("spec") or {}).get("podSelector") or {}).get("matchLabels") or {}
        if namespace != SHOP and labels.get("app") == "backend":
            return str(policy["metadata"]["name"]), str(namespace)
    return None


def _let_in(state: PolicyState, who: str, why: str, backend: dict) -> Feedback:
    """Feedback for a pod other than the frontend reaching the backend."""
    message = f"{who} reaches backend on {PORT} too; only the frontend may."
    if not isolation(state, backend)[0]:
        return Feedback(
            False,
            message,
            f"No policy selects the backend pods for ingress any more, so they accept every "
            f"connection. Keep default-deny-ingress in {SHOP} and add a policy next to it.",
        )
    name = _two_items(state, backend)
    if name is not None:
        return Feedback(
            False,
            message,
            f"Policy {name} lists a namespaceSelector and a podSelector as two items of `from` "
            "(two dashes): items are ORed, so every pod of the selected namespaces gets in, "
            "whatever its labels. Both selectors in ONE item (one dash) are ANDed. Here a "
            "podSelector alone is enough: it looks in the policy's own namespace.",
        )
    return Feedback(
        False,
        message,
        f"The policy verdict: {why}. Narrow the rule to the pods labelled app=frontend.",
    )


def _judge(cluster: Any) -> Feedback:
    gone = missing(cluster, "frontend", "backend", "db")
    if gone is not None:
        return gone
    state = policy_state(cluster)
    frontend, backend, db = pods(cluster, "frontend"), pods(cluster, "backend"), pods(cluster, "db")
    outsider = [client(cluster)]
    served = judged(state, frontend, backend, PORT)
    if not served.allowed:
        if judged(state, frontend, backend, 80).allowed:
            return Feedback(
                False,
                f"frontend cannot reach backend on {PORT}; your policy allows port 80.",
                f"Port 80 is the Service's. kube-proxy rewrites the connection to a backend pod's "
                f"IP and its targetPort, {PORT}, before the packet reaches the pod, and that is "
                f"what the policy judges: a policy never sees a Service's port or ClusterIP.",
            )
        elsewhere = _elsewhere(cluster)
        if elsewhere is not None:
            name, namespace = elsewhere
            return Feedback(
                False,
                f"frontend cannot reach backend on {PORT}; policy {name} is in {namespace}.",
                f"A NetworkPolicy selects pods of its own namespace only: policy {name} selects "
                f"pods labelled app=backend in namespace {namespace}, where there are none. Give "
                f"it `namespace: {SHOP}` in its metadata (or apply it with -n {SHOP}).",
            )
        return Feedback(
            False,
            f"frontend cannot reach backend on {PORT}.",
            f"The policy verdict: {served}. The default-deny policy stays; a second policy must "
            "select the backend pods and allow the frontend pods in.",
        )
    outside = judged(state, outsider, backend, PORT)
    if outside.allowed:
        return _let_in(state, f"{CLIENT} (namespace {OTHER})", str(outside), backend[0])
    inside = judged(state, db, backend, PORT)
    if inside.allowed:
        return _let_in(state, "db", str(inside), backend[0])
    for app, targets in (("frontend", frontend), ("db", db)):
        opened = judged(state, outsider, targets, PORT)
        if opened.allowed:
            return Feedback(
                False,
                f"{CLIENT} (namespace {OTHER}) reaches {app} too.",
                f"The policy verdict: {opened}. The rest of {SHOP} must stay default-deny: keep "
                "default-deny-ingress, and select only the backend pods in your policy.",
            )
    # A fixed seed: checking leaves the cluster's own stream of traffic choices alone.
    trace = cluster.trace(key(frontend[0]), "backend", seed=SEED)
    if trace.verdict != "delivered":
        return Feedback(
            False,
            f"The policies are right, but frontend's `curl http://backend` ends in "
            f"{trace.verdict}.",
            f"{trace.summary()}. Something else than a policy is in the way: compare Service "
            f"backend with the one the set-up made (`kubectl describe service backend -n {SHOP}`).",
        )
    return Feedback(
        True,
        f"Only the frontend reaches backend on {PORT}.",
        f"The policy verdict: {served}. {CLIENT} and db stay out: {outside}.",
    )


def frontend_only_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Let only the frontend reach the backend",
        goal=(
            f"Namespace {SHOP} is default-deny for ingress: nothing reaches its pods. Let the "
            f"frontend pods reach the backend pods on {PORT} (that is where `curl "
            f"http://backend` from the frontend ends up), and nothing else: not the {CLIENT} "
            f"of namespace {OTHER}, not db, and the rest of {SHOP} stays closed. Write a "
            "NetworkPolicy, apply it with %%kubectl, then run the check."
        ),
        setup=shop_setup(DEFAULT_DENY_INGRESS),
        judge=_judge,
        hints=[
            "Keep default-deny-ingress: policies only add what they allow, so a second policy "
            "next to it opens what it lists and nothing else. It selects the backend pods "
            "(spec.podSelector) and allows ingress from the frontend pods.",
            f"In `from`, a podSelector alone means pods of the policy's own namespace: that is "
            f"what you want. The port is the pods' ({PORT}), not the Service's (80): the "
            "policy sees the connection after kube-proxy's DNAT.",
            f"Apply a NetworkPolicy in namespace {SHOP} with podSelector app=backend, "
            f"policyTypes [Ingress], and one ingress rule: from podSelector app=frontend, "
            f"ports TCP {PORT}.",
        ],
        solution=[Command("apply -f -\n" + ALLOW_FRONTEND)],
    )


FRONTEND_ONLY_TASK = frontend_only_task()
"""Notebook 14: the first task."""
