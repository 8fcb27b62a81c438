"""A shell command line split as sh does it: words, quotes, `$VAR` expansion, `;` `&&` `||`.

Enough of POSIX sh for one-liners (`sh -c 'curl -s webapp1; echo'`): single and double
quotes, backslashes, `$NAME`, `${NAME}` and `$?`, assignments, and lists joined by newlines,
`;`, `&&` and `||`. Pipes, redirections, background jobs, substitutions and compound commands
(`for`, `if`, ...) are not simulated: they raise a KubenetError saying so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kubenet_nb.api.errors import KubenetError

__all__ = ["Command", "parse_script"]

Command = tuple[str, list[str]]
"""(the operator joining it to the previous command: "", ";", "&&" or "||"; its words)."""

RESERVED = "if then else elif fi for while until do done case esac function { } ! [[ ]]".split()
_UNSUPPORTED = {"|": "pipes", "<": "redirections", ">": "redirections", "&": "background jobs"}
_UNSUPPORTED |= {"`": "command substitution", "(": "subshells", ")": "subshells"}
_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"


def _not_simulated(what: str) -> KubenetError:
    return KubenetError(f"shell {what} are not simulated by kubenet-nb")


class _Lexer:
    def __init__(self, text: str, lookup: Callable[[str], str]) -> None:
        self.text, self.lookup, self.i = text, lookup, 0

    def peek(self, offset: int = 0) -> str:
        j = self.i + offset
        return self.text[j] if j < len(self.text) else ""

    def variable(self) -> str:
        """After a `$`: the expansion of NAME, {NAME} or ?."""
        if self.peek() == "{":
            end = self.text.find("}", self.i)
            if end < 0:
                raise KubenetError("sh: bad substitution")
            name, self.i = self.text[self.i + 1 : end], end + 1
            return self.lookup(name)
        if self.peek() == "?":
            self.i += 1
            return self.lookup("?")
        if self.peek() == "(":
            raise _not_simulated("command substitutions")
        start = self.i
        while self.peek() and self.peek() in _NAME_CHARS:
            self.i += 1
        if start == self.i:
            return "$"
        return self.lookup(self.text[start : self.i])

    def quoted(self, quote: str) -> str:
        word = ""
        while True:
            char = self.peek()
            if not char:
                raise KubenetError(f"sh: unterminated quoted string ({quote})")
            self.i += 1
            if char == quote:
                return word
            if quote == '"' and char == "$":
                word += self.variable()
            elif quote == '"' and char == "\\" and self.peek() in '"\\$`':
                word += self.peek()
                self.i += 1
            elif quote == '"' and char == "`":
                raise _not_simulated("command substitutions")
            else:
                word += char

    def tokens(self) -> Iterator[tuple[str, str]]:
        """("word", text) and ("op", operator) tokens."""
        word, started = "", False
        while self.i <= len(self.text):
            char = self.peek()
            if char in ("", " ", "\t", "\n", ";") or (char in "&|" and self.peek(1) == char):
                if started:
                    yield "word", word
                word, started = "", False
                if not char:
                    return
                if char in "&|":
                    yield "op", char * 2
                    self.i += 2
                    continue
                if char in "\n;":
                    yield "op", ";"
                self.i += 1
            elif char in _UNSUPPORTED:
                raise _not_simulated(_UNSUPPORTED[char])
            elif char == "#" and not started:
                while self.peek() and self.peek() != "\n":
                    self.i += 1
            elif char in "'\"":
                self.i += 1
                word, started = word + self.quoted(char), True
            elif char == "\\":
                word, started = word + self.peek(1), True
                self.i += 2
            elif char == "$":
                self.i += 1
                word, started = word + self.variable(), True
            else:
                word, started = word + char, True
                self.i += 1


def parse_script(text: str, lookup: Callable[[str], str]) -> Iterator[Command]:
    """The simple commands of a script, each with the operator before it, one at a time:
    `lookup` expands variables as the lexer reaches them, so `$?` sees the commands run so
    far."""
    operator = ""
    words: list[str] = []
    for kind, value in _Lexer(text, lookup).tokens():
        if kind == "word":
            if not words and value in RESERVED:
                raise _not_simulated(f"compound commands ({value})")
            words.append(value)
            continue
        if words:
            yield operator, words
        elif value != ";":
            raise KubenetError(f'sh: syntax error: unexpected "{value}"')
        operator, words = value, []
    if words:
        yield operator, words
