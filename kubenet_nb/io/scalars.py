"""Scalars as kubectl's YAML reader resolves them and as its YAML→JSON conversion writes them.

One job: a scalar's text (and its tag) becomes the JSON value kubectl sends.

- goyaml.v2/resolve.go `resolve` (kubernetes-sigs/yaml, commit 742f5e6f06b9847d2d7e4efa2fe6587f
  64897ad0): the YAML 1.1 words (`y`, `yes`, `on`, `n`, `off`, ... are booleans; `~`, `null`,
  `` are null; `.inf`, `.nan`), Go's `strconv.ParseInt(s, 0, 64)` after dropping `_` (`0x1F`,
  `0o17`, `017`, `0b101`), then `ParseUint`, then a float of `yamlStyleFloat` (`1e3`), no base-60
  (`1:20` is a string); a plain `YYYY-...` timestamp resolves, but decode.go hands an interface{}
  its original text; explicit tags are checked (`cannot decode !!str `x` as a !!int`), `!!binary`
  is base64-decoded, unknown tags (`!foo`) and the non-specific `!` leave the text a string;
- yaml.go `yamlToJSONTarget`/`convertToJSONableObject` (commit 1e5b47d3af7edf8cbfd79af09571a7c3
  dbb83c3b): map keys become strings (bools `true`/`false`, ints in decimal, floats by
  `strconv.FormatFloat(f, 'g', -1, 32)` with `.inf`/`-.inf`/`.nan`), other keys (null, uint64,
  big ints) are refused; then `json.Marshal`, which refuses NaN and infinities and writes an
  integral float64 below 1e21 without a fraction (`1e3` is sent as `1000`).
"""

from __future__ import annotations

import base64
import math
import re
import struct
from typing import Any

import yaml
from yaml.nodes import Node, ScalarNode

from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.strconv import NumError, parse_int, parse_uint

__all__ = [
    "BINARY_TAG",
    "MERGE_TAG",
    "STR_TAG",
    "GoLoader",
    "GoResolveError",
    "UnsupportedKey",
    "go_format_float32",
    "go_resolve",
    "go_sharp_v",
    "json_key",
    "json_value",
    "parse_timestamp",
    "unsupported_key_text",
]

_LONG = "tag:yaml.org,2002:"
STR_TAG = _LONG + "str"
BOOL_TAG = _LONG + "bool"
INT_TAG = _LONG + "int"
FLOAT_TAG = _LONG + "float"
NULL_TAG = _LONG + "null"
TIMESTAMP_TAG = _LONG + "timestamp"
BINARY_TAG = _LONG + "binary"
MERGE_TAG = _LONG + "merge"
_RESOLVABLE = {"", STR_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG, NULL_TAG, TIMESTAMP_TAG}

_INT64 = 1 << 63


class GoUint64(int):
    """A value go-yaml decodes as uint64 (past int64): a JSON number, but no map key."""


class GoBigInt(int):
    """A value go-yaml decodes as *big.Int (past uint64, hex/octal/binary): no map key either."""


_MAX_DECIMAL_DIGITS = 4300
_HUGE = 10 ** (_MAX_DECIMAL_DIGITS - 1)


def _table() -> dict[str, tuple[str, Any]]:
    words: list[tuple[Any, str, tuple[str, ...]]] = [
        (True, BOOL_TAG, ("y", "Y", "yes", "Yes", "YES")),
        (True, BOOL_TAG, ("true", "True", "TRUE")),
        (True, BOOL_TAG, ("on", "On", "ON")),
        (False, BOOL_TAG, ("n", "N", "no", "No", "NO")),
        (False, BOOL_TAG, ("false", "False", "FALSE")),
        (False, BOOL_TAG, ("off", "Off", "OFF")),
        (None, NULL_TAG, ("", "~", "null", "Null", "NULL")),
        (math.nan, FLOAT_TAG, (".nan", ".NaN", ".NAN")),
        (math.inf, FLOAT_TAG, (".inf", ".Inf", ".INF")),
        (math.inf, FLOAT_TAG, ("+.inf", "+.Inf", "+.INF")),
        (-math.inf, FLOAT_TAG, ("-.inf", "-.Inf", "-.INF")),
        ("<<", MERGE_TAG, ("<<",)),
    ]
    return {word: (tag, value) for value, tag, group in words for word in group}


