"""Notebook 12's task: an application with two faults to find and fix, one after the other.

The set-up creates Deployment `checkout` (agnhost's `netexec` on 8080, pods labelled
`app=checkout`) and Service `checkout`, whose selector asks for `app=check-out` and whose
targetPort, left out, defaults to its port, 80. The check walks the checklist of notebook 12 from
`client` (`diagnose`): it names the first fault it meets, then, once that is fixed, the second.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.port_task import CLIENT, CLIENT_POD
from kubenet_nb.exercises.task import Command, Task, first_missing
from kubenet_nb.exercises.troubleshooting import CAUSES, diagnose

__all__ = ["TWO_FAULTS_TASK", "two_faults_task"]

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"

_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: checkout
spec:
  selector: {{app: {app}}}
  ports:
  - port: 80
{target}"""


def _judge(cluster: Any) -> Feedback:
    gone = first_missing(cluster, ("pod", CLIENT), ("deployment", "checkout"))
    if gone is not None:
        return gone
    found = diagnose(cluster, CLIENT, "checkout")
    if found.cause is None:
        return Feedback(
            True,
            f"{CLIENT} reaches checkout.",
            f"{found.evidence} Both faults are fixed: the selector matches the pods' labels, "
            "and the targetPort is where the container listens.",
        )
    what = CAUSES.get(found.cause or "", "the connection still fails")
    return Feedback(
        False,
        f"{CLIENT} cannot reach checkout: {what}.",
        f"{found.evidence} Fix this one, then check again: there may be another fault behind it.",
    )


def two_faults_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Repair Service checkout",
        goal=(
            "`kubectl exec client -- curl -s http://checkout/hostname` fails. The Service has "
            "two faults: find them with the checklist above and fix the Service (not the "
            "Deployment), then run the check; it names the first fault it still finds."
        ),
        setup=[
            Command(
                f"create deployment checkout --image={AGNHOST} --replicas=2 --port=8080 -- "
                "/agnhost netexec --http-port=8080",
                unless=("deployment", "checkout"),
            ),
            CLIENT_POD,
            Command("delete service checkout", only_if=("service", "checkout")),
            Command("apply -f -\n" + _SERVICE.format(app="check-out", target="")),
        ],
        judge=_judge,
        hints=[
            'Start with the endpoints: `c.endpoints_table(service="checkout")`. None? Compare '
            "the Service's selector with `kubectl get pods --show-labels`.",
            "Once the Service has endpoints and the connection is still refused, trace it: "
            '`c.trace("client", "checkout")`. A reset from a pod means nothing listens on '
            "the targetPort; the Deployment's command says where the container listens.",
            "Apply the Service's manifest again with the selector app: checkout and "
            "targetPort: 8080.",
        ],
        solution=[
            Command(
                "apply -f -\n" + _SERVICE.format(app="checkout", target="    targetPort: 8080\n")
            )
        ],
    )


TWO_FAULTS_TASK = two_faults_task()
"""Notebook 12: the task at the end."""
