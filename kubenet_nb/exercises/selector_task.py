"""Notebook 03's task: fix a misspelt selector so that Service shop reaches its web pods only.

The set-up applies Service `shop` with the selector `app=shop,teir=web` (the key misspelt) and
four pods with overlapping labels (`services.py`). The check reads the Service's EndpointSlices:
the fix is done when they list the two web pods of the shop and no other pod.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.errors import NotFound
from kubenet_nb.exercises.base import Feedback
from kubenet_nb.exercises.readiness import service_endpoints
from kubenet_nb.exercises.services import SHOP_PODS, SHOP_SERVICE
from kubenet_nb.exercises.task import RERUN, Command, Task
from kubenet_nb.exercises.troubleshooting import selector_text

__all__ = ["SELECTOR_TASK", "WEB_PODS", "selector_task"]

WEB_PODS = ("shop-web-1", "shop-web-2")
"""The pods Service shop must reach: the shop's web pods, not its database, not the blog."""


def _labels(cluster: Any, pod: str) -> str:
    labels = cluster.get("pod", pod)["metadata"].get("labels") or {}
    return selector_text(labels) or "no labels"


def _missing_labels(cluster: Any, selector: dict[str, str]) -> str:
    """What the first web pod lacks of the selector, in words."""
    labels = cluster.get("pod", WEB_PODS[0])["metadata"].get("labels") or {}
    lacking = [
        f"no label {key}" if key not in labels else f"{key}={labels[key]}, not {key}={value}"
        for key, value in selector.items()
        if labels.get(key) != value
    ]
    return f"{WEB_PODS[0]} has " + " and ".join(lacking)


def _judge(cluster: Any) -> Feedback:
    endpoints = service_endpoints(cluster, "shop")
    if endpoints is None:
        return Feedback(False, "There is no Service shop.", RERUN)
    for pod in WEB_PODS:
        try:
            cluster.get("pod", pod)
        except NotFound:
            return Feedback(False, f"Pod {pod} is gone.", RERUN)
    selector = cluster.get("service", "shop")["spec"].get("selector") or {}
    if not selector:
        return Feedback(
            False,
            "Service shop has no selector.",
            "Without a selector the EndpointSlice controller lists no pod for it: keep the "
            "selector and correct it.",
        )
    wanted = selector_text(selector)
    reached = {e.pod for e in endpoints if e.ready}
    extra = sorted(reached - set(WEB_PODS))
    if extra:
        who = "; ".join(f"{pod} ({_labels(cluster, pod)})" for pod in extra)
        return Feedback(
            False,
            f"Service shop also reaches {', '.join(extra)}.",
            f"Its selector {wanted} keeps every pod that carries all of these labels, whatever "
            f"other labels it has: {who}. A selector needs the label that tells the web pods "
            "from the others: tier=web.",
        )
    lacking = [pod for pod in WEB_PODS if pod not in reached]
    if lacking:
        return Feedback(
            False,
            f"Service shop does not reach {', '.join(lacking)}.",
            f"Its selector is {wanted}, and a pod must carry every one of these labels: "
            f"{_missing_labels(cluster, selector)}. Compare with `kubectl get pods "
            "--show-labels`.",
        )
    return Feedback(
        True,
        f"Service shop reaches {' and '.join(WEB_PODS)}, and no other pod.",
        f"Its selector {wanted} matches exactly the shop's web pods: the EndpointSlice "
        "controller lists them, and kube-proxy sends the Service's connections to them.",
    )


def selector_task() -> Task:
    """A fresh copy of the task (its hints start from the first)."""
    return Task(
        title="Fix the selector of Service shop",
        goal=(
            "Service shop should send its connections to the shop's web pods, shop-web-1 and "
            "shop-web-2, and to no other pod; right now it reaches none. Find the mistake in "
            "its manifest and fix it, then run the check."
        ),
        setup=[Command("apply -f -\n" + SHOP_SERVICE.format(tier="teir") + SHOP_PODS)],
        judge=_judge,
        hints=[
            "Compare the Service's selector (`kubectl describe service shop`, line Selector) "
            "with the pods' labels (`kubectl get pods --show-labels`): a pod is a backend only "
            "if it carries every label of the selector.",
            "One key of the selector is misspelt: the pods are labelled tier, the selector asks "
            "for teir. Dropping that key instead would let the database in.",
            "Apply the Service's manifest again with `tier: web` in the selector: `kubectl "
            "apply` also removes the misspelt key, since it was in the last applied manifest.",
        ],
        solution=[Command("apply -f -\n" + SHOP_SERVICE.format(tier="tier"))],
    )


SELECTOR_TASK = selector_task()
"""Notebook 03: the task at the end."""
