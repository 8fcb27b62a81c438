"""The cluster's network as the nodes' kernels see it: node addresses, pod IPs, who listens.

Built once per store version from the Node, Pod, Service and EndpointSlice objects; a
`WiringBuilder` derives each object's part once per stored dict (`Parts`), so a new version
costs assembling the parts (in C, mostly) plus reading what was written since. It knows
kind's wiring: each node's InternalIP on eth0 of the Docker network `kind` (gateway .1);
kindnet's ptp CNI plugin gives every pod a veth whose host end carries the node pod CIDR's
gateway address (.1) as a /32 (containernetworking/plugins ptp.go `setupHostVeth`), so that
address is local to a node that has pods. Services are indexed by their addresses only to label
a trace and to tell where a load balancer sends traffic; what happens to a packet is decided by
the rules alone.
"""

from __future__ import annotations

import hashlib
import ipaddress
from dataclasses import dataclass, field, replace
from itertools import chain
from operator import attrgetter, itemgetter

from kubenet_nb.api.well_known import EXCLUDE_FROM_LB_LABEL, SERVICE_NAME_LABEL
from kubenet_nb.cluster.listeners import Listener, pod_listeners
from kubenet_nb.network.parts import Parts
from kubenet_nb.network.proxy.model import ServicePort, service_ports

__all__ = [
    "NodeInfo",
    "PodInfo",
    "ServiceEndpoint",
    "Wiring",
    "WiringBuilder",
    "build_wiring",
]

KUBELET_PORT = 10250


@dataclass(frozen=True)
class PodInfo:
    """A pod with its own network namespace: its IP, node and host-side veth."""

    pod: dict
    ip: str
    node: str
    veth: str

    @property
    def name(self) -> str:
        meta = self.pod["metadata"]
        return f"{meta.get('namespace', 'default')}/{meta['name']}"


@dataclass(frozen=True)
class NodeInfo:
    """A node as the network sees it."""

    name: str
    ip: str
    pod_cidr: ipaddress.IPv4Network | ipaddress.IPv6Network | None
    gateway: str | None
    """The pod CIDR's first address, present on the node's veths when it has pods."""
    ready: bool
    lb_excluded: bool
    listeners: tuple[tuple[dict | None, Listener], ...] = ()
    """Host-network sockets: (pod, listener) of the host-network pods, then the kubelet's and
    the API server's at the addresses it publishes in default/kubernetes (pod None)."""


@dataclass(frozen=True)
class ServiceEndpoint:
    """An EndpointSlice endpoint of a service port (for labels and load-balancer health)."""

    ip: str
    port: int
    node: str
    ready: bool


