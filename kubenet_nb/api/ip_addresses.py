"""IP addresses as endpoint validation reads them: Go's sloppy parsing and the special ranges.

netutils.ParseIPSloppy (k8s.io/utils/net) and ValidateNonSpecialIP in
pkg/apis/core/validation/validation.go, which Endpoints and EndpointSlice addresses must pass.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.errors import FieldError

__all__ = ["IPAddress", "parse_ip_sloppy", "validate_non_special_ip"]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_ip_sloppy(value: str) -> IPAddress | None:
    """netutils.ParseIPSloppy: like Go's net.ParseIP, IPv4 octets may carry leading zeros;
    an IPv4-mapped IPv6 address counts as IPv4 (net.IP.To4)."""
    if "." in value and ":" not in value:
        octets = value.split(".")
        if len(octets) != 4 or not all(o.isdigit() and int(o) < 256 for o in octets):
            return None
        return ipaddress.IPv4Address(".".join(str(int(o)) for o in octets))
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def validate_non_special_ip(value: str, field: str) -> list[FieldError]:
    """ValidateNonSpecialIP: no unspecified, loopback, link-local or link-local multicast IP."""
    ip = parse_ip_sloppy(value)
    if ip is None:
        return [FieldError.invalid(field, value, "must be a valid IP address")]
    errs: list[FieldError] = []
    if ip.is_unspecified:
        errs.append(FieldError.invalid(field, value, f"may not be unspecified ({value})"))
    if ip.is_loopback:
        errs.append(
            FieldError.invalid(
                field, value, "may not be in the loopback range (127.0.0.0/8, ::1/128)"
            )
        )
    if ip.is_link_local:
        errs.append(
            FieldError.invalid(
                field, value, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"
            )
        )
    packed = ip.packed
    multicast = (
        packed[:3] == b"\xe0\x00\x00"
        if ip.version == 4
        else packed[0] == 0xFF and packed[1] & 0x0F == 0x02
    )
    if multicast:
        errs.append(
            FieldError.invalid(
                field,
                value,
                "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)",
            )
        )
    return errs
