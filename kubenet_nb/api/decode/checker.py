"""The compiled checkers: one per Go type, each decoding a JSON-like value in one pass.

A checker returns the value as Go's decoder would leave it (then marshal it back): nulls in
structs dropped, an integral float in an int field an int, YAML dates the text they came from,
non-string map keys spelled as sigs.k8s.io/yaml spells them. A value of the wrong JSON type raises
`Mismatch` (or `Refused`, for types with their own UnmarshalJSON); unknown fields are recorded on
the `Walk` and left out.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from typing import Any

from kubenet_nb.api.decode.wording import QUANTITY_FORMAT, go_number_text, json_kind
from kubenet_nb.api.quantity import Quantity

__all__ = [
    "AnyChecker",
    "BoolChecker",
    "Checker",
    "FloatChecker",
    "IntChecker",
    "IntOrStringChecker",
    "ListChecker",
    "MapChecker",
    "Mismatch",
    "QuantityChecker",
    "Refused",
    "Slow",
    "StringChecker",
    "StructChecker",
    "Walk",
    "yaml_key",
]

_INT_RANGE = {"int32": (-(2**31), 2**31 - 1), "int64": (-(2**63), 2**63 - 1)}
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$")
_SUFFIXES = frozenset(("", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "n", "u", "m", "k", "M", "G", "T"))
_SUFFIXES |= {"P", "E"}
_EXPONENT = re.compile(r"^[eE][-+]?[0-9]+$")


class Mismatch(Exception):
    """A JSON value of the wrong type (Go's UnmarshalTypeError), context filled on the way up."""

    def __init__(self, value: str, go_type: str) -> None:
        super().__init__(value, go_type)
        self.value, self.go_type = value, go_type
        self.struct: str | None = None
        self.field = ""


class Refused(Exception):
    """A custom UnmarshalJSON's own error (a Quantity that does not parse)."""


class Slow(Exception):
    """The fast walk met something it does not decode itself (an unknown field, a null, a key or
    value that is not of its plain JSON type, an error): decode again with a `Walk`."""


class _Never:
    """No value is of this type: `Checker.plain` for checkers that accept no value as it is."""


class Walk:
    """The state of one decode: the paths so far and the unknown fields found."""

    __slots__ = ("fields", "ordered", "strict", "unknown")

    def __init__(self, ordered: bool) -> None:
        self.ordered = ordered
        self.fields: list[str] = []
        self.strict: list[str | int] = []
        self.unknown: list[str] = []

    def field_path(self) -> str:
        """Go's error context: the struct field names from the root, without indexes or keys."""
        return ".".join(self.fields)

    def unknown_field(self, key: str) -> None:
        """Record an unknown field at the strict path (`spec.containers[0].bogus`)."""
        text = ""
        for piece in [*self.strict, key]:
            if isinstance(piece, int):
                text += f"[{piece}]"
            else:
                text += f".{piece}" if text else piece
        self.unknown.append(text)


def yaml_key(key: object) -> str:
    """A non-string map key as sigs.k8s.io/yaml's YAMLToJSON writes it (yaml.go @ v1.4.0)."""
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, float):
        return {"inf": ".inf", "-inf": "-.inf", "nan": ".nan"}.get(repr(key), f"{key:g}")
    if isinstance(key, (datetime.date, datetime.datetime)):
        return key.isoformat()
    return str(key)


