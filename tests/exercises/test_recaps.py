"""The recaps that end the notebooks: one per notebook, fixed text, escaped HTML, real commands."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from kubenet_nb import Cluster
from kubenet_nb.exercises.recap import Recap
from kubenet_nb.exercises.recaps import RECAPS, recap

SOURCES = Path(__file__).resolve().parents[2] / "notebooks" / "src"
NOTEBOOKS = sorted(SOURCES.glob("[0-9][0-9]-*.py"))
PROGRAMS = {"kubectl", "docker", "kind", "go", "sudo", "sleep", "cat"}
"""What the real-cluster commands may start with (after `VAR=$(` for an assignment)."""


def source(number: str) -> str:
    return next(SOURCES.glob(f"{number}-*.py")).read_text()


def test_every_notebook_has_a_recap_and_only_those() -> None:
    assert sorted(RECAPS) == [path.name[:2] for path in NOTEBOOKS]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_the_title_is_the_notebooks_heading(path: Path) -> None:
    heading = re.search(r"^# # (.+)$", path.read_text(), re.MULTILINE)
    assert heading is not None
    number, _, title = recap(path.name[:2]).title.partition(" ")
    assert number == path.name[:2]
    assert heading.group(1).startswith(title)


def test_recap_by_number_or_name() -> None:
    assert recap("03") is RECAPS["03"]
    assert recap("03-services-and-selectors") is RECAPS["03"]
    assert recap("3") is RECAPS["03"]
    with pytest.raises(KeyError, match="no recap for notebook '42'"):
        recap("42")


@pytest.mark.parametrize("number", sorted(RECAPS))
def test_the_commands_are_the_notebooks_own(number: str) -> None:
    # A kubectl line's verb and object, or a method of the cluster, as the notebook uses them:
    # a recap that outlives a notebook's change fails here.
    text = source(number)
    for command in RECAPS[number].commands:
        words = command.split("   (")[0].split()
        if words[0] == "kubectl":
            assert " ".join(words[1:3]) in text, command
        else:
            method = re.match(r"c\.\w+\(", command)
            assert method is not None, command
            assert method.group(0) in text, command


@pytest.mark.parametrize("number", sorted(RECAPS))
def test_the_real_cluster_commands_are_shell_commands(number: str) -> None:
    for command in RECAPS[number].on_kind:
        first = command.split("\n")[0]
        words = shlex.split(first, comments=True)
        program = re.sub(r"^[A-Z_]+=\$\(", "", words[0])
        assert program in PROGRAMS, command
        if "<<EOF" in first:
            assert command.endswith("\nEOF"), command
        assert "<" not in re.sub(r"<<EOF", "", first), f"a placeholder in {command!r}"


def test_the_cluster_is_kinds_documented_config() -> None:
    # kind @ v0.29.0 site/content/docs/user/configuration.md: kind.x-k8s.io/v1alpha4, nodes by
    # role; `--config=-` reads it from standard input (kind @ v0.29.0
    # pkg/cmd/kind/create/cluster/createcluster.go configOption).
    first = RECAPS["00"].on_kind[0]
    assert first == (
        "cat <<EOF | kind create cluster --config=-\n"
        "kind: Cluster\n"
        "apiVersion: kind.x-k8s.io/v1alpha4\n"
        "nodes:\n"
        "- role: control-plane\n"
        "- role: worker\n"
        "- role: worker\n"
        "EOF"
    )
    assert RECAPS["06"].on_kind[0].count("- role: worker") == 3  # notebook 06: three workers


def test_nodes_named_are_kinds_nodes() -> None:
    names = {node["metadata"]["name"] for node in Cluster(workers=3).list("nodes", None)}
    for item in RECAPS.values():
        for command in item.on_kind:
            for node in re.findall(r"\bkind-[a-z-]+\d*", command):
                assert node in names, command


def test_text_and_html() -> None:
    item = Recap(
        title="99 <Title>",
        saw=["one & two"],
        commands=["kubectl get pods"],
        misconception="a <b>myth</b>",
        on_kind=["cat <<EOF | kubectl apply -f -\nkind: Pod\nEOF", "kubectl get pods"],
    )
    assert str(item) == (
        "Recap: 99 <Title>\n\nWhat you saw:\n- one & two\n\nCommands:\n  kubectl get pods\n\n"
        "Misconception corrected: a <b>myth</b>\n\nOn a real kind cluster:\n"
        "  cat <<EOF | kubectl apply -f -\n  kind: Pod\n  EOF\n  kubectl get pods"
    )
    assert repr(item) == str(item)
    page = item._repr_html_()
    assert "<h4>Recap: 99 &lt;Title&gt;</h4>" in page
    assert "<li>one &amp; two</li>" in page
    assert "a &lt;b&gt;myth&lt;/b&gt;" in page
    assert (
        "<pre>cat &lt;&lt;EOF | kubectl apply -f -\nkind: Pod\nEOF\nkubectl get pods</pre>" in page
    )
    assert item._repr_html_() == page
