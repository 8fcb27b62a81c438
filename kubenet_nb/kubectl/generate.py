"""What the commands that build objects on the client share: flag-value parsing and the POST.

`kubectl run`, `expose` and `create deployment|service|namespace` build the object themselves, as
kubectl's generators do (k8s.io/kubectl/pkg/generate: ParseLabels; strconv.Atoi for port
numbers), then send it into the namespace kubectl resolved, unless `--dry-run=client`.
"""

from __future__ import annotations

import re

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.kubectl.command import Invocation

__all__ = ["GO_INT", "atoi", "int32", "int_or_string", "parse_label_spec", "submit"]

GO_INT = re.compile(r"[+-]?[0-9]+")
"""What strconv.Atoi accepts: an optional sign and decimal digits, nothing else."""


def _parse_int(text: str, bits: int) -> int:
    """strconv.ParseInt(text, 10, bits); a ValueError carries strconv's reason.

    Reads no more digits than the bit size can hold, so a 5000-digit text is out of range,
    not Python's `int()` refusal."""
    if not GO_INT.fullmatch(text):
        raise ValueError("invalid syntax")
    digits = text.lstrip("+-").lstrip("0") or "0"
    bound = 1 << (bits - 1)
    value = int(digits) if len(digits) <= len(str(bound)) else bound + 1
    if value > bound or (value == bound and not text.startswith("-")):
        raise ValueError("value out of range")
    return -value if text.startswith("-") else value


def atoi(text: str) -> int:
    """strconv.Atoi (Go's 64-bit int), with its error text.

    >>> atoi("+080"), atoi("-0"), atoi("-9223372036854775808")
    (80, 0, -9223372036854775808)
    """
    try:
        return _parse_int(text, 64)
    except ValueError as error:
        raise KubectlError(f"strconv.Atoi: parsing {go_quote(text)}: {error}") from None


def int32(value: int) -> int:
    """Go's `int32(value)` conversion: the low 32 bits, as a signed number (it wraps).

    >>> int32(80), int32(2**31), int32(2**32 + 80)
    (80, -2147483648, 80)
    """
    return (value + (1 << 31)) % (1 << 32) - (1 << 31)


def int_or_string(text: str) -> int | str:
    """intstr.Parse (apimachinery pkg/util/intstr, v0.33): an int when strconv.ParseInt(text,
    10, 32) reads it, else the text as a name.

    >>> [int_or_string(text) for text in ("8080", "http", "2147483648", "²")]
    [8080, 'http', '2147483648', '²']
    """
    try:
        return _parse_int(text, 32)
    except ValueError:
        return text


def parse_label_spec(text: str) -> dict[str, str]:
    """generate.ParseLabels: `k=v,k2=v2`, each term exactly one `=` and a non-empty key."""
    labels = {}
    for term in text.split(","):
        parts = term.split("=")
        if len(parts) != 2:
            raise KubectlError(f"unexpected label spec: {term}")
        if not parts[0]:
            raise KubectlError("unexpected empty label key")
        labels[parts[0]] = parts[1]
    return labels


def submit(invocation: Invocation, obj: dict, namespace: str | None, dry_run: bool) -> dict:
    """POST a client-built object into `namespace` (None: a cluster-scoped kind) and print the
    API server's warnings; the object as stored, or as built on a dry run."""
    if dry_run:
        return obj
    if namespace:
        obj = {**obj, "metadata": {**obj["metadata"], "namespace": namespace}}
    obj = invocation.cluster.create(obj)
    invocation.terminal.warnings(invocation.cluster)
    return obj
