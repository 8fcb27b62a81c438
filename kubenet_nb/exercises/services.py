"""Service `shop` and its pods, for the selector task of the Services notebook (03).

Four pods with overlapping labels (the shop's two web pods, its database, a blog) and a Service
whose selector's second key is left to fill: `tier`, or the misspelling the task starts from.
"""

from __future__ import annotations

__all__ = ["SHOP_PODS", "SHOP_SERVICE"]

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
SHOP_SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
    {tier}: web
  ports:
  - port: 80
    targetPort: 80
"""
"""Service `shop`, its selector's second key left to fill (`tier`, or a misspelling of it)."""
SHOP_PODS = (
    _POD.format(name="shop-web-1", labels="app: shop, tier: web")
    + _POD.format(name="shop-web-2", labels="app: shop, tier: web, track: canary")
    + _POD.format(name="shop-db", labels="app: shop, tier: db")
    + _POD.format(name="blog-web", labels="app: blog, tier: web")
)
"""Four pods with overlapping labels: two web pods of the shop, its database, a blog."""