@dataclass
class Wiring:
    """Everything routing and delivery need, plus the service directory for labels."""

    nodes: dict[str, NodeInfo]
    pods: dict[str, PodInfo]
    node_by_ip: dict[str, str]
    pod_cidr: ipaddress.IPv4Network | ipaddress.IPv6Network
    node_network: ipaddress.IPv4Network | ipaddress.IPv6Network
    ports: list[ServicePort] = field(default_factory=list)
    endpoints: dict[tuple[str, str, str, str], list[ServiceEndpoint]] = field(default_factory=dict)
    _cidrs: dict[int, dict[int, str]] = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self) -> None:
        for info in self.nodes.values():
            if info.pod_cidr is not None:
                by_prefix = self._cidrs.setdefault(info.pod_cidr.prefixlen, {})
                by_prefix[int(info.pod_cidr.network_address)] = info.name

    def cidr_node(self, ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str | None:
        """The node whose pod CIDR holds the address."""
        value, bits = int(ip), ip.max_prefixlen
        for prefix, networks in self._cidrs.items():
            node = networks.get(value >> (bits - prefix) << (bits - prefix))
            if node is not None:
                return node
        return None

    @property
    def docker_gateway(self) -> str:
        return str(self.node_network.network_address + 1)

    def services_at(self, ip: str, port: int, protocol: str) -> list[tuple[ServicePort, str]]:
        """Service ports reachable at ip:port, with how (cluster IP, node port, …); port 0
        and protocol "" name the services that own the address, on any port, once each."""
        found: list[tuple[ServicePort, str]] = []
        proto = protocol.upper()
        seen: set[tuple[str, str, str]] = set()
        for sp in self.ports:
            if proto and sp.protocol != proto:
                continue
            same = not port or sp.port == port
            how = ""
            if same and ip == sp.cluster_ip:
                how = "cluster IP"
            elif same and ip in sp.external_ips:
                how = "external IP"
            elif same and ip in sp.load_balancer_vips:
                how = "load balancer IP"
            elif port and sp.node_port == port and ip in self.node_by_ip:
                how = "node port"
            key = (sp.namespace, sp.name if not port else sp.name_string, how)
            if how and key not in seen:
                seen.add(key)
                found.append((sp, how))
        return found

    def lb_entry_nodes(self, ip: str) -> list[str]:
        """Nodes an external load balancer or router sends traffic for `ip` to.

        A node IP reaches that node. A LoadBalancer ingress IP is spread over the nodes that
        are Ready and not labelled exclude-from-external-load-balancers; with
        externalTrafficPolicy Local only over those passing the health check node port (a
        ready local endpoint), if any do. An externalIP is routed to the eligible nodes alike.
        """
        if ip in self.node_by_ip:
            return [self.node_by_ip[ip]]
        eligible = [n.name for n in self.nodes.values() if n.ready and not n.lb_excluded]
        owners = [sp for sp in self.ports if ip in sp.load_balancer_vips or ip in sp.external_ips]
        if not owners:
            return []
        local = [sp for sp in owners if sp.external_policy_local and ip in sp.load_balancer_vips]
        if local:
            healthy = {e.node for sp in local for e in self.endpoints.get(sp.key, ()) if e.ready}
            passing = [name for name in eligible if name in healthy]
            if passing:
                return passing
        return eligible


def veth_name(pod: dict) -> str:
    """The host end of the pod's veth: `veth` and 8 hex digits (ptp's random name, made
    deterministic from the pod's UID)."""
    uid = pod["metadata"].get("uid") or pod["metadata"]["name"]
    return "veth" + hashlib.sha256(uid.encode()).hexdigest()[:8]


def _internal_ip(node: dict) -> str | None:
    for each in (node.get("status") or {}).get("addresses") or ():
        if each.get("type") == "InternalIP":
            return each.get("address")
    return None


def _ready(node: dict) -> bool:
    conditions = (node.get("status") or {}).get("conditions") or ()
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _has_ip(pod: dict) -> bool:
    status = pod.get("status") or {}
    return bool(status.get("podIP")) and status.get("phase") not in ("Succeeded", "Failed")


_Sockets = tuple[tuple[dict | None, Listener], ...]
_NO_POD: tuple[None, None] = (None, None)


def _pod_part(pod: dict) -> tuple[tuple[str, PodInfo] | None, tuple[str, _Sockets] | None]:
    """(its IP and PodInfo, or its node and host-network sockets), the other None."""
    spec = pod.get("spec") or {}
    node = spec.get("nodeName")
    if not node or not _has_ip(pod):
        return _NO_POD
    if spec.get("hostNetwork"):
        return None, (node, tuple((pod, listener) for listener in pod_listeners(pod)))
    ip = pod["status"]["podIP"]
    return (ip, PodInfo(pod, ip, node, veth_name(pod))), None


def _slice_part(
    eps: dict,
) -> tuple[tuple[tuple[str, str, str, str], tuple[ServiceEndpoint, ...]], ...]:
    """(service port key, endpoints) for each port of the slice that has an address."""
    meta = eps["metadata"]
    service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
    if not service:
        return ()
    found = []
    for port in eps.get("ports") or ():
        key = (meta.get("namespace", ""), service, port.get("name") or "", port["protocol"])
        endpoints: list[ServiceEndpoint] = []
        for endpoint in eps.get("endpoints") or ():
            ready = (endpoint.get("conditions") or {}).get("ready") is not False
            for ip in (endpoint.get("addresses") or ())[:1]:
                node = endpoint.get("nodeName") or ""
                endpoints.append(ServiceEndpoint(ip, port.get("port") or 0, node, ready))
        if endpoints:
            found.append((key, tuple(endpoints)))
    return tuple(found)


def _node_part(node: dict) -> tuple[str | None, NodeInfo] | None:
    """The gateway its pods' veths will carry, and the node as it is without pods."""
    ip = _internal_ip(node)
    if ip is None:
        return None
    spec = node.get("spec") or {}
    cidr = ipaddress.ip_network(spec["podCIDR"]) if spec.get("podCIDR") else None
    kubelet = (node.get("status") or {}).get("daemonEndpoints", {}).get("kubeletEndpoint", {})
    info = NodeInfo(
        name=node["metadata"]["name"],
        ip=ip,
        pod_cidr=cidr,
        gateway=None,
        ready=_ready(node),
        lb_excluded=EXCLUDE_FROM_LB_LABEL in (node["metadata"].get("labels") or {}),
        listeners=((None, Listener("kubelet", kubelet.get("Port", KUBELET_PORT), "TCP")),),
    )
    return (str(cidr.network_address + 1) if cidr is not None else None), info


_FIRST, _SECOND, _NODE = itemgetter(0), itemgetter(1), attrgetter("node")


class WiringBuilder:
    """Builds the wiring version after version: each pod, slice, node and service is read
    once per stored dict (`Parts`), and a version costs assembling the parts."""

    def __init__(self) -> None:
        self._pods = Parts(_pod_part)
        self._slices = Parts(_slice_part)
        self._nodes = Parts(_node_part)
        self._ports: dict[str, Parts[tuple[ServicePort, ...]]] = {}

    def build(
        self,
        nodes: list[dict],
        pods: list[dict],
        services: list[dict],
        slices: list[dict],
        pod_cidr: str,
        node_network: str,
        family: str = "IPv4",
    ) -> Wiring:
        """The network view of these objects."""
        pod_parts = self._pods.of(pods)
        pod_infos: dict[str, PodInfo] = dict(filter(None, map(_FIRST, pod_parts)))
        host_sockets: dict[str, list[tuple[dict | None, Listener]]] = {}
        for node, sockets in filter(None, map(_SECOND, pod_parts)):
            host_sockets.setdefault(node, []).extend(sockets)
        endpoints: dict[tuple[str, str, str, str], list[ServiceEndpoint]] = {}
        for key, found in chain.from_iterable(self._slices.of(slices)):
            known = endpoints.get(key)
            if known is None:
                endpoints[key] = list(found)
            else:
                known.extend(found)
        infos = self._node_infos(
            nodes, set(map(_NODE, pod_infos.values())), host_sockets, endpoints
        )
        ports = self._ports.get(family)
        if ports is None:
            ports = self._ports[family] = Parts(lambda svc: tuple(service_ports(svc, family)))
        return Wiring(
            nodes=infos,
            pods=pod_infos,
            node_by_ip={info.ip: info.name for info in infos.values()},
            pod_cidr=ipaddress.ip_network(pod_cidr.split(",")[0].strip()),
            node_network=ipaddress.ip_network(node_network),
            ports=list(chain.from_iterable(ports.of(services))),
            endpoints=endpoints,
        )

    def _node_infos(
        self,
        nodes: list[dict],
        has_pods: set[str],
        host_sockets: dict[str, list[tuple[dict | None, Listener]]],
        endpoints: dict[tuple[str, str, str, str], list[ServiceEndpoint]],
    ) -> dict[str, NodeInfo]:
        """Each node with an InternalIP: its gateway once it has pods, its sockets (host-network
        pods', the kubelet's, the API server's where default/kubernetes points at it)."""
        apiserver = endpoints.get(("default", "kubernetes", "https", "TCP"), [])
        infos: dict[str, NodeInfo] = {}
        for gateway, info in filter(None, self._nodes.of(nodes)):
            name = info.name
            mine = [e for e in apiserver if e.ip == info.ip]
            if name in has_pods or name in host_sockets or mine:
                sockets = [*host_sockets.get(name, ()), *info.listeners]
                sockets += [(None, Listener("kube-apiserver", e.port, "TCP")) for e in mine]
                info = replace(
                    info,
                    gateway=gateway if name in has_pods else None,
                    listeners=tuple(sockets),
                )
            infos[name] = info
        return infos


def build_wiring(
    nodes: list[dict],
    pods: list[dict],
    services: list[dict],
    slices: list[dict],
    pod_cidr: str,
    node_network: str,
    family: str = "IPv4",
) -> Wiring:
    """The network view of these objects (from scratch; `WiringBuilder` reuses parts)."""
    return WiringBuilder().build(nodes, pods, services, slices, pod_cidr, node_network, family)
