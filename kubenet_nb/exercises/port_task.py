"""Notebook 04's task: expose a Deployment on port 80, with the targetPort its containers serve.

The set-up creates Deployment `catalog`, agnhost's `netexec` listening on 9376, and a `client`
pod if there is none. The check is a connection from `client` to `catalog:80`, traced through
the cluster (DNS, kube-proxy's rules, the pod's listening sockets): done when it is delivered.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.task import Command, Task, exists, first_missing
from kubenet_nb.exercises.troubleshooting import CAUSES, diagnose

__all__ = ["CLIENT", "PORT_TASK", "SERVICE_PORT", "port_task"]

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"
CLIENT = "client"
SERVICE_PORT = 80
"""The port clients use: `curl http://catalog` connects to port 80."""
CLIENT_POD = Command(
    f"run {CLIENT} --image=nicolaka/netshoot -- sleep infinity", unless=("pod", CLIENT)
)
"""The toolbox pod the checks connect from, made only when the notebook has none."""


def _judge(cluster: Any) -> Feedback:
    gone = first_missing(cluster, ("pod", CLIENT), ("deployment", "catalog"))
    if gone is not None:
        return gone
    if not exists(cluster, "service", "catalog"):
        return Feedback(
            False,
            "There is no Service catalog yet.",
            "Create it from the Deployment with `kubectl expose`.",
        )
    ports = cluster.get("service", "catalog")["spec"].get("ports") or []
    numbers = [p.get("port") for p in ports]
    if SERVICE_PORT not in numbers:
        listed = ", ".join(str(n) for n in numbers) or "no port"
        return Feedback(
            False,
            f"Service catalog listens on {listed}, not on {SERVICE_PORT}.",
            f"`curl http://catalog` connects to the Service's port, {SERVICE_PORT}: that is "
            "`--port`. Where the containers listen is the other one, `--target-port`.",
        )
    found = diagnose(cluster, CLIENT, "catalog", SERVICE_PORT)
    if found.cause is None:
        return Feedback(
            True,
            f"{CLIENT} reaches catalog on port {SERVICE_PORT}.",
            f"{found.evidence} The Service's port is what clients connect to; its targetPort "
            "is where the container listens.",
        )
    what = CAUSES.get(found.cause or "", "the connection fails")
    return Feedback(False, f"{CLIENT} cannot reach catalog: {what}.", found.evidence)


def port_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Expose Deployment catalog on port 80",
        goal=(
            "Make a Service catalog for the pods of Deployment catalog, so that `kubectl exec "
            "client -- curl -s http://catalog/hostname` answers with a pod's name. Clients use "
            "port 80; find out where the containers listen."
        ),
        setup=[
            Command(
                f"create deployment catalog --image={AGNHOST} --replicas=2 --port=9376 -- "
                "/agnhost netexec --http-port=9376",
                unless=("deployment", "catalog"),
            ),
            CLIENT_POD,
            Command("delete service catalog", only_if=("service", "catalog")),
        ],
        judge=_judge,
        hints=[
            "Where do the containers listen? `kubectl describe deployment catalog` shows the "
            "container's command and the port it declares.",
            "`kubectl expose` takes two ports: --port is the Service's own (80 here), "
            "--target-port the container's. Left out, the target port is the same as --port.",
            "Delete a Service that does not work (`kubectl delete service catalog`), then "
            "expose the Deployment again with both flags.",
        ],
        solution=[
            Command("delete service catalog --ignore-not-found"),
            Command("expose deployment catalog --port=80 --target-port=9376"),
        ],
    )


PORT_TASK = port_task()
"""Notebook 04 (or 03): the task at the end."""
