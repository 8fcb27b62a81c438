"""`ControlPlane`: a kind cluster's control plane in memory, driven as a client drives it.

A request runs in a store transaction: the API server's checks and the write. A refused request
raises a `KubenetError` and leaves the cluster exactly as it was: objects, allocations, random
state and queued work. An accepted one is committed; then the controllers run until nothing is
left to do, each controller's sync of one key in its own all-or-nothing unit. A sync the API
server refuses is undone alone (its event, such as FailedCreate, recorded) and retried after a
backoff on the simulated clock; it never takes back the user's write.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from kubenet_nb.api.apiextensions import CustomKind, decode_custom
from kubenet_nb.api.decode import Decoded, decode, served_as
from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.generic import rules_for
from kubenet_nb.api.kinds import RESOURCES, ResourceInfo, ResourceTable
from kubenet_nb.api.selectors import parse_selector
from kubenet_nb.cluster import kind as kind_defaults
from kubenet_nb.cluster.allocators import ClusterIPAllocator, NodePortAllocator
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.apply import patched_for_apply, with_last_applied
from kubenet_nb.cluster.bootstrap import create_leases, seed_system_objects
from kubenet_nb.cluster.bootstrap.writer import SystemRandomness, system_seed, system_writer
from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.container_logs import ContainerLogs
from kubenet_nb.cluster.controllers.base import Controller, SyncError
from kubenet_nb.cluster.controllers.batch import batch_controllers
from kubenet_nb.cluster.controllers.crd import CRDController
from kubenet_nb.cluster.controllers.daemonset import DaemonSetController
from kubenet_nb.cluster.controllers.deployment import DeploymentController
from kubenet_nb.cluster.controllers.disruption import DisruptionController
from kubenet_nb.cluster.controllers.endpoints import EndpointsController
from kubenet_nb.cluster.controllers.endpointslice import EndpointSliceController
from kubenet_nb.cluster.controllers.garbage_collector import GarbageCollector
from kubenet_nb.cluster.controllers.hpa import HorizontalController
from kubenet_nb.cluster.controllers.loadbalancer import LoadBalancerController
from kubenet_nb.cluster.controllers.local_path import LocalPathProvisioner
from kubenet_nb.cluster.controllers.node import NodeController
from kubenet_nb.cluster.controllers.replicaset import ReplicaSetController
from kubenet_nb.cluster.controllers.root_ca_publisher import RootCACertPublisher
from kubenet_nb.cluster.controllers.service_index import ServiceIndex
from kubenet_nb.cluster.controllers.serviceaccounts import ServiceAccountsController
from kubenet_nb.cluster.controllers.statefulset import StatefulSetController
from kubenet_nb.cluster.controllers.volume_binder import VolumeBinder
from kubenet_nb.cluster.ephemeral_containers import add_ephemeral_container
from kubenet_nb.cluster.eviction import evict_each
from kubenet_nb.cluster.ipam import NodeCIDRAllocator
from kubenet_nb.cluster.kind import KindSettings
from kubenet_nb.cluster.kubelet import Kubelets
from kubenet_nb.cluster.node_pods import NodePods
from kubenet_nb.cluster.ownership import OwnerIndex
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.registry.core import core_strategies
from kubenet_nb.cluster.registry.generic import GenericStrategy
from kubenet_nb.cluster.registry.ip_addresses import IPAddressRecords
from kubenet_nb.cluster.registry.service import ServiceStrategy
from kubenet_nb.cluster.scheduler import Scheduler
from kubenet_nb.cluster.served import ServedResources
from kubenet_nb.cluster.store import Store, clone
from kubenet_nb.cluster.timers import Timers

__all__ = ["ControlPlane"]

T = TypeVar("T")
SERVER_METADATA = ("resourceVersion", "uid", "creationTimestamp", "generation", "managedFields")
"""Metadata the server owns; apply ignores it in a manifest (it does not check resourceVersion
for conflicts, as a real server would for a stale one). A manifest's status counts only when it
creates a Node."""
MAX_SETTLE_PASSES = 100_000
"""A request whose controllers keep finding work after this many passes has a loop: a bug."""
BOOT_SECONDS = 300
"""How long ago the cluster was created when the user first looks at it."""
RETRY_BASE_SECONDS, RETRY_MAX_SECONDS = 0.005, 1000.0
"""client-go util/workqueue DefaultTypedControllerRateLimiter's per-item exponential backoff
(5ms doubling to 1000s), with which controllers requeue a key whose sync failed
(queue.AddRateLimited); a success forgets the key's failures (queue.Forget)."""


