"""One YAML document read as kubectl's YAML library reads it, with the same limits and words.

kubectl turns YAML into JSON with sigs.k8s.io/yaml, whose fork of go-yaml v2
(kubernetes-sigs/yaml goyaml.v2 @ v1.4.0, the version kubectl v1.33 vendors) reads the bytes,
parses them and decodes one document. This module keeps PyYAML for the parsing (libyaml's
events, the very C code go-yaml was ported from, when PyYAML has it) and replaces the rest by
go-yaml's rules (scalars by resolve.go and YAMLToJSON's conversion, in `scalars.py`):

- readerc.go: UTF-8 (or UTF-16 after a BOM) decoded strictly, and only printable characters
  (`yaml: control characters are not allowed`, `yaml: invalid leading UTF-8 octet`, ...);
- scannerc.go: at most 10000 nested flow collections or block indents
  (`yaml: exceeded max depth of 10000`);
- decode.go: aliases are expanded (a copy per alias, as Go decodes), every decode counted, and
  a document whose alias-driven decodes outgrow `allowed_alias_ratio` is refused
  (`yaml: document contains excessive aliasing`) long before it grows large;
  an unknown or self-containing anchor is refused in go-yaml's words.

Composing and decoding use explicit stacks, never Python recursion, so depth costs no frames.
"""

from __future__ import annotations

import ctypes
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from kubenet_nb.io.scalars import (
    MERGE_TAG,
    GoLoader,
    GoResolveError,
    UnsupportedKey,
    go_format_float32,
    json_key,
    json_value,
    unsupported_key_text,
)

__all__ = [
    "MAX_DEPTH",
    "GoYAMLError",
    "YAMLToJSONError",
    "allowed_alias_ratio",
    "go_yaml_text",
    "load_document",
]

MAX_DEPTH = 10000
"""scannerc.go max_flow_level and max_indents: nesting beyond this is refused."""

_ALIAS_RATIO_RANGE_LOW = 400_000
_ALIAS_RATIO_RANGE_HIGH = 4_000_000
_ALIAS_RATIO_RANGE = float(_ALIAS_RATIO_RANGE_HIGH - _ALIAS_RATIO_RANGE_LOW)
_LIBYAML_DEPTH = "exceeded maximum nesting depth"

# readerc.go yaml_parser_update_buffer: the characters go-yaml accepts.
_NOT_ALLOWED = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


class GoYAMLError(ValueError):
    """A document go-yaml refuses; `str()` is go-yaml's error text, `yaml: ...`."""

    def __init__(self, problem: str, line: int | None = None) -> None:
        where = f"line {line}: " if line else ""
        super().__init__(f"yaml: {where}{problem}")
        self.problem = problem


class YAMLToJSONError(GoYAMLError):
    """YAMLToJSON's refusal after go-yaml decoded the document: an unsupported map key
    (convertToJSONableObject) or a value json.Marshal cannot write (`json: unsupported value`).
    """

    def __init__(self, message: str) -> None:
        ValueError.__init__(self, message)
        self.problem = message


def allowed_alias_ratio(decode_count: int) -> float:
    """decode.go allowedAliasRatio: the share of decodes that may come from alias expansion.

    >>> allowed_alias_ratio(1000), allowed_alias_ratio(4_000_000)
    (0.99, 0.1)
    >>> round(allowed_alias_ratio(2_200_000), 3)
    0.545
    """
    if decode_count <= _ALIAS_RATIO_RANGE_LOW:
        return 0.99
    if decode_count >= _ALIAS_RATIO_RANGE_HIGH:
        return 0.10
    return 0.99 - 0.89 * ((decode_count - _ALIAS_RATIO_RANGE_LOW) / _ALIAS_RATIO_RANGE)


# -- readerc.go -------------------------------------------------------------------------------


def go_yaml_text(data: bytes) -> str:
    """The characters go-yaml's reader makes of raw bytes, or its refusal (readerc.go).

    A UTF-16 BOM switches to UTF-16 (LE or BE), a UTF-8 BOM is skipped, anything else is UTF-8;
    every decoded character must be printable as YAML defines it.

    >>> go_yaml_text(b"\\xef\\xbb\\xbfa: 1")
    'a: 1'
    >>> go_yaml_text(b"a: \\xff")
    Traceback (most recent call last):
    ...
    kubenet_nb.io.go_yaml.GoYAMLError: yaml: invalid leading UTF-8 octet
    """
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = _utf16(data[2:], "little" if data[:2] == b"\xff\xfe" else "big")
    else:
        text = _utf8(data[3:] if data[:3] == b"\xef\xbb\xbf" else data)
    check_characters(text)
    return text


