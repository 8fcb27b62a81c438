"""`kubectl edit` without an editor: the cell body (or stdin) is the edited buffer."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest
from IPython.core.interactiveshell import InteractiveShell
from traitlets.config import Config

import kubenet_nb
from kubenet_nb import Cluster
from kubenet_nb.face import context
from kubenet_nb.face.magic import commands


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InteractiveShell]:
    config = Config()
    config.HistoryManager.hist_file = ":memory:"
    module = types.ModuleType("kubenet_nb_test_edit_notebook")
    ip = InteractiveShell(
        config=config, ipython_dir=str(tmp_path_factory.mktemp("ipython")), user_module=module
    )
    ip.run_line_magic("load_ext", "kubenet_nb")
    yield ip
    sys.modules.pop(module.__name__, None)


@pytest.fixture
def c(shell: InteractiveShell, monkeypatch: pytest.MonkeyPatch) -> Cluster:
    monkeypatch.setattr(context, "_current", None)
    cluster = kubenet_nb.use(Cluster())
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    return cluster


def test_the_edit_line_takes_the_cell_body_as_its_buffer() -> None:
    assert commands("edit deploy/web", "spec: {}\n") == ["edit deploy/web\nspec: {}\n"]
    assert commands("", "get pods\nkubectl edit cm x\ndata: {}\n") == [
        "get pods",
        "kubectl edit cm x\ndata: {}\n",
    ]


def test_edit_cell_changes_the_object(
    shell: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    buffer = c.kubectl("get deploy web -o yaml").replace("replicas: 2", "replicas: 3", 1)
    shell.run_cell_magic("kubectl", "edit deploy/web", buffer)
    assert capsys.readouterr() == ("deployment.apps/web edited\n", "")
    assert c.get("deployment", "web")["spec"]["replicas"] == 3


def test_an_unchanged_buffer_is_cancelled(
    shell: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    version = c.get("deployment", "web")["metadata"]["resourceVersion"]
    shell.run_cell_magic("kubectl", "edit deploy web", c.kubectl("get deploy web -o yaml"))
    assert capsys.readouterr() == ("", "Edit cancelled, no changes made.\n")
    assert c.get("deployment", "web")["metadata"]["resourceVersion"] == version


def test_an_invalid_edit_prints_the_reasons_and_changes_nothing(
    shell: InteractiveShell, c: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    # Source: kubernetes/kubectl pkg/cmd/util/editor/editoptions.go @ v0.33.0 (addError's
    # `is invalid`, editHeader's reasons, the unchanged reopened buffer's error).
    buffer = c.kubectl("get deploy web -o yaml").replace("replicas: 2", "replicas: -1", 1)
    shell.run_cell_magic("kubectl", "edit deploy/web", buffer)
    assert capsys.readouterr().err == (
        'error: deployments.apps "web" is invalid\n'
        '# deployments.apps "web" was not valid:\n'
        "# * spec.replicas: Invalid value: -1: must be greater than or equal to 0\n"
        "#\n"
        "error: Edit cancelled, no valid changes were saved.\n"
    )
    assert c.get("deployment", "web")["spec"]["replicas"] == 2
