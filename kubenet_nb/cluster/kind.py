"""What `kind create cluster` leaves behind: nodes, namespaces, system Services and pods.

Facts from kubernetes-sigs/kind (node image kindest/node:v1.33.1, kindnet CNI, the control
plane's static pods, kubeadm's CoreDNS Deployment and kube-dns Service) and kubeadm's defaults.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kubenet_nb.api.well_known import (
    ARCH_BETA_LABEL,
    ARCH_LABEL,
    CLUSTER_SERVICE_LABEL,
    CONTROL_PLANE_ROLE_LABEL,
    CONTROL_PLANE_TAINT,
    CONTROLLER_MANAGED_ATTACH_ANNOTATION,
    EXCLUDE_FROM_LB_LABEL,
    HOSTNAME_LABEL,
    MIRROR_POD_ANNOTATION,
    NAME_LABEL,
    OBJECT_TTL_ANNOTATION,
    OS_BETA_LABEL,
    OS_LABEL,
    POD_CONFIG_SOURCE_ANNOTATION,
    SERVICE_NAME_LABEL,
    SKIP_MIRROR_LABEL,
)

__all__ = [
    "KUBERNETES_VERSION",
    "KindSettings",
    "coredns_deployment",
    "kube_dns_service",
    "kubernetes_service",
    "node_manifest",
    "system_namespaces",
]

KUBERNETES_VERSION = "v1.33.1"


@dataclass(frozen=True)
class KindSettings:
    """The knobs of a kind cluster that the simulation honours."""

    name: str = "kind"
    workers: int = 2
    pod_cidr: str = "10.244.0.0/16"
    service_cidr: str = "10.96.0.0/16"
    node_cidr_mask: int = 24
    node_network: str = "172.18.0.0/16"
    node_port_range: str = "30000-32767"
    cluster_domain: str = "cluster.local"
    load_balancer_pool: str = "172.18.255.200-172.18.255.250"
    """MetalLB's IPAddressPool (used when `load_balancer` is "metallb")."""
    load_balancer: str | None = "metallb"
    """Who serves LoadBalancer Services: "metallb", "cloud-provider-kind" or None (a stock kind
    cluster: EXTERNAL-IP stays `<pending>`); see cluster/controllers/loadbalancer.py."""
    internet: bool = False
    """Whether the host reaches a DNS resolver beyond Docker's (network/dns/upstream.py)."""

    def node_names(self) -> list[str]:
        workers = [f"{self.name}-worker" + (str(i + 1) if i else "") for i in range(self.workers)]
        return [f"{self.name}-control-plane", *workers]

    def node_ip(self, index: int) -> str:
        """Docker hands out .1 to the bridge, then .2, .3, ... to the node containers."""
        network = ipaddress.ip_network(self.node_network)
        return str(network.network_address + 2 + index)

    def service_ip(self, index: int) -> str:
        """The index-th address of the service CIDR (1 for kubernetes, 10 for kube-dns)."""
        return str(ipaddress.ip_network(self.service_cidr).network_address + index)


def system_namespaces() -> list[str]:
    """The namespaces of a new kind cluster (`kubectl get ns`)."""
    return ["default", "kube-node-lease", "kube-public", "kube-system", "local-path-storage"]


def node_manifest(
    name: str,
    ip: str,
    *,
    control_plane: bool = False,
    alone: bool = False,
    labels: dict[str, str] | None = None,
) -> dict:
    """A Node as kind's kubelet registers it (labels, taint, addresses, node info).

    kubeadm marks a control-plane node with the NoSchedule taint and the exclude-from-external-
    load-balancers label; when it is the cluster's only node (`alone`, what a plain `kind create
    cluster` makes), kind removes both so that pods and load balancers can use it
    (kubernetes-sigs/kind pkg/cluster/internal/create/actions/kubeadminit/init.go @ v0.29.0).
    """
    node_labels = {
        ARCH_BETA_LABEL: "amd64",
        OS_BETA_LABEL: "linux",
        ARCH_LABEL: "amd64",
        HOSTNAME_LABEL: name,
        OS_LABEL: "linux",
    }
    if control_plane:
        node_labels[CONTROL_PLANE_ROLE_LABEL] = ""
    if control_plane and not alone:
        node_labels[EXCLUDE_FROM_LB_LABEL] = ""
    node_labels.update(labels or {})
    spec: dict = {"providerID": f"kind://docker/kind/{name}"}
    if control_plane and not alone:
        spec["taints"] = [{"key": CONTROL_PLANE_TAINT, "effect": "NoSchedule"}]
    return {
        "apiVersion": "v1",
        "kind": "Node",
        "metadata": {
            "name": name,
            "labels": node_labels,
            "annotations": {
                OBJECT_TTL_ANNOTATION: "0",
                CONTROLLER_MANAGED_ATTACH_ANNOTATION: "true",
            },
        },
        "spec": spec,
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ]
        },
    }


