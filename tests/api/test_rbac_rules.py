"""Roles, ClusterRoles and their bindings through the public face: defaults, wording, roleRef.

Cases follow kubernetes/kubernetes pkg/apis/rbac/validation/validation_test.go @ v1.33.0
(TestValidateRoleZeroLengthNamespace, TestValidateClusterRoleBinding, TestValidateRoleBinding,
TestValidateRoleBindingUpdate, TestValidateRoleNonResourceURL,
TestValidateRoleNamespacedNonResourceURL, TestValidateRoleNonResourceURLNoVerbs,
TestValidateRoleMixedNonResourceAndResource, TestValidateRoleValidResource,
TestValidateRoleNoAPIGroup, TestValidateRoleNoResources,
TestValidateRoleMultipleResourceNamesWithResources) and pkg/apis/rbac/v1/defaults.go.
"""

from __future__ import annotations

import pytest
from rules_helpers import refusal

from kubenet_nb import Cluster

GROUP = "rbac.authorization.k8s.io"


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def role(name: str = "reader", kind: str = "Role", **rule: object) -> dict:
    rule = rule or {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]}
    meta = {"name": name, "namespace": "default"} if kind == "Role" else {"name": name}
    return {"apiVersion": f"{GROUP}/v1", "kind": kind, "metadata": meta, "rules": [rule]}


def binding(
    kind: str = "RoleBinding", ref: dict | None = None, subjects: list | None = None
) -> dict:
    meta = {"name": "b", "namespace": "default"} if kind == "RoleBinding" else {"name": "b"}
    return {
        "apiVersion": f"{GROUP}/v1",
        "kind": kind,
        "metadata": meta,
        "roleRef": ref if ref is not None else {"kind": "ClusterRole", "name": "view"},
        "subjects": subjects if subjects is not None else [{"kind": "User", "name": "jane"}],
    }


def test_binding_defaults_fill_in_the_rbac_group(cluster: Cluster) -> None:
    cluster.create(
        binding(
            subjects=[
                {"kind": "User", "name": "jane"},
                {"kind": "Group", "name": "devs"},
                {"kind": "ServiceAccount", "name": "default"},
            ]
        )
    )
    stored = cluster.get("RoleBinding", "b")
    assert stored["roleRef"] == {"kind": "ClusterRole", "name": "view", "apiGroup": GROUP}
    assert [s.get("apiGroup") for s in stored["subjects"]] == [GROUP, GROUP, None]


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (".", "metadata.name: Invalid value: \".\": may not be '.'"),
        ("..", "metadata.name: Invalid value: \"..\": may not be '..'"),
        ("a/b", "metadata.name: Invalid value: \"a/b\": may not contain '/'"),
        ("a%b", "metadata.name: Invalid value: \"a%b\": may not contain '%'"),
    ],
)
def test_names_are_path_segments(cluster: Cluster, name: str, message: str) -> None:
    assert refusal(cluster, role(name)) == f'The Role "{name}" is invalid: {message}'


def test_names_need_not_be_dns_subdomains(cluster: Cluster) -> None:
    cluster.create(role("system:Reader", "ClusterRole"))
    assert cluster.get("ClusterRole", "system:Reader", "")["rules"][0]["verbs"] == ["get"]


@pytest.mark.parametrize(
    ("rule", "kind", "message"),
    [
        (
            {"apiGroups": [""], "resources": ["pods"]},
            "Role",
            "rules[0].verbs: Required value: verbs must contain at least one value",
        ),
        (
            {"verbs": ["get"], "nonResourceURLs": ["/metrics"]},
            "Role",
            'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: '
            "namespaced rules cannot apply to non-resource URLs",
        ),
        (
            {"verbs": ["get"], "nonResourceURLs": ["/metrics"], "resources": ["pods"]},
            "ClusterRole",
            'rules[0].nonResourceURLs: Invalid value: []string{"/metrics"}: '
            "rules cannot apply to both regular resources and non-resource URLs",
        ),
        (
            {"verbs": ["get"], "resources": ["pods"]},
            "Role",
            "rules[0].apiGroups: Required value: resource rules must supply at least one api group",
        ),
        (
            {"verbs": ["get"], "apiGroups": [""]},
            "Role",
            "rules[0].resources: Required value: resource rules must supply at least one resource",
        ),
        (
            {
                "verbs": ["get"],
                "apiGroups": [""],
                "resources": ["pods", "secrets"],
                "resourceNames": ["x"],
            },
            "Role",
            "rules[0].resourceNames: Required value: resource names cannot apply to multiple "
            "resources",
        ),
    ],
)
def test_policy_rules(cluster: Cluster, rule: dict, kind: str, message: str) -> None:
    assert refusal(cluster, role("r", kind, **rule)) == f'The {kind} "r" is invalid: {message}'


