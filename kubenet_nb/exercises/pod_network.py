"""Exercises for the pod-network notebooks: a pod's shared localhost, and pod to pod without NAT.

Each answer is computed from the learner's cluster when checked: the port the `app` container
of pod `shop` declares, and the source address a `hello` pod on another node sees when pod
`client` connects to its pod IP (from a trace of that very connection).
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.exercises.base import Exercise

__all__ = ["LOCALHOST_PORT", "POD_SOURCE_IP", "SHOP_POD"]

SHOP_POD = """apiVersion: v1
kind: Pod
metadata:
  name: shop
spec:
  containers:
  - name: app
    image: registry.k8s.io/e2e-test-images/agnhost:2.52
    args: ["netexec", "--http-port=9376"]
    ports:
    - containerPort: 9376
  - name: sidecar
    image: nicolaka/netshoot
    command: ["sleep", "infinity"]
"""
"""The pod of the first exercise: an app container and a sidecar sharing one network."""

MISSING = "The pods this exercise asks about are not in the cluster: run the cells above first."
SERVER_PORT = 8080
"""The port the `hello` pods of the pod-to-pod notebook listen on."""


def _app_port(cluster: Any) -> int | None:
    try:
        pod = cluster.get("pod", "shop")
    except KubenetError:
        return None
    for container in pod["spec"]["containers"]:
        if container["name"] == "app":
            ports = container.get("ports") or []
            return int(ports[0]["containerPort"]) if ports else None
    return None


def _as_port(given: Any) -> int | None:
    """9376, "9376", "localhost:9376" or "http://localhost:9376/" as a port number."""
    text = str(given).strip().rstrip("/").rsplit(":", 1)[-1]
    return int(text) if text.isdigit() else None


def _explain_port(cluster: Any, port: int | None) -> str:
    if port is None:
        return MISSING
    return (
        f"The app container listens on {port}. The containers of a pod share one network "
        f"namespace, so from the sidecar `curl localhost:{port}` reaches it; from any other pod "
        f"localhost is that pod's own."
    )


LOCALHOST_PORT = Exercise(
    question=(
        "From the sidecar container of pod shop, on which port of localhost do you reach the "
        "app container?"
    ),
    expected=_app_port,
    explanation=_explain_port,
    compare=lambda given, expected: expected is not None and _as_port(given) == expected,
)


def _direct_connection(cluster: Any) -> tuple[str, str, str] | None:
    """(server pod, its IP, the source it saw) for client → a hello pod on another node."""
    try:
        client = cluster.get("pod", "client")
    except KubenetError:
        return None
    node = client["spec"].get("nodeName")
    servers = sorted(
        (p["metadata"]["name"], p["status"]["podIP"])
        for p in cluster.list("pods", selector="app=hello")
        if p["spec"].get("nodeName") != node and (p.get("status") or {}).get("podIP")
    )
    if not servers:
        return None
    name, ip = servers[0]
    trace = cluster.trace("client", f"{ip}:{SERVER_PORT}", seed=0)
    if trace.verdict != "delivered" or trace.source_seen is None:
        return None
    return name, ip, trace.source_seen


def _source_seen(cluster: Any) -> str | None:
    found = _direct_connection(cluster)
    return None if found is None else found[2]


def _explain_source(cluster: Any, seen: str | None) -> str:
    found = _direct_connection(cluster)
    if seen is None or found is None:
        return MISSING
    name, ip, _ = found
    return (
        f"{name} ({ip}) saw the connection come from {seen}, the client pod's own IP: traffic "
        f"from pod to pod is routed between the nodes, never NATed."
    )


POD_SOURCE_IP = Exercise(
    question=(
        "Pod client connects to a hello pod on another node, at its pod IP and port 8080. "
        "Which source IP does that hello pod see?"
    ),
    expected=_source_seen,
    explanation=_explain_source,
    compare=lambda given, expected: expected is not None and str(given).strip() == expected,
)
