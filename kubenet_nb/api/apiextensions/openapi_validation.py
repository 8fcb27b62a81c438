"""A custom resource checked against its version's openAPIV3Schema, in kube-openapi's words.

k8s.io/kube-openapi pkg/validation/validate (@ c8a335a9a2ff, the version apiextensions-apiserver
v0.33.1 uses): per value, the type first, then string, number, array, enum and object checks;
messages from pkg/validation/errors/schema.go (`spec.replicas in body must be of type integer:
"string"`). k8s.io/apiextensions-apiserver pkg/apiserver/validation/validation.go
`kubeOpenAPIResultToFieldErrors` turns them into field errors: Required, NotSupported (enums),
TooLong, TooMany, TypeInvalid and Invalid. Upstream visits an object's properties in Go's map
order (random); here they go in sorted order.
"""

from __future__ import annotations

import json
import re
from typing import Any

from kubenet_nb.api.errors import FieldError

__all__ = ["validate_value"]

_IN = "in body"


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _types(schema: dict) -> list[str]:
    if schema.get("x-kubernetes-int-or-string"):
        return ["integer", "string"]
    kind = schema.get("type")
    return [kind] if kind else []


def _number(value: float) -> str:
    """Go's %v of a number."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)


def _message(path: str, text: str) -> str:
    return f"{path} {_IN} {text}"


def validate_value(value: Any, schema: dict, path: str = "") -> list[FieldError]:
    """The field errors of one value (and what it holds) against its schema."""
    if value is None:
        types = _types(schema)
        if types and not schema.get("nullable"):
            text = _message(path, f'must be of type {",".join(types)}: "null"')
            return [FieldError.invalid(path, "null", text)]
        return []
    type_error = _type_error(value, schema, path)
    if type_error is not None:
        return [type_error]
    errors: list[FieldError] = []
    if isinstance(value, str):
        errors += _string(value, schema, path)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        errors += _number_checks(value, schema, path)
    elif isinstance(value, list):
        errors += _array(value, schema, path)
    errors += _enum(value, schema, path)
    if isinstance(value, dict):
        errors += _object(value, schema, path)
    return errors


def _type_error(value: Any, schema: dict, path: str) -> FieldError | None:
    types = _types(schema)
    if not types:
        return None
    actual = _json_type(value)
    if actual in types:
        return None
    if actual == "integer" and "number" in types:
        return None
    if actual == "number" and "integer" in types and float(value).is_integer():
        return None
    text = _message(path, f'must be of type {",".join(types)}: "{actual}"')
    return FieldError.invalid(path, actual, text)


def _string(value: str, schema: dict, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    length = len(value)
    if "maxLength" in schema and length > schema["maxLength"]:
        errors.append(FieldError.too_long(path, schema["maxLength"]))
    if "minLength" in schema and length < schema["minLength"]:
        text = _message(path, f"should be at least {schema['minLength']} chars long")
        errors.append(FieldError.invalid(path, value, text))
    pattern = schema.get("pattern")
    if isinstance(pattern, str) and re.search(pattern, value) is None:
        errors.append(FieldError.invalid(path, value, _message(path, f"should match '{pattern}'")))
    return errors


def _number_checks(value: float, schema: dict, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    if schema.get("multipleOf"):
        factor = schema["multipleOf"]
        if (value / factor) != int(value / factor):
            text = _message(path, f"should be a multiple of {_number(factor)}")
            errors.append(FieldError.invalid(path, value, text))
    if "maximum" in schema:
        bound, exclusive = schema["maximum"], schema.get("exclusiveMaximum", False)
        if value > bound or (exclusive and value == bound):
            words = "should be less than" if exclusive else "should be less than or equal to"
            errors.append(
                FieldError.invalid(path, value, _message(path, f"{words} {_number(bound)}"))
            )
    if "minimum" in schema:
        bound, exclusive = schema["minimum"], schema.get("exclusiveMinimum", False)
        if value < bound or (exclusive and value == bound):
            words = "should be greater than" if exclusive else "should be greater than or equal to"
            errors.append(
                FieldError.invalid(path, value, _message(path, f"{words} {_number(bound)}"))
            )
    return errors


def _array(value: list, schema: dict, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    items = schema.get("items")
    if isinstance(items, dict):
        for index, element in enumerate(value):
            errors += validate_value(element, items, f"{path}[{index}]")
    if "minItems" in schema and len(value) < schema["minItems"]:
        text = _message(path, f"should have at least {schema['minItems']} items")
        errors.append(FieldError.invalid(path, len(value), text))
    if "maxItems" in schema and len(value) > schema["maxItems"]:
        errors.append(FieldError.too_many(path, len(value), schema["maxItems"]))
    if schema.get("uniqueItems"):
        seen = [json.dumps(v, sort_keys=True) for v in value]
        if len(set(seen)) != len(seen):
            errors.append(
                FieldError.invalid(path, "", _message(path, "shouldn't contain duplicates"))
            )
    return errors


def _enum(value: Any, schema: dict, path: str) -> list[FieldError]:
    allowed = schema.get("enum")
    if not isinstance(allowed, list) or value in allowed:
        return []
    shown = [v if isinstance(v, str) else json.dumps(v) for v in allowed]
    return [FieldError.not_supported(path, value, shown)]


def _object(value: dict, schema: dict, path: str) -> list[FieldError]:
    errors: list[FieldError] = []
    count = len(value)
    if "maxProperties" in schema and count > schema["maxProperties"]:
        errors.append(FieldError.too_many(path, count, schema["maxProperties"]))
    if "minProperties" in schema and count < schema["minProperties"]:
        text = _message(path, f"should have at least {schema['minProperties']} properties")
        errors.append(FieldError.invalid(path, count, text))
    properties = schema.get("properties") or {}
    for key in sorted(properties):
        if key in value:
            errors += validate_value(value[key], properties[key], f"{path}.{key}".lstrip("."))
    for key in schema.get("required") or []:
        if key not in value:
            errors.append(FieldError.required(f"{path}.{key}".lstrip(".")))
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        for key in sorted(k for k in value if k not in properties):
            errors += validate_value(value[key], extra, f"{path}.{key}".lstrip("."))
    return errors
