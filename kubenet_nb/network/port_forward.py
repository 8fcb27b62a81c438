"""`kubectl port-forward`'s tunnels: what listens on the laptop, and a connection through one.

`kubectl port-forward` listens on the laptop (127.0.0.1 and ::1 by default) and carries each
connection it accepts over its HTTPS connection to the API server (`POST .../pods/NAME/
portforward`), which streams it to the kubelet of the pod's node; the kubelet has the
container runtime dial the port on `localhost` inside the pod's network namespace. So the
connection reaches ONE pod (for a Service or a Deployment, the one kubectl picked when it
started), bypasses kube-proxy (no Service address, no DNAT, no load balancing, no masquerade),
and the pod sees it come from 127.0.0.1. A socket bound to the pod's loopback only answers too.

A real `kubectl port-forward` runs until interrupted; in a notebook the command returns at
once and the tunnel stays open in the cluster's `Forwards` until `stop` (or the pod is gone:
kubectl then ends with `lost connection to pod`, and the laptop's port is closed again).
Connections are traced from the laptop with `forwarded_trace`; their source ports come from
the cluster's traffic generator (Linux's ephemeral range).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.cluster.listeners import pod_listeners
from kubenet_nb.network.clients import protocol_name, split_destination
from kubenet_nb.network.dataplane import dataplane
from kubenet_nb.network.hops import Hop
from kubenet_nb.network.netfilter import host_port
from kubenet_nb.network.trace import Trace

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["LAPTOP", "Forward", "Forwards", "forwarded_trace", "forwards"]

LAPTOP = "laptop (kubectl's machine)"
EPHEMERAL = (32768, 60999)
"""Linux's net.ipv4.ip_local_port_range: where the laptop's and the runtime's source ports
come from."""
_LOOPBACK = {"localhost": ("127.0.0.1", "::1"), "127.0.0.1": ("127.0.0.1",), "::1": ("::1",)}
_ANY = {"127.0.0.1": "0.0.0.0", "::1": "::"}


@dataclass(frozen=True)
class Forward:
    """One forwarded port: where it listens on the laptop, the pod and the pod's port."""

    address: str
    """The laptop address listened on (`127.0.0.1`, `::1`, or one given with --address)."""
    local_port: int
    remote_port: int
    namespace: str
    pod: str
    uid: str


class Forwards:
    """The port-forwards a cluster's kubectl left running, in the order they started."""

    def __init__(self) -> None:
        self.open: list[Forward] = []

    def listening(self, address: str, port: int) -> Forward | None:
        """The forward that accepts a connection to address:port on the laptop."""
        for forward in self.open:
            bound = forward.address in (address, _ANY.get(address))
            if bound and forward.local_port == port:
                return forward
        return None

    def bound(self, address: str, port: int) -> bool:
        """Whether a listener of the same family already holds address:port or the family's
        wildcard (bind: address already in use)."""
        wildcards = ("0.0.0.0", "::")
        return any(
            f.local_port == port
            and (":" in f.address) == (":" in address)
            and (f.address == address or address in wildcards or f.address in wildcards)
            for f in self.open
        )

    def add(self, forward: Forward) -> None:
        self.open.append(forward)

    def stop(self, local_port: int | None = None) -> list[Forward]:
        """End the forwards on `local_port` (all of them without one, as Ctrl-C would each);
        returns those ended."""
        ended = [f for f in self.open if local_port is None or f.local_port == local_port]
        self.open = [f for f in self.open if f not in ended]
        return ended


_FORWARDS: WeakKeyDictionary[ControlPlane, Forwards] = WeakKeyDictionary()


def forwards(cluster: ControlPlane) -> Forwards:
    """The cluster's running port-forwards."""
    found = _FORWARDS.get(cluster)
    if found is None:
        found = _FORWARDS[cluster] = Forwards()
    return found


def _closed(source: str, destination: str, target: str, reason: str) -> Trace:
    hops = (Hop("reply", "", action=f"RST from {target}: nothing listens there"),)
    return Trace(source, destination, target, hops, "refused", reason)