def kubernetes_service(settings: KindSettings) -> dict:
    """default/kubernetes: the API server at the first service IP, port 443 -> 6443."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kubernetes",
            "namespace": "default",
            "labels": {"component": "apiserver", "provider": "kubernetes"},
        },
        "spec": {
            "clusterIP": settings.service_ip(1),
            "ports": [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
            "sessionAffinity": "None",
            "type": "ClusterIP",
        },
    }


def kubernetes_endpoints(settings: KindSettings) -> list[dict]:
    """The Endpoints and EndpointSlice the API server keeps for itself."""
    ip = settings.node_ip(0)
    labels = {SKIP_MIRROR_LABEL: "true"}
    return [
        {
            "apiVersion": "v1",
            "kind": "Endpoints",
            "metadata": {"name": "kubernetes", "namespace": "default", "labels": labels},
            "subsets": [
                {
                    "addresses": [{"ip": ip}],
                    "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
                }
            ],
        },
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "kubernetes",
                "namespace": "default",
                "labels": {SERVICE_NAME_LABEL: "kubernetes"},
            },
            "addressType": "IPv4",
            "endpoints": [{"addresses": [ip], "conditions": {"ready": True}}],
            "ports": [{"name": "https", "port": 6443, "protocol": "TCP"}],
        },
    ]


def kube_dns_service(settings: KindSettings) -> dict:
    """kube-system/kube-dns as kubeadm's CoreDNS addon creates it, at the tenth service IP."""
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": "kube-dns",
            "namespace": "kube-system",
            "labels": {
                "k8s-app": "kube-dns",
                CLUSTER_SERVICE_LABEL: "true",
                NAME_LABEL: "CoreDNS",
            },
            "annotations": {"prometheus.io/port": "9153", "prometheus.io/scrape": "true"},
        },
        "spec": {
            "clusterIP": settings.service_ip(10),
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
                {"name": "metrics", "port": 9153, "protocol": "TCP", "targetPort": 9153},
            ],
            "selector": {"k8s-app": "kube-dns"},
            "type": "ClusterIP",
        },
    }


def coredns_deployment() -> dict:
    """kube-system/coredns: two replicas tolerating the control-plane taint."""
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {
            "name": "coredns",
            "namespace": "kube-system",
            "labels": {"k8s-app": "kube-dns"},
        },
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"k8s-app": "kube-dns"}},
            "strategy": {
                "type": "RollingUpdate",
                "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": 1},
            },
            "template": {
                "metadata": {"labels": {"k8s-app": "kube-dns"}},
                "spec": {
                    "containers": [
                        {
                            "name": "coredns",
                            "image": "registry.k8s.io/coredns/coredns:v1.12.0",
                            "args": ["-conf", "/etc/coredns/Corefile"],
                            "ports": [
                                {"containerPort": 53, "name": "dns", "protocol": "UDP"},
                                {"containerPort": 53, "name": "dns-tcp", "protocol": "TCP"},
                                {"containerPort": 9153, "name": "metrics", "protocol": "TCP"},
                            ],
                        }
                    ],
                    "dnsPolicy": "Default",
                    "nodeSelector": {OS_LABEL: "linux"},
                    "priorityClassName": "system-cluster-critical",
                    "serviceAccountName": "coredns",
                    "tolerations": [
                        {"key": "CriticalAddonsOnly", "operator": "Exists"},
                        {"key": CONTROL_PLANE_TAINT, "effect": "NoSchedule"},
                    ],
                },
            },
        },
    }


