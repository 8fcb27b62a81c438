"""kubectl's command line: split it, find the command, run it, print what kubectl v1.33 prints.

`run_kubectl(cluster, "kubectl expose deploy webapp1 --port=80")` returns what a terminal
shows, stdout and stderr in the order kubectl writes them (`Warning:` lines first). A refusal
before anything was printed raises the `KubenetError` whose str() is kubectl's stderr text; once
something was printed (`delete pod a missing b`), the error text is appended instead. Standard
input follows the command line after a newline: `"apply -f -\\n" + yaml`. The commands
themselves are registered in `kubenet_nb.kubectl.commands`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.kubectl.command import Invocation, KubectlOutput, Terminal, first_argument
from kubenet_nb.kubectl.commands import COMMANDS, READERS

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.network.proxy import ProxySettings

__all__ = ["KUBECTL_COMMANDS", "execute", "run_kubectl", "split_command_line", "suggestions_for"]

# Every top-level command in the order kubectl v1.33 registers them (k8s.io/kubectl/pkg/cmd/
# cmd.go); cobra suggests in this order. Checked against kubectl v1.33.1's "Did you mean this?".
KUBECTL_COMMANDS = (
    "create expose run set explain get edit delete rollout scale autoscale certificate "
    "cluster-info top cordon uncordon drain taint describe logs attach exec port-forward proxy "
    "cp auth debug events diff apply patch replace wait kustomize label annotate completion "
    "config plugin version api-versions api-resources options"
).split()
# Cobra's SuggestFor of some commands, as kubectl v1.33.1 answers `kubectl rm|list|ps`.
SUGGEST_FOR = {"get": ("list", "ps"), "delete": ("rm",), "wait": ("list", "ps")}


# shlex.split's alphabet (posix, whitespace_split, no comments): what ends or starts a piece.
_WORD_END = re.compile(r"[ \t\r\n'\"\\]")
_DOUBLE_QUOTED_END = re.compile(r'["\\]')


def split_command_line(line: str) -> list[str]:
    r"""Split a command line into words exactly as `shlex.split(line)` does, in linear time.

    shlex grows each word one character at a time (quadratic on a megabyte-long value); this
    reads runs between special characters with one regex search each. POSIX rules: whitespace
    is space, tab, CR and LF; single quotes are literal; in double quotes a backslash escapes
    only `"` and `\` (else it stays); outside quotes it escapes any character. Errors are shlex's
    ValueErrors: `No closing quotation`, `No escaped character`.

    >>> split_command_line("annotate pod x 'a b'=\"c\\\"d\" e\\ f ''")
    ['annotate', 'pod', 'x', 'a b=c"d', 'e f', '']
    """
    words: list[str] = []
    pieces: list[str] | None = None  # the word being read; None between words
    i, end = 0, len(line)
    while i < end:
        found = _WORD_END.search(line, i)
        stop = found.start() if found else end
        if stop > i:
            pieces = pieces if pieces is not None else []
            pieces.append(line[i:stop])
        if found is None:
            break
        char = line[stop]
        if char in " \t\r\n":
            if pieces is not None:
                words.append("".join(pieces))
                pieces = None
            i = stop + 1
            continue
        pieces = pieces if pieces is not None else []
        if char == "\\":
            if stop + 1 >= end:
                raise ValueError("No escaped character")
            pieces.append(line[stop + 1])
            i = stop + 2
        elif char == "'":
            close = line.find("'", stop + 1)
            if close < 0:
                raise ValueError("No closing quotation")
            pieces.append(line[stop + 1 : close])
            i = close + 1
        else:
            i = _double_quoted(line, stop + 1, pieces)
    if pieces is not None:
        words.append("".join(pieces))
    return words


def _double_quoted(line: str, start: int, pieces: list[str]) -> int:
    """Read a double-quoted piece from after its opening quote; return where it ends."""
    i = start
    while True:
        found = _DOUBLE_QUOTED_END.search(line, i)
        if found is None:
            raise ValueError("No closing quotation")
        stop = found.start()
        pieces.append(line[i:stop])
        if line[stop] == '"':
            return stop + 1
        if stop + 1 >= len(line):
            raise ValueError("No escaped character")
        escaped = line[stop + 1]
        pieces.append(escaped if escaped in '"\\' else "\\" + escaped)
        i = stop + 2


def _levenshtein(a: str, b: str) -> int:
    a, b = a.lower(), b.lower()
    row = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        previous, row[0] = row[0], i
        for j, char_b in enumerate(b, 1):
            current = row[j]
            row[j] = previous if char_a == char_b else min(row[j], row[j - 1], previous) + 1
            previous = current
    return row[-1]


def suggestions_for(typed: str) -> list[str]:
    """Cobra's SuggestionsFor: distance <= 2, a prefix match, or the command's SuggestFor."""
    found = []
    for name in KUBECTL_COMMANDS:
        close = _levenshtein(typed, name) <= 2 or name.startswith(typed.lower())
        if close:
            found.append(name)
        found.extend(name for word in SUGGEST_FOR.get(name, ()) if word == typed.lower())
    return found


def execute(cluster: ControlPlane, command: str, proxy: ProxySettings | None = None) -> Terminal:
    """Run one command line; the Terminal holds stdout and stderr as kubectl wrote them."""
    line, _, stdin = command.partition("\n")
    try:
        argv = split_command_line(line)
    except ValueError as error:
        raise KubectlError(f"cannot split the command line: {error}") from None
    if argv[:1] == ["kubectl"]:
        argv = argv[1:]
    name, rest = first_argument(argv)
    if name is None:
        raise KubectlError('a command is required, e.g. "kubectl get pods"')
    invocation = Invocation(cluster, rest, stdin, proxy=proxy)
    if name in READERS:
        invocation.terminal.parts.append(("out", READERS[name](cluster, rest)))
        return invocation.terminal
    if name not in COMMANDS:
        if name in KUBECTL_COMMANDS or name == "help":
            raise KubectlError(f'"kubectl {name}" is not supported by kubenet-nb')
        message = f'unknown command "{name}" for "kubectl"'
        if suggestions := suggestions_for(name):
            message += "\n\nDid you mean this?\n" + "\n".join(f"\t{s}" for s in suggestions)
        raise KubectlError(message)
    try:
        COMMANDS[name](invocation)
    except KubenetError as error:
        if not invocation.terminal.parts:
            raise
        invocation.terminal.err(str(error))
        invocation.terminal.exit_code = 1
    return invocation.terminal


def run_kubectl(
    cluster: ControlPlane, command: str, proxy: ProxySettings | None = None
) -> KubectlOutput:
    """Run one kubectl command line against the cluster: what kubectl prints, its exit status."""
    return execute(cluster, command, proxy).output()
