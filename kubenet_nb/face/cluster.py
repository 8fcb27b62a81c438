"""The public `Cluster`: a control plane and its data plane, and the ways a learner drives and
looks at them (kubectl, traces, pictures, tables, the workbench).

It composes the layers below and is the only class the notebooks use: the engine
(`ControlPlane`) knows nothing of kubectl, kube-proxy or pictures, and none of those know this
class; each takes what it needs as arguments or as a small protocol.
"""

from __future__ import annotations

import builtins
import os
from collections.abc import Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from kubenet_nb.api.apiextensions import CustomKind
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.kind import KindSettings
from kubenet_nb.cluster.snapshot import load_snapshot
from kubenet_nb.io.live import read_cluster
from kubenet_nb.io.manifests import (
    MAX_READ_BYTES,
    check_request_size,
    decode_as_kubectl,
    load_manifests,
    too_large,
)
from kubenet_nb.io.snapshot import read_dump
from kubenet_nb.kubectl.command import KubectlOutput
from kubenet_nb.kubectl.main import run_kubectl
from kubenet_nb.network.dns import Answer, cluster_dns_state
from kubenet_nb.network.dns import resolve as dns_resolve
from kubenet_nb.network.kindnet import pod_subnets, with_kindnet
from kubenet_nb.network.port_forward import forwarded_trace
from kubenet_nb.network.port_forward import forwards as port_forwards
from kubenet_nb.network.proxy import ProxySettings, iptables_save
from kubenet_nb.network.send import send as send_traffic
from kubenet_nb.network.tools.libc import pod_libc
from kubenet_nb.network.trace import Trace
from kubenet_nb.network.trace import trace as trace_packet
from kubenet_nb.views.picture import Picture
from kubenet_nb.views.tables import dns_table, pods_table, services_table
from kubenet_nb.views.tables.endpoints import endpoints_table
from kubenet_nb.views.tables.reachability import reachability_table
from kubenet_nb.views.tables.rules import rules_table
from kubenet_nb.views.topology import topology

if TYPE_CHECKING:
    import pandas as pd

    from kubenet_nb.views.workbench import Workbench

__all__ = ["Cluster"]


