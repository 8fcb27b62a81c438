"""The Leases of a fresh kind cluster: node heartbeats, leader election, API server identity.

kubernetes/kubernetes @ v1.33.0: pkg/kubelet/nodelease and staging k8s.io/component-helpers
apimachinery/lease (one Lease per node in kube-node-lease, holder the node, 40s, owned by the
Node); staging k8s.io/client-go/tools/leaderelection/resourcelock (kube-controller-manager and
kube-scheduler in kube-system, holder `<hostname>_<uuid>`, 15s); pkg/controlplane/apiserver
(the identity lease `apiserver-<base32 of sha256(hostname)[:16]>`, 3600s, labelled
apiserver.kubernetes.io/identity=kube-apiserver).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime

__all__ = ["control_plane_leases", "node_lease"]

NODE_LEASE_SECONDS = 40
LEADER_LEASE_SECONDS = 15
IDENTITY_LEASE_SECONDS = 3600


def micro_time(moment: datetime) -> str:
    """metav1.MicroTime text: RFC 3339 with microseconds."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _lease(namespace: str, name: str, spec: dict, **meta: object) -> dict:
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": name, "namespace": namespace, **meta},
        "spec": spec,
    }


def node_lease(node: dict, now: datetime) -> dict:
    """The kubelet's heartbeat Lease of a node."""
    meta = node["metadata"]
    owner = {"apiVersion": "v1", "kind": "Node", "name": meta["name"], "uid": meta["uid"]}
    spec = {
        "holderIdentity": meta["name"],
        "leaseDurationSeconds": NODE_LEASE_SECONDS,
        "renewTime": micro_time(now),
    }
    return _lease("kube-node-lease", meta["name"], spec, ownerReferences=[owner])


def identity_lease_name(hostname: str) -> str:
    """The API server's identity Lease name for its host."""
    digest = hashlib.sha256(hostname.encode()).digest()[:16]
    return "apiserver-" + base64.b32encode(digest).decode().rstrip("=").lower()


def control_plane_leases(hostname: str, uids: list[str], now: datetime) -> list[dict]:
    """kube-controller-manager's and kube-scheduler's leader locks and the API server's identity;
    `uids` are the three processes' identities."""
    leases = []
    for component, uid in zip(("kube-controller-manager", "kube-scheduler"), uids, strict=False):
        spec = {
            "acquireTime": micro_time(now),
            "holderIdentity": f"{hostname}_{uid}",
            "leaseDurationSeconds": LEADER_LEASE_SECONDS,
            "leaseTransitions": 0,
            "renewTime": micro_time(now),
        }
        leases.append(_lease("kube-system", component, spec))
    identity = identity_lease_name(hostname)
    spec = {
        "holderIdentity": f"{identity}_{uids[2]}",
        "leaseDurationSeconds": IDENTITY_LEASE_SECONDS,
        "renewTime": micro_time(now),
    }
    labels = {
        "apiserver.kubernetes.io/identity": "kube-apiserver",
        "kubernetes.io/hostname": hostname,
    }
    leases.append(_lease("kube-system", identity, spec, labels=labels))
    return leases
