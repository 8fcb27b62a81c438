"""The ServiceAccounts a fresh kind cluster holds besides each namespace's `default`.

kube-controller-manager runs with --use-service-account-credentials (kubeadm's static pod), so
each controller's ClientBuilder.ClientOrDie(name) creates a kube-system ServiceAccount of that
name: kubernetes/kubernetes @ v1.33.0 cmd/kube-controller-manager/app/*.go, for the controllers
enabled by default plus bootstrapsigner and tokencleaner (kubeadm's --controllers=*,
bootstrapsigner,tokencleaner). Controllers sharing a client share its account: node-ipam,
node-lifecycle and taint-eviction use node-controller; csrsigning, csrapproving and csrcleaner
use certificate-controller. The addons bring coredns (kubeadm addons/dns), kube-proxy (kubeadm
addons/proxy), kindnet and local-path-provisioner-service-account (kubernetes-sigs/kind @
v0.29.0 pkg/build/nodeimage const_cni.go, const_storage.go).
"""

from __future__ import annotations

__all__ = ["CONTROLLER_MANAGER_ACCOUNTS", "DEFAULT_SERVICE_ACCOUNT", "system_service_accounts"]

DEFAULT_SERVICE_ACCOUNT = "default"

CONTROLLER_MANAGER_ACCOUNTS = (
    "attachdetach-controller",
    "bootstrap-signer",
    "certificate-controller",
    "clusterrole-aggregation-controller",
    "cronjob-controller",
    "daemon-set-controller",
    "deployment-controller",
    "disruption-controller",
    "endpoint-controller",
    "endpointslice-controller",
    "endpointslicemirroring-controller",
    "ephemeral-volume-controller",
    "expand-controller",
    "generic-garbage-collector",
    "horizontal-pod-autoscaler",
    "job-controller",
    "legacy-service-account-token-cleaner",
    "namespace-controller",
    "node-controller",
    "persistent-volume-binder",
    "pod-garbage-collector",
    "pv-protection-controller",
    "pvc-protection-controller",
    "replicaset-controller",
    "replication-controller",
    "resourcequota-controller",
    "root-ca-cert-publisher",
    "service-account-controller",
    "service-cidrs-controller",
    "statefulset-controller",
    "token-cleaner",
    "ttl-after-finished-controller",
    "ttl-controller",
    "validatingadmissionpolicy-status-controller",
)

ADDON_ACCOUNTS = (
    ("kube-system", "coredns"),
    ("kube-system", "kindnet"),
    ("kube-system", "kube-proxy"),
    ("local-path-storage", "local-path-provisioner-service-account"),
)


def service_account(namespace: str, name: str) -> dict:
    """A ServiceAccount with no token Secrets (none are made since v1.24)."""
    return {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {"name": name, "namespace": namespace},
    }


def system_service_accounts() -> list[dict]:
    """The addons' and kube-controller-manager's accounts."""
    names = [*ADDON_ACCOUNTS, *(("kube-system", n) for n in CONTROLLER_MANAGER_ACCOUNTS)]
    return [service_account(namespace, name) for namespace, name in names]
