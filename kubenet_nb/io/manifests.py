"""YAML manifests in and out: safe loading with limits, `List` expansion, kubectl's errors.

Loading uses PyYAML's SafeLoader (no Python objects), refuses input over 3 MiB (the API server's
request limit) and documents with more than 100 aliases (alias-expansion bombs).
"""

from __future__ import annotations

import yaml
from yaml.nodes import Node

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.kinds import RESOURCES

__all__ = ["MAX_ALIASES", "MAX_BYTES", "dump_yaml", "load_manifests"]

MAX_BYTES = 3 * 1024 * 1024
MAX_ALIASES = 100
_VERSIONS = {(info.api_version, info.kind) for info in RESOURCES}


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that stops after MAX_ALIASES alias references."""

    aliases = 0

    def compose_node(self, parent: Node | None, index: int) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                raise yaml.YAMLError(f"document uses more than {MAX_ALIASES} aliases")
        return super().compose_node(parent, index)


def load_manifests(text: str, source: str = "STDIN") -> list[dict]:
    """Parse one or many YAML documents into API objects, `List` items expanded.

    >>> [
    ...     o["metadata"]["name"]
    ...     for o in load_manifests(
    ...         "kind: Namespace\\napiVersion: v1\\nmetadata: {name: a}\\n---\\n"
    ...     )
    ... ]
    ['a']
    """
    if len(text.encode()) > MAX_BYTES:
        raise KubectlError(f"error reading {source}: input is larger than {MAX_BYTES} bytes")
    loader = _LimitedLoader(text)
    documents = []
    try:
        while loader.check_data():
            documents.append(loader.get_data())
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        raise KubectlError(
            f"error parsing {source}: error converting YAML to JSON: yaml: {where}{problem}"
        ) from None
    finally:
        loader.dispose()
    objects: list[dict] = []
    for document in documents:
        if document is None:
            continue
        if not isinstance(document, dict):
            raise KubectlError(
                f"error parsing {source}: error unmarshaling JSON: json: cannot "
                "unmarshal array into Go value of type map[string]interface {}"
            )
        if document.get("kind") == "List" or (
            str(document.get("kind", "")).endswith("List")
            and isinstance(document.get("items"), list)
        ):
            items = document.get("items") or []
            objects.extend(_checked(item, source) for item in items)
        else:
            objects.append(_checked(document, source))
    return objects


def _checked(obj: object, source: str) -> dict:
    if not isinstance(obj, dict):
        raise KubectlError(f'error validating "{source}": error validating data: invalid object')
    missing = [f"{field} not set" for field in ("apiVersion", "kind") if not obj.get(field)]
    if missing:
        raise KubectlError(
            f'error validating "{source}": error validating data: [{", ".join(missing)}]; '
            "if you choose to ignore these errors, turn validation off with --validate=false"
            if len(missing) > 1
            else f'error validating "{source}": error validating data: {missing[0]}; if you choose '
            "to ignore these errors, turn validation off with --validate=false"
        )
    if (obj["apiVersion"], obj["kind"]) not in _VERSIONS:
        metadata = obj.get("metadata")
        meta = metadata if isinstance(metadata, dict) else {}
        hint = f'no matches for kind "{obj["kind"]}" in version "{obj["apiVersion"]}"'
        raise KubectlError(
            f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
            f'"{meta.get("namespace", "")}" from "{source}": {hint}\n'
            "ensure CRDs are installed first"
        )
    if not isinstance(obj.get("metadata", {}), dict):
        raise KubectlError(
            f'error validating "{source}": error validating data: '
            "ValidationError(metadata): invalid type"
        )
    return obj


def dump_yaml(obj: object) -> str:
    """YAML as kubectl prints it: keys sorted, block style, sequences not indented."""
    return yaml.safe_dump(
        obj, default_flow_style=False, sort_keys=True, allow_unicode=True, width=float("inf")
    )
