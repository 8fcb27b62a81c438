"""The public `Cluster`: the engine plus the ways a learner drives and looks at it.

The engine (`kubenet_nb.cluster`) knows nothing of kubectl, kube-proxy or pictures; this class
adds them on top, so the layers only depend downwards.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kubenet_nb.cluster.cluster import Cluster as EngineCluster
from kubenet_nb.kubectl.main import run_kubectl
from kubenet_nb.network.dns import Answer, cluster_dns_state
from kubenet_nb.network.dns import resolve as dns_resolve
from kubenet_nb.network.kindnet import pod_subnets, with_kindnet
from kubenet_nb.network.proxy import ProxySettings, iptables_save
from kubenet_nb.network.send import send as send_traffic
from kubenet_nb.network.trace import Trace
from kubenet_nb.network.trace import trace as trace_packet
from kubenet_nb.views.picture import Picture
from kubenet_nb.views.tables import dns_table, pods_table, services_table
from kubenet_nb.views.tables_endpoints import endpoints_table
from kubenet_nb.views.tables_rules import rules_table
from kubenet_nb.views.topology import topology

if TYPE_CHECKING:
    import pandas as pd

    from kubenet_nb.views.workbench import Workbench

__all__ = ["Cluster"]


class Cluster(EngineCluster):
    """A kind-style cluster in memory; see DESIGN.md's public face.

    Takes the engine's settings (seed, workers, CIDRs, node-port range, cluster domain, ...)
    plus `proxy`: kube-proxy's settings, kube-proxy's own defaults unless given.
    """

    def __init__(self, *args: Any, proxy: ProxySettings | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proxy = proxy or ProxySettings(cluster_cidr=self.settings.pod_cidr)

    def kubectl(self, command: str) -> str:
        """Run a kubectl command line against this cluster; returns what kubectl prints.

        The text has no final newline, so that `print` shows exactly what a terminal shows.
        A refused command raises a `KubenetError` whose text is kubectl's error output.

        >>> c = Cluster()
        >>> print(c.kubectl("get nodes"))
        NAME                 STATUS   ROLES           AGE   VERSION
        kind-control-plane   Ready    control-plane   5m    v1.33.1
        kind-worker          Ready    <none>          5m    v1.33.1
        kind-worker2         Ready    <none>          5m    v1.33.1
        """
        return run_kubectl(self, command).removesuffix("\n")

    def iptables_save(self, node: str | None = None) -> str:
        """What `iptables-save` shows on a node: kube-proxy's filter and nat tables, with
        kindnet's masquerade rules (KIND-MASQ-AGENT) where the node lists them.

        `node` defaults to the first worker (the control plane in a cluster without workers).

        >>> rules = Cluster().iptables_save(node="kind-worker")
        >>> "-A KUBE-SERVICES -d 10.96.0.1/32 -p tcp" in rules
        True
        """
        names = self.settings.node_names()
        node = node or (names[1] if len(names) > 1 else names[0])
        text = iptables_save(
            self.store.list("Service"),
            self.store.list("EndpointSlice"),
            self.store.list("Node"),
            node,
            self.proxy,
        )
        return with_kindnet(text, pod_subnets(self.settings.pod_cidr))

    def resolve(
        self,
        name: str,
        qtype: str = "A",
        from_pod: str | dict | None = None,
        namespace: str = "default",
    ) -> Answer:
        """The cluster DNS's answer, as the pod's resolver gets it (search list, ndots:5).

        `from_pod` is a pod name in `namespace` (or "namespace/name", or the pod object); without
        it the name is asked of CoreDNS as written, as `dig` would.

        >>> Cluster().resolve("kube-dns.kube-system.svc.cluster.local").addresses
        ['10.96.0.10']
        """
        pod = self._pod(from_pod, namespace) if from_pod is not None else None
        return dns_resolve(cluster_dns_state(self), name, qtype, pod)

    def trace(
        self,
        src: str | dict,
        dst: str,
        port: int | None = None,
        protocol: str = "TCP",
        seed: int | None = None,
        *,
        via: str | None = None,
    ) -> Trace:
        """Follow one new connection hop by hop: DNS, the node's rules, routing, the reply.

        `src` is a pod ("name" or "namespace/name"), a node name or an outside IP; `dst` a
        service name as a pod types it, or `ip:port`; `via` picks the node an outside client's
        packet enters by.

        >>> c = Cluster()
        >>> c.trace("kind-worker", "10.96.0.1:443").verdict
        'delivered'
        """
        return trace_packet(self, src, dst, port, protocol, seed, via=via, proxy=self.proxy)

    def send(
        self,
        src: str | dict,
        dst: str,
        n: int = 1000,
        port: int | None = None,
        protocol: str = "TCP",
        seed: int | None = None,
        *,
        via: str | None = None,
    ) -> pd.DataFrame:
        """Open `n` new connections and count which backend got each (a pandas table)."""
        return send_traffic(self, src, dst, n, port, protocol, seed, via=via, proxy=self.proxy)

    def topology(
        self,
        namespace: str | None = None,
        highlight: Trace | None = None,
        selector: str | None = None,
        **options: Any,
    ) -> Picture:
        """A picture (Graphviz) of nodes, pods, Services and endpoints, displayed as SVG.

        Options: containers, system (show kube-system and friends), fold_threshold, legend.
        """
        return topology(self, namespace, highlight, selector, **options)

    def workbench(self, namespace: str = "default") -> Workbench:
        """An ipywidgets app over this cluster: forms and buttons, its picture, table and log."""
        from kubenet_nb.views.workbench import Workbench  # ipywidgets loads only when asked

        return Workbench(self, namespace)

    def endpoints_table(
        self, namespace: str | None = None, service: str | None = None
    ) -> pd.DataFrame:
        """Service port -> endpoint ip:port -> pod -> node, with conditions and why not."""
        return endpoints_table(self, namespace, service)

    def services_table(
        self,
        namespace: str | None = "default",
        selector: str | None = None,
        show_labels: bool = False,
    ) -> pd.DataFrame:
        """`kubectl get svc -o wide` as a table (namespace=None: every namespace)."""
        return services_table(self, namespace, selector, show_labels)

    def pods_table(
        self,
        namespace: str | None = "default",
        selector: str | None = None,
        show_labels: bool = False,
    ) -> pd.DataFrame:
        """`kubectl get pods -o wide` as a table (namespace=None: every namespace)."""
        return pods_table(self, namespace, selector, show_labels)

    def dns_table(self, namespace: str | None = None, service: str | None = None) -> pd.DataFrame:
        """Every record the cluster DNS serves: name, type, value, TTL."""
        return dns_table(self, namespace, service)

    def rules_table(
        self,
        node: str | None = None,
        table: str | None = None,
        chain: str | None = None,
        service: str | None = None,
    ) -> pd.DataFrame:
        """A node's iptables rules as rows (the text `iptables_save` prints, parsed)."""
        return rules_table(self, node, table, chain, service)

    def _pod(self, pod: str | dict, namespace: str) -> dict:
        if isinstance(pod, dict):
            return pod
        if "/" in pod:
            namespace, pod = pod.split("/", 1)
        return self.get("pod", pod, namespace)
