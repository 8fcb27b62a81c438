"""Go's strconv.ParseUint and ParseInt, which kubectl's flags and go-yaml's resolver both call.

Behaviour of golang/go src/strconv/atoi.go (Go 1.24, what kubectl v1.33 is built with): base 0
reads `0x`/`0o`/`0b` prefixes, a leading `0` as octal and `_` between digits; digits are read
byte by byte (anything else, non-ASCII digits included, is `invalid syntax`), and the first
digit that overflows stops the parse with `value out of range`, so a number of any length costs
only as many steps as its bit size allows.
"""

from __future__ import annotations

from kubenet_nb.api.meta import go_quote

__all__ = ["NumError", "parse_int", "parse_uint"]

_PREFIXES = {"b": 2, "o": 8, "x": 16}


class NumError(ValueError):
    """strconv.NumError: `strconv.ParseInt: parsing "x": invalid syntax`."""

    def __init__(self, func: str, num: str, reason: str) -> None:
        super().__init__(f"strconv.{func}: parsing {go_quote(num)}: {reason}")
        self.func, self.num, self.reason = func, num, reason

    @property
    def out_of_range(self) -> bool:
        return self.reason == "value out of range"


def parse_uint(text: str, base: int = 0, bits: int = 64, func: str = "ParseUint") -> int:
    """strconv.ParseUint(text, base, bits).

    >>> parse_uint("0x10"), parse_uint("0_7"), parse_uint("1" * 5000, bits=8)
    Traceback (most recent call last):
    kubenet_nb.api.strconv.NumError: strconv.ParseUint: parsing "11111...": value out of range
    """
    if not text:
        raise NumError(func, text, "invalid syntax")
    body, prefixed = text, base == 0
    if base == 0:
        base = 10
        if text[0] == "0":
            if len(text) >= 3 and text[1].lower() in _PREFIXES:
                base, body = _PREFIXES[text[1].lower()], text[2:]
            else:
                base, body = 8, text[1:]
    limit = (1 << bits) - 1
    value, underscores = 0, False
    for char in body:
        if char == "_" and prefixed:
            underscores = True
            continue
        digit = int(char, 36) if char.isascii() and char.isalnum() else 36
        if digit >= base:
            raise NumError(func, text, "invalid syntax")
        value = value * base + digit
        if value > limit:
            raise NumError(func, text, "value out of range")
    if underscores and not _underscores_ok(text):
        raise NumError(func, text, "invalid syntax")
    return value


def parse_int(text: str, base: int = 0, bits: int = 64) -> int:
    """strconv.ParseInt(text, base, bits): a sign, then ParseUint's digits, then the range.

    >>> parse_int("-0x80", bits=8), parse_int("+1_000")
    (-128, 1000)
    """
    if not text:
        raise NumError("ParseInt", text, "invalid syntax")
    negative = text[0] == "-"
    body = text[1:] if text[0] in "+-" else text
    try:
        value = parse_uint(body, base, bits, "ParseInt")
    except NumError as error:
        if not error.out_of_range:
            raise NumError("ParseInt", text, error.reason) from None
        value = 1 << bits
    cutoff = 1 << (bits - 1)
    if value > cutoff or (value == cutoff and not negative):
        raise NumError("ParseInt", text, "value out of range")
    return -value if negative else value


def _underscores_ok(text: str) -> bool:
    """strconv.underscoreOK: each `_` sits between digits (a base prefix counts as a digit)."""
    body = text[1:] if text[:1] in "+-" else text
    hexadecimal = body[:2].lower() == "0x"
    seen = "digit" if body[:2].lower() in ("0b", "0o", "0x") else "start"
    for char in body[2:] if seen == "digit" else body:
        if (char.isascii() and char.isdigit()) or (hexadecimal and char.lower() in "abcdef"):
            seen = "digit"
        elif char == "_":
            if seen != "digit":
                return False
            seen = "_"
        elif seen == "_":
            return False
        else:
            seen = "other"
    return seen != "_"