_PATCH_DEPTH = 100
"""The deepest manifest whose written form kubectl's three-way patch is computed from."""


def _depth_at_most(value: object, limit: int) -> bool:
    """Whether maps and lists nest no deeper than `limit` (iteratively: any depth is safe)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= limit:
                return False
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)
    return True


class ControlPlane:
    """A kind cluster's control plane in memory: store, API server, allocators, controllers and the
    kubelets of its nodes, running CoreDNS and the kube-proxy and kindnet DaemonSets.

    >>> plane = ControlPlane(workers=1)
    >>> plane.store.count("Node"), plane.get("svc", "kube-dns", "kube-system")["spec"]["clusterIP"]
    (2, '10.96.0.10')
    """

    def __init__(
        self,
        seed: int = 0,
        workers: int = 2,
        *,
        name: str = "kind",
        pod_cidr: str = "10.244.0.0/16",
        service_cidr: str = "10.96.0.0/16",
        node_cidr_mask: int = 24,
        node_port_range: str = "30000-32767",
        cluster_domain: str = "cluster.local",
        node_network: str = "172.18.0.0/16",
        load_balancer_pool: str = "172.18.255.200-172.18.255.250",
        load_balancer: str | None = "metallb",
        internet: bool = False,
        max_endpoints_per_slice: int = 100,
        shutdown_seconds: float = 1.0,
        system_pods: bool = True,
        bootstrap: bool = True,
    ) -> None:
        self.settings = KindSettings(
            name=name,
            workers=workers,
            pod_cidr=pod_cidr,
            service_cidr=service_cidr,
            node_cidr_mask=node_cidr_mask,
            node_network=node_network,
            node_port_range=node_port_range,
            cluster_domain=cluster_domain,
            load_balancer_pool=load_balancer_pool,
            load_balancer=load_balancer,
            internet=internet,
        )
        self.seed = seed
        self.clock = Clock()
        self.random = Randomness(seed)
        self.resources = ResourceTable()
        """What this cluster's API server serves: the built-ins and its CRDs' resources."""
        self.store = Store(self.resources)
        self.api = ApiServer(self.store, self.clock, self.random)
        self.served = ServedResources(self.resources, self.api)
        self.store.watch(self.served.handle)
        self.writer = system_writer(
            self.api, SystemRandomness(system_seed(seed), self.store.on_undo)
        )
        """The API server as the cluster's own components write through it (uids of their own)."""
        if bootstrap:
            seed_system_objects(self.store, self.writer.random, self.settings, self.clock.now)
        self.timers = Timers(self.store.on_undo)
        self.owners = OwnerIndex()
        self.store.watch(self.owners.handle)
        self.cluster_ips = ClusterIPAllocator(service_cidr, self.random.rng, self.store.on_undo)
        self.node_ports = NodePortAllocator(node_port_range, self.random.rng, self.store.on_undo)
        self.node_pods = NodePods()
        self.store.watch(self.node_pods.handle)
        self.kubelets = Kubelets(
            self.store, self.api, self.timers, self.node_pods, shutdown_seconds
        )
        for strategy in core_strategies(self.kubelets, self.random, self.store):
            self.api.register(strategy)
        ip_addresses = IPAddressRecords(self.writer, self.cluster_ips.family)
        self.api.register(ServiceStrategy(self.cluster_ips, self.node_ports, ip_addresses))
        for info in RESOURCES:
            if info.kind not in self.api.strategies:
                self.api.register(GenericStrategy(info, rules_for(info.kind)))
        self.service_index = ServiceIndex(self.store)
        self.controllers: builtins.list[Controller] = [
            NodeController(
                self.store,
                self.api,
                NodeCIDRAllocator(pod_cidr, node_cidr_mask, self.store.on_undo),
                node_network,
                self.node_pods,
            ),
            DeploymentController(self.store, self.api, self.owners, self.timers),
            DaemonSetController(self.store, self.api, self.owners, self.timers),
            StatefulSetController(self.store, self.api, self.owners, self.timers),
            VolumeBinder(self.store, self.api),
            LocalPathProvisioner(self.store, self.api, self.timers, self.clock),
            ReplicaSetController(self.store, self.api, self.owners, self.timers),
            *batch_controllers(self.store, self.api, self.owners, self.timers, self.kubelets),
            Scheduler(self.store, self.api, self.random),
            self.kubelets,
            EndpointSliceController(
                self.store, self.api, max_endpoints_per_slice, self.service_index
            ),
            EndpointsController(self.store, self.api, self.service_index),
            DisruptionController(self.store, self.api, self.timers),
            LoadBalancerController(self.store, self.api, self.settings),
            HorizontalController(self.store, self.api, self.timers),
            GarbageCollector(self.store, self.api, self.owners),
            ServiceAccountsController(self.store, self.writer),
            RootCACertPublisher(self.store, self.writer, self.settings),
            CRDController(self.store, self.api, self.clock),
        ]
        self.store.watch(self.service_index.handle)
        for controller in self.controllers:
            self.store.watch(controller.handle)
        self.container_logs = ContainerLogs()
        """What containers wrote since they started (`kubectl logs` reads it)."""
        self.last_warnings: builtins.list[str] = []
        self.failures: dict[tuple[str, tuple[str, str]], int] = {}
        """Failed syncs not yet retried with success: (controller, key) -> failures in a row."""
        if bootstrap:  # False: an empty cluster, for a snapshot to be loaded into
            self._boot(system_pods)

    @property
    def node_controller(self) -> NodeController:
        return next(c for c in self.controllers if isinstance(c, NodeController))

    def _boot(self, system_pods: bool) -> None:
        settings = self.settings
        with self.store.transaction():
            for namespace in kind_defaults.system_namespaces():
                self.api.create(
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
                )
            names = settings.node_names()
            control_plane = kind_defaults.node_manifest(
                names[0], settings.node_ip(0), control_plane=True, alone=len(names) == 1
            )
            self.api.create(control_plane, trusted=True)
            self._settle()
            self.api.create(kind_defaults.kubernetes_service(settings))
            for obj in kind_defaults.kubernetes_endpoints(settings):
                self.api.create(obj, trusted=True)
            if system_pods:
                for pod in kind_defaults.static_pods(names[0], settings.node_ip(0)):
                    self.api.create(pod, trusted=True)
                for daemonset in kind_defaults.node_agents():
                    self.api.create(daemonset)
            self.api.create(kind_defaults.kube_dns_service(settings))
            self.api.create(kind_defaults.coredns_deployment())
            if system_pods:
                self.api.create(kind_defaults.local_path_provisioner())
            self._settle()
            for index, name in enumerate(names[1:], start=1):
                self.api.create(
                    kind_defaults.node_manifest(name, settings.node_ip(index)), trusted=True
                )
            self._settle()
            create_leases(self.writer, self.store.list("Node"), self.clock.now)
        self.advance(BOOT_SECONDS)

    # -- the request cycle ---------------------------------------------------------------

    def _settle(self) -> None:
        """Run controllers until none has work left (level-triggered, deterministic order)."""
        for _ in range(MAX_SETTLE_PASSES):
            busy = [c for c in self.controllers if c.pending()]
            if not busy:
                return
            for controller in busy:
                while (key := controller.pop()) is not None:
                    self._sync(controller, key)
        names = ", ".join(c.name for c in self.controllers if c.pending())
        raise RuntimeError(f"controllers did not settle: {names} still have work")

    def _sync(self, controller: Controller, key: tuple[str, str]) -> None:
        """One controller's sync of one key, all or nothing; a refusal is retried later.

        Random draws are not given back when a sync fails (as on a real cluster, the names it
        tried are spent), so its retry tries new ones. A bug (any other exception) undoes the
        sync and propagates.
        """
        try:
            with self.store.transaction():
                controller.reconcile(*key)
        except KubenetError as error:
            self._failed(controller, key, error)
            return
        if self.failures:
            self.failures.pop((controller.name, key), None)

    def _failed(self, controller: Controller, key: tuple[str, str], error: KubenetError) -> None:
        """Record the sync's event and requeue its key after the rate limiter's backoff."""
        failure = (controller.name, key)
        count = self.failures[failure] = self.failures.get(failure, 0) + 1
        if isinstance(error, SyncError):
            self.api.record_event(
                error.obj, "Warning", error.reason, controller.name, error.message
            )
        delay = min(RETRY_BASE_SECONDS * 2 ** min(count - 1, 40), RETRY_MAX_SECONDS)

        def retry() -> None:
            if failure in self.failures:
                controller.enqueue(*key)

        self.timers.at(self.clock.seconds + delay, retry)

    def _request(self, action: Callable[[], T]) -> T:
        """One client request: all of it happens, or none of it (state, random, queues); the
        controllers then settle what it changed, without taking the request back."""
        state = self.random.getstate()
        try:
            with self.store.transaction():
                result = action()
        except BaseException:
            self.random.setstate(state)
            for controller in self.controllers:
                controller.clear()
            raise
        self._settle()
        return result

    # -- the public face -------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The simulated time (AGE columns, timestamps)."""
        return self.clock.now

    def advance(self, seconds: float) -> None:
        """Let simulated time pass: terminating pods finish, timers fire, in order."""
        target = self.clock.seconds + seconds
        while True:
            due = self.timers.next_due()
            if due is None or due > target:
                break
            self.clock.seconds = max(self.clock.seconds, due)
            callback = self.timers.pop_due(self.clock.seconds)
            if callback is not None:
                self._request(callback)
        self.clock.seconds = target

    def create(self, obj: dict, *, field_validation: str = "Strict") -> dict:
        """POST an object: decoded, defaulted, validated, allocated, stored; controllers run after.

        `field_validation` is the request's fieldValidation: Strict refuses unknown fields, Warn
        drops them with a warning each, Ignore drops them silently.
        """
        created = self._request(lambda: self._write(self.api.create, obj, field_validation))
        return clone(self._current(created))

    def update(self, obj: dict, *, field_validation: str = "Strict") -> dict:
        """PUT an object (the whole object, as `kubectl replace` sends it), decoded first."""
        updated = self._request(lambda: self._write(self.api.update, obj, field_validation))
        return clone(self._current(updated))

    def _decode(self, obj: object, field_validation: str) -> Decoded:
        """The one door: a client's object decoded against its kind's schema, kind resolved."""
        if not isinstance(obj, dict) or not isinstance(obj.get("kind"), str):
            raise KubectlError("Object 'Kind' is missing in the object")
        info = self.resources.resolve(obj["kind"])
        custom = self.served.custom(info.kind)
        if custom is not None:
            return decode_custom({**obj, "kind": info.kind}, custom, field_validation)
        return decode({**obj, "kind": info.kind}, field_validation)

    def _write(self, method: Callable[..., dict], obj: dict, field_validation: str) -> dict:
        decoded = self._decode(obj, field_validation)
        return self._send(method, decoded.obj, decoded.warnings, copied=decoded.private)

    def _send(
        self,
        method: Callable[..., dict],
        obj: dict,
        warnings: builtins.list[str],
        *,
        copied: bool,
    ) -> dict:
        """Hand a decoded object to the API server; its warnings follow the decoder's.
        `copied`: the object shares nothing with the client's, so the server need not copy it."""
        result = method(obj, copied=copied)
        self.last_warnings = [*warnings, *self.api.last_warnings]
        return result

    def _current(self, obj: dict) -> dict:
        meta = obj["metadata"]
        return self.store.get(obj["kind"], meta.get("namespace", ""), meta["name"]) or obj

    def get(self, kind: str, name: str, namespace: str = "default") -> dict:
        """The object as the API returns it (a copy); NotFound in the API server's words."""
        info = self.resources.resolve(kind)
        if info.kind == "Event":
            for event in self.list("events", namespace):
                if event["metadata"]["name"] == name:
                    return event
            raise NotFound(info.plural, name, info.group)
        return clone(self.store.require(info.kind, self._namespace(info, namespace) or "", name))

    def list(
        self, kind: str, namespace: str | None = "default", selector: str | None = None
    ) -> builtins.list[dict]:
        """Objects of a kind in a namespace (None: all), filtered by a label selector."""
        info = self.resources.resolve(kind)
        match = parse_selector(selector).matches if selector else None
        if info.kind == "Event":
            records = [
                r for r in self.api.events.records if namespace is None or r.namespace == namespace
            ]
            objects: Iterable[dict] = sorted(
                (r.to_object() for r in records),
                key=lambda e: (e["metadata"]["namespace"], e["metadata"]["name"]),
            )
        else:
            objects = self.store.list(info.kind, self._namespace(info, namespace))
        return [
            clone(o) for o in objects if match is None or match(o["metadata"].get("labels", {}))
        ]

    def custom(self, kind: str) -> CustomKind | None:
        """The CRD-defined kind served under `kind` (None: a built-in or unknown kind)."""
        return self.served.custom(kind)

    def events_about(self, namespace: str, name: str) -> builtins.list[dict]:
        """Events whose involvedObject has this name in this namespace ("" for cluster scope)."""
        return [record.to_object() for record in self.api.events.named(namespace, name)]

    @staticmethod
    def _namespace(info: ResourceInfo, namespace: str | None) -> str | None:
        if not info.namespaced:
            return None if namespace is None else ""
        return namespace

    def delete(
        self, kind: str, name: str, namespace: str = "default", grace_period: int | None = None
    ) -> dict:
        """DELETE: pods on a node go Terminating first; dependents are collected after."""
        info = self.resources.resolve(kind)
        ns = self._namespace(info, namespace) or ""
        deleted = self._request(lambda: self.api.delete(info.kind, ns, name, grace_period))
        return clone(deleted)

    def set_ready(self, pod: str, ready: bool, namespace: str = "default") -> dict:
        """Make the pod's readiness probes fail or pass; EndpointSlices and rules follow.
        A pod without a readinessProbe cannot fail one (refused)."""

        def flip() -> dict:
            return self.kubelets.set_ready(self.store.require("Pod", namespace, pod), ready)

        return clone(self._current(self._request(flip)))

    def fail_probe(
        self,
        pod: str,
        probe: str = "readiness",
        failing: bool = True,
        container: str | None = None,
        status: int = 500,
        namespace: str = "default",
    ) -> dict:
        """The application starts failing the pod's `probe` (or passes it again); the kubelet
        notices at the probe's next runs."""

        def act() -> dict:
            found = self.store.require("Pod", namespace, pod)
            return self.kubelets.fail_probe(found, probe, failing, container, status)

        return clone(self._current(self._request(act)))

    def kill(
        self, pod: str, container: str | None = None, exit_code: int = 1, namespace: str = "default"
    ) -> dict:
        """A container's main process exits with `exit_code`; the kubelet restarts it."""

        def stop() -> dict:
            found = self.store.require("Pod", namespace, pod)
            return self.kubelets.kill(found, container, exit_code)

        return clone(self._current(self._request(stop)))

    def add_ephemeral_container(
        self, pod: str, container: dict, namespace: str = "default", exit_code: int | None = None
    ) -> dict:
        """PATCH pods/NAME/ephemeralcontainers (`kubectl debug`): the container is added and
        the kubelet starts it; `exit_code`: its process has already ended with it."""

        def add() -> dict:
            found = self.store.require("Pod", namespace, pod)
            return add_ephemeral_container(self.api, found, container, exit_code)

        return clone(self._current(self._request(add)))

    def evict(
        self, pods: builtins.list[tuple[str, str]], grace_period: int | None = None
    ) -> builtins.list[KubenetError | None]:
        """POST pods/NAME/eviction for each (namespace, name) at the same instant, as `kubectl
        drain` sends them: each pod is deleted unless refused (a 429 from its budget)."""
        return self._request(lambda: evict_each(self.api, pods, grace_period))

    def apply(
        self, objects: builtins.list[dict], *, field_validation: str = "Strict"
    ) -> builtins.list[dict]:
        """`kubectl apply` for objects: all of them, or none (the first refusal is raised)."""
        stored = self._request(
            lambda: [self._apply_one(obj, field_validation)[0] for obj in objects]
        )
        return [clone(self._current(obj)) for obj in stored]

    def apply_object(self, obj: dict, *, field_validation: str = "Strict") -> tuple[dict, str]:
        """Apply one object; say whether it was created, configured or unchanged."""
        stored, verb = self._request(lambda: self._apply_one(obj, field_validation))
        return clone(self._current(stored)), verb

    def _apply_one(self, obj: dict, field_validation: str) -> tuple[dict, str]:
        """kubectl's client-side apply of one object: the patch is computed from the manifest as
        written (kubectl never sees the server's decoding), the server decodes what results."""
        decoded = self._decode(obj, field_validation)  # a malformed manifest is refused here
        info = self.resources.resolve(decoded.obj["kind"])
        # Past a nesting no real manifest has (a refused or dropped unknown field can be
        # thousands deep), the decoded object stands in for the written one.
        written = obj if _depth_at_most(obj, _PATCH_DEPTH) else decoded.obj
        manifest = {**clone(written), "kind": info.kind}
        if isinstance(manifest.get("metadata"), dict):
            manifest["metadata"] = {
                k: v for k, v in manifest["metadata"].items() if k not in SERVER_METADATA
            }
            if info.namespaced and not manifest["metadata"].get("namespace"):
                # kubectl's builder sets the default namespace on the object it applies
                manifest["metadata"]["namespace"] = "default"
        desired = with_last_applied(manifest)
        meta = decoded.obj.get("metadata") or {}
        namespace = (meta.get("namespace") or "default") if info.namespaced else ""
        existing = self.store.get(info.kind, namespace, meta.get("name", ""))
        if existing is None:
            return self._write(self.api.create, desired, field_validation), "created"
        # kubectl reads the live object in the version it applies (autoscaling/v1 HPAs too)
        patched = patched_for_apply(served_as(existing, desired.get("apiVersion")), desired)
        if patched is None:
            self.last_warnings = decoded.warnings
            return existing, "unchanged"
        return self._write(self.api.update, patched, field_validation), "configured"

    def __repr__(self) -> str:
        return f"<ControlPlane {self.settings.name!r} seed={self.seed}>"
