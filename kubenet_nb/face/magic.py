"""`%kubectl` and `%%kubectl`: kubectl command lines in notebook cells, on the current cluster.

Output goes where kubectl writes it: stdout to `sys.stdout`, stderr (warnings, errors) to
`sys.stderr`, which Jupyter shows as the red stream. A refused command prints kubectl's error and
the cell still succeeds, as a terminal shows the message and carries on; only a misuse of the magic
itself raises IPython's `UsageError`. `%load_ext kubenet_nb` registers the magics.
"""

from __future__ import annotations

import sys
from itertools import groupby
from operator import itemgetter
from typing import TextIO

from IPython.core.error import UsageError
from IPython.core.interactiveshell import InteractiveShell
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.face.context import current
from kubenet_nb.kubectl.main import execute, split_command_line

__all__ = ["KubectlMagics", "commands", "reads_stdin", "register", "run", "unregister"]

_BODY_UNUSED = (
    'the cell body is read only as the standard input of "-f -", as in "%%kubectl apply -f -", '
    'or as the edited buffer of "edit"; '
    'to run several commands, write "%%kubectl" alone on the first line and one command per line '
    "below it"
)


@magics_class
class KubectlMagics(Magics):
    """The `kubectl` line and cell magics."""

    @no_var_expand
    @line_cell_magic
    def kubectl(self, line: str, cell: str | None = None) -> None:
        """Run kubectl on the current cluster (`kubenet_nb.use(c)`; a default one otherwise).

        %kubectl get pods -o wide
            One command line, printed as kubectl prints it.

        %%kubectl apply -f -
            The first line is the command; the cell body is its standard input (YAML or JSON).
            The body is read only by a command with "-f -" (or --filename=-).

        %%kubectl edit deploy/web
            `edit` has no editor here: the cell body is the edited buffer, as if saved from
            the editor kubectl opens.

        %%kubectl
            Alone on the first line: each line of the body is a command, run in order like a
            shell script. A refused command prints its error and the next one still runs. Blank
            lines and lines starting with "#" are skipped; a line ending in a backslash continues
            on the next line; a leading "kubectl" is allowed. A command with "-f -" takes the
            rest of the cell as its standard input.

        The line reaches kubectl as typed: no `$name` or `{expression}` substitution, so braces
        and dollars in values stay literal. Errors print as kubectl prints them, on stderr,
        without a Python traceback.
        """
        for command in commands(line, cell):
            run(command)


def reads_stdin(line: str) -> bool:
    """Whether a command line reads its standard input: `-f -` in one of pflag's spellings,
    or `edit`, whose edited buffer comes as its standard input.

    >>> reads_stdin("apply -f -"), reads_stdin("create --filename=- -n demo")
    (True, True)
    >>> reads_stdin("apply -f web.yaml"), reads_stdin("kubectl edit deploy/web")
    (False, True)

    A line that cannot be split counts as reading, so that kubectl reports what is wrong with it.
    """
    try:
        argv = split_command_line(line)
    except ValueError:
        return True
    verb = argv[1:2] if argv[:1] == ["kubectl"] else argv[:1]
    if verb == ["edit"]:
        return True
    for i, token in enumerate(argv):
        if token in ("-f-", "-f=-", "--filename=-"):
            return True
        if token in ("-f", "--filename") and argv[i + 1 : i + 2] == ["-"]:
            return True
    return False


def commands(line: str, cell: str | None) -> list[str]:
    """The kubectl command lines a magic runs, each with its standard input after a newline.

    >>> commands("get pods", None)
    ['get pods']
    >>> commands("apply -f -", "kind: Namespace\\n")
    ['apply -f -\\nkind: Namespace\\n']
    >>> commands("", "# the pods\\nget pods\\n\\nkubectl get svc \\\\\\n  -o wide\\n")
    ['get pods', 'kubectl get svc   -o wide']
    >>> commands("", "create namespace demo\\napply -n demo -f -\\nkind: Namespace\\n")
    ['create namespace demo', 'apply -n demo -f -\\nkind: Namespace\\n']
    """
    if cell is None:
        return [line]
    if line.strip():
        if cell.strip() and not reads_stdin(line):
            raise UsageError(_BODY_UNUSED)
        return [f"{line}\n{cell}"]
    return _script(cell) or [""]


def _script(cell: str) -> list[str]:
    found: list[str] = []
    lines = cell.splitlines(keepends=True)
    pending = ""
    for i, raw in enumerate(lines):
        text = raw.rstrip("\r\n")
        if text.endswith("\\"):
            pending += text[:-1]
            continue
        command, pending = (pending + text).strip(), ""
        if not command or command.startswith("#"):
            continue
        if reads_stdin(command):
            return [*found, command + "\n" + "".join(lines[i + 1 :])]
        found.append(command)
    if pending.strip():
        found.append(pending.strip())
    return found


def run(command: str) -> None:
    """Run one command line on the current cluster; write its stdout and stderr in order."""
    try:
        cluster = current()
        parts = execute(cluster.control_plane, command, cluster.proxy).parts
    except KubenetError as error:
        parts = [("err", f"{error}\n")]
    for stream, group in groupby(parts, key=itemgetter(0)):
        _write(stream, "".join(text for _, text in group))


def _write(stream: str, text: str) -> None:
    # Flushed at once: ipykernel buffers each stream on its own, and kubectl's order of warnings
    # and results must survive.
    target: TextIO = sys.stdout if stream == "out" else sys.stderr
    target.write(text)
    target.flush()


def register(ipython: InteractiveShell) -> None:
    """Add `%kubectl` and `%%kubectl` to an IPython shell."""
    ipython.register_magics(KubectlMagics)


def unregister(ipython: InteractiveShell) -> None:
    """Remove what `register` added."""
    manager = ipython.magics_manager
    manager.registry.pop(KubectlMagics.__name__, None)
    for kind in ("line", "cell"):
        manager.magics[kind].pop("kubectl", None)
