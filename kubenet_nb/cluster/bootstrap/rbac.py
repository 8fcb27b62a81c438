"""RBAC objects of a fresh kind cluster: the bootstrap policy plus kubeadm's, CoreDNS's and kind's.

The bootstrap policy is in `rbac_policy`. kubeadm adds its own roles and bindings
(kubernetes/kubernetes @ v1.33.0 cmd/kubeadm/app/phases: bootstraptoken/node, bootstraptoken/
clusterinfo, addons/proxy, addons/dns, uploadconfig, kubeconfig's kubeadm:cluster-admins); kind's
CNI and storage manifests add kindnet's and local-path-provisioner's (kubernetes-sigs/kind @
v0.29.0 pkg/build/nodeimage/const_cni.go, const_storage.go). admin, edit and view carry the rules
the clusterrole-aggregation controller gathers into them (pkg/controller/clusterroleaggregation:
the matching roles sorted by name, each rule once).
"""

from __future__ import annotations

from kubenet_nb.cluster.bootstrap import rbac_policy as policy
from kubenet_nb.cluster.bootstrap.rbac_policy import READ, Rule, Subject, rule

__all__ = ["rbac_objects"]

GROUP = "rbac.authorization.k8s.io"
API_VERSION = f"{GROUP}/v1"
BOOTSTRAP_META = {
    "annotations": {"rbac.authorization.kubernetes.io/autoupdate": "true"},
    "labels": {"kubernetes.io/bootstrapping": "rbac-defaults"},
}
NODE_TOKEN_GROUP = "system:bootstrappers:kubeadm:default-node-token"

ADDON_CLUSTER_ROLES: dict[str, list[Rule]] = {
    "kubeadm:get-nodes": [rule(("get",), "", "nodes")],
    "system:coredns": [
        rule(("list", "watch"), "", "endpoints", "services", "pods", "namespaces"),
        rule(("list", "watch"), "discovery.k8s.io", "endpointslices"),
    ],
    "kindnet": [
        {
            "apiGroups": ["policy"],
            "resources": ["podsecuritypolicies"],
            "verbs": ["use"],
            "resourceNames": ["kindnet"],
        },
        {
            "apiGroups": [""],
            "resources": ["nodes", "pods", "namespaces"],
            "verbs": ["list", "watch"],
        },
        {
            "apiGroups": ["networking.k8s.io"],
            "resources": ["networkpolicies"],
            "verbs": ["list", "watch"],
        },
    ],
    "local-path-provisioner-role": [
        {
            "apiGroups": [""],
            "resources": ["nodes", "persistentvolumeclaims", "configmaps", "pods", "pods/log"],
            "verbs": ["get", "list", "watch"],
        },
        {
            "apiGroups": [""],
            "resources": ["persistentvolumes"],
            "verbs": ["get", "list", "watch", "create", "patch", "update", "delete"],
        },
        {"apiGroups": [""], "resources": ["events"], "verbs": ["create", "patch"]},
        {"apiGroups": ["storage.k8s.io"], "resources": ["storageclasses"], "verbs": list(READ)},
    ],
}
"""Manifests' rules as their authors wrote them (unsorted where they are)."""

ADDON_CLUSTER_ROLE_BINDINGS: dict[str, tuple[str, list[Subject]]] = {
    "kubeadm:cluster-admins": ("cluster-admin", [("Group", "kubeadm:cluster-admins")]),
    "kubeadm:get-nodes": ("kubeadm:get-nodes", [("Group", NODE_TOKEN_GROUP)]),
    "kubeadm:kubelet-bootstrap": ("system:node-bootstrapper", [("Group", NODE_TOKEN_GROUP)]),
    "kubeadm:node-autoapprove-bootstrap": (
        "system:certificates.k8s.io:certificatesigningrequests:nodeclient",
        [("Group", NODE_TOKEN_GROUP)],
    ),
    "kubeadm:node-autoapprove-certificate-rotation": (
        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient",
        [("Group", "system:nodes")],
    ),
    "kubeadm:node-proxier": ("system:node-proxier", [("ServiceAccount", "kube-system/kube-proxy")]),
    "system:coredns": ("system:coredns", [("ServiceAccount", "kube-system/coredns")]),
    "kindnet": ("kindnet", [("ServiceAccount", "kube-system/kindnet")]),
    "local-path-provisioner-bind": (
        "local-path-provisioner-role",
        [("ServiceAccount", "local-path-storage/local-path-provisioner-service-account")],
    ),
}  # fmt: skip

ADDON_ROLES: dict[tuple[str, str], list[Rule]] = {
    ("kube-system", "kube-proxy"): [rule(("get",), "", "configmaps", names=("kube-proxy",))],
    ("kube-system", "kubeadm:kubelet-config"): [
        rule(("get",), "", "configmaps", names=("kubelet-config",))
    ],
    ("kube-system", "kubeadm:nodes-kubeadm-config"): [
        rule(("get",), "", "configmaps", names=("kubeadm-config",))
    ],
    ("kube-public", "kubeadm:bootstrap-signer-clusterinfo"): [
        rule(("get",), "", "configmaps", names=("cluster-info",))
    ],
    ("local-path-storage", "local-path-provisioner-role"): [
        {
            "apiGroups": [""],
            "resources": ["pods"],
            "verbs": ["get", "list", "watch", "create", "patch", "update", "delete"],
        }
    ],
}

