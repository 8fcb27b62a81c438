"""The architecture, checked: layers import only downward (import-linter's contract in
pyproject.toml), no module takes part in an import cycle, the types check, and no two public
classes share a name."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports
from mypy import api as mypy_api

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "kubenet_nb"


def test_layers_import_only_downward(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    assert lint_imports(no_cache=True, no_logo=True) == 0


def test_an_upward_import_breaks_the_contract(tmp_path: Path) -> None:
    # The same check over a contract that puts `cluster` under `api` must fail: cluster imports api.
    config = tmp_path / "upside-down.ini"
    config.write_text(
        "[importlinter]\nroot_package = kubenet_nb\n\n[importlinter:contract:upside-down]\n"
        "name = upside down\ntype = layers\nlayers =\n    kubenet_nb.api\n    kubenet_nb.cluster\n"
    )
    assert lint_imports(config_filename=str(config), no_cache=True, no_logo=True) == 1


def _cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for target in sorted(imports.get(module, ())):
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(imports):
        if module not in index:
            visit(module)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles() -> None:
    graph = grimp.build_graph("kubenet_nb")
    imports = {m: set(graph.find_modules_directly_imported_by(m)) for m in graph.modules}
    assert _cycles(imports) == []


def test_types_check() -> None:
    report, errors, status = mypy_api.run(["--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, report + errors


def test_no_two_public_classes_share_a_name() -> None:
    homes: dict[str, list[str]] = defaultdict(list)
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                homes[node.name].append(str(path.relative_to(ROOT)))
    assert {name: files for name, files in homes.items() if len(files) > 1} == {}