def forwarded_trace(
    cluster: ControlPlane, dst: str, port: int | None = None, protocol: str = "TCP"
) -> Trace:
    """One new connection from the laptop to `dst` (`localhost:8080`, `127.0.0.1:8080`,
    `[::1]:8080`) through the port-forward listening there."""
    if protocol_name(protocol) != "tcp":
        raise KubenetError("kubectl port-forward forwards TCP connections only")
    host, number = split_destination(dst, port)
    if host not in _LOOPBACK:
        raise KubenetError(
            f"the laptop reaches the cluster here only through kubectl port-forward: "
            f"trace to localhost:PORT, not {dst!r}"
        )
    destination = f"{host_port(host, number)}/TCP"
    table = forwards(cluster)
    found = next(
        (f for a in _LOOPBACK[host] if (f := table.listening(a, number)) is not None), None
    )
    address = found.address if found is not None else _LOOPBACK[host][0]
    target = host_port(address if address not in _ANY.values() else _LOOPBACK[host][0], number)
    if found is None:
        return _closed(LAPTOP, destination, target, f"nothing listens on {target} on the laptop")
    pod = cluster.store.get("Pod", found.namespace, found.pod)
    if pod is None or pod["metadata"].get("uid") != found.uid:
        table.stop(found.local_port)
        reason = (
            f"kubectl port-forward to pod {found.namespace}/{found.pod} ended (lost connection "
            f"to pod); nothing listens on {target} on the laptop any more"
        )
        return _closed(LAPTOP, destination, target, reason)
    rng = dataplane(cluster).rng
    laptop_port, inner_port = (rng.randint(*EPHEMERAL) for _ in range(2))
    local_ip = target.rpartition(":")[0].strip("[]")
    client = host_port(local_ip, laptop_port)
    node = (pod.get("spec") or {}).get("nodeName") or ""
    name = f"{found.namespace}/{found.pod}"
    inside = host_port("127.0.0.1", found.remote_port)
    peer = host_port("127.0.0.1", inner_port)
    hops = [
        Hop("route", "", action=f"the laptop connects to {target}", src=client, dst=target),
        Hop(
            "forward",
            "",
            action=(
                f"kubectl port-forward accepts it and streams it to the API server "
                f"(POST pods/{found.pod}/portforward, port {found.remote_port})"
            ),
        ),
        Hop(
            "forward",
            node,
            action=(
                f"the API server streams it to the kubelet on {node}; containerd dials "
                f"{inside} inside the pod's network namespace (no Service, no kube-proxy rule)"
            ),
            src=peer,
            dst=inside,
        ),
    ]
    listening = any(s.port == found.remote_port and s.protocol == "TCP" for s in pod_listeners(pod))
    shown = f"{target}, kubectl port-forward"
    if not listening:
        hops.append(Hop("reply", node, action=f"RST from {inside}: the pod has no socket there"))
        hops.append(Hop("reply", "", action="kubectl closes the laptop's connection"))
        reason = (
            f"pod {name} does not listen on {found.remote_port}: kubectl reports `an error "
            f"occurred forwarding {found.local_port} -> {found.remote_port}` and closes the "
            "connection"
        )
        return Trace(LAPTOP, destination, shown, tuple(hops), "refused", reason, node=node)
    hops.append(Hop("deliver", node, action=f"delivered to pod {name}", src=peer, dst=inside))
    hops.append(Hop("reply", node, action=f"reply {inside} → {peer}", src=inside, dst=peer))
    hops.append(
        Hop("reply", "", action=f"the laptop gets the reply from {target}", src=target, dst=client)
    )
    reason = f"delivered to {name} port {found.remote_port} through kubectl port-forward"
    return Trace(
        LAPTOP,
        destination,
        shown,
        tuple(hops),
        "delivered",
        reason,
        backend=pod,
        endpoint=inside,
        node=node,
        source_seen="127.0.0.1",
        peer=peer,
    )
