"""Build the workbook's notebooks from their sources in notebooks/src/.

Each notebook `notebooks/NN-name.ipynb` has its text in `notebooks/src/NN-name.py`, a Jupytext
percent script (`# %%` opens a code cell, `# %% [markdown]` a Markdown cell, `# %% tags=[...]`
gives a cell tags). Its header holds the notebook's kernelspec and nothing else.

`build` turns a source into a notebook without outputs: cell types, sources and cell metadata
from the script, one cell ID per position (`n03-07` is cell 7 of notebook 03), notebook metadata
from the header. `sync` writes that notebook over the `.ipynb` and keeps what executing the
notebook recorded there for every cell whose type and source did not change: its outputs, its
execution count and its timing (cell metadata `execution`), and the notebook's `language_info`
and widget state. A cell that is new or changed has no outputs until the notebook is executed
again (`./kubenet execute` syncs, then executes).

The builder also writes the cells that tie the workbook together, so that they cannot drift from
the notebooks they name: after each notebook's title, a line of links (previous, contents, next)
and the list of its sections; at its end, the same links; in 00, the contents of the workbook.

    python notebooks/build.py              # sync every notebook from notebooks/src/*.py
    python notebooks/build.py SOURCE...    # sync only these sources
"""

from __future__ import annotations

import argparse
import copy
import difflib
import re
import sys
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

import jupytext
import nbformat

__all__ = [
    "CELL_EXECUTION_METADATA",
    "NOTEBOOKS",
    "NOTEBOOK_EXECUTION_METADATA",
    "SOURCES",
    "build",
    "build_text",
    "catalog",
    "cell_id",
    "ipynb_for",
    "main",
    "merge_outputs",
    "navigation_cells",
    "notebook_number",
    "sync",
]

NOTEBOOKS = Path(__file__).resolve().parent
SOURCES = NOTEBOOKS / "src"
FORMAT = "py:percent"
# What running a notebook writes into it: sync keeps these, build never makes them.
CELL_EXECUTION_METADATA = ("execution",)
NOTEBOOK_EXECUTION_METADATA = ("language_info", "widgets")

_NUMBERED = re.compile(r"(\d{2})-")
_NEW_CELL = {
    "code": nbformat.v4.new_code_cell,
    "markdown": nbformat.v4.new_markdown_cell,
    "raw": nbformat.v4.new_raw_cell,
}
_HEADING = re.compile(r"^(#{1,2}) (.+)$", re.MULTILINE)
_MARKUP = re.compile(r"[`*_]")
CONTENTS_NUMBER = "00"
"""The notebook that holds the workbook's contents."""


def notebook_number(path: str | Path) -> str:
    """The two digits that start a notebook's or source's name.

    >>> notebook_number("notebooks/src/03-services-and-selectors.py")
    '03'
    """
    match = _NUMBERED.match(Path(path).name)
    if match is None:
        raise ValueError(f"{Path(path).name}: a notebook's name starts with two digits and '-'")
    return match.group(1)


def cell_id(number: str, index: int, count: int) -> str:
    """The ID of cell `index` (from 0) of notebook `number`, which has `count` cells.

    >>> cell_id("03", 7, 44)
    'n03-07'
    >>> cell_id("03", 7, 120)
    'n03-007'
    """
    width = max(2, len(str(count - 1)))
    return f"n{number}-{index:0{width}d}"


def anchor(heading: str) -> str:
    """The link to a heading of the same notebook, as JupyterLab names it (spaces become `-`,
    inline markup is dropped).

    >>> anchor("`externalTrafficPolicy`: Cluster or Local")
    '#externalTrafficPolicy:-Cluster-or-Local'
    """
    text = _MARKUP.sub("", heading).strip().replace(" ", "-")
    return "#" + urllib.parse.quote(text, safe="-:.,()'!")


def title(text: str) -> str:
    """The title of the percent script `text`: its first Markdown `# ` heading."""
    for cell in jupytext.reads(text, fmt=FORMAT).cells:
        if cell.cell_type == "markdown":
            for level, heading in _HEADING.findall(cell.source):
                if level == "#":
                    return heading.strip()
    raise ValueError("a notebook's source has no `# Title` heading in Markdown")


def catalog(sources: Path = SOURCES) -> list[tuple[str, str, str]]:
    """Every notebook of the workbook in reading order: (number, file name, title)."""
    return [
        (notebook_number(path), f"{path.stem}.ipynb", title(path.read_text(encoding="utf-8")))
        for path in sorted(sources.glob("*.py"))
    ]


def _link(entry: tuple[str, str, str]) -> str:
    number, name, heading = entry
    return f"[{number} · {heading}]({name})"


def _links(number: str, workbook: list[tuple[str, str, str]]) -> str:
    """Previous · Contents · Next, for notebook `number` of `workbook`."""
    index = next(i for i, entry in enumerate(workbook) if entry[0] == number)
    contents = next((e[1] for e in workbook if e[0] == CONTENTS_NUMBER), workbook[0][1])
    parts = []
    if index > 0:
        parts.append(f"← **Previous:** {_link(workbook[index - 1])}")
    parts.append(f"**[Contents]({contents}{anchor('Contents')})**")
    if index + 1 < len(workbook):
        parts.append(f"**Next:** {_link(workbook[index + 1])} →")
    return " · ".join(parts)


