"""Hand-built API objects for the DNS tests, shaped as the API server stores them."""

from __future__ import annotations

from kubenet_nb.network.dns import DnsState, dns_state

__all__ = ["endpoint", "make_namespace", "make_pod", "make_service", "make_slice", "make_state"]


def make_namespace(name: str) -> dict:
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}}


def make_service(
    name: str,
    namespace: str = "default",
    cluster_ip: str | list[str] = "10.96.0.50",
    ports: list[dict] | None = None,
    **spec: object,
) -> dict:
    ips = cluster_ip if isinstance(cluster_ip, list) else [cluster_ip]
    body: dict = {"type": "ClusterIP", "clusterIP": ips[0], "clusterIPs": ips, **spec}
    if ports is not None:
        body["ports"] = ports
    elif body["type"] != "ExternalName":
        body["ports"] = [{"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080}]
    if body["type"] == "ExternalName":
        body.pop("clusterIP")
        body.pop("clusterIPs")
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": name, "namespace": namespace},
        "spec": body,
    }


def endpoint(ip: str, ready: bool | None = True, hostname: str | None = None) -> dict:
    conditions = {} if ready is None else {"ready": ready, "serving": ready, "terminating": False}
    result: dict = {"addresses": [ip], "conditions": conditions}
    if hostname:
        result["hostname"] = hostname
    return result


def make_slice(
    service: str,
    endpoints: list[dict],
    namespace: str = "default",
    ports: list[dict] | None = None,
    name: str | None = None,
    address_type: str = "IPv4",
) -> dict:
    if ports is None:
        ports = [{"name": "http", "port": 8080, "protocol": "TCP"}]
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": name or f"{service}-abcde",
            "namespace": namespace,
            "labels": {"kubernetes.io/service-name": service},
        },
        "addressType": address_type,
        "endpoints": endpoints,
        "ports": ports,
    }


def make_pod(name: str = "client", namespace: str = "default", **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"dnsPolicy": "ClusterFirst", "containers": [{"name": "c", "image": "x"}], **spec},
    }


def make_state(
    *objects: dict,
    namespaces: tuple[str, ...] = ("default", "kube-system", "other"),
    upstream_hosts: dict[str, list[str]] | None = None,
) -> DnsState:
    """kube-dns and the kubernetes Service as kind has them, plus `objects`."""
    services = [
        make_service("kubernetes", cluster_ip="10.96.0.1", ports=[_port("https", 443)]),
        make_service(
            "kube-dns",
            "kube-system",
            "10.96.0.10",
            [_port("dns", 53, "UDP"), _port("dns-tcp", 53), _port("metrics", 9153)],
        ),
    ]
    services += [o for o in objects if o["kind"] == "Service"]
    slices = [o for o in objects if o["kind"] == "EndpointSlice"]
    return dns_state(
        services,
        slices,
        [make_namespace(n) for n in namespaces],
        upstream_hosts=upstream_hosts,
    )


def _port(name: str, number: int, protocol: str = "TCP") -> dict:
    return {"name": name, "port": number, "protocol": protocol, "targetPort": number}
