"""What kubectl's command modules share: the invocation, its terminal, flags with kubectl's
usage hints, printing, and cmdutil.CheckErr's rules for errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubectlError, KubenetError, StatusError
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags
from kubenet_nb.kubectl.printers import to_yaml

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.network.proxy import ProxySettings

__all__ = [
    "DRY_RUN_FLAG",
    "FILENAME_FLAGS",
    "NAMESPACE_FLAG",
    "OUTPUT_FLAG",
    "TEMPLATE_FLAGS",
    "Invocation",
    "KubectlOutput",
    "Terminal",
    "check_errors",
    "first_argument",
    "namespace_of",
    "parse_flags",
    "print_object",
    "printing",
    "require",
    "usage_error",
    "with_source",
]

NAMESPACE_FLAG = Flag("namespace", "n")
OUTPUT_FLAG = Flag("output", "o", default="")
DRY_RUN_FLAG = Flag("dry-run", default="none")
FILENAME_FLAGS = (
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool"),
    Flag("kustomize", "k"),
)
"""`-f` and `-R` (cmdutil.AddFilenameOptionFlags) and `-k` (AddKustomizeFlag) of the verbs
that read manifests."""
TEMPLATE_FLAGS = (
    Flag("allow-missing-template-keys", kind="bool", default=True),
    Flag("show-managed-fields", kind="bool"),
    Flag("template", default=""),
)
"""The printing flags genericclioptions.PrintFlags adds besides `-o`."""
_PRINTER_FORMATS = "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file"
_PRINTER_FORMATS += ",name,template,templatefile,yaml"


class KubectlOutput(str):
    """What a kubectl command printed, stdout and stderr in order, with its exit status (1 when
    it printed results and then failed, as `kubectl apply -f` does when one document fails)."""

    exit_code: int
    stderr: str

    def __new__(cls, text: str, exit_code: int = 0, stderr: str = "") -> KubectlOutput:
        output = super().__new__(cls, text)
        output.exit_code, output.stderr = exit_code, stderr
        return output


@dataclass
class Terminal:
    """What kubectl wrote, in order; each part is (stream, text), stream "out" or "err"."""

    parts: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int = 0

    def out(self, line: str) -> None:
        """Write one line to stdout."""
        self.parts.append(("out", line + "\n"))

    def err(self, line: str) -> None:
        """Write one line (or several) to stderr."""
        self.parts.append(("err", line + "\n"))

    def warnings(self, cluster: ControlPlane) -> None:
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

    @property
    def stderr(self) -> str:
        """What went to stderr only."""
        return "".join(text for stream, text in self.parts if stream == "err")

    def output(self) -> KubectlOutput:
        """Everything, with the exit status."""
        return KubectlOutput(self.text, self.exit_code, self.stderr)


@dataclass
class Invocation:
    """One command: the cluster, its arguments after the command name, stdin, the output."""

    cluster: ControlPlane
    argv: list[str]
    stdin: str = ""
    terminal: Terminal = field(default_factory=Terminal)
    proxy: ProxySettings | None = None
    """kube-proxy's settings, for the connections a command in a pod opens (`exec`)."""


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
    group = str(obj.get("apiVersion") or "").rpartition("/")[0]
    kind = obj["kind"].lower() + (f".{group}" if group else "")
    name = f"{kind}/{obj['metadata']['name']}"
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
