"""kubectl's command line: split it, find the command, run it, print what kubectl v1.33 prints.

`run_kubectl(cluster, "kubectl expose deploy webapp1 --port=80")` returns what a terminal
shows, stdout and stderr in the order kubectl writes them (`Warning:` lines first). A refusal
before anything was printed raises the `KubenetError` whose str() is kubectl's stderr text; once
something was printed (`delete pod a missing b`), the error text is appended instead. Standard
input follows the command line after a newline: `"apply -f -\\n" + yaml`. Also here: what the
command modules share (flags with kubectl's usage hints, printing, cmdutil.CheckErr's rules).
"""

from __future__ import annotations

import importlib
import shlex
from dataclasses import dataclass, field
from typing import Any, Protocol

from kubenet_nb.api.errors import KubectlError, KubenetError, StatusError
from kubenet_nb.api.kinds import by_kind
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags
from kubenet_nb.kubectl.printers import to_yaml

__all__ = [
    "COMMANDS",
    "DRY_RUN_FLAG",
    "NAMESPACE_FLAG",
    "OUTPUT_FLAG",
    "ClusterLike",
    "Invocation",
    "Terminal",
    "check_errors",
    "execute",
    "first_argument",
    "namespace_of",
    "parse_flags",
    "print_object",
    "printing",
    "require",
    "run_kubectl",
    "suggestions_for",
    "usage_error",
    "with_source",
]

NAMESPACE_FLAG = Flag("namespace", "n")
OUTPUT_FLAG = Flag("output", "o", default="")
DRY_RUN_FLAG = Flag("dry-run", default="none")
_PRINTER_FORMATS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file"
_PRINTER_FORMATS += ",name,template,templatefile,yaml"

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

COMMANDS = dict(
    entry.split("=")
    for entry in (
        "create=create:run expose=expose:run run=run_cmd:run scale=scale:run delete=delete:run "
        "label=label:run_label annotate=label:run_annotate apply=apply:run "
        "cordon=nodes:run_cordon uncordon=nodes:run_uncordon drain=nodes:run_drain "
        "exec=exec_cmd:run"
    ).split()
)
"""Command -> `module:function` in kubenet_nb.kubectl: `function(Invocation) -> None`."""
READERS = {"get": "get:run", "describe": "describe:run"}  # function(cluster, argv) -> str


class ClusterLike(Protocol):
    """The part of the Cluster facade the kubectl commands use."""

    last_warnings: list[str]
    random: Any

    def advance(self, seconds: float) -> None: ...

    def create(self, obj: dict) -> dict: ...

    def update(self, obj: dict) -> dict: ...

    def get(self, kind: str, name: str, namespace: str = ...) -> dict: ...

    def list(self, kind: str, namespace: str | None = ..., selector: str | None = ...) -> list: ...

    def delete(
        self, kind: str, name: str, namespace: str = ..., grace_period: int | None = ...
    ) -> dict: ...

    def apply_object(self, obj: dict) -> tuple[dict, str]: ...


@dataclass
class Terminal:
    """What kubectl wrote, in order; each part is (stream, text), stream "out" or "err"."""

    parts: list[tuple[str, str]] = field(default_factory=list)

    def out(self, line: str) -> None:
        """Write one line to stdout."""
        self.parts.append(("out", line + "\n"))

    def err(self, line: str) -> None:
        """Write one line (or several) to stderr."""
        self.parts.append(("err", line + "\n"))

    def warnings(self, cluster: ClusterLike) -> None:
        """The API server's warnings for the last write, as client-go's warning handler prints."""
        for warning in cluster.last_warnings:
            self.err(f"Warning: {warning}")

    @property
    def text(self) -> str:
        """Everything, as a terminal shows it."""
        return "".join(text for _, text in self.parts)

    @property
    def stdout(self) -> str:
        """What went to stdout only."""
        return "".join(text for stream, text in self.parts if stream == "out")


@dataclass
class Invocation:
    """One command: the cluster, its arguments after the command name, stdin, the output."""

    cluster: ClusterLike
    argv: list[str]
    stdin: str = ""
    terminal: Terminal = field(default_factory=Terminal)


def parse_flags(flags: FlagSet, argv: list[str], path: str) -> ParsedFlags:
    """pflag parsing; errors carry kubectl's `See 'kubectl expose --help' for usage.` line."""
    try:
        return flags.parse(argv)
    except KubectlError as error:
        raise KubectlError(f"{error.message}\nSee '{path} --help' for usage.") from None


def usage_error(message: str, path: str) -> KubectlError:
    """cmdutil.UsageErrorf: the message and `See 'kubectl run -h' for help and examples`."""
    return KubectlError(f"{message}\nSee '{path} -h' for help and examples")


def require(parsed: ParsedFlags, *names: str) -> None:
    """Cobra's required flags check (after parsing, before the command runs)."""
    missing = [name for name in names if name not in parsed.changed]
    if missing:
        quoted = '", "'.join(missing)
        raise KubectlError(f'required flag(s) "{quoted}" not set')


