"""The API server's RBAC bootstrap policy: the roles and bindings it reconciles at start-up.

kubernetes/kubernetes @ v1.33.0 plugin/pkg/auth/authorizer/rbac/bootstrappolicy: policy.go
(ClusterRoles, ClusterRoleBindings, NamespaceRoles, NamespaceRoleBindings), controller_policy.go
(one `system:controller:<name>` role and binding per controller); the same objects are dumped in
its testdata/*.yaml. The user-facing roles (cluster-admin, the aggregated admin, edit and view,
the discovery roles) are written here with the rule builder, which sorts verbs, groups and
resources as upstream's does; the rules of the other roles, as established for v1.33.0, are the
data file `rbac_rules.yaml` beside this module (its header says how).
"""

from __future__ import annotations

from pathlib import Path

import yaml

__all__ = [
    "AGGREGATION",
    "CLUSTER_ROLE_BINDINGS",
    "CONTROLLER_ROLES",
    "NAMESPACE_ROLES",
    "NAMESPACE_ROLE_BINDINGS",
    "RULES",
    "Rule",
    "rule",
    "url_rule",
]

Rule = dict
READ = ("get", "list", "watch")
WRITE = ("create", "delete", "deletecollection", "patch", "update")
READ_WRITE = (*READ, *WRITE)


def rule(verbs: tuple[str, ...], group: str, *resources: str, names: tuple[str, ...] = ()) -> Rule:
    """rbacv1helpers.NewRule(verbs).Groups(group).Resources(resources)[.Names(names)]."""
    built: Rule = {"apiGroups": [group], "resources": sorted(resources), "verbs": sorted(verbs)}
    if names:
        built["resourceNames"] = sorted(names)
    return built


def _data() -> dict:
    """rbac_rules.yaml: clusterRoles, controllerRoles and namespaceRoles, name -> rules."""
    with open(Path(__file__).with_name("rbac_rules.yaml"), encoding="utf-8") as file:
        return yaml.safe_load(file)


_DATA = _data()


def url_rule(*urls: str) -> Rule:
    """NewRule("get").URLs(urls)."""
    return {"nonResourceURLs": sorted(urls), "verbs": ["get"]}


