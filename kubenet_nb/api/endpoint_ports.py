"""The port rule that Endpoints and EndpointSlices share, written once for both kinds.

validateEndpointPort (kubernetes/kubernetes pkg/apis/core/validation/validation.go @ v1.33.0) and
validatePorts (pkg/apis/discovery/validation/validation.go @ v1.33.0) check a port's protocol and
appProtocol alike; what differs (required or unique names, the port number) stays with each kind.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import PORT_PROTOCOLS, validate_qualified_name

__all__ = ["validate_endpoint_port_protocols"]


def validate_endpoint_port_protocols(
    protocol: str | None, app_protocol: str | None, field: str
) -> list[FieldError]:
    """protocol required (None) and one of SCTP/TCP/UDP; appProtocol, if set, a qualified name.

    Endpoints pass an empty protocol as None (upstream tests `len(port.Protocol) == 0`);
    EndpointSlices pass it as is (upstream tests `Protocol == nil`, so "" is not supported).
    """
    errs: list[FieldError] = []
    if protocol is None:
        errs.append(FieldError.required(f"{field}.protocol"))
    elif protocol not in PORT_PROTOCOLS:
        errs.append(FieldError.not_supported(f"{field}.protocol", protocol, PORT_PROTOCOLS))
    if app_protocol is not None:
        errs.extend(validate_qualified_name(app_protocol, f"{field}.appProtocol"))
    return errs
