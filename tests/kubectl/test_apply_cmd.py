"""kubectl apply -f FILE|-: created, configured, unchanged; errors per object, last."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.kubectl.main import run_kubectl

reference = SimpleNamespace(
    **runpy.run_path(str(Path(__file__).parent / "data" / "reference" / "reference_cases.py"))
)

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
  - port: 80
"""


@pytest.mark.parametrize("name", reference.cases("apply"))
def test_output_matches_kubectl(name: str) -> None:
    # Recorded with --validate=false: the fake server had no OpenAPI document to validate with.
    record = reference.case("apply", name)
    assert reference.replay(record) == (record["stdout"], record["stderr"])


def test_created_then_unchanged_then_configured() -> None:
    c = Cluster()
    assert run_kubectl(c.control_plane, "apply -f -\n" + SERVICE) == "service/web created\n"
    assert run_kubectl(c.control_plane, "apply -f -\n" + SERVICE) == "service/web unchanged\n"
    changed = SERVICE.replace("port: 80", "port: 8080")
    assert run_kubectl(c.control_plane, "apply -f -\n" + changed) == "service/web configured\n"
    assert c.get("svc", "web")["spec"]["ports"][0]["port"] == 8080
    annotations = c.get("svc", "web")["metadata"]["annotations"]
    assert "kubectl.kubernetes.io/last-applied-configuration" in annotations


def test_files_and_directories(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(SERVICE)
    (tmp_path / "b.yml").write_text(SERVICE.replace("name: web", "name: api"))
    (tmp_path / "notes.txt").write_text("not a manifest")
    c = Cluster()
    assert (
        run_kubectl(c.control_plane, f"apply -f {tmp_path}")
        == "service/web created\nservice/api created\n"
    )
    assert (
        run_kubectl(c.control_plane, f"apply -f {tmp_path / 'a.yaml'}") == "service/web unchanged\n"
    )
    with pytest.raises(KubectlError) as caught:
        run_kubectl(c.control_plane, f"apply -f {tmp_path / 'missing.yaml'}")
    assert str(caught.value) == f'error: the path "{tmp_path / "missing.yaml"}" does not exist'


def test_namespace_from_the_flag() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create namespace dev")
    assert run_kubectl(c.control_plane, "apply -n dev -f -\n" + SERVICE) == "service/web created\n"
    assert c.get("svc", "web", "dev")["metadata"]["namespace"] == "dev"


def test_errors_come_after_the_objects_that_worked() -> None:
    c = Cluster()
    text = SERVICE.replace("name: web", "name: web\n  namespace: nope") + "---\n" + SERVICE
    out = run_kubectl(c.control_plane, "apply -f -\n" + text)
    # apply.go collects the errors; AddSourceToErr names the source in the server's message.
    assert out == (
        "service/web created\n"
        'Error from server (NotFound): error when creating "STDIN": namespaces "nope" not found\n'
    )


def test_invalid_objects_print_as_kubectl_prints_invalid_errors() -> None:
    c = Cluster()
    with pytest.raises(KubenetError) as caught:
        run_kubectl(c.control_plane, "apply -f -\n" + SERVICE.replace("port: 80", "port: 0"))
    # targetPort defaults to port (core/v1 defaults.go), so both are refused; kubectl lists
    # several causes one per line (cmdutil.CheckErr, MultilineError).
    assert str(caught.value) == (
        'The Service "web" is invalid: \n'
        "* spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive\n"
        "* spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"
    )


def test_dry_run_changes_nothing() -> None:
    c = Cluster()
    assert run_kubectl(c.control_plane, "apply --dry-run=client -f -\n" + SERVICE) == (
        "service/web created (dry run)\n"
    )
    assert c.list("svc", selector="app=web") == []
