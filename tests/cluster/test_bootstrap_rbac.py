"""The rules of a fresh cluster's bootstrap RBAC roles (cluster/bootstrap/rbac_rules.yaml).

Upstream: kubernetes/kubernetes plugin/pkg/auth/authorizer/rbac/bootstrappolicy @ v1.33.0,
controller_policy.go, policy.go and namespace_policy.go, dumped in testdata/controller-roles.yaml,
cluster-roles.yaml and namespace-roles.yaml; the data file's header says how v1.33.0's content
was established from the fixtures around it and the pull requests named below.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.cluster.bootstrap.rbac import rbac_objects

EVENTS = {
    "apiGroups": ["", "events.k8s.io"],
    "resources": ["events"],
    "verbs": ["create", "patch", "update"],
}


def _rule(groups: list[str], resources: list[str], verbs: list[str]) -> dict:
    return {"apiGroups": groups, "resources": resources, "verbs": verbs}


@pytest.fixture(scope="module")
def objects() -> dict[tuple[str, str, str], dict]:
    return {
        (o["kind"], o["metadata"].get("namespace", ""), o["metadata"]["name"]): o
        for o in rbac_objects()
    }


def _cluster_role(objects: dict, name: str) -> list[dict]:
    return objects["ClusterRole", "", name]["rules"]


def test_counts_and_every_controller_role_bound_to_its_service_account(objects: dict) -> None:
    kinds = [kind for kind, _, _ in objects]
    # 31 policy.go ClusterRoles + 35 controller roles + kubeadm's, CoreDNS's and kind's 4.
    assert kinds.count("ClusterRole") == 70
    assert kinds.count("ClusterRoleBinding") == 56
    assert kinds.count("Role") == kinds.count("RoleBinding") == 12
    controllers = sorted(
        name.removeprefix("system:controller:")
        for kind, _, name in objects
        if kind == "ClusterRole" and name.startswith("system:controller:")
    )
    assert len(controllers) == 35
    for name in controllers:
        binding = objects["ClusterRoleBinding", "", f"system:controller:{name}"]
        assert binding["roleRef"]["name"] == f"system:controller:{name}"
        assert binding["subjects"] == [
            {"kind": "ServiceAccount", "name": name, "namespace": "kube-system"}
        ]


def test_only_the_aggregated_roles_have_no_rules_of_their_own(objects: dict) -> None:
    empty = [
        name
        for (kind, _, name), o in objects.items()
        if kind in ("ClusterRole", "Role") and not o["rules"] and "aggregationRule" not in o
    ]
    assert empty == []


def test_deployment_controller_as_upstream_fixture(objects: dict) -> None:
    # testdata/controller-roles.yaml (unchanged for this role across v1.30..v1.34).
    assert _cluster_role(objects, "system:controller:deployment-controller") == [
        _rule(["apps", "extensions"], ["deployments"], ["get", "list", "update", "watch"]),
        _rule(["apps", "extensions"], ["deployments/status"], ["update"]),
        _rule(["apps", "extensions"], ["deployments/finalizers"], ["update"]),
        _rule(
            ["apps", "extensions"],
            ["replicasets"],
            ["create", "delete", "get", "list", "patch", "update", "watch"],
        ),
        _rule([""], ["pods"], ["get", "list", "update", "watch"]),
        EVENTS,
    ]


def test_v1_33_watch_permissions(objects: dict) -> None:
    # kubernetes/kubernetes#130405 (endpoint-controller and others) and #129201
    # (namespace-controller): watch wherever list is granted, for WatchListClient.
    assert _cluster_role(objects, "system:controller:endpoint-controller")[1] == _rule(
        [""], ["endpoints"], ["create", "delete", "get", "list", "update", "watch"]
    )
    assert _cluster_role(objects, "system:controller:namespace-controller")[2] == _rule(
        ["*"], ["*"], ["delete", "deletecollection", "get", "list", "watch"]
    )


def test_selinux_warning_controller_and_gated_roles(objects: dict) -> None:
    # kubernetes/kubernetes#130544: SELinuxChangePolicy is beta and on in v1.33.
    assert _cluster_role(objects, "system:controller:selinux-warning-controller") == [
        EVENTS,
        _rule([""], ["persistentvolumes"], ["get", "list", "watch"]),
        _rule([""], ["persistentvolumeclaims"], ["get", "list", "watch"]),
        _rule([""], ["pods"], ["get", "list", "watch"]),
        _rule(["storage.k8s.io"], ["csidrivers"], ["get", "list", "watch"]),
    ]
    # Behind gates that are off in v1.33 (DynamicResourceAllocation, DRADeviceTaints,
    # VolumeAttributesClass, ClusterTrustBundle).
    for name in (
        "system:controller:resource-claim-controller",
        "system:controller:device-taint-eviction-controller",
        "system:controller:volumeattributesclass-protection-controller",
        "system:cluster-trust-bundle-discovery",
    ):
        assert ("ClusterRole", "", name) not in objects


def test_kube_scheduler_reads_volumeattachments(objects: dict) -> None:
    # kubernetes/kubernetes#127757 (v1.32): the CSI limits plugin counts VolumeAttachments; the
    # lease rule is v1.33's default one (CoordinatedLeaderElection, beta, off, widens it).
    scheduler = _cluster_role(objects, "system:kube-scheduler")
    assert scheduler[2] == {
        "apiGroups": ["coordination.k8s.io"],
        "resourceNames": ["kube-scheduler"],
        "resources": ["leases"],
        "verbs": ["get", "update"],
    }
    assert scheduler[15] == _rule(
        ["storage.k8s.io"], ["volumeattachments"], ["get", "list", "watch"]
    )
    assert not [r for r in scheduler if "leasecandidates" in r["resources"]]


def test_kubelet_and_kube_proxy_roles(objects: dict) -> None:
    # testdata/cluster-roles.yaml: system:node's rules, without the DRA and ClusterTrustBundle
    # ones (gates off in v1.33).
    node = _cluster_role(objects, "system:node")
    assert len(node) == 22
    assert node[11] == _rule([""], ["configmaps", "secrets"], ["get", "list", "watch"])
    assert not [r for r in node if "resource.k8s.io" in r["apiGroups"]]
    # kubernetes/kubernetes#128372: reading ServiceAccounts is behind an alpha gate in v1.33.
    assert not [r for r in node if "serviceaccounts" in r["resources"]]
    # kubernetes/kubernetes#129656: KubeletFineGrainedAuthz is beta and on in v1.33.
    assert _cluster_role(objects, "system:kubelet-api-admin")[-1] == _rule(
        [""], ["nodes/configz", "nodes/healthz", "nodes/pods"], ["*"]
    )
    assert _cluster_role(objects, "system:node-proxier") == [
        _rule([""], ["endpoints", "services"], ["list", "watch"]),
        _rule([""], ["nodes"], ["get", "list", "watch"]),
        EVENTS,
        _rule(["networking.k8s.io"], ["servicecidrs"], ["list", "watch"]),
        _rule(["discovery.k8s.io"], ["endpointslices"], ["list", "watch"]),
    ]


def test_leader_locking_role(objects: dict) -> None:
    # testdata/namespace-roles.yaml.
    role = objects["Role", "kube-system", "system::leader-locking-kube-scheduler"]
    assert role["rules"] == [
        _rule([""], ["configmaps"], ["watch"]),
        {
            "apiGroups": [""],
            "resourceNames": ["kube-scheduler"],
            "resources": ["configmaps"],
            "verbs": ["get", "update"],
        },
        _rule(["coordination.k8s.io"], ["leases"], ["create", "get", "list", "update", "watch"]),
        _rule(
            ["coordination.k8s.io"],
            ["leasecandidates"],
            ["create", "get", "list", "update", "watch"],
        ),
    ]


def test_kubectl_shows_the_rules() -> None:
    c = Cluster()
    shown = c.kubectl("get clusterrole system:controller:deployment-controller -o yaml")
    assert "  - deployments/finalizers\n  verbs:\n  - update\n" in shown
    # kubectl's describer breaks each rule down per group and sorts by verbs, then resource;
    # the Resources column is as wide as its longest cell plus two spaces.
    rows = [
        ("replicasets.apps", "[create delete get list patch update watch]"),
        ("replicasets.extensions", "[create delete get list patch update watch]"),
        ("events", "[create patch update]"),
        ("events.events.k8s.io", "[create patch update]"),
        ("pods", "[get list update watch]"),
        ("deployments.apps", "[get list update watch]"),
        ("deployments.extensions", "[get list update watch]"),
        ("deployments.apps/finalizers", "[update]"),
        ("deployments.apps/status", "[update]"),
        ("deployments.extensions/finalizers", "[update]"),
        ("deployments.extensions/status", "[update]"),
    ]
    assert c.kubectl("describe clusterrole system:controller:deployment-controller") == "\n".join(
        [
            "Name:         system:controller:deployment-controller",
            "Labels:       kubernetes.io/bootstrapping=rbac-defaults",
            "Annotations:  rbac.authorization.kubernetes.io/autoupdate: true",
            "PolicyRule:",
            f"  {'Resources':<35}Non-Resource URLs  Resource Names  Verbs",
            f"  {'---------':<35}-----------------  --------------  -----",
            *(f"  {name:<35}[]                 []              {verbs}" for name, verbs in rows),
        ]
    )
