"""A snapshot of a real cluster loaded as observed: its objects, IPs, ports and status kept.

`load_snapshot` builds an empty `ControlPlane` (no kind bootstrap) with settings read from the
objects (`snapshot_settings`), then puts each object in the store as it is: names, uids,
ClusterIPs, NodePorts, pod IPs, node pod CIDRs, readiness and EndpointSlices are not defaulted,
allocated or recomputed. The engine's indexes follow the store's watch events as for any write;
the work the controllers queued from them is dropped, so that they react only to later writes.
The allocators are told what the snapshot holds (ClusterIPs, NodePorts, node CIDRs, pod IPs,
load-balancer IPs), so that objects created afterwards never get an observed address or port.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from kubenet_nb.api.decode import decode
from kubenet_nb.api.ip_addresses import is_ip
from kubenet_nb.api.kinds import RESOURCES
from kubenet_nb.api.names import is_dns1123_subdomain
from kubenet_nb.cluster.allocators import AllocationError
from kubenet_nb.cluster.clock import EPOCH
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.loadbalancer import LoadBalancerController
from kubenet_nb.cluster.ipam import NodeCIDRAllocator, PodIPAllocator
from kubenet_nb.cluster.kind import KindSettings
from kubenet_nb.cluster.kubelet import node_internal_ip
from kubenet_nb.cluster.store import WatchEvent, clone

__all__ = ["load_snapshot", "snapshot_settings"]

Undo = Callable[[Callable[[], object]], None]
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Key = tuple[str, str, str]
"""An object's kind, namespace and name."""

_RANK = {
    (info.api_version, info.kind): rank
    for rank, info in enumerate(RESOURCES)
    if "create" in info.verbs and "list" in info.verbs and info.kind != "Event"
}
"""The stored kinds a snapshot may hold, in kubectl api-resources order (Events are a log here,
not stored objects; reviews and ComponentStatus are never stored)."""
_FIRST = {"Namespace": 0, "Node": 1}
"""Loaded before the rest, so that every index sees namespaces and nodes before their pods."""
DEFAULTS = KindSettings()


def load_snapshot(
    objects: Iterable[dict], *, seed: int = 0, now: datetime | None = None
) -> ControlPlane:
    """A control plane holding `objects` exactly as observed, ready for later writes.

    Objects of kinds it does not store (Events, unknown kinds and versions) are left out; each
    other one is type-checked as the API server decodes a body (a wrong type is refused) and
    kept as it is (nulls and fields the simulation does not know included); the last of
    duplicates wins. What every cluster has but the objects may lack is added: the namespaces
    they live in, `default`, and each namespace's `default` ServiceAccount. `now` is the
    simulated time (default: the newest creationTimestamp).
    """
    found = _objects(objects)
    plane = ControlPlane(seed, bootstrap=False, **snapshot_settings(list(found.values())))
    times = [moment for moment in map(_time, found.values()) if moment is not None]
    moment = now or max(times, default=EPOCH)
    plane.clock.seconds = (moment - EPOCH).total_seconds()
    for key, obj in _implied(found):
        obj["metadata"].update(uid=plane.random.uid(), creationTimestamp=plane.clock.timestamp())
        found[key] = obj
    for obj in sorted(found.values(), key=_load_order):
        plane.store.create(obj)
    _reserve(plane)
    for controller in plane.controllers:
        controller.clear()
    return plane


def _objects(objects: Iterable[dict]) -> dict[Key, dict]:
    """Stored kinds only, type-checked and namespaced, by key."""
    found: dict[Key, dict] = {}
    for obj in objects:
        if (obj.get("apiVersion"), obj.get("kind")) not in _RANK:
            continue
        decode(obj, "Ignore")
        kept = clone(obj)
        meta = kept.setdefault("metadata", {})
        info = RESOURCES[_RANK[(kept["apiVersion"], kept["kind"])]]
        if info.namespaced:
            meta["namespace"] = meta.get("namespace") or "default"
        else:
            meta.pop("namespace", None)
        found[(info.kind, meta.get("namespace", ""), meta.get("name", ""))] = kept
    return found


def _implied(found: dict[Key, dict]) -> list[tuple[Key, dict]]:
    """The namespaces and `default` ServiceAccounts the API guarantees, where `found` lacks
    them (the namespace and service-account controllers would have made them)."""
    namespaces = sorted({"default"} | {ns for _, ns, _ in found if ns})
    implied: list[tuple[Key, dict]] = []
    for name in namespaces:
        if ("Namespace", "", name) not in found:
            implied.append((("Namespace", "", name), _namespace(name)))
        if ("ServiceAccount", name, "default") not in found:
            account = {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": "default", "namespace": name},
            }
            implied.append((("ServiceAccount", name, "default"), account))
    return implied


