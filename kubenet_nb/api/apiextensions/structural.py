"""Structural schemas: the rules a CRD's openAPIV3Schema must follow, and what they do to objects.

k8s.io/apiextensions-apiserver @ v0.33.1: pkg/apiserver/schema/validation.go
(`validateStructuralInvariants`: a `type` everywhere, `items` for arrays, an object at the root,
metadata restricted to name and generateName; errors sorted by their text, as upstream sorts
them), pkg/apiserver/schema/pruning/algorithm.go (unknown fields dropped, their paths sorted;
`apiVersion`, `kind`, `metadata` kept at the root and in embedded resources) and
pkg/apiserver/schema/defaulting/algorithm.go (`default`s filled in where a field is absent).
A schema here is the JSONSchemaProps dict as the CRD carries it.
"""

from __future__ import annotations

import re
from typing import Any

from kubenet_nb.api.errors import FieldError

__all__ = ["apply_defaults", "copy_json", "drop_nulls", "prune", "validate_structural"]

_TYPES = ["array", "boolean", "integer", "number", "object", "string"]
_META_FIELDS = frozenset(("apiVersion", "kind", "metadata"))


def _child(schema: dict, key: str) -> dict | None:
    """The schema of an object's member: its property, else additionalProperties (if a schema)."""
    properties = schema.get("properties") or {}
    if key in properties:
        return properties[key]
    extra = schema.get("additionalProperties")
    return extra if isinstance(extra, dict) else None


def _allows_extra(schema: dict) -> bool:
    return isinstance(schema.get("additionalProperties"), dict)


def validate_structural(schema: dict, path: str) -> list[FieldError]:
    """ValidateStructural of a CRD version's schema (plus the property types the OpenAPI schema
    validation allows), errors sorted by their text."""
    errors = _invariants(schema, "root", path)
    return sorted(errors, key=str)


