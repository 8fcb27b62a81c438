"""Patches as the API server and kubectl compute and apply them: strategic merge (built-in kinds,
driven by the schema's merge keys and strategies) and JSON merge patch (RFC 7386)."""

from __future__ import annotations

from kubenet_nb.api.patch.strategic import (
    apply_strategic_patch,
    kind_schema,
    three_way_patch,
)

__all__ = ["apply_strategic_patch", "kind_schema", "three_way_patch"]
