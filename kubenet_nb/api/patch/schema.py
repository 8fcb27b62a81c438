"""What strategic merge needs to know about a field: its type below, its strategies, merge key.

apimachinery's LookupPatchMeta, read from the compact v1.33 schemas (`api/decode/schemas.json`):
`patch` holds each struct field's `x-kubernetes-patch-strategy` and `-merge-key`. A value whose
schema is unknown (custom resources, free-form objects) has no strategies: maps recurse, lists
are replaced whole, as a JSON merge patch treats them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubenet_nb.api.decode.schema import schemas

__all__ = ["FieldMeta", "PatchSchema"]


@dataclass(frozen=True)
class FieldMeta:
    """One field: the schema of its value (or of a list's items), strategies, merge key."""

    schema: PatchSchema
    strategies: tuple[str, ...] = ()
    merge_key: str = ""

    @property
    def retain_keys(self) -> bool:
        return "retainKeys" in self.strategies

    @property
    def strategy(self) -> str:
        """The strategy besides retainKeys: "merge", "replace" or ""."""
        return next((s for s in self.strategies if s != "retainKeys"), "")


@dataclass(frozen=True)
class PatchSchema:
    """A position in a kind's schema, as the compact notation spells it (None: unknown)."""

    spec: Any = None

    def field(self, key: str) -> FieldMeta:
        """The metadata of a map key or struct field under this position."""
        spec = self.spec
        if isinstance(spec, dict) and "map" in spec:
            return FieldMeta(PatchSchema(spec["map"]))
        if not (isinstance(spec, str) and spec.startswith("#")):
            return FieldMeta(PatchSchema())
        definition = spec[1:]
        field_spec = schemas()["structs"].get(definition, {}).get(key)
        if isinstance(field_spec, dict) and "list" in field_spec:
            field_spec = field_spec["list"]
        strategies, merge_key = schemas()["patch"].get(definition, {}).get(key, [[], ""])
        return FieldMeta(PatchSchema(field_spec), tuple(strategies), merge_key)
