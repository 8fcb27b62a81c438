"""What listens where: the ports a pod's processes accept connections on.

kube-proxy never checks that a backend listens; the backend's own kernel answers a connection
to a closed port with a TCP RST (UDP: ICMP port unreachable), which the client sees as
"connection refused". `containerPort` is informational (core/v1 types.go Container.Ports: "Not
specifying a port here DOES NOT prevent that port from being exposed"), so for the images
below the ports are what their process listens on by default, whatever the pod declares
(nginx answers on 80 with no containerPort, and not on a declared 8080); for any other image
the declared containerPorts are taken as what it listens on. Host-network pods listen on
their node's addresses, and every node runs the kubelet on its daemon endpoint port.

It lives with the kubelet because binding is what the containers do: a container whose socket
is already taken in the pod's shared network namespace fails to start (`conflicts`).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Listener", "conflicts", "image_repository", "pod_listeners"]

ANY = ""
LOOPBACK = "127.0.0.1"

_IMAGE_PORTS: dict[str, tuple[tuple[int, str, str], ...]] = {
    "nginx": ((80, "TCP", ANY),),
    "httpd": ((80, "TCP", ANY),),
    "nginxinc/nginx-unprivileged": ((8080, "TCP", ANY),),
    "hashicorp/http-echo": ((5678, "TCP", ANY),),
    "coredns/coredns": (
        (53, "UDP", ANY),
        (53, "TCP", ANY),
        (9153, "TCP", ANY),
        (8080, "TCP", ANY),
        (8181, "TCP", ANY),
    ),
    "kube-apiserver": ((6443, "TCP", ANY),),
    "etcd": ((2379, "TCP", ANY), (2380, "TCP", ANY), (2381, "TCP", LOOPBACK)),
    "kube-controller-manager": ((10257, "TCP", LOOPBACK),),
    "kube-scheduler": ((10259, "TCP", LOOPBACK),),
    "kube-proxy": ((10256, "TCP", ANY), (10249, "TCP", LOOPBACK)),
    "kindest/kindnetd": (),
}
"""Default listening ports by image repository: nginx/httpd images EXPOSE 80; CoreDNS serves
53 plus metrics 9153, health 8080 and ready 8181 (kubeadm's Corefile); kubeadm's static pods
bind the API server to 6443 and the controller manager and scheduler to 127.0.0.1; kube-proxy
serves healthz on 10256 and metrics on 127.0.0.1:10249."""


@dataclass(frozen=True)
class Listener:
    """A socket: which container of which pod listens on port/protocol, at which address."""

    container: str
    port: int
    protocol: str
    bind: str = ANY
    """"" for every address, or the one address it is bound to (127.0.0.1)."""

    def accepts(self, ip: str, port: int, protocol: str) -> bool:
        if port != self.port or protocol.upper() != self.protocol:
            return False
        return not self.bind or ip == self.bind or (self.bind == LOOPBACK and ip.startswith("127."))


def image_repository(image: str) -> str:
    """The image's repository without registry, `library/`, tag or digest.

    >>> image_repository("registry.k8s.io/coredns/coredns:v1.12.0")
    'coredns/coredns'
    >>> image_repository("docker.io/library/nginx:1.27@sha256:0123")
    'nginx'
    """
    name = image.split("@", 1)[0]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    last = parts[-1].split(":", 1)[0]
    parts = [*parts[:-1], last]
    if len(parts) == 2 and parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts)


def _container_listeners(container: dict) -> list[Listener]:
    name = container.get("name", "")
    known = _IMAGE_PORTS.get(image_repository(container.get("image") or ""))
    if known is not None:
        return [Listener(name, port, proto, bind) for port, proto, bind in known]
    return [
        Listener(name, int(port.get("containerPort", 0)), port.get("protocol") or "TCP")
        for port in container.get("ports") or ()
    ]


def _clash(a: Listener, b: Listener) -> bool:
    return (a.port, a.protocol) == (b.port, b.protocol) and (
        not a.bind or not b.bind or a.bind == b.bind
    )


def conflicts(pod: dict) -> dict[str, Listener]:
    """Containers that cannot bind a socket an earlier container of the pod holds
    ("Address already in use"): container name -> the socket it wanted."""
    taken: list[Listener] = []
    failed: dict[str, Listener] = {}
    for container in (pod.get("spec") or {}).get("containers") or ():
        mine = _container_listeners(container)
        clash = next((m for m in mine if any(_clash(m, t) for t in taken)), None)
        if clash is not None:
            failed[container.get("name", "")] = clash
        else:
            taken += mine
    return failed


def pod_listeners(pod: dict) -> list[Listener]:
    """Every socket the pod's running containers listen on."""
    failed = conflicts(pod)
    found: list[Listener] = []
    for container in (pod.get("spec") or {}).get("containers") or ():
        if container.get("name", "") not in failed:
            found += _container_listeners(container)
    return found
