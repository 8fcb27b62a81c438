"""`kubectl edit`: kubenet-nb's output and requests against the real kubectl's, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from recorded_verbs import RECORDED, assert_matches_recorded, cases_named

from kubenet_nb.io.go_yaml import load_document
from kubenet_nb.kubectl.commands.edit import HEADER
from kubenet_nb.kubectl.printers import to_yaml


@pytest.mark.parametrize("name", cases_named("edit-"))
def test_matches_recorded_kubectl(
    name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Source: the real kubectl v1.32.4 run on the same scenario (data/verbs/record_verbs.py).
    assert_matches_recorded(name, tmp_path, monkeypatch)


@pytest.mark.parametrize("name", [n for n in cases_named("edit-") if RECORDED[n]["opened"]])
def test_the_buffer_kubectl_opens_is_the_header_and_the_object_as_yaml(name: str) -> None:
    # Source: the buffer the real kubectl v1.32.4 wrote for its editor (data/verbs/record_verbs.py):
    # editHeader.writeTo's comment, then the object as `-o yaml` prints it. The object is the
    # one kubectl showed, so that the check does not depend on today's resourceVersions.
    opened = RECORDED[name]["opened"]
    assert opened.startswith(HEADER)
    shown = load_document(opened.removeprefix(HEADER))
    assert HEADER + to_yaml(shown) == opened
