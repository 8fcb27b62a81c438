"""Who gives LoadBalancer Services an address on kind: the cluster's `load_balancer` setting.

A stock kind v0.29 cluster runs no cloud controller, so a LoadBalancer Service stays
`<pending>` (kind site/content/docs/user/loadbalancer.md). kind's docs offer two setups:

- "cloud-provider-kind" (what kind's LoadBalancer page installs, v0.6.0 in May 2025): the Service
  controller of k8s.io/cloud-provider (controllers/service/controller.go @ v0.32.2, vendored by
  kubernetes-sigs/cloud-provider-kind @ v0.6.0) records `EnsuringLoadBalancer` "Ensuring load
  balancer", asks the provider, then `EnsuredLoadBalancer` "Ensured load balancer", from source
  `service-controller`, again whenever a field its `needsUpdate` compares changes (ports, source
  ranges, session affinity, loadBalancerIP, externalIPs, annotations, externalTrafficPolicy,
  healthCheckNodePort, the number of IP families); on a Service that stops being a LoadBalancer,
  `DeletingLoadBalancer` and `DeletedLoadBalancer`. The provider (pkg/loadbalancer/server.go)
  starts one Envoy container per Service, `kindccm-<hash>`, on the `kind` Docker network and
  reports that container's address, `ipMode: Proxy` and the Service's ports
  (`status.loadBalancer.ingress[].ports`);
  `spec.loadBalancerIP` is not honoured (the container is started without `--ip`). Docker's
  default IPAM gives a new container the first free address of the network (moby libnetwork
  ipam `requestAddress`: serial allocation only when asked for, which only swarm's allocator
  does): with nodes at .2-.4 the first load balancer is at .5, and a freed address is reused.
- "metallb" (the older docs' way, L2 mode with an IPAddressPool on the Docker network): MetalLB's
  controller takes the lowest free address of its pool, or the one asked for in
  `spec.loadBalancerIP`, and records `IPAllocated` `Assigned IP ["<ip>"]` from source
  `metallb-controller` (metallb/metallb controller/service.go), or a Warning `AllocationFailed`
  `Failed to allocate IP for "<ns>/<name>": <reason>`. It writes no ipMode; the API server's
  default, VIP, applies.

Services with a `spec.loadBalancerClass` belong to another controller and are left alone.
"""

from __future__ import annotations

import hashlib
import ipaddress

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.kind import KindSettings
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["LOAD_BALANCERS", "LoadBalancerController", "envoy_container", "parse_pool"]

CLOUD_PROVIDER_KIND = "cloud-provider-kind"
METALLB = "metallb"
LOAD_BALANCERS = (CLOUD_PROVIDER_KIND, METALLB, None)
SOURCES = {CLOUD_PROVIDER_KIND: "service-controller", METALLB: "metallb-controller"}


def parse_pool(pool: str) -> list[str]:
    """`172.18.255.200-172.18.255.250` or a CIDR, as a list of addresses.

    >>> parse_pool("10.0.0.1-10.0.0.3")
    ['10.0.0.1', '10.0.0.2', '10.0.0.3']
    """
    if "-" in pool:
        first, last = (ipaddress.ip_address(p.strip()) for p in pool.split("-", 1))
        return [str(ipaddress.ip_address(i)) for i in range(int(first), int(last) + 1)]
    return [str(ip) for ip in ipaddress.ip_network(pool).hosts()]


def envoy_container(cluster: str, namespace: str, name: str) -> str:
    """The name of the Envoy container cloud-provider-kind runs for a Service
    (server.go `loadBalancerName`: "kindccm-" and the first 6 bytes of a SHA-256, in hex).

    >>> envoy_container("kind", "default", "shop")[:8]
    'kindccm-'
    """
    digest = hashlib.sha256(f"{cluster}/{namespace}/{name}".encode()).hexdigest()
    return f"kindccm-{digest[:12]}"


def _compared(svc: dict) -> tuple:
    """The fields the Service controller's `needsUpdate` compares (controller.go)."""
    spec, meta = svc["spec"], svc["metadata"]
    ports = tuple(
        (p.get("name"), p.get("protocol", "TCP"), p.get("port"), p.get("nodePort"))
        for p in spec.get("ports") or ()
    )
    return (
        tuple(spec.get("loadBalancerSourceRanges") or ()),
        ports,
        spec.get("sessionAffinity"),
        repr(spec.get("sessionAffinityConfig")),
        spec.get("loadBalancerIP"),
        tuple(spec.get("externalIPs") or ()),
        tuple(sorted((meta.get("annotations") or {}).items())),
        meta.get("uid"),
        spec.get("externalTrafficPolicy"),
        spec.get("healthCheckNodePort"),
        len(spec.get("ipFamilies") or ()),
    )


