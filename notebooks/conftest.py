"""nbval set-up for the workbook: pictures are compared through their DOT in unit tests.

Graphviz lays out SVG differently from one `dot` version to the next, so nbval skips only the
`image/svg+xml` comparison here; text, HTML tables and printed output are compared exactly.
"""

from __future__ import annotations

import pytest

__all__ = ["pytest_collectstart"]


def pytest_collectstart(collector: pytest.Collector) -> None:
    """Skip the SVG comparison for every notebook (nbval's documented hook)."""
    path = getattr(collector, "path", None)
    if path is not None and path.suffix == ".ipynb":
        collector.skip_compare += ("image/svg+xml",)
