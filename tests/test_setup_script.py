"""Tests of the `kubenet` entry script that install nothing: each run happens in a sandbox copy
whose PATH holds only the tools the script needs and whose .venv is made of logging fakes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "kubenet"
HINT = "sudo apt-get install graphviz"
TOOLS = ("bash", "cat", "dirname", "env", "id", "mkdir", "uname")

FAKE_PYTHON = """#!/bin/sh
echo "python $*" >> "$KUBENET_FAKE_LOG"
case "$2" in *hashlib*) echo fakedigest ;; esac
[ "$1 $2" = "-m pytest" ] && exit "${FAKE_PYTEST_RC:-0}"
exit 0
"""
FAKE_TOOL = """#!/bin/sh
echo "${0##*/} $*" >> "$KUBENET_FAKE_LOG"
exit "${FAKE_RC:-0}"
"""


@dataclass
class Sandbox:
    """A copy of the script with its own root, PATH and fake virtual environment."""

    root: Path
    bin: Path

    @property
    def log(self) -> list[str]:
        path = self.root / "calls.log"
        return path.read_text().splitlines() if path.exists() else []

    def fake(self, directory: Path, name: str, text: str = FAKE_TOOL) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / name).write_text(text)
        (directory / name).chmod(0o755)

    def make_venv(self, stamp: str = "fakedigest base") -> None:
        venv_bin = self.root / ".venv" / "bin"
        self.fake(venv_bin, "python", FAKE_PYTHON)
        self.fake(venv_bin, "jupyter")
        self.fake(venv_bin, "ruff")
        (self.root / ".venv" / ".kubenet-installed").write_text(stamp + "\n")

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        base = {"PATH": str(self.bin), "HOME": str(self.root)}
        base["KUBENET_FAKE_LOG"] = str(self.root / "calls.log")
        return subprocess.run(
            [str(self.root / "kubenet"), *args],
            env={**base, **env},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )


@pytest.fixture
def sandbox(tmp_path: Path) -> Sandbox:
    root, tools = tmp_path / "repo", tmp_path / "bin"
    root.mkdir()
    tools.mkdir()
    shutil.copy2(SCRIPT, root / "kubenet")
    (root / "pyproject.toml").write_text("[project]\nname = 'sandbox'\n")
    for name in TOOLS:
        found = shutil.which(name)
        assert found is not None, f"{name} is needed to run the script"
        (tools / name).symlink_to(found)
    (tools / "python3").symlink_to(os.path.realpath(sys.executable))
    return Sandbox(root, tools)


def with_dot(sandbox: Sandbox) -> Sandbox:
    sandbox.fake(sandbox.bin, "dot")
    return sandbox


def test_script_and_ci_entry_parse() -> None:
    for script in (SCRIPT, REPO / ".ci" / "run"):
        result = subprocess.run(["bash", "-n", str(script)], capture_output=True, check=False)
        assert result.returncode == 0, result.stderr


def test_ci_runs_the_readme_test_command() -> None:
    lines = (REPO / ".ci" / "run").read_text().splitlines()
    assert lines[-1] == "./kubenet test"
    assert "./kubenet test" in (REPO / "README.md").read_text()


def test_help_prints_usage(sandbox: Sandbox) -> None:
    result = sandbox.run("--help")
    assert result.returncode == 0
    assert result.stdout.startswith("usage: ./kubenet COMMAND")


@pytest.mark.parametrize("args", [(), ("frobnicate",)])
def test_unknown_or_missing_command_prints_usage_and_exits_2(
    sandbox: Sandbox, args: tuple[str, ...]
) -> None:
    result = sandbox.run(*args)
    assert result.returncode == 2
    assert "usage: ./kubenet COMMAND" in result.stderr
    assert ("unknown command: frobnicate" in result.stderr) == bool(args)


def test_missing_dot_without_root_rights_prints_the_install_hint(sandbox: Sandbox) -> None:
    result = sandbox.run("test")
    assert result.returncode == 1
    assert HINT in result.stderr.splitlines()
    assert not (sandbox.root / ".venv").exists()


def test_failing_apt_get_falls_back_to_the_install_hint(sandbox: Sandbox) -> None:
    sandbox.fake(sandbox.bin, "apt-get")
    result = sandbox.run("test", FAKE_RC="100")
    assert result.returncode == 1
    assert HINT in result.stderr.splitlines()
    if os.geteuid() == 0:
        assert sandbox.log[-1] == "apt-get install -y -qq --no-install-recommends graphviz"
    else:
        assert sandbox.log == []


def test_missing_venv_module_without_root_rights_prints_the_install_hint(
    sandbox: Sandbox,
) -> None:
    # Debian and Ubuntu ship ensurepip in pythonX.Y-venv; shadow it to play a machine without it.
    shadow = sandbox.root / "shadow" / "ensurepip"
    shadow.mkdir(parents=True)
    (shadow / "__init__.py").write_text("raise ImportError('ensurepip is not installed')\n")
    result = with_dot(sandbox).run("lab", PYTHONPATH=str(shadow.parent))
    assert result.returncode == 1
    package = "python{}.{}-venv".format(*sys.version_info[:2])
    assert f"sudo apt-get install {package}" in result.stderr.splitlines()
    assert not (sandbox.root / ".venv").exists()


def test_lab_without_dot_warns_and_still_starts(sandbox: Sandbox) -> None:
    sandbox.make_venv()
    result = sandbox.run("lab")
    assert result.returncode == 0, result.stderr
    assert HINT in result.stderr.splitlines()
    assert "warning: continuing without dot" in result.stderr
    assert sandbox.log[-1].startswith("jupyter lab ")
    assert sandbox.log[-1].endswith(" notebooks")


@pytest.mark.parametrize(
    ("env", "browser"),
    [({}, False), ({"DISPLAY": ":0"}, True), ({"DISPLAY": ":0", "CI": "true"}, False)],
)
def test_lab_opens_a_browser_only_on_a_desktop(
    sandbox: Sandbox, env: dict[str, str], browser: bool
) -> None:
    with_dot(sandbox).make_venv()
    (sandbox.root / "notebooks").mkdir()
    (sandbox.root / "notebooks" / "00-start-here.ipynb").write_text("{}")
    assert sandbox.run("lab", "--port=9999", **env).returncode == 0
    args = sandbox.log[-1].split()
    assert args[:2] == ["jupyter", "lab"]
    assert ("--no-browser" not in args) == browser
    assert ("--allow-root" in args) == (os.geteuid() == 0)
    assert args[-2:] == ["--port=9999", "notebooks/00-start-here.ipynb"]
    # The printed URL opens the notebook, not the Launcher; the notebooks are trusted first.
    assert "--LabApp.default_url=/lab/tree/00-start-here.ipynb" in args
    assert sandbox.log[-2] == "jupyter trust notebooks/00-start-here.ipynb"


def test_unchanged_pyproject_skips_pip(sandbox: Sandbox) -> None:
    with_dot(sandbox).make_venv(stamp="fakedigest test")
    assert sandbox.run("lab").returncode == 0
    assert not any(" -m pip " in call for call in sandbox.log)


@pytest.mark.parametrize(
    ("stamp", "command", "spec"),
    [
        ("otherdigest base", "lab", "."),
        ("fakedigest base", "test", ".[test]"),
        ("otherdigest test", "lab", ".[test]"),  # keeps the test extra once it is there
    ],
)
def test_changed_pyproject_or_missing_extra_reinstalls(
    sandbox: Sandbox, stamp: str, command: str, spec: str
) -> None:
    with_dot(sandbox).make_venv(stamp=stamp)
    assert sandbox.run(command).returncode == 0
    pip = "python -m pip install --quiet --disable-pip-version-check --editable " + spec
    assert pip in sandbox.log
    extra = "base" if spec == "." else "test"
    assert (sandbox.root / ".venv" / ".kubenet-installed").read_text() == f"fakedigest {extra}\n"


def test_test_runs_ruff_then_pytest_with_strict_nbval(sandbox: Sandbox) -> None:
    with_dot(sandbox).make_venv(stamp="fakedigest test")
    assert sandbox.run("test", "-k", "service").returncode == 0
    assert [call for call in sandbox.log if not call.startswith(("python -c", "dot"))] == [
        "ruff check --output-format=concise .",
        "ruff format --check --output-format=concise .",
        "python -m pytest --nbval --nbval-current-env -k service",
    ]


@pytest.mark.parametrize(("pytest_rc", "rc"), [("5", 0), ("1", 1)])
def test_test_accepts_no_tests_collected_but_not_failures(
    sandbox: Sandbox, pytest_rc: str, rc: int
) -> None:
    with_dot(sandbox).make_venv(stamp="fakedigest test")
    result = sandbox.run("test", FAKE_PYTEST_RC=pytest_rc)
    assert result.returncode == rc
    assert ("kubenet: failed: pytest" in result.stderr) == bool(rc)


def test_execute_reexecutes_every_notebook_in_place(sandbox: Sandbox) -> None:
    with_dot(sandbox).make_venv()
    notebooks = sandbox.root / "notebooks"
    notebooks.mkdir()
    for name in ("01-b.ipynb", "00-a.ipynb"):
        (notebooks / name).write_text("{}")
    assert sandbox.run("execute").returncode == 0
    assert sandbox.log[-1] == (
        "jupyter nbconvert --to notebook --execute --inplace "
        "notebooks/00-a.ipynb notebooks/01-b.ipynb"
    )
