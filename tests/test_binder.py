"""Binder's launch replayed without Docker: the `binder/` files checked, then their steps run.

mybinder.org builds the workbook's image with repo2docker, which reads only `binder/` when it
exists (docs/source/use/repository.md in jupyterhub/repo2docker): it installs apt.txt's packages,
the Python that runtime.txt names, then runs `pip install -r binder/requirements.txt` in the
repository root. Docker is not available here, so the pip step runs in a fresh virtual environment
on a copy of the working tree, and the start-here notebook is executed there, as a learner's first
click on the badge would. The replay takes 30 to 60 seconds, nearly all of it pip's.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from packaging.specifiers import SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent
BINDER = REPO / "binder"
START_HERE = "notebooks/00-start-here.ipynb"
BADGE = re.compile(
    r"\[!\[Binder\]\(https://mybinder\.org/badge_logo\.svg\)\]"
    r"\(https://mybinder\.org/v2/gh/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+)/HEAD"
    r"\?urlpath=lab/tree/(?P<path>[^)\s]+)\)"
)
# Guards against a hung step only: pip from a remote index in CI is far slower than locally.
PIP_TIMEOUT = 900
NOTEBOOK_TIMEOUT = 300


def apt_packages() -> list[str]:
    """apt.txt's package names, read as repo2docker does: `#` starts a comment, blanks skipped."""
    lines = (BINDER / "apt.txt").read_text().splitlines()
    return [name for line in lines if (name := line.partition("#")[0].strip())]


def test_binder_holds_only_the_files_we_mean_repo2docker_to_read() -> None:
    # repo2docker: an environment.yml selects the conda buildpack, which ignores requirements.txt,
    # a Dockerfile makes every other file ignored, and `binder/` beside `.binder/` is an error
    # (docs/source/use/repository.md, docs/source/configuration/*.md). ipywidgets 8 ships its
    # JupyterLab extension prebuilt in jupyterlab_widgets; postBuild only trusts the notebooks.
    assert sorted(path.name for path in BINDER.iterdir()) == [
        "apt.txt",
        "postBuild",
        "requirements.txt",
        "runtime.txt",
    ]
    assert os.access(BINDER / "postBuild", os.X_OK)  # repo2docker runs it as a program
    assert not (REPO / ".binder").exists()


def test_runtime_txt_names_a_python_that_requires_python_allows() -> None:
    # repo2docker reads runtime.txt whole as `python-X.Y` and keeps major.minor
    # (repo2docker/buildpacks/python/__init__.py `python_version`).
    runtime = (BINDER / "runtime.txt").read_text()
    found = re.fullmatch(r"python-(\d+\.\d+)\n?", runtime)
    assert found is not None, f"runtime.txt should read python-X.Y, not {runtime!r}"
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert found.group(1) in SpecifierSet(project["requires-python"])


def test_requirements_txt_installs_the_package_from_the_repository() -> None:
    lines = (BINDER / "requirements.txt").read_text().splitlines()
    requirements = [req for line in lines if (req := line.partition("#")[0].strip())]
    assert requirements == ["-e ."]


def test_apt_txt_brings_graphviz_and_its_dot_is_on_path() -> None:
    names = apt_packages()
    assert "graphviz" in names
    # repo2docker refuses a line that does not look like a package name (buildpacks/base.py).
    assert all(re.fullmatch(r"[a-z0-9][a-z0-9.+-]*", name) for name in names), names
    assert shutil.which("dot") is not None, "no dot on PATH: apt-get install graphviz"


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="not a Debian or Ubuntu system")
def test_every_apt_txt_package_is_installed_here() -> None:
    for name in apt_packages():
        status = subprocess.run(
            ["dpkg", "-s", name],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=30,
            check=False,
        )
        assert "Status: install ok installed" in status.stdout.splitlines(), (
            f"apt.txt names {name}, which is not installed: apt-get install {name}"
        )


def test_readme_badge_opens_the_start_here_notebook_in_jupyterlab() -> None:
    lines = (REPO / "README.md").read_text().splitlines()
    badges = [(number, found) for number, line in enumerate(lines) if (found := BADGE.search(line))]
    assert len(badges) == 1, "the README should carry one Binder badge"
    number, badge = badges[0]
    assert number < 5, "the Binder badge belongs at the top of the README"
    assert (badge["owner"], badge["repo"]) != ("OWNER", "REPO")
    assert badge["path"] == START_HERE
    assert (REPO / badge["path"]).is_file()


@dataclass(frozen=True)
class BinderEnv:
    """A copy of the working tree and a fresh virtual environment set up from `binder/`."""

    root: Path
    venv: Path
    env: dict[str, str]

    def run(self, *argv: str | Path, timeout: float) -> subprocess.CompletedProcess[str]:
        """Run a command from the venv's bin/ in the copy's root, with no stdin."""
        return subprocess.run(
            [str(self.venv / "bin" / str(argv[0])), *map(str, argv[1:])],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
            check=False,
        )


