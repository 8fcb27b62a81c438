"""`Picture`: a Graphviz graph that a notebook shows as SVG, or as its DOT text without `dot`.

Displaying a bare `graphviz.Digraph` when Graphviz's `dot` program is missing makes the notebook
cell fail; a `Picture` shows the escaped DOT source instead, with the command that installs
Graphviz. Its text form is a short summary with no memory address, so notebook outputs stay
the same from run to run.
"""

from __future__ import annotations

import html
from typing import Any

import graphviz

__all__ = ["INSTALL_HINT", "Picture"]

INSTALL_HINT = (
    "Graphviz's dot program is not installed, so the picture is shown as its DOT source. "
    "Install it with `sudo apt-get install graphviz`, or start the workbook with "
    "`./kubenet lab`, which installs it."
)


class Picture:
    """A drawing: `.graph` (the graphviz.Digraph), `.source` (DOT), `.svg()` (rendered)."""

    def __init__(self, graph: graphviz.Digraph, summary: str) -> None:
        self.graph = graph
        self.summary = summary
        self._rendered: tuple[str, str] | None = None

    @property
    def source(self) -> str:
        """The DOT text."""
        return self.graph.source

    def svg(self) -> str | None:
        """The SVG that `dot` draws, or None when `dot` is not installed."""
        source = self.source
        if self._rendered is not None and self._rendered[0] == source:
            return self._rendered[1]
        # A lone surrogate (from a Python client's text) cannot be written to `dot` as UTF-8:
        # it goes as `?`, as the other views show it.
        text = source.encode("utf-8", "replace").decode("utf-8")
        try:
            svg = graphviz.pipe_string(self.graph.engine, "svg", text, encoding="utf-8")
        except graphviz.ExecutableNotFound:
            return None
        self._rendered = (source, svg)
        return svg

    def fallback_html(self) -> str:
        """The DOT source as an escaped HTML listing, with how to install Graphviz."""
        return f"<p>{html.escape(INSTALL_HINT)}</p><pre>{html.escape(self.source)}</pre>"

    def fallback_text(self) -> str:
        """The summary, how to install Graphviz, and the DOT source, as plain text."""
        return f"{self.summary}\n{INSTALL_HINT}\n\n{self.source}"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, str]:
        svg = self.svg()
        if svg is None:
            return {"text/html": self.fallback_html(), "text/plain": self.fallback_text()}
        return {"image/svg+xml": svg, "text/plain": self.summary}

    def _repr_svg_(self) -> str | None:
        return self.svg()

    def __repr__(self) -> str:
        return self.summary
