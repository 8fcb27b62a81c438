"""Shared pytest set-up: tests marked `exe` need Graphviz's `dot` and are skipped without it."""

from __future__ import annotations

import shutil

import pytest

__all__ = ["pytest_collection_modifyitems"]

NO_DOT = pytest.mark.skip(reason="needs Graphviz's dot on PATH (./kubenet test installs it)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the `exe` tests when `dot` cannot be found."""
    if shutil.which("dot") is not None:
        return
    for item in items:
        if item.get_closest_marker("exe") is not None:
            item.add_marker(NO_DOT)