def navigation_cells(
    number: str, sections: list[str], workbook: list[tuple[str, str, str]]
) -> tuple[str, str]:
    """The Markdown of the cell after the title and of the last cell of notebook `number`."""
    links = _links(number, workbook)
    if number == CONTENTS_NUMBER:
        rows = [f"{i}. {_link(entry)}" for i, entry in enumerate(workbook) if entry[0] != number]
        head = f"{links}\n\n## Contents\n\n" + "\n".join(rows)
    else:
        listed = " · ".join(f"[{_MARKUP.sub('', s)}]({anchor(s)})" for s in sections)
        head = f"{links}\n\nIn this notebook: {listed}" if listed else links
    return head, f"---\n\n{links}"


def build_text(
    text: str, number: str, workbook: list[tuple[str, str, str]] | None = None
) -> nbformat.NotebookNode:
    """The notebook (no outputs) that the percent script `text` describes, as notebook `number`;
    with `workbook` (see `catalog`), its navigation cells too."""
    read = jupytext.reads(text, fmt=FORMAT)
    metadata = {key: value for key, value in read.metadata.items() if key != "jupytext"}
    notebook = nbformat.v4.new_notebook(metadata=metadata)
    cells = [(cell.cell_type, cell.source, cell.metadata) for cell in read.cells]
    if workbook is not None and any(entry[0] == number for entry in workbook):
        sections = [h for c in cells if c[0] == "markdown" for h in _sections(c[1])]
        head, tail = navigation_cells(number, sections, workbook)
        first = next((i for i, c in enumerate(cells) if c[0] == "markdown"), -1)
        cells.insert(first + 1, ("markdown", head, {}))
        cells.append(("markdown", tail, {}))
    count = len(cells)
    for index, (cell_type, source, cell_metadata) in enumerate(cells):
        notebook.cells.append(
            _NEW_CELL[cell_type](
                source=source,
                metadata=copy.deepcopy(cell_metadata),
                id=cell_id(number, index, count),
            )
        )
    return notebook


def _sections(markdown: str) -> list[str]:
    """The `## ` headings of a Markdown cell."""
    return [heading for level, heading in _HEADING.findall(markdown) if level == "##"]


def build(source_path: str | Path) -> nbformat.NotebookNode:
    """The notebook (no outputs) that the source at `source_path` describes, with the links to
    its neighbours in the workbook of notebooks/src/."""
    path = Path(source_path)
    return build_text(path.read_text(encoding="utf-8"), notebook_number(path), catalog())


def merge_outputs(built: nbformat.NotebookNode, old: nbformat.NotebookNode) -> None:
    """Give the cells of `built` the execution record of the unchanged cells of `old`.

    Cells are paired by type and source in order (as `difflib` pairs lines), so a cell inserted,
    removed or edited elsewhere does not cost the others their outputs.
    """

    def key(cell: nbformat.NotebookNode) -> tuple[str, str]:
        return cell.cell_type, cell.source

    matcher = difflib.SequenceMatcher(
        None, [key(cell) for cell in old.cells], [key(cell) for cell in built.cells], autojunk=False
    )
    for block in matcher.get_matching_blocks():
        for offset in range(block.size):
            before, after = old.cells[block.a + offset], built.cells[block.b + offset]
            if after.cell_type == "code":
                after.outputs = copy.deepcopy(before.get("outputs", []))
                after.execution_count = before.get("execution_count")
            for name in CELL_EXECUTION_METADATA:
                if name in before.metadata:
                    after.metadata[name] = copy.deepcopy(before.metadata[name])
    for name in NOTEBOOK_EXECUTION_METADATA:
        if name in old.metadata:
            built.metadata[name] = copy.deepcopy(old.metadata[name])


def sync(source_path: str | Path, ipynb_path: str | Path) -> bool:
    """Write the notebook built from `source_path` to `ipynb_path`, keeping what executing it
    recorded for every unchanged cell (see `merge_outputs`).

    Returns whether the file changed; an unchanged file is not rewritten.
    """
    notebook = build(source_path)
    target = Path(ipynb_path)
    before = target.read_text(encoding="utf-8") if target.exists() else None
    if before is not None:
        merge_outputs(notebook, nbformat.reads(before, as_version=4))
    text = nbformat.writes(notebook) + "\n"
    if text == before:
        return False
    target.write_text(text, encoding="utf-8")
    return True


def ipynb_for(source_path: str | Path) -> Path:
    """The notebook that a source builds: notebooks/src/NAME.py gives notebooks/NAME.ipynb."""
    path = Path(source_path)
    return path.parent.parent / f"{path.stem}.ipynb"


def main(argv: Sequence[str] | None = None) -> int:
    """Sync the notebooks of the given sources, or of every source in notebooks/src/."""
    parser = argparse.ArgumentParser(description="Build the notebooks from notebooks/src/.")
    parser.add_argument("sources", nargs="*", type=Path, help="percent scripts (default: all)")
    args = parser.parse_args(argv)
    sources = args.sources or sorted(SOURCES.glob("*.py"))
    if not sources:
        print(f"build.py: no sources in {SOURCES}", file=sys.stderr)
        return 1
    for source in sources:
        target = ipynb_for(source)
        if sync(source, target):
            print(f"build.py: wrote {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