_VIEW = [
    rule(READ, "", "pods", "replicationcontrollers", "replicationcontrollers/scale",
         "serviceaccounts", "services", "services/status", "endpoints",
         "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"),
    rule(READ, "", "limitranges", "resourcequotas", "bindings", "events", "pods/status",
         "resourcequotas/status", "namespaces/status", "replicationcontrollers/status",
         "pods/log"),
    rule(READ, "", "namespaces"),
    rule(READ, "discovery.k8s.io", "endpointslices"),
    rule(READ, "apps", "controllerrevisions", "statefulsets", "statefulsets/status",
         "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments",
         "deployments/status", "deployments/scale", "replicasets", "replicasets/status",
         "replicasets/scale"),
    rule(READ, "autoscaling", "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
    rule(READ, "batch", "jobs", "cronjobs", "cronjobs/status", "jobs/status"),
    rule(READ, "extensions", "daemonsets", "daemonsets/status", "deployments",
         "deployments/scale", "deployments/status", "ingresses", "ingresses/status",
         "replicasets", "replicasets/scale", "replicasets/status",
         "replicationcontrollers/scale", "networkpolicies"),
    rule(READ, "policy", "poddisruptionbudgets", "poddisruptionbudgets/status"),
    rule(READ, "networking.k8s.io", "networkpolicies", "ingresses", "ingresses/status"),
]  # fmt: skip
_EDIT = [
    rule(READ, "", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets",
         "services/proxy"),
    rule(("impersonate",), "", "serviceaccounts"),
    rule(WRITE, "", "pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"),
    rule(("create",), "", "pods/eviction"),
    rule(WRITE, "", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts",
         "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets",
         "events"),
    rule(("create",), "", "serviceaccounts/token"),
    rule(WRITE, "apps", "statefulsets", "statefulsets/scale", "daemonsets", "deployments",
         "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"),
    rule(WRITE, "autoscaling", "horizontalpodautoscalers"),
    rule(WRITE, "batch", "jobs", "cronjobs"),
    rule(WRITE, "extensions", "daemonsets", "deployments", "deployments/scale",
         "deployments/rollback", "ingresses", "replicasets", "replicasets/scale",
         "replicationcontrollers/scale", "networkpolicies"),
    rule(WRITE, "policy", "poddisruptionbudgets"),
    rule(WRITE, "networking.k8s.io", "networkpolicies", "ingresses"),
    rule(READ_WRITE, "coordination.k8s.io", "leases"),
]  # fmt: skip
_ADMIN = [
    rule(("create",), "authorization.k8s.io", "localsubjectaccessreviews"),
    rule(READ_WRITE, "rbac.authorization.k8s.io", "roles", "rolebindings"),
]

_USER_FACING: dict[str, list[Rule]] = {
    "admin": [],
    "cluster-admin": [
        rule(("*",), "*", "*"),
        {"nonResourceURLs": ["*"], "verbs": ["*"]},
    ],
    "edit": [],
    "system:aggregate-to-admin": _ADMIN,
    "system:aggregate-to-edit": _EDIT,
    "system:aggregate-to-view": _VIEW,
    "system:basic-user": [
        rule(
            ("create",),
            "authorization.k8s.io",
            "selfsubjectaccessreviews",
            "selfsubjectrulesreviews",
        ),
        rule(("create",), "authentication.k8s.io", "selfsubjectreviews"),
    ],
    "system:discovery": [
        url_rule(
            "/livez",
            "/readyz",
            "/healthz",
            "/version",
            "/version/",
            "/openapi",
            "/openapi/*",
            "/api",
            "/api/*",
            "/apis",
            "/apis/*",
        ),
    ],
    "system:monitoring": [
        url_rule(
            "/healthz",
            "/healthz/*",
            "/livez",
            "/livez/*",
            "/readyz",
            "/readyz/*",
            "/metrics",
            "/metrics/slis",
        ),
    ],
    "system:public-info-viewer": [
        url_rule("/livez", "/readyz", "/healthz", "/version", "/version/"),
    ],
    "system:service-account-issuer-discovery": [
        url_rule(
            "/.well-known/openid-configuration",
            "/.well-known/openid-configuration/",
            "/openid/v1/jwks",
            "/openid/v1/jwks/",
        ),
    ],
    "view": [],
}
RULES: dict[str, list[Rule]] = dict(sorted({**_USER_FACING, **_DATA["clusterRoles"]}.items()))
"""The ClusterRoles of policy.go ClusterRoles() (admin, edit and view are aggregated later)."""

AGGREGATION: dict[str, tuple[str, dict[str, str]]] = {
    "admin": ("rbac.authorization.k8s.io/aggregate-to-admin", {}),
    "edit": (
        "rbac.authorization.k8s.io/aggregate-to-edit",
        {"rbac.authorization.k8s.io/aggregate-to-admin": "true"},
    ),
    "view": (
        "rbac.authorization.k8s.io/aggregate-to-view",
        {"rbac.authorization.k8s.io/aggregate-to-edit": "true"},
    ),
    "system:aggregate-to-admin": ("", {"rbac.authorization.k8s.io/aggregate-to-admin": "true"}),
    "system:aggregate-to-edit": ("", {"rbac.authorization.k8s.io/aggregate-to-edit": "true"}),
    "system:aggregate-to-view": ("", {"rbac.authorization.k8s.io/aggregate-to-view": "true"}),
}
"""Per role: the label its aggregationRule selects ("" for none) and the labels it carries."""

CONTROLLER_ROLES: dict[str, list[Rule]] = _DATA["controllerRoles"]
"""controller_policy.go: name -> rules of the `system:controller:<name>` ClusterRole, each bound to
the kube-system ServiceAccount <name> by a ClusterRoleBinding of the same name."""

Subject = tuple[str, str]
"""(kind, name); a ServiceAccount's name is `namespace/name`."""

CLUSTER_ROLE_BINDINGS: dict[str, tuple[str, list[Subject]]] = {
    "cluster-admin": ("cluster-admin", [("Group", "system:masters")]),
    "system:basic-user": ("system:basic-user", [("Group", "system:authenticated")]),
    "system:discovery": ("system:discovery", [("Group", "system:authenticated")]),
    "system:kube-controller-manager": (
        "system:kube-controller-manager",
        [("User", "system:kube-controller-manager")],
    ),
    "system:kube-dns": ("system:kube-dns", [("ServiceAccount", "kube-system/kube-dns")]),
    "system:kube-scheduler": ("system:kube-scheduler", [("User", "system:kube-scheduler")]),
    "system:monitoring": ("system:monitoring", [("Group", "system:monitoring")]),
    "system:node": ("system:node", []),
    "system:node-proxier": ("system:node-proxier", [("User", "system:kube-proxy")]),
    "system:public-info-viewer": (
        "system:public-info-viewer",
        [("Group", "system:authenticated"), ("Group", "system:unauthenticated")],
    ),
    "system:service-account-issuer-discovery": (
        "system:service-account-issuer-discovery",
        [("Group", "system:serviceaccounts")],
    ),
    "system:volume-scheduler": ("system:volume-scheduler", [("User", "system:kube-scheduler")]),
}
"""policy.go ClusterRoleBindings(): binding name -> (ClusterRole, subjects)."""

NAMESPACE_ROLES: dict[tuple[str, str], list[Rule]] = {
    ("kube-system", "extension-apiserver-authentication-reader"): [
        rule(READ, "", "configmaps", names=("extension-apiserver-authentication",)),
    ],
    **{
        (namespace, name): rules
        for namespace, roles in _DATA["namespaceRoles"].items()
        for name, rules in roles.items()
    },
}
"""policy.go NamespaceRoles()."""

NAMESPACE_ROLE_BINDINGS: dict[tuple[str, str], tuple[str, list[Subject]]] = {
    ("kube-system", "system::extension-apiserver-authentication-reader"): (
        "extension-apiserver-authentication-reader",
        [("User", "system:kube-controller-manager"), ("User", "system:kube-scheduler")],
    ),
    ("kube-system", "system::leader-locking-kube-controller-manager"): (
        "system::leader-locking-kube-controller-manager",
        [
            ("User", "system:kube-controller-manager"),
            ("ServiceAccount", "kube-system/kube-controller-manager"),
        ],
    ),
    ("kube-system", "system::leader-locking-kube-scheduler"): (
        "system::leader-locking-kube-scheduler",
        [("User", "system:kube-scheduler"), ("ServiceAccount", "kube-system/kube-scheduler")],
    ),
    ("kube-system", "system:controller:bootstrap-signer"): (
        "system:controller:bootstrap-signer",
        [("ServiceAccount", "kube-system/bootstrap-signer")],
    ),
    ("kube-system", "system:controller:cloud-provider"): (
        "system:controller:cloud-provider",
        [("ServiceAccount", "kube-system/cloud-provider")],
    ),
    ("kube-system", "system:controller:token-cleaner"): (
        "system:controller:token-cleaner",
        [("ServiceAccount", "kube-system/token-cleaner")],
    ),
    ("kube-public", "system:controller:bootstrap-signer"): (
        "system:controller:bootstrap-signer",
        [("ServiceAccount", "kube-system/bootstrap-signer")],
    ),
}
"""policy.go NamespaceRoleBindings(): (namespace, name) -> (Role, subjects)."""
