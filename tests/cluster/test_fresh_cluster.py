"""A fresh ControlPlane holds what a fresh kind v0.29 / Kubernetes v1.33 cluster holds.

Sources: kubernetes-sigs/kind @ v0.29.0 pkg/build/nodeimage/const_storage.go, const_cni.go,
pkg/cluster/internal/kubeadm/config.go; kubernetes/kubernetes @ v1.33.0
cmd/kube-controller-manager/app/*.go (ClientOrDie names), cmd/kubeadm/app/phases/addons/dns/
manifests.go (Corefile), plugin/pkg/auth/authorizer/rbac/bootstrappolicy (RBAC),
pkg/apis/scheduling/types.go (system PriorityClasses), pkg/controller/serviceaccount/
serviceaccounts_controller.go and pkg/controller/certificates/rootcacertpublisher/publisher.go.
"""

from __future__ import annotations

import pytest

from kubenet_nb.cluster.control_plane import ControlPlane

NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"]
CONTROLLER_ACCOUNTS = [
    "attachdetach-controller", "bootstrap-signer", "certificate-controller",
    "clusterrole-aggregation-controller", "cronjob-controller", "daemon-set-controller",
    "deployment-controller", "disruption-controller", "endpoint-controller",
    "endpointslice-controller", "endpointslicemirroring-controller",
    "ephemeral-volume-controller", "expand-controller", "generic-garbage-collector",
    "horizontal-pod-autoscaler", "job-controller", "legacy-service-account-token-cleaner",
    "namespace-controller", "node-controller", "persistent-volume-binder",
    "pod-garbage-collector", "pv-protection-controller", "pvc-protection-controller",
    "replicaset-controller", "replication-controller", "resourcequota-controller",
    "root-ca-cert-publisher", "service-account-controller", "service-cidrs-controller",
    "statefulset-controller", "token-cleaner", "ttl-after-finished-controller",
    "ttl-controller", "validatingadmissionpolicy-status-controller",
]  # fmt: skip


@pytest.fixture(scope="module")
def cluster() -> ControlPlane:
    return ControlPlane()


def names(c: ControlPlane, kind: str) -> dict[str, list[str]]:
    by_namespace: dict[str, list[str]] = {}
    for obj in c.list(kind, None):
        meta = obj["metadata"]
        by_namespace.setdefault(meta.get("namespace", ""), []).append(meta["name"])
    return by_namespace


def test_service_accounts_per_namespace(cluster: ControlPlane) -> None:
    # default in every namespace (serviceaccounts controller); kube-system: the addons' accounts
    # and one per kube-controller-manager client (--use-service-account-credentials).
    expected = {ns: ["default"] for ns in NAMESPACES}
    expected["kube-system"] = sorted(
        ["coredns", "default", "kindnet", "kube-proxy", *CONTROLLER_ACCOUNTS]
    )
    expected["local-path-storage"] = ["default", "local-path-provisioner-service-account"]
    assert names(cluster, "serviceaccounts") == expected
    assert all("secrets" not in sa for sa in cluster.list("sa", None))  # SECRETS 0 since v1.24


def test_thirteen_config_maps(cluster: ControlPlane) -> None:
    assert names(cluster, "configmaps") == {
        "default": ["kube-root-ca.crt"],
        "kube-node-lease": ["kube-root-ca.crt"],
        "kube-public": ["cluster-info", "kube-root-ca.crt"],
        "kube-system": [
            "coredns",
            "extension-apiserver-authentication",
            "kube-apiserver-legacy-service-account-token-tracking",
            "kube-proxy",
            "kube-root-ca.crt",
            "kubeadm-config",
            "kubelet-config",
        ],
        "local-path-storage": ["kube-root-ca.crt", "local-path-config"],
    }
    root_ca = cluster.get("cm", "kube-root-ca.crt")
    assert list(root_ca["data"]) == ["ca.crt"]
    assert root_ca["data"]["ca.crt"].startswith("-----BEGIN CERTIFICATE-----\nMII")
    info = cluster.get("cm", "cluster-info", "kube-public")["data"]
    assert sorted(info) == ["jws-kubeconfig-abcdef", "kubeconfig"]
    assert sorted(cluster.get("cm", "local-path-config", "local-path-storage")["data"]) == [
        "config.json", "helperPod.yaml", "setup", "teardown"
    ]  # fmt: skip