class Cluster:
    """A kind-style cluster in memory: control-plane plus workers, CoreDNS, kube-proxy.

    Takes the control plane's settings (seed, workers, CIDRs, node-port range, cluster domain,
    `load_balancer` ("metallb", "cloud-provider-kind" or None for a stock kind cluster),
    `internet` (False: names outside the cluster get SERVFAIL), ...; see `ControlPlane`) plus
    `proxy`: kube-proxy's settings, its own defaults unless given.
    The default two workers are kind with a config listing a control-plane and two workers;
    `workers=0` is what a plain `kind create cluster` makes: one node, which kind untaints so
    that it runs every pod.

    >>> c = Cluster()
    >>> [n["metadata"]["name"] for n in c.list("nodes")]
    ['kind-control-plane', 'kind-worker', 'kind-worker2']
    >>> c.get("svc", "kubernetes")["spec"]["clusterIP"]
    '10.96.0.1'
    """

    def __init__(
        self,
        seed: int = 0,
        workers: int = 2,
        *,
        proxy: ProxySettings | None = None,
        **settings: Any,
    ) -> None:
        self.control_plane = ControlPlane(seed, workers, **settings)
        """The engine: API server, store, controllers, kubelets on a simulated clock."""
        self.proxy = proxy or ProxySettings(cluster_cidr=self.control_plane.settings.pod_cidr)
        """kube-proxy's settings on every node: the data plane's rules follow them."""

    @classmethod
    def from_kubeconfig(
        cls,
        context: str | None = None,
        kubeconfig: str | None = None,
        *,
        seed: int = 0,
        proxy: ProxySettings | None = None,
    ) -> Cluster:
        """A real cluster as it is now, read with list requests only (it is never written to;
        no kubectl, nothing spawned): its objects, IPs, ports and readiness, to trace, draw
        and tabulate. Changes made afterwards happen here only.

        `context` defaults to the kubeconfig's current one; `kubeconfig` to $KUBECONFIG or
        ~/.kube/config. `seed` fixes what later changes generate.
        """
        objects = read_cluster(context, kubeconfig)
        plane = load_snapshot(objects, seed=seed, now=datetime.now(timezone.utc))
        return cls._around(plane, proxy)

    @classmethod
    def from_manifests(
        cls, path: str | os.PathLike[str], *, seed: int = 0, proxy: ProxySettings | None = None
    ) -> Cluster:
        """A cluster as a `kubectl get -o yaml` dump shows it (a file, or a folder of them):
        objects, IPs, ports and status kept as observed."""
        return cls._around(load_snapshot(read_dump(path), seed=seed), proxy)

    @classmethod
    def _around(cls, plane: ControlPlane, proxy: ProxySettings | None) -> Cluster:
        """A Cluster around a control plane built elsewhere (a loaded snapshot)."""
        cluster = cls.__new__(cls)
        cluster.control_plane = plane
        cluster.proxy = proxy or ProxySettings(cluster_cidr=plane.settings.pod_cidr)
        return cluster

    # -- the API, as a client sees it ------------------------------------------------------

    @property
    def seed(self) -> int:
        """The seed that fixes every generated name, IP, port and random choice."""
        return self.control_plane.seed

    @property
    def settings(self) -> KindSettings:
        """The cluster's kind settings: name, nodes, CIDRs, node-port range, domain."""
        return self.control_plane.settings

    @property
    def now(self) -> datetime:
        """The simulated time (AGE columns, timestamps)."""
        return self.control_plane.now

    @property
    def resources(self) -> ResourceTable:
        """The resource types this cluster serves: the built-ins and its CRDs' resources."""
        return self.control_plane.resources

    def custom(self, kind: str) -> CustomKind | None:
        """The CRD-defined kind served under `kind` (None: a built-in or unknown kind)."""
        return self.control_plane.custom(kind)

    @property
    def last_warnings(self) -> builtins.list[str]:
        """The API server's warnings for the last write."""
        return self.control_plane.last_warnings

    def advance(self, seconds: float) -> None:
        """Let simulated time pass: terminating pods finish, timers fire, in order."""
        self.control_plane.advance(seconds)

    def create(self, obj: dict) -> dict:
        """POST an object: defaulted, validated, allocated, stored; controllers run after."""
        return self.control_plane.create(obj)

    def update(self, obj: dict) -> dict:
        """PUT an object (the whole object, as `kubectl replace` sends it)."""
        return self.control_plane.update(obj)

    def apply(self, manifests: str | bytes | dict | Iterable[dict]) -> builtins.list[dict]:
        """`kubectl apply` for YAML text or a file's bytes (one or many documents) or objects.

        All or nothing; bytes are read as kubectl reads a file, each object is one request
        under the API server's size limit.
        """
        served = self.control_plane.resources
        if isinstance(manifests, bytes):
            if len(manifests) > MAX_READ_BYTES:
                raise too_large("STDIN")
            objects = load_manifests(decode_as_kubectl(manifests), served=served)
        elif isinstance(manifests, str):
            objects = load_manifests(manifests, served=served)
        elif isinstance(manifests, dict):
            objects = [manifests]
        else:
            objects = list(manifests)
        for obj in objects:
            check_request_size(obj, applied=True)
        return self.control_plane.apply(objects)

    def get(self, kind: str, name: str, namespace: str = "default") -> dict:
        """The object as the API returns it (a copy); NotFound in the API server's words."""
        return self.control_plane.get(kind, name, namespace)

    def list(
        self, kind: str, namespace: str | None = "default", selector: str | None = None
    ) -> builtins.list[dict]:
        """Objects of a kind in a namespace (None: all), filtered by a label selector."""
        return self.control_plane.list(kind, namespace, selector)

    def delete(
        self, kind: str, name: str, namespace: str = "default", grace_period: int | None = None
    ) -> dict:
        """DELETE: pods on a node go Terminating first; dependents are collected after."""
        return self.control_plane.delete(kind, name, namespace, grace_period)

    def set_ready(self, pod: str, ready: bool, namespace: str = "default") -> dict:
        """Make the readiness probes of the pod's containers fail (the application starts
        failing them) or pass again: the pod turns 0/1 ready with the kubelet's `Readiness
        probe failed` event, its EndpointSlice entry `ready: false`, and kube-proxy's rules
        leave it out. Only a container with a readinessProbe can fail one: for a pod without
        any, `set_ready(pod, False)` is refused; make a container exit with `kill` instead."""
        return self.control_plane.set_ready(pod, ready, namespace)

    def fail_probe(
        self,
        pod: str,
        probe: str = "readiness",
        *,
        failing: bool = True,
        container: str | None = None,
        status: int = 500,
        namespace: str = "default",
    ) -> dict:
        """Make the application fail the pod's `probe` ("readiness", "liveness" or "startup"),
        or pass it again with `failing=False`: httpGet answers `status`, tcpSocket is refused,
        exec exits 1, grpc says NOT_SERVING. The kubelet notices on the clock: after
        failureThreshold x periodSeconds the pod is unready (its endpoint `ready: false`) or, for
        liveness and startup, the container is killed and restarted (`c.advance(seconds)`)."""
        return self.control_plane.fail_probe(pod, probe, failing, container, status, namespace)

    def kill(
        self,
        pod: str,
        container: str | None = None,
        *,
        exit_code: int = 1,
        namespace: str = "default",
    ) -> dict:
        """Make a container's main process exit, as `kubectl exec POD -- kill 1` would:
        the container is terminated with `exit_code` and not ready, then the kubelet restarts
        it (RESTARTS +1) at its next relist, 1s later. Exiting again soon after a restart puts
        it in CrashLoopBackOff for 10s, then 20s, 40s, ... 5m. `container` defaults to the
        pod's default container (the first one); `c.advance(seconds)` lets the restart happen.
        """
        return self.control_plane.kill(pod, container, exit_code, namespace)

    # -- kubectl, the data plane and the views ---------------------------------------------

    def kubectl(self, command: str) -> KubectlOutput:
        """Run a kubectl command line against this cluster; returns what kubectl prints.

        The text (a `str`) has no final newline, so that `print` shows exactly what a terminal
        shows; `.exit_code` is 1 when the command printed results and then failed (`kubectl
        apply -f` of a file with a bad document), `.stderr` what went to stderr. A command
        refused outright raises a `KubenetError` whose text is kubectl's error output.

        >>> c = Cluster()
        >>> print(c.kubectl("get nodes"))
        NAME                 STATUS   ROLES           AGE   VERSION
        kind-control-plane   Ready    control-plane   5m    v1.33.1
        kind-worker          Ready    <none>          5m    v1.33.1
        kind-worker2         Ready    <none>          5m    v1.33.1
        """
        out = run_kubectl(self.control_plane, command, self.proxy)
        return KubectlOutput(out.removesuffix("\n"), out.exit_code, out.stderr)

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
        store = self.control_plane.store
        text = iptables_save(
            store.list("Service"), store.list("EndpointSlice"), store.list("Node"), node, self.proxy
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
        it the name is asked of CoreDNS as written, as `dig` would. From a pod, an A or AAAA
        question is asked as `getaddrinfo` asks it, A and AAAA for each candidate name, by the
        rules of the pod's C library (musl in Alpine-based images, else glibc); `qtype` picks
        the addresses returned, and `.tried` lists every query.

        >>> Cluster().resolve("kube-dns.kube-system.svc.cluster.local").addresses
        ['10.96.0.10']
        """
        state = cluster_dns_state(self.control_plane)
        if from_pod is None:
            return dns_resolve(state, name, qtype)
        pod = self._pod(from_pod, namespace)
        return dns_resolve(state, name, qtype, pod, pod_libc(pod))

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
        packet enters by. `src="localhost"` is the laptop, reaching a pod through a
        `kubectl port-forward` listening on `dst` (`localhost:8080`).

        >>> c = Cluster()
        >>> c.trace("kind-worker", "10.96.0.1:443").verdict
        'delivered'
        """
        laptop = src == "localhost" and not self.control_plane.store.get("Pod", "default", src)
        if laptop:
            return forwarded_trace(self.control_plane, dst, port, protocol)
        return trace_packet(
            self.control_plane, src, dst, port, protocol, seed, via=via, proxy=self.proxy
        )

    def stop_port_forward(self, local_port: int | None = None) -> int:
        """Stop the `kubectl port-forward` listening on `local_port` (every one without it),
        as Ctrl-C stops it in a terminal; returns how many listeners were closed."""
        return len(port_forwards(self.control_plane).stop(local_port))

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
        return send_traffic(
            self.control_plane, src, dst, n, port, protocol, seed, via=via, proxy=self.proxy
        )

    def topology(
        self,
        namespace: str | None = None,
        highlight: Trace | None = None,
        selector: str | None = None,
        **options: Any,
    ) -> Picture:
        """A picture (Graphviz) of nodes, pods, Services and endpoints, displayed as SVG.

        Options: containers, system (show kube-system and friends), fold_threshold, legend,
        flows=<port> with flows_protocol ("TCP", "UDP" or "SCTP"): an edge for each pair of
        drawn pods the NetworkPolicies let connect on that port (the caption says so instead
        when every pair may, or none). Pods a NetworkPolicy isolates are marked
        `isolated: ingress, egress`.
        """
        return topology(self, namespace, highlight, selector, **options)

    def workbench(self, namespace: str = "default") -> Workbench:
        """An ipywidgets app over this cluster: forms and buttons, its picture, table and log."""
        from kubenet_nb.views.workbench import Workbench  # ipywidgets loads only when asked

        return Workbench(self, namespace)

    def endpoints_table(
        self, namespace: str | None = None, service: str | None = None, *, wide: bool = False
    ) -> pd.DataFrame:
        """Service port -> endpoint ip:port -> pod -> node, ready, why not; `wide=True` adds
        port name, protocol, targetPort, IP and port apart, serving, terminating (`-o wide`)."""
        return endpoints_table(self, namespace, service, wide=wide)

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
        return dns_table(cluster_dns_state(self.control_plane), namespace, service)

    def rules_table(
        self,
        node: str | None = None,
        table: str | None = None,
        chain: str | None = None,
        service: str | None = None,
    ) -> pd.DataFrame:
        """A node's iptables rules as rows (the text `iptables_save` prints, parsed)."""
        return rules_table(self, node, table, chain, service)

    def reachability(
        self, port: int = 80, protocol: str = "TCP", namespace: str | None = None
    ) -> pd.DataFrame:
        """Which pod may connect to which (index source `ns/pod`, columns destination `ns/pod`,
        bool) on `port`/`protocol`, judged by the NetworkPolicies only (no Services, routes or
        readiness); `namespace` narrows both sides."""
        return reachability_table(self, port, protocol, namespace)

    def _pod(self, pod: str | dict, namespace: str) -> dict:
        if isinstance(pod, dict):
            return pod
        if "/" in pod:
            namespace, pod = pod.split("/", 1)
        return self.get("pod", pod, namespace)

    def __repr__(self) -> str:
        count = self.control_plane.store.count
        return (
            f"<Cluster {self.settings.name!r} seed={self.seed}: {count('Node')} nodes, "
            f"{count('Pod')} pods, {count('Service')} services>"
        )
