"""A cloud load-balancer controller, as cloud-provider-kind or MetalLB would run on kind.

Each LoadBalancer Service of the default class gets an ingress IP from a pool, lowest free first,
or the IP it asks for in the deprecated `spec.loadBalancerIP` when that is in the pool and free;
the IP is written to `status.loadBalancer.ingress` (with `ipMode: VIP`). A Service asking for an
IP it cannot have stays `<pending>` with a warning event, as on a real cloud.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["LoadBalancerController", "parse_pool"]


def parse_pool(pool: str) -> list[str]:
    """`172.18.255.200-172.18.255.250` or a CIDR, as a list of addresses.

    >>> parse_pool("10.0.0.1-10.0.0.3")
    ['10.0.0.1', '10.0.0.2', '10.0.0.3']
    """
    if "-" in pool:
        first, last = (ipaddress.ip_address(p.strip()) for p in pool.split("-", 1))
        return [str(ipaddress.ip_address(i)) for i in range(int(first), int(last) + 1)]
    return [str(ip) for ip in ipaddress.ip_network(pool).hosts()]


class LoadBalancerController(Controller):
    """Service keys (namespace, name); the pool's owners by IP."""

    name = "service-lb-controller"

    def __init__(self, store: Store, api: ApiServer, pool: str) -> None:
        super().__init__()
        self.store, self.api = store, api
        self.pool = parse_pool(pool)
        self._in_pool = set(self.pool)
        self._owner: dict[str, tuple[str, str]] = {}

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "Service":
            return
        if event.replay:
            self._reindex(event)
            return
        obj = event.subject
        self.enqueue(obj["metadata"]["namespace"], obj["metadata"]["name"])

    def _reindex(self, event: WatchEvent) -> None:
        for obj, add in ((event.old, False), (event.obj, True)):
            if obj is None:
                continue
            key = (obj["metadata"]["namespace"], obj["metadata"]["name"])
            for ingress in obj.get("status", {}).get("loadBalancer", {}).get("ingress", []):
                if add:
                    self._owner[ingress["ip"]] = key
                elif self._owner.get(ingress["ip"]) == key:
                    del self._owner[ingress["ip"]]

    def _claim(self, ip: str, key: tuple[str, str]) -> None:
        self._owner[ip] = key
        self.store.on_undo(lambda: self._owner.pop(ip, None))

    def _free(self, ip: str) -> None:
        key = self._owner.pop(ip, None)
        if key is not None:
            self.store.on_undo(lambda: self._owner.__setitem__(ip, key))

    def reconcile(self, namespace: str, name: str) -> None:
        key = (namespace, name)
        svc = self.store.get("Service", namespace, name)
        held = [ip for ip, owner in self._owner.items() if owner == key]
        wanted = (
            svc is not None
            and svc["spec"].get("type") == "LoadBalancer"
            and not svc["spec"].get("loadBalancerClass")
        )
        if not wanted:
            for held_ip in held:
                self._free(held_ip)
            if svc is not None and svc.get("status", {}).get("loadBalancer", {}).get("ingress"):
                self.api.set_status(svc, {**svc["status"], "loadBalancer": {}})
            return
        assert svc is not None  # `wanted` holds only for a stored Service
        requested = svc["spec"].get("loadBalancerIP")
        if held and (not requested or requested in held):
            return
        for held_ip in held:
            self._free(held_ip)
        ip = self._choose(requested, key)
        if ip is None:
            message = (
                f"requested IP {requested} is not available"
                if requested
                else "no available IPs in the load-balancer pool"
            )
            self.api.record_event(
                svc,
                "Warning",
                "SyncLoadBalancerFailed",
                self.name,
                f"Error syncing load balancer: failed to ensure load balancer: {message}",
            )
            if svc.get("status", {}).get("loadBalancer", {}).get("ingress"):
                self.api.set_status(svc, {**svc["status"], "loadBalancer": {}})
            return
        self._claim(ip, key)
        self.api.record_event(
            svc, "Normal", "EnsuringLoadBalancer", self.name, "Ensuring load balancer"
        )
        self.api.set_status(
            svc,
            {**svc.get("status", {}), "loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}},
        )
        self.api.record_event(
            svc, "Normal", "EnsuredLoadBalancer", self.name, "Ensured load balancer"
        )

    def _choose(self, requested: str | None, key: tuple[str, str]) -> str | None:
        if requested:
            free = requested in self._in_pool and self._owner.get(requested, key) == key
            return requested if free else None
        return next((ip for ip in self.pool if ip not in self._owner), None)