_RESOLVE_MAP = _table()
# resolveTable: the first byte's hint. S sign, D digit, M in the map, . a float.
_HINT = {"+": "S", "-": "S", ".": "."} | dict.fromkeys("0123456789", "D")
_HINT |= dict.fromkeys("yYnNtTfFoO~", "M")

_YAML_STYLE_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_GO_DECIMAL_FLOAT = re.compile(r"[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
_BASES = {"x": 16, "X": 16, "b": 2, "B": 2, "o": 8, "O": 8}


class GoResolveError(ValueError):
    """decode.go failf for a scalar: `cannot decode ...`, `!!binary value contains ...`."""


class UnsupportedKey(ValueError):
    """convertToJSONableObject's refusal of a map key that is no string, int, float or bool."""


def _go_int(text: str, signed: bool, base: int = 0) -> tuple[int | None, bool]:
    """strconv.ParseInt(text, base, 64) (signed) or ParseUint: (value or None, out of range)."""
    try:
        return (parse_int(text, base) if signed else parse_uint(text, base)), False
    except NumError as error:
        return None, error.out_of_range


def _go_float(text: str) -> float | None:
    """strconv.ParseFloat(text, 64) for decimal text: None on a syntax or overflow error."""
    if _GO_DECIMAL_FLOAT.fullmatch(text) is None:
        return None
    value = float(text)
    return None if math.isinf(value) else value


def _big_int(text: str) -> int | None:
    """big.Int SetString(text, 0): a sign, then 0b/0o/0x/0 prefixes or decimal digits."""
    match = re.fullmatch(r"([+-]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)", text)
    if match is None:
        return None
    sign, digits = match.groups()
    if len(digits) > _MAX_DECIMAL_DIGITS and digits.isdigit():
        # Past CPython's limit on decimal int conversion (sys.int_info.default_max_str_digits)
        # the value is kept as 10^4299: out of every range a field can have, like the number.
        return GoBigInt(-_HUGE if sign == "-" else _HUGE)
    if len(digits) > 1 and digits[1] in _BASES:
        value = int(digits[2:], _BASES[digits[1]])
    elif len(digits) > 1 and digits[0] == "0":
        value = int(digits[1:], 8)
    else:
        value = int(digits)
    return GoBigInt(-value if sign == "-" else value)


def _int_result(value: int) -> int:
    return GoUint64(value) if value >= _INT64 else value


def _resolve_number(tag: str, text: str) -> tuple[str, Any] | None:
    """resolve.go's `case 'D', 'S'`: timestamp, int, uint, float, 0b forms, big ints."""
    if tag in ("", TIMESTAMP_TAG) and parse_timestamp(text):
        return TIMESTAMP_TAG, text
    plain = text.replace("_", "")
    value, _ = _go_int(plain, signed=True)
    if value is not None:
        return INT_TAG, value
    value, out_of_range = _go_int(plain, signed=False)
    if value is not None:
        return INT_TAG, _int_result(value)
    if _YAML_STYLE_FLOAT.fullmatch(plain):
        number = _go_float(plain)
        if number is not None:
            return FLOAT_TAG, number
    if plain.startswith("0b"):  # ParseInt(plain[2:], 2, 64): a sign may follow the prefix
        for signed in (True, False):
            value, _ = _go_int(plain[2:], signed, base=2)
            if value is not None:
                return INT_TAG, _int_result(value)
    # The `-0b` branch of resolve.go adds nothing: ParseInt(plain, 0, 64) read those already.
    if out_of_range:
        big = _big_int(plain)
        if big is not None:
            return INT_TAG, big
    return None


def go_resolve(tag: str, text: str) -> tuple[str, Any]:
    """resolve.go `resolve(tag, in)`: the resolved tag and go-yaml's value (as Python).

    `tag` is "" for an untagged plain scalar, else the node's long tag. Failures raise
    GoResolveError with go-yaml's words (decode.go turns them into `yaml: ...`).

    >>> go_resolve("", "yes"), go_resolve("", "1e3"), go_resolve("", "1:20")
    (('tag:yaml.org,2002:bool', True), ('tag:yaml.org,2002:float', 1000.0), \
('tag:yaml.org,2002:str', '1:20'))
    >>> go_resolve(INT_TAG, "x")
    Traceback (most recent call last):
    ...
    kubenet_nb.io.scalars.GoResolveError: cannot decode !!str `x` as a !!int
    """
    if tag not in _RESOLVABLE:
        return tag, text
    rtag, value = _resolve_untyped(tag, text)
    if tag in ("", rtag, STR_TAG, BINARY_TAG):
        return rtag, value
    if tag == FLOAT_TAG and rtag == INT_TAG and not isinstance(value, GoBigInt):
        return FLOAT_TAG, float(value)
    raise GoResolveError(f"cannot decode {_short(rtag)} `{text}` as a {_short(tag)}")


def _resolve_untyped(tag: str, text: str) -> tuple[str, Any]:
    hint = _HINT.get(text[0], "") if text else "N"
    if hint and tag not in (STR_TAG, BINARY_TAG):
        if text in _RESOLVE_MAP:
            return _RESOLVE_MAP[text]
        if hint == ".":
            number = _go_float(text)
            if number is not None:
                return FLOAT_TAG, number
        elif hint in "DS":
            resolved = _resolve_number(tag, text)
            if resolved is not None:
                return resolved
    return STR_TAG, text


def _short(tag: str) -> str:
    return "!!" + tag[len(_LONG) :] if tag.startswith(_LONG) else tag


# -- time.Parse with resolve.go's allowedTimestampFormats --------------------------------------

_DATE = r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})"
_CLOCK = r"([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,][0-9]+)?"
_TIMESTAMPS = [
    re.compile(_DATE + "T" + _CLOCK + r"(Z|[+-][0-9]{2}:[0-9]{2})"),
    re.compile(_DATE + "t" + _CLOCK + r"(Z|[+-][0-9]{2}:[0-9]{2})"),
    re.compile(_DATE + " " + _CLOCK),
    re.compile(_DATE),
]
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def parse_timestamp(text: str) -> bool:
    """resolve.go parseTimestamp: whether one of its four time.Parse layouts accepts the text.

    >>> [parse_timestamp(t) for t in ("2015-2-3", "2015-02-30", "2015-1-1t1:2:3Z", "2015")]
    [True, False, True, False]
    """
    for layout in _TIMESTAMPS:
        match = layout.fullmatch(text)
        if match is None:
            continue
        year, month, day = (int(part) for part in match.groups()[:3])
        if not 1 <= month <= 12:
            continue
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        if not 1 <= day <= (_DAYS[month - 1] if month != 2 or leap else 28):
            continue
        if len(match.groups()) > 3:
            hour, minute, second = (int(part) for part in match.groups()[3:6])
            if hour > 23 or minute > 59 or second > 59:
                continue
            zone = match.groups()[6] if len(match.groups()) > 6 else "Z"
            if zone != "Z" and (int(zone[1:3]) > 24 or int(zone[4:6]) > 60):
                continue
        return True
    return False


