"""The parser of kubectl's JSONPath templates: text, and actions in braces.

Follows k8s.io/client-go/util/jsonpath parser.go @ v0.33.0 step by step (the same lexing, the
same node kinds, the same error words), so that a template kubectl refuses is refused here with
the same message and one it accepts means the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kubenet_nb.kubectl.jsonpath.quote import unquote_extend

__all__ = [
    "ArrayNode",
    "BoolNode",
    "FieldNode",
    "FilterNode",
    "FloatNode",
    "IdentifierNode",
    "IntNode",
    "JSONPathSyntaxError",
    "ListNode",
    "Node",
    "Param",
    "RecursiveNode",
    "TextNode",
    "UnionNode",
    "WildcardNode",
    "parse",
]


class JSONPathSyntaxError(ValueError):
    """A template the parser refuses; the message is the parser's own."""


@dataclass
class ListNode:
    """A sequence of nodes: the template's root, or one action."""

    nodes: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class TextNode:
    """Plain text, or a quoted string inside an action."""

    text: str


@dataclass(frozen=True)
class FieldNode:
    """`.name`: a map key."""

    name: str


@dataclass(frozen=True)
class Param:
    """One slice bound: its value, whether it was given, whether it was derived from the start."""

    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(frozen=True)
class ArrayNode:
    """`[start:end:step]`, `[n]`, `[*]`."""

    params: tuple[Param, Param, Param]


@dataclass(frozen=True)
class FilterNode:
    """`[?(left op right)]`, or `[?(left)]` (the operator "exists")."""

    left: ListNode
    right: ListNode
    operator: str


@dataclass(frozen=True)
class IntNode:
    """An integer literal."""

    value: int


@dataclass(frozen=True)
class FloatNode:
    """A float literal."""

    value: float


@dataclass(frozen=True)
class BoolNode:
    """`true` or `false`."""

    value: bool


@dataclass(frozen=True)
class WildcardNode:
    """`.*`: every member."""


@dataclass(frozen=True)
class RecursiveNode:
    """`..`: recursive descent."""


@dataclass(frozen=True)
class UnionNode:
    """`[a,b]`: each part evaluated on the same input."""

    parts: tuple[ListNode, ...]


@dataclass(frozen=True)
class IdentifierNode:
    """A bare word in an action: `range`, `end` (anything else fails when evaluated)."""

    name: str


Node = (
    ListNode
    | TextNode
    | FieldNode
    | ArrayNode
    | FilterNode
    | IntNode
    | FloatNode
    | BoolNode
    | WildcardNode
    | RecursiveNode
    | UnionNode
    | IdentifierNode
)

_EOF = ""
_DICT_KEY = re.compile(r"^'([^']*)'$")
_SLICE = re.compile(r"^(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?$")
_FILTER = re.compile(r"^([^!<>=]+)([!<>=]+)(.+?)$")
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")


def _go_atoi(text: str) -> int | None:
    """strconv.Atoi: an optional sign and decimal digits only."""
    return int(text) if re.fullmatch(r"[+-]?[0-9]+", text) else None


def _go_parse_float(text: str) -> float | None:
    """strconv.ParseFloat over what parseNumber collects (a sign, digits and dots)."""
    if re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", text):
        return float(text)
    return None


def _is_alphanumeric(char: str) -> bool:
    return char == "_" or char.isalpha() or char.isdigit()


def _unicode_name(char: str) -> str:
    """Go's %#U: `U+0021 '!'`."""
    return f"U+{ord(char):04X} '{char}'" if char.isprintable() else f"U+{ord(char):04X}"


