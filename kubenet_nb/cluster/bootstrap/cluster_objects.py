"""The cluster-scoped and kube-system odds and ends of a fresh kind cluster.

- StorageClass `standard`: kubernetes-sigs/kind @ v0.29.0 pkg/build/nodeimage/const_storage.go.
- PriorityClasses: kubernetes/kubernetes @ v1.33.0 pkg/apis/scheduling/types.go
  (SystemClusterCritical, SystemNodeCritical, HighestUserDefinablePriority) and
  pkg/registry/scheduling/rest/storage_scheduling.go, which creates them at start-up.
- Secret `bootstrap-token-abcdef`: kubeadm's bootstraptoken phase (cmd/kubeadm/app/phases/
  bootstraptoken/node/token.go, k8s.io/cluster-bootstrap token/api) for kind's fixed token
  abcdef.0123456789abcdef, with kubeadm's default 24h TTL and usages.
- ServiceCIDR `kubernetes`: pkg/controlplane/controller/defaultservicecidr, from the service
  CIDR (--service-cluster-ip-range).
"""

from __future__ import annotations

import base64
from datetime import datetime, timedelta

from kubenet_nb.cluster.clock import format_time
from kubenet_nb.cluster.kind import KindSettings

__all__ = ["cluster_objects"]

SYSTEM_PRIORITY_CLASSES = (
    (
        "system-node-critical",
        2000001000,
        "Used for system critical pods that must not be moved from their current node.",
    ),
    (
        "system-cluster-critical",
        2000000000,
        "Used for system critical pods that must run in the cluster, but can be moved to "
        "another node if necessary.",
    ),
)
BOOTSTRAP_TOKEN = ("abcdef", "0123456789abcdef")
TOKEN_TTL = timedelta(hours=24)


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def storage_class() -> dict:
    """kind's default StorageClass, served by local-path-provisioner."""
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {
            "name": "standard",
            "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
        },
        "provisioner": "rancher.io/local-path",
        "reclaimPolicy": "Delete",
        "volumeBindingMode": "WaitForFirstConsumer",
    }


def priority_classes() -> list[dict]:
    """The two system PriorityClasses, not global defaults, preempting lower priorities."""
    return [
        {
            "apiVersion": "scheduling.k8s.io/v1",
            "kind": "PriorityClass",
            "metadata": {"name": name},
            "value": value,
            "description": description,
            "preemptionPolicy": "PreemptLowerPriority",
        }
        for name, value, description in SYSTEM_PRIORITY_CLASSES
    ]


def bootstrap_token_secret(now: datetime) -> dict:
    """kube-system/bootstrap-token-abcdef: kubeadm's token for joining nodes."""
    token_id, secret = BOOTSTRAP_TOKEN
    return {
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {"name": f"bootstrap-token-{token_id}", "namespace": "kube-system"},
        "type": "bootstrap.kubernetes.io/token",
        "data": {
            "auth-extra-groups": _b64("system:bootstrappers:kubeadm:default-node-token"),
            "expiration": _b64(format_time(now + TOKEN_TTL)),
            "token-id": _b64(token_id),
            "token-secret": _b64(secret),
            "usage-bootstrap-authentication": _b64("true"),
            "usage-bootstrap-signing": _b64("true"),
        },
    }


def service_cidr(settings: KindSettings, now: datetime) -> dict:
    """The default ServiceCIDR the API server keeps for --service-cluster-ip-range."""
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "ServiceCIDR",
        "metadata": {"name": "kubernetes"},
        "spec": {"cidrs": [settings.service_cidr]},
        "status": {
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True",
                    "lastTransitionTime": format_time(now),
                    "reason": "",
                    "message": "Kubernetes default Service CIDR is ready",
                }
            ]
        },
    }


def cluster_objects(settings: KindSettings, now: datetime) -> list[dict]:
    """StorageClass, PriorityClasses, the bootstrap token Secret and the ServiceCIDR."""
    return [
        storage_class(),
        *priority_classes(),
        bootstrap_token_secret(now),
        service_cidr(settings, now),
    ]
