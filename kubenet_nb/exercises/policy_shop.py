"""The world of notebook 14's two tasks: a shop in namespace `shop`, a client in `other`.

Namespace `shop` runs Deployments `frontend`, `backend` and `db`, each agnhost's `netexec` on
8080 (labels `app=<name>`) behind a Service of the same name on port 80 (targetPort 8080);
namespace `other` runs the pod `client` (netshoot, label `run=client`). The set-up creates what
is missing, with the commands the notebook itself uses, and removes every NetworkPolicy of
`shop`, so that running it again starts over. Checks ask the NetworkPolicy evaluator (the verdict
kind's kube-network-policies would give a new connection to the pod's IP and port).
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.task import RERUN, Command, exists
from kubenet_nb.network.policy import PolicyState, PolicyVerdict, verdict

__all__ = [
    "AGNHOST",
    "APPS",
    "CLIENT",
    "OTHER",
    "PORT",
    "SEED",
    "SHOP",
    "allowed",
    "client",
    "judged",
    "key",
    "missing",
    "pods",
    "policies",
    "shop_setup",
]

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"
SHOP, OTHER = "shop", "other"
APPS = ("frontend", "backend", "db")
CLIENT = "client"
"""The pod in namespace `other` that the checks connect from."""
PORT = 8080
"""Where every shop container listens: the targetPort of its Service (port 80)."""
SEED = 14
"""The seed of the checks' traces, so that checking leaves the cluster's traffic stream alone."""


def shop_setup(default_deny: str) -> list[Command]:
    """The set-up: the shop and the client where missing, no policy in `shop` but
    `default_deny` (a NetworkPolicy manifest)."""
    steps: list[Command] = [
        Command(f"create namespace {ns}", unless=("namespace", ns)) for ns in (SHOP, OTHER)
    ]
    for app in APPS:
        steps.append(
            Command(
                f"create deployment {app} -n {SHOP} --image={AGNHOST} --port={PORT} -- "
                f"/agnhost netexec --http-port={PORT}",
                unless=("deployment", app),
                namespace=SHOP,
            )
        )
        steps.append(
            Command(
                f"expose deployment {app} -n {SHOP} --port=80 --target-port={PORT}",
                unless=("service", app),
                namespace=SHOP,
            )
        )
    steps.append(
        Command(
            f"run {CLIENT} -n {OTHER} --image=nicolaka/netshoot -- sleep infinity",
            unless=("pod", CLIENT),
            namespace=OTHER,
        )
    )
    steps.append(Command(f"delete networkpolicy --all -n {SHOP}"))
    steps.append(Command("apply -f -\n" + default_deny))
    return steps


def pods(cluster: Any, app: str) -> list[dict]:
    """The shop's pods labelled app=`app` that are not being deleted, by name."""
    found = cluster.list("pods", SHOP, f"app={app}")
    alive = [pod for pod in found if not pod["metadata"].get("deletionTimestamp")]
    return sorted(alive, key=lambda pod: pod["metadata"]["name"])


def missing(cluster: Any, *apps: str) -> Feedback | None:
    """Feedback naming the first part of the set-up that is gone (namespaces, the client, the
    Deployments `apps` and their pods); None when everything is there."""
    for ns in (SHOP, OTHER):
        if not exists(cluster, "namespace", ns):
            return Feedback(False, f"There is no namespace {ns}.", RERUN)
    if not exists(cluster, "pod", CLIENT, OTHER):
        return Feedback(False, f"There is no pod {CLIENT} in namespace {OTHER}.", RERUN)
    for app in apps:
        if not exists(cluster, "deployment", app, SHOP):
            return Feedback(False, f"There is no Deployment {app} in namespace {SHOP}.", RERUN)
        if not pods(cluster, app):
            return Feedback(
                False,
                f"Deployment {app} has no pods.",
                f"Scale it back: `kubectl scale deployment {app} -n {SHOP} --replicas=1`. " + RERUN,
            )
    return None


def key(pod: dict) -> str:
    """A pod as `c.trace` takes it: namespace/name."""
    return f"{pod['metadata'].get('namespace', 'default')}/{pod['metadata']['name']}"


def client(cluster: Any) -> dict:
    """The client pod of namespace `other`."""
    return dict(cluster.get("pod", CLIENT, OTHER))


def judged(
    state: PolicyState, sources: list[dict], targets: list[dict], port: int, protocol: str = "TCP"
) -> PolicyVerdict:
    """The verdict for every source to every target: the first denial, else the first pass."""
    verdicts = [verdict(state, src, dst, port, protocol) for src in sources for dst in targets]
    return next((v for v in verdicts if not v.allowed), verdicts[0])


def allowed(state: PolicyState, sources: list[dict], targets: list[dict], port: int) -> bool:
    """Whether every source may open a TCP connection to every target on `port`."""
    return judged(state, sources, targets, port).allowed


def policies(cluster: Any, namespace: str | None = SHOP) -> list[dict]:
    """The NetworkPolicies of a namespace (every namespace: None)."""
    return list(cluster.list("networkpolicies", namespace))
