"""pflag-style flag parsing for kubectl commands: `--name=v`, `--name v`, `-n v`, `-nv`, bools.

Errors use pflag's words as kubectl prints them (`error: unknown flag: --foo`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.strconv import NumError, parse_int

__all__ = ["Flag", "FlagSet", "ParsedFlags"]


@dataclass(frozen=True)
class Flag:
    """One flag: long name, optional one-letter shorthand, kind, default.

    Kinds: str, bool, list, int (pflag's IntVar: Go's 64-bit int), int32 (Int32Var).
    """

    name: str
    shorthand: str = ""
    kind: str = "str"
    default: Any = None


@dataclass
class ParsedFlags:
    """Flag values by long name (defaults filled in), the positional arguments, what was set."""

    values: dict[str, Any]
    args: list[str]
    changed: set[str] = field(default_factory=set)
    after_dash: list[str] = field(default_factory=list)

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


class FlagSet:
    """The flags one kubectl command accepts."""

    def __init__(self, *flags: Flag) -> None:
        self._long = {f.name: f for f in flags}
        self._short = {f.shorthand: f for f in flags if f.shorthand}

    def parse(self, argv: list[str]) -> ParsedFlags:
        """Split argv into flag values and positional arguments, as pflag does (interspersed)."""
        values = {name: _default(f) for name, f in self._long.items()}
        parsed = ParsedFlags(values, [])
        i = 0
        while i < len(argv):
            arg = argv[i]
            i += 1
            if arg == "--":
                parsed.after_dash = argv[i:]
                break
            if arg.startswith("--") and len(arg) > 2:
                name, eq, value = arg[2:].partition("=")
                flag = self._long.get(name)
                if flag is None:
                    raise KubectlError(f"unknown flag: --{name}")
                if not eq and flag.kind != "bool":
                    if i >= len(argv):
                        raise KubectlError(f"flag needs an argument: --{name}")
                    value, i = argv[i], i + 1
                self._set(parsed, flag, value if (eq or flag.kind != "bool") else None, arg)
            elif arg.startswith("-") and len(arg) > 1:
                i = self._shorthands(parsed, arg, argv, i)
            else:
                parsed.args.append(arg)
        return parsed

    def _shorthands(self, parsed: ParsedFlags, arg: str, argv: list[str], i: int) -> int:
        """pflag's parseShortArg: `-n v`, `-nv`, `-n=v`, and bool letters combined (`-it`)."""
        rest = arg[1:]
        while rest:
            letter, rest = rest[0], rest[1:]
            flag = self._short.get(letter)
            if flag is None:
                raise KubectlError(f"unknown shorthand flag: '{letter}' in {arg}")
            if flag.kind == "bool":
                if rest.startswith("="):
                    self._set(parsed, flag, rest[1:], arg)
                    return i
                self._set(parsed, flag, None, arg)
                continue
            if rest.startswith("="):
                rest = rest[1:]
            if not rest:
                if i >= len(argv):
                    raise KubectlError(f"flag needs an argument: '{letter}' in -{letter}")
                rest, i = argv[i], i + 1
            self._set(parsed, flag, rest, arg)
            return i
        return i

    @staticmethod
    def _set(parsed: ParsedFlags, flag: Flag, value: str | None, arg: str) -> None:
        parsed.changed.add(flag.name)
        if flag.kind == "bool":
            if value is None:
                parsed.values[flag.name] = True
                return
            if value in _TRUE:
                parsed.values[flag.name] = True
            elif value in _FALSE:
                parsed.values[flag.name] = False
            else:
                raise _invalid(flag, value, "ParseBool", "invalid syntax")
        elif flag.kind in _INT_BITS:
            try:
                parsed.values[flag.name] = parse_int(value or "", 0, _INT_BITS[flag.kind])
            except NumError as error:
                raise _invalid(flag, value or "", "ParseInt", error.reason) from None
        elif flag.kind == "list":
            parsed.values[flag.name].append(value)
        else:
            parsed.values[flag.name] = value


# strconv.ParseBool's spellings (pflag's Bool flags): exactly these, not any casing.
_TRUE = ("1", "t", "T", "TRUE", "true", "True")
_FALSE = ("0", "f", "F", "FALSE", "false", "False")
# pflag's IntVar is Go's int (64 bits on kubectl's platforms); Int32Var parses with bitSize 32.
_INT_BITS = {"int": 64, "int32": 32}


def _invalid(flag: Flag, value: str, func: str, reason: str) -> KubectlError:
    """pflag's `invalid argument %q for %q flag: %v` around strconv's *NumError text."""
    quoted = go_quote(value)
    return KubectlError(
        f'invalid argument {quoted} for "{_spelled(flag)}" flag: '
        f"strconv.{func}: parsing {quoted}: {reason}"
    )


def _spelled(flag: Flag) -> str:
    return f"-{flag.shorthand}, --{flag.name}" if flag.shorthand else f"--{flag.name}"


def _default(flag: Flag) -> Any:
    if flag.kind == "list":
        return list(flag.default or [])
    if flag.default is None and flag.kind == "bool":
        return False
    return flag.default
