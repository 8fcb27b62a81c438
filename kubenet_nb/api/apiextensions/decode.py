"""A custom resource decoded as the API server's CRD handler decodes a request body.

k8s.io/apiextensions-apiserver pkg/apiserver/customresource_handler.go @ v0.33.1
(`unstructuredSchemaCoercer.apply`): metadata is read as ObjectMeta (its unknown fields found
first), the rest pruned to the request version's schema (unknown paths sorted), non-nullable
nulls dropped and the schema's defaults applied. Unknown fields refuse the request under
fieldValidation=Strict, are warnings under Warn and are silently dropped under Ignore.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.apiextensions.definition import CustomKind
from kubenet_nb.api.apiextensions.structural import apply_defaults, copy_json, drop_nulls, prune
from kubenet_nb.api.decode import Decoded
from kubenet_nb.api.decode.checker import Mismatch, Refused, Walk
from kubenet_nb.api.decode.schema import kind_checker
from kubenet_nb.api.decode.wording import (
    cannot_be_handled,
    strict_error,
    type_error,
    unknown_field,
)

__all__ = ["decode_custom", "request_version"]


def request_version(obj: dict[str, Any]) -> str:
    """The version of the object's apiVersion (`stable.example.com/v1` → `v1`)."""
    api_version = obj.get("apiVersion")
    return api_version.rsplit("/", 1)[-1] if isinstance(api_version, str) else ""


def _object_meta(obj: dict[str, Any], kind: str, version: str) -> list[str]:
    """Decode `metadata` as ObjectMeta in place; the paths of its unknown fields."""
    metadata = obj.get("metadata")
    if not isinstance(metadata, dict):
        return []
    checker = kind_checker("ConfigMap")
    assert checker is not None, "ConfigMap has a schema"
    walk = Walk(ordered=True)
    walk.strict.append("metadata")
    try:
        obj["metadata"] = checker.fields["metadata"].decode(metadata, walk)
    except Mismatch as error:
        text = type_error(error.value, error.go_type, "ObjectMeta", error.field)
        raise cannot_be_handled(kind, version, text) from None
    except Refused as error:
        raise cannot_be_handled(kind, version, str(error)) from None
    return walk.unknown


def decode_custom(obj: dict[str, Any], kind: CustomKind, field_validation: str) -> Decoded:
    """Decode a custom resource (its `kind` resolved) against its version's schema."""
    version = request_version(obj)
    decoded = dict(obj)
    unknown = _object_meta(decoded, kind.info.kind, version)
    decoded = copy_json(decoded)
    schema = kind.schema(version)
    unknown += prune(decoded, schema)
    drop_nulls(decoded, schema)
    apply_defaults(decoded, schema)
    if not unknown or field_validation == "Ignore":
        return Decoded(decoded, private=True)
    findings = [unknown_field(path) for path in unknown]
    if field_validation == "Warn":
        return Decoded(decoded, findings, private=True)
    raise cannot_be_handled(kind.info.kind, version, strict_error(findings))
