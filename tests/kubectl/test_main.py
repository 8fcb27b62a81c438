"""kubenet_nb.kubectl.main: splitting the command line, dispatch, suggestions, printing."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.kubectl.main import execute, first_argument, run_kubectl, suggestions_for

reference = SimpleNamespace(
    **runpy.run_path(str(Path(__file__).parent / "data" / "reference" / "reference_cases.py"))
)


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster()


# Recorded from kubectl v1.33.1 (tests/kubectl/data/reference/main/): cobra's "Did you mean
# this?" in kubectl's command order, and pflag errors with kubectl's usage hint.
@pytest.mark.parametrize("name", reference.cases("main"))
def test_refusals_match_kubectl(cluster: Cluster, name: str) -> None:
    record = reference.case("main", name)
    with pytest.raises(KubenetError) as caught:
        run_kubectl(cluster.control_plane, record["command"])
    assert str(caught.value) == reference.stderr_error(record)


def test_suggestions_include_suggest_for_words() -> None:
    # kubectl v1.33.1: `kubectl rm` suggests run (distance 1), delete (SuggestFor) and cp.
    assert suggestions_for("rm") == ["run", "delete", "cp"]
    assert suggestions_for("list") == ["get", "wait"]
    assert suggestions_for("frobnicate") == []


def test_the_leading_kubectl_is_optional(cluster: Cluster) -> None:
    with_word = run_kubectl(cluster.control_plane, "kubectl create namespace one --dry-run=client")
    without = run_kubectl(cluster.control_plane, "create namespace one --dry-run=client")
    assert with_word == without == "namespace/one created (dry run)\n"


def test_namespace_flag_may_come_before_the_command() -> None:
    assert first_argument(["-n", "dev", "get", "pods"]) == ("get", ["-n", "dev", "pods"])
    assert first_argument(["--namespace=dev", "get"]) == ("get", ["--namespace=dev"])
    c = Cluster()
    run_kubectl(c.control_plane, "create namespace dev")
    assert run_kubectl(c.control_plane, "-n dev run web --image=nginx") == "pod/web created\n"
    assert c.get("pod", "web", "dev")["metadata"]["namespace"] == "dev"


def test_commands_not_simulated_are_named(cluster: Cluster) -> None:
    with pytest.raises(KubectlError, match='"kubectl attach" is not supported by kubenet-nb'):
        run_kubectl(cluster.control_plane, "kubectl attach web")
    with pytest.raises(KubectlError, match="a command is required"):
        run_kubectl(cluster.control_plane, "kubectl")


def test_api_warnings_come_first_as_warning_lines() -> None:
    c = Cluster()
    out = run_kubectl(c.control_plane, "run web --image=nginx --env=A=1 --env=A=2")
    # k8s.io/kubernetes pkg/api/pod/warnings.go; client-go prints "Warning: <text>" on stderr.
    assert out == (
        'Warning: spec.containers[0].env[1]: hides previous definition of "A", which may be '
        "dropped when using apply\npod/web created\n"
    )


def test_streams_are_kept_apart() -> None:
    c = Cluster()
    terminal = execute(c.control_plane, "run web --image=nginx --env=A=1 --env=A=2")
    assert terminal.stdout == "pod/web created\n"
    assert [stream for stream, _ in terminal.parts] == ["err", "out"]


def test_error_after_output_is_appended_not_raised() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "run a --image=nginx")
    out = run_kubectl(c.control_plane, "delete pod a missing --wait=false")
    # kubectl delete goes on past a missing object and reports it last (delete.go DeleteResult).
    assert out == 'pod "a" deleted\nError from server (NotFound): pods "missing" not found\n'


def test_reader_commands_are_delegated(cluster: Cluster) -> None:
    assert run_kubectl(cluster.control_plane, "get ns default -o name") == "namespace/default\n"


def test_unbalanced_quotes_are_refused(cluster: Cluster) -> None:
    with pytest.raises(KubectlError, match="cannot split the command line"):
        run_kubectl(cluster.control_plane, "label pod web 'a=b")
