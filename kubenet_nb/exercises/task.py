"""Tasks: exercises where the learner changes the cluster, judged from the cluster's own state.

A task puts the cluster into a broken or incomplete state with the commands a learner could type
(`kubectl apply -f -`, `kubectl run`, `c.set_ready`), so that `kubectl get` shows it. The check
reads the engine's truth, never the learner's typing: EndpointSlices, the verdict of a trace,
the pods `send` reached. Hints come one at a time, in order; the solution shows the commands
that fix it, and `solve` runs them ("show me"). Checks trace with a fixed seed, so that checking
leaves the cluster's own traffic stream where it was.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from kubenet_nb.api.errors import KubenetError, NotFound
from kubenet_nb.exercises.base import Feedback

__all__ = ["RERUN", "Call", "Command", "Notice", "Task", "Transcript", "exists", "first_missing"]

RERUN = "Run the set-up cell again to start over."
"""What a check says when the set-up's objects are gone."""
_NOUNS = {"pod": "pod", "deployment": "Deployment", "service": "Service"}


def exists(cluster: Any, kind: str, name: str, namespace: str = "default") -> bool:
    """Whether the object is in the cluster."""
    try:
        cluster.get(kind, name, namespace)
    except NotFound:
        return False
    return True


def first_missing(cluster: Any, *objects: tuple[str, str]) -> Feedback | None:
    """The feedback for the first of the set-up's objects (kind, name) that is gone; None when
    all are there. A pod is the one the checks connect from."""
    for kind, name in objects:
        if not exists(cluster, kind, name):
            end = " to connect from" if kind == "pod" else ""
            return Feedback(False, f"There is no {_NOUNS[kind]} {name}{end}.", RERUN)
    return None


@dataclass(frozen=True)
class Command:
    """One kubectl command line as `Cluster.kubectl` takes it: standard input, when there is
    some, follows the first line (`"apply -f -\\n" + yaml`), shown as a shell here-document."""

    line: str
    unless: tuple[str, str] | None = None
    """(kind, name) of an object whose presence makes the command unnecessary (a client pod
    the notebook already runs), so set-up never fails on AlreadyExists."""
    only_if: tuple[str, str] | None = None
    """(kind, name) of an object without which the command is skipped (a delete)."""
    namespace: str = "default"
    """Where the `unless` and `only_if` objects are looked up."""

    def shown(self, cluster: Any = None) -> str:
        command, _, stdin = self.line.partition("\n")
        if not stdin:
            return f"$ kubectl {command}"
        return f"$ kubectl {command} <<EOF\n{stdin.rstrip()}\nEOF"

    def needed(self, cluster: Any) -> bool:
        if self.unless is not None and exists(cluster, *self.unless, self.namespace):
            return False
        return self.only_if is None or exists(cluster, *self.only_if, self.namespace)

    def run(self, cluster: Any) -> str:
        return str(cluster.kubectl(self.line))


@dataclass(frozen=True)
class Call:
    """A step made with the public Python API, shown as the call (`c.set_ready(pod, False)`,
    the cluster named `c` as in every notebook)."""

    code: Callable[[Any], str]
    """The call as written, worked out from the cluster (a generated pod name)."""
    act: Callable[[Any], object]

    def shown(self, cluster: Any) -> str:
        return f">>> {self.code(cluster)}"

    def needed(self, cluster: Any) -> bool:
        return True

    def run(self, cluster: Any) -> str:
        self.act(cluster)
        return ""


@dataclass(frozen=True)
class Transcript:
    """Commands and what each printed, as a terminal shows them (text and escaped HTML)."""

    title: str
    entries: tuple[tuple[str, str], ...]

    def _body(self) -> str:
        return "\n".join(part for entry in self.entries for part in entry if part)

    def __str__(self) -> str:
        return f"{self.title}\n{self._body()}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        body = self._body()
        return (
            f'<div class="kubenet-transcript"><b>{html.escape(self.title)}</b>'
            f'<pre style="margin:4px 0">{html.escape(body)}</pre></div>'
        )


@dataclass(frozen=True)
class Notice:
    """A titled paragraph: the task's statement, or one hint."""

    title: str
    text: str

    def __str__(self) -> str:
        return f"{self.title}: {self.text}"

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return (
            '<div class="kubenet-notice" style="border-left:4px solid #0969da;padding:4px 8px">'
            f"<b>{html.escape(self.title)}</b>: {html.escape(self.text)}</div>"
        )


class Task:
    """A change to make in the cluster, set up broken, checked from the cluster's state.

    `judge(cluster)` decides; it may raise a `KubenetError` (a pod the learner deleted), which
    `check` turns into feedback, so that a check never ends in a traceback.
    """

    def __init__(
        self,
        title: str,
        goal: str,
        setup: Sequence[Command | Call],
        judge: Callable[[Any], Feedback],
        hints: Sequence[str],
        solution: Sequence[Command],
    ) -> None:
        if not hints:
            raise ValueError("a task needs at least one hint")
        self.title, self.goal = title, goal
        self._setup, self._judge = tuple(setup), judge
        self._hints, self._solution = tuple(hints), tuple(solution)
        self._hints_shown = 0

    def statement(self) -> Notice:
        """What to do: a task left last in a cell shows it."""
        return Notice(self.title, self.goal)

    def __str__(self) -> str:
        return str(self.statement())

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        return self.statement()._repr_html_()

    def setup(self, cluster: Any) -> Transcript:
        """Run the set-up commands that are needed; what they printed, as a terminal shows."""
        return Transcript(f"Set-up of {self.title}", _run(self._setup, cluster))

    def check(self, cluster: Any) -> Feedback:
        """Judge the cluster as it is now."""
        try:
            return self._judge(cluster)
        except KubenetError as error:
            return Feedback(
                False,
                "The check could not look at the cluster.",
                f"{error} Run the set-up cell again to start over.",
            )

    def hint(self) -> Notice:
        """The next hint (the last one again once all were shown)."""
        self._hints_shown = min(self._hints_shown + 1, len(self._hints))
        number, total = self._hints_shown, len(self._hints)
        text = self._hints[number - 1]
        if number == total:
            text += " (That was the last hint: the solution shows the commands.)"
        return Notice(f"Hint {number} of {total}", text)

    def solution(self) -> Transcript:
        """The commands that fix it, as you would type them; nothing is run."""
        shown = tuple((step.shown(), "") for step in self._solution)
        return Transcript(f"Solution of {self.title}", shown)

    def solve(self, cluster: Any) -> Transcript:
        """Run the solution's commands ("show me"); what they printed."""
        return Transcript(f"Solution of {self.title}, applied", _run(self._solution, cluster))


def _run(steps: Sequence[Command | Call], cluster: Any) -> tuple[tuple[str, str], ...]:
    done = []
    for step in steps:
        if step.needed(cluster):
            shown = step.shown(cluster)
            done.append((shown, step.run(cluster)))
    return tuple(done)
