"""`-o yaml` exactly as kubectl writes it: sigs.k8s.io/yaml's JSON-to-YAML, i.e. go-yaml v2.

kubectl marshals the object to JSON and converts that to YAML with go-yaml v2: map keys in
go-yaml's natural order (sorter.go), strings double-quoted when a plain scalar would read back as
another type (encode.go `stringv`, resolve.go), otherwise plain or single-quoted as libyaml's
emitter decides, lines folded past 80 columns. PyYAML's emitter is a port of the same libyaml
emitter, so only the representer and the resolver need go-yaml's rules.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cmp_to_key
from typing import Any

import yaml

__all__ = ["to_yaml"]


def to_yaml(obj: Any) -> str:
    """`-o yaml`: sigs.k8s.io/yaml's JSON-to-YAML, i.e. go-yaml v2 output of the JSON value.

    >>> print(
    ...     to_yaml(
    ...         {
    ...             "metadata": {"name": "web", "creationTimestamp": "2025-01-01T00:00:00Z"},
    ...             "spec": {"ports": [{"port": 80, "name": ""}]},
    ...         }
    ...     ),
    ...     end="",
    ... )
    metadata:
      creationTimestamp: "2025-01-01T00:00:00Z"
      name: web
    spec:
      ports:
      - name: ""
        port: 80
    """
    return yaml.dump(
        _go_sorted(json.loads(json.dumps(obj))),
        Dumper=_GoYamlDumper,
        default_flow_style=False,
        sort_keys=False,
        allow_unicode=True,
        width=80,
    )


def _go_key_less(a: str, b: str) -> bool:
    """go-yaml v2 `keyList.Less` for string keys: letters after other runes, digit runs compared
    as numbers (sorter.go)."""
    ar, br = a, b
    for i in range(min(len(ar), len(br))):
        if ar[i] == br[i]:
            continue
        al, bl = ar[i].isalpha(), br[i].isalpha()
        if al and bl:
            return ar[i] < br[i]
        if al or bl:
            return bl
        an = bn = 0
        if ar[i] == "0" or br[i] == "0":
            j = i - 1
            while j >= 0 and ar[j].isdigit():
                if ar[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(ar) and ar[ai].isdigit():
            an = an * 10 + int(ar[ai])
            ai += 1
        bi = i
        while bi < len(br) and br[bi].isdigit():
            bn = bn * 10 + int(br[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ar[i] < br[i]
    return len(ar) < len(br)


def _go_key_cmp(a: str, b: str) -> int:
    return -1 if _go_key_less(a, b) else int(_go_key_less(b, a))


_KEY_ORDER = cmp_to_key(_go_key_cmp)


def _go_sorted(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _go_sorted(value[key]) for key in sorted(value, key=_KEY_ORDER)}
    if isinstance(value, list):
        return [_go_sorted(item) for item in value]
    return value


_BASE60_FLOAT = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_YAML_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_TIMESTAMP = re.compile(
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]| )[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})?)?$"
)
_SPECIAL = {
    "",
    *"y Y yes Yes YES true True TRUE on On ON n N no No NO false False FALSE off Off OFF".split(),
    *"~ null Null NULL .nan .NaN .NAN .inf .Inf .INF +.inf +.Inf +.INF".split(),
    *"-.inf -.Inf -.INF <<".split(),
}


def _resolves_to_non_string(text: str) -> bool:
    """Whether go-yaml v2 `resolve` reads the plain scalar as something other than a string."""
    if text in _SPECIAL or _BASE60_FLOAT.match(text):
        return True
    first = text[0]
    if first == ".":
        return _parses_float(text)
    if not (first.isdigit() or first in "+-"):
        return False
    if _TIMESTAMP.match(text):
        return True
    plain = text.replace("_", "")
    if _parses_go_int(plain) or (_YAML_FLOAT.match(plain) and _parses_float(plain)):
        return True
    return bool(re.fullmatch(r"-?0b[01]+", plain))


def _parses_float(text: str) -> bool:
    try:
        return not math.isnan(float(text)) or "nan" in text.lower()
    except ValueError:
        return False


def _parses_go_int(text: str) -> bool:
    """strconv.ParseInt/ParseUint with base 0: decimal, 0x.., 0o.., 0b.., leading-0 octal."""
    body = text[1:] if text[:1] in "+-" else text
    if text[:1] == "+" and not body:
        return False
    patterns = (r"[1-9][0-9]*|0", r"0[xX][0-9a-fA-F]+", r"0[oO]?[0-7]+", r"0[bB][01]+")
    return any(re.fullmatch(p, body) for p in patterns)


class _GoYamlDumper(yaml.SafeDumper):
    """PyYAML's emitter (a port of libyaml, as go-yaml's is) with go-yaml v2's string styles."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def resolve(self, kind: Any, value: Any, implicit: Sequence[bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            return _implicit_tag(value)
        return yaml.SafeDumper.resolve(self, kind, value, implicit)


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    if _resolves_to_non_string(text):
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style='"')
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


def _represent_float(dumper: yaml.SafeDumper, value: float) -> yaml.ScalarNode:
    if value.is_integer() and abs(value) < 1e21:
        return dumper.represent_scalar("tag:yaml.org,2002:int", str(int(value)))
    return dumper.represent_scalar("tag:yaml.org,2002:float", repr(value))


def _implicit_tag(text: str) -> str:
    """The tag go-yaml v2 gives a plain scalar, in PyYAML's terms (for the emitter's choice)."""
    if not _resolves_to_non_string(text):
        return "tag:yaml.org,2002:str"
    if text in ("true", "false"):
        return "tag:yaml.org,2002:bool"
    if text == "null":
        return "tag:yaml.org,2002:null"
    if _parses_go_int(text.replace("_", "")):
        return "tag:yaml.org,2002:int"
    if _YAML_FLOAT.match(text):
        return "tag:yaml.org,2002:float"
    return "tag:yaml.org,2002:timestamp"


_GoYamlDumper.add_representer(str, _represent_str)
_GoYamlDumper.add_representer(float, _represent_float)
