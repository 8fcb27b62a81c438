"""Notebook 06's task: keep the outside client's address behind a load balancer.

The set-up creates Deployment `store` (agnhost's `netexec` on 8080) and Service `store` of type
LoadBalancer, port 80 to 8080, with the default `externalTrafficPolicy: Cluster`: every node
masquerades the connections it forwards, so the pods never see the client. The check traces a
few connections from the machine that runs kind, 172.18.0.1, to the load balancer's address at
port 80, each with its own fixed seed (the load balancer's pick of a node, then kube-proxy's pick
of a pod): done when every one is delivered and the pod saw 172.18.0.1.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.external import OUTSIDE_CLIENT
from kubenet_nb.exercises.task import RERUN, Command, Task, exists
from kubenet_nb.views.topology.services import ingress_addresses

__all__ = ["KEEP_CLIENT_TASK", "SEEDS", "keep_client_task"]

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"
SEEDS = range(6)
"""The seeds of the traces a check makes: enough to reach every node the balancer uses."""
PORT = 80
"""The port the store's clients connect to at the load balancer's address."""

_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: store
spec:
  type: LoadBalancer
  selector:
    app: store
  ports:
  - port: 80
    targetPort: 8080
"""
_PATCH = """patch service store -p '{"spec":{"externalTrafficPolicy":"Local"}}'"""


def _missing(cluster: Any) -> Feedback | None:
    if not exists(cluster, "deployment", "store"):
        return Feedback(False, "There is no Deployment store.", RERUN)
    if not exists(cluster, "service", "store"):
        return Feedback(
            False,
            "There is no Service store.",
            "Without it nothing answers at the load balancer's address: the client's address "
            f"is a setting of the Service, not a reason to remove it. {RERUN}",
        )
    return None


def _not_a_load_balancer(kind: str) -> Feedback:
    if kind == "NodePort":
        why = (
            "A NodePort Service keeps its node ports but loses the load balancer: its address "
            "is gone from the status, and the clients that use it get no answer. Nor would it "
            "keep the client's address: a NodePort has an externalTrafficPolicy too, and with "
            "Cluster its nodes masquerade just the same."
        )
    else:
        why = (
            "The load balancer belongs to a Service of type LoadBalancer: without it, its "
            "address is gone and the clients that use it get no answer."
        )
    return Feedback(
        False,
        f"Service store is of type {kind}: it has no load balancer any more.",
        f"{why} Keep type LoadBalancer and change how its nodes forward outside traffic.",
    )


def _masqueraded(spec: dict, trace: Any) -> Feedback:
    policy = spec.get("externalTrafficPolicy", "Cluster")
    entry = trace.entry_node
    if trace.node == entry:
        path = f"{entry}, which runs the pod, and {entry} still replaced"
    else:
        path = f"{entry}, which forwarded it to a pod on {trace.node} and replaced"
    explanation = (
        f"The load balancer handed the connection to {path} the client's address with its own "
        "(MASQUERADE), so that the reply comes back through it. With externalTrafficPolicy "
        f"{policy} a node may forward an outside connection to any node's pod, so it "
        "masquerades every one."
    )
    if spec.get("internalTrafficPolicy") == "Local":
        explanation += (
            " internalTrafficPolicy applies to connections from inside the cluster only; "
            "the load balancer's traffic comes from outside."
        )
    return Feedback(
        False, f"The store pods see {trace.source_seen}, not {OUTSIDE_CLIENT}.", explanation
    )


def _judge(cluster: Any) -> Feedback:
    gone = _missing(cluster)
    if gone is not None:
        return gone
    spec = cluster.get("service", "store")["spec"]
    kind = spec.get("type", "ClusterIP")
    if kind != "LoadBalancer":
        return _not_a_load_balancer(kind)
    ip = next(iter(ingress_addresses(cluster.get("service", "store"))), None)
    if not ip:
        return Feedback(
            False,
            "Service store has no load-balancer address (EXTERNAL-IP <pending>).",
            "No load-balancer controller took it: read its events in `kubectl describe "
            f"service store`. {RERUN}",
        )
    entered = set()
    for seed in SEEDS:
        trace = cluster.trace(OUTSIDE_CLIENT, f"{ip}:{PORT}", seed=seed)
        if trace.verdict != "delivered":
            return Feedback(
                False,
                f"From {OUTSIDE_CLIENT}, {ip}:{PORT} does not answer.",
                f"{trace.summary()}. Keep the store pods ready and the Service's port 80 to "
                "8080, where they listen.",
            )
        if trace.source_seen != OUTSIDE_CLIENT:
            return _masqueraded(spec, trace)
        entered.add(trace.entry_node)
    return Feedback(
        True,
        f"Every connection from {OUTSIDE_CLIENT} to {ip}:{PORT} reached a store pod, which saw "
        f"{OUTSIDE_CLIENT}.",
        "With externalTrafficPolicy Local a node hands an outside connection to its own store "
        "pods only, so the reply passes back through it and nothing is masqueraded. The load "
        f"balancer health-checks port {spec.get('healthCheckNodePort')} on every node and "
        "sends only to the nodes that run a ready pod; these connections entered on "
        f"{', '.join(sorted(entered))}.",
    )


def keep_client_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Keep the client's address",
        goal=(
            f"The store pods must see the address of the outside client, {OUTSIDE_CLIENT}, in "
            "their access logs; today they see a node's. Change Service store so that they do, "
            "keeping it a LoadBalancer at the same address, then run the check."
        ),
        setup=[
            Command(
                f"create deployment store --image={AGNHOST} --replicas=2 --port=8080 -- "
                "/agnhost netexec --http-port=8080",
                unless=("deployment", "store"),
            ),
            Command("delete service store", only_if=("service", "store")),
            Command("apply -f -\n" + _SERVICE),
        ],
        judge=_judge,
        hints=[
            "Trace one connection and read what the pod saw: "
            f'c.trace("{OUTSIDE_CLIENT}", f"{{lb_ip}}:80").steps() with the EXTERNAL-IP of '
            "`kubectl get service store`. The MASQUERADE step is the node replacing the "
            "client's address; the Service field externalTrafficPolicy decides whether it "
            "must.",
            "Set externalTrafficPolicy to Local: each node then sends outside traffic to its "
            "own pods only, and the load balancer, following the health check, only to the "
            "nodes that have one.",
            "Change that one field with `kubectl patch service store -p` and a JSON merge "
            'patch: {"spec":{"externalTrafficPolicy":"Local"}}.',
        ],
        solution=[Command(_PATCH)],
    )


KEEP_CLIENT_TASK = keep_client_task()
"""Notebook 06: the task at the end."""
