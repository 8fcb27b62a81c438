"""A Service's endpoints as the picture needs them: who, where, in what condition, which ports.

Read from the Service's EndpointSlices (what kube-proxy reads), matching each Service port to
the slice port of the same name and protocol, as kube-proxy does.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["DrawnEndpoint", "endpoint_condition", "ip_key", "port_mapping", "service_endpoints"]


@dataclass(frozen=True)
class DrawnEndpoint:
    """One address of a Service with the port mappings that reach it."""

    ip: str
    node: str
    pod: tuple[str, str] | None
    """(namespace, name) of the Pod in targetRef, if any."""
    condition: str
    """`ready`, `terminating` (serving while it terminates) or `not ready`."""
    targets: tuple[tuple[int, str, int], ...]
    """(Service port, protocol, endpoint port) for each Service port this endpoint serves."""

    @property
    def mappings(self) -> tuple[str, ...]:
        """`80 → 8080` per Service port."""
        return tuple(port_mapping(port, proto, target) for port, proto, target in self.targets)


def endpoint_condition(conditions: dict) -> str:
    """An EndpointSlice endpoint's conditions in one word (ready is unset means ready)."""
    if conditions.get("ready") is not False:
        return "ready"
    if conditions.get("terminating") and conditions.get("serving"):
        return "terminating"
    return "not ready"


def port_mapping(port: int, protocol: str, target: object) -> str:
    """`80 → 8080`, with the protocol when it is not TCP (`53/UDP → 53`)."""
    suffix = "" if protocol == "TCP" else f"/{protocol}"
    return f"{port}{suffix} → {target}"


def service_endpoints(service: dict, slices: Iterable[dict]) -> list[DrawnEndpoint]:
    """The endpoints of a Service, one per address, sorted by IP, with their port mappings."""
    spec = service.get("spec") or {}
    found: dict[str, DrawnEndpoint] = {}
    for each in slices:
        slice_ports = {
            (p.get("name") or "", p.get("protocol") or "TCP"): p.get("port")
            for p in each.get("ports") or ()
        }
        targets = []
        for sp in spec.get("ports") or ():
            key = (sp.get("name") or "", sp.get("protocol") or "TCP")
            if slice_ports.get(key) is not None:
                targets.append((sp["port"], key[1], slice_ports[key]))
        for endpoint in each.get("endpoints") or ():
            addresses = endpoint.get("addresses") or ()
            if not addresses or addresses[0] in found:
                continue
            ref = endpoint.get("targetRef") or {}
            pod = None
            if ref.get("kind") == "Pod" and ref.get("name"):
                pod = (ref.get("namespace") or "", ref["name"])
            found[addresses[0]] = DrawnEndpoint(
                ip=addresses[0],
                node=endpoint.get("nodeName") or "",
                pod=pod,
                condition=endpoint_condition(endpoint.get("conditions") or {}),
                targets=tuple(targets),
            )
    return sorted(found.values(), key=lambda e: ip_key(e.ip))


def ip_key(ip: str) -> tuple[int, int, str]:
    """Sorts addresses numerically (IPv4 first), anything else after them."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return (9, 0, ip)
    return (address.version, int(address), ip)
