"""How Go prints the unstructured values kubectl's JSONPath walks (decoded JSON: maps, slices,
strings, int64, float64, bools, nil): `%v`, `%#v`, type names and encoding/json.

The JSONPath printer (client-go util/jsonpath jsonpath.go @ v0.33.0 `PrintResults`) writes maps
and slices with json.Marshal and scalars with fmt.Fprint; custom columns (kubectl
pkg/cmd/get/customcolumn.go) use fmt.Sprint for everything; an execution error shows the
object with `%#v`.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.decode.wording import go_number_text
from kubenet_nb.api.meta import go_quote
from kubenet_nb.io.scalars import go_sharp_v, json_value

__all__ = ["go_json", "go_sharp", "go_type", "go_v"]


def go_type(value: Any) -> str:
    """The Go type of an unstructured value, as `%v` of reflect.Type names it."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "[]interface {}"
    if isinstance(value, dict):
        return "map[string]interface {}"
    return "interface {}"


def go_v(value: Any, from_json: bool = False) -> str:
    """fmt's `%v`: maps as `map[k:v]` with sorted keys, slices as `[a b]`, nil as `<nil>`;
    `from_json` reads each value as decoded from the server's JSON first (an integral number
    is an int64: `json_value`), as the generic describer's objects are.

    >>> go_v({"b": [1, "x"], "a": None}), go_v(2.5), go_v(True), go_v(1e6, from_json=True)
    ('map[a:<nil> b:[1 x]]', '2.5', 'true', '1000000')
    """
    if from_json:
        value = json_value(value)
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_sharp_v(value)
    if isinstance(value, list):
        return "[" + " ".join(go_v(item, from_json) for item in value) + "]"
    if isinstance(value, dict):
        members = " ".join(f"{key}:{go_v(value[key], from_json)}" for key in sorted(value))
        return "map[" + members + "]"
    return str(value)


def go_sharp(value: Any) -> str:
    """fmt's `%#v` of an unstructured value held in an interface{}.

    >>> go_sharp({"n": 1, "l": ["a"], "z": None})
    'map[string]interface {}{"l":[]interface {}{"a"}, "n":1, "z":interface {}(nil)}'
    """
    if value is None:
        return "interface {}(nil)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_sharp_v(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, list):
        return "[]interface {}{" + ", ".join(go_sharp(item) for item in value) + "}"
    members = ", ".join(f"{go_quote(key)}:{go_sharp(value[key])}" for key in sorted(value))
    return "map[string]interface {}{" + members + "}"


def go_json(value: Any, indent: str = "", level: int = 0) -> str:
    """encoding/json's Marshal (indent "") or MarshalIndent(value, "", indent): keys sorted,
    `<`, `>`, `&`, U+2028 and U+2029 escaped, floats written as Go writes them.

    >>> go_json({"b": 1.0, "a": ["<x>"]}), go_json([], "    ")
    ('{"a":["\\\\u003cx\\\\u003e"],"b":1}', '[]')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return go_number_text(value)
    if isinstance(value, str):
        return _json_string(value)
    if isinstance(value, list):
        items = [go_json(item, indent, level + 1) for item in value]
        return _wrap("[", "]", items, indent, level)
    members = [
        f"{_json_string(key)}:{' ' if indent else ''}{go_json(value[key], indent, level + 1)}"
        for key in sorted(value)
    ]
    return _wrap("{", "}", members, indent, level)


def _wrap(left: str, right: str, parts: list[str], indent: str, level: int) -> str:
    if not parts:
        return left + right
    if not indent:
        return left + ",".join(parts) + right
    inner, outer = "\n" + indent * (level + 1), "\n" + indent * level
    return left + inner + ("," + inner).join(parts) + outer + right


# Go >= 1.22 writes \b and \f as short escapes too.
_JSON_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_JSON_ESCAPES.update({"\b": "\\b", "\f": "\\f"})
_JSON_ESCAPES.update({c: f"\\u00{ord(c):02x}" for c in "<>&"})
_JSON_ESCAPES.update({"\u2028": "\\u2028", "\u2029": "\\u2029"})


def _json_string(text: str) -> str:
    out = []
    for char in text:
        if char in _JSON_ESCAPES:
            out.append(_JSON_ESCAPES[char])
        elif ord(char) < 0x20:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'