def _ingress(svc: dict) -> list[dict]:
    return ((svc.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []


class LoadBalancerController(Controller):
    """Service keys (namespace, name); the addresses handed out, by IP."""

    def __init__(self, store: Store, api: ApiServer, settings: KindSettings) -> None:
        super().__init__()
        if settings.load_balancer not in LOAD_BALANCERS:
            choices = ", ".join(repr(choice) for choice in LOAD_BALANCERS)
            raise ValueError(f"load_balancer must be one of {choices}")
        self.store, self.api = store, api
        self.mode = settings.load_balancer
        self.name = SOURCES.get(self.mode or "", "")
        self.pool = parse_pool(settings.load_balancer_pool) if self.mode == METALLB else []
        self._in_pool = set(self.pool)
        self._network = ipaddress.ip_network(settings.node_network)
        self._owner: dict[str, tuple[str, str]] = {}
        self._ensured: dict[tuple[str, str], tuple] = {}
        """cloud-provider-kind: what `needsUpdate` compares, as of each Service's last sync."""

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "Service" or self.mode is None:
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
            for ingress in _ingress(obj):
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

    def _event(self, svc: dict, reason: str, message: str, type_: str = "Normal") -> None:
        self.api.record_event(svc, type_, reason, self.name, message)

    def _clear(self, svc: dict) -> None:
        if _ingress(svc):
            self.api.set_status(svc, {**svc["status"], "loadBalancer": {}})

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
            if key in self._ensured:
                previous = self._ensured.pop(key)
                self.store.on_undo(lambda: self._restore_ensured(key, previous))
            if svc is not None and held and self.mode == CLOUD_PROVIDER_KIND:
                self._event(svc, "DeletingLoadBalancer", "Deleting load balancer")
                self._event(svc, "DeletedLoadBalancer", "Deleted load balancer")
            if svc is not None:
                self._clear(svc)
            return
        assert svc is not None  # `wanted` holds only for a stored Service
        if self.mode == CLOUD_PROVIDER_KIND:
            self._ensure_envoy(svc, key, held)
        else:
            self._allocate_from_pool(svc, key, held)

    # -- cloud-provider-kind: an Envoy container on the kind network ----------------------------

    def _ensure_envoy(self, svc: dict, key: tuple[str, str], held: list[str]) -> None:
        compared = _compared(svc)
        if held and self._ensured.get(key) == compared:
            return
        self._event(svc, "EnsuringLoadBalancer", "Ensuring load balancer")
        if held:
            ip = held[0]
        else:
            ip = self._next_container_ip()
            self._claim(ip, key)
        previous = self._ensured.get(key)
        self._ensured[key] = compared
        self.store.on_undo(lambda: self._restore_ensured(key, previous))
        ports = [
            {"port": p["port"], "protocol": p.get("protocol", "TCP")}
            for p in svc["spec"].get("ports") or ()
        ]
        ingress = [{"ip": ip, "ipMode": "Proxy", "ports": ports}]
        if _ingress(svc) != ingress:
            status = {**svc.get("status", {}), "loadBalancer": {"ingress": ingress}}
            self.api.set_status(svc, status)
        self._event(svc, "EnsuredLoadBalancer", "Ensured load balancer")

    def _restore_ensured(self, key: tuple[str, str], previous: tuple | None) -> None:
        if previous is None:
            self._ensured.pop(key, None)
        else:
            self._ensured[key] = previous

    def _next_container_ip(self) -> str:
        """Docker's IPAM: the lowest address of the network not held by the gateway (.1), a
        node container or another load balancer's container."""
        taken = set(self._owner)
        for node in self.store.list("Node"):
            for address in (node.get("status") or {}).get("addresses") or ():
                taken.add(address.get("address"))
        hosts = self._network.hosts()
        next(hosts)  # the gateway, the bridge's own address
        return next(str(ip) for ip in hosts if str(ip) not in taken)

    # -- MetalLB: an address from the pool -------------------------------------------------------

    def _allocate_from_pool(self, svc: dict, key: tuple[str, str], held: list[str]) -> None:
        requested = svc["spec"].get("loadBalancerIP")
        if held and (not requested or requested in held):
            return
        for held_ip in held:
            self._free(held_ip)
        reason = self._pool_refusal(requested, key)
        if reason:
            message = f'Failed to allocate IP for "{key[0]}/{key[1]}": {reason}'
            self._event(svc, "AllocationFailed", message, "Warning")
            self._clear(svc)
            return
        ip = requested or next(ip for ip in self.pool if ip not in self._owner)
        self._claim(ip, key)
        self.api.set_status(
            svc,
            {**svc.get("status", {}), "loadBalancer": {"ingress": [{"ip": ip, "ipMode": "VIP"}]}},
        )
        self._event(svc, "IPAllocated", f'Assigned IP ["{ip}"]')

    def _pool_refusal(self, requested: str | None, key: tuple[str, str]) -> str:
        """Why MetalLB's allocator refuses (allocator.go), "" when it can allocate."""
        if not requested:
            free = any(ip not in self._owner for ip in self.pool)
            return "" if free else "no available IPs"
        if requested not in self._in_pool:
            return f'"{requested}" is not allowed in config'
        owner = self._owner.get(requested, key)
        if owner != key:
            return (
                f'can\'t change sharing key for "{key[0]}/{key[1]}", '
                f"address also in use by {owner[0]}/{owner[1]}"
            )
        return ""
