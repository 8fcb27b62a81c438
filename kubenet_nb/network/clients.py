"""Who sends and where to: a trace's source and destination as a learner writes them.

A source is a pod (its dict, `name` in the default namespace, or `namespace/name`), a node
(by name), or an IP address: a node's or a pod's IP stands for that node or pod, any other
address is a machine outside the cluster (on the kind Docker network, say). A destination is
`host[:port]` or `[ipv6]:port`, the host an IP address or a name to resolve; without a port,
80 (what `curl http://host` uses).
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.api.ip_addresses import is_ip
from kubenet_nb.network.hops import Client
from kubenet_nb.network.wiring import Wiring

if TYPE_CHECKING:
    from kubenet_nb.cluster.store import Store

__all__ = ["DEFAULT_PORT", "PROTOCOLS", "client_for", "protocol_name", "split_destination"]

DEFAULT_PORT = 80
PROTOCOLS = ("TCP", "UDP", "SCTP")


def _pod_client(pod: dict) -> Client:
    meta, spec, status = pod["metadata"], pod.get("spec") or {}, pod.get("status") or {}
    name = f"{meta.get('namespace', 'default')}/{meta['name']}"
    ip = status.get("podIP")
    if not spec.get("nodeName") or not ip or status.get("phase") in ("Succeeded", "Failed"):
        phase = status.get("phase") or "Pending"
        raise KubenetError(f"pod {name} has no IP address to send from (phase {phase})")
    return Client("pod", ip, spec["nodeName"], pod)


def client_for(store: Store, wiring: Wiring, src: str | dict) -> Client:
    """The sender `src` names."""
    if isinstance(src, dict):
        meta = src.get("metadata") or {}
        current = store.get("Pod", meta.get("namespace") or "default", meta.get("name") or "")
        return _pod_client(current or src)
    if is_ip(src):
        ip = str(ipaddress.ip_address(src))
        if ip in wiring.node_by_ip:
            return Client("node", ip, wiring.node_by_ip[ip])
        if ip in wiring.pods:
            return _pod_client(wiring.pods[ip].pod)
        if ipaddress.ip_address(ip) in wiring.pod_cidr:
            raise KubenetError(f"no pod has the IP address {ip}")
        return Client("external", ip)
    if "/" in src:
        namespace, name = src.split("/", 1)
        return _pod_client(store.require("Pod", namespace, name))
    pod = store.get("Pod", "default", src)
    if pod is None and src in wiring.nodes:
        return Client("node", wiring.nodes[src].ip, src)
    return _pod_client(pod if pod is not None else store.require("Pod", "default", src))


def split_destination(dst: str, port: int | None = None) -> tuple[str, int]:
    """(host, port) from `host`, `host:port`, `[ipv6]:port` or a bare IPv6 address."""
    host, written = dst.strip(), None
    if host.startswith("["):
        inner, _, rest = host[1:].partition("]")
        host, written = inner, rest[1:] if rest.startswith(":") else None
    elif host.count(":") == 1:
        host, written = host.split(":")
    if not host:
        raise KubenetError(f"no host in destination {dst!r}")
    number: int | None = None
    if written is not None:
        digits = written.isascii() and written.isdigit() and len(written) <= 5
        if not digits or not 0 < int(written) < 65536:
            raise KubenetError(f"invalid port {written!r} in destination {dst!r}")
        number = int(written)
    if port is not None:
        if not 0 < int(port) < 65536:
            raise KubenetError(f"invalid port {port}")
        if number is not None and number != int(port):
            raise KubenetError(f"destination {dst!r} names port {number}, not {port}")
        number = int(port)
    return host, DEFAULT_PORT if number is None else number


def protocol_name(protocol: str) -> str:
    """The protocol in iptables' spelling (`tcp`), for TCP, UDP or SCTP in any case."""
    if protocol.upper() not in PROTOCOLS:
        raise KubenetError(f"unsupported protocol {protocol!r}: use TCP, UDP or SCTP")
    return protocol.lower()
