"""Inputs built the way kube-proxy's proxier_test.go builds them, as plain API dicts.

`NewFakeProxier` (pkg/proxy/iptables/proxier_test.go) runs on node "test-node" (192.168.0.2)
with pod CIDR 10.0.0.0/8 for the local detector, mark "0x4000", no --random-fully, both nfacct
counters present, localhost NodePorts on and every address a NodePort address. Its Services are
selector-less (`makeTestService`) and its EndpointSlices hand-made (`makeTestEndpointSlice`,
named "<service>-<n>" with the kubernetes.io/service-name label).
"""

from __future__ import annotations

from kubenet_nb.network.proxy.settings import ProxySettings

__all__ = [
    "FAKE",
    "TEST_NODE",
    "TEST_NODE_IP",
    "endpoint",
    "make_node",
    "make_service",
    "make_slice",
    "port",
]

TEST_NODE = "test-node"
TEST_NODE_IP = "192.168.0.2"
FAKE = ProxySettings(cluster_cidr="10.0.0.0/8", masquerade_mark="0x4000", random_fully=False)


def make_node(name: str = TEST_NODE, ip: str = TEST_NODE_IP, **labels: str) -> dict:
    """A Node with one InternalIP (kube-proxy's node IP)."""
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {"name": name, "labels": labels},
        "status": {"addresses": [{"type": "InternalIP", "address": ip}]},
    }


def make_service(
    namespace: str, name: str, ingress: list[dict] | None = None, **spec: object
) -> dict:
    """`makeTestService`: no selector, no defaulting; `spec` keys in camelCase."""
    service: dict = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"namespace": namespace, "name": name, "annotations": {}},
        "spec": dict(spec),
        "status": {"loadBalancer": {}},
    }
    if ingress is not None:
        service["status"]["loadBalancer"]["ingress"] = ingress
    return service


def port(name: str, number: int, protocol: str = "TCP", **extra: object) -> dict:
    """A Service port (or, for slices, an EndpointPort) in API form."""
    return {"name": name, "port": number, "protocol": protocol, **extra}


def endpoint(ip: str, node: str | None = None, **conditions: bool) -> dict:
    """An EndpointSlice endpoint; conditions left out are nil, as in the upstream tests."""
    item: dict = {"addresses": [ip]}
    if conditions:
        item["conditions"] = conditions
    if node is not None:
        item["nodeName"] = node
    return item


def make_slice(
    namespace: str,
    service: str,
    number: int,
    endpoints: list[dict],
    ports: list[dict],
    address_type: str = "IPv4",
) -> dict:
    """`makeTestEndpointSlice`: "<service>-<number>" labelled for `service`."""
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "namespace": namespace,
            "name": f"{service}-{number}",
            "labels": {"kubernetes.io/service-name": service},
        },
        "addressType": address_type,
        "endpoints": endpoints,
        "ports": ports,
    }
