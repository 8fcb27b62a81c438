"""`KindRules`: what a kind's registry strategy does on create and update, as plain functions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import NameFn, name_is_dns_subdomain

__all__ = ["KindRules", "no_errors", "nothing"]


def nothing(obj: dict) -> None:
    """No defaulting."""


def no_errors(*objects: dict) -> list[FieldError]:
    """No validation beyond the object's metadata."""
    return []


@dataclass(frozen=True)
class KindRules:
    """One kind's API rules (k8s.io/kubernetes pkg/registry/<group>/<kind>/strategy.go).

    - `name`: the name check ValidateObjectMeta runs (most kinds: a DNS subdomain).
    - `default`: SetObjectDefaults of the kind's group version (fields the server fills in).
    - `validate` / `validate_update`: the kind's Validate* beyond ObjectMeta; update defaults to
      `validate` of the new object.
    - `status`: the status a create starts from, for kinds whose status is a subresource the
      client may not write (None: the kind has none, or the client's status is kept).
    - `generation`: the strategy keeps metadata.generation (spec changes bump it).
    - `warnings`: the API server's warnings for a successful write.
    - `checks_metadata`: `validate` and `validate_update` run ValidateObjectMeta(Update)
      themselves, as the apps and core validators upstream do (then `name` is not used).
    - `client_status`: a create may carry a status, laid over `status` (Nodes:
      pkg/registry/core/node/strategy.go keeps it).
    """

    kind: str
    name: NameFn = name_is_dns_subdomain
    default: Callable[[dict], None] = nothing
    validate: Callable[[dict], list[FieldError]] = no_errors
    validate_update: Callable[[dict, dict], list[FieldError]] | None = None
    status: dict[str, Any] | None = None
    generation: bool = False
    warnings: Callable[[dict], list[str]] = field(default=lambda obj: [])
    checks_metadata: bool = False
    client_status: bool = False