def _plain(value: Any) -> Any:
    """What go-yaml hands kubectl for a value PyYAML built: dates are their text, tuples lists."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _entries(value: Any, walk: Walk, go_type: str) -> Iterable[tuple[Any, Any]]:
    """A JSON object's members, in sorted key order when the walk wants it (Go decodes a map
    or struct from an object; anything else is a type mismatch)."""
    if type(value) is not dict:
        raise Mismatch(json_kind(_plain(value)), go_type)
    pairs: Iterable[tuple[Any, Any]] = value.items()
    if walk.ordered:
        pairs = sorted(((yaml_key(k), v) for k, v in pairs), key=lambda kv: kv[0])
    return pairs


class Checker:
    """Decode one value of one Go type; `go_type` is `reflect.Type.String()` of it.

    `fast` is the hot path: it decodes a value that needs nothing but type checks (no unknown
    field, no null, every scalar of its plain JSON type, no raw JSON object) to what `decode`
    returns for it, built of new dicts and lists only, and raises `Slow` for anything else,
    without tracking paths. `plain` is the one Python type a
    value may have to be taken as it is, with no call (`_Never`: none).
    """

    __slots__ = ("go_type",)
    plain: type = _Never

    def __init__(self, go_type: str) -> None:
        self.go_type = go_type

    def decode(self, value: Any, walk: Walk) -> Any:
        raise NotImplementedError

    def fast(self, value: Any) -> Any:
        raise Slow

    def zero(self) -> Any:
        """The zero value a JSON null leaves in a list element or a map value."""
        return None


def _encodes(text: str) -> bool:
    """Whether a non-ASCII string is valid Unicode text (no lone surrogate, which only Python
    strings can hold)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def go_string(text: str) -> str:
    """A string as the API server holds it after decoding a client's JSON: surrogates that a
    Python client sends as `\\ud83d\\ude00` escapes pair up, and an unpaired one becomes
    U+FFFD, as encoding/json's unquote reads an invalid surrogate escape."""
    if text.isascii() or _encodes(text):
        return text
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


class StringChecker(Checker):
    __slots__ = ()

    def fast(self, value: Any) -> Any:
        if type(value) is str and (value.isascii() or _encodes(value)):
            return value
        raise Slow

    def decode(self, value: Any, walk: Walk) -> Any:
        if type(value) is str:
            return go_string(value)
        value = _plain(value)
        if isinstance(value, str):
            return value
        raise Mismatch(json_kind(value), self.go_type)

    def zero(self) -> Any:
        return ""


class BoolChecker(Checker):
    __slots__ = ()
    plain = bool

    def decode(self, value: Any, walk: Walk) -> Any:
        if type(value) is bool:
            return value
        raise Mismatch(json_kind(_plain(value)), self.go_type)

    def zero(self) -> Any:
        return False


