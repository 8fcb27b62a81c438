"""End-of-notebook exercises: the learner's answer checked against the cluster, then explained.

An exercise computes its expected answer from the cluster at check time (never a hard-coded
value), compares it with what the learner wrote, and shows a verdict with an explanation as
text and escaped HTML, so a wrong answer teaches instead of dumping a traceback.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Exercise", "Feedback"]


@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer: correct or not, and why, displayable in a notebook."""

    correct: bool | None
    message: str
    explanation: str

    @property
    def title(self) -> str:
        if self.correct is None:
            return "Not answered yet"
        return "Correct" if self.correct else "Not quite"

    def __str__(self) -> str:
        return f"{self.title}: {self.message}\n{self.explanation}".rstrip()

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        colour = {True: "#1a7f37", False: "#cf222e", None: "#57606a"}[self.correct]
        return (
            f'<div class="kubenet-feedback" style="border-left:4px solid {colour};'
            f'padding:4px 8px"><b style="color:{colour}">{html.escape(self.title)}</b>: '
            f"{html.escape(self.message)}<br>{html.escape(self.explanation)}</div>"
        )


@dataclass(frozen=True)
class Exercise:
    """A question whose answer `expected(cluster)` computes; `compare` decides equality."""

    question: str
    expected: Callable[[Any], Any]
    explanation: Callable[[Any, Any], str]
    compare: Callable[[Any, Any], bool] = lambda given, expected: given == expected

    def check(self, cluster: Any, answer: Any) -> Feedback:
        """Judge `answer` against the cluster as it is now (None: not answered yet)."""
        expected = self.expected(cluster)
        explanation = self.explanation(cluster, expected)
        if answer is None or answer is ...:
            return Feedback(None, self.question, "Replace the ... with your answer and re-run.")
        if self.compare(answer, expected):
            return Feedback(True, f"{answer!r} is right.", explanation)
        return Feedback(False, f"{answer!r} is not it.", explanation)
