"""Strategic merge patch: kubectl's three-way patch and the API server's application of it.

Behaviour of k8s.io/apimachinery pkg/util/strategicpatch/patch.go @ v0.33.0:
`three_way_patch` is CreateThreeWayMergePatch with overwrite (what `kubectl apply` sends: the
changes from the live object to the new manifest, plus the deletions from the last applied
manifest to the new one), `apply_strategic_patch` is StrategicMergeMapPatch (what the server
does with it). Lists with the `merge` strategy merge by their merge key (containers by name,
container ports by containerPort, Service ports by port) and carry `$setElementOrder`;
primitive merge lists use `$deleteFromPrimitiveList`; `retainKeys` fields carry `$retainKeys`.
Values compare as JSON values do in Go (every number is a float64).
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass, replace
from typing import Any

from kubenet_nb.api.decode.schema import schemas
from kubenet_nb.api.errors import BadRequest
from kubenet_nb.api.patch.schema import PatchSchema

__all__ = ["apply_strategic_patch", "kind_schema", "three_way_patch"]

DIRECTIVE = "$patch"
RETAIN_KEYS = "$retainKeys"
DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList"
SET_ELEMENT_ORDER = "$setElementOrder"


def kind_schema(kind: str) -> PatchSchema:
    """The strategic-merge schema of a served kind (unknown for any other)."""
    definition = schemas()["kinds"].get(kind)
    return PatchSchema(f"#{definition}" if definition else None)


# -- Go's view of JSON values ----------------------------------------------------------------


def _go_type(value: Any) -> str:
    """reflect.TypeOf of a value encoding/json decoded into interface{}."""
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "slice"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "float64"
    if isinstance(value, str):
        return "string"
    return "nil"


def _go_equal(left: Any, right: Any) -> bool:
    """`==` on two interface{} values (same type and value; maps and slices never compare)."""
    return _go_type(left) == _go_type(right) and left == right


def _go_v(value: Any) -> str:
    """fmt's `%v` of a decoded JSON value, which orders merge keys and scalars.

    >>> _go_v(80), _go_v(1e21), _go_v(True), _go_v(None), _go_v("a")
    ('80', '1e+21', 'true', '<nil>', 'a')
    """
    kind = _go_type(value)
    if kind == "string":
        return str(value)
    if kind == "bool":
        return "true" if value else "false"
    if kind == "nil":
        return "<nil>"
    if kind == "float64":
        number = float(value)
        if math.isfinite(number) and number == int(number) and abs(number) < 1e21:
            return str(int(number))
        text = repr(number)
        if "e" in text:
            mantissa, exponent = text.split("e")
            sign = "-" if exponent.startswith("-") else "+"
            digits = exponent.lstrip("+-").rjust(2, "0")
            return f"{mantissa.removesuffix('.0')}e{sign}{digits}"
        return text
    return repr(value)


def _element_kind(*lists: list) -> str:
    """sliceElementType: the one type of every element (lists of lists are refused)."""
    kind = ""
    for items in lists:
        for item in items:
            this = _go_type(item)
            if not kind:
                kind = this
                if kind == "slice":
                    raise BadRequest("lists of lists are not supported")
            elif this != kind:
                raise BadRequest("list element types are not identical")
    if not kind:
        raise BadRequest("no elements in any of the given slices")
    return kind


def _sorted_scalars(items: list) -> list:
    return sorted(items, key=_go_v)


def _deduplicated(items: list) -> list:
    """deduplicateScalars, including the order it leaves (a duplicate's place takes the last)."""
    items = list(items)
    length = len(items) - 1
    i = 0
    while i < length:
        j = i + 1
        while j <= length:
            if _go_equal(items[i], items[j]):
                items[j] = items[length]
                items = items[:length]
                length -= 1
                j -= 1
            j += 1
        i += 1
    return items


# -- computing a patch -----------------------------------------------------------------------


@dataclass(frozen=True)
class _Diff:
    """DiffOptions."""

    ignore_deletions: bool = False
    ignore_changes: bool = False
    set_element_order: bool = True
    retain_keys: bool = False


def _diff_maps(original: dict, modified: dict, schema: PatchSchema, options: _Diff) -> dict:
    patch: dict[str, Any] = {}
    retain: list[str] = []
    for key, new in modified.items():
        if options.retain_keys and new is not None:
            retain.append(key)
        if key not in original:
            if not options.ignore_changes:
                patch[key] = new
            continue
        old = original[key]
        if key == DIRECTIVE:
            if not (isinstance(old, str) and isinstance(new, str)):
                raise BadRequest(f"invalid value for special key: {DIRECTIVE}")
            if new != old:
                patch[key] = new
            continue
        if _go_type(old) != _go_type(new):
            if not options.ignore_changes:
                patch[key] = new
            continue
        if isinstance(old, dict):
            _diff_map_field(key, old, new, patch, schema, options)
        elif isinstance(old, list):
            _diff_list_field(key, old, new, patch, schema, options)
        elif not options.ignore_changes and old != new:
            patch[key] = new
    if not options.ignore_deletions:
        for key in original:
            if key not in modified:
                patch[key] = None
    grown = any(v is not None and k not in modified for k, v in original.items())
    if retain and (patch or grown):
        patch[RETAIN_KEYS] = _sorted_scalars(retain)
    return patch


def _diff_map_field(
    key: str, old: dict, new: dict, patch: dict, schema: PatchSchema, options: _Diff
) -> None:
    meta = schema.field(key)
    if meta.strategy == "replace":
        if not options.ignore_changes:
            patch[key] = new
        return
    value = _diff_maps(old, new, meta.schema, replace(options, retain_keys=meta.retain_keys))
    if value:
        patch[key] = value


def _diff_list_field(
    key: str, old: list, new: list, patch: dict, schema: PatchSchema, options: _Diff
) -> None:
    meta = schema.field(key)
    if meta.strategy != "merge":
        if not options.ignore_changes and old != new:
            patch[key] = new
        return
    inner = replace(options, retain_keys=meta.retain_keys)
    additions, deletions, order = _diff_lists(old, new, meta.schema, meta.merge_key, inner)
    if additions:
        patch[key] = additions
    if deletions:
        patch[f"{DELETE_FROM_PRIMITIVE_LIST}/{key}"] = deletions
    if order:
        patch[f"{SET_ELEMENT_ORDER}/{key}"] = order


def _diff_lists(
    original: list, modified: list, schema: PatchSchema, merge_key: str, options: _Diff
) -> tuple[list, list, list]:
    """(patch list, deletion list, $setElementOrder list) of a merging list."""
    if not original:
        if not modified or options.ignore_changes:
            return [], [], []
        return modified, [], []
    kind = _element_kind(original, modified)
    order: list = []
    if kind == "map":
        patch, deletions = _diff_lists_of_maps(original, modified, schema, merge_key, options)
        patch = _normalized(patch, modified, merge_key, kind)
        same_order = _same_order(original, modified, merge_key)
        patch += deletions
        if options.set_element_order and (
            (not options.ignore_changes and (patch or not same_order))
            or (not options.ignore_deletions and patch)
        ):
            order = [{merge_key: item.get(merge_key)} for item in modified]
        return patch, [], order
    patch, deletions = _diff_lists_of_scalars(original, modified, options)
    patch = _normalized(patch, modified, merge_key, kind)
    if options.set_element_order and (
        (not options.ignore_deletions and deletions)
        or (not options.ignore_changes and original != modified)
    ):
        order = modified
    return patch, deletions, order


def _same_order(original: list, modified: list, merge_key: str) -> bool:
    if len(original) != len(modified):
        return False
    return all(
        _go_equal(_merge_value(old, merge_key), _merge_value(new, merge_key))
        for old, new in zip(original, modified, strict=True)
    )


def _merge_value(item: Any, merge_key: str) -> Any:
    if not isinstance(item, dict):
        raise BadRequest(f"expected a map, got {_go_v(item)}")
    if merge_key not in item:
        raise BadRequest(f"map: {_go_v(item)} does not contain declared merge key: {merge_key}")
    return item[merge_key]


def _diff_lists_of_scalars(original: list, modified: list, options: _Diff) -> tuple[list, list]:
    old, new = _sorted_scalars(original), _sorted_scalars(modified)
    additions: list = []
    deletions: list = []
    i = j = 0
    while i < len(old) or j < len(new):
        left = _go_v(old[i]) if i < len(old) else None
        right = _go_v(new[j]) if j < len(new) else None
        if left is not None and right is not None and left == right:
            i, j = i + 1, j + 1
        elif left is None or (right is not None and left > right):
            if not options.ignore_changes:
                additions.append(new[j])
            j += 1
        else:
            if not options.ignore_deletions:
                deletions.append(old[i])
            i += 1
    return additions, _deduplicated(deletions)


def _diff_lists_of_maps(
    original: list, modified: list, schema: PatchSchema, merge_key: str, options: _Diff
) -> tuple[list, list]:
    def key_of(item: Any) -> str:
        if not isinstance(item, dict):
            raise BadRequest(f"expected a map, got {_go_v(item)}")
        return _go_v(item.get(merge_key))

    old = sorted(original, key=key_of)
    new = sorted(modified, key=key_of)
    patch: list = []
    deletions: list = []
    i = j = 0
    while i < len(old) or j < len(new):
        left = key_of(old[i]) if i < len(old) else None
        right = key_of(new[j]) if j < len(new) else None
        if left is not None and right is not None and left == right:
            value = _diff_maps(old[i], new[j], schema, options)
            if value:
                value[merge_key] = new[j].get(merge_key)
                patch.append(value)
            i, j = i + 1, j + 1
        elif left is None or (right is not None and left > right):
            if not options.ignore_changes:
                patch.append(new[j])
            j += 1
        else:
            if not options.ignore_deletions:
                deletions.append({merge_key: old[i].get(merge_key), DIRECTIVE: "delete"})
            i += 1
    return patch, deletions


def _index(items: list, value: Any, merge_key: str, kind: str) -> int:
    """The position of `value` in `items` (by merge key for maps), or -1."""

    def get(item: Any) -> Any:
        if kind == "map":
            return item.get(merge_key) if isinstance(item, dict) else None
        return item

    wanted = get(value)
    for position, item in enumerate(items):
        if _go_equal(get(item), wanted):
            return position
    return -1


def _normalized(items: list, order: list, merge_key: str, kind: str) -> list:
    """normalizeSliceOrder: `items` in the order of `order`, delete directives last."""
    deletions: list = []
    if kind == "map":
        for item in [*items, *order]:
            _merge_value(item, merge_key)
        deletions = [item for item in items if item.get(DIRECTIVE) == "delete"]
        items = [item for item in items if item.get(DIRECTIVE) != "delete"]

    def position(item: Any) -> int:
        found = _index(order, item, merge_key, kind)
        return found if found >= 0 else len(order)

    return sorted(items, key=position) + deletions


def three_way_patch(original: dict, modified: dict, current: dict, schema: PatchSchema) -> dict:
    """CreateThreeWayMergePatch(original, modified, current, overwrite=true): `{}` means the
    live object already is what the manifest asks for."""
    delta = _diff_maps(current, modified, schema, _Diff(ignore_deletions=True))
    deletions = _diff_maps(original, modified, schema, _Diff(ignore_changes=True))
    return _merge_map(deletions, delta, schema, _Merge())


# -- applying a patch ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Merge:
    """MergeOptions."""

    merge_parallel_list: bool = False
    ignore_unmatched_nulls: bool = False


def apply_strategic_patch(original: dict, patch: dict, schema: PatchSchema) -> dict:
    """StrategicMergeMapPatch: the object after the server applies a strategic merge patch."""
    options = _Merge(merge_parallel_list=True, ignore_unmatched_nulls=True)
    return _merge_map(copy.deepcopy(original), copy.deepcopy(patch), schema, options)


def _merge_map(original: dict | None, patch: dict, schema: PatchSchema, options: _Merge) -> dict:
    if DIRECTIVE in patch:
        directive = patch[DIRECTIVE]
        if directive == "replace":
            return {k: v for k, v in patch.items() if k != DIRECTIVE}
        if directive == "delete":
            return {}
        raise BadRequest(f"Unknown patch type: {_go_v(directive)} in map: {_go_v(patch)}")
    original = {} if original is None else original
    _apply_retain_keys(original, patch, options)
    _apply_element_order(original, patch, schema, options)
    for key, value in list(patch.items()):
        is_deletion_list = False
        if key.startswith(DELETE_FROM_PRIMITIVE_LIST):
            if not options.merge_parallel_list:
                original[key] = value
                continue
            key = _directive_key(key, DELETE_FROM_PRIMITIVE_LIST)
            is_deletion_list = True
        if value is None:
            original.pop(key, None)
            if options.ignore_unmatched_nulls:
                continue
        if key not in original or _go_type(original[key]) != _go_type(value):
            if not is_deletion_list:
                if options.ignore_unmatched_nulls:
                    _discard_nulls(value)
                _put(original, key, value)
            continue
        meta = schema.field(key)
        if isinstance(value, dict):
            if meta.strategy == "replace":
                original[key] = value
            else:
                original[key] = _merge_map(original[key], value, meta.schema, options)
        elif isinstance(value, list):
            if meta.strategy == "merge" or is_deletion_list:
                original[key] = _merge_list(
                    original[key], value, meta.schema, meta.merge_key, options, is_deletion_list
                )
            else:
                original[key] = value
        else:
            _put(original, key, value)
    return original


def _put(target: dict, key: str, value: Any) -> None:
    """Set a key to a patch value without its directives (a bare directive removes the key)."""
    cleaned, keep = _without_directives(value)
    if keep:
        target[key] = cleaned
    else:
        target.pop(key, None)


def _directive_key(key: str, prefix: str) -> str:
    head, _, rest = key.partition("/")
    if head != prefix or not rest:
        raise BadRequest(f"invalid patch: {key}")
    return rest


def _apply_retain_keys(original: dict, patch: dict, options: _Merge) -> None:
    if RETAIN_KEYS not in patch:
        return
    keys = patch.pop(RETAIN_KEYS)
    if not options.merge_parallel_list:
        if RETAIN_KEYS in original and original[RETAIN_KEYS] != keys:
            raise BadRequest(f"{keys} and {original[RETAIN_KEYS]} are not deep equal")
        original.setdefault(RETAIN_KEYS, keys)
        return
    if not isinstance(keys, list):
        raise BadRequest("invalid patch: the $retainKeys directive must be a list")
    kept = set(keys)
    for key, value in patch.items():
        if value is None or key.startswith((DELETE_FROM_PRIMITIVE_LIST, SET_ELEMENT_ORDER)):
            continue
        if key not in kept:
            raise BadRequest("invalid patch: a field is missing from the $retainKeys directive")
    for key in [k for k in original if k not in kept]:
        del original[key]


def _apply_element_order(original: dict, patch: dict, schema: PatchSchema, options: _Merge) -> None:
    """mergePatchIntoOriginal: lists with a `$setElementOrder` merged and put in that order."""
    for key in [k for k in patch if k.startswith(SET_ELEMENT_ORDER)]:
        order = patch.pop(key)
        if not options.merge_parallel_list:
            if key in original and original[key] != order:
                raise BadRequest("invalid patch: the $setElementOrder lists differ")
            original.setdefault(key, order)
        if not isinstance(order, list):
            raise BadRequest("invalid patch: $setElementOrder must be a list")
        field = _directive_key(key, SET_ELEMENT_ORDER)
        meta = schema.field(field)
        old, new = original.get(field), patch.get(field)
        if not isinstance(old, list | None) or not isinstance(new, list | None):
            raise BadRequest(f"invalid patch: {field} is not a list")
        if old is not None and new is None:
            merged = old
        elif old is None and new is not None:
            merged, keep = _without_directives(new)
            if not keep:
                continue
        elif old is not None and new is not None:
            merged = _merge_list(old, new, meta.schema, meta.merge_key, options, False)
        else:
            continue
        kind = _element_kind(old or [], new or [])
        patch_items, server_only = _partition(merged, order, meta.merge_key)
        original[field] = _in_element_order(
            patch_items, server_only, order, old or [], meta.merge_key, kind
        )
        patch.pop(field, None)


def _partition(merged: list, by: list, merge_key: str) -> tuple[list, list]:
    """Items present in `by` (by merge key for maps), and the others (server-only)."""
    inside: list = []
    outside: list = []
    for item in merged:
        if merge_key:
            value = _merge_value(item, merge_key)
            found = any(isinstance(b, dict) and _go_equal(b.get(merge_key), value) for b in by)
        else:
            found = any(_go_equal(item, b) for b in by)
        (inside if found else outside).append(item)
    return inside, outside


def _in_element_order(
    patch_items: list, server_only: list, order: list, live: list, merge_key: str, kind: str
) -> list:
    """normalizeElementOrder: patch items in the patch's order, server-only items in the live
    order, interleaved where the live order places them."""
    patch_items = _normalized(patch_items, order, merge_key, kind)
    server_only = _normalized(server_only, live, merge_key, kind)
    result: list = []
    i = j = 0
    while i < len(server_only) or j < len(patch_items):
        if i >= len(server_only):
            result.append(patch_items[j])
            j += 1
        elif j >= len(patch_items):
            result.append(server_only[i])
            i += 1
        else:
            left = _index(live, server_only[i], merge_key, kind)
            right = _index(live, patch_items[j], merge_key, kind)
            if left >= 0 and right >= 0 and left < right:
                result.append(server_only[i])
                i += 1
            else:
                result.append(patch_items[j])
                j += 1
    return result


def _merge_list(
    original: list,
    patch: list,
    schema: PatchSchema,
    merge_key: str,
    options: _Merge,
    is_deletion_list: bool,
) -> list:
    if not original and not patch:
        return original
    kind = _element_kind(original, patch)
    if kind != "map":
        if options.merge_parallel_list and is_deletion_list:
            return [item for item in original if not any(_go_equal(item, d) for d in patch)]
        merged = _deduplicated([*original, *patch])
    else:
        if not merge_key:
            raise BadRequest("cannot merge lists without merge key")
        original, patch = _special_elements(original, patch, merge_key)
        merged = _merge_maps_by_key(original, patch, schema, merge_key, options)
    patch_items, server_only = _partition(merged, patch, merge_key)
    return _in_element_order(patch_items, server_only, patch, original, merge_key, kind)


def _special_elements(original: list, patch: list, merge_key: str) -> tuple[list, list]:
    """`$patch: delete` removes elements by merge key; `$patch: replace` replaces the list."""
    plain: list = []
    replace_all = False
    for item in patch:
        directive = item.get(DIRECTIVE)
        if directive is None:
            plain.append(item)
        elif directive == "delete":
            value = _merge_value(item, merge_key)
            original = [o for o in original if not _go_equal(o.get(merge_key), value)]
        elif directive == "replace":
            replace_all = True
        elif directive == "merge":
            raise BadRequest("merging lists cannot yet be specified in the patch")
        else:
            raise BadRequest(f"Unknown patch type: {_go_v(directive)} in map: {_go_v(item)}")
    return (plain, []) if replace_all else (original, plain)


def _merge_maps_by_key(
    original: list, patch: list, schema: PatchSchema, merge_key: str, options: _Merge
) -> list:
    original = list(original)
    for item in patch:
        value = _merge_value(item, merge_key)
        for position, existing in enumerate(original):
            if not isinstance(existing, dict):
                raise BadRequest(f"value for key {position} is not a map")
            if merge_key in existing and _go_equal(existing[merge_key], value):
                original[position] = _merge_map(existing, item, schema, options)
                break
        else:
            original.append(item)
    return original


def _without_directives(value: Any) -> tuple[Any, bool]:
    """removeDirectives: the value without `$patch` maps; False when the value itself is one."""
    if isinstance(value, dict):
        if DIRECTIVE in value:
            return None, False
        for key in list(value):
            cleaned, keep = _without_directives(value[key])
            if keep:
                value[key] = cleaned
            else:
                del value[key]
        return value, True
    if isinstance(value, list):
        kept = [_without_directives(item) for item in value]
        return [cleaned for cleaned, keep in kept if keep], True
    return value, True


def _discard_nulls(value: Any) -> None:
    if isinstance(value, dict):
        for key in [k for k, v in value.items() if v is None]:
            del value[key]
        for item in value.values():
            _discard_nulls(item)
    elif isinstance(value, list):
        for item in value:
            _discard_nulls(item)
