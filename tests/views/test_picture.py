"""`Picture`: SVG in a notebook, a short stable text form, and a DOT listing without `dot`."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest

from kubenet_nb.views.picture import INSTALL_HINT, Picture


def picture() -> Picture:
    graph = graphviz.Digraph("demo")
    graph.node("a", "<&lt;script&gt;>")
    graph.edge("a", "b")
    return Picture(graph, "<Demo: 2 boxes>")


@pytest.fixture
def no_dot(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A PATH without Graphviz: running `dot` fails as it does on a machine without it."""
    monkeypatch.setenv("PATH", str(tmp_path))


def test_text_form_is_the_summary() -> None:
    shown = picture()
    assert repr(shown) == "<Demo: 2 boxes>"
    assert " at 0x" not in repr(shown)


def test_source_and_graph_are_exposed() -> None:
    shown = picture()
    assert shown.source == shown.graph.source
    assert "a -> b" in shown.source


@pytest.mark.exe
def test_displays_as_svg() -> None:
    bundle = picture()._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "text/plain"}
    assert bundle["text/plain"] == "<Demo: 2 boxes>"
    root = ET.fromstring(bundle["image/svg+xml"])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert picture()._repr_svg_() == bundle["image/svg+xml"]


@pytest.mark.exe
def test_svg_is_rendered_once_and_again_after_a_change() -> None:
    shown = picture()
    first = shown.svg()
    assert shown.svg() is first
    shown.graph.node("c")
    assert shown.svg() != first


@pytest.mark.usefixtures("no_dot")
def test_without_dot_it_shows_the_escaped_source_and_how_to_install() -> None:
    shown = picture()
    assert shown.svg() is None
    assert shown._repr_svg_() is None
    bundle = shown._repr_mimebundle_()
    assert set(bundle) == {"text/html", "text/plain"}
    page = bundle["text/html"]
    assert "sudo apt-get install graphviz" in page
    assert "./kubenet lab" in page
    assert "<pre>" in page
    assert "<script" not in page
    assert "&lt;&amp;lt;script&amp;gt;&gt;" in page
    assert bundle["text/plain"] == f"<Demo: 2 boxes>\n{INSTALL_HINT}\n\n{shown.source}"


@pytest.mark.exe
def test_dot_found_again_renders(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    shown = picture()
    with monkeypatch.context() as patch:
        patch.setenv("PATH", str(tmp_path))
        assert shown.svg() is None
    assert shown.svg() is not None