def _invariants(schema: dict, level: str, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    kind = schema.get("type") or ""
    if kind and kind not in _TYPES:
        errors.append(FieldError.not_supported(f"{path}.type", kind, _TYPES))
    if kind == "array" and schema.get("items") is None:
        errors.append(FieldError.required(f"{path}.items", "must be specified"))
    if isinstance(schema.get("items"), dict):
        errors += _invariants(schema["items"], "item", f"{path}.items")
    for key, value in (schema.get("properties") or {}).items():
        if isinstance(value, dict):
            errors += _invariants(value, "field", f"{path}.properties[{key}]")
    extra = schema.get("additionalProperties")
    if extra is not None and extra is not False:
        if level == "root":
            errors.append(
                FieldError.forbidden(f"{path}.additionalProperties", "must not be used at the root")
            )
        if isinstance(extra, dict):
            errors += _invariants(extra, "field", f"{path}.additionalProperties")
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            re.compile(pattern)
        except re.error as error:
            errors.append(
                FieldError.invalid(
                    f"{path}.pattern",
                    pattern,
                    f"must be a valid regular expression, but isn't: {error}",
                )
            )
    errors += _level_rules(schema, level, path, kind)
    return errors


def _level_rules(schema: dict, level: str, path: str, kind: str) -> list[FieldError]:
    """The `type` rules of each level, and the metadata restrictions of a resource's root."""
    errors: list[FieldError] = []
    embedded = bool(schema.get("x-kubernetes-embedded-resource"))
    preserve = bool(schema.get("x-kubernetes-preserve-unknown-fields"))
    if embedded and kind != "object":
        detail = "must be object if x-kubernetes-embedded-resource is true"
        errors.append(
            FieldError.invalid(f"{path}.type", kind, detail)
            if kind
            else FieldError.required(f"{path}.type", detail)
        )
    elif not kind and not schema.get("x-kubernetes-int-or-string") and not preserve:
        where = {"root": "at the root", "item": "for specified array items"}
        detail = "must not be empty " + where.get(level, "for specified object fields")
        errors.append(FieldError.required(f"{path}.type", detail))
    if embedded and schema.get("additionalProperties") is not None:
        errors.append(
            FieldError.forbidden(
                f"{path}.additionalProperties",
                "must not be used if x-kubernetes-embedded-resource is set",
            )
        )
    if level == "root" and kind and kind != "object":
        errors.append(FieldError.invalid(f"{path}.type", kind, "must be object at the root"))
    properties = schema.get("properties") or {}
    if level == "root" or embedded:
        for name in ("kind", "apiVersion"):
            member = properties.get(name)
            if isinstance(member, dict) and member.get("type") != "string":
                errors.append(
                    FieldError.invalid(
                        f"{path}.properties[{name}].type", member.get("type", ""), "must be string"
                    )
                )
    metadata = properties.get("metadata")
    if isinstance(metadata, dict):
        errors += _metadata_rules(metadata, level == "root" or embedded, level, path)
    if embedded and not preserve and not properties:
        errors.append(
            FieldError.required(
                f"{path}.properties",
                "must not be empty if x-kubernetes-embedded-resource is true without "
                "x-kubernetes-preserve-unknown-fields",
            )
        )
    return errors


def _metadata_rules(metadata: dict, check: bool, level: str, path: str) -> list[FieldError]:
    """validateStructuralMetadataInvariants: an object, naming at most name and generateName."""
    errors: list[FieldError] = []
    where = f"{path}.properties[metadata]"
    if check and metadata.get("type") != "object":
        errors.append(
            FieldError.invalid(f"{where}.type", metadata.get("type", ""), "must be object")
        )
    if level == "root":
        rest = {k: v for k, v in metadata.items() if k not in ("type", "default")}
        names = set(rest.get("properties") or {})
        if names and names <= {"name", "generateName"}:
            rest.pop("properties")
        if rest:
            errors.append(
                FieldError.forbidden(
                    where,
                    "must not specify anything other than name and generateName, but metadata "
                    "is implicitly specified",
                )
            )
    return errors


def prune(value: Any, schema: dict | None, path: str = "", root: bool = True) -> list[str]:
    """Drop the fields the schema does not specify, in place; their paths, sorted."""
    unknown: list[str] = []
    _prune(value, schema, path, root, unknown)
    return sorted(unknown)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _prune(value: Any, schema: dict | None, path: str, root: bool, unknown: list[str]) -> None:
    if schema is not None and schema.get("x-kubernetes-preserve-unknown-fields"):
        _prune_known(value, schema, path, unknown)
        return
    if isinstance(value, dict):
        embedded = root or bool(schema and schema.get("x-kubernetes-embedded-resource"))
        for key in list(value):
            if embedded and key in _META_FIELDS:
                continue
            child = _child(schema, key) if schema is not None else None
            if child is not None:
                _prune(value[key], child, _join(path, key), False, unknown)
            else:
                if key not in _META_FIELDS or path:
                    unknown.append(_join(path, key))
                del value[key]
    elif isinstance(value, list):
        items = schema.get("items") if schema is not None else None
        for index, element in enumerate(value):
            _prune(element, items, f"{path}[{index}]", False, unknown)


def _prune_known(value: Any, schema: dict, path: str, unknown: list[str]) -> None:
    """skipPrune: below x-kubernetes-preserve-unknown-fields, only specified fields recurse."""
    if isinstance(value, dict):
        embedded = bool(schema.get("x-kubernetes-embedded-resource"))
        for key, element in value.items():
            if embedded and key in _META_FIELDS:
                continue
            child = _child(schema, key)
            if child is not None:
                _prune(element, child, _join(path, key), False, unknown)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for index, element in enumerate(value):
            _prune_known(element, schema["items"], f"{path}[{index}]", unknown)


def drop_nulls(value: Any, schema: dict | None) -> None:
    """PruneNonNullableNullsWithoutDefaults: a null where null is not allowed and no default
    would replace it is dropped, in place."""
    if schema is None:
        return
    if isinstance(value, dict):
        for key in list(value):
            child = _child(schema, key)
            if child is None:
                continue
            if value[key] is None and not child.get("nullable") and "default" not in child:
                del value[key]
            else:
                drop_nulls(value[key], child)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        for element in value:
            drop_nulls(element, schema["items"])


def copy_json(value: Any) -> Any:
    """A deep copy of JSON-shaped data."""
    if isinstance(value, dict):
        return {k: copy_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [copy_json(v) for v in value]
    return value


def _null_to_default(value: Any, schema: dict | None) -> bool:
    return value is None and schema is not None and not schema.get("nullable")


def apply_defaults(value: Any, schema: dict | None) -> None:
    """Default: absent fields (and non-nullable nulls) take their schema's `default`, in place."""
    if schema is None:
        return
    if isinstance(value, dict):
        for key, member in (schema.get("properties") or {}).items():
            if "default" not in member:
                continue
            if key not in value or _null_to_default(value[key], member):
                value[key] = copy_json(member["default"])
        for key in value:
            child = _child(schema, key)
            if child is not None:
                if _null_to_default(value[key], child) and "default" in child:
                    value[key] = copy_json(child["default"])
                apply_defaults(value[key], child)
    elif isinstance(value, list) and isinstance(schema.get("items"), dict):
        items = schema["items"]
        for index, element in enumerate(value):
            if _null_to_default(element, items) and "default" in items:
                value[index] = copy_json(items["default"])
            apply_defaults(value[index], items)
