"""`send`: many new connections through the rules, counted by the backend that got each.

Every connection is a fresh one (a new source port, conntrack NEW), so it goes through the nat
rules and their random draws again; all happen at the same simulated instant, so ClientIP
affinity (`recent` lists, per node) pins a client for the whole call and past it until
`timeoutSeconds` of simulated time went by (`Cluster.advance`). The name is resolved once.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

import pandas as pd

from kubenet_nb.network.dataplane import View, dataplane, default_proxy
from kubenet_nb.network.netfilter import host_port
from kubenet_nb.network.proxy import ProxySettings
from kubenet_nb.network.trace import prepare
from kubenet_nb.network.walk import Connection

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["SEND_COLUMNS", "send"]

SEND_COLUMNS = ("pod", "node", "ip", "verdict", "count", "share")
"""The columns of `send`'s table: one row per backend (and per kind of failure)."""


def _name(pod: dict | None) -> str:
    return "" if pod is None else pod["metadata"]["name"]


def _backends(view: View, ip: str, port: int, proto: str) -> list[tuple[str, str, str]]:
    """(pod, node, ip:port) of every ready endpoint of the service at ip:port, if it is one."""
    rows: list[tuple[str, str, str]] = []
    wiring = view.wiring
    for sp, _how in wiring.services_at(ip, port, proto):
        for endpoint in wiring.endpoints.get(sp.key, ()):
            if not endpoint.ready:
                continue
            info = wiring.pods.get(endpoint.ip)
            pod = _name(info.pod) if info is not None else ""
            node = info.node if info is not None else endpoint.node
            row = (pod, node, host_port(endpoint.ip, endpoint.port))
            if row not in rows:
                rows.append(row)
    return rows


def send(
    cluster: ControlPlane,
    src: str | dict,
    dst: str,
    n: int = 1000,
    port: int | None = None,
    protocol: str = "TCP",
    seed: int | None = None,
    *,
    via: str | None = None,
    proxy: ProxySettings | None = None,
) -> pd.DataFrame:
    """Open `n` connections from `src` to `dst`; how many each backend got.

    Rows: every ready endpoint of the destination service (zero when it got nothing), every
    other address that answered, and the failures (`refused`, `timeout`, `nxdomain`, …) by the
    pod that refused, or the node where the packet was dropped or rejected; delivered rows
    first, then by pod, address and verdict.
    """
    if n < 1:
        raise ValueError("n must be at least 1")
    proxy = proxy or default_proxy(cluster)
    plane = dataplane(cluster)
    view = plane.view(cluster, proxy)
    rng = random.Random(seed) if seed is not None else plane.rng
    request = prepare(cluster, view, src, dst, port, protocol, via, rng)
    counts: dict[tuple[str, str, str, str], int] = {}
    if request.ip is None:
        counts[("", request.client.node or "", "", request.failure or "")] = n
    else:
        for pod, node, address in _backends(view, request.ip, request.port, request.proto):
            counts[(pod, node, address, "delivered")] = 0
        connection = Connection(view, rng, cluster.clock.seconds, record=False)
        for _ in range(n):
            result = connection.open(request.client, request.ip, request.port, request.proto, via)
            backend, node = _name(result.backend), result.node or ""
            key = (backend, node, result.endpoint or "", result.verdict)
            counts[key] = counts.get(key, 0) + 1
    rows = [
        (pod, node, address, verdict, count, count / n)
        for (pod, node, address, verdict), count in counts.items()
    ]
    rows.sort(key=lambda row: (row[3] != "delivered", row[0], row[2], row[3]))
    return pd.DataFrame(rows, columns=list(SEND_COLUMNS))
