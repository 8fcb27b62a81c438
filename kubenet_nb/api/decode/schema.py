"""The kinds' schemas: read `schemas.json` once, compile a kind's checker on first use.

`schemas.json` is the skeleton of the OpenAPI v3 definitions of Kubernetes v1.33 that the package
kubernetes-validate ships (regenerate with `python -m kubenet_nb.api.decode.refresh`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from kubenet_nb.api.decode.checker import (
    AnyChecker,
    BoolChecker,
    Checker,
    FloatChecker,
    IntChecker,
    IntOrStringChecker,
    ListChecker,
    MapChecker,
    QuantityChecker,
    StringChecker,
    StructChecker,
)
from kubenet_nb.api.decode.gotypes import NAMED_TYPES, struct_type

__all__ = ["kind_checker", "schemas"]

_PATH = Path(__file__).with_name("schemas.json")


@functools.cache
def schemas() -> dict[str, Any]:
    """The compact schemas (kinds → root definition, definition → fields)."""
    data: dict[str, Any] = json.loads(_PATH.read_text())
    return data


_STRUCTS: dict[str, StructChecker] = {}


def _struct(definition: str) -> StructChecker:
    checker = _STRUCTS.get(definition)
    if checker is not None:
        return checker
    name, go_type = struct_type(definition)
    checker = _STRUCTS[definition] = StructChecker(name, go_type)
    for field, spec in schemas()["structs"][definition].items():
        checker.fields[field] = _compile(spec, NAMED_TYPES.get((name, field)))
    return checker


def _compile(spec: Any, named: str | None) -> Checker:
    """A checker for one type in the compact notation; `named` is its named Go type, if any."""
    if isinstance(spec, dict):
        if "list" in spec:
            item_name = named[2:] if named and named.startswith("[]") else None
            return ListChecker(_compile(spec["list"], item_name))
        return MapChecker(_compile(spec["map"], None), named)
    if spec.startswith("#"):
        return _struct(spec[1:])
    if spec in ("int32", "int64"):
        return IntChecker(named or spec, spec)
    simple: dict[str, Checker] = {
        "string": StringChecker(named or "string"),
        "Time": StringChecker("string"),
        "bool": BoolChecker(named or "bool"),
        "float64": FloatChecker("float64"),
        "IntOrString": IntOrStringChecker(),
        "Quantity": QuantityChecker(),
    }
    return simple.get(spec) or AnyChecker("interface {}")


@functools.cache
def kind_checker(kind: str, api_version: str = "") -> StructChecker | None:
    """The checker of a served kind's root struct (None: a kind without a schema); an
    `ALSO_SERVED` apiVersion has its own (kinds.py)."""
    kinds = schemas()["kinds"]
    definition = kinds.get(f"{api_version}/{kind}") or kinds.get(kind)
    return None if definition is None else _struct(definition)