# -- convertToJSONableObject and json.Marshal ------------------------------------------------


def _go_g(negative: bool, digits: str, exponent: int) -> str:
    """strconv's 'g' with the shortest digits: %e when the exponent is < -4 or >= 6."""
    sign = "-" if negative else ""
    if exponent < -4 or exponent >= 6:
        body = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{body}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    point = exponent + 1
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _shortest(value: float, bits: int) -> str:
    """FormatFloat(value, 'g', -1, bits) for a finite value (bits 32 or 64)."""
    negative = math.copysign(1.0, value) < 0
    value = abs(value)
    if value == 0:
        return "-0" if negative else "0"
    if bits == 64:
        text = f"{value:.16e}"
        for precision in range(1, 18):
            text = f"{value:.{precision - 1}e}"
            if float(text) == value:
                break
    else:
        for precision in range(1, 10):
            text = f"{value:.{precision - 1}e}"
            if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
                break
    mantissa, exponent = text.split("e")
    digits = mantissa.replace(".", "").rstrip("0") or "0"
    return _go_g(negative, digits, int(exponent))


def go_format_float32(value: float) -> str:
    """strconv.FormatFloat(value, 'g', -1, 32): rounded to float32, its shortest digits.

    >>> [go_format_float32(v) for v in (1000.0, 1.1, 123456789.0, 1e-5, 1e6, -0.0, 1e300)]
    ['1000', '1.1', '1.2345679e+08', '1e-05', '1e+06', '-0', '+Inf']
    """
    if math.isnan(value):
        return "NaN"
    try:
        single = struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        single = math.copysign(math.inf, value)
    if math.isinf(single):
        return "+Inf" if single > 0 else "-Inf"
    return _shortest(single, 32)


