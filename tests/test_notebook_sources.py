"""The notebooks are built from their sources: each committed `.ipynb` is what
`notebooks/build.py` makes of `notebooks/src/<same name>.py`, outputs aside."""

from __future__ import annotations

import doctest
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SOURCES = NOTEBOOKS / "src"
CELL_ID = re.compile(r"n(\d{2})-(\d{2,})")


def load_builder() -> ModuleType:
    """notebooks/build.py is a script, not a package module: load it from its path."""
    spec = importlib.util.spec_from_file_location("kubenet_notebooks_build", NOTEBOOKS / "build.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = load_builder()
NAMES = sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb"))


def authored(notebook: nbformat.NotebookNode) -> dict[str, Any]:
    """What a source decides: everything but what executing the notebook records."""

    def cell(c: nbformat.NotebookNode) -> dict[str, Any]:
        metadata = {k: v for k, v in c.metadata.items() if k not in build.CELL_EXECUTION_METADATA}
        return {"id": c.id, "cell_type": c.cell_type, "source": c.source, "metadata": metadata}

    metadata = notebook.metadata
    return {
        "nbformat": (notebook.nbformat, notebook.nbformat_minor),
        "metadata": {
            k: v for k, v in metadata.items() if k not in build.NOTEBOOK_EXECUTION_METADATA
        },
        "cells": [cell(c) for c in notebook.cells],
    }


def committed(name: str) -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=nbformat.NO_CONVERT)


def test_every_notebook_has_a_source_and_every_source_a_notebook() -> None:
    assert NAMES, "no notebooks found"
    assert sorted(path.stem for path in SOURCES.glob("*.py")) == NAMES
    assert [build.ipynb_for(path) for path in sorted(SOURCES.glob("*.py"))] == [
        NOTEBOOKS / f"{name}.ipynb" for name in NAMES
    ]


@pytest.mark.parametrize("name", NAMES)
def test_the_committed_notebook_is_its_source_built(name: str) -> None:
    built = build.build(SOURCES / f"{name}.py")
    assert authored(committed(name)) == authored(built), (
        f"notebooks/{name}.ipynb differs from notebooks/src/{name}.py: "
        "run `python notebooks/build.py`, then `./kubenet execute` if a code cell changed"
    )


@pytest.mark.parametrize("name", NAMES)
def test_cell_ids_number_the_cells_of_their_notebook(name: str) -> None:
    notebook = committed(name)
    number = name[:2]
    width = max(2, len(str(len(notebook.cells) - 1)))
    ids = [cell.id for cell in notebook.cells]
    assert ids == [f"n{number}-{index:0{width}d}" for index in range(len(ids))]
    assert all(CELL_ID.fullmatch(cell_id) for cell_id in ids)
    assert len(set(ids)) == len(ids)


@pytest.mark.parametrize("name", NAMES)
def test_committed_code_cells_carry_outputs_and_the_builder_none(name: str) -> None:
    built = build.build(SOURCES / f"{name}.py")
    code = [cell for cell in built.cells if cell.cell_type == "code"]
    assert code, "a notebook without code"
    assert all(cell.outputs == [] and cell.execution_count is None for cell in code)
    assert all(
        cell.get("execution_count") for cell in committed(name).cells if cell.cell_type == "code"
    )


def test_the_check_fails_when_a_source_changes() -> None:
    name = NAMES[1]
    text = (SOURCES / f"{name}.py").read_text(encoding="utf-8")
    changed = text.replace("\n# %%\n", "\n# %%\nprint('one more line')\n", 1)
    assert changed != text
    built = build.build_text(changed, name[:2], build.catalog())
    mine, theirs = authored(built), authored(committed(name))
    assert mine != theirs
    first_code = next(cell for cell in theirs["cells"] if cell["cell_type"] == "code")
    assert len(mine["cells"]) == len(theirs["cells"])
    pairs = zip(mine["cells"], theirs["cells"], strict=True)
    assert [a["id"] for a, b in pairs if a != b] == [first_code["id"]]
    edited = next(cell for cell in mine["cells"] if cell["id"] == first_code["id"])
    assert edited["source"] == "print('one more line')\n" + first_code["source"]


@pytest.mark.parametrize("name", NAMES)
def test_syncing_a_committed_notebook_rewrites_nothing(name: str, tmp_path: Path) -> None:
    """Byte for byte: the JSON layout is nbformat's and every output survives the builder."""
    target = tmp_path / f"{name}.ipynb"
    target.write_bytes((NOTEBOOKS / f"{name}.ipynb").read_bytes())
    assert build.sync(SOURCES / f"{name}.py", target) is False
    assert target.read_bytes() == (NOTEBOOKS / f"{name}.ipynb").read_bytes()