def local_path_provisioner() -> dict:
    """local-path-storage/local-path-provisioner: kind's default storage class provisioner."""
    labels = {"app": "local-path-provisioner"}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": "local-path-provisioner", "namespace": "local-path-storage"},
        "spec": {
            "replicas": 1,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {
                            "name": "local-path-provisioner",
                            "image": "docker.io/kindest/local-path-provisioner:v20250214-acbabc1a",
                        }
                    ],
                    "nodeSelector": {OS_LABEL: "linux"},
                    "serviceAccountName": "local-path-provisioner-service-account",
                    "tolerations": [
                        {
                            "key": CONTROL_PLANE_TAINT,
                            "operator": "Equal",
                            "effect": "NoSchedule",
                        }
                    ],
                },
            },
        },
    }


def static_pods(node: str, ip: str) -> list[dict]:
    """The control plane's static (mirror) pods, host-networked on the control-plane node."""
    pods = []
    for component, image in (
        ("etcd", "registry.k8s.io/etcd:3.5.21-0"),
        ("kube-apiserver", f"registry.k8s.io/kube-apiserver:{KUBERNETES_VERSION}"),
        (
            "kube-controller-manager",
            f"registry.k8s.io/kube-controller-manager:{KUBERNETES_VERSION}",
        ),
        ("kube-scheduler", f"registry.k8s.io/kube-scheduler:{KUBERNETES_VERSION}"),
    ):
        pods.append(
            _host_pod(
                f"{component}-{node}",
                node,
                component,
                image,
                {"component": component, "tier": "control-plane"},
            )
        )
    return pods


def node_agents() -> list[dict]:
    """The per-node DaemonSets: kindnet (the CNI) and kube-proxy, host-networked, each with its
    own ServiceAccount (kind const_cni.go; kubeadm addons/proxy manifests.go)."""
    return [
        _daemonset(
            "kindnet",
            "kindnet-cni",
            "docker.io/kindest/kindnetd:v20250512-df8de77b",
            {"app": "kindnet", "k8s-app": "kindnet", "tier": "node"},
            {"app": "kindnet"},
            [{"operator": "Exists", "effect": "NoSchedule"}],
            "kindnet",
        ),
        _daemonset(
            "kube-proxy",
            "kube-proxy",
            f"registry.k8s.io/kube-proxy:{KUBERNETES_VERSION}",
            {"k8s-app": "kube-proxy"},
            {"k8s-app": "kube-proxy"},
            [{"operator": "Exists"}],
            "kube-proxy",
        ),
    ]


def _daemonset(
    name: str,
    container: str,
    image: str,
    labels: dict[str, str],
    selector: dict[str, str],
    tolerations: list[dict],
    account: str,
) -> dict:
    return {
        "apiVersion": "apps/v1",
        "kind": "DaemonSet",
        "metadata": {"name": name, "namespace": "kube-system", "labels": labels},
        "spec": {
            "selector": {"matchLabels": selector},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "hostNetwork": True,
                    "priorityClassName": "system-node-critical",
                    "containers": [{"name": container, "image": image}],
                    "nodeSelector": {OS_LABEL: "linux"},
                    "serviceAccountName": account,
                    "tolerations": tolerations,
                },
            },
        },
    }


def _host_pod(name: str, node: str, container: str, image: str, labels: dict[str, str]) -> dict:
    meta = {
        "namespace": "kube-system",
        "name": name,
        "labels": labels,
        "annotations": {MIRROR_POD_ANNOTATION: "", POD_CONFIG_SOURCE_ANNOTATION: "file"},
    }
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": meta,
        "spec": {
            "nodeName": node,
            "hostNetwork": True,
            "priorityClassName": "system-node-critical",
            "containers": [{"name": container, "image": image}],
            "tolerations": [{"operator": "Exists"}],
        },
    }