def namespace_of(parsed: ParsedFlags) -> tuple[str, bool]:
    """The namespace to use and whether the user named it (kubectl's enforceNamespace)."""
    namespace = parsed.values.get("namespace")
    return (namespace, True) if namespace else ("default", False)


def printing(parsed: ParsedFlags) -> tuple[str, bool]:
    """The -o format ("", "name" or "yaml") and whether --dry-run=client, as kubectl checks."""
    dry_run = parsed.values.get("dry-run", "none")
    if dry_run not in ("none", "client", "server"):
        raise KubectlError(
            f'Invalid dry-run value ({dry_run}). Must be "none", "server", or "client".'
        )
    if dry_run == "server":
        raise KubectlError("--dry-run=server is not supported by kubenet-nb")
    output = parsed.values.get("output") or ""
    if output not in ("", "name", "yaml"):
        if output in _PRINTER_FORMATS.split(","):
            raise KubectlError(f'output format "{output}" is not supported by kubenet-nb')
        raise KubectlError(
            f'unable to match a printer suitable for the output format "{output}", allowed '
            f"formats are: {_PRINTER_FORMATS}"
        )
    return output, dry_run == "client"


def print_object(terminal: Terminal, obj: dict, operation: str, output: str, dry_run: bool) -> None:
    """cli-runtime's name printer (`deployment.apps/web created (dry run)`) or `-o yaml`."""
    if output == "yaml":
        terminal.parts.append(("out", to_yaml(obj)))
        return
    name = f"{by_kind(obj['kind']).qualified_kind}/{obj['metadata']['name']}"
    if output == "name":
        terminal.out(name)
    else:
        terminal.out(f"{name} {operation}" + (" (dry run)" if dry_run else ""))


def with_source(error: KubenetError, verb: str, source: str) -> KubenetError:
    """cmdutil.AddSourceToErr: `error when creating "STDIN": ...` inside the server's message."""
    if not source:
        return error
    if isinstance(error, StatusError):
        wrapped = type(error).__new__(type(error))
        wrapped.__dict__.update(error.__dict__)
        wrapped.message = f'error when {verb} "{source}": {error.message}'
        wrapped.args = (wrapped.message,)
        return wrapped
    message = error.message if isinstance(error, KubectlError) else str(error)
    return KubectlError(f'error when {verb} "{source}": {message}')


def check_errors(errors: list[KubenetError]) -> None:
    """Raise what cmdutil.CheckErr prints for a command's collected errors.

    One error prints as itself; several (an aggregate) print one per line without `error:`.
    """
    if len(errors) == 1:
        raise errors[0]
    if errors:
        lines = [str(e).removeprefix("error: ") for e in errors]
        raise KubectlError("\n".join(lines), prefix="")


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


def first_argument(
    argv: list[str], value_flags: tuple[str, ...] = ("-n", "--namespace")
) -> tuple[str | None, list[str]]:
    """The first argument that is not a flag nor a flag's value (a command), and the others."""
    i = 0
    while i < len(argv):
        if argv[i] in value_flags:
            i += 2
        elif argv[i].startswith("-"):
            i += 1
        else:
            return argv[i], argv[:i] + argv[i + 1 :]
    return None, argv


def _load(target: str) -> Any:
    module, _, function = target.partition(":")
    return getattr(importlib.import_module(f"kubenet_nb.kubectl.{module}"), function)


def execute(cluster: ClusterLike, command: str) -> Terminal:
    """Run one command line; the Terminal holds stdout and stderr as kubectl wrote them."""
    line, _, stdin = command.partition("\n")
    try:
        argv = shlex.split(line)
    except ValueError as error:
        raise KubectlError(f"cannot split the command line: {error}") from None
    if argv[:1] == ["kubectl"]:
        argv = argv[1:]
    name, rest = first_argument(argv)
    if name is None:
        raise KubectlError('a command is required, e.g. "kubectl get pods"')
    invocation = Invocation(cluster, rest, stdin)
    if name in READERS:
        invocation.terminal.parts.append(("out", _load(READERS[name])(cluster, rest)))
        return invocation.terminal
    if name not in COMMANDS:
        if name in KUBECTL_COMMANDS or name == "help":
            raise KubectlError(f'"kubectl {name}" is not supported by kubenet-nb')
        message = f'unknown command "{name}" for "kubectl"'
        if suggestions := suggestions_for(name):
            message += "\n\nDid you mean this?\n" + "\n".join(f"\t{s}" for s in suggestions)
        raise KubectlError(message)
    try:
        _load(COMMANDS[name])(invocation)
    except KubenetError as error:
        if not invocation.terminal.parts:
            raise
        invocation.terminal.err(str(error))
    return invocation.terminal


def run_kubectl(cluster: ClusterLike, command: str) -> str:
    """Run one kubectl command line against the cluster and return what kubectl prints."""
    return execute(cluster, command).text
