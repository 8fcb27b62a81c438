"""EndpointSlices (discovery.k8s.io/v1) written by users: defaults, generation and validation.

Sources in kubernetes/kubernetes: pkg/apis/discovery/validation/validation.go (maxEndpoints
1000, maxAddresses 100, maxPorts 20000 since v1.21, maxTopologyLabels 16, maxZoneHints 8),
pkg/apis/discovery/v1/defaults.go (port name "" and protocol TCP) and
pkg/registry/discovery/endpointslice/strategy.go (generation, deprecatedTopology dropped on v1).
The API does not require the `kubernetes.io/service-name` label; without it no Service uses the
slice.
"""

from __future__ import annotations

from kubenet_nb.api.endpoint_ports import validate_endpoint_port_protocols
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.ip_addresses import parse_ip_sloppy, validate_non_special_ip
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_dns1123_label,
    validate_immutable,
    validate_labels,
    validate_object_meta,
)
from kubenet_nb.api.names import is_dns1123_label, is_dns1123_subdomain, is_valid_label_value

__all__ = [
    "ADDRESS_TYPES",
    "default_endpoint_slice",
    "endpoint_slice_generation",
    "validate_endpoint_slice",
    "validate_endpoint_slice_update",
]

ADDRESS_TYPES = ["FQDN", "IPv4", "IPv6"]
_MAX_ENDPOINTS, _MAX_ADDRESSES, _MAX_PORTS, _MAX_TOPOLOGY, _MAX_HINTS = 1000, 100, 20000, 16, 8


def default_endpoint_slice(obj: dict) -> None:
    """Port name "" and protocol TCP; generation 1; v1 clears endpoints[].deprecatedTopology."""
    obj.setdefault("metadata", {})["generation"] = 1
    for port in obj.get("ports") or []:
        if port.get("name") is None:
            port["name"] = ""
        if port.get("protocol") is None:
            port["protocol"] = "TCP"
    for endpoint in obj.get("endpoints") or []:
        endpoint.pop("deprecatedTopology", None)


def endpoint_slice_generation(new: dict, old: dict) -> int:
    """The strategy's PrepareForUpdate: +1 when anything but metadata, or the labels, changed."""
    generation = old.get("metadata", {}).get("generation", 1)
    body = {k: v for k, v in new.items() if k != "metadata"}
    old_body = {k: v for k, v in old.items() if k != "metadata"}
    labels, old_labels = (
        new.get("metadata", {}).get("labels") or {},
        old.get("metadata", {}).get("labels") or {},
    )
    return generation + 1 if body != old_body or labels != old_labels else generation


def _fqdn_errors(value: str, field: str) -> list[FieldError]:
    name = value.removesuffix(".")
    if not value:
        return [FieldError.required(field)]
    problems = is_dns1123_subdomain(name)
    if problems:
        return [FieldError.invalid(field, name, ",".join(problems))]
    if len(name.split(".")) < 2:
        return [
            FieldError.invalid(
                field, name, "should be a domain with at least two segments separated by dots"
            )
        ]
    for label in name.split("."):
        problems = is_dns1123_label(label)
        if problems:
            return [FieldError.invalid(field, label, ",".join(problems))]
    return []


def _validate_address(address: str, address_type: str, field: str) -> list[FieldError]:
    if address_type == "FQDN":
        return _fqdn_errors(address, field)
    if address_type not in ("IPv4", "IPv6"):
        return []
    ip = parse_ip_sloppy(address)
    errs = []
    if ip is None or ip.version != int(address_type[-1]):
        errs.append(FieldError.invalid(field, address, f"must be a valid {address_type} address"))
    return errs + validate_non_special_ip(address, field)


def _validate_slice_endpoints(endpoints: list[dict], address_type: str) -> list[FieldError]:
    if len(endpoints) > _MAX_ENDPOINTS:
        return [FieldError.too_many("endpoints", len(endpoints), _MAX_ENDPOINTS)]
    errs: list[FieldError] = []
    for i, endpoint in enumerate(endpoints):
        path = f"endpoints[{i}]"
        addresses = endpoint.get("addresses") or []
        if not addresses:
            errs.append(FieldError.required(f"{path}.addresses", "must contain at least 1 address"))
        elif len(addresses) > _MAX_ADDRESSES:
            errs.append(FieldError.too_many(f"{path}.addresses", len(addresses), _MAX_ADDRESSES))
        for j, address in enumerate(addresses):
            errs.extend(_validate_address(address, address_type, f"{path}.addresses[{j}]"))
        if endpoint.get("nodeName") is not None:
            errs.extend(
                FieldError.invalid(f"{path}.nodeName", endpoint["nodeName"], msg)
                for msg in name_is_dns_subdomain(endpoint["nodeName"], False)
            )
        topology = endpoint.get("deprecatedTopology") or {}
        if len(topology) > _MAX_TOPOLOGY:
            errs.append(
                FieldError.too_many(f"{path}.deprecatedTopology", len(topology), _MAX_TOPOLOGY)
            )
        errs.extend(validate_labels(topology, f"{path}.deprecatedTopology"))
        if endpoint.get("hostname") is not None:
            errs.extend(validate_dns1123_label(endpoint["hostname"], f"{path}.hostname"))
        zones = (endpoint.get("hints") or {}).get("forZones") or []
        if len(zones) > _MAX_HINTS:
            errs.append(FieldError.too_many(f"{path}.hints.forZones", len(zones), _MAX_HINTS))
            continue
        seen: set[str] = set()
        for j, zone in enumerate(zones):
            zone_path, name = f"{path}.hints.forZones[{j}].name", zone.get("name", "")
            if name in seen:
                errs.append(FieldError.duplicate(zone_path, name))
            seen.add(name)
            errs.extend(
                FieldError.invalid(zone_path, name, msg) for msg in is_valid_label_value(name)
            )
    return errs


def _validate_slice_ports(ports: list[dict]) -> list[FieldError]:
    if len(ports) > _MAX_PORTS:
        return [FieldError.too_many("ports", len(ports), _MAX_PORTS)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        path, name = f"ports[{i}]", port.get("name") or ""
        if name:
            errs.extend(validate_dns1123_label(name, f"{path}.name"))
        if name in names:
            errs.append(FieldError.duplicate(f"{path}.name", name))
        names.add(name)
        errs.extend(
            validate_endpoint_port_protocols(port.get("protocol"), port.get("appProtocol"), path)
        )
    return errs


def validate_endpoint_slice(obj: dict) -> list[FieldError]:
    """ValidateEndpointSliceCreate."""
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    address_type = obj.get("addressType") or ""
    if not address_type:
        errs.append(FieldError.required("addressType"))
    elif address_type not in ADDRESS_TYPES:
        errs.append(FieldError.not_supported("addressType", address_type, ADDRESS_TYPES))
    errs.extend(_validate_slice_endpoints(obj.get("endpoints") or [], address_type))
    return errs + _validate_slice_ports(obj.get("ports") or [])


def validate_endpoint_slice_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateEndpointSliceUpdate: as on create, and addressType may not change."""
    errs = validate_endpoint_slice(new)
    return errs + validate_immutable(
        new.get("addressType", ""), old.get("addressType", ""), "addressType"
    )