def _load_order(obj: dict) -> tuple[int, int, str, str]:
    """Namespaces, then nodes, then the rest by kind, namespace and name."""
    meta = obj["metadata"]
    rank = _RANK[(obj["apiVersion"], obj["kind"])]
    return _FIRST.get(obj["kind"], 2), rank, meta.get("namespace", ""), meta["name"]


def _namespace(name: str) -> dict:
    """A namespace the snapshot's objects live in but did not include, as the server shows it."""
    return {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": name, "labels": {"kubernetes.io/metadata.name": name}},
        "spec": {"finalizers": ["kubernetes"]},
        "status": {"phase": "Active"},
    }


def _time(obj: dict) -> datetime | None:
    text = obj["metadata"].get("creationTimestamp")
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None
    except ValueError:
        return None


# -- the settings the objects tell -----------------------------------------------------------


def snapshot_settings(objects: list[dict]) -> dict[str, Any]:
    """`ControlPlane` settings read from a cluster's objects; kind's defaults for what they
    do not tell (node-port range, load-balancer pool).

    Service CIDR: the `kubernetes` ServiceCIDR, else the network the `kubernetes` Service's IP
    opens (a /16, as kind's, widened until it holds every ClusterIP). Pod CIDR: kube-proxy's
    clusterCIDR, else the /16 (widened as needed) around the nodes' pod CIDRs, whose size gives
    the node CIDR mask. Node network: the /16 (widened) around the nodes' InternalIPs. Domain:
    the zone of CoreDNS's kubernetes plugin. Name: `NAME` of a `NAME-control-plane` node.
    """
    nodes = [o for o in objects if o["kind"] == "Node"]
    node_cidrs = [c for c in (_network(c) for n in nodes for c in _node_cidrs(n)) if c is not None]
    mask = node_cidrs[0].prefixlen if node_cidrs else DEFAULTS.node_cidr_mask
    ends = [a for c in node_cidrs for a in (c.network_address, c.broadcast_address)]
    pod_cidr = _proxy_cluster_cidr(objects) or _around(ends, 16)
    if pod_cidr is not None:
        mask = max(mask, pod_cidr.prefixlen)
    node_ips = [ipaddress.ip_address(ip) for ip in map(node_internal_ip, nodes) if is_ip(ip)]
    names = [n["metadata"]["name"] for n in nodes]
    kind_names = [n.removesuffix("-control-plane") for n in names if n.endswith("-control-plane")]
    return {
        "name": kind_names[0] if kind_names else DEFAULTS.name,
        "workers": max(len(nodes) - 1, 0),
        "service_cidr": str(_service_cidr(objects) or DEFAULTS.service_cidr),
        "pod_cidr": str(pod_cidr or DEFAULTS.pod_cidr),
        "node_cidr_mask": mask,
        "node_network": str(_around(node_ips, 16) or DEFAULTS.node_network),
        "cluster_domain": _cluster_domain(objects) or DEFAULTS.cluster_domain,
    }


def _network(text: str) -> Network | None:
    try:
        return ipaddress.ip_network(text, strict=False)
    except ValueError:
        return None


def _node_cidrs(node: dict) -> list[str]:
    spec = node.get("spec") or {}
    return list(spec.get("podCIDRs") or ([spec["podCIDR"]] if spec.get("podCIDR") else []))


def _around(addresses: list[Any], prefix: int) -> Network | None:
    """The /prefix network around the first address (IPv4; IPv6 a /(prefix+96)), widened until
    it holds every address of its family; None without addresses."""
    if not addresses:
        return None
    first = addresses[0]
    bits = prefix if first.version == 4 else prefix + 96
    same = [a for a in addresses if a.version == first.version]
    network = ipaddress.ip_network((first, bits), strict=False)
    while bits and not all(a in network for a in same):
        bits -= 1
        network = ipaddress.ip_network((first, bits), strict=False)
    return network


def _service_cidr(objects: list[dict]) -> Network | None:
    for obj in objects:
        if obj["kind"] == "ServiceCIDR" and obj["metadata"]["name"] == "kubernetes":
            cidrs = [_network(c) for c in (obj.get("spec") or {}).get("cidrs") or []]
            if cidrs and cidrs[0] is not None:
                return cidrs[0]
    services = [o for o in objects if o["kind"] == "Service"]
    api = next(
        (
            s
            for s in services
            if s["metadata"]["name"] == "kubernetes" and s["metadata"]["namespace"] == "default"
        ),
        None,
    )
    first = (api or {}).get("spec", {}).get("clusterIP", "")
    if not is_ip(first):
        return None
    ips = [
        ipaddress.ip_address(ip)
        for s in services
        for ip in (s.get("spec") or {}).get("clusterIPs") or ()
        if is_ip(ip)
    ]
    return _around([ipaddress.ip_address(first) - 1, *ips], 16)


