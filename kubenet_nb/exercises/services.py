"""The exercise of the Services notebook: which pods does a selector pick as backends?

The answer is read from the cluster when checked: the pods the EndpointSlices of Service `shop`
point at, so it follows whatever the learner changed (labels, pods, the selector).
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.well_known import SERVICE_NAME_LABEL
from kubenet_nb.exercises.base import Exercise

__all__ = ["SHOP_BACKENDS", "SHOP_MANIFEST"]

_POD = """---
apiVersion: v1
kind: Pod
metadata:
  name: {name}
  labels: {{{labels}}}
spec:
  containers:
  - name: web
    image: nginx
    ports:
    - containerPort: 80
"""
SHOP_MANIFEST = (
    """apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
    tier: web
  ports:
  - port: 80
    targetPort: 80
"""
    + _POD.format(name="shop-web-1", labels="app: shop, tier: web")
    + _POD.format(name="shop-web-2", labels="app: shop, tier: web, track: canary")
    + _POD.format(name="shop-db", labels="app: shop, tier: db")
    + _POD.format(name="blog-web", labels="app: blog, tier: web")
)
"""Service `shop` (selector app=shop,tier=web) and four pods with overlapping labels."""


def _backends(cluster: Any) -> frozenset[str]:
    """The pods the EndpointSlices of Service shop list."""
    return frozenset(
        endpoint["targetRef"]["name"]
        for slice_ in cluster.list("endpointslices", selector=f"{SERVICE_NAME_LABEL}=shop")
        for endpoint in slice_.get("endpoints") or ()
        if (endpoint.get("targetRef") or {}).get("kind") == "Pod"
    )


def _as_names(given: Any) -> frozenset[str]:
    if isinstance(given, str):
        return frozenset({given.strip()})
    try:
        return frozenset(str(name).strip() for name in given)
    except TypeError:
        return frozenset()


def _explain(cluster: Any, backends: frozenset[str]) -> str:
    services = [s for s in cluster.list("services") if s["metadata"]["name"] == "shop"]
    if not services:
        return "There is no Service shop in the cluster: run the cell that applies it first."
    selector = services[0]["spec"].get("selector") or {}
    wanted = ",".join(f"{key}={value}" for key, value in sorted(selector.items()))
    names = ", ".join(sorted(backends)) or "none"
    return (
        f"The selector {wanted} keeps every pod carrying all of these labels, whatever other "
        f"labels it has, and no other: {names}. The EndpointSlice controller lists exactly "
        f"these pods, and kube-proxy sends the Service's traffic to them."
    )


SHOP_BACKENDS = Exercise(
    question="Which pods are the backends of Service shop? Answer with a set of pod names.",
    expected=_backends,
    explanation=_explain,
    compare=lambda given, expected: _as_names(given) == expected,
)
