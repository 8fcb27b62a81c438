"""`kubectl describe` for Roles, ClusterRoles and their bindings (describe/rbac.py).

describe.go RoleDescriber / RoleBindingDescriber; rules are broken down and compacted as
k8s.io/kubectl/pkg/util/rbac does, then sorted by PolicyRule.String() (verbs first).
"""

from __future__ import annotations

from kubenet_nb import Cluster

ROLE = """
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: dev}
rules:
- apiGroups: ["", apps]
  resources: [pods, deployments/scale]
  verbs: [get, list]
- apiGroups: [""]
  resources: [pods]
  resourceNames: [a, b]
  verbs: [watch, get]
- apiGroups: [""]
  resources: [pods]
  verbs: [watch, get]
"""


def test_role_rules_are_broken_down_compacted_and_sorted() -> None:
    # "Verbs:[get list watch]" sorts before "Verbs:[get list]" (space < "]"), whatever the
    # resource; a resource name keys its own row.
    c = Cluster()
    c.apply(ROLE)
    assert c.kubectl("describe role dev") == (
        "Name:         dev\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources               Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------               -----------------  --------------  -----\n"
        "  pods                    []                 []              [get list watch]\n"
        "  deployments/scale       []                 []              [get list]\n"
        "  deployments.apps/scale  []                 []              [get list]\n"
        "  pods.apps               []                 []              [get list]\n"
        "  pods                    []                 [a]             [watch get]\n"
        "  pods                    []                 [b]             [watch get]"
    )


def test_cluster_role_with_non_resource_urls() -> None:
    c = Cluster()
    c.apply(
        """
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: reader, labels: {team: a}}
rules:
- nonResourceURLs: [/healthz, /metrics]
  verbs: [get]
- apiGroups: [""]
  resources: [nodes]
  verbs: ["*"]
"""
    )
    assert c.kubectl("describe clusterrole reader") == (
        "Name:         reader\n"
        "Labels:       team=a\n"
        "Annotations:  <none>\n"
        "PolicyRule:\n"
        "  Resources  Non-Resource URLs  Resource Names  Verbs\n"
        "  ---------  -----------------  --------------  -----\n"
        "  nodes      []                 []              [*]\n"
        "             [/healthz]         []              [get]\n"
        "             [/metrics]         []              [get]"
    )


def test_role_binding_and_cluster_role_binding() -> None:
    c = Cluster()
    c.apply(
        """
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: dev-binding}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: dev}
subjects:
- {kind: ServiceAccount, name: builder, namespace: default}
- {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: readers}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader}
subjects:
- {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}
"""
    )
    assert c.kubectl("describe rolebinding dev-binding") == (
        "Name:         dev-binding\n"
        "Labels:       <none>\n"
        "Annotations:  <none>\n"
        "Role:\n"
        "  Kind:  Role\n"
        "  Name:  dev\n"
        "Subjects:\n"
        "  Kind            Name     Namespace\n"
        "  ----            ----     ---------\n"
        "  ServiceAccount  builder  default\n"
        "  User            jane     "
    )
    assert c.kubectl("describe clusterrolebinding readers").endswith(
        "Role:\n"
        "  Kind:  ClusterRole\n"
        "  Name:  reader\n"
        "Subjects:\n"
        "  Kind   Name                  Namespace\n"
        "  ----   ----                  ---------\n"
        "  Group  system:authenticated  "
    )