def _utf8(data: bytes) -> str:
    """readerc.go's UTF-8 decoder: the first malformed sequence named as go-yaml names it."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        at = error.start
    octet = data[at]
    width = 1 if octet < 0x80 else 2 if octet >> 5 == 6 else 3 if octet >> 4 == 14 else 4
    if octet >> 3 == 31 or 0x80 <= octet < 0xC0:
        raise GoYAMLError("invalid leading UTF-8 octet") from None
    if at + width > len(data):
        raise GoYAMLError("incomplete UTF-8 octet sequence") from None
    value = octet & (0x7F >> width)
    for k in range(1, width):
        if data[at + k] & 0xC0 != 0x80:
            raise GoYAMLError("invalid trailing UTF-8 octet") from None
        value = (value << 6) + (data[at + k] & 0x3F)
    if value < (0x80, 0x800, 0x10000)[width - 2]:
        raise GoYAMLError("invalid length of a UTF-8 sequence") from None
    raise GoYAMLError("invalid Unicode character") from None


def _utf16(data: bytes, order: str) -> str:
    """readerc.go's UTF-16 decoder, with its words for broken surrogates and odd lengths."""
    units = [int.from_bytes(data[i : i + 2], order) for i in range(0, len(data) - 1, 2)]  # type: ignore[arg-type]
    chars: list[str] = []
    i = 0
    while i < len(units):
        unit = units[i]
        if unit & 0xFC00 == 0xDC00:
            raise GoYAMLError("unexpected low surrogate area")
        if unit & 0xFC00 == 0xD800:
            if i + 1 >= len(units):
                raise GoYAMLError("incomplete UTF-16 surrogate pair")
            low = units[i + 1]
            if low & 0xFC00 != 0xDC00:
                raise GoYAMLError("expected low surrogate area")
            chars.append(chr(0x10000 + ((unit & 0x3FF) << 10) + (low & 0x3FF)))
            i += 2
            continue
        chars.append(chr(unit))
        i += 1
    if len(data) % 2:
        raise GoYAMLError("incomplete UTF-16 character")
    return "".join(chars)


def check_characters(text: str) -> None:
    """Refuse what readerc.go refuses in decoded text: control characters, lone surrogates.

    A lone surrogate in a Python string is what go-yaml would read as the 3-byte sequence
    ED A0 80..ED BF BF: `invalid Unicode character`.
    """
    bad = _NOT_ALLOWED.search(text)
    if bad is None:
        return
    if 0xD800 <= ord(bad.group()) <= 0xDFFF:
        raise GoYAMLError("invalid Unicode character")
    raise GoYAMLError("control characters are not allowed")


# -- parsing and composing -------------------------------------------------------------------


class _PyParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    """PyYAML's pure-Python event parser, used when PyYAML was built without libyaml."""

    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)


def _libyaml_parser() -> Any:
    """libyaml's parser (PyYAML's CParser) when PyYAML was built with it, else PyYAML's own.

    libyaml (0.2.5 and later) refuses nesting past 1000 levels, a limit go-yaml lacks; its
    process-wide setting is raised so that go-yaml's 10000 per kind of nesting is the one met.
    Should the setting be out of reach, such documents are parsed again by PyYAML's own parser.
    """
    try:
        from yaml import _yaml
        from yaml._yaml import CParser
    except ImportError:  # pragma: no cover - PyYAML without libyaml
        return _PyParser
    try:
        library = ctypes.CDLL(_yaml.__file__)
        library.yaml_set_max_nest_level(ctypes.c_int(2 * MAX_DEPTH + 2))
    except (OSError, AttributeError):  # pragma: no cover - a libyaml without the setting
        pass
    return CParser


_PARSER: Any = _libyaml_parser()


@dataclass(slots=True, eq=False)
class _Alias:
    """An alias in the composed tree, already bound to its anchor's node (parser.alias)."""

    name: str
    target: Any


