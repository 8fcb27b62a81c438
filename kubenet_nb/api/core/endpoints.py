"""Legacy Endpoints (core/v1) written by users: defaults and validation.

SetDefaults_Endpoints (pkg/apis/core/v1/defaults.go) and ValidateEndpoints /
validateEndpointSubsets (pkg/apis/core/validation/validation.go). The EndpointSlice names the
endpoint strategies import from here live in endpointslice.
"""

from __future__ import annotations

from kubenet_nb.api.discovery.endpointslice import (
    ADDRESS_TYPES,
    default_endpoint_slice,
    endpoint_slice_generation,
    validate_endpoint_slice,
    validate_endpoint_slice_update,
)
from kubenet_nb.api.endpoint_ports import validate_endpoint_port_protocols
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.ip_addresses import parse_ip_sloppy, validate_non_special_ip
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_dns1123_label,
    validate_object_meta,
    validate_object_meta_update,
)

__all__ = [
    "ADDRESS_TYPES",
    "default_endpoint_slice",
    "default_endpoints",
    "endpoint_slice_generation",
    "validate_endpoint_slice",
    "validate_endpoint_slice_update",
    "validate_endpoints",
    "validate_endpoints_update",
]

_IP_ERROR = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"


def default_endpoints(obj: dict) -> None:
    """SetDefaults_Endpoints: every subset port's protocol defaults to TCP."""
    for subset in obj.get("subsets") or []:
        for port in subset.get("ports") or []:
            if not port.get("protocol"):
                port["protocol"] = "TCP"


def _validate_endpoint_address(address: dict, field: str) -> list[FieldError]:
    ip = address.get("ip") or ""
    errs = [] if parse_ip_sloppy(ip) else [FieldError.invalid(f"{field}.ip", ip, _IP_ERROR)]
    if address.get("hostname"):
        errs.extend(validate_dns1123_label(address["hostname"], f"{field}.hostname"))
    if address.get("nodeName") is not None:
        errs.extend(
            FieldError.invalid(f"{field}.nodeName", address["nodeName"], msg)
            for msg in name_is_dns_subdomain(address["nodeName"], False)
        )
    return errs + validate_non_special_ip(ip, f"{field}.ip")


def _validate_endpoint_port(port: dict, require_name: bool, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = port.get("name") or ""
    if require_name and not name:
        errs.append(FieldError.required(f"{field}.name"))
    elif name:
        errs.extend(validate_dns1123_label(name, f"{field}.name"))
    number = port.get("port", 0)
    if isinstance(number, bool) or not isinstance(number, int) or not 1 <= number <= 65535:
        errs.append(
            FieldError.invalid(f"{field}.port", number, "must be between 1 and 65535, inclusive")
        )
    protocol = port.get("protocol") or None
    return errs + validate_endpoint_port_protocols(protocol, port.get("appProtocol"), field)


def validate_endpoints(obj: dict) -> list[FieldError]:
    """ValidateEndpoints: subsets need addresses; each address and port well formed."""
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    for i, subset in enumerate(obj.get("subsets") or []):
        path = f"subsets[{i}]"
        ready, not_ready = subset.get("addresses") or [], subset.get("notReadyAddresses") or []
        if not ready and not not_ready:
            errs.append(
                FieldError.required(path, "must specify `addresses` or `notReadyAddresses`")
            )
        for j, address in enumerate(ready):
            errs.extend(_validate_endpoint_address(address, f"{path}.addresses[{j}]"))
        for j, address in enumerate(not_ready):
            errs.extend(_validate_endpoint_address(address, f"{path}.notReadyAddresses[{j}]"))
        ports = subset.get("ports") or []
        for j, port in enumerate(ports):
            errs.extend(_validate_endpoint_port(port, len(ports) > 1, f"{path}.ports[{j}]"))
    return errs


def validate_endpoints_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateEndpointsUpdate: the metadata update rules, then ValidateEndpoints."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    return errs + validate_endpoints(new)
