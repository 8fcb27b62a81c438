"""Notebook 10's task: make Service orders send traffic to ready pods only.

The set-up applies Deployment `orders` (three agnhost pods, each with an HTTP readinessProbe) and
Service `orders` with `publishNotReadyAddresses: true`, then makes one pod's probe fail. The
check opens connections from `client` through the cluster's rules (`send`) and reads the pods'
Ready conditions: done when no pod that is not ready got a connection and the Service no longer
publishes not-ready addresses (otherwise the next failing probe would bring the problem back).
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.port_task import CLIENT, CLIENT_POD
from kubenet_nb.exercises.task import Call, Command, Task, first_missing

__all__ = ["CONNECTIONS", "READY_ONLY_TASK", "ready_only_task"]

CONNECTIONS = 300
"""How many connections the check opens."""

_DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  replicas: 3
  selector:
    matchLabels: {app: orders}
  template:
    metadata:
      labels: {app: orders}
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.52
        args: [netexec, --http-port=8080]
        ports:
        - containerPort: 8080
        readinessProbe:
          httpGet: {path: /hostname, port: 8080}
"""
_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: orders
spec:
  selector: {{app: orders}}
{publish}  ports:
  - port: 80
    targetPort: 8080
"""

_PUBLISH = "  publishNotReadyAddresses: true\n"


def _not_ready(cluster: Any) -> list[str]:
    """The running `orders` pods whose Ready condition is not True, by name."""
    names = []
    for pod in cluster.list("pods", selector="app=orders"):
        if (pod.get("metadata") or {}).get("deletionTimestamp"):
            continue
        conditions = (pod.get("status") or {}).get("conditions") or ()
        ready = next((c.get("status") for c in conditions if c.get("type") == "Ready"), None)
        if ready != "True":
            names.append(pod["metadata"]["name"])
    return sorted(names)


def _sick(cluster: Any) -> str:
    """The pod the set-up makes fail its probe: the first by name."""
    pods = sorted(p["metadata"]["name"] for p in cluster.list("pods", selector="app=orders"))
    return pods[0]


def _judge(cluster: Any) -> Feedback:
    gone = first_missing(cluster, ("pod", CLIENT), ("service", "orders"))
    if gone is not None:
        return gone
    traffic = cluster.send(CLIENT, "orders", n=CONNECTIONS, seed=0)
    got = {row.pod: row.count for row in traffic.itertuples() if row.verdict == "delivered"}
    delivered = sum(got.values())
    if not delivered:
        failures = ", ".join(sorted({str(v) for v in traffic["verdict"]}))
        return Feedback(
            False,
            f"None of {CONNECTIONS} connections to orders was delivered ({failures}).",
            "The Service must still work for its ready pods: look at "
            '`c.endpoints_table(service="orders")`.',
        )
    sick = [pod for pod in _not_ready(cluster) if got.get(pod)]
    if sick:
        counts = ", ".join(f"{pod} got {got[pod]}" for pod in sick)
        return Feedback(
            False,
            f"Pods that are not ready still get connections: {counts} of {CONNECTIONS}.",
            "With publishNotReadyAddresses the EndpointSlice controller marks every endpoint "
            "ready, whatever its probe says, and kube-proxy trusts that condition.",
        )
    if cluster.get("service", "orders")["spec"].get("publishNotReadyAddresses"):
        return Feedback(
            False,
            "No pod that is not ready got a connection now, but Service orders still "
            "publishes not-ready addresses.",
            "The next pod whose probe fails would keep getting traffic: the cause is the "
            "Service's publishNotReadyAddresses, not the pod.",
        )
    ready = ", ".join(sorted(pod for pod, count in got.items() if count))
    return Feedback(
        True,
        f"{CONNECTIONS} connections to orders went to ready pods only: {ready}.",
        "Without publishNotReadyAddresses the EndpointSlice lists a pod whose probe fails as "
        "ready: false, and kube-proxy writes rules for ready endpoints only.",
    )


def ready_only_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Send orders' traffic to ready pods only",
        goal=(
            "One pod of Deployment orders fails its readiness probe, yet Service orders still "
            "sends it connections. Change the Service so that only ready pods get traffic, "
            "then run the check."
        ),
        setup=[
            Command("apply -f -\n" + _DEPLOYMENT + "---\n" + _SERVICE.format(publish=_PUBLISH)),
            CLIENT_POD,
            Call(
                code=lambda cluster: f'c.set_ready("{_sick(cluster)}", False)',
                act=lambda cluster: cluster.set_ready(_sick(cluster), False),
            ),
        ],
        judge=_judge,
        hints=[
            "Look at the endpoints as kube-proxy reads them: "
            '`c.endpoints_table(service="orders")`. Which condition says ready, and does it '
            "match `kubectl get pods`?",
            "The pod is not the problem: read the Service's spec (`kubectl get service orders "
            "-o yaml`) for the field that marks every endpoint ready.",
            "Apply the Service's manifest again without publishNotReadyAddresses: `kubectl "
            "apply` removes the field, since it was in the last applied manifest.",
        ],
        solution=[Command("apply -f -\n" + _SERVICE.format(publish=""))],
    )


READY_ONLY_TASK = ready_only_task()
"""Notebook 10: the task at the end."""
