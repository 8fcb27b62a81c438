"""Regenerate `schemas.json` from the OpenAPI definitions kubernetes-validate ships for v1.33.

The decoder needs, per struct, only its fields and their JSON/Go types: this script walks the
definitions reachable from the kinds kubenet serves and writes that skeleton (no descriptions),
so that the package needs no schema library at run time. Run it after a Kubernetes bump:

    python -m kubenet_nb.api.decode.refresh
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

from kubenet_nb.api.kinds import ALSO_SERVED, RESOURCES, by_kind

__all__ = ["KUBERNETES_VERSION", "SCHEMAS_PATH", "build", "definitions_path"]

KUBERNETES_VERSION = "v1.33.0"
SCHEMAS_PATH = Path(__file__).with_name("schemas.json")
SPECIAL = {
    "io.k8s.apimachinery.pkg.util.intstr.IntOrString": "IntOrString",
    "io.k8s.apimachinery.pkg.api.resource.Quantity": "Quantity",
    "io.k8s.apimachinery.pkg.apis.meta.v1.Time": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime": "Time",
    "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1": "object",
    "io.k8s.apimachinery.pkg.runtime.RawExtension": "any",
}
"""Types with their own UnmarshalJSON in Go: the decoder treats them by name, not by schema."""


def definitions_path() -> Path:
    """The `_definitions.json` of v1.33 inside the installed kubernetes-validate package."""
    spec = importlib.util.find_spec("kubernetes_validate")
    if spec is None or spec.origin is None:
        raise RuntimeError("kubernetes-validate is not installed (pip install -e '.[test]')")
    root = Path(spec.origin).parent / "kubernetes-json-schema"
    return root / f"{KUBERNETES_VERSION}-local-strict" / "_definitions.json"


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _spec(schema: dict[str, Any], defs: dict[str, Any], todo: list[str]) -> Any:
    """One property's type as the compact notation `schema.py` reads."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        if name in SPECIAL:
            return SPECIAL[name]
        if "properties" in defs[name]:
            todo.append(name)
            return "#" + name
        return _spec(defs[name], defs, todo)
    types = schema.get("type", [])
    types = [types] if isinstance(types, str) else [t for t in types if t != "null"]
    kind = types[0] if types else "any"
    if kind == "string":
        return "string"
    if kind == "boolean":
        return "bool"
    if kind == "integer":
        return schema.get("format", "int64")
    if kind == "number":
        return "float64"
    if kind == "array":
        return {"list": _spec(schema.get("items", {}), defs, todo)}
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return {"map": _spec(extra, defs, todo)}
        return "object"
    return "any"


def build() -> dict[str, Any]:
    """The compact schemas: the served kinds' root definitions (an `ALSO_SERVED` version's keyed
    `group/version/Kind`) and every struct they reach."""
    defs = json.loads(definitions_path().read_text())["$defs"]
    kinds: dict[str, str] = {}
    for name, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            for info in RESOURCES:
                if by_kind(info.kind) is info and (gvk["group"], gvk["version"], gvk["kind"]) == (
                    info.group,
                    info.version,
                    info.kind,
                ):
                    kinds[info.kind] = name
            version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            if (version, gvk["kind"]) in ALSO_SERVED:
                kinds[f"{version}/{gvk['kind']}"] = name
    todo = sorted(kinds.values())
    structs: dict[str, dict[str, Any]] = {}
    patch: dict[str, dict[str, list[Any]]] = {}
    while todo:
        name = todo.pop()
        if name in structs:
            continue
        properties = defs[name]["properties"]
        structs[name] = {field: _spec(properties[field], defs, todo) for field in properties}
        meta = {field: _patch_meta(properties[field]) for field in properties}
        if any(meta.values()):
            patch[name] = {field: value for field, value in meta.items() if value}
    return {
        "version": KUBERNETES_VERSION,
        "kinds": dict(sorted(kinds.items())),
        "structs": dict(sorted(structs.items())),
        "patch": dict(sorted(patch.items())),
    }


def _patch_meta(schema: dict[str, Any]) -> list[Any]:
    """A field's strategic-merge metadata: [patch strategies, merge key], or [] for none.

    The `x-kubernetes-patch-strategy` and `-merge-key` extensions carry the Go struct tags
    `patchStrategy` and `patchMergeKey` that apimachinery's strategicpatch reads.
    """
    strategies = schema.get("x-kubernetes-patch-strategy")
    if not strategies:
        return []
    return [strategies.split(","), schema.get("x-kubernetes-patch-merge-key", "")]


def render() -> str:
    """The text of `schemas.json`: stable, one struct per line, for readable diffs."""
    data = build()
    lines = ["{", f'"version": {json.dumps(data["version"])},']
    lines.append(f'"kinds": {json.dumps(data["kinds"], sort_keys=True)},')
    for section, last in (("structs", False), ("patch", True)):
        lines.append(f'"{section}": {{')
        items = list(data[section].items())
        for index, (name, fields) in enumerate(items):
            comma = "," if index < len(items) - 1 else ""
            lines.append(f"{json.dumps(name)}: {json.dumps(fields, sort_keys=True)}{comma}")
        lines.append("}" if last else "},")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    SCHEMAS_PATH.write_text(render())
    print(f"wrote {SCHEMAS_PATH}")
