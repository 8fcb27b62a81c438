"""`kubectl replace`: kubenet-nb's output and requests against the real kubectl's, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from recorded_verbs import assert_matches_recorded, cases_named


@pytest.mark.parametrize("name", cases_named("replace-"))
def test_matches_recorded_kubectl(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Source: the real kubectl v1.32.4 run on the same scenario (data/verbs/record_verbs.py).
    assert_matches_recorded(name, tmp_path, monkeypatch)
