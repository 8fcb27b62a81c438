"""The DaemonSet controller: one pod per eligible node, adoption, node changes, rollouts."""

from __future__ import annotations

import pytest

from kubenet_nb import KubenetError
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.io.manifests import load_manifests


def daemonset(name: str = "agent", tolerations: list[dict] | None = None) -> dict:
    labels = {"app": name}
    spec: dict = {"containers": [{"name": "agent", "image": "busybox"}]}
    if tolerations is not None:
        spec["tolerations"] = tolerations
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "selector": {"matchLabels": labels},
            "template": {"metadata": {"labels": labels}, "spec": spec},
        },
    }


def nodes_of(c: ControlPlane, app: str) -> list[str]:
    return sorted(
        p["spec"]["nodeName"]
        for p in c.list("pods", selector=f"app={app}")
        if not p["metadata"].get("deletionTimestamp")
    )


@pytest.fixture
def cluster() -> ControlPlane:
    return ControlPlane(seed=5)


def test_kind_runs_kindnet_and_kube_proxy_on_every_node(cluster: ControlPlane) -> None:
    # kind installs kindnet and kube-proxy as DaemonSets tolerating every taint.
    for name in ("kindnet", "kube-proxy"):
        ds = cluster.get("ds", name, "kube-system")
        assert ds["status"]["desiredNumberScheduled"] == 3
        assert ds["status"]["numberReady"] == 3
    pods = cluster.list("pods", "kube-system", selector="k8s-app=kube-proxy")
    assert sorted(p["spec"]["nodeName"] for p in pods) == [
        "kind-control-plane",
        "kind-worker",
        "kind-worker2",
    ]
    assert all(p["status"]["podIP"] == p["status"]["hostIP"] for p in pods)


def test_one_pod_per_untainted_node(cluster: ControlPlane) -> None:
    cluster.create(daemonset())
    assert nodes_of(cluster, "agent") == ["kind-worker", "kind-worker2"]
    [pod] = [
        p
        for p in cluster.list("pods", selector="app=agent")
        if p["spec"]["nodeName"] == "kind-worker"
    ]
    # pkg/controller/daemon/util: daemon pods get a required node affinity on metadata.name
    # and the default daemon tolerations.
    terms = pod["spec"]["affinity"]["nodeAffinity"][
        "requiredDuringSchedulingIgnoredDuringExecution"
    ]["nodeSelectorTerms"]
    assert terms == [
        {"matchFields": [{"key": "metadata.name", "operator": "In", "values": ["kind-worker"]}]}
    ]
    keys = {t["key"] for t in pod["spec"]["tolerations"]}
    assert {"node.kubernetes.io/unschedulable", "node.kubernetes.io/not-ready"} <= keys
    assert pod["metadata"]["labels"]["pod-template-generation"] == "1"


def test_tolerating_the_control_plane_taint(cluster: ControlPlane) -> None:
    cluster.create(daemonset(tolerations=[{"operator": "Exists"}]))
    assert nodes_of(cluster, "agent") == ["kind-control-plane", "kind-worker", "kind-worker2"]


def test_cordoned_nodes_keep_daemon_pods(cluster: ControlPlane) -> None:
    node = cluster.get("node", "kind-worker")
    node["spec"]["unschedulable"] = True
    cluster.update(node)
    cluster.create(daemonset())
    assert nodes_of(cluster, "agent") == ["kind-worker", "kind-worker2"]


def test_new_nodes_get_a_pod_and_leaving_nodes_lose_it(cluster: ControlPlane) -> None:
    cluster.create(daemonset())
    cluster.apply(load_manifests("apiVersion: v1\nkind: Node\nmetadata: {name: kind-worker3}\n"))
    assert nodes_of(cluster, "agent") == ["kind-worker", "kind-worker2", "kind-worker3"]
    cluster.delete("node", "kind-worker3")
    assert nodes_of(cluster, "agent") == ["kind-worker", "kind-worker2"]
    assert cluster.get("ds", "agent")["status"]["desiredNumberScheduled"] == 2


def test_orphans_are_adopted(cluster: ControlPlane) -> None:
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stray", "labels": {"app": "agent"}},
            "spec": {
                "nodeName": "kind-worker",
                "containers": [{"name": "agent", "image": "busybox"}],
            },
        }
    )
    obj = daemonset()
    obj["spec"]["updateStrategy"] = {"type": "OnDelete"}
    cluster.create(obj)
    owner = cluster.get("pod", "stray")["metadata"]["ownerReferences"][0]
    assert (owner["kind"], owner["name"]) == ("DaemonSet", "agent")
    assert nodes_of(cluster, "agent") == ["kind-worker", "kind-worker2"]


def test_template_change_rolls_every_pod(cluster: ControlPlane) -> None:
    cluster.create(daemonset())
    before = {p["metadata"]["name"] for p in cluster.list("pods", selector="app=agent")}
    obj = cluster.get("ds", "agent")
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = "busybox:1.37"
    cluster.update(obj)
    for _ in range(4):
        cluster.advance(1)
    pods = [
        p
        for p in cluster.list("pods", selector="app=agent")
        if not p["metadata"].get("deletionTimestamp")
    ]
    assert not before & {p["metadata"]["name"] for p in pods}
    assert {p["spec"]["containers"][0]["image"] for p in pods} == {"busybox:1.37"}
    assert nodes_of(cluster, "agent") == ["kind-worker", "kind-worker2"]


def test_selector_must_match_the_template(cluster: ControlPlane) -> None:
    obj = daemonset()
    obj["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    with pytest.raises(
        KubenetError,
        match=r'The DaemonSet "agent" is invalid: '
        r"spec.template.metadata.labels: Invalid value",
    ):
        cluster.create(obj)
