"""Label selectors: the `kubectl -l` grammar, LabelSelector objects, matching and validation.

Parsing follows k8s.io/apimachinery/pkg/labels/selector.go token for token (lexer, parser,
NewRequirement) so that refusals carry upstream's exact text; LabelSelectorAsSelector and
ValidateLabelSelector follow apimachinery/pkg/apis/meta/v1. A `Selector` is an immutable list
of requirements sorted by key; matching is a tight loop with a fast path for plain equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubenet_nb.api.errors import FieldError, KubenetError
from kubenet_nb.api.meta import GoValue, go_quote, validate_label_name, validate_labels
from kubenet_nb.api.names import is_qualified_name, is_valid_label_value

__all__ = [
    "Requirement",
    "Selector",
    "SelectorError",
    "go_label_selector",
    "parse_selector",
    "selector_from_label_selector",
    "selector_from_set",
    "validate_label_selector",
]

_BINARY_OPERATORS = "in, notin, =, ==, !=, gt, lt"
_SPECIAL = frozenset("=!(),><")
_WHITESPACE = frozenset(" \t\r\n")
_TOKENS = {
    ")": "CLOSE",
    ",": "COMMA",
    "!": "NOT",
    "==": "EQEQ",
    "=": "EQ",
    ">": "GT",
    "in": "IN",
    "<": "LT",
    "!=": "NEQ",
    "notin": "NOTIN",
    "(": "OPEN",
}
_OPERATORS = {
    "IN": "in",
    "EQ": "=",
    "EQEQ": "==",
    "GT": "gt",
    "LT": "lt",
    "NOTIN": "notin",
    "NEQ": "!=",
}
_INT64 = re.compile(r"[+-]?[0-9]+")
_EXPRESSION_OPERATORS = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}


class SelectorError(KubenetError):
    """A selector that does not parse; str() is apimachinery's error text."""


