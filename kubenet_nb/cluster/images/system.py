"""The images of a kind cluster's own pods: CoreDNS, the control plane, kube-proxy, kindnet.

CoreDNS serves 53 plus metrics 9153, health 8080 and ready 8181 (kubeadm's Corefile); kubeadm's
static pods bind the API server to 6443 and the controller manager and scheduler to
127.0.0.1; etcd's metrics listen on 127.0.0.1:2381; kube-proxy serves healthz on 10256 and
metrics on 127.0.0.1:10249. These come from the configuration kind writes, not from flags
a learner changes, so they are fixed.
"""

from __future__ import annotations

from kubenet_nb.cluster.images.model import LOOPBACK, Image, ListenPort, Program

__all__ = ["SYSTEM"]


def _fixed(name: str, ports: tuple[ListenPort, ...], source: str) -> Image:
    """A system image whose program listens where its kind/kubeadm configuration says."""
    return Image((Program((name,), ports, source),), entrypoint=(f"/{name}",))


SYSTEM: dict[str, Image] = {
    "coredns/coredns": _fixed(
        "coredns",
        (
            ListenPort(53, "UDP"),
            ListenPort(53),
            ListenPort(9153),
            ListenPort(8080),
            ListenPort(8181),
        ),
        "kubeadm cmd/kubeadm/app/phases/addons/dns/manifests.go: the Corefile",
    ),
    "kube-apiserver": _fixed(
        "kube-apiserver", (ListenPort(6443),), "kubeadm static pod: --secure-port=6443"
    ),
    "etcd": _fixed(
        "etcd",
        (ListenPort(2379), ListenPort(2380), ListenPort(2381, bind=LOOPBACK)),
        "kubeadm static pod: --listen-client-urls, --listen-peer-urls, --listen-metrics-urls",
    ),
    "kube-controller-manager": _fixed(
        "kube-controller-manager",
        (ListenPort(10257, bind=LOOPBACK),),
        "kubeadm static pod: --bind-address=127.0.0.1",
    ),
    "kube-scheduler": _fixed(
        "kube-scheduler",
        (ListenPort(10259, bind=LOOPBACK),),
        "kubeadm static pod: --bind-address=127.0.0.1",
    ),
    "kube-proxy": _fixed(
        "kube-proxy",
        (ListenPort(10256), ListenPort(10249, bind=LOOPBACK)),
        "kube-proxy defaults: healthz 0.0.0.0:10256, metrics 127.0.0.1:10249",
    ),
    "kindest/kindnetd": _fixed("kindnetd", (), "kubernetes-sigs/kind images/kindnetd: no socket"),
}
