"""nbval set-up for the workbook: pictures are compared through their DOT in unit tests.

It lives at the repository's root, out of notebooks/ where learners browse.

Graphviz lays out SVG differently from one `dot` version to the next, so nbval skips only the
`image/svg+xml` comparison here; text, HTML tables and printed output are compared exactly.

Only the notebooks are collected from notebooks/: their sources in notebooks/src/ are notebook
code (some cells are not even Python) and notebooks/build.py is the script that builds the
notebooks from them, so --doctest-modules imports neither; tests/test_notebook_sources.py tests
both.
"""

from __future__ import annotations

import pytest

__all__ = ["collect_ignore", "pytest_collectstart"]

collect_ignore = ["notebooks/build.py", "notebooks/src"]


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Skip the SVG comparison for every notebook (nbval's documented hook)."""
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb":
        collector.skip_compare += ("image/svg+xml",)
