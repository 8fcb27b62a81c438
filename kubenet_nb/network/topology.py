"""The cluster's network as the nodes' kernels see it: node addresses, pod IPs, who listens.

Built once per store version from the Node, Pod, Service and EndpointSlice objects. It knows
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
from dataclasses import dataclass, field

from kubenet_nb.network.listeners import Listener, pod_listeners
from kubenet_nb.network.proxy.model import ServicePort, service_ports

__all__ = [
    "EXCLUDE_FROM_LB",
    "Endpoint",
    "NodeInfo",
    "PodInfo",
    "Topology",
    "build_topology",
]

EXCLUDE_FROM_LB = "node.kubernetes.io/exclude-from-external-load-balancers"
"""Well-known label: load balancers leave the node out (kind sets it on the control plane)."""
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
class Endpoint:
    """An EndpointSlice endpoint of a service port (for labels and load-balancer health)."""

    ip: str
    port: int
    node: str
    ready: bool


@dataclass
class Topology:
    """Everything routing and delivery need, plus the service directory for labels."""

    nodes: dict[str, NodeInfo]
    pods: dict[str, PodInfo]
    node_by_ip: dict[str, str]
    pod_cidr: ipaddress.IPv4Network | ipaddress.IPv6Network
    node_network: ipaddress.IPv4Network | ipaddress.IPv6Network
    ports: list[ServicePort] = field(default_factory=list)
    endpoints: dict[tuple[str, str, str, str], list[Endpoint]] = field(default_factory=dict)
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


def _endpoints(slices: list[dict]) -> dict[tuple[str, str, str, str], list[Endpoint]]:
    found: dict[tuple[str, str, str, str], list[Endpoint]] = {}
    for eps in slices:
        meta = eps["metadata"]
        service = (meta.get("labels") or {}).get("kubernetes.io/service-name")
        if not service:
            continue
        for port in eps.get("ports") or ():
            key = (meta.get("namespace", ""), service, port.get("name") or "", port["protocol"])
            for endpoint in eps.get("endpoints") or ():
                ready = (endpoint.get("conditions") or {}).get("ready") is not False
                for ip in (endpoint.get("addresses") or ())[:1]:
                    found.setdefault(key, []).append(
                        Endpoint(ip, port.get("port") or 0, endpoint.get("nodeName") or "", ready)
                    )
    return found


def build_topology(
    nodes: list[dict],
    pods: list[dict],
    services: list[dict],
    slices: list[dict],
    pod_cidr: str,
    node_network: str,
    family: str = "IPv4",
) -> Topology:
    """The network view of these objects."""
    pod_infos: dict[str, PodInfo] = {}
    host_pods: dict[str, list[dict]] = {}
    for pod in pods:
        spec = pod.get("spec") or {}
        node = spec.get("nodeName")
        if not node or not _has_ip(pod):
            continue
        if spec.get("hostNetwork"):
            host_pods.setdefault(node, []).append(pod)
        else:
            ip = pod["status"]["podIP"]
            pod_infos[ip] = PodInfo(pod, ip, node, veth_name(pod))
    has_pods = {info.node for info in pod_infos.values()}
    endpoints = _endpoints(slices)
    apiserver = endpoints.get(("default", "kubernetes", "https", "TCP"), [])
    infos: dict[str, NodeInfo] = {}
    for node in nodes:
        name = node["metadata"]["name"]
        ip = _internal_ip(node)
        if ip is None:
            continue
        spec = node.get("spec") or {}
        cidr = ipaddress.ip_network(spec["podCIDR"]) if spec.get("podCIDR") else None
        gateway = str(cidr.network_address + 1) if cidr is not None and name in has_pods else None
        kubelet = (node.get("status") or {}).get("daemonEndpoints", {}).get("kubeletEndpoint", {})
        sockets: list[tuple[dict | None, Listener]] = [
            (pod, listener) for pod in host_pods.get(name, ()) for listener in pod_listeners(pod)
        ]
        sockets.append((None, Listener("kubelet", kubelet.get("Port", KUBELET_PORT), "TCP")))
        sockets += [
            (None, Listener("kube-apiserver", e.port, "TCP")) for e in apiserver if e.ip == ip
        ]
        infos[name] = NodeInfo(
            name=name,
            ip=ip,
            pod_cidr=cidr,
            gateway=gateway,
            ready=_ready(node),
            lb_excluded=EXCLUDE_FROM_LB in (node["metadata"].get("labels") or {}),
            listeners=tuple(sockets),
        )
    return Topology(
        nodes=infos,
        pods=pod_infos,
        node_by_ip={info.ip: info.name for info in infos.values()},
        pod_cidr=ipaddress.ip_network(pod_cidr.split(",")[0].strip()),
        node_network=ipaddress.ip_network(node_network),
        ports=[sp for svc in services for sp in service_ports(svc, family)],
        endpoints=endpoints,
    )
