"""JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7386), as the API server applies them.

The API server (k8s.io/apiserver pkg/endpoints/handlers/patch.go @ v1.33) applies both with
gopkg.in/evanphx/json-patch.v4. A JSON patch that is not a list of operation objects is refused
while decoding (400 BadRequest, `error decoding patch: json: cannot unmarshal ...`); an
operation that cannot be applied (unknown op, missing path, failed `test`) becomes a generic 422
whose message is only `the server rejected our request due to an error in our request`, so
the evanphx wording of `JSONPatchFailed` never reaches the user.
"""

from __future__ import annotations

import copy
from typing import Any

from kubenet_nb.api.errors import BadRequest

__all__ = [
    "JSONPatchFailed",
    "apply_json_patch",
    "apply_merge_patch",
    "create_merge_patch",
    "go_json_type",
]


class JSONPatchFailed(ValueError):
    """An operation evanphx/json-patch could not apply (the server answers a generic 422)."""


def go_json_type(value: Any) -> str:
    """The JSON type encoding/json names in `cannot unmarshal X into Go value of type ...`."""
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    return "string"


def apply_merge_patch(original: Any, patch: Any) -> Any:
    """RFC 7386 MergePatch: objects merge key by key, `null` removes, anything else replaces."""
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    result = copy.deepcopy(original) if isinstance(original, dict) else {}
    for key, value in patch.items():
        if value is None:
            result.pop(key, None)
        else:
            result[key] = apply_merge_patch(result.get(key), value)
    return result


def create_merge_patch(original: dict, modified: dict) -> dict:
    """jsonpatch.CreateMergePatch: the RFC 7386 patch that turns `original` into `modified`.

    >>> create_merge_patch({"a": 1, "b": {"c": 1, "d": 2}}, {"b": {"c": 1, "d": 3}, "e": [1]})
    {'a': None, 'b': {'d': 3}, 'e': [1]}
    """
    patch: dict = {}
    for key in original:
        if key not in modified:
            patch[key] = None
    for key, value in modified.items():
        before = original.get(key, _MISSING)
        if isinstance(before, dict) and isinstance(value, dict):
            inner = create_merge_patch(before, value)
            if inner:
                patch[key] = inner
        elif before is _MISSING or not _json_equal(before, value):
            patch[key] = value
    return dict(sorted(patch.items()))


_MISSING = object()


def _decoded_operations(patch: Any) -> list[dict]:
    """kjson.UnmarshalStrict into []jsonPatchOp: a list of objects whose op, path and from are
    strings (refused in encoding/json's words, as a 400)."""
    if patch is not None and not isinstance(patch, list):
        raise BadRequest(
            f"error decoding patch: json: cannot unmarshal {go_json_type(patch)} into Go "
            "value of type []handlers.jsonPatchOp"
        )
    operations = []
    for item in patch or []:
        if item is not None and not isinstance(item, dict):
            raise BadRequest(
                f"error decoding patch: json: cannot unmarshal {go_json_type(item)} into Go "
                "value of type handlers.jsonPatchOp"
            )
        item = item or {}
        for field in ("op", "path", "from"):
            value = item.get(field)
            if value is not None and not isinstance(value, str):
                raise BadRequest(
                    f"error decoding patch: json: cannot unmarshal {go_json_type(value)} into "
                    f"Go struct field jsonPatchOp.{field} of type string"
                )
        operations.append(item)
    return operations


def _pointer(path: Any) -> list[str]:
    """A JSON pointer's reference tokens (`~1` is `/`, `~0` is `~`)."""
    if not isinstance(path, str):
        raise JSONPatchFailed("operation missing path")
    if path == "":
        return []
    if not path.startswith("/"):
        raise JSONPatchFailed(f"invalid path: {path}")
    return [token.replace("~1", "/").replace("~0", "~") for token in path[1:].split("/")]


def _index(token: str, size: int, adding: bool = False) -> int:
    if adding and token == "-":
        return size
    if not token.isdigit() or (len(token) > 1 and token.startswith("0")):
        raise JSONPatchFailed(f"Unable to access invalid index: {token}")
    index = int(token)
    if index > size or (index == size and not adding):
        raise JSONPatchFailed(f"Unable to access invalid index: {index}")
    return index


def _parent(doc: Any, tokens: list[str]) -> Any:
    """The container the last token addresses into."""
    node = doc
    for token in tokens[:-1]:
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list):
            node = node[_index(token, len(node))]
        else:
            raise JSONPatchFailed(f"doc is missing path: {token}")
        if not isinstance(node, (dict, list)):
            raise JSONPatchFailed(f"doc is missing path: {token}")
    return node


def _get(doc: Any, tokens: list[str]) -> Any:
    if not tokens:
        return doc
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise JSONPatchFailed(f"doc is missing key: {last}")
        return parent[last]
    return parent[_index(last, len(parent))]


def _add(doc: Any, tokens: list[str], value: Any) -> Any:
    if not tokens:
        return value
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        parent[last] = value
    else:
        parent.insert(_index(last, len(parent), adding=True), value)
    return doc


def _remove(doc: Any, tokens: list[str]) -> Any:
    if not tokens:
        raise JSONPatchFailed("unable to remove the whole document")
    parent = _parent(doc, tokens)
    last = tokens[-1]
    if isinstance(parent, dict):
        if last not in parent:
            raise JSONPatchFailed(f"Unable to remove nonexistent key: {last}: missing value")
        removed = parent.pop(last)
    else:
        removed = parent.pop(_index(last, len(parent)))
    return removed


def _value(operation: dict) -> Any:
    if "value" not in operation:
        raise JSONPatchFailed("missing value")
    return copy.deepcopy(operation["value"])


def _apply(doc: Any, operation: dict) -> Any:
    op = operation.get("op")
    tokens = _pointer(operation.get("path"))
    if op == "add":
        return _add(doc, tokens, _value(operation))
    if op == "remove":
        _remove(doc, tokens)
        return doc
    if op == "replace":
        value = _value(operation)
        _get(doc, tokens)  # replace needs the target to exist
        if not tokens:
            return value
        parent = _parent(doc, tokens)
        if isinstance(parent, dict):
            parent[tokens[-1]] = value
        else:
            parent[_index(tokens[-1], len(parent))] = value
        return doc
    if op in ("move", "copy"):
        source = _pointer(operation.get("from"))
        if op == "move":
            value = _remove(doc, source)
        else:
            value = copy.deepcopy(_get(doc, source))
        return _add(doc, tokens, value)
    if op == "test":
        try:
            current = _get(doc, tokens)
        except JSONPatchFailed:
            current = None
        if not _json_equal(current, operation.get("value")):
            raise JSONPatchFailed(f"testing value {operation.get('path')} failed: test failed")
        return doc
    raise JSONPatchFailed(f"Unexpected kind: {op}")


def _json_equal(left: Any, right: Any) -> bool:
    """Equality of decoded JSON values (numbers by value; true is not 1)."""
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(_json_equal(left[k], right[k]) for k in left)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(map(_json_equal, left, right))
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    return type(left) is type(right) and left == right


def apply_json_patch(original: Any, patch: Any) -> Any:
    """Apply RFC 6902 operations in order to a copy of `original`; all or nothing."""
    operations = _decoded_operations(patch)
    doc = copy.deepcopy(original)
    for operation in operations:
        doc = _apply(doc, operation)
    return doc
