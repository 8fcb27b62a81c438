"""Shared pytest set-up: `exe` tests need Graphviz's `dot`; Hypothesis is derandomized in CI.

With CI set, Hypothesis draws the same examples on every run, so a CI result can be reproduced;
locally it explores new ones each time.
"""

from __future__ import annotations

import os
import shutil

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

__all__ = ["pytest_collection_modifyitems"]

NO_DOT = pytest.mark.skip(reason="needs Graphviz's dot on PATH (./kubenet test installs it)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the `exe` tests when `dot` cannot be found."""
    if shutil.which("dot") is not None:
        return
    for item in items:
        if item.get_closest_marker("exe") is not None:
            item.add_marker(NO_DOT)
