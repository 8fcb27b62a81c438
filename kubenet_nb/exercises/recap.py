"""The recap that ends a notebook: what it showed, its commands, the misconception it corrects,
and the exact commands that show the same on a real kind cluster.

It renders as plain text and as escaped HTML, both fixed by its content alone, so that a
notebook's saved output compares equal run after run.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Recap"]


@dataclass(frozen=True)
class Recap:
    """A notebook's summary, and how to see the same on a real kind cluster."""

    title: str
    saw: Sequence[str]
    """What the notebook showed, one sentence each."""
    commands: Sequence[str]
    """The commands and calls it used, as typed."""
    misconception: str
    """The belief it corrects, and what is true instead."""
    on_kind: Sequence[str]
    """Shell commands for a real cluster, in order (kind v0.29, kubectl 1.33, Docker)."""

    def __str__(self) -> str:
        lines = [f"Recap: {self.title}", "", "What you saw:"]
        lines += [f"- {item}" for item in self.saw]
        lines += ["", "Commands:"]
        lines += [f"  {command}" for command in self.commands]
        lines += ["", f"Misconception corrected: {self.misconception}", ""]
        lines += ["On a real kind cluster:"]
        lines += [f"  {line}" for command in self.on_kind for line in command.split("\n")]
        return "\n".join(lines)

    def __repr__(self) -> str:
        return str(self)

    def _repr_html_(self) -> str:
        def items(texts: Sequence[str]) -> str:
            return "".join(f"<li>{html.escape(text)}</li>" for text in texts)

        def block(texts: Sequence[str]) -> str:
            return f"<pre>{html.escape(chr(10).join(texts))}</pre>"

        return (
            '<div class="kubenet-recap" style="border:1px solid #d0d7de;padding:4px 12px">'
            f"<h4>Recap: {html.escape(self.title)}</h4>"
            f"<b>What you saw</b><ul>{items(self.saw)}</ul>"
            f"<b>Commands</b>{block(self.commands)}"
            f"<p><b>Misconception corrected:</b> {html.escape(self.misconception)}</p>"
            f"<b>On a real kind cluster</b>{block(self.on_kind)}</div>"
        )
