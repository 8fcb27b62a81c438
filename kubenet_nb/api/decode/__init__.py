"""Typed decoding, one door: what a client sends is decoded against its kind's schema first.

The API server decodes a request body into the kind's Go struct before anything else looks at
it; a value of the wrong JSON type, an int out of range or (under fieldValidation=Strict, what
kubectl 1.33 asks for) an unknown field refuses the request with a BadRequest. `decode` does the
same for the JSON-like dicts kubenet receives, and returns the object as the server keeps it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NoReturn

from kubenet_nb.api.autoscaling import v1 as autoscaling_v1
from kubenet_nb.api.decode.checker import (
    Mismatch,
    Refused,
    Slow,
    StructChecker,
    Walk,
)
from kubenet_nb.api.decode.schema import kind_checker
from kubenet_nb.api.decode.wording import (
    cannot_be_handled,
    strict_error,
    type_error,
    unknown_field,
)
from kubenet_nb.api.errors import KubectlError

__all__ = ["FIELD_VALIDATION", "Decoded", "decode", "field_validation_for", "served_as"]

FIELD_VALIDATION = ("Strict", "Warn", "Ignore")
"""The fieldValidation query parameter's values (metav1.FieldValidation*)."""
_CONVERSIONS = {("autoscaling/v1", "HorizontalPodAutoscaler"): autoscaling_v1.to_v2}
"""A version served beside the stored one: its decoded object → the stored version's."""
_READ_AS = {("autoscaling/v1", "HorizontalPodAutoscaler"): autoscaling_v1.to_v1}
"""The way back: a stored object as a client of that version reads it."""


def served_as(obj: dict[str, Any], api_version: object) -> dict[str, Any]:
    """A stored object as a client asking for `api_version` reads it (kubectl apply's live
    object for its three-way patch); the stored version, or one not served, as it is."""
    convert = _READ_AS.get((api_version, obj["kind"])) if isinstance(api_version, str) else None
    return obj if convert is None else convert(obj)


@dataclass(frozen=True)
class Decoded:
    """A decoded object and the warnings decoding raised (unknown fields under Warn).

    `private`: the object shares no dict or list with the one decoded (the fast walk built all
    of it), so the server may keep it without copying it again.
    """

    obj: dict[str, Any]
    warnings: list[str] = field(default_factory=list)
    private: bool = False


def field_validation_for(validate: str) -> str:
    """kubectl's `--validate` value → the fieldValidation it sends (kubectl 1.33 validation.go).

    >>> field_validation_for("true"), field_validation_for("warn"), field_validation_for("false")
    ('Strict', 'Warn', 'Ignore')
    """
    value = validate.lower()
    if value in ("strict", "true", ""):
        return "Strict"
    if value == "warn":
        return "Warn"
    if value in ("ignore", "false"):
        return "Ignore"
    raise KubectlError(
        f'invalid - validate option "{validate}"; must be one of: strict (or true), warn, '
        "ignore (or false)"
    )


def decode(obj: dict[str, Any], field_validation: str = "Strict") -> Decoded:
    """Decode `obj` (its `kind` already resolved) as the API server decodes a request body.

    >>> decode(
    ...     {"kind": "Namespace", "apiVersion": "v1", "metadata": {"name": "a", "x": 1}}, "Warn"
    ... ).warnings
    ['unknown field "metadata.x"']
    """
    if field_validation not in FIELD_VALIDATION:
        raise KubectlError(f"invalid fieldValidation {field_validation!r}")
    kind = obj["kind"]
    api_version = obj.get("apiVersion")
    convert = _CONVERSIONS.get((api_version, kind)) if isinstance(api_version, str) else None
    decoded = _decode(obj, field_validation)
    if convert is None:
        return decoded
    return Decoded(convert(decoded.obj), decoded.warnings, decoded.private)


def _decode(obj: dict[str, Any], field_validation: str) -> Decoded:
    kind = obj["kind"]
    api_version = obj.get("apiVersion")
    checker = kind_checker(kind, api_version if isinstance(api_version, str) else "")
    if checker is None:
        return Decoded(obj)
    try:
        return Decoded(checker.fast(obj), private=True)
    except (Slow, Mismatch, Refused):
        pass  # something to report or to convert: the full walk below finds it
    walk = Walk(ordered=False)
    try:
        decoded = checker.decode(obj, walk)
    except (Mismatch, Refused):
        _first_error(checker, obj)
    if walk.unknown:
        ordered = Walk(ordered=True)
        checker.decode(obj, ordered)
        walk = ordered
    if not walk.unknown or field_validation == "Ignore":
        return Decoded(decoded)
    findings = [unknown_field(path) for path in walk.unknown]
    if field_validation == "Warn":
        return Decoded(decoded, findings)
    raise cannot_be_handled(kind, _version(obj), strict_error(findings))


def _first_error(checker: StructChecker, obj: dict[str, Any]) -> NoReturn:
    """Walk again in the order of kubectl's JSON (sorted keys): Go reports the first error."""
    try:
        checker.decode(obj, Walk(ordered=True))
    except (Mismatch, Refused) as error:
        raise _refusal(obj, error) from None
    raise AssertionError("an unordered walk found an error that an ordered one did not")


def _version(obj: dict[str, Any]) -> str:
    api_version = obj.get("apiVersion")
    return api_version.rsplit("/", 1)[-1] if isinstance(api_version, str) else ""


def _refusal(obj: dict[str, Any], error: Mismatch | Refused) -> Exception:
    if isinstance(error, Mismatch):
        text = type_error(error.value, error.go_type, error.struct, error.field)
    else:
        text = str(error)
    return cannot_be_handled(obj["kind"], _version(obj), text)
