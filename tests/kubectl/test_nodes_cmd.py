"""kubectl cordon, uncordon and drain, against kubectl v1.33.1 and on the cluster."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError, NotFound
from kubenet_nb.kubectl.main import execute, run_kubectl

reference = SimpleNamespace(
    **runpy.run_path(str(Path(__file__).parent / "data" / "reference" / "reference_cases.py"))
)

# The drain records need kind's node agents owned by DaemonSets; they are replayed below on a
# cluster holding the recording's pods instead.
DRAIN_REPLAYED = ["drain-ignore", "drain-cordoned", "drain-daemonsets", "drain-all-flags"]


@pytest.mark.parametrize(
    "name",
    [
        "cordon",
        "cordon-again",
        "uncordon",
        "uncordon-again",
        "cordon-not-found",
        "cordon-no-name",
        "cordon-selector",
        "drain-not-found",
        "drain-no-name",
    ],
)
def test_output_matches_kubectl(name: str) -> None:
    record = reference.case("nodes", name)
    assert reference.replay(record) == (record["stdout"], record["stderr"])


def _drain_cluster(sets: list[str]) -> Cluster:
    """No system pods: only the recording's pods (DaemonSet- and ReplicaSet-owned, bare).

    DaemonSet pods are created without their owner and adopted by the recorded DaemonSets,
    which then have their pods on kind-worker and create one on kind-worker2. The sets update
    OnDelete, so the adopted pods (without a controller-revision-hash) are not rolled.
    """
    cluster = Cluster(system_pods=False)
    objects = reference.fixture_objects(["base", *sets])
    for obj in objects:
        if obj["kind"] == "Pod":
            obj.pop("status", None)
            refs = obj["metadata"].get("ownerReferences", [])
            if any(ref["kind"] == "DaemonSet" for ref in refs):
                del obj["metadata"]["ownerReferences"]
            cluster.create(obj)
        elif obj["kind"] == "Node" and obj["spec"].get("unschedulable"):
            node = cluster.get("node", obj["metadata"]["name"])
            cluster.update({**node, "spec": {**node["spec"], "unschedulable": True}})
    for obj in objects:
        if obj["kind"] == "DaemonSet":
            obj["spec"]["updateStrategy"] = {"type": "OnDelete"}
            cluster.create(obj)
    return cluster


def _lines(text: str) -> list[str]:
    return sorted(text.splitlines())


@pytest.mark.parametrize("name", DRAIN_REPLAYED)
def test_drain_matches_kubectl_up_to_eviction_order(name: str) -> None:
    # kubectl evicts concurrently: the order of its eviction lines varies from run to run.
    record = reference.case("nodes", name)
    cluster = _drain_cluster(record["fixtures"][1:])
    stdout, stderr = reference.replay(record, cluster)
    assert stdout.splitlines()[:1] == record["stdout"].splitlines()[:1]
    assert _lines(stdout) == _lines(record["stdout"])
    assert stderr == record["stderr"]


def test_drain_refusals_list_every_reason() -> None:
    # filters.go: one error per reason; Go's map order decides which comes first.
    record = reference.case("nodes", "drain-unmanaged")
    cluster = _drain_cluster(["drain", "drain-unmanaged"])
    stdout, stderr = reference.replay(record, cluster)
    assert stdout == record["stdout"] == "node/kind-worker cordoned\n"
    first = stderr.splitlines()[0]
    assert first.startswith('error: unable to drain node "kind-worker" due to error: [')
    assert _lines(stderr)[-2:] == _lines(record["stderr"])[-2:]
    assert cluster.get("node", "kind-worker")["spec"]["unschedulable"] is True
    assert cluster.get("pod", "bare")["metadata"].get("deletionTimestamp") is None


def test_drain_evicts_and_waits() -> None:
    cluster = _drain_cluster(["drain"])
    before = cluster.now
    terminal = execute(cluster.control_plane, "drain kind-worker --ignore-daemonsets")
    assert terminal.stdout.endswith("node/kind-worker drained\n")
    for name in ("webapp1-7c5ddbdf54-2xkqv", "webapp1-7c5ddbdf54-9pn4x"):
        with pytest.raises(NotFound):
            cluster.get("pod", name)
    assert cluster.get("pod", "webapp1-7c5ddbdf54-zt6wd")["spec"]["nodeName"] == "kind-worker2"
    assert cluster.get("pod", "kindnet-q5ntd", "kube-system")
    assert cluster.now > before


def test_cordon_marks_the_node_unschedulable() -> None:
    c = Cluster()
    assert run_kubectl(c.control_plane, "cordon kind-worker") == "node/kind-worker cordoned\n"
    assert c.get("node", "kind-worker")["spec"]["unschedulable"] is True
    assert run_kubectl(c.control_plane, "uncordon kind-worker") == "node/kind-worker uncordoned\n"
    assert "unschedulable" not in c.get("node", "kind-worker")["spec"]
    assert run_kubectl(c.control_plane, "cordon kind-worker --dry-run=client") == (
        "node/kind-worker cordoned (dry run)\n"
    )
    assert "unschedulable" not in c.get("node", "kind-worker")["spec"]


def test_mirror_pods_are_skipped_silently() -> None:
    # filters.go mirrorPodFilter: static pods (kubernetes.io/config.mirror) are left alone.
    c = Cluster(system_pods=False)
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "static-web",
                "namespace": "default",
                "annotations": {"kubernetes.io/config.mirror": "hash"},
            },
            "spec": {"nodeName": "kind-worker2", "containers": [{"name": "web", "image": "nginx"}]},
        }
    )
    assert run_kubectl(c.control_plane, "drain kind-worker2") == (
        "node/kind-worker2 cordoned\nnode/kind-worker2 drained\n"
    )
    assert c.get("pod", "static-web")["spec"]["nodeName"] == "kind-worker2"


def test_drain_several_nodes_goes_on_past_a_refusal() -> None:
    # drain.go RunDrain: cordon all, drain each, list the pending nodes, then the errors.
    cluster = _drain_cluster(["drain-unmanaged"])
    terminal = execute(cluster.control_plane, "drain kind-worker kind-worker2")
    assert terminal.stdout == (
        "node/kind-worker cordoned\nnode/kind-worker2 cordoned\nnode/kind-worker2 drained\n"
    )
    errors = "".join(text for stream, text in terminal.parts if stream == "err")
    assert errors.startswith('error: unable to drain node "kind-worker" due to error: [')
    assert "There are pending nodes to be drained:\n kind-worker\n" in errors


def test_drain_dry_run_changes_nothing() -> None:
    cluster = _drain_cluster(["drain"])
    daemon_pods = ", ".join(
        f"kube-system/{p['metadata']['name']}"
        for p in cluster.list("pods", "kube-system")
        if p["spec"]["nodeName"] == "kind-worker2"
    )
    out = run_kubectl(
        cluster.control_plane, "drain kind-worker2 --ignore-daemonsets --dry-run=client"
    )
    assert out == (
        "node/kind-worker2 cordoned (dry run)\n"
        f"Warning: ignoring DaemonSet-managed Pods: {daemon_pods}\n"
        "evicting pod default/webapp1-7c5ddbdf54-zt6wd (dry run)\n"
        "node/kind-worker2 drained (dry run)\n"
    )
    assert "unschedulable" not in cluster.get("node", "kind-worker2")["spec"]
    assert cluster.get("pod", "webapp1-7c5ddbdf54-zt6wd")


def test_names_and_selector_together_are_refused() -> None:
    with pytest.raises(KubenetError) as caught:
        run_kubectl(Cluster(), "cordon kind-worker -l a=b")
    assert str(caught.value) == (
        "error: cannot specify both a node name and a --selector option\n"
        "See 'kubectl cordon -h' for help and examples"
    )
