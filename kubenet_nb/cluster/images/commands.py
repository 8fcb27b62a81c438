"""Commands known to end: how long a container's process runs, its exit code and its output.

A container runs its argv (`command` and `args`, or what they leave of its image's ENTRYPOINT
and CMD) until the program ends. Only commands whose end is certain are simulated here; any
other program (a server, a shell without a script, a tool not listed) runs until the pod is
deleted, as before. Known:

- `sleep N` (busybox and coreutils: a number with an optional `s`/`m`/`h`/`d` suffix; several
  add up; `infinity` never ends), `true`, `:`, `false` and `/bin/false` (exit 1), `exit [N]`;
- `echo ...` (one line), `date` (`Wed Jan  1 00:05:00 UTC 2025`: busybox and coreutils'
  default format, in the pod's UTC), `hostname` (the pod's name);
- `perl -Mbignum=bpi -wle 'print bpi(N)'`, the Job example of the Kubernetes documentation
  (concepts/workloads/controllers/job.md): it prints pi to N significant digits; how long it
  computes is this simulation's choice (`PERL_PI_SECONDS` per 1,000 digits);
- a `sh -c` (bash, ash, dash) script of those, joined by `;`, newlines, `&&` and `||`, whose
  status is its last command's (pipes, background jobs, subshells and loops are not simulated).

A process ends `MIN_SECONDS` after it started at the earliest: the kubelet learns of the exit at
its next relist of the runtime (pkg/kubelet/kubelet.go genericPlegRelistPeriod, 1s).
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

__all__ = ["MIN_SECONDS", "PERL_PI_SECONDS", "Run", "command_run", "pi_digits"]

MIN_SECONDS = 1.0
PERL_PI_SECONDS = 2.5
"""Seconds Math::BigFloat takes per 1,000 digits of pi here (the documented example, 2,000
digits, ends 5s after it started)."""
_SHELLS = frozenset(("sh", "bash", "ash", "dash"))
_SEPARATORS = frozenset((";", "\n", "&&", "||"))
_UNSIMULATED = frozenset(("|", "&", "(", ")", "|&", ";;"))
_COMPOUND = frozenset(("while", "until", "for", "if", "case", "{", "function", "select"))
_SLEEP = re.compile(r"([0-9]*\.?[0-9]+)([smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
_BPI = re.compile(r"print\s+bpi\(\s*([0-9]+)\s*\)\s*;?")


@dataclass(frozen=True)
class Run:
    """What a process that ends does: how long it runs, its exit code, the lines it prints."""

    seconds: float
    code: int
    output: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Step:
    """One simple command's effect; `stop`: the script ends with it (`exit`)."""

    seconds: float
    code: int
    output: tuple[str, ...] = ()
    stop: bool = False


def pi_digits(digits: int) -> str:
    """pi to `digits` significant digits, rounded half to even (Math::BigFloat's default mode).

    >>> pi_digits(5), pi_digits(1)
    ('3.1416', '3')
    """
    guard = digits + 10
    scale = 10**guard

    def arctan_inverse(x: int) -> int:
        total, term, n, sign = 0, scale // x, 1, 1
        while term:
            total += sign * (term // n)
            term //= x * x
            n += 2
            sign = -sign
        return total

    pi = 16 * arctan_inverse(5) - 4 * arctan_inverse(239)
    drop = guard - digits + 1
    kept, rest = divmod(pi, 10**drop)
    half = 5 * 10 ** (drop - 1)
    if rest > half or (rest == half and kept % 2):
        kept += 1
    text = str(kept)
    return text[0] + ("." + text[1:] if len(text) > 1 else "")


def _sleep_seconds(words: Sequence[str]) -> float | None:
    """sleep's duration: the sum of its arguments; None for `infinity` or a bad argument."""
    total = 0.0
    for word in words:
        match = _SLEEP.fullmatch(word)
        if match is None:
            return None
        total += float(match.group(1)) * _UNITS[match.group(2)]
    return total if words else None


def _perl(words: Sequence[str]) -> _Step | None:
    """`perl -Mbignum=bpi -wle 'print bpi(N)'`: N digits of pi."""
    if "-Mbignum=bpi" not in words:
        return None
    script = next((w for w in words if _BPI.fullmatch(w.strip())), None)
    flags = [w for w in words if w.startswith("-") and w != "-Mbignum=bpi"]
    if script is None or not any("e" in flag for flag in flags):
        return None
    match = _BPI.fullmatch(script.strip())
    digits = int(match.group(1)) if match else 0
    return _Step(PERL_PI_SECONDS * digits / 1000, 0, (pi_digits(digits),))


def _step(words: list[str], status: int, started: datetime, pod: str) -> _Step | None:
    """One simple command, run `started` plus what ran before it; None when not simulated."""
    program, args = words[0].rsplit("/", 1)[-1], words[1:]
    if program == "exit":
        code = int(args[0]) % 256 if args and args[0].isdigit() else status
        return _Step(0, code, stop=True)
    if program in ("true", ":"):
        return _Step(0, 0)
    if program == "false":
        return _Step(0, 1)
    if program == "echo":
        shown = args[1:] if args[:1] == ["-n"] else args
        return _Step(0, 0, (" ".join(shown),))
    if program == "date" and not args:
        return _Step(
            0, 0, (f"{started:%a %b} {started.day:2d} {started:%H:%M:%S} UTC {started:%Y}",)
        )
    if program == "hostname" and not args:
        return _Step(0, 0, (pod,))
    if program == "sleep":
        seconds = _sleep_seconds(args)
        return None if seconds is None else _Step(seconds, 0)
    if program == "perl":
        return _perl(args)
    return None


def _script(text: str) -> list[tuple[str, list[str]]] | None:
    """A `sh -c` script as (the separator before it, words) per simple command."""
    try:
        lexer = shlex.shlex(text, posix=True, punctuation_chars=";&|()")
        lexer.whitespace = " \t\r"
        tokens = list(lexer)
    except ValueError:
        return None
    commands: list[tuple[str, list[str]]] = [(";", [])]
    for token in tokens:
        if token in _UNSIMULATED:
            return None
        if token in _SEPARATORS:
            commands.append((token, []))
        else:
            commands[-1][1].append(token)
    commands = [(sep, words) for sep, words in commands if words]
    if any(words[0] in _COMPOUND for _, words in commands):
        return None
    return commands


def command_run(argv: Sequence[str], started: datetime, pod: str) -> Run | None:
    """What the process `argv` does when it ends; None if it is not known to end.

    >>> command_run(["sh", "-c", "echo hi; exit 3"], datetime(2025, 1, 1), "p")
    Run(seconds=1.0, code=3, output=('hi',))
    >>> command_run(["sleep", "infinity"], datetime(2025, 1, 1), "p") is None
    True
    """
    if not argv:
        return None
    if argv[0].rsplit("/", 1)[-1] in _SHELLS and len(argv) >= 3 and argv[1] == "-c":
        commands = _script(argv[2])
    else:
        commands = [(";", list(argv))]
    if not commands:
        return None
    seconds, status = 0.0, 0
    output: list[str] = []
    for separator, words in commands:
        if (separator == "&&" and status != 0) or (separator == "||" and status == 0):
            continue
        step = _step(words, status, started, pod)
        if step is None:
            return None
        seconds += step.seconds
        status = step.code
        output.extend(step.output)
        if step.stop:
            break
    return Run(max(seconds, MIN_SECONDS), status, tuple(output))
