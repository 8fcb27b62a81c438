"""The `kubectl -l` selector grammar: labels.Parse, token for token, with upstream's refusals.

Follows the lexer and parser of k8s.io/apimachinery/pkg/labels/selector.go, so that a selector
that does not parse fails with apimachinery's exact error text.
"""

from __future__ import annotations

from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.names import is_qualified_name
from kubenet_nb.api.selectors.model import Requirement, Selector, SelectorError, new_requirement

__all__ = ["parse_selector"]

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
            return new_requirement(key, operator, [])
        tok, lit = self.take(values=False)
        if tok not in _OPERATORS:
            raise SelectorError(f"found '{lit}', expected: {_BINARY_OPERATORS}")
        operator = _OPERATORS[tok]
        values = self.value_set() if operator in ("in", "notin") else self.exact_value()
        return new_requirement(key, operator, sorted(values))

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


def parse_selector(text: str) -> Selector:
    """labels.Parse: the `kubectl -l` syntax (=, ==, !=, in, notin, key, !key, >, <).

    >>> str(parse_selector("tier in (web,api), app=shop, !canary"))
    'app=shop,!canary,tier in (api,web)'
    """
    return Selector(_Parser(text).parse())