def isolated_env(venv: Path, home: Path) -> dict[str, str]:
    """This process's environment with the venv in front and Jupyter's own state in `home`."""
    outer = {
        str(Path(prefix) / "bin")
        for prefix in (os.environ.get("VIRTUAL_ENV"), sys.prefix)
        if prefix and prefix != sys.base_prefix
    }
    path = [str(venv / "bin")]
    path += [entry for entry in os.environ.get("PATH", "").split(os.pathsep) if entry not in outer]
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHONPATH", "PYTHONHOME"} and not key.startswith(("JUPYTER_", "IPYTHON"))
    }
    env.update(
        PATH=os.pathsep.join(path),
        VIRTUAL_ENV=str(venv),
        PIP_NO_INPUT="1",
        JUPYTER_CONFIG_DIR=str(home / "jupyter-config"),
        JUPYTER_DATA_DIR=str(home / "jupyter-data"),
        JUPYTER_RUNTIME_DIR=str(home / "jupyter-runtime"),
        IPYTHONDIR=str(home / "ipython"),
    )
    return env


def failure(result: subprocess.CompletedProcess[str]) -> str:
    """The end of a failed command's output, for an assertion message."""
    return f"exit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BinderEnv]:
    """repo2docker's Python steps: a new environment, then pip on binder/requirements.txt."""
    base = tmp_path_factory.mktemp("binder")
    lines = (REPO / ".gitignore").read_text().splitlines()
    ignored = [line.strip().rstrip("/") for line in lines if line.strip()[:1] not in {"", "#", "!"}]
    root, venv = base / "repo", base / "venv"
    try:
        shutil.copytree(REPO, root, symlinks=True, ignore=shutil.ignore_patterns(".git", *ignored))
        # The interpreter running the tests builds the venv: runtime.txt's version may not be
        # installed here, and its agreement with requires-python is tested above.
        subprocess.run(
            [sys.executable, "-m", "venv", str(venv)],
            check=True,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        env = BinderEnv(root, venv, isolated_env(venv, base / "home"))
        # repo2docker: `${KERNEL_PYTHON_PREFIX}/bin/pip install --no-cache-dir -r
        # "binder/requirements.txt"` in the repository root, after copying the whole repository
        # in, since `-e .` is a local reference (repo2docker/buildpacks/python/__init__.py). Here
        # the machine's pip cache and index serve, and --no-compile skips writing bytecode for
        # every installed module (a cache only, built as modules are imported): half the time.
        installed = env.run(
            "pip", "install", "--no-compile", "-r", "binder/requirements.txt", timeout=PIP_TIMEOUT
        )
        assert installed.returncode == 0, failure(installed)
        yield env
    finally:
        shutil.rmtree(base, ignore_errors=True)


def test_requirements_install_the_package_editable_from_the_repository_root(
    binder_env: BinderEnv,
) -> None:
    imported = binder_env.run(
        "python", "-c", "import kubenet_nb; print(kubenet_nb.__file__)", timeout=60
    )
    assert imported.returncode == 0, failure(imported)
    module = Path(imported.stdout.strip()).resolve()
    assert module == (binder_env.root / "kubenet_nb" / "__init__.py").resolve()


def test_graphviz_binding_in_the_binder_env_renders_with_dot(binder_env: BinderEnv) -> None:
    code = "import graphviz; print(graphviz.Source('digraph { a -> b }').pipe('svg').decode())"
    rendered = binder_env.run("python", "-c", code, timeout=60)
    assert rendered.returncode == 0, failure(rendered)
    assert "<svg" in rendered.stdout


TRUSTED = """
import sys
import nbformat
from nbformat.sign import NotebookNotary

notary = NotebookNotary()
for path in sys.argv[1:]:
    print(path, notary.check_signature(nbformat.read(path, as_version=4)))
"""


def test_post_build_trusts_every_committed_notebook(binder_env: BinderEnv) -> None:
    notebooks = sorted(str(path.relative_to(REPO)) for path in (REPO / "notebooks").glob("*.ipynb"))
    before = binder_env.run("python", "-c", TRUSTED, *notebooks, timeout=60)
    assert before.returncode == 0, failure(before)
    assert before.stdout.split()[1::2] == ["False"] * len(notebooks)
    built = subprocess.run(
        ["bash", "binder/postBuild"],
        cwd=binder_env.root,
        env=binder_env.env,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        check=False,
    )
    assert built.returncode == 0, failure(built)
    after = binder_env.run("python", "-c", TRUSTED, *notebooks, timeout=60)
    assert after.stdout.split()[1::2] == ["True"] * len(notebooks), failure(after)


def test_start_here_notebook_executes_without_errors_in_the_binder_env(
    binder_env: BinderEnv,
) -> None:
    out = binder_env.root.parent / "executed"
    executed = binder_env.run(
        "jupyter",
        "nbconvert",
        "--execute",
        "--to",
        "notebook",
        "--ExecutePreprocessor.timeout=120",
        "--output-dir",
        out,
        "--output",
        "start-here.ipynb",
        START_HERE,
        timeout=NOTEBOOK_TIMEOUT,
    )
    assert executed.returncode == 0, failure(executed)
    notebook = json.loads((out / "start-here.ipynb").read_text())
    code_cells = [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]
    assert code_cells, "the start-here notebook has no code to run"
    assert all(cell["execution_count"] is not None for cell in code_cells)
    errors = [
        output
        for cell in code_cells
        for output in cell["outputs"]
        if output["output_type"] == "error"
    ]
    assert errors == []
