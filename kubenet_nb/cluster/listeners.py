"""What listens where: the ports a pod's processes accept connections on.

kube-proxy never checks that a backend listens; the backend's own kernel answers a connection
to a closed port with a TCP RST (UDP: ICMP port unreachable), which the client sees as
"connection refused". `containerPort` is informational (core/v1 types.go Container.Ports: "Not
specifying a port here DOES NOT prevent that port from being exposed"), so for the images in
kubenet_nb.cluster.images the ports are what their process listens on given its command, args
and env, whatever the pod declares (nginx answers on 80 with no containerPort, and not on a
declared 8080; agnhost `serve-hostname --port=8080` on 8080); for any other image the declared
containerPorts are taken as what it listens on. Host-network pods listen on
their node's addresses, and every node runs the kubelet on its daemon endpoint port.

It lives with the kubelet because binding is what the containers do: a container whose socket
is already taken in the pod's shared network namespace fails to start (`conflicts`).
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenet_nb.cluster.images import ANY, LOOPBACK, image_repository, image_sockets

__all__ = ["Listener", "conflicts", "image_repository", "pod_listeners"]


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


def _container_listeners(container: dict) -> list[Listener]:
    name = container.get("name", "")
    known = image_sockets(container)
    if known is not None:
        return [Listener(name, s.port, s.protocol, s.bind) for s in known]
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