class _Parser:
    def __init__(self, text: str) -> None:
        self.input = text
        self.root = ListNode()
        self.pos = 0
        self.start = 0
        self.width = 0

    def consume(self) -> str:
        value = self.input[self.start : self.pos]
        self.start = self.pos
        return value

    def next(self) -> str:
        if self.pos >= len(self.input):
            self.width = 0
            return _EOF
        self.width = 1
        self.pos += 1
        return self.input[self.pos - 1]

    def backup(self) -> None:
        self.pos -= self.width

    def peek(self) -> str:
        char = self.next()
        self.backup()
        return char

    def text(self, cur: ListNode) -> None:
        while True:
            if self.input.startswith("{", self.pos):
                if self.pos > self.start:
                    cur.nodes.append(TextNode(self.consume()))
                self.left_delim(cur)
                return
            if self.next() == _EOF:
                break
        if self.pos > self.start:
            cur.nodes.append(TextNode(self.consume()))

    def left_delim(self, cur: ListNode) -> None:
        self.pos += 1
        self.consume()
        node = ListNode()
        cur.nodes.append(node)
        self.inside_action(node)

    def inside_action(self, cur: ListNode) -> None:
        while True:
            rest = self.input[self.pos :]
            if rest.startswith("}"):
                self.pos += 1
                self.consume()
                self.text(self.root)
                return
            if rest.startswith("[?("):
                self.filter(cur)
                continue
            if rest.startswith(".."):
                self.recursive(cur)
                continue
            char = self.next()
            if char == _EOF or char in "\r\n":
                raise JSONPathSyntaxError("unclosed action")
            if char in " @$":
                self.consume()
            elif char == "[":
                self.array(cur)
            elif char in "\"'":
                self.quote(cur, char)
            elif char == ".":
                self.field(cur)
            elif char in "+-" or char.isdigit():
                self.backup()
                self.number(cur)
            elif _is_alphanumeric(char):
                self.backup()
                self.identifier(cur)
            else:
                raise JSONPathSyntaxError(
                    f"unrecognized character in action: {_unicode_name(char)}"
                )

    def identifier(self, cur: ListNode) -> None:
        while True:
            char = self.next()
            if char == _EOF or char in _TERMINATORS:
                self.backup()
                break
        value = self.consume()
        if value in ("true", "false"):
            cur.nodes.append(BoolNode(value == "true"))
        else:
            cur.nodes.append(IdentifierNode(value))

    def recursive(self, cur: ListNode) -> None:
        if cur.nodes and isinstance(cur.nodes[-1], RecursiveNode):
            raise JSONPathSyntaxError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.nodes.append(RecursiveNode())
        if _is_alphanumeric(self.peek() or "."):
            self.field(cur)

    def number(self, cur: ListNode) -> None:
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            char = self.next()
            if char != "." and not char.isdigit():
                self.backup()
                break
        value = self.consume()
        integer = _go_atoi(value)
        if integer is not None:
            cur.nodes.append(IntNode(integer))
            return
        number = _go_parse_float(value)
        if number is None:
            raise JSONPathSyntaxError(f"cannot parse number {value}")
        cur.nodes.append(FloatNode(number))

    def array(self, cur: ListNode) -> None:
        while True:
            char = self.next()
            if char in (_EOF, "\n"):
                raise JSONPathSyntaxError("unterminated array")
            if char == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            union = tuple(_action(f"[{part.strip(' ')}]") for part in parts)
            cur.nodes.append(UnionNode(union))
            return
        key = _DICT_KEY.match(text)
        if key:
            cur.nodes.extend(_action(f".{key.group(1)}").nodes)
            return
        bounds = _SLICE.match(text)
        if bounds is None:
            raise JSONPathSyntaxError(f"invalid array index {text}")
        params: list[Param] = []
        for i, group in enumerate(bounds.groups()):
            group = group or ""
            if group:
                if i > 0:
                    group = group[1:]
                if i > 0 and not group:
                    params.append(Param())
                    continue
                value = _go_atoi(group)
                if value is None:
                    raise JSONPathSyntaxError(f"array index {group} is not a number")
                params.append(Param(value, known=True))
            elif i == 1:
                params.append(Param(params[0].value + 1, known=True, derived=True))
            else:
                params.append(Param())
        cur.nodes.append(ArrayNode((params[0], params[1], params[2])))

    def filter(self, cur: ListNode) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            char = self.next()
            if char in (_EOF, "\n"):
                raise JSONPathSyntaxError("unterminated filter")
            if char in "\"'":
                if not begin:
                    begin, pair = True, char
                    continue
                if self.input[self.pos - 2] != "\\" and char == pair:
                    end = True
            elif char == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathSyntaxError("unclosed array expect ]")
        text = self.consume()[:-2]
        parts = _FILTER.match(text)
        if parts is None:
            cur.nodes.append(FilterNode(_action(text), ListNode(), "exists"))
        else:
            left, operator, right = parts.groups()
            cur.nodes.append(FilterNode(_action(left), _action(right), operator))

    def quote(self, cur: ListNode, end: str) -> None:
        while True:
            char = self.next()
            if char in (_EOF, "\n"):
                raise JSONPathSyntaxError("unterminated quoted string")
            if char == end and self.input[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            cur.nodes.append(TextNode(unquote_extend(value)))
        except ValueError as error:
            raise JSONPathSyntaxError(f"unquote string {value} error {error}") from None

    def field(self, cur: ListNode) -> None:
        self.consume()
        while True:
            char = self.next()
            if char == "\\":
                self.next()
            elif char == _EOF or char in _TERMINATORS:
                self.backup()
                break
        value = self.consume()
        cur.nodes.append(WildcardNode() if value == "*" else FieldNode(value.replace("\\", "")))


def _action(text: str) -> ListNode:
    """parseAction: `text` parsed as one action; its node list."""
    node = parse("{" + text + "}").nodes[0]
    assert isinstance(node, ListNode)
    return node


def parse(text: str) -> ListNode:
    """The template's nodes, or JSONPathSyntaxError with the parser's words."""
    parser = _Parser(text)
    parser.text(parser.root)
    return parser.root
