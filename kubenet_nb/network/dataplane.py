"""The data plane of one cluster: each node's rules and state, rebuilt only when objects change.

A `View` is the network at one store version: the wiring, the NetworkPolicies, and per node
the parsed rules (kube-proxy's `iptables_save` text for that node, plus kindnet's rules), built
on first use.
Views are cached on the store's resourceVersion and the proxy settings (never while a request
is half-done), so repeated traces and bulk traffic reuse the parsed, indexed rules. A new
version costs what changed, not the whole cluster: the wiring re-derives only the objects
written since (`WiringBuilder`); nodes with the very same kube-proxy text (one string for
identical nodes, and the same string again while their rules did not change) share one parsed
ruleset; and compiled chains are shared between nodes and with the previous version when their
lines are the same (`ChainPool`), so a change recompiles only the chains it touched. What
outlives a view is the kernel state: each node's `recent` lists (ClientIP affinity) and the
generator that draws for traffic sent without a seed (seeded from the cluster's seed, apart
from the cluster's own generator so that traffic never changes generated names).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from kubenet_nb.network.kindnet import pod_subnets, with_kindnet
from kubenet_nb.network.netfilter import (
    ChainPool,
    Host,
    RecentTables,
    Ruleset,
    ip_int,
    parse_ruleset,
)
from kubenet_nb.network.policy.gate import PolicyGate
from kubenet_nb.network.proxy import ProxySettings, iptables_save
from kubenet_nb.network.routing import Route, masquerade_address, route
from kubenet_nb.network.wiring import Wiring, WiringBuilder

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["Dataplane", "View", "dataplane", "default_proxy"]

Parsed = dict[int, tuple[str, Ruleset]]
"""Rulesets by the identity of kube-proxy's text, kept with the text (so the id stays its own)."""


def default_proxy(cluster: ControlPlane) -> ProxySettings:
    """kube-proxy's defaults on a kind node: the cluster-CIDR local detector on the pod CIDR."""
    return ProxySettings(cluster_cidr=cluster.settings.pod_cidr)


class View:
    """The network at one store version."""

    def __init__(
        self,
        cluster: ControlPlane,
        proxy: ProxySettings,
        plane: Dataplane,
        pool: ChainPool,
        earlier: Parsed,
    ) -> None:
        store = cluster.store
        self.proxy = proxy
        self._services = store.list("Service")
        self._slices = store.list("EndpointSlice")
        self._nodes = store.list("Node")
        self.wiring: Wiring = plane.wiring.build(
            self._nodes,
            store.list("Pod"),
            self._services,
            self._slices,
            cluster.settings.pod_cidr,
            cluster.settings.node_network,
            proxy.ip_family,
        )
        self.policies = PolicyGate(
            store.list("NetworkPolicy"), store.list("Namespace"), self.wiring
        )
        """The NetworkPolicies as kindnetd's hooks on every node apply them."""
        self._recent = plane.recent
        self._pod_subnets = pod_subnets(cluster.settings.pod_cidr)
        self._pool = pool
        self._earlier = earlier
        self.parsed: Parsed = {}
        """The rulesets this view used, for the next view to find by their text."""
        self._rulesets: dict[str, Ruleset] = {}
        self._hosts: dict[str, Host] = {}
        self._routes: dict[tuple[str, str], Route] = {}

    def rules_text(self, node: str) -> str:
        """kube-proxy's tables on the node, exactly as `iptables_save` prints them."""
        return iptables_save(self._services, self._slices, self._nodes, node, self.proxy)

    def ruleset(self, node: str) -> Ruleset:
        """The node's rules as the kernel holds them: the very text `Cluster.iptables_save`
        prints, kube-proxy's with kindnet's merged in (parsed once per kube-proxy text: nodes
        with the very same text share the ruleset)."""
        found = self._rulesets.get(node)
        if found is None:
            text = self.rules_text(node)
            key = id(text)
            entry = self.parsed.get(key) or self._earlier.get(key)
            if entry is None or entry[0] is not text:
                merged = with_kindnet(text, self._pod_subnets)
                entry = (text, parse_ruleset(merged, pool=self._pool))
            self.parsed[key] = entry
            found = self._rulesets[node] = entry[1]
        return found

    def route(self, node: str, dst: str) -> Route:
        """`ip route get dst` on the node (remembered: routes change only with the objects)."""
        key = (node, dst)
        found = self._routes.get(key)
        if found is None:
            found = self._routes[key] = route(self.wiring, node, dst)
        return found

    def host(self, node: str) -> Host:
        """What the node's matches consult: its local addresses and its `recent` lists."""
        found = self._hosts.get(node)
        if found is None:
            info = self.wiring.nodes[node]
            local = {ip_int(info.ip)} | ({ip_int(info.gateway)} if info.gateway else set())
            found = Host(
                node,
                frozenset(local),
                lambda device: masquerade_address(info, device),
                self._recent.setdefault(node, RecentTables()),
                self.proxy.ipv6,
            )
            self._hosts[node] = found
        return found


class Dataplane:
    """One cluster's data plane: views by store version, kernel state, the traffic generator,
    and what a new view reuses (the wiring's parts, compiled chains, parsed rulesets)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(f"kubenet-dataplane-{seed}")
        self.recent: dict[str, RecentTables] = {}
        self.wiring = WiringBuilder()
        self._view: tuple[tuple[int, ProxySettings], View] | None = None
        self._pool = ChainPool()

    def view(self, cluster: ControlPlane, proxy: ProxySettings) -> View:
        """The network of the cluster as it is now (the cached view while nothing changed)."""
        store = cluster.store
        key = (store.resource_version, proxy)
        if self._view is not None and self._view[0] == key and not store.in_transaction:
            return self._view[1]
        earlier = self._view[1].parsed if self._view is not None else {}
        if store.in_transaction:
            return View(cluster, proxy, self, ChainPool(self._pool), earlier)
        self._pool = ChainPool(self._pool)
        view = View(cluster, proxy, self, self._pool, earlier)
        self._view = (key, view)
        return view


_planes: WeakKeyDictionary[ControlPlane, Dataplane] = WeakKeyDictionary()


def dataplane(cluster: ControlPlane) -> Dataplane:
    """The cluster's data plane (one per cluster, kept as long as the cluster lives)."""
    plane = _planes.get(cluster)
    if plane is None:
        plane = _planes[cluster] = Dataplane(cluster.seed)
    return plane
