"""Errors shaped like the API server's Status objects and printed as kubectl prints them.

Field errors follow k8s.io/apimachinery/pkg/util/validation/field/errors.go: each has a type
(`Invalid value`, `Required value`, ...), a path and a detail. A `StatusError` carries the HTTP
code, reason and message of a `metav1.Status`; `str()` of every error is the text kubectl prints
for it (k8s.io/kubectl/pkg/cmd/util/helpers.go `checkErr`), without the trailing newline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = [
    "AlreadyExists",
    "BadRequest",
    "Conflict",
    "FieldError",
    "Forbidden",
    "Invalid",
    "KubectlError",
    "KubenetError",
    "NotFound",
    "RequestEntityTooLarge",
    "StatusError",
    "format_value",
]


class KubenetError(Exception):
    """Base of every refusal; `str(error)` is the API server's or kubectl's own wording."""


def format_value(value: Any) -> str:
    """Render a value as Go's `%#v` would for the scalar types field errors carry.

    >>> format_value("web"), format_value(80), format_value(None), format_value(["a"])
    ('"web"', '80', 'null', '[]string{"a"}')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)) and all(isinstance(v, str) for v in value):
        return "[]string{" + ", ".join(format_value(v) for v in value) + "}"
    return str(value)


_TYPE_TEXT = {
    "FieldValueNotFound": "Not found",
    "FieldValueRequired": "Required value",
    "FieldValueDuplicate": "Duplicate value",
    "FieldValueInvalid": "Invalid value",
    "FieldValueNotSupported": "Unsupported value",
    "FieldValueForbidden": "Forbidden",
    "FieldValueTooLong": "Too long",
    "FieldValueTooMany": "Too many",
    "InternalError": "Internal error",
}

_OMIT = object()


@dataclass(frozen=True)
class FieldError:
    """One validation failure at one field path (apimachinery `field.Error`)."""

    type: str
    field: str
    value: Any = _OMIT
    detail: str = ""

    def __str__(self) -> str:
        text = _TYPE_TEXT[self.type]
        if self.type in (
            "FieldValueRequired",
            "FieldValueForbidden",
            "FieldValueTooLong",
            "InternalError",
        ):
            body = text
        elif self.value is _OMIT:
            body = text
        else:
            body = f"{text}: {format_value(self.value)}"
        if self.detail:
            body = f"{body}: {self.detail}"
        return f"{self.field}: {body}" if self.field else body

    @classmethod
    def invalid(cls, field: str, value: Any, detail: str = "") -> FieldError:
        return cls("FieldValueInvalid", field, value, detail)

    @classmethod
    def required(cls, field: str, detail: str = "") -> FieldError:
        return cls("FieldValueRequired", field, _OMIT, detail)

    @classmethod
    def forbidden(cls, field: str, detail: str = "") -> FieldError:
        return cls("FieldValueForbidden", field, _OMIT, detail)

    @classmethod
    def duplicate(cls, field: str, value: Any) -> FieldError:
        return cls("FieldValueDuplicate", field, value)

    @classmethod
    def not_found(cls, field: str, value: Any) -> FieldError:
        return cls("FieldValueNotFound", field, value)

    @classmethod
    def not_supported(cls, field: str, value: Any, valid: list[str]) -> FieldError:
        detail = "supported values: " + ", ".join(format_value(v) for v in valid) if valid else ""
        return cls("FieldValueNotSupported", field, value, detail)

    @classmethod
    def too_long(cls, field: str, max_length: int) -> FieldError:
        return cls("FieldValueTooLong", field, _OMIT, f"may not be more than {max_length} bytes")

    @classmethod
    def too_many(cls, field: str, actual: int, max_items: int) -> FieldError:
        return cls("FieldValueTooMany", field, actual, f"must have at most {max_items} items")


class StatusError(KubenetError):
    """An error the API server returns: HTTP code, reason and message of a metav1.Status."""

    code = 500
    reason = "InternalError"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"Error from server ({self.reason}): {self.message}"

    @property
    def status(self) -> dict[str, Any]:
        """The metav1.Status body the API server would send."""
        return {
            "kind": "Status",
            "apiVersion": "v1",
            "metadata": {},
            "status": "Failure",
            "message": self.message,
            "reason": self.reason,
            "code": self.code,
        }


def _resource_text(resource: str, group: str) -> str:
    return f"{resource}.{group}" if group else resource


class NotFound(StatusError):
    code, reason = 404, "NotFound"

    def __init__(self, resource: str, name: str, group: str = "") -> None:
        super().__init__(f'{_resource_text(resource, group)} "{name}" not found')
        self.resource, self.name, self.group = resource, name, group


class AlreadyExists(StatusError):
    code, reason = 409, "AlreadyExists"

    def __init__(self, resource: str, name: str, group: str = "") -> None:
        super().__init__(f'{_resource_text(resource, group)} "{name}" already exists')
        self.resource, self.name, self.group = resource, name, group


class Conflict(StatusError):
    code, reason = 409, "Conflict"


class BadRequest(StatusError):
    code, reason = 400, "BadRequest"


class Forbidden(StatusError):
    code, reason = 403, "Forbidden"


class RequestEntityTooLarge(StatusError):
    """HTTP 413: a request body past the API server's limit (apiserver limitedReadBody)."""

    code, reason = 413, "RequestEntityTooLarge"


class Invalid(StatusError):
    """HTTP 422: the object failed validation; carries the field errors as causes."""

    code, reason = 422, "Invalid"

    def __init__(self, kind: str, name: str, causes: list[FieldError], group: str = "") -> None:
        qualified = f"{kind}.{group}" if group else kind
        self.messages = list(dict.fromkeys(str(c) for c in causes))
        if len(self.messages) == 1:
            aggregate = self.messages[0]
        else:
            aggregate = "[" + ", ".join(self.messages) + "]"
        super().__init__(f'{qualified} "{name}" is invalid: {aggregate}')
        self.kind, self.name, self.causes, self.group = kind, name, list(causes), group

    def __str__(self) -> str:
        """kubectl's text; like ErrorList.ToAggregate and kubectl, repeated causes print once."""
        prefix = f'The {self.kind} "{self.name}" is invalid: '
        if len(self.messages) == 1:
            return prefix + self.messages[0]
        return prefix + "\n" + "\n".join(f"* {m}" for m in self.messages)


class KubectlError(KubenetError):
    """A refusal kubectl makes itself, before or without asking the server (`error: ...`)."""

    def __init__(self, message: str, *, prefix: str = "error: ") -> None:
        super().__init__(prefix + message)
        self.message = message
