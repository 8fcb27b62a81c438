"""IP literals as Kubernetes reads them: the one sloppy parser and the one special-IP check.

ParseIPSloppy and ParseCIDRSloppy of k8s.io/utils/net, which are the Go 1.16 `net` parser forked
so that stored values with leading zeros stay valid (kubernetes/utils net/parse.go and
internal/third_party/forked/golang/net @ 3ea5e8cea738, the pin of kubernetes/kubernetes go.mod
@ v1.33.0), ported byte for byte rather than delegated to Python's ipaddress, which reads other
things (non-ASCII digits, zones, IPv6 groups longer than four digits). Also ValidateNonSpecialIP
of kubernetes/kubernetes pkg/apis/core/validation/validation.go @ v1.33.0, which Endpoints and
EndpointSlice addresses and Service externalIPs must pass. The API validators and kube-proxy both
parse with this module.
"""

from __future__ import annotations

import ipaddress
import string

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

_BIG = 0xFFFFFF  # dtoi and xtoi give up at this value ("bigger than we need")
_V4_IN_V6_PREFIX = bytes(10) + b"\xff\xff"


def is_ip(text: str) -> bool:
    """Whether the text is an IP address as Python's ipaddress reads it (no leading zeros)."""
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def _dtoi(text: str) -> tuple[int, int] | None:
    """Go's dtoi: value and length of the ASCII decimal digits that start the text, else None."""
    value = length = 0
    while length < len(text) and "0" <= text[length] <= "9":
        value = value * 10 + ord(text[length]) - ord("0")
        if value >= _BIG:
            return None
        length += 1
    return (value, length) if length else None


def _xtoi(text: str) -> tuple[int, int] | None:
    """Go's xtoi: the same for ASCII hexadecimal digits, as many as it likes ("000000ff")."""
    value = length = 0
    while length < len(text) and text[length] in string.hexdigits:
        value = value * 16 + int(text[length], 16)
        if value >= _BIG:
            return None
        length += 1
    return (value, length) if length else None


def _parse_ipv4(text: str) -> bytes | None:
    """The forked parseIPv4: four dot-separated decimal octets up to 255, leading zeros allowed."""
    octets = bytearray()
    for i in range(4):
        if i:
            if not text.startswith("."):
                return None
            text = text[1:]
        parsed = _dtoi(text)
        if parsed is None or parsed[0] > 0xFF:
            return None
        octets.append(parsed[0])
        text = text[parsed[1] :]
    return None if text else bytes(octets)


def _parse_ipv6(text: str) -> bytes | None:
    """The forked parseIPv6: hex groups, at most one `::`, a dotted IPv4 tail; 16 bytes."""
    ip = bytearray(16)
    ellipsis = -1
    if text.startswith("::"):
        ellipsis, text = 0, text[2:]
        if not text:
            return bytes(ip)
    i = 0
    while i < 16:
        parsed = _xtoi(text)
        if parsed is None or parsed[0] > 0xFFFF:
            return None
        group, length = parsed
        if length < len(text) and text[length] == ".":
            ip4 = _parse_ipv4(text) if (ellipsis >= 0 or i == 12) and i + 4 <= 16 else None
            if ip4 is None:
                return None
            ip[i : i + 4], text, i = ip4, "", i + 4
            break
        ip[i : i + 2] = group.to_bytes(2, "big")
        i += 2
        text = text[length:]
        if not text:
            break
        if text[0] != ":" or len(text) == 1:
            return None
        text = text[1:]
        if text[0] == ":":
            if ellipsis >= 0:
                return None
            ellipsis, text = i, text[1:]
            if not text:
                break
    if text:
        return None
    if i < 16:
        if ellipsis < 0:
            return None
        gap = 16 - i
        ip[ellipsis + gap :] = ip[ellipsis:i]
        ip[ellipsis : ellipsis + gap] = bytes(gap)
    elif ellipsis >= 0:
        return None
    return bytes(ip)


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
    raw = _parse_ipv4(value) if family == "." else _parse_ipv6(value) if family == ":" else None
    if raw is None:
        return None
    if raw[:12] == _V4_IN_V6_PREFIX:
        raw = raw[12:]
    return ipaddress.ip_address(raw)


def parse_cidr_sloppy(text: str) -> IPNetwork | None:
    """netutils.ParseCIDRSloppy: the masked network of its `IPNet`, as IPNet.String() prints it.

    The prefix length is ASCII decimal and may carry leading zeros too. An IPv4-mapped address
    with a prefix of 96 or more is the IPv4 network String() and Contains() see
    ("::ffff:1.1.1.0/120" is 1.1.1.0/24); a shorter prefix masks the ::ffff: away and leaves
    IPv6 ("::ffff:10.0.0.1/24" is ::/24). Only Go's Mask.Size() tells the mapped form apart:
    it counts 120 bits of 128 for "::ffff:1.1.1.0/120".

    >>> str(parse_cidr_sloppy("203.0.113.000/025")), str(parse_cidr_sloppy("10.1.2.3/8"))
    ('203.0.113.0/25', '10.0.0.0/8')
    >>> str(parse_cidr_sloppy("::ffff:10.0.0.1/120")), parse_cidr_sloppy("fd00::/\u0666\u0664")
    ('10.0.0.0/24', None)
    """
    address_text, _, mask_text = text.partition("/")
    raw = _parse_ipv4(address_text)
    if raw is None:
        raw = _parse_ipv6(address_text)
    parsed = _dtoi(mask_text)
    if raw is None or parsed is None or parsed[1] != len(mask_text):
        return None
    width, bits = 8 * len(raw), parsed[0]
    if bits > width:
        return None
    network = int.from_bytes(raw, "big") >> (width - bits) << (width - bits)
    if width == 128 and bits >= 96 and network >> 32 == 0xFFFF:
        return ipaddress.IPv4Network((network & 0xFFFFFFFF, bits - 96))
    if width == 32:
        return ipaddress.IPv4Network((network, bits))
    return ipaddress.IPv6Network((network, bits))


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