def test_corefile_is_kubeadms(cluster: ControlPlane) -> None:
    # cmd/kubeadm/app/phases/addons/dns/manifests.go @ v1.33.0, CoreDNSConfigMap (with the
    # cache block's disable success/denial for the cluster domain).
    corefile = cluster.get("cm", "coredns", "kube-system")["data"]["Corefile"]
    lines = corefile.splitlines()
    start = lines.index("    cache 30 {")
    assert lines[start : start + 5] == [
        "    cache 30 {",
        "       disable success cluster.local",
        "       disable denial cluster.local",
        "    }",
        "    loop",
    ]
    assert "    kubernetes cluster.local in-addr.arpa ip6.arpa {" in corefile


def test_kube_proxy_configuration_is_kinds(cluster: ControlPlane) -> None:
    # kind pkg/cluster/internal/kubeadm/config.go @ v0.29.0: KubeProxyConfiguration.
    data = cluster.get("cm", "kube-proxy", "kube-system")["data"]
    config = data["config.conf"].splitlines()
    for line in ("clusterCIDR: 10.244.0.0/16", "mode: iptables", "  minSyncPeriod: 1s"):
        assert line in config
    assert config[config.index("conntrack:") + 1] == "  maxPerCore: 0"
    assert "server: https://kind-control-plane:6443" in data["kubeconfig.conf"]


def test_config_maps_follow_the_settings() -> None:
    c = ControlPlane(workers=0, name="lab", pod_cidr="10.10.0.0/16", cluster_domain="corp.local")
    assert (
        "clusterCIDR: 10.10.0.0/16"
        in c.get("cm", "kube-proxy", "kube-system")["data"]["config.conf"].splitlines()
    )
    assert "disable denial corp.local" in c.get("cm", "coredns", "kube-system")["data"]["Corefile"]
    kubeadm = c.get("cm", "kubeadm-config", "kube-system")["data"]["ClusterConfiguration"]
    assert "clusterName: lab" in kubeadm
    assert "  podSubnet: 10.10.0.0/16" in kubeadm


def test_storage_class_priority_classes_secret_and_service_cidr(cluster: ControlPlane) -> None:
    [standard] = cluster.list("storageclasses", None)
    assert standard["metadata"]["name"] == "standard"
    assert standard["metadata"]["annotations"] == {
        "storageclass.kubernetes.io/is-default-class": "true"
    }
    assert (
        standard["provisioner"],
        standard["reclaimPolicy"],
        standard["volumeBindingMode"],
    ) == ("rancher.io/local-path", "Delete", "WaitForFirstConsumer")
    classes = {p["metadata"]["name"]: p["value"] for p in cluster.list("priorityclasses", None)}
    assert classes == {"system-cluster-critical": 2000000000, "system-node-critical": 2000001000}
    [token] = cluster.list("secrets", None)
    assert (token["metadata"]["namespace"], token["metadata"]["name"], token["type"]) == (
        "kube-system",
        "bootstrap-token-abcdef",
        "bootstrap.kubernetes.io/token",
    )
    [cidr] = cluster.list("servicecidrs", None)
    assert (cidr["metadata"]["name"], cidr["spec"]["cidrs"]) == ("kubernetes", ["10.96.0.0/16"])


