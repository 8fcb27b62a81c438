"""Notebook 05's task: let a client outside the cluster in, through a node port.

The set-up creates Deployment `hello` (agnhost's `netexec` on 8080) and Service `hello` of type
ClusterIP, which outside clients cannot reach. The check traces one connection from the machine
that runs kind, 172.18.0.1, to every node's InternalIP at the Service's node port: done when
each one is delivered to a `hello` pod.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.external import OUTSIDE_CLIENT
from kubenet_nb.exercises.task import Command, Task, first_missing

__all__ = ["NODEPORT_TASK", "nodeport_task"]

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"

_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: hello
spec:
{type}  selector:
    app: hello
  ports:
  - port: 80
    targetPort: 8080
"""


def _node_addresses(cluster: Any) -> list[tuple[str, str]]:
    """(node, InternalIP) of every node, by name."""
    found = []
    for node in cluster.list("nodes", None):
        addresses = (node.get("status") or {}).get("addresses") or ()
        ip = next((a["address"] for a in addresses if a.get("type") == "InternalIP"), None)
        if ip is not None:
            found.append((node["metadata"]["name"], ip))
    return sorted(found)


def _judge(cluster: Any) -> Feedback:
    gone = first_missing(cluster, ("deployment", "hello"), ("service", "hello"))
    if gone is not None:
        return gone
    spec = cluster.get("service", "hello")["spec"]
    kind = spec.get("type", "ClusterIP")
    node_port = next((p["nodePort"] for p in spec.get("ports") or () if p.get("nodePort")), None)
    if node_port is None:
        ports = ", ".join(str(p.get("port")) for p in spec.get("ports") or ()) or "none"
        return Feedback(
            False,
            f"Service hello is of type {kind}: it has no node port.",
            f"Its port ({ports}) is open on its ClusterIP only, an address that exists in the "
            f"nodes' rules and that {OUTSIDE_CLIENT} has no route to; a Service's port is not "
            "opened on the nodes. A Service of type NodePort gets a node port, 30000-32767, "
            "open on every node.",
        )
    failed = []
    for node, ip in _node_addresses(cluster):
        trace = cluster.trace(OUTSIDE_CLIENT, f"{ip}:{node_port}", seed=0)
        if trace.verdict != "delivered":
            failed.append((node, ip, trace))
    if failed:
        node, ip, trace = failed[0]
        where = ", ".join(name for name, _ip, _trace in failed)
        return Feedback(
            False,
            f"From {OUTSIDE_CLIENT}, node port {node_port} does not answer on {where}.",
            f"To {ip}:{node_port} ({node}): {trace.summary()}.",
        )
    return Feedback(
        True,
        f"{OUTSIDE_CLIENT} reaches hello at node port {node_port} on every node.",
        "kube-proxy opened the node port on each node; the node that receives a connection "
        "rewrites its destination to a hello pod (DNAT), wherever that pod runs.",
    )


def nodeport_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Open Service hello to outside clients",
        goal=(
            f"The machine that runs kind, {OUTSIDE_CLIENT}, must reach the hello pods at any "
            "node's IP on a node port. Change Service hello so that it can, then run the check."
        ),
        setup=[
            Command(
                f"create deployment hello --image={AGNHOST} --replicas=2 --port=8080 -- "
                "/agnhost netexec --http-port=8080",
                unless=("deployment", "hello"),
            ),
            Command("delete service hello", only_if=("service", "hello")),
            Command("apply -f -\n" + _SERVICE.format(type="")),
        ],
        judge=_judge,
        hints=[
            "Read TYPE and PORT(S) in `kubectl get service hello`: a ClusterIP Service has no "
            "node port, and its ClusterIP is reachable from inside the cluster only.",
            "Make it a Service of type NodePort; leave nodePort out and the API server picks "
            "one from 30000-32767.",
            "Apply the Service's manifest again with `type: NodePort`, then read the node port "
            "in PORT(S) (`80:3xxxx/TCP`) and trace from outside: "
            f'c.trace("{OUTSIDE_CLIENT}", "<node IP>:<node port>").',
        ],
        solution=[Command("apply -f -\n" + _SERVICE.format(type="  type: NodePort\n"))],
    )


NODEPORT_TASK = nodeport_task()
"""Notebook 05: the task at the end."""