def json_key(key: Any) -> str:
    """convertToJSONableObject: a decoded map key as the JSON object's member name.

    >>> [json_key(k) for k in ("a", True, 10, 1.5, math.inf, math.nan)]
    ['a', 'true', '10', '1.5', '.inf', '.nan']
    """
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, (GoUint64, GoBigInt)) or key is None or not isinstance(key, (int, float)):
        raise UnsupportedKey(key)
    if isinstance(key, int):
        return str(key)
    text = go_format_float32(key)
    return {"+Inf": ".inf", "-Inf": "-.inf", "NaN": ".nan"}.get(text, text)


def unsupported_key_text(key: Any, value: Any) -> str:
    """convertToJSONableObject's refusal, as it words it (fmt's %s, %+#v and %+#v)."""
    kind = {type(None): "%!s(<nil>)", GoUint64: "uint64", GoBigInt: "*big.Int"}.get(
        type(key), type(key).__name__
    )
    if isinstance(key, GoBigInt):
        shown = f"{key:+d}"
    else:
        shown = go_sharp_v(key, top=True)
    return (
        f"unsupported map key of type: {kind}, key: {shown}, value: {go_sharp_v(value, top=True)}"
    )


def go_sharp_v(value: Any, top: bool = False) -> str:
    """fmt's %#v of a decoded YAML value (map[interface {}]interface {}, []interface {}, ...)."""
    if value is None:
        return "<nil>" if top else "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, GoUint64):
        return f"0x{value:x}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isinf(value):
            return "+Inf" if value > 0 else "-Inf"
        return "NaN" if math.isnan(value) else _shortest(value, 64)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_sharp_v(item) for item in value) + "}"
    if isinstance(value, dict):
        members = ", ".join(f"{go_quote(k)}:{go_sharp_v(v)}" for k, v in sorted(value.items()))
        return "map[interface {}]interface {}{" + members + "}"
    return repr(value)  # pragma: no cover - go-yaml decodes nothing else


def json_value(value: Any) -> Any:
    """json.Marshal then a JSON reader: an integral float64 below 1e21 is written as an integer.

    NaN and infinities are left for the caller (json.Marshal refuses them).

    >>> json_value(1000.0), json_value(1.5), json_value(1e21), json_value(-0.0)
    (1000, 1.5, 1e+21, 0)
    """
    if type(value) is float and math.isfinite(value) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    if isinstance(value, (GoUint64, GoBigInt)):
        return int(value)
    return value


# -- PyYAML: the loader kubectl's reader is modelled with ------------------------------------


class GoResolver(yaml.resolver.BaseResolver):
    """Tags as go-yaml sees them: plain untagged scalars resolved by resolve.go, others `!!str`."""

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            if implicit[0]:
                # decode.go isMerge: a plain `<<` is a merge key, whatever resolve.go makes of it.
                return MERGE_TAG if value == "<<" else go_resolve("", value)[0]
            return STR_TAG
        return super().resolve(kind, value, implicit)


class GoConstructor(yaml.constructor.BaseConstructor):
    """A scalar's value from its (explicit or resolved) tag by resolve.go, then decode.go.

    A timestamp is its text (decode.go into interface{}), `!!binary` its decoded bytes as a Go
    string (json.Marshal writes an invalid UTF-8 byte as U+FFFD), anything else go-yaml's value.
    """

    def construct_go_scalar(self, node: Node) -> Any:
        assert isinstance(node, ScalarNode)
        tag, value = go_resolve(node.tag, node.value)
        if tag == TIMESTAMP_TAG:
            return node.value
        if tag == BINARY_TAG:
            try:
                data = base64.b64decode(re.sub("[\r\n]", "", node.value), validate=True)
            except ValueError:
                raise GoResolveError("!!binary value contains invalid base64 data") from None
            text = data.decode("utf-8", "surrogateescape")
            return re.sub("[\udc80-\udcff]", "\ufffd", text)
        return value


GoConstructor.yaml_constructors = {None: GoConstructor.construct_go_scalar}


class GoLoader(GoConstructor, GoResolver, yaml.SafeLoader):
    """SafeLoader's reading with go-yaml v2's resolution of scalars (for `load_document`)."""
