"""Exercises that end each notebook, checked against the learner's own cluster: questions
answered with a value, tasks done in the cluster, and each notebook's recap."""

from __future__ import annotations

from kubenet_nb.exercises.base import Exercise, Feedback
from kubenet_nb.exercises.dns import SEARCH_QUERIES
from kubenet_nb.exercises.dns_policy_task import DNS_EGRESS_TASK
from kubenet_nb.exercises.kube_proxy import RULE_PROBABILITY
from kubenet_nb.exercises.loadbalancer_task import KEEP_CLIENT_TASK
from kubenet_nb.exercises.nodeport_task import NODEPORT_TASK
from kubenet_nb.exercises.pod_network import LOCALHOST_PORT, POD_SOURCE_IP
from kubenet_nb.exercises.policy_task import FRONTEND_ONLY_TASK
from kubenet_nb.exercises.port_task import PORT_TASK
from kubenet_nb.exercises.readiness import TRAFFIC_PODS
from kubenet_nb.exercises.readiness_task import READY_ONLY_TASK
from kubenet_nb.exercises.recap import Recap
from kubenet_nb.exercises.recaps import recap
from kubenet_nb.exercises.selector_task import SELECTOR_TASK
from kubenet_nb.exercises.task import Task
from kubenet_nb.exercises.troubleshooting_task import TWO_FAULTS_TASK

__all__ = [
    "DNS_EGRESS_TASK",
    "FRONTEND_ONLY_TASK",
    "KEEP_CLIENT_TASK",
    "LOCALHOST_PORT",
    "NODEPORT_TASK",
    "POD_SOURCE_IP",
    "PORT_TASK",
    "READY_ONLY_TASK",
    "RULE_PROBABILITY",
    "SEARCH_QUERIES",
    "SELECTOR_TASK",
    "TRAFFIC_PODS",
    "TWO_FAULTS_TASK",
    "Exercise",
    "Feedback",
    "Recap",
    "Task",
    "recap",
]