def test_sync_keeps_outputs_of_unchanged_cells_only(tmp_path: Path) -> None:
    name = NAMES[1]
    number = name[:2]
    source, target = tmp_path / f"{name}.py", tmp_path / f"{name}.ipynb"
    target.write_bytes((NOTEBOOKS / f"{name}.ipynb").read_bytes())
    old = committed(name)
    edited = next(i for i, cell in enumerate(old.cells) if cell.cell_type == "code")
    # The first code cell gets a new first line; a new code cell before all moves every ID.
    text = (SOURCES / f"{name}.py").read_text(encoding="utf-8")
    text = text.replace("\n# %%\n", "\n# %%\nprint('edited')\n", 1)
    header, cells = text.split("\n# %%", 1)
    text = f"{header}\n# %%\nx = 1\n\n# %%{cells}"
    source.write_text(text, encoding="utf-8")

    assert build.sync(source, target) is True
    new = nbformat.read(target, as_version=nbformat.NO_CONVERT)
    assert (new.cells[0].source, new.cells[0].outputs) == ("x = 1", [])
    assert [c.id for c in new.cells] == [f"n{number}-{i:02d}" for i in range(len(new.cells))]
    for index, (before, after) in enumerate(zip(old.cells, new.cells[1:], strict=True)):
        assert after.cell_type == before.cell_type
        if index == edited:
            assert after.source == "print('edited')\n" + before.source
            assert (after.outputs, after.execution_count, after.metadata) == ([], None, {})
        else:
            assert after.source == before.source
            assert after.get("outputs") == before.get("outputs")
            assert after.get("execution_count") == before.get("execution_count")
            assert after.metadata == before.metadata
    assert new.metadata == old.metadata


LINK = re.compile(r"\[([^\]]+)\]\(([^)#]*)(#[^)]*)?\)")


def links(cell: nbformat.NotebookNode) -> list[tuple[str, str, str]]:
    """(text, file, fragment) of every Markdown link in a cell."""
    return [(text, file, fragment) for text, file, fragment in LINK.findall(cell.source)]


@pytest.mark.parametrize("index", range(len(NAMES)))
def test_each_notebook_links_to_its_neighbours_and_the_contents(index: int) -> None:
    name = NAMES[index]
    cells = committed(name).cells
    head, tail = cells[1], cells[-1]
    assert cells[0].cell_type == head.cell_type == tail.cell_type == "markdown"
    assert cells[0].source.startswith("# ")
    for cell in (head, tail):
        files = [file for _text, file, _fragment in links(cell)]
        neighbours = NAMES[max(index - 1, 0) : index + 2]
        expected = [f"{n}.ipynb" for n in neighbours if n != name]
        expected.insert(1 if index > 0 else 0, f"{NAMES[0]}.ipynb")  # Contents, in 00
        assert files[: len(expected)] == expected
    assert tail.source.startswith("---")


@pytest.mark.parametrize("name", NAMES[1:])
def test_the_sections_listed_are_the_notebooks_own(name: str) -> None:
    cells = committed(name).cells
    listed = [fragment for _text, file, fragment in links(cells[1]) if not file]
    headings = [
        line[3:]
        for cell in cells[2:-1]
        if cell.cell_type == "markdown"
        for line in cell.source.splitlines()
        if line.startswith("## ")
    ]
    assert listed == [build.anchor(heading) for heading in headings]
    assert listed, "a notebook without sections"


def test_the_contents_in_00_lists_every_other_notebook_by_its_title() -> None:
    cells = committed(NAMES[0]).cells
    assert "\n## Contents\n" in cells[1].source
    listed = [(text, file) for text, file, _fragment in links(cells[1])][2:]
    titles = [
        build.title((SOURCES / f"{name}.py").read_text(encoding="utf-8")) for name in NAMES[1:]
    ]
    assert listed == [
        (f"{name[:2]} · {title}", f"{name}.ipynb")
        for name, title in zip(NAMES[1:], titles, strict=True)
    ]


@pytest.mark.parametrize("name", NAMES)
def test_each_notebook_ends_with_its_recap(name: str) -> None:
    code = [cell for cell in committed(name).cells if cell.cell_type == "code"]
    assert code[-1].source.endswith(f'recap("{name[:2]}")')
    shown = code[-1].outputs[0]["data"]["text/plain"]
    assert shown.startswith(f"Recap: {name[:2]} ")
    assert "\nOn a real kind cluster:\n" in shown


def test_builder_doctests() -> None:
    assert doctest.testmod(build, raise_on_error=True).attempted > 0