@dataclass(frozen=True)
class Requirement:
    """One `key op values` term; operator is one of =, ==, !=, in, notin, exists, !, gt, lt."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        op = self.operator
        if op in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if op in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        value = labels.get(self.key)
        if value is None or not _INT64.fullmatch(value) or not _INT64.fullmatch(self.values[0]):
            return False
        have, want = int(value), int(self.values[0])
        return have > want if op == "gt" else have < want

    def __str__(self) -> str:
        if self.operator == "!":
            return "!" + self.key
        if self.operator == "exists":
            return self.key
        shown = ",".join(sorted(self.values))
        if self.operator in ("in", "notin"):
            return f"{self.key} {self.operator} ({shown})"
        symbol = {"gt": ">", "lt": "<"}.get(self.operator, self.operator)
        return f"{self.key}{symbol}{shown}"


class Selector:
    """An AND of requirements; `Selector.nothing()` matches no object at all."""

    __slots__ = ("_equals", "_nothing", "requirements")

    def __init__(
        self,
        requirements: list[Requirement] | tuple[Requirement, ...] = (),
        *,
        nothing: bool = False,
    ) -> None:
        self.requirements = tuple(sorted(requirements, key=lambda r: r.key))
        self._nothing = nothing
        plain = all(r.operator in ("=", "==") for r in self.requirements)
        self._equals = tuple((r.key, r.values[0]) for r in self.requirements) if plain else None

    @classmethod
    def nothing(cls) -> Selector:
        """labels.Nothing(): what a nil LabelSelector converts to."""
        return cls(nothing=True)

    def empty(self) -> bool:
        """True when the selector does not restrict anything (it matches every object)."""
        return not self._nothing and not self.requirements

    def matches(self, labels: dict[str, str] | None) -> bool:
        if self._nothing:
            return False
        labels = labels or {}
        if self._equals is not None:
            return all(labels.get(k) == v for k, v in self._equals)
        return all(r.matches(labels) for r in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return "Selector.nothing()" if self._nothing else f"Selector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Selector)
            and other._nothing == self._nothing
            and other.requirements == self.requirements
        )

    def __hash__(self) -> int:
        return hash((self._nothing, self.requirements))


def _lex(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    pos, size = 0, len(text)
    while True:
        while pos < size and text[pos] in _WHITESPACE:
            pos += 1
        if pos >= size:
            items.append(("END", ""))
            return items
        if text[pos] in _SPECIAL:
            best, end = "", pos
            while end < size and text[end] in _SPECIAL:
                if text[pos : end + 1] in _TOKENS:
                    best = text[pos : end + 1]
                elif best:
                    break
                end += 1
            items.append((_TOKENS[best], best))
            pos += len(best)
        else:
            end = pos
            while end < size and text[end] not in _SPECIAL and text[end] not in _WHITESPACE:
                end += 1
            word = text[pos:end]
            items.append((_TOKENS.get(word, "ID") if word in ("in", "notin") else "ID", word))
            pos = end


class _Parser:
    def __init__(self, text: str) -> None:
        self.items = _lex(text)
        self.pos = 0

    def peek(self, values: bool = True) -> tuple[str, str]:
        tok, lit = self.items[self.pos]
        return ("ID" if values and tok in ("IN", "NOTIN") else tok), lit

    def take(self, values: bool = True) -> tuple[str, str]:
        item = self.peek(values)
        self.pos += 1
        return item

    def parse(self) -> list[Requirement]:
        found: list[Requirement] = []
        while True:
            tok, lit = self.peek()
            if tok == "END":
                return found
            if tok not in ("ID", "NOT"):
                raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
            try:
                found.append(self.requirement())
            except SelectorError as err:
                raise SelectorError(f"unable to parse requirement: {err}") from None
            tok, lit = self.take()
            if tok == "END":
                return found
            if tok != "COMMA":
                raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
            tok, lit = self.peek()
            if tok not in ("ID", "NOT"):
                raise SelectorError(f"found '{lit}', expected: identifier after ','")

    def requirement(self) -> Requirement:
        operator = ""
        tok, key = self.take()
        if tok == "NOT":
            operator = "!"
            tok, key = self.take()
        if tok != "ID":
            raise SelectorError(f"found '{key}', expected: identifier")
        problems = is_qualified_name(key)
        if problems:
            raise SelectorError(f"<nil>: Invalid value: {go_quote(key)}: " + "; ".join(problems))
        if self.peek()[0] in ("END", "COMMA") and not operator:
            operator = "exists"
        if operator:
            return _new_requirement(key, operator, [])
        tok, lit = self.take(values=False)
        if tok not in _OPERATORS:
            raise SelectorError(f"found '{lit}', expected: {_BINARY_OPERATORS}")
        operator = _OPERATORS[tok]
        values = self.value_set() if operator in ("in", "notin") else self.exact_value()
        return _new_requirement(key, operator, sorted(values))

    def value_set(self) -> set[str]:
        tok, lit = self.take()
        if tok != "OPEN":
            raise SelectorError(f"found '{lit}' expected: '('")
        tok, lit = self.peek()
        if tok == "CLOSE":
            self.take()
            return {""}
        if tok not in ("ID", "COMMA"):
            raise SelectorError(f"found '{lit}', expected: ',', ')' or identifier")
        values = self.identifiers()
        if self.take()[0] != "CLOSE":
            raise SelectorError(f"found '{lit}', expected: ')'")
        return values

    def identifiers(self) -> set[str]:
        values: set[str] = set()
        while True:
            tok, lit = self.take()
            if tok == "ID":
                values.add(lit)
                nxt, nxt_lit = self.peek()
                if nxt == "CLOSE":
                    return values
                if nxt != "COMMA":
                    raise SelectorError(f"found '{nxt_lit}', expected: ',' or ')'")
            elif tok == "COMMA":
                if not values:
                    values.add("")
                nxt = self.peek()[0]
                if nxt == "CLOSE":
                    values.add("")
                    return values
                if nxt == "COMMA":
                    values.add("")
            else:
                raise SelectorError(f"found '{lit}', expected: ',', or identifier")

    def exact_value(self) -> set[str]:
        if self.peek()[0] in ("END", "COMMA"):
            return {""}
        tok, lit = self.take()
        if tok == "ID":
            return {lit}
        raise SelectorError(f"found '{lit}', expected: identifier")


def _aggregate(errs: list[FieldError]) -> str:
    texts = list(dict.fromkeys(str(e) for e in errs))
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def _new_requirement(key: str, operator: str, values: list[str]) -> Requirement:
    """labels.NewRequirement: validates the key, the value count and every value."""
    errs = [FieldError.invalid("key", key, "; ".join(p)) for p in [is_qualified_name(key)] if p]
    if operator in ("in", "notin") and not values:
        errs.append(
            FieldError.invalid(
                "values", values, "for 'in', 'notin' operators, values set can't be empty"
            )
        )
    elif operator in ("=", "==", "!=") and len(values) != 1:
        errs.append(
            FieldError.invalid(
                "values", values, "exact-match compatibility requires one single value"
            )
        )
    elif operator in ("exists", "!") and values:
        errs.append(
            FieldError.invalid(
                "values", values, "values set must be empty for exists and does not exist"
            )
        )
    elif operator in ("gt", "lt"):
        if len(values) != 1:
            errs.append(
                FieldError.invalid(
                    "values", values, "for 'Gt', 'Lt' operators, exactly one value is required"
                )
            )
        for i, value in enumerate(values):
            if not _INT64.fullmatch(value) or not -(2**63) <= int(value) < 2**63:
                errs.append(
                    FieldError.invalid(
                        f"values[{i}]",
                        value,
                        "for 'Gt', 'Lt' operators, the value must be an integer",
                    )
                )
    for i, value in enumerate(values):
        problems = is_valid_label_value(value)
        if problems:
            errs.append(FieldError.invalid(f"values[{i}][{key}]", value, "; ".join(problems)))
    if errs:
        raise SelectorError(_aggregate(errs))
    return Requirement(key, operator, tuple(values))


def parse_selector(text: str) -> Selector:
    """labels.Parse: the `kubectl -l` syntax (=, ==, !=, in, notin, key, !key, >, <).

    >>> str(parse_selector("tier in (web,api), app=shop, !canary"))
    'app=shop,!canary,tier in (api,web)'
    """
    return Selector(_Parser(text).parse())


def selector_from_set(labels: dict[str, str] | None) -> Selector:
    """labels.SelectorFromSet: every key equal to its value; an empty set matches everything."""
    return Selector([Requirement(k, "=", (v,)) for k, v in (labels or {}).items()])


def selector_from_label_selector(selector: dict | None) -> Selector:
    """metav1.LabelSelectorAsSelector: None matches nothing, `{}` matches everything."""
    if selector is None:
        return Selector.nothing()
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return Selector()
    found = [_new_requirement(k, "=", [v]) for k, v in match_labels.items()]
    for expr in expressions:
        operator = _EXPRESSION_OPERATORS.get(expr.get("operator", ""))
        if operator is None:
            raise SelectorError(
                f"{go_quote(expr.get('operator', ''))} is not a valid label selector operator"
            )
        found.append(
            _new_requirement(expr.get("key", ""), operator, list(expr.get("values") or []))
        )
    return Selector(found)


def validate_label_selector(selector: dict | None, field: str) -> list[FieldError]:
    """ValidateLabelSelector (invalid label values refused, as on create)."""
    if selector is None:
        return []
    errs = validate_labels(selector.get("matchLabels"), f"{field}.matchLabels")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        path = f"{field}.matchExpressions[{i}]"
        operator, values = expr.get("operator", ""), expr.get("values") or []
        if operator in ("In", "NotIn"):
            if not values:
                errs.append(
                    FieldError.required(
                        f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"
                    )
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errs.append(
                    FieldError.forbidden(
                        f"{path}.values",
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errs.append(
                FieldError.invalid(f"{path}.operator", operator, "not a valid selector operator")
            )
        errs.extend(validate_label_name(expr.get("key", ""), f"{path}.key"))
        for j, value in enumerate(values):
            errs.extend(
                FieldError.invalid(f"{path}.values[{j}]", value, msg)
                for msg in is_valid_label_value(value)
            )
    return errs


def go_label_selector(selector: dict | None) -> GoValue:
    """`%#v` of a metav1.LabelSelector, as `field is immutable` errors show it."""
    if selector is None:
        return GoValue('"null"')
    labels = selector.get("matchLabels")
    if labels is None:
        shown_labels = "map[string]string(nil)"
    else:
        body = ", ".join(f"{go_quote(k)}:{go_quote(v)}" for k, v in sorted(labels.items()))
        shown_labels = "map[string]string{" + body + "}"
    expressions = selector.get("matchExpressions")
    if expressions is None:
        shown_expressions = "[]v1.LabelSelectorRequirement(nil)"
    else:
        parts = []
        for expr in expressions:
            values = expr.get("values")
            shown_values = (
                "[]string(nil)"
                if values is None
                else "[]string{" + ", ".join(go_quote(v) for v in values) + "}"
            )
            parts.append(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(expr.get('key', ''))}, "
                f"Operator:{go_quote(expr.get('operator', ''))}, "
                f"Values:{shown_values}}}"
            )
        shown_expressions = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    return GoValue(
        f"v1.LabelSelector{{MatchLabels:{shown_labels}, MatchExpressions:{shown_expressions}}}"
    )
