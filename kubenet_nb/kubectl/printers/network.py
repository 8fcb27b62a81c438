"""Table cells for Services, Endpoints and EndpointSlices, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go `printService` (external IPs,
`port:nodePort/protocol`), `printEndpoints` and `printEndpointSlice` (three items, then
`+ N more...`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column, format_labels, join_host_port
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name

__all__ = ["PRINTERS"]


def _load_balancer_ips(status: dict) -> str:
    found = {
        i.get("ip") or i.get("hostname")
        for i in (status.get("loadBalancer") or {}).get("ingress") or []
    }
    return ",".join(sorted(v for v in found if v))


def _external_ip(svc: dict) -> str:
    spec = svc.get("spec", {})
    external = spec.get("externalIPs") or []
    kind = spec.get("type", "")
    if kind in ("ClusterIP", "NodePort"):
        return ",".join(external) if external else "<none>"
    if kind == "LoadBalancer":
        lb = _load_balancer_ips(svc.get("status", {}))
        if external:
            return ",".join(([*lb.split(",")] if lb else []) + external)
        return lb or "<pending>"
    if kind == "ExternalName":
        return spec.get("externalName", "")
    return "<unknown>"


def _service_ports(ports: list[dict]) -> str:
    pieces = []
    for port in ports:
        protocol = port.get("protocol", "")
        if port.get("nodePort"):
            pieces.append(f"{port['port']}:{port['nodePort']}/{protocol}")
        else:
            pieces.append(f"{port['port']}/{protocol}")
    return ",".join(pieces)


def _service_row(svc: dict, now: datetime) -> list[Any]:
    """`printService`: name, type, cluster IP, external IP, ports, age, selector."""
    spec = svc.get("spec", {})
    cluster_ips = spec.get("clusterIPs") or []
    return [
        name(svc),
        spec.get("type", ""),
        cluster_ips[0] if cluster_ips else "<none>",
        _external_ip(svc),
        _service_ports(spec.get("ports") or []) or "<none>",
        object_age(svc, now),
        format_labels(spec.get("selector")),
    ]


def _more(items: list[str], count: int, limit: int = 3) -> str:
    text = ",".join(items[:limit])
    return f"{text} + {count - limit} more..." if count > limit else text


def _endpoints_row(ep: dict, now: datetime) -> list[Any]:
    """`printEndpoints`: the ready `ip:port` pairs of every subset."""
    subsets = ep.get("subsets") or []
    items: list[str] = []
    for subset in subsets:
        addresses = [a.get("ip", "") for a in subset.get("addresses") or []]
        if not subset.get("ports"):
            items.extend(addresses)
            continue
        for port in subset["ports"]:
            items.extend(join_host_port(ip, port.get("port", 0)) for ip in addresses)
    text = _more(items, len(items)) if subsets else "<none>"
    return [name(ep), text, object_age(ep, now)]


def _endpointslice_row(eps: dict, now: datetime) -> list[Any]:
    """`printEndpointSlice`: address type, ports and addresses."""
    ports = []
    for port in eps.get("ports") or []:
        if port.get("port") is not None:
            ports.append(str(port["port"]))
        elif port.get("name") is not None:
            ports.append(port["name"])
        else:
            ports.append("*")
    addresses = [a for e in eps.get("endpoints") or [] for a in e.get("addresses") or []]
    return [
        name(eps),
        eps.get("addressType", ""),
        _more(ports, len(ports)) or "<unset>",
        _more(addresses, len(addresses)) or "<unset>",
        object_age(eps, now),
    ]


PRINTERS = {
    "Service": Printer(
        (
            NAME,
            Column("Type"),
            Column("Cluster-IP"),
            Column("External-IP"),
            Column("Port(s)"),
            AGE,
            Column("Selector", 1),
        ),
        _service_row,
    ),
    "Endpoints": Printer((NAME, Column("Endpoints"), AGE), _endpoints_row),
    "EndpointSlice": Printer(
        (NAME, Column("AddressType"), Column("Ports"), Column("Endpoints"), AGE),
        _endpointslice_row,
    ),
}
