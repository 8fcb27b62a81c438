"""PEM-looking stand-ins for the cluster's CA certificates, the same for the same cluster name.

None of this is a real certificate or key: the body is the DER prefix every X.509 certificate
starts with, followed by sha256-chained filler bytes. It only has to look like kubeadm's
`/etc/kubernetes/pki/ca.crt` where a ConfigMap shows it.
"""

from __future__ import annotations

import base64
import functools
import hashlib

__all__ = ["fake_certificate"]

_DER_PREFIX = bytes.fromhex("30 82 03 05 30 82 01 ed a0 03 02 01 02 02 08")
"""SEQUENCE (773 bytes) { SEQUENCE (493 bytes) { [0] version v3, serial (8 bytes)..."""
_BODY_BYTES = 777


@functools.lru_cache(maxsize=64)
def fake_certificate(label: str) -> str:
    """A deterministic, PEM-encoded fake certificate for `label` (not a real key or signature)."""
    filler = b""
    block = label.encode()
    while len(filler) < _BODY_BYTES - len(_DER_PREFIX):
        block = hashlib.sha256(block).digest()
        filler += block
    body = base64.b64encode((_DER_PREFIX + filler)[:_BODY_BYTES]).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----", ""])
