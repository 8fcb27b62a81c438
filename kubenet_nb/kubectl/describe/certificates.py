"""`kubectl describe` for CertificateSigningRequests: the request's Subject and SANs.

Follows k8s.io/kubectl/pkg/describe/describe.go @ v0.33.0 (`CertificateSigningRequestDescriber`,
`describeCertificateSigningRequest`, `extractCSRStatus`): kubectl decodes `spec.request` as
client-go's util/certificate/csr `ParseCSR` does (the first PEM block, which must be a
`CERTIFICATE REQUEST`, then Go's `x509.ParseCertificateRequest`) and prints the subject's
attributes (crypto/x509/pkix `Name.FillFromRDNSequence`) and the names of the Subject
Alternative Name extension requested in the PKCS #10 `extensionRequest` attribute (RFC 2986,
RFC 5280 §4.2.1.6). The DER reader below reads just those structures; the key and the signature
are not examined.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.describe.writer import Writer, describe_events
from kubenet_nb.kubectl.printers import format_labels
from kubenet_nb.kubectl.printers.age import human_duration, rfc1123z
from kubenet_nb.kubectl.printers.apiserver import _csr_condition as csr_status

__all__ = ["CertificateRequest", "describe_csr", "parse_csr"]

_PEM_BLOCK = re.compile(rb"-----BEGIN ([^\n-]*)-----\s*(.*?)-----END \1-----", re.S)
_EXTENSION_REQUEST = "1.2.840.113549.1.9.14"
_SUBJECT_ALT_NAME = "2.5.29.17"
_ATTRIBUTES = {
    "2.5.4.3": "common_name",
    "2.5.4.5": "serial_number",
    "2.5.4.6": "country",
    "2.5.4.7": "locality",
    "2.5.4.8": "province",
    "2.5.4.9": "street_address",
    "2.5.4.10": "organization",
    "2.5.4.11": "organizational_unit",
    "2.5.4.17": "postal_code",
}
"""crypto/x509/pkix's attribute types: CN and serialNumber keep their last value, the others
gather every value in order."""
_STRING_TAGS = {0x0C: "utf-8", 0x12: "ascii", 0x13: "ascii", 0x14: "latin-1", 0x16: "ascii"}
_BMP_STRING = 0x1E


class _Malformed(Exception):
    """The DER does not hold a certificate request."""


@dataclass
class CertificateRequest:
    """What kubectl prints of an x509.CertificateRequest."""

    common_name: str = ""
    serial_number: str = ""
    country: list[str] = field(default_factory=list)
    organization: list[str] = field(default_factory=list)
    organizational_unit: list[str] = field(default_factory=list)
    locality: list[str] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    street_address: list[str] = field(default_factory=list)
    postal_code: list[str] = field(default_factory=list)
    dns_names: list[str] = field(default_factory=list)
    email_addresses: list[str] = field(default_factory=list)
    ip_addresses: list[str] = field(default_factory=list)
    uris: list[str] = field(default_factory=list)


def _elements(data: bytes) -> Iterator[tuple[int, bytes]]:
    """The (tag, content) of each DER element in `data`, in order."""
    at = 0
    while at < len(data):
        if at + 2 > len(data):
            raise _Malformed("truncated element")
        tag, length = data[at], data[at + 1]
        at += 2
        if length & 0x80:
            size = length & 0x7F
            if size == 0 or size > 4 or at + size > len(data):
                raise _Malformed("bad length")
            length = int.from_bytes(data[at : at + size], "big")
            at += size
        if at + length > len(data):
            raise _Malformed("data truncated")
        yield tag, data[at : at + length]
        at += length


def _one(data: bytes, tag: int) -> bytes:
    elements = list(_elements(data))
    if len(elements) != 1 or elements[0][0] != tag:
        raise _Malformed("unexpected structure")
    return elements[0][1]


def _oid(content: bytes) -> str:
    if not content:
        raise _Malformed("empty object identifier")
    arcs, value = [], 0
    for byte in content:
        value = (value << 7) | (byte & 0x7F)
        if not byte & 0x80:
            arcs.append(value)
            value = 0
    first = min(arcs[0] // 40, 2)
    return ".".join(str(arc) for arc in (first, arcs[0] - 40 * first, *arcs[1:]))


def _string(tag: int, content: bytes) -> str | None:
    """A directory string's text; None for a value that is not a string (pkix skips it)."""
    if tag == _BMP_STRING:
        return content.decode("utf-16-be", errors="replace")
    encoding = _STRING_TAGS.get(tag)
    return None if encoding is None else content.decode(encoding, errors="replace")


def _subject(name: bytes, request: CertificateRequest) -> None:
    """pkix.Name.FillFromRDNSequence over the subject's RDNs."""
    for tag, rdn in _elements(name):
        if tag != 0x31:
            raise _Malformed("RDN is not a SET")
        for attribute_tag, attribute in _elements(rdn):
            parts = list(_elements(attribute))
            if attribute_tag != 0x30 or len(parts) != 2 or parts[0][0] != 0x06:
                raise _Malformed("bad attribute")
            text = _string(*parts[1])
            slot = _ATTRIBUTES.get(_oid(parts[0][1]))
            if text is None or slot is None:
                continue
            if slot in ("common_name", "serial_number"):
                setattr(request, slot, text)
            else:
                getattr(request, slot).append(text)


