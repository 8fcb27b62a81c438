"""Exercises for notebooks 04-06: reaching a Service from outside the cluster.

Each answer is worked out from the learner's cluster when it is checked: node addresses and node
ports from the API objects, the nodes that answer from traces of an outside client, the nodes a
load balancer sends to from the data plane's own choice. A Service the notebook made and the
learner deleted gives a hint to re-run the notebook, not a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

from kubenet_nb.api.errors import NotFound
from kubenet_nb.api.well_known import EXCLUDE_FROM_LB_LABEL, SERVICE_NAME_LABEL
from kubenet_nb.exercises.base import Exercise
from kubenet_nb.network.dataplane import dataplane
from kubenet_nb.views.workbook import Workbook

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.network.proxy import ProxySettings

__all__ = ["LB_TARGET_NODES", "NODEPORT_LOCAL_NODES", "OUTSIDE_ADDRESS", "OUTSIDE_CLIENT"]

OUTSIDE_CLIENT = "172.18.0.1"
"""The machine that runs kind: on the `kind` Docker network, but not a node."""


class LearnerCluster(Workbook, Protocol):
    """The learner's cluster as these exercises read it: the public calls, plus the engine and
    kube-proxy's settings, to ask the data plane where a load balancer sends traffic."""

    control_plane: ControlPlane
    proxy: ProxySettings


def _service(cluster: LearnerCluster, name: str) -> dict | None:
    try:
        return cluster.get("svc", name)
    except NotFound:
        return None


def _missing(name: str) -> str:
    return f"There is no Service {name} any more: run the notebook again from the top."


def _node_ip(node: dict) -> str:
    addresses = (node.get("status") or {}).get("addresses") or ()
    return next((a["address"] for a in addresses if a.get("type") == "InternalIP"), "")


def _node_port(service: dict) -> int | None:
    ports = service["spec"].get("ports") or ()
    return ports[0].get("nodePort") if ports else None


def _pod_nodes(cluster: LearnerCluster, service: dict) -> list[str]:
    """Nodes that run a ready endpoint of the Service."""
    name = service["metadata"]["name"]
    slices = cluster.list("endpointslices", selector=f"{SERVICE_NAME_LABEL}={name}")
    nodes = {
        endpoint.get("nodeName", "")
        for each in slices
        for endpoint in each.get("endpoints") or ()
        if (endpoint.get("conditions") or {}).get("ready")
    }
    return sorted(nodes - {""})


def _same_nodes(given: Any, expected: list[str] | None) -> bool:
    """A set of node names, written as a list, tuple, set or a single name."""
    if expected is None:
        return False
    if isinstance(given, str):
        given = [given]
    if not isinstance(given, Iterable) or not all(isinstance(n, str) for n in given):
        return False
    return {n.strip() for n in given} == set(expected)


# -- 04: inside and outside ------------------------------------------------------------------

ADDRESS_SERVICE, ADDRESS_NODE = "web-nodeport", "kind-control-plane"


def _outside_address(cluster: LearnerCluster) -> str | None:
    service = _service(cluster, ADDRESS_SERVICE)
    port = _node_port(service) if service is not None else None
    if port is None:
        return None
    return f"{_node_ip(cluster.get('node', ADDRESS_NODE))}:{port}"


def _explain_address(cluster: LearnerCluster, expected: str | None) -> str:
    service = _service(cluster, ADDRESS_SERVICE)
    if expected is None or service is None:
        return _missing(ADDRESS_SERVICE)
    port = expected.rsplit(":", 1)[1]
    pods = _pod_nodes(cluster, service)
    where = ", ".join(pods) if pods else "no node"
    return (
        f"Every node opens nodePort {port} for {ADDRESS_SERVICE}, {ADDRESS_NODE} too, although "
        f"the pods run on {where}: {expected} reaches them. The ClusterIP "
        f"{service['spec'].get('clusterIP')} works only from inside the cluster."
    )


OUTSIDE_ADDRESS = Exercise(
    question=(
        f"Which address (ip:port) does a client outside the cluster use to reach Service "
        f"{ADDRESS_SERVICE} through node {ADDRESS_NODE}?"
    ),
    expected=_outside_address,
    explanation=_explain_address,
    compare=lambda given, expected: expected is not None and str(given).strip() == expected,
)

