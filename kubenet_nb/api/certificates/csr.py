"""CertificateSigningRequests (certificates.k8s.io/v1): request, usages and signer name.

pkg/apis/certificates/validation/validation.go (validateCSR, ValidateSignerName) and
pkg/registry/certificates/certificates/strategy.go (status reset) @ v1.33.0. Upstream's update
keeps the stored spec whatever the client sends; here the new spec is validated instead. The
request is checked to be a PEM `CERTIFICATE REQUEST` block; its DER body is not parsed, and the
requesting user is not recorded in the spec.
"""

from __future__ import annotations

import base64
import binascii
import re

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue
from kubenet_nb.api.names import (
    DNS1123_LABEL_MAX,
    DNS1123_SUBDOMAIN_MAX,
    is_dns1123_label,
    is_dns1123_subdomain,
)
from kubenet_nb.api.path_segment import name_is_path_segment

__all__ = ["RULES", "validate_csr", "validate_signer_name"]

USAGES = [
    "any",
    "cert sign",
    "client auth",
    "code signing",
    "content commitment",
    "crl sign",
    "data encipherment",
    "decipher only",
    "digital signature",
    "email protection",
    "encipher only",
    "ipsec end system",
    "ipsec tunnel",
    "ipsec user",
    "key agreement",
    "key encipherment",
    "microsoft sgc",
    "netscape sgc",
    "ocsp signing",
    "s/mime",
    "server auth",
    "signing",
    "timestamping",
]
"""allValidUsages, sorted as sets.List returns them."""
_PEM = re.compile(
    rb"-----BEGIN CERTIFICATE REQUEST-----\s*([A-Za-z0-9+/=\s]+?)\s*"
    rb"-----END CERTIFICATE REQUEST-----"
)
_MIN_EXPIRATION = 600


def _go_bytes(data: bytes | None) -> GoValue:
    """`%#v` of a []byte."""
    if data is None:
        return GoValue("[]byte(nil)")
    return GoValue("[]byte{" + ", ".join(f"0x{b:x}" for b in data) + "}")


def _request_errors(request: str) -> list[FieldError]:
    """ParseCSR's first step: the request (base64 in JSON) must hold a CSR PEM block."""
    try:
        data = base64.b64decode(request, validate=True) if request else None
    except binascii.Error:
        data = None
    match = _PEM.search(data or b"")
    if match is not None:
        try:
            base64.b64decode(b"".join(match.group(1).split()), validate=True)
        except binascii.Error:
            match = None
    if match is None:
        return [
            FieldError.invalid(
                "spec.request", _go_bytes(data), "PEM block type must be CERTIFICATE REQUEST"
            )
        ]
    return []


def validate_signer_name(name: str, field: str = "spec.signerName") -> list[FieldError]:
    """ValidateSignerName: `<domain>/<path>`, a dotted domain of labels, a path of subdomains."""
    if not name:
        return [FieldError.required(field)]
    segments = name.split("/")
    if len(segments) != 2:
        return [
            FieldError.invalid(
                field,
                name,
                "must be a fully qualified domain and path of the form 'example.com/signer-name'",
            )
        ]
    domain, path = segments
    errs: list[FieldError] = []
    if len(domain) > DNS1123_SUBDOMAIN_MAX:
        errs.append(FieldError.too_long(field, DNS1123_SUBDOMAIN_MAX))
    labels = domain.split(".")
    for label in labels:
        problems = is_dns1123_label(label)
        if problems:
            errs.extend(
                FieldError.invalid(field, domain, f'validating label "{label}": {msg}')
                for msg in problems
            )
            break
    if len(labels) < 2:
        errs.append(
            FieldError.invalid(
                field, domain, "should be a domain with at least two segments separated by dots"
            )
        )
    for label in path.split("."):
        problems = is_dns1123_subdomain(label)
        if problems:
            errs.extend(
                FieldError.invalid(field, path, f'validating label "{label}": {msg}')
                for msg in problems
            )
            break
    max_path = DNS1123_SUBDOMAIN_MAX + DNS1123_LABEL_MAX + 1
    if len(path) > max_path:
        errs.append(FieldError.too_long(field, max_path))
    return errs


def validate_csr(obj: dict) -> list[FieldError]:
    """validateCSR beyond ObjectMeta: request, usages (known, unique), signer, expiration."""
    spec = obj.get("spec") or {}
    errs = _request_errors(spec.get("request") or "")
    usages = spec.get("usages") or []
    if not usages:
        errs.append(FieldError.required("spec.usages"))
    for i, usage in enumerate(usages):
        if usage not in USAGES:
            errs.append(FieldError.not_supported(f"spec.usages[{i}]", usage, USAGES))
    for i, usage in enumerate(usages):
        if usage in usages[:i]:
            errs.append(FieldError.duplicate(f"spec.usages[{i}]", usage))
    errs.extend(validate_signer_name(spec.get("signerName") or ""))
    expiration = spec.get("expirationSeconds")
    if expiration is not None and expiration < _MIN_EXPIRATION:
        errs.append(
            FieldError.invalid(
                "spec.expirationSeconds",
                expiration,
                "may not specify a duration less than 600 seconds (10 minutes)",
            )
        )
    return errs


RULES = (
    KindRules(
        "CertificateSigningRequest",
        name=name_is_path_segment,
        validate=validate_csr,
        status={},
    ),
)
