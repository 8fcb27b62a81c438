"""kubectl scale, label, annotate and delete, against kubectl v1.33.1 and on the cluster."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, NotFound
from kubenet_nb.kubectl.commands.label import parse_label_args, split_args
from kubenet_nb.kubectl.main import run_kubectl

reference = SimpleNamespace(
    **runpy.run_path(str(Path(__file__).parent / "data" / "reference" / "reference_cases.py"))
)

_INVALID_KEY = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
)
# kubectl leaves label keys to the API server, which the recording's fake server was not.
SERVER_REFUSES = {
    ("label", "invalid-key"): (
        f'The Pod "web" is invalid: metadata.labels: Invalid value: "Bad_key!": {_INVALID_KEY}'
    ),
    ("label", "invalid-prefix"): (
        'The Pod "web" is invalid: metadata.labels: Invalid value: "example..com/a": prefix part '
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
        "or '.', and must start and end with an alphanumeric character (e.g. 'example.com', "
        "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
        "[a-z0-9])?)*')"
    ),
}
CASES = [
    (group, name)
    for group in ("scale", "label", "annotate", "delete")
    for name in reference.cases(group)
]


@pytest.mark.parametrize(("group", "name"), [c for c in CASES if c not in SERVER_REFUSES])
def test_output_matches_kubectl(group: str, name: str) -> None:
    record = reference.case(group, name)
    assert reference.replay(record) == (record["stdout"], record["stderr"])


# ValidatePodUpdate checks labels twice (ObjectMetaUpdate and ObjectMeta); kubectl prints a
# repeated cause once (k8s.io/kubectl/pkg/cmd/util/helpers.go statusCausesToAggrError).
@pytest.mark.parametrize(("group", "name"), sorted(SERVER_REFUSES))
def test_the_api_server_refuses_bad_label_keys(group: str, name: str) -> None:
    record = reference.case(group, name)
    assert reference.replay(record) == ("", SERVER_REFUSES[group, name] + "\n")


def test_label_argument_grammar() -> None:
    # cmdutil.GetResourcesAndPairs: a change ends the resources; '=x' is not a change.
    assert split_args(["pod", "web", "a=b", "c-"], "label") == (["pod", "web"], ["a=b", "c-"])
    assert split_args(["pod", "=x"], "label") == (["pod", "=x"], [])
    with pytest.raises(KubectlError, match="all resources must be specified before label"):
        split_args(["pod", "a=b", "web"], "label")
    assert parse_label_args(["a=b", "c-"]) == ({"a": "b"}, ["c"])


def test_label_and_annotate_change_the_stored_object() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "run web --image=nginx --labels=app=web,tier=fe")
    assert run_kubectl(c.control_plane, "label pod web env=prod tier-") == "pod/web labeled\n"
    assert c.get("pod", "web")["metadata"]["labels"] == {"app": "web", "env": "prod"}
    assert run_kubectl(c.control_plane, "label pod web env-") == "pod/web unlabeled\n"
    assert run_kubectl(c.control_plane, "annotate pod web owner=alice") == "pod/web annotated\n"
    assert c.get("pod", "web")["metadata"]["annotations"] == {"owner": "alice"}
    assert run_kubectl(c.control_plane, "label pod web app=web") == "pod/web not labeled\n"
    dry_run = "label pod web app=api --overwrite --dry-run=client"
    assert run_kubectl(c.control_plane, dry_run) == "pod/web labeled (dry run)\n"
    assert c.get("pod", "web")["metadata"]["labels"]["app"] == "web"


def test_scale_changes_replicas_and_pods_follow() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create deployment web --image=nginx --replicas=2")
    assert (
        run_kubectl(c.control_plane, "scale deployment web --replicas=4")
        == "deployment.apps/web scaled\n"
    )
    assert c.get("deploy", "web")["spec"]["replicas"] == 4
    assert len(c.list("pods", selector="app=web")) == 4


def test_delete_waits_for_the_pod_to_be_gone() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "run web --image=nginx")
    before = c.now
    assert run_kubectl(c.control_plane, "delete pod web") == 'pod "web" deleted\n'
    with pytest.raises(NotFound):
        c.get("pod", "web")
    assert 0 < (c.now - before).total_seconds() <= 30


def test_delete_without_waiting_leaves_the_pod_terminating() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "run web --image=nginx")
    before = c.now
    run_kubectl(c.control_plane, "delete pod web --wait=false")
    assert c.get("pod", "web")["metadata"]["deletionTimestamp"]
    assert c.now == before


def test_force_deletion_is_immediate_and_warned() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "run web --image=nginx")
    before = c.now
    # delete.go: the WarningPrinter's text, then "force deleted".
    assert run_kubectl(c.control_plane, "delete pod web --grace-period=0 --force") == (
        "Warning: Immediate deletion does not wait for confirmation that the running resource "
        "has been terminated. The resource may continue to run on the cluster indefinitely.\n"
        'pod "web" force deleted\n'
    )
    assert c.list("pods", selector="run=web") == []
    assert c.now == before


def test_deleting_a_deployment_takes_its_pods() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create deployment web --image=nginx --replicas=2")
    assert (
        run_kubectl(c.control_plane, "delete deployment web") == 'deployment.apps "web" deleted\n'
    )
    c.advance(60)
    assert c.list("replicasets", selector="app=web") == []
    assert c.list("pods", selector="app=web") == []


def test_cluster_scoped_delete_with_namespace_warns() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create namespace scratch")
    out = run_kubectl(c.control_plane, "delete namespace scratch -n default")
    assert out == (
        "Warning: deleting cluster-scoped resources, not scoped to the provided namespace\n"
        'namespace "scratch" deleted\n'
    )


def test_names_across_all_namespaces_are_refused() -> None:
    # cli-runtime builder.go: names need one namespace.
    with pytest.raises(KubectlError) as caught:
        run_kubectl(Cluster(), "delete pod web -A")
    assert str(caught.value) == (
        "error: a resource cannot be retrieved by name across all namespaces"
    )
