"""`--sort-by`: objects ordered by the first value a JSONPath finds in each.

kubectl pkg/cmd/get/sorter.go @ v0.33.0. The field is read in the relaxed form (`.spec.replicas`
becomes `{.spec.replicas}`) and evaluated with missing keys allowed; a list in which no object
has the field is refused. `Less` says an object without the field is less than any other (even
than another without it). Two values compare as `isLess` compares decoded JSON: numbers of one
type by value, strings as quantities when both parse as one (`100m` < `1`), byte-wise otherwise
(so RFC 3339 timestamps sort by time); other types stop kubectl (klog.Exitf; its log header is
not reproduced). The order is Go's sort.Sort over that `Less` (gosort.py), ties included.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.quantity import Quantity
from kubenet_nb.kubectl.jsonpath import JSONPath, JSONPathError, JSONPathSyntaxError, relaxed
from kubenet_nb.kubectl.jsonpath.values import go_type
from kubenet_nb.kubectl.printers.gosort import go_sort

__all__ = [
    "OBJECT_HOLDER",
    "TABLE_HOLDER",
    "UnsortableError",
    "is_less",
    "sort_field",
    "sort_objects",
]

TABLE_HOLDER = "[][][]reflect.Value"
"""How klog.Exitf names what TableSorter holds (`%T`), in the unsortable-type message."""
OBJECT_HOLDER = "*unstructured.Unstructured"
"""How it names an object RuntimeSort holds."""


def sort_field(expression: str) -> str:
    """NewRuntimeSorter: the relaxed form, or the text as given when it is not a plain path."""
    try:
        return relaxed(expression)
    except ValueError:
        return expression


class UnsortableError(KubectlError):
    """Two values isLess cannot compare: kubectl stops (klog.Exitf; its log header is not
    reproduced)."""


def _first_values(path: JSONPath, objects: list[dict]) -> list[tuple[bool, Any]]:
    firsts: list[tuple[bool, Any]] = []
    for obj in objects:
        try:
            groups = path.find_results(obj)
        except JSONPathError as error:
            raise KubectlError(str(error)) from None
        found = bool(groups and groups[0])
        firsts.append((found, groups[0][0] if found else None))
    return firsts


def _parsed(field: str, holder: str) -> JSONPath:
    """NewTableSorter parses the field as given ("sorting error: ..." if it cannot); SortObjects
    relaxes it once more and returns the parser's error as it is."""
    try:
        if holder == TABLE_HOLDER:
            return JSONPath(field, allow_missing_keys=True)
        return JSONPath(relaxed(field), allow_missing_keys=True)
    except JSONPathSyntaxError as error:
        prefix = "sorting error: " if holder == TABLE_HOLDER else ""
        raise KubectlError(f"{prefix}{error}") from None
    except ValueError as error:
        raise KubectlError(str(error)) from None


def sort_objects(objects: list[dict], field: str, holder: str = OBJECT_HOLDER) -> list[int]:
    """The order (indexes into `objects`) `--sort-by=field` prints them in; KubectlError with
    kubectl's words when no object has the field (UnsortableError for values of other kinds).
    `holder` says whose rules apply: the TableSorter's (rows of a Table) or SortObjects'."""
    if not objects:
        return []
    path = _parsed(field, holder)
    firsts = _first_values(path, objects)
    if not any(found for found, _ in firsts):
        raise KubectlError(
            f'couldn\'t find any field with path "{path.template}" in the list of objects'
        )

    def less(i: int, j: int) -> bool:
        if not firsts[i][0]:
            return True
        if not firsts[j][0]:
            return False
        try:
            return is_less(firsts[i][1], firsts[j][1])
        except TypeError as error:
            raise UnsortableError(
                f"Field {path.template} in {holder} is an unsortable type: interface, err: {error}"
            ) from None

    return go_sort(len(objects), less)


def is_less(left: Any, right: Any) -> bool:
    """sorter.go isLess on two interface{} values (TypeError with its words otherwise).

    >>> is_less("100m", "1"), is_less("b", "a"), is_less(2, 10), is_less(None, "a")
    (True, False, True, True)
    """
    if left is None or right is None:
        return left is None and right is not None
    kind = go_type(left)
    if kind not in ("string", "int64", "float64"):
        raise TypeError(f"unsortable type: {kind}")
    if go_type(right) != kind:
        raise TypeError("unsortable interface: interface")
    if kind == "string":
        try:
            return Quantity(left) < Quantity(right)
        except ValueError:
            return bool(left < right)
    return bool(left < right)