@dataclass(slots=True, eq=False)
class _Open:
    """A collection being composed: its node, whether it is flow style, whether it indents."""

    node: SequenceNode | MappingNode
    flow: bool
    indents: bool
    items: list[Any] = field(default_factory=list)


def _error_line(error: yaml.MarkedYAMLError) -> int | None:
    """decode.go parser.fail: a scanner error's line from 1, a parser error's as libyaml has it.

    The first line (0) is not named, as go-yaml does not name it.
    """
    problem, context = error.problem_mark, error.context_mark
    if problem is not None and problem.line != 0:
        return problem.line + (1 if isinstance(error, yaml.scanner.ScannerError) else 0)
    if context is not None and context.line != 0:
        return context.line
    return None


def _compose(text: str, loader: yaml.SafeLoader, parser_class: Any = None) -> Any:
    """The first document's node tree (go-yaml decodes the first document only), or None.

    libyaml stops at 1000 levels (`exceeded maximum nesting depth`, a limit go-yaml does not
    have); such a document is parsed again by PyYAML's own parser, which has no limit of its
    own, so that go-yaml's 10000 applies.
    """
    parser = (parser_class or _PARSER)(text)
    try:
        return _compose_events(parser, loader)
    except yaml.MarkedYAMLError as error:
        if error.problem == _LIBYAML_DEPTH and parser_class is None and _PARSER is not _PyParser:
            retry = True
        else:
            problem = error.problem or "unknown problem parsing YAML content"
            raise GoYAMLError(problem, _error_line(error)) from None
    except yaml.YAMLError as error:
        raise GoYAMLError(getattr(error, "reason", None) or str(error)) from None
    finally:
        parser.dispose()
    assert retry
    return _compose(text, loader, _PyParser)


def _compose_events(parser: Any, loader: yaml.SafeLoader) -> Any:
    """An iterative Composer over the parser's events, with go-yaml's depth limits."""
    parser.get_event()  # StreamStartEvent
    if parser.check_event(StreamEndEvent):
        return None
    parser.get_event()  # DocumentStartEvent
    anchors: dict[str, Any] = {}
    stack: list[_Open] = []
    flow = block = 0
    while True:
        event: Any = parser.get_event()
        kind = type(event)  # dispatched on the class: libyaml's marks are typed apart
        node: Any
        if issubclass(kind, AliasEvent):
            target = anchors.get(event.anchor)
            if target is None:
                raise GoYAMLError(f"unknown anchor '{event.anchor}' referenced")
            node = _Alias(event.anchor, target)
        elif issubclass(kind, ScalarEvent):
            tag = event.tag
            if tag is None:
                tag = loader.resolve(ScalarNode, event.value, event.implicit)
            elif tag == "!":
                # The non-specific tag: go-yaml keeps "!" (resolve.go leaves the text a
                # string), but a `! <<` is still a merge key (decode.go isMerge: implicit).
                merge = event.value == "<<" and event.implicit[0]
                tag = MERGE_TAG if merge else "!"
            node = ScalarNode(tag, event.value, event.start_mark, event.end_mark, event.style)
            if event.anchor is not None:
                anchors[event.anchor] = node
        elif issubclass(kind, (SequenceStartEvent, MappingStartEvent)):
            is_map = issubclass(kind, MappingStartEvent)
            collection = (MappingNode if is_map else SequenceNode)(
                "", [], event.start_mark, None, event.flow_style
            )
            opened = _Open(collection, bool(event.flow_style), False)
            if opened.flow:
                flow += 1
                if flow > MAX_DEPTH:
                    _too_deep(event)
            else:
                parent = stack[-1] if stack else None
                indentless = (
                    not is_map
                    and parent is not None
                    and isinstance(parent.node, MappingNode)
                    and not parent.flow
                    and parent.node.start_mark.column == event.start_mark.column
                )
                if not indentless:
                    opened.indents = True
                    block += 1
                    if block > MAX_DEPTH:
                        _too_deep(event)
            if event.anchor is not None:
                anchors[event.anchor] = collection
            stack.append(opened)
            continue
        elif issubclass(kind, (SequenceEndEvent, MappingEndEvent)):
            closed = stack.pop()
            if closed.flow:
                flow -= 1
            elif closed.indents:
                block -= 1
            node = closed.node
            if isinstance(node, MappingNode):
                node.value = list(zip(closed.items[::2], closed.items[1::2], strict=True))
            else:
                node.value = closed.items
        else:  # pragma: no cover - the parser emits nothing else inside a document
            raise GoYAMLError(f"attempted to parse unknown event: {type(event).__name__}")
        if not stack:
            return node
        stack[-1].items.append(node)