class IntChecker(Checker):
    """int32 or int64: Go refuses a fraction or an overflow as `number <text>`."""

    __slots__ = ("high", "low")

    def __init__(self, go_type: str, bits: str) -> None:
        super().__init__(go_type)
        self.low, self.high = _INT_RANGE[bits]

    def fast(self, value: Any) -> Any:
        if type(value) is int and self.low <= value <= self.high:
            return value
        raise Slow

    def decode(self, value: Any, walk: Walk) -> Any:
        if type(value) is int and self.low <= value <= self.high:
            return value
        value = _plain(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            if value == value and value not in (float("inf"), float("-inf")):
                number = int(value)
                if number == value and self.low <= number <= self.high:
                    return number
            raise Mismatch("number " + go_number_text(value), self.go_type)
        raise Mismatch(json_kind(value), self.go_type)

    def zero(self) -> Any:
        return 0


class FloatChecker(Checker):
    __slots__ = ()

    def fast(self, value: Any) -> Any:
        if type(value) is float or type(value) is int:
            return value
        raise Slow

    def decode(self, value: Any, walk: Walk) -> Any:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        raise Mismatch(json_kind(_plain(value)), self.go_type)


class IntOrStringChecker(Checker):
    """intstr.IntOrString: a JSON string is its string, anything else must fit an int32."""

    __slots__ = ("int32",)

    def __init__(self) -> None:
        super().__init__("intstr.IntOrString")
        self.int32 = IntChecker("int32", "int32")

    def fast(self, value: Any) -> Any:
        if type(value) is str:
            return value
        return self.int32.fast(value)

    def decode(self, value: Any, walk: Walk) -> Any:
        value = _plain(value)
        if isinstance(value, str):
            return value
        return self.int32.decode(value, walk)


class QuantityChecker(Checker):
    """resource.Quantity: a string or a number that ParseQuantity accepts, kept in the canonical
    form the API server writes back (apimachinery pkg/api/resource/quantity.go MarshalJSON)."""

    __slots__ = ()

    def __init__(self) -> None:
        super().__init__("resource.Quantity")

    def fast(self, value: Any) -> Any:
        return self._parse(value)

    def decode(self, value: Any, walk: Walk) -> Any:
        return self._parse(value)

    @staticmethod
    def _parse(value: Any) -> Any:
        value = _plain(value)
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise Refused(QUANTITY_FORMAT)
        text = value.strip() if isinstance(value, str) else go_number_text(value)
        match = _QUANTITY.match(text)
        if match is None:
            raise Refused(QUANTITY_FORMAT)
        suffix = match.group(2)
        if suffix not in _SUFFIXES and not _EXPONENT.match(suffix):
            raise Refused("unable to parse quantity's suffix")
        try:  # stored as MarshalJSON writes it: the canonical text (`2000m` is `2`)
            return str(Quantity(text))
        except ValueError:
            raise Refused(QUANTITY_FORMAT) from None


class AnyChecker(Checker):
    """RawExtension, FieldsV1: raw JSON, kept as it came (the fast walk leaves a JSON object or
    array to the full one, so that what it returns shares nothing with what it decoded)."""

    __slots__ = ()

    def fast(self, value: Any) -> Any:
        if type(value) is dict or type(value) is list:
            raise Slow
        return value

    def decode(self, value: Any, walk: Walk) -> Any:
        return value


class ListChecker(Checker):
    __slots__ = ("item",)

    def __init__(self, item: Checker) -> None:
        super().__init__("[]" + item.go_type)
        self.item = item

    def fast(self, value: Any) -> Any:
        if type(value) is not list:
            raise Slow
        item = self.item
        plain = item.plain
        out = []
        for element in value:
            if type(element) is plain:
                out.append(element)
            elif element is None:
                raise Slow
            else:
                out.append(item.fast(element))
        return out

    def decode(self, value: Any, walk: Walk) -> Any:
        if type(value) is not list:
            value = _plain(value)
            if not isinstance(value, list):
                raise Mismatch(json_kind(value), self.go_type)
        item = self.item
        out = []
        strict = walk.strict
        for index, element in enumerate(value):
            if element is None:
                zero = item.zero()
                if zero is not None:
                    out.append(zero)
                continue
            strict.append(index)
            out.append(item.decode(element, walk))
            strict.pop()
        return out


class MapChecker(Checker):
    __slots__ = ("item",)

    def __init__(self, item: Checker, go_type: str | None = None) -> None:
        super().__init__(go_type or "map[string]" + item.go_type)
        self.item = item

    def fast(self, value: Any) -> Any:
        if type(value) is not dict:
            raise Slow
        item = self.item
        plain = item.plain
        out = {}
        for key, element in value.items():
            if type(key) is not str or not (key.isascii() or _encodes(key)):
                raise Slow
            if type(element) is plain:
                out[key] = element
            elif element is None:
                raise Slow
            else:
                out[key] = item.fast(element)
        return out

    def decode(self, value: Any, walk: Walk) -> Any:
        item = self.item
        strict = walk.strict
        out = {}
        for key, element in _entries(value, walk, self.go_type):
            name = go_string(key) if type(key) is str else yaml_key(key)
            if element is None:
                zero = item.zero()
                if zero is not None:
                    out[name] = zero
                continue
            strict.append(name)
            out[name] = item.decode(element, walk)
            strict.pop()
        return out


class StructChecker(Checker):
    """A Go struct: known fields by JSON name; a null field is left out."""

    __slots__ = ("fields", "name")

    def __init__(self, name: str, go_type: str) -> None:
        super().__init__(go_type)
        self.name = name
        self.fields: dict[str, Checker] = {}

    def zero(self) -> Any:
        return {}

    def fast(self, value: Any) -> Any:
        if type(value) is not dict:
            raise Slow
        fields = self.fields
        out = {}
        for key, element in value.items():
            checker = fields.get(key)
            if checker is None or type(key) is not str:
                raise Slow
            if element is None:
                continue
            if type(element) is checker.plain:
                out[key] = element
            else:
                out[key] = checker.fast(element)
        return out

    def decode(self, value: Any, walk: Walk) -> Any:
        fields = self.fields
        out = {}
        for key, element in _entries(value, walk, self.go_type):
            name = key if type(key) is str else yaml_key(key)
            checker = fields.get(name)
            if checker is None:
                walk.unknown_field(name)
                continue
            if element is None:
                continue
            walk.fields.append(name)
            walk.strict.append(name)
            try:
                out[name] = checker.decode(element, walk)
            except Mismatch as error:
                if error.struct is None:
                    error.struct, error.field = self.name, walk.field_path()
                raise
            finally:
                walk.fields.pop()
                walk.strict.pop()
        return out