def _config_text(objects: list[dict], name: str, key: str) -> str:
    for obj in objects:
        meta = obj["metadata"]
        if (obj["kind"], meta.get("namespace"), meta["name"]) == ("ConfigMap", "kube-system", name):
            value = (obj.get("data") or {}).get(key)
            return value if isinstance(value, str) else ""
    return ""


def _first_words(text: str, keyword: str) -> list[str]:
    """The words after `keyword` on the first line that starts with it (data read as words,
    never as a pattern or code)."""
    for line in text.splitlines():
        words = line.split()
        if words[:1] == [keyword] and len(words) > 1:
            return words[1:]
    return []


def _proxy_cluster_cidr(objects: list[dict]) -> Network | None:
    """kube-proxy's clusterCIDR (kubeadm's kube-proxy ConfigMap), its first family."""
    words = _first_words(_config_text(objects, "kube-proxy", "config.conf"), "clusterCIDR:")
    return _network(words[0].strip("\"'").split(",")[0]) if words else None


def _cluster_domain(objects: list[dict]) -> str | None:
    """The first zone of the kubernetes plugin in CoreDNS's Corefile."""
    words = _first_words(_config_text(objects, "coredns", "Corefile"), "kubernetes")
    domain = words[0].rstrip(".") if words else ""
    return domain if domain and not is_dns1123_subdomain(domain) else None


# -- what the allocators must not hand out again ----------------------------------------------


class _ObservedNodeCIDRs(NodeCIDRAllocator):
    """Node IPAM that starts with the snapshot's node pod CIDRs taken."""

    def claim(self, cidr: str, node: str) -> None:
        """Mark an observed node CIDR used (ignored unless it is one of this range's subnets)."""
        subnet = _network(cidr)
        if (
            subnet is None
            or subnet.version != self.network.version
            or subnet.prefixlen != self.mask
            or not subnet.subnet_of(self.network)  # type: ignore[arg-type]
        ):
            return
        offset = int(subnet.network_address) - int(self.network.network_address)
        self._claim(offset // self._step, node)


class _ObservedPodIPs(PodIPAllocator):
    """host-local IPAM that starts with the node's observed pod IPs taken, after the highest."""

    def __init__(self, cidr: str, on_undo: Undo, taken: Iterable[str]) -> None:
        super().__init__(cidr, on_undo)
        for ip in taken:
            address = int(ipaddress.ip_address(ip)) if is_ip(ip) else 0
            if self._first <= address <= self._last:
                self._used.add(address)
        if self._used:
            highest = max(self._used)
            self._next = highest + 1 if highest < self._last else self._first


def _reserve(plane: ControlPlane) -> None:
    """Tell every allocator what the loaded objects hold."""
    store, settings = plane.store, plane.settings
    cidrs = _ObservedNodeCIDRs(settings.pod_cidr, settings.node_cidr_mask, store.on_undo)
    pod_ips: dict[str, list[str]] = {}
    for pod in store.list("Pod"):
        if not pod["spec"].get("hostNetwork") and pod["spec"].get("nodeName"):
            status = pod.get("status") or {}
            ips = [status.get("podIP", ""), *(p.get("ip", "") for p in status.get("podIPs") or ())]
            pod_ips.setdefault(pod["spec"]["nodeName"], []).extend(ips)
    for node in store.list("Node"):
        name = node["metadata"]["name"]
        for cidr in _node_cidrs(node):
            cidrs.claim(cidr, name)
        if name in plane.kubelets.allocators:
            cidr = str(plane.kubelets.allocators[name].network)
            plane.kubelets.allocators[name] = _ObservedPodIPs(
                cidr, store.on_undo, pod_ips.get(name, ())
            )
    plane.node_controller.cidrs = cidrs
    load_balancers = next(c for c in plane.controllers if isinstance(c, LoadBalancerController))
    for service in store.list("Service"):
        spec = service.get("spec") or {}
        _take(plane.cluster_ips.allocate, spec.get("clusterIPs") or ())
        ports = [p.get("nodePort") for p in spec.get("ports") or ()]
        _take(plane.node_ports.allocate, [*ports, spec.get("healthCheckNodePort")])
        # an undo's replay is how the load-balancer controller learns the IPs Services hold
        load_balancers.handle(WatchEvent("ADDED", "Service", service, None, replay=True))


def _take(allocate: Callable[[Any], None], values: Iterable[Any]) -> None:
    """Reserve each observed value the allocator's range holds (others cannot collide)."""
    for value in values:
        if value in (None, "", "None", 0):
            continue
        try:
            allocate(value)
        except (AllocationError, ValueError):
            continue