def _too_deep(event: Any) -> None:
    """scannerc.go: `exceeded max depth of 10000`, a scanner error at the opening token."""
    line = event.start_mark.line
    raise GoYAMLError(f"exceeded max depth of {MAX_DEPTH}", line + 1 if line else None)


# -- decode.go --------------------------------------------------------------------------------


@dataclass(slots=True, eq=False)
class _Frame:
    """A collection being decoded: its children, where the next is, and what it built so far."""

    node: Any
    depth: int
    releases: list[_Alias]
    merge_only: bool = False
    index: int = 0
    values: list[Any] = field(default_factory=list)
    merges: list[Any] = field(default_factory=list)
    pending_merge: bool = False


_PENDING = object()


class _Decoder:
    """decode.go's decoder into interface{}: counts every decode, copies every alias."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.decode_count = 0
        self.alias_count = 0
        self.expanding: set[int] = set()
        self.unsupported_key: str | None = None
        self.nonfinite = False

    def count(self, alias_depth: int) -> None:
        """decoder.unmarshal's bookkeeping and its excessive-aliasing rule."""
        self.decode_count += 1
        if alias_depth > 0:
            self.alias_count += 1
        if (
            self.alias_count > 100
            and self.decode_count > 1000
            and self.alias_count / self.decode_count > allowed_alias_ratio(self.decode_count)
        ):
            raise GoYAMLError("document contains excessive aliasing")

    def decode(self, root: Any) -> Any:
        """The document's value: dicts (string keys), lists and the loader's scalars."""
        self.count(0)  # the document node
        stack: list[_Frame] = []
        value = self.enter(root, 0, stack)
        if value is not _PENDING:
            return value
        while True:
            frame = stack[-1]
            child = self.next_child(frame)
            if child is not None:
                node, depth = child
                value = self.enter(node, depth, stack)
                if value is _PENDING:
                    continue
            else:
                stack.pop()
                for alias in frame.releases:
                    self.expanding.discard(id(alias))
                value = self.finish(frame)
                if not stack:
                    return value
            self.accept(stack[-1], value)

    def enter(self, node: Any, depth: int, stack: list[_Frame]) -> Any:
        """Count a node, follow its aliases, and return its value or push its frame."""
        if isinstance(node, _MergeList):
            stack.append(_Frame(node.node, depth, [], merge_only=True))
            return _PENDING
        self.count(depth)
        releases: list[_Alias] = []
        while isinstance(node, _Alias):
            if id(node) in self.expanding:
                raise GoYAMLError(f"anchor '{node.name}' value contains itself")
            self.expanding.add(id(node))
            releases.append(node)
            depth += 1
            node = node.target
            self.count(depth)
        if isinstance(node, ScalarNode):
            for alias in releases:
                self.expanding.discard(id(alias))
            return self.scalar(node)
        stack.append(_Frame(node, depth, releases))
        return _PENDING

    def next_child(self, frame: _Frame) -> tuple[Any, int] | None:
        """The next node to decode in a frame, handling a mapping's `<<` merge keys."""
        node = frame.node
        if isinstance(node, SequenceNode):
            if frame.index >= len(node.value):
                return None
            child = node.value[frame.index]
            frame.index += 1
            return child, frame.depth
        pairs = node.value
        position, half = divmod(frame.index, 2)
        if position >= len(pairs):
            return None
        key, value = pairs[position]
        frame.index += 1
        if half == 1:
            return value, frame.depth
        if isinstance(key, ScalarNode) and key.tag == MERGE_TAG and key.value == "<<":
            frame.index += 1
            frame.pending_merge = True
            return self.merge_source(value, frame)
        return key, frame.depth

    @staticmethod
    def merge_source(value: Any, frame: _Frame) -> tuple[Any, int]:
        """decoder.merge: a mapping, an alias of one, or a sequence of them (not counted)."""
        target = value.target if isinstance(value, _Alias) else value
        if isinstance(target, MappingNode):
            return value, frame.depth
        if not isinstance(value, SequenceNode):
            raise GoYAMLError("map merge requires map or sequence of maps as the value")
        for item in value.value:
            item_target = item.target if isinstance(item, _Alias) else item
            if not isinstance(item_target, MappingNode):
                raise GoYAMLError("map merge requires map or sequence of maps as the value")
        merged = SequenceNode("", value.value, value.start_mark, value.end_mark)
        return _MergeList(merged), frame.depth

    def accept(self, frame: _Frame, value: Any) -> None:
        """A decoded child joins its frame: an item, a key, a value, or a merge source."""
        if frame.pending_merge:
            frame.pending_merge = False
            frame.merges.extend(reversed(value) if isinstance(value, _Merged) else [value])
            return
        frame.values.append(value)

    def finish(self, frame: _Frame) -> Any:
        """A frame's value: a list, a dict (merged keys first, as SafeLoader merges), ..."""
        if frame.merge_only:
            return _Merged(frame.values)
        if isinstance(frame.node, SequenceNode):
            return [json_value(value) for value in frame.values]
        result: dict[str, Any] = {}
        for merged in frame.merges:
            result.update(merged)
        values = frame.values
        for i in range(0, len(values), 2):
            key, value = values[i], values[i + 1]
            if isinstance(key, (list, dict)):
                line = frame.node.start_mark.line + 1
                raise GoYAMLError("found unhashable key", line)
            try:
                name = json_key(key)
            except UnsupportedKey:
                if self.unsupported_key is None:
                    self.unsupported_key = unsupported_key_text(key, value)
                name = repr(key)
            result[name] = json_value(value)
        return result

    def scalar(self, node: ScalarNode) -> Any:
        """The loader's value for a scalar (GoLoader: go-yaml v2's, as Python)."""
        try:
            value = self.loader.construct_object(node, deep=True)
        except GoResolveError as error:
            raise GoYAMLError(str(error)) from None
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            line = mark.line + 1 if mark is not None else None
            raise GoYAMLError(error.problem or str(error), line) from None
        if isinstance(value, float) and not math.isfinite(value):
            self.nonfinite = True
        return value

    def to_json(self, value: Any) -> Any:
        """yamlToJSONTarget after Unmarshal: the key refusal first, then json.Marshal's."""
        if self.unsupported_key is not None:
            raise YAMLToJSONError(self.unsupported_key)
        value = json_value(value)
        if self.nonfinite:
            _check_finite(value)
        return value