def test_local_path_provisioner(cluster: ControlPlane) -> None:
    deploy = cluster.get("deploy", "local-path-provisioner", "local-path-storage")
    assert deploy["spec"]["replicas"] == 1
    assert deploy["spec"]["template"]["metadata"]["labels"] == {"app": "local-path-provisioner"}
    [container] = deploy["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a"


def test_leases(cluster: ControlPlane) -> None:
    leases = names(cluster, "leases")
    assert leases["kube-node-lease"] == ["kind-control-plane", "kind-worker", "kind-worker2"]
    identity = [n for n in leases["kube-system"] if n.startswith("apiserver-")]
    assert len(identity) == 1
    assert len(identity[0]) == len("apiserver-") + 26
    assert sorted(set(leases["kube-system"]) - set(identity)) == [
        "kube-controller-manager",
        "kube-scheduler",
    ]
    node_lease = cluster.get("lease", "kind-worker", "kube-node-lease")
    assert node_lease["spec"]["holderIdentity"] == "kind-worker"
    assert (
        node_lease["metadata"]["ownerReferences"][0]["uid"]
        == (cluster.get("node", "kind-worker")["metadata"]["uid"])
    )


def test_rbac(cluster: ControlPlane) -> None:
    cluster_roles = names(cluster, "clusterroles")[""]
    # v1.33 has system:controller:selinux-warning-controller (test_bootstrap_rbac.py).
    assert len(cluster_roles) == 70
    assert len(names(cluster, "clusterrolebindings")[""]) == 56
    assert {"admin", "cluster-admin", "edit", "view", "system:discovery", "kindnet"} <= set(
        cluster_roles
    )
    kube_system = [
        "kube-proxy",
        "kubeadm:kubelet-config",
        "kubeadm:nodes-kubeadm-config",
        "system::leader-locking-kube-controller-manager",
        "system::leader-locking-kube-scheduler",
        "system:controller:bootstrap-signer",
        "system:controller:cloud-provider",
        "system:controller:token-cleaner",
    ]
    kube_public = ["kubeadm:bootstrap-signer-clusterinfo", "system:controller:bootstrap-signer"]
    assert names(cluster, "roles") == {
        "kube-public": kube_public,
        "kube-system": sorted([*kube_system, "extension-apiserver-authentication-reader"]),
        "local-path-storage": ["local-path-provisioner-role"],
    }
    assert names(cluster, "rolebindings") == {
        "kube-public": kube_public,
        "kube-system": sorted([*kube_system, "system::extension-apiserver-authentication-reader"]),
        "local-path-storage": ["local-path-provisioner-bind"],
    }
    assert cluster.get("clusterrole", "cluster-admin", "")["rules"] == [
        {"apiGroups": ["*"], "resources": ["*"], "verbs": ["*"]},
        {"nonResourceURLs": ["*"], "verbs": ["*"]},
    ]
    view = cluster.get("clusterrole", "view", "")
    assert view["aggregationRule"] == {
        "clusterRoleSelectors": [
            {"matchLabels": {"rbac.authorization.k8s.io/aggregate-to-view": "true"}}
        ]
    }
    edit_rules = cluster.get("clusterrole", "edit", "")["rules"]
    admin_rules = cluster.get("clusterrole", "admin", "")["rules"]
    # the aggregation controller: edit = aggregate-to-edit + view, admin = edit + aggregate-to-admin
    assert edit_rules[-len(view["rules"]) :] == view["rules"]
    assert admin_rules[: len(edit_rules)] == edit_rules
    assert not any("secrets" in r.get("resources", []) for r in view["rules"])


def test_new_namespace_gets_its_account_and_root_ca() -> None:
    c = ControlPlane(workers=0)
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    assert [sa["metadata"]["name"] for sa in c.list("sa", "team")] == ["default"]
    assert [cm["metadata"]["name"] for cm in c.list("cm", "team")] == ["kube-root-ca.crt"]
    # Deleted, they come back (the controllers watch their deletions and updates).
    c.delete("sa", "default", "team")
    c.delete("cm", "kube-root-ca.crt", "team")
    assert c.get("sa", "default", "team")
    assert c.get("cm", "kube-root-ca.crt", "team")
    edited = c.get("cm", "kube-root-ca.crt", "team")
    c.update({**edited, "data": {"ca.crt": "tampered"}})
    assert c.get("cm", "kube-root-ca.crt", "team")["data"] == edited["data"]
    # A terminating namespace is emptied, not refilled.
    c.delete("ns", "team")
    c.advance(10)
    assert c.list("sa", "team") == []
    assert c.list("cm", "team") == []


def test_system_objects_draw_nothing_from_the_users_stream() -> None:
    # The objects the cluster makes for itself (here a new namespace's `default` ServiceAccount
    # and `kube-root-ca.crt`) take their uids from a stream of their own: creating a namespace
    # draws exactly one uid, the namespace's, from the stream that names pods and picks IPs.
    c = ControlPlane(seed=7)
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    assert c.get("sa", "default", "team")
    assert c.get("cm", "kube-root-ca.crt", "team")
    reference = ControlPlane(seed=7)
    reference.random.uid()
    assert c.random.getstate() == reference.random.getstate()
    assert (
        ControlPlane(seed=7).get("sa", "default")["metadata"]["uid"]
        == c.get("sa", "default")["metadata"]["uid"]
    )
