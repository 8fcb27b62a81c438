"""The hash that names a workload's revision: `<name>-<hash>` ReplicaSets, ControllerRevisions.

kubernetes/kubernetes pkg/controller/controller_utils.go `ComputeHash` @ v1.33.0 hashes the pod
template with FNV-32a over Go's object dump (plus the collision count) and encodes the decimal
digits with `rand.SafeEncodeString`; here a canonical JSON dump is hashed the same way, so the
hashes look like upstream's (`7c5ddbdf54`) without being byte-identical to a real cluster's.
"""

from __future__ import annotations

import json

from kubenet_nb.api.well_known import POD_TEMPLATE_HASH_LABEL
from kubenet_nb.cluster.randomness import ALPHANUMS
from kubenet_nb.cluster.store import clone

__all__ = ["pod_template_hash", "safe_encode"]


def _fnv32a(data: bytes) -> int:
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def safe_encode(text: str) -> str:
    """utilrand.SafeEncodeString: each character mapped into the vowel-free alphabet.

    >>> safe_encode("0123456789")
    '456789bcdf'
    """
    return "".join(ALPHANUMS[ord(c) % len(ALPHANUMS)] for c in text)


def pod_template_hash(template: dict, collision_count: int = 0) -> str:
    """controller.ComputeHash's shape: FNV-32a of the template (+ collision count), encoded."""
    template = clone(template)
    template.get("metadata", {}).get("labels", {}).pop(POD_TEMPLATE_HASH_LABEL, None)
    data = json.dumps(template, sort_keys=True, separators=(",", ":")).encode()
    if collision_count:
        data += str(collision_count).encode()
    return safe_encode(str(_fnv32a(data)))