def _check_finite(value: Any) -> None:
    """json.Marshal's walk (map members in key order): the first NaN or infinity is refused."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, float) and not math.isfinite(item):
            raise YAMLToJSONError(f"json: unsupported value: {go_format_float32(item)}")
        if isinstance(item, dict):
            stack.extend(item[key] for key in sorted(item, reverse=True))
        elif isinstance(item, list):
            stack.extend(reversed(item))


class _MergeList:
    """A `<<: [*a, *b]` sequence: its maps decoded into one merge, the sequence not counted."""

    def __init__(self, node: SequenceNode) -> None:
        self.node = node


class _Merged(list[Any]):
    """The maps of a merge sequence, in order (the earlier wins, as SafeLoader merges)."""


def load_document(text: str, loader_class: type[yaml.SafeLoader] = GoLoader) -> Any:
    """YAMLToJSON of one document: yaml.Unmarshal into interface{}, then its JSON value
    (string keys, go-yaml's scalars; `scalars.py`), or GoYAMLError (YAMLToJSONError).

    >>> load_document("a: &x [1]\\nb: *x\\n")
    {'a': [1], 'b': [1]}
    >>> load_document("a: *x\\n")
    Traceback (most recent call last):
    ...
    kubenet_nb.io.go_yaml.GoYAMLError: yaml: unknown anchor 'x' referenced
    """
    check_characters(text)
    loader = loader_class("")
    try:
        root = _compose(text, loader)
        if root is None:
            return None
        decoder = _Decoder(loader)
        return decoder.to_json(decoder.decode(root))
    finally:
        loader.dispose()
