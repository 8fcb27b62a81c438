"""UnquoteExtend: a quoted string in a JSONPath action, single or double quotes, Go escapes.

client-go util/jsonpath parser.go @ v0.33.0 `UnquoteExtend` over Go's strconv.UnquoteChar.
"""

from __future__ import annotations

__all__ = ["unquote_extend"]

_SIMPLE = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


def unquote_extend(text: str) -> str:
    """The string inside the quotes, escapes resolved; ValueError("invalid syntax") otherwise.

    >>> unquote_extend('"a\\\\tb"'), unquote_extend("'it'"), unquote_extend('"\\\\u00e9"')
    ('a\\tb', 'it', 'é')
    """
    if len(text) < 2 or text[0] != text[-1] or text[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote, body = text[0], text[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == quote:
            raise ValueError("invalid syntax")
        if char != "\\":
            out.append(char)
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("invalid syntax")
        escape = body[i + 1]
        i += 2
        if escape in _SIMPLE:
            out.append(_SIMPLE[escape])
        elif escape in "'\"":
            if escape != quote:
                raise ValueError("invalid syntax")
            out.append(escape)
        elif escape in _HEX_DIGITS:
            digits = body[i : i + _HEX_DIGITS[escape]]
            if len(digits) != _HEX_DIGITS[escape] or not _is_hex(digits):
                raise ValueError("invalid syntax")
            i += len(digits)
            value = int(digits, 16)
            if escape != "x" and (value > 0x10FFFF or 0xD800 <= value < 0xE000):
                raise ValueError("invalid syntax")
            out.append(chr(value))
        elif escape in "01234567":
            digits = body[i - 1 : i + 2]
            if len(digits) != 3 or any(d not in "01234567" for d in digits) or int(digits, 8) > 255:
                raise ValueError("invalid syntax")
            i += 2
            out.append(chr(int(digits, 8)))
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


def _is_hex(text: str) -> bool:
    return all(c in "0123456789abcdefABCDEF" for c in text)