def test_non_resource_urls_are_fine_for_cluster_roles(cluster: Cluster) -> None:
    cluster.create(role("metrics", "ClusterRole", verbs=["get"], nonResourceURLs=["/metrics"]))


def test_aggregation_rule_needs_a_selector(cluster: Cluster) -> None:
    obj = role("agg", "ClusterRole")
    obj["aggregationRule"] = {"clusterRoleSelectors": []}
    assert refusal(cluster, obj) == (
        'The ClusterRole "agg" is invalid: aggregationRule.clusterRoleSelectors: Required '
        "value: at least one clusterRoleSelector required if aggregationRule is non-nil"
    )


@pytest.mark.parametrize(
    ("kind", "ref", "subjects", "message"),
    [
        (
            "ClusterRoleBinding",
            {"kind": "ClusterRole"},
            None,
            "roleRef.name: Required value",
        ),
        (
            "ClusterRoleBinding",
            {"apiGroup": "rbac.GroupName", "kind": "ClusterRole", "name": "valid"},
            None,
            'roleRef.apiGroup: Unsupported value: "rbac.GroupName": supported values: '
            '"rbac.authorization.k8s.io"',
        ),
        (
            "ClusterRoleBinding",
            {"kind": "Type", "name": "valid"},
            None,
            'roleRef.kind: Unsupported value: "Type": supported values: "ClusterRole"',
        ),
        (
            "ClusterRoleBinding",
            {"kind": "Role", "name": "valid"},
            None,
            'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
        ),
        (
            "RoleBinding",
            {"kind": "Type", "name": "valid"},
            None,
            'roleRef.kind: Unsupported value: "Type": supported values: "Role", "ClusterRole"',
        ),
        (
            "ClusterRoleBinding",
            None,
            [{"name": "subject", "kind": "Nobody"}],
            'subjects[0].kind: Unsupported value: "Nobody": supported values: '
            '"ServiceAccount", "User", "Group"',
        ),
        (
            "ClusterRoleBinding",
            None,
            [{"name": "subject:bad", "kind": "ServiceAccount", "namespace": "ns"}],
            'subjects[0].name: Invalid value: "subject:bad": a lowercase RFC 1123 subdomain',
        ),
        (
            "ClusterRoleBinding",
            None,
            [{"name": "good", "kind": "ServiceAccount"}],
            "subjects[0].namespace: Required value",
        ),
        (
            "RoleBinding",
            None,
            [{"kind": "User"}],
            "subjects[0].name: Required value",
        ),
        (
            "RoleBinding",
            None,
            [{"kind": "ServiceAccount", "name": "sa", "apiGroup": "rbac.authorization.k8s.io"}],
            'subjects[0].apiGroup: Unsupported value: "rbac.authorization.k8s.io": '
            'supported values: ""',
        ),
    ],
)
def test_binding_errors(
    cluster: Cluster, kind: str, ref: dict | None, subjects: list | None, message: str
) -> None:
    text = refusal(cluster, binding(kind, ref, subjects))
    assert text.startswith(f'The {kind} "b" is invalid: ')
    assert message in text


def test_role_binding_service_account_needs_no_namespace(cluster: Cluster) -> None:
    cluster.create(binding(subjects=[{"kind": "ServiceAccount", "name": "default"}]))


def test_role_ref_cannot_change(cluster: Cluster) -> None:
    cluster.create(binding())
    changed = cluster.get("RoleBinding", "b")
    changed["roleRef"] = {"apiGroup": GROUP, "kind": "ClusterRole", "name": "edit"}
    assert refusal(cluster, changed, update=True) == (
        'The RoleBinding "b" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:'
        '"rbac.authorization.k8s.io", Kind:"ClusterRole", Name:"edit"}: cannot change roleRef'
    )


def test_subjects_may_change(cluster: Cluster) -> None:
    cluster.create(binding("ClusterRoleBinding"))
    changed = cluster.get("ClusterRoleBinding", "b", "")
    changed["subjects"] = [{"kind": "Group", "name": "ops"}]
    cluster.update(changed)
    assert cluster.get("ClusterRoleBinding", "b", "")["subjects"][0]["apiGroup"] == GROUP
