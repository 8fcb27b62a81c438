"""The cluster a new `Cluster()` stands for: what `kind create cluster` leaves behind."""

from __future__ import annotations

import ipaddress

import pytest

from kubenet_nb.cluster.control_plane import ControlPlane


@pytest.fixture(scope="module")
def cluster() -> ControlPlane:
    return ControlPlane()


def test_nodes_are_kinds_default_three(cluster: ControlPlane) -> None:
    # kind names nodes <cluster>-control-plane, <cluster>-worker, <cluster>-worker2
    # (kubernetes-sigs/kind pkg/cluster/internal/create/create.go node naming).
    names = [n["metadata"]["name"] for n in cluster.list("nodes")]
    assert names == ["kind-control-plane", "kind-worker", "kind-worker2"]


def test_node_ips_and_pod_cidrs(cluster: ControlPlane) -> None:
    nodes = {n["metadata"]["name"]: n for n in cluster.list("nodes")}
    ips = {name: n["status"]["addresses"][0]["address"] for name, n in nodes.items()}
    assert ips == {
        "kind-control-plane": "172.18.0.2",
        "kind-worker": "172.18.0.3",
        "kind-worker2": "172.18.0.4",
    }
    # kind's podSubnet 10.244.0.0/16 (kind pkg/apis/config/v1alpha4/default.go) split into
    # /24s (kube-controller-manager --node-cidr-mask-size default 24).
    cidrs = {name: n["spec"]["podCIDR"] for name, n in nodes.items()}
    assert cidrs == {
        "kind-control-plane": "10.244.0.0/24",
        "kind-worker": "10.244.1.0/24",
        "kind-worker2": "10.244.2.0/24",
    }
    assert all(n["spec"]["podCIDRs"] == [n["spec"]["podCIDR"]] for n in nodes.values())


def test_control_plane_is_tainted(cluster: ControlPlane) -> None:
    # kubeadm taints control-plane nodes node-role.kubernetes.io/control-plane:NoSchedule.
    node = cluster.get("node", "kind-control-plane")
    assert node["spec"]["taints"] == [
        {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}
    ]
    assert "node-role.kubernetes.io/control-plane" in node["metadata"]["labels"]
    assert "taints" not in cluster.get("node", "kind-worker")["spec"]


def test_system_namespaces(cluster: ControlPlane) -> None:
    names = [n["metadata"]["name"] for n in cluster.list("namespaces")]
    assert {"default", "kube-system", "kube-public", "kube-node-lease"} <= set(names)
    assert all(n["status"]["phase"] == "Active" for n in cluster.list("namespaces"))


def test_well_known_service_ips(cluster: ControlPlane) -> None:
    # kubernetes gets the first IP of the service range (kube-apiserver completion.go
    # ServiceIPRange); kube-dns the tenth (kubeadm constants.go GetDNSIP).
    kubernetes = cluster.get("svc", "kubernetes")
    assert kubernetes["spec"]["clusterIP"] == "10.96.0.1"
    assert kubernetes["spec"]["ports"] == [
        {"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}
    ]
    dns = cluster.get("svc", "kube-dns", namespace="kube-system")
    assert dns["spec"]["clusterIP"] == "10.96.0.10"
    assert [(p["name"], p["port"], p["protocol"]) for p in dns["spec"]["ports"]] == [
        ("dns", 53, "UDP"),
        ("dns-tcp", 53, "TCP"),
        ("metrics", 9153, "TCP"),
    ]


def test_two_coredns_pods_behind_kube_dns(cluster: ControlPlane) -> None:
    pods = cluster.list("pods", "kube-system", selector="k8s-app=kube-dns")
    assert len(pods) == 2
    assert all(p["metadata"]["name"].startswith("coredns-") for p in pods)
    ips = sorted(p["status"]["podIP"] for p in pods)
    slices = cluster.list(
        "endpointslices", "kube-system", selector="kubernetes.io/service-name=kube-dns"
    )
    addresses = sorted(a for s in slices for e in s["endpoints"] for a in e["addresses"])
    assert addresses == ips


def test_settings_are_constructor_arguments() -> None:
    c = ControlPlane(
        seed=7,
        workers=4,
        service_cidr="172.30.0.0/16",
        pod_cidr="10.0.0.0/8",
        node_port_range="31000-31999",
        cluster_domain="example.local",
    )
    assert len(c.list("nodes")) == 5
    assert c.get("svc", "kubernetes")["spec"]["clusterIP"] == "172.30.0.1"
    assert c.get("svc", "kube-dns", "kube-system")["spec"]["clusterIP"] == "172.30.0.10"
    assert c.get("node", "kind-worker4")["spec"]["podCIDR"] == "10.0.4.0/24"
    svc = c.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "np"},
            "spec": {"type": "NodePort", "ports": [{"port": 80}]},
        }
    )
    assert 31000 <= svc["spec"]["ports"][0]["nodePort"] <= 31999
    assert c.settings.cluster_domain == "example.local"


def test_pod_ips_come_from_their_nodes_cidr(cluster: ControlPlane) -> None:
    nodes = {n["metadata"]["name"]: n["spec"]["podCIDR"] for n in cluster.list("nodes")}
    for pod in cluster.list("pods", None):
        if pod["spec"].get("hostNetwork"):
            continue
        cidr = ipaddress.ip_network(nodes[pod["spec"]["nodeName"]])
        assert ipaddress.ip_address(pod["status"]["podIP"]) in cidr


def test_same_seed_same_cluster() -> None:
    def names(c: ControlPlane) -> list[str]:
        return [p["metadata"]["name"] for p in c.list("pods", None)]

    assert names(ControlPlane(seed=3)) == names(ControlPlane(seed=3))
    assert names(ControlPlane(seed=3)) != names(ControlPlane(seed=4))