def _alternative_names(value: bytes, request: CertificateRequest) -> None:
    """parseSANExtension: [1] rfc822Name, [2] dNSName, [6] URI, [7] iPAddress."""
    for tag, content in _elements(_one(value, 0x30)):
        if tag == 0x81:
            request.email_addresses.append(content.decode("ascii", errors="replace"))
        elif tag == 0x82:
            request.dns_names.append(content.decode("ascii", errors="replace"))
        elif tag == 0x86:
            request.uris.append(content.decode("ascii", errors="replace"))
        elif tag == 0x87:
            if len(content) not in (4, 16):
                raise _Malformed("invalid IP address length")
            request.ip_addresses.append(str(ipaddress.ip_address(content)))


def _extensions(attributes: bytes, request: CertificateRequest) -> None:
    """The extensions of every `extensionRequest` attribute; the SAN one is read."""
    for tag, attribute in _elements(attributes):
        parts = list(_elements(attribute))
        if tag != 0x30 or len(parts) != 2 or parts[0][0] != 0x06:
            raise _Malformed("bad attribute")
        if _oid(parts[0][1]) != _EXTENSION_REQUEST:
            continue
        for _, extensions in _elements(parts[1][1]):
            for _, extension in _elements(extensions):
                fields = list(_elements(extension))
                if _oid(fields[0][1]) == _SUBJECT_ALT_NAME:
                    _alternative_names(fields[-1][1], request)


def _pem_body(pem: bytes) -> bytes:
    """pem.Decode's first block, which ParseCSR requires to be a CERTIFICATE REQUEST."""
    match = _PEM_BLOCK.search(pem)
    if match is None or match.group(1) != b"CERTIFICATE REQUEST":
        raise KubectlError("Error parsing CSR: PEM block type must be CERTIFICATE REQUEST")
    try:
        return base64.b64decode(b"".join(match.group(2).split()), validate=True)
    except binascii.Error:
        raise KubectlError(
            "Error parsing CSR: PEM block type must be CERTIFICATE REQUEST"
        ) from None


def parse_csr(pem: bytes) -> CertificateRequest:
    """The subject and requested SANs of a PEM certificate request (ParseCSR).

    >>> try:
    ...     parse_csr(b"not a PEM")
    ... except KubectlError as refused:
    ...     print(refused.message)
    Error parsing CSR: PEM block type must be CERTIFICATE REQUEST

    A DER body that is not a request (which the API server lets through here, see
    api/certificates/csr.py, though upstream's validation would refuse it) is refused in words
    of kubenet's own: Go's encoding/asn1 messages are not reproduced.
    """
    der = _pem_body(pem)
    request = CertificateRequest()
    try:
        outer = list(_elements(_one(der, 0x30)))
        info = list(_elements(outer[0][1])) if outer and outer[0][0] == 0x30 else []
        if len(info) < 3 or info[0][0] != 0x02 or info[1][0] != 0x30:
            raise _Malformed("not a certificate request")
        _subject(info[1][1], request)
        for tag, content in info[3:]:
            if tag == 0xA0:
                _extensions(content, request)
    except (_Malformed, IndexError, ValueError):
        raise KubectlError("Error parsing CSR: x509: malformed certificate request") from None
    return request


def _list(w: Writer, name: str, values: list[str]) -> None:
    """printListHelper: the first value beside the name, the others below it."""
    if values:
        w.write(0, f"\t{name}:\t" + "\n\t\t".join(values) + "\n")


def describe_csr(csr: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeCertificateSigningRequest`: who asked, for what signer, the status, the request."""
    meta, spec = csr.get("metadata") or {}, csr.get("spec") or {}
    try:
        pem = base64.b64decode(spec.get("request") or "", validate=True)
    except binascii.Error:
        pem = b""
    request = parse_csr(pem)
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Labels:\t{format_labels(meta.get('labels'))}\n")
    w.write(0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp', ''))}\n")
    w.write(0, f"Requesting User:\t{spec.get('username', '')}\n")
    if spec.get("signerName"):
        w.write(0, f"Signer:\t{spec['signerName']}\n")
    if spec.get("expirationSeconds") is not None:
        requested = human_duration(timedelta(seconds=spec["expirationSeconds"]))
        w.write(0, f"Requested Duration:\t{requested}\n")
    w.write(0, f"Status:\t{csr_status(csr)}\n")
    w.write(0, "Subject:\n")
    w.write(0, f"\tCommon Name:\t{request.common_name}\n")
    w.write(0, f"\tSerial Number:\t{request.serial_number}\n")
    _list(w, "Organization", request.organization)
    _list(w, "Organizational Unit", request.organizational_unit)
    _list(w, "Country", request.country)
    _list(w, "Locality", request.locality)
    _list(w, "Province", request.province)
    _list(w, "StreetAddress", request.street_address)
    _list(w, "PostalCode", request.postal_code)
    names = (request.dns_names, request.email_addresses, request.uris, request.ip_addresses)
    if any(names):
        w.write(0, "Subject Alternative Names:\n")
        _list(w, "DNS Names", request.dns_names)
        _list(w, "Email Addresses", request.email_addresses)
        _list(w, "URIs", request.uris)
        _list(w, "IP Addresses", request.ip_addresses)
    if events is not None:
        describe_events(w, events, now)
    return w.text()
