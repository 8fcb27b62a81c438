"""Exercises that end each notebook, checked against the learner's own cluster."""

from __future__ import annotations

from kubenet_nb.exercises.base import Exercise, Feedback
from kubenet_nb.exercises.dns import SEARCH_QUERIES
from kubenet_nb.exercises.external import LB_TARGET_NODES, NODEPORT_LOCAL_NODES, OUTSIDE_ADDRESS
from kubenet_nb.exercises.kube_proxy import RULE_PROBABILITY
from kubenet_nb.exercises.pod_network import LOCALHOST_PORT, POD_SOURCE_IP
from kubenet_nb.exercises.readiness import TRAFFIC_PODS
from kubenet_nb.exercises.services import SHOP_BACKENDS
from kubenet_nb.exercises.troubleshooting import ROUTE_FAILURE

__all__ = [
    "LB_TARGET_NODES",
    "LOCALHOST_PORT",
    "NODEPORT_LOCAL_NODES",
    "OUTSIDE_ADDRESS",
    "POD_SOURCE_IP",
    "ROUTE_FAILURE",
    "RULE_PROBABILITY",
    "SEARCH_QUERIES",
    "SHOP_BACKENDS",
    "TRAFFIC_PODS",
    "Exercise",
    "Feedback",
]
