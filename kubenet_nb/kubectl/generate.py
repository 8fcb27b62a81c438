"""What the commands that build objects on the client share: flag-value parsing and the POST.

`kubectl run`, `expose` and `create deployment|service|namespace` build the object themselves, as
kubectl's generators do (k8s.io/kubectl/pkg/generate: ParseLabels; strconv.Atoi for port
numbers), then send it into the namespace kubectl resolved, unless `--dry-run=client`.
"""

from __future__ import annotations

import re

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.command import Invocation

__all__ = ["GO_INT", "atoi", "parse_label_spec", "submit"]

GO_INT = re.compile(r"[+-]?[0-9]+")
"""What strconv.Atoi accepts: an optional sign and decimal digits, nothing else."""


def atoi(text: str) -> int:
    """strconv.Atoi, with its error text."""
    if not GO_INT.fullmatch(text):
        raise KubectlError(f'strconv.Atoi: parsing "{text}": invalid syntax')
    return int(text)


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
