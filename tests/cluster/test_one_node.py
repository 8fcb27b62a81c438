"""`Cluster(workers=0)`: what a plain `kind create cluster` (no config) makes, one node.

kind's default config has a single control-plane node (kubernetes-sigs/kind
pkg/apis/config/v1alpha4/default.go @ v0.29.0 SetDefaultsCluster). When the cluster has one
node, kind's kubeadm init action removes the control-plane taint and the
node.kubernetes.io/exclude-from-external-load-balancers label that kubeadm put on it
(kubernetes-sigs/kind pkg/cluster/internal/create/actions/kubeadminit/init.go @ v0.29.0:
`kubectl taint nodes --all node-role.kubernetes.io/control-plane-` and `kubectl label nodes
--all node.kubernetes.io/exclude-from-external-load-balancers-`, both under len(allNodes) == 1).
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster

NODE = "kind-control-plane"
EXCLUDE_FROM_LB = "node.kubernetes.io/exclude-from-external-load-balancers"
CONTROL_PLANE = "node-role.kubernetes.io/control-plane"


@pytest.fixture(scope="module")
def alone() -> Cluster:
    c = Cluster(seed=3, workers=0)
    c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deployment web --port=80 --type=LoadBalancer")
    return c


def test_the_only_node_is_untainted_and_not_excluded_from_load_balancers(alone: Cluster) -> None:
    [node] = alone.list("nodes", None)
    assert node["metadata"]["name"] == NODE
    assert "taints" not in node["spec"]
    labels = node["metadata"]["labels"]
    assert EXCLUDE_FROM_LB not in labels
    assert labels[CONTROL_PLANE] == ""  # the role label stays: ROLES still says control-plane
    assert alone.kubectl("get nodes").splitlines()[1].split()[:3] == [
        NODE,
        "Ready",
        "control-plane",
    ]


def test_with_workers_the_control_plane_keeps_both() -> None:
    node = Cluster(workers=1).get("node", NODE)
    assert node["spec"]["taints"] == [{"key": CONTROL_PLANE, "effect": "NoSchedule"}]
    assert EXCLUDE_FROM_LB in node["metadata"]["labels"]


def test_user_pods_run_on_the_control_plane(alone: Cluster) -> None:
    pods = alone.list("pods", selector="app=web")
    assert len(pods) == 2
    assert {p["spec"]["nodeName"] for p in pods} == {NODE}
    assert all(p["status"]["phase"] == "Running" for p in pods)
    assert all(p["status"]["podIP"].startswith("10.244.0.") for p in pods)


def test_system_pods_and_daemonsets_share_the_node(alone: Cluster) -> None:
    system = alone.list("pods", "kube-system")
    assert {p["spec"]["nodeName"] for p in system} == {NODE}
    for name in ("kindnet", "kube-proxy"):
        daemonset = alone.get("daemonset", name, "kube-system")
        assert daemonset["status"]["desiredNumberScheduled"] == 1
        assert daemonset["status"]["numberReady"] == 1
    assert len(alone.list("pods", "kube-system", selector="k8s-app=kube-dns")) == 2


def test_load_balancer_traffic_enters_through_the_only_node(alone: Cluster) -> None:
    service = alone.get("svc", "web")
    [ingress] = service["status"]["loadBalancer"]["ingress"]
    traces = [alone.trace("172.18.0.1", f"{ingress['ip']}:80", seed=seed) for seed in range(8)]
    assert {t.entry_node for t in traces} == {NODE}
    assert {t.verdict for t in traces} == {"delivered"}
    # With workers, the labelled control plane is never an entry point.
    c = Cluster(seed=3, workers=1)
    c.kubectl("create deployment web --image=nginx --port=80")
    c.kubectl("expose deployment web --port=80 --type=LoadBalancer")
    [ingress] = c.get("svc", "web")["status"]["loadBalancer"]["ingress"]
    traces = [c.trace("172.18.0.1", f"{ingress['ip']}:80", seed=seed) for seed in range(8)]
    assert {t.entry_node for t in traces} == {"kind-worker"}


def test_iptables_default_to_the_control_plane(alone: Cluster) -> None:
    rules = alone.iptables_save()
    assert "-A KUBE-SERVICES" in rules
    assert rules == alone.iptables_save(node=NODE)
