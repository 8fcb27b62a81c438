"""IP literals as Kubernetes reads them: the one sloppy parser and the one special-IP check.

ParseIPSloppy of k8s.io/utils/net (net/parse.go, the Go 1.16 parser forked so stored values with
leading zeros stay valid) and ValidateNonSpecialIP of kubernetes/kubernetes
pkg/apis/core/validation/validation.go @ v1.33.0, which Endpoints and EndpointSlice addresses and
Service externalIPs must pass. The API validators and kube-proxy both parse with this module.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.errors import FieldError

__all__ = [
    "IPAddress",
    "IPNetwork",
    "is_ip",
    "parse_cidr_sloppy",
    "parse_ip_sloppy",
    "validate_non_special_ip",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def is_ip(text: str) -> bool:
    """Whether the text is an IP address as Python's ipaddress reads it (no leading zeros)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _parse_ipv4_sloppy(text: str) -> ipaddress.IPv4Address | None:
    """The forked Go 1.16 parseIPv4: four dot-separated ASCII decimal octets, leading zeros ok."""
    octets = text.split(".")
    if len(octets) != 4 or not all(o and o.isascii() and o.isdigit() for o in octets):
        return None
    values = [int(o) for o in octets]
    return ipaddress.IPv4Address(bytes(values)) if max(values) <= 255 else None


def parse_ip_sloppy(value: str) -> IPAddress | None:
    """netutils.ParseIPSloppy: Go's net.ParseIP, except that IPv4 octets may carry leading zeros.

    The first '.' or ':' picks the family; no IPv6 zone. An IPv4-mapped IPv6 address comes back
    as IPv4, as net.IP.To4 sees it, so callers need not unmap.

    >>> str(parse_ip_sloppy("172.30.0.041")), parse_ip_sloppy("1.2.3.256")
    ('172.30.0.41', None)
    >>> str(parse_ip_sloppy("::ffff:010.0.0.1")), parse_ip_sloppy("fe80::1%eth0")
    ('10.0.0.1', None)
    """
    family = next((c for c in value if c in ".:"), "")
    if family == ".":
        return _parse_ipv4_sloppy(value)
    if family != ":" or "%" in value:
        return None
    head, _, tail = value.rpartition(":")
    if "." in tail:
        embedded = _parse_ipv4_sloppy(tail)
        if embedded is None:
            return None
        value = f"{head}:{embedded}"
    try:
        address = ipaddress.IPv6Address(value)
    except ValueError:
        return None
    return address.ipv4_mapped if address.ipv4_mapped is not None else address


def parse_cidr_sloppy(text: str) -> IPNetwork | None:
    """`ParseCIDRSloppy`, returning the masked network as Go's `IPNet` holds it.

    >>> str(parse_cidr_sloppy("203.0.113.000/025")), str(parse_cidr_sloppy("10.1.2.3/8"))
    ('203.0.113.0/25', '10.0.0.0/8')
    """
    address_text, slash, mask_text = text.partition("/")
    address = parse_ip_sloppy(address_text)
    if address is None or not slash or not mask_text.isdigit():
        return None
    bits = int(mask_text)
    if bits > address.max_prefixlen:
        return None
    return ipaddress.ip_network(f"{address}/{bits}", strict=False)


def validate_non_special_ip(value: str, field: str) -> list[FieldError]:
    """ValidateNonSpecialIP: no unspecified, loopback, link-local or link-local multicast IP.

    The net.IP predicates see IPv4-mapped IPv6 as IPv4, so `::ffff:127.0.0.1` is loopback too.
    """
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
