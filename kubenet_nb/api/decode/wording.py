"""The API server's words for a body it cannot decode (BadRequest), and for unknown fields.

- `json: cannot unmarshal <value> into Go struct field <Struct>.<path> of type <type>`:
  `UnmarshalTypeError.Error()`, kubernetes-sigs/json internal/golang/encoding/json/decode.go
  (the path joins struct field names only: no list indexes, no map keys).
- `unknown field "<path>"` (path with `[i]` indexes and map keys) and its join under
  `strict decoding error: `: kubernetes-sigs/json internal/golang/encoding/json/kubernetes_patch.go
  and kubernetes/kubernetes staging/src/k8s.io/apimachinery/pkg/runtime/error.go @ v1.33.0.
- `<Kind> in version "<version>" cannot be handled as a <Kind>: <error>`: `transformDecodeError`,
  kubernetes/kubernetes staging/src/k8s.io/apiserver/pkg/endpoints/handlers/rest.go @ v1.33.0.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

from kubenet_nb.api.errors import BadRequest

__all__ = [
    "QUANTITY_FORMAT",
    "cannot_be_handled",
    "go_number_text",
    "json_kind",
    "strict_error",
    "type_error",
    "unknown_field",
]

QUANTITY_FORMAT = (
    "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"
)
"""resource.ErrFormatWrong, k8s.io/apimachinery/pkg/api/resource/quantity.go @ v1.33.0."""


def json_kind(value: Any) -> str:
    """The word Go's decoder uses for a JSON value: string, number, bool, array, object."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"


def go_number_text(value: int | float) -> str:
    """A number as kubectl's JSON carries it (Go's `json.Marshal` of a float64).

    >>> go_number_text(1.5), go_number_text(3.0), go_number_text(2147483648), go_number_text(1e21)
    ('1.5', '3', '2147483648', '1e+21')
    """
    if isinstance(value, int):
        return str(value)
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    if 1e-6 <= abs(value) < 1e21:
        return format(Decimal(repr(value)), "f")
    return re.sub(r"e([+-])0*(\d)", r"e\1\2", repr(value))


def type_error(value: str, go_type: str, struct: str | None, field: str) -> str:
    """`UnmarshalTypeError.Error()`."""
    if struct or field:
        target = f"Go struct field {struct}.{field}"
        return f"json: cannot unmarshal {value} into {target} of type {go_type}"
    return f"json: cannot unmarshal {value} into Go value of type {go_type}"


def unknown_field(path: str) -> str:
    """One strict-decoding finding, as a warning under fieldValidation=Warn."""
    return "unknown field " + json.dumps(path, ensure_ascii=False)


def strict_error(findings: list[str]) -> str:
    """`runtime.NewStrictDecodingError(...).Error()`."""
    return "strict decoding error: " + ", ".join(findings)


def cannot_be_handled(kind: str, version: str, error: str) -> BadRequest:
    """The BadRequest the create/update handlers return for a body they cannot decode."""
    return BadRequest(f'{kind} in version "{version}" cannot be handled as a {kind}: {error}')