# -- 05: externalTrafficPolicy on a NodePort -----------------------------------------------

POLICY_SERVICE = "echo"


def _answering_nodes(cluster: LearnerCluster) -> list[str] | None:
    """Nodes whose nodePort delivers a new connection from the outside client."""
    service = _service(cluster, POLICY_SERVICE)
    port = _node_port(service) if service is not None else None
    if port is None:
        return None
    answering = []
    for node in cluster.list("nodes"):
        trace = cluster.trace(OUTSIDE_CLIENT, f"{_node_ip(node)}:{port}", seed=0)
        if trace.verdict == "delivered":
            answering.append(node["metadata"]["name"])
    return answering


def _explain_policy(cluster: LearnerCluster, expected: list[str] | None) -> str:
    service = _service(cluster, POLICY_SERVICE)
    if expected is None or service is None:
        return _missing(POLICY_SERVICE)
    policy = service["spec"].get("externalTrafficPolicy", "Cluster")
    pods = ", ".join(_pod_nodes(cluster, service)) or "no node"
    answering = ", ".join(expected) or "none"
    if policy == "Local":
        return (
            f"{POLICY_SERVICE} has externalTrafficPolicy Local and its ready pods run on {pods}. "
            f"Nodes answering: {answering}. A node without a local pod drops the packet; the "
            "others hand it to their own pod and keep the client's address."
        )
    return (
        f"{POLICY_SERVICE} has externalTrafficPolicy {policy}: every node forwards to any ready "
        f"pod (on {pods}), masquerading the client. Nodes answering: {answering}."
    )


NODEPORT_LOCAL_NODES = Exercise(
    question=(
        f"Which nodes answer a client outside the cluster on the nodePort of Service "
        f"{POLICY_SERVICE}? (a list of node names)"
    ),
    expected=_answering_nodes,
    explanation=_explain_policy,
    compare=_same_nodes,
)

# -- 06: where a load balancer sends traffic ------------------------------------------------

LB_SERVICE = "shop"


def _ingress_ip(service: dict) -> str | None:
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
    return next((i["ip"] for i in ingress if i.get("ip")), None)


def _lb_nodes(cluster: LearnerCluster) -> list[str] | None:
    """The nodes the load balancer spreads the Service's traffic over (its own choice)."""
    service = _service(cluster, LB_SERVICE)
    ip = _ingress_ip(service) if service is not None else None
    if ip is None:
        return None
    wiring = dataplane(cluster.control_plane).view(cluster.control_plane, cluster.proxy).wiring
    return sorted(wiring.lb_entry_nodes(ip))


def _explain_lb(cluster: LearnerCluster, expected: list[str] | None) -> str:
    service = _service(cluster, LB_SERVICE)
    if expected is None or service is None:
        return _missing(LB_SERVICE)
    excluded = [
        node["metadata"]["name"]
        for node in cluster.list("nodes")
        if EXCLUDE_FROM_LB_LABEL in (node["metadata"].get("labels") or {})
    ]
    skipped = (
        f"It never uses {', '.join(excluded)} (label {EXCLUDE_FROM_LB_LABEL}). " if excluded else ""
    )
    spec = service["spec"]
    targets = ", ".join(expected) or "none"
    if spec.get("externalTrafficPolicy") != "Local":
        return (
            f"{skipped}With externalTrafficPolicy Cluster any other Ready node will do: {targets}."
        )
    checks = (
        f"{skipped}With externalTrafficPolicy Local it health-checks port "
        f"{spec.get('healthCheckNodePort')} on each node"
    )
    pods = _pod_nodes(cluster, service)
    if not pods:
        return (
            f"{checks}; no node runs a ready {LB_SERVICE} pod, so none passes, and this load "
            f"balancer falls back to all it may use: {targets}."
        )
    return (
        f"{checks}; only nodes with a ready {LB_SERVICE} pod ({', '.join(pods)}) pass, so it "
        f"sends to: {targets}."
    )


LB_TARGET_NODES = Exercise(
    question=(
        f"To which nodes does the load balancer of Service {LB_SERVICE} send traffic? "
        "(a list of node names)"
    ),
    expected=_lb_nodes,
    explanation=_explain_lb,
    compare=_same_nodes,
)
