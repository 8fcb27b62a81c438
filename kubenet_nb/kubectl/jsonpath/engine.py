"""Evaluating a parsed JSONPath template over an unstructured object, and printing the results.

client-go util/jsonpath jsonpath.go @ v0.33.0: `FindResults` (with its `range ... end` state
machine), the node evaluators, the filter comparisons of its forked text/template (funcs.go:
only bools, numbers and strings compare, and only with their own kind), and `PrintResults`.
Values are decoded JSON: dict, list, str, int (int64), float (float64), bool and None (null).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from kubenet_nb.kubectl.jsonpath.parser import (
    ArrayNode,
    BoolNode,
    FieldNode,
    FilterNode,
    FloatNode,
    IdentifierNode,
    IntNode,
    ListNode,
    Node,
    RecursiveNode,
    TextNode,
    UnionNode,
    WildcardNode,
    parse,
)
from kubenet_nb.kubectl.jsonpath.values import go_json, go_type, go_v

__all__ = ["JSONPath", "JSONPathError"]


class JSONPathError(ValueError):
    """An execution error, in jsonpath.go's words."""


class JSONPath:
    """One parsed template (`jsonpath.New(name).Parse(text)`)."""

    def __init__(self, template: str, allow_missing_keys: bool = False) -> None:
        self.template = template
        self.allow_missing_keys = allow_missing_keys
        self.output_json = False
        self._root = parse(template).nodes
        self._start = 0  # upstream re-slices the root's nodes as a range is entered
        self._begin_range = self._in_range = self._end_range = 0
        self._last_end = -1

    def execute(self, data: Any) -> str:
        """What `Execute` writes: each top-level result group printed in turn."""
        return "".join(self.print_results(results) for results in self.find_results(data))

    def find_results(self, data: Any) -> list[list[Any]]:
        """The values each top-level node finds; a range's body is found per item."""
        full: list[list[Any]] = []
        i = self._start
        while i < len(self._root):
            results = self._walk([data], self._root[i])
            if 0 < self._end_range <= self._in_range:
                self._end_range -= 1
                self._last_end = i
                break
            if self._begin_range > 0:
                self._begin_range -= 1
                self._in_range += 1
                self._start = i + 1
                if results:
                    for value in results:
                        self._start = i + 1
                        full.extend(self.find_results(value))
                else:
                    self.find_results(None)
                self._in_range -= 1
                i = next((k for k in range(i + 1, len(self._root)) if k == self._last_end), i)
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def print_results(self, results: list[Any]) -> str:
        """`PrintResults`: maps and slices as JSON, scalars as text, separated by spaces; with
        JSON output, the whole group as one indented JSON array and a newline."""
        if self.output_json:
            return go_json(results, "    ") + "\n"
        texts = []
        for value in results:
            if isinstance(value, (dict, list)):
                texts.append(go_json(value))
            else:
                texts.append("null" if value is None else go_v(value))
        return " ".join(texts)

    def _walk(self, values: list[Any], node: Node) -> list[Any]:
        return self._EVALUATORS[type(node)](self, values, node)

    def _list(self, values: list[Any], node: ListNode) -> list[Any]:
        for child in node.nodes:
            values = self._walk(values, child)
        return values

    def _text(self, values: list[Any], node: TextNode) -> list[Any]:
        return [node.text]

    def _literal(self, values: list[Any], node: IntNode | FloatNode | BoolNode) -> list[Any]:
        return [node.value for _ in values]

    def _identifier(self, values: list[Any], node: IdentifierNode) -> list[Any]:
        if node.name == "range":
            self._begin_range += 1
            return values
        if node.name == "end":
            if self._in_range > 0:
                self._end_range += 1
                return []
            raise JSONPathError("not in range, nothing to end")
        raise JSONPathError(f"unrecognized identifier {node.name}")

    def _field(self, values: list[Any], node: FieldNode) -> list[Any]:
        if not values:
            return []
        found = [
            value[node.name] for value in values if isinstance(value, dict) and node.name in value
        ]
        if not found and not self.allow_missing_keys:
            raise JSONPathError(f"{node.name} is not found")
        return found

    def _array(self, values: list[Any], node: ArrayNode) -> list[Any]:
        found: list[Any] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list):
                raise JSONPathError(f"{go_type(value)} is not array or slice")
            length = len(value)
            first, last, step = node.params
            start = first.value if first.known else 0
            if start < 0:
                start += length
            end = last.value if last.known else length
            if end < 0 or (end == 0 and last.derived):
                end += length
            if end == start:
                return found
            if start >= length or start < 0:
                raise JSONPathError(f"array index out of bounds: index {start}, length {length}")
            if end > length or end < 0:
                raise JSONPathError(f"array index out of bounds: index {end - 1}, length {length}")
            if start > end:
                raise JSONPathError(f"starting index {start} is greater than ending index {end}")
            stride = 1
            if step.known:
                if step.value <= 0:
                    raise JSONPathError("step must be > 0")
                stride = step.value
            found.extend(value[start:end:stride])
        return found

    def _union(self, values: list[Any], node: UnionNode) -> list[Any]:
        return [found for part in node.parts for found in self._list(values, part)]

    def _wildcard(self, values: list[Any], node: WildcardNode) -> list[Any]:
        return [child for value in values for child in _children(value)]

    def _recursive(self, values: list[Any], node: RecursiveNode) -> list[Any]:
        found: list[Any] = []
        for value in values:
            children = _children(value)
            if children:
                found.append(value)
                found.extend(self._recursive(children, node))
        return found

    def _filter(self, values: list[Any], node: FilterNode) -> list[Any]:
        found: list[Any] = []
        for value in values:
            if not isinstance(value, list):
                shown = "<nil>" if value is None else go_v(value)
                raise JSONPathError(f"{shown} is not array or slice and cannot be filtered")
            for item in value:
                if node.operator == "exists":
                    try:
                        lefts = self._list([item], node.left)
                    except JSONPathError:
                        continue
                    if lefts:
                        found.append(item)
                    continue
                lefts = self._list([item], node.left)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise JSONPathError("can only compare one element at a time")
                rights = self._list([item], node.right)
                if not rights:
                    continue
                if len(rights) > 1:
                    raise JSONPathError("can only compare one element at a time")
                compare = _OPERATORS.get(node.operator)
                if compare is None:
                    raise JSONPathError(f"unrecognized filter operator {node.operator}")
                if compare(lefts[0], rights[0]):
                    found.append(item)
        return found

    _EVALUATORS: ClassVar[dict[type, Callable[..., list[Any]]]] = {
        ListNode: _list,
        TextNode: _text,
        FieldNode: _field,
        ArrayNode: _array,
        FilterNode: _filter,
        IntNode: _literal,
        FloatNode: _literal,
        BoolNode: _literal,
        WildcardNode: _wildcard,
        RecursiveNode: _recursive,
        UnionNode: _union,
        IdentifierNode: _identifier,
    }


def _children(value: Any) -> list[Any]:
    """What `*` and `..` step into: a map's values, a slice's items, a string's bytes."""
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())
    return []


def _kind(value: Any) -> str:
    """funcs.go basicKind."""
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise JSONPathError("invalid type for comparison")


def _same_kind(left: Any, right: Any) -> str:
    kind = _kind(left)
    if _kind(right) != kind:
        raise JSONPathError("incompatible types for comparison")
    return kind


def _equal(left: Any, right: Any) -> bool:
    _same_kind(left, right)
    return bool(left == right)


def _less(left: Any, right: Any) -> bool:
    if _same_kind(left, right) == "bool":
        raise JSONPathError("invalid type for comparison")
    return bool(left < right)


_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "==": _equal,
    "!=": lambda left, right: not _equal(left, right),
    "<": _less,
    "<=": lambda left, right: _less(left, right) or _equal(left, right),
    ">": lambda left, right: not (_less(left, right) or _equal(left, right)),
    ">=": lambda left, right: not _less(left, right),
}