NODE_GROUPS = [("Group", "system:nodes"), ("Group", NODE_TOKEN_GROUP)]
ADDON_ROLE_BINDINGS: dict[tuple[str, str], tuple[str, list[Subject]]] = {
    ("kube-system", "kube-proxy"): ("kube-proxy", [("Group", NODE_TOKEN_GROUP)]),
    ("kube-system", "kubeadm:kubelet-config"): ("kubeadm:kubelet-config", NODE_GROUPS),
    ("kube-system", "kubeadm:nodes-kubeadm-config"): ("kubeadm:nodes-kubeadm-config", NODE_GROUPS),
    ("kube-public", "kubeadm:bootstrap-signer-clusterinfo"): (
        "kubeadm:bootstrap-signer-clusterinfo",
        [("User", "system:anonymous")],
    ),
    ("local-path-storage", "local-path-provisioner-bind"): (
        "local-path-provisioner-role",
        [("ServiceAccount", "local-path-storage/local-path-provisioner-service-account")],
    ),
}


def _subject(kind: str, name: str) -> dict:
    if kind == "ServiceAccount":
        namespace, account = name.split("/")
        return {"kind": kind, "name": account, "namespace": namespace}
    return {"apiGroup": GROUP, "kind": kind, "name": name}


def _meta(name: str, namespace: str, bootstrap: bool, labels: dict[str, str]) -> dict:
    meta: dict = {"name": name}
    if namespace:
        meta["namespace"] = namespace
    if bootstrap:
        meta["annotations"] = dict(BOOTSTRAP_META["annotations"])
        meta["labels"] = {**BOOTSTRAP_META["labels"], **labels}
    return meta


def _role(
    kind: str, name: str, rules: list[Rule], namespace: str = "", bootstrap: bool = True
) -> dict:
    selector, labels = policy.AGGREGATION.get(name, ("", {}))
    role = {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": _meta(name, namespace, bootstrap, labels),
        "rules": rules,
    }
    if selector:
        role["aggregationRule"] = {"clusterRoleSelectors": [{"matchLabels": {selector: "true"}}]}
    return role


def _binding(
    kind: str,
    name: str,
    ref: tuple[str, list[Subject]],
    namespace: str = "",
    bootstrap: bool = True,
) -> dict:
    role, subjects = ref
    binding = {
        "apiVersion": API_VERSION,
        "kind": kind,
        "metadata": _meta(name, namespace, bootstrap, {}),
        "roleRef": {"apiGroup": GROUP, "kind": kind.removesuffix("Binding"), "name": role},
    }
    if subjects:
        binding["subjects"] = [_subject(*s) for s in subjects]
    return binding


def _aggregated(rules: dict[str, list[Rule]]) -> dict[str, list[Rule]]:
    """admin, edit and view with the rules of the roles their selectors match (view first)."""
    merged = dict(rules)
    for name in ("view", "edit", "admin"):
        selector = policy.AGGREGATION[name][0]
        gathered: list[Rule] = []
        for other in sorted(merged):
            if policy.AGGREGATION.get(other, ("", {}))[1].get(selector) == "true":
                gathered.extend(r for r in merged[other] if r not in gathered)
        merged[name] = gathered
    return merged


def rbac_objects() -> list[dict]:
    """Every ClusterRole, ClusterRoleBinding, Role and RoleBinding of a fresh cluster."""
    roles = _aggregated(policy.RULES)
    objects = [_role("ClusterRole", name, rules) for name, rules in roles.items()]
    objects += [
        _role("ClusterRole", f"system:controller:{name}", rules)
        for name, rules in policy.CONTROLLER_ROLES.items()
    ]
    objects += [
        _binding("ClusterRoleBinding", name, ref)
        for name, ref in policy.CLUSTER_ROLE_BINDINGS.items()
    ]
    objects += [
        _binding(
            "ClusterRoleBinding",
            f"system:controller:{name}",
            (f"system:controller:{name}", [("ServiceAccount", f"kube-system/{name}")]),
        )
        for name in policy.CONTROLLER_ROLES
    ]
    objects += [
        _role("Role", name, rules, namespace)
        for (namespace, name), rules in policy.NAMESPACE_ROLES.items()
    ]
    objects += [
        _binding("RoleBinding", name, ref, namespace)
        for (namespace, name), ref in policy.NAMESPACE_ROLE_BINDINGS.items()
    ]
    objects += [
        _role("ClusterRole", name, rules, bootstrap=False)
        for name, rules in ADDON_CLUSTER_ROLES.items()
    ]
    objects += [
        _binding("ClusterRoleBinding", name, ref, bootstrap=False)
        for name, ref in ADDON_CLUSTER_ROLE_BINDINGS.items()
    ]
    objects += [
        _role("Role", name, rules, namespace, bootstrap=False)
        for (namespace, name), rules in ADDON_ROLES.items()
    ]
    objects += [
        _binding("RoleBinding", name, ref, namespace, bootstrap=False)
        for (namespace, name), ref in ADDON_ROLE_BINDINGS.items()
    ]
    return objects
