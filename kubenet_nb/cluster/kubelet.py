"""The kubelets (with kindnet's IPAM): start bound pods, report readiness, finish termination.

A bound pod's kubelet first mounts its volumes: while a ConfigMap or Secret a volume names is
missing, the pod stays `ContainerCreating` (no sandbox, no IP) and the mount is retried with
the volume manager's backoff (`kubelet_volumes`). It then gets an IP from its node's pod CIDR
(a hostNetwork pod uses the node's IP) and starts each container: image (`kubelet_images`),
environment (`kubelet_env`), create, start. A container that cannot start waits
(`CreateContainerConfigError`, `ErrImageNeverPull`) and the pod worker retries after 10-15s
(k/k pkg/kubelet/pod_workers.go @ v1.33.0: backOffPeriod 10s, jitter 0.5). The kubelet reads
ConfigMaps and Secrets through a watch-fed cache (pkg/kubelet/util/manager/
watch_based_manager.go): a watch event on one a waiting pod names refreshes what the pod's next
retry sees. Readiness follows a per-pod probe result the user can flip. A pod marked for
deletion stops after `shutdown_seconds` (its containers exit on SIGTERM), or at the end of its
grace period if that is shorter, and the kubelet then removes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace

from kubenet_nb.api.core.pod import pod_qos_class
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ipam import PodIPAllocator
from kubenet_nb.cluster.kubelet_env import env_error
from kubenet_nb.cluster.kubelet_images import ImageManager, full_reference
from kubenet_nb.cluster.kubelet_volumes import mount_backoff, mount_failures, references
from kubenet_nb.cluster.listeners import Listener, conflicts
from kubenet_nb.cluster.node_pods import NodePods
from kubenet_nb.cluster.store import Store, WatchEvent
from kubenet_nb.cluster.timers import Timers

__all__ = ["Kubelets", "node_internal_ip"]

CONDITION_TYPES = (
    "PodReadyToStartContainers",
    "Initialized",
    "Ready",
    "ContainersReady",
    "PodScheduled",
)
WORKER_BACKOFF_SECONDS, WORKER_JITTER = 10.0, 0.5
"""pkg/kubelet/kubelet.go backOffPeriod and pod_workers.go workerBackOffPeriodJitterFactor."""
REFERENCED_KINDS = ("ConfigMap", "Secret")

Key = tuple[str, str]


@dataclass
class Waiting:
    """A pod the kubelet retries: failures in a row, and the resolution its cache holds."""

    uid: str
    refs: frozenset[tuple[str, str, str]]
    mount_failures: int = 0
    sync_failures: int = 0
    mounts: list[tuple[str, str]] | None = None
    env: dict[str, str | None] = field(default_factory=dict)


def node_internal_ip(node: dict) -> str:
    for address in node.get("status", {}).get("addresses", []):
        if address.get("type") == "InternalIP":
            return address["address"]
    return ""


class Kubelets(Controller):
    """Every node's kubelet at once: pods keyed by (namespace, name)."""

    name = "kubelet"

    def __init__(
        self,
        store: Store,
        api: ApiServer,
        timers: Timers,
        node_pods: NodePods,
        shutdown_seconds: float = 1.0,
    ) -> None:
        super().__init__()
        self.store, self.api, self.timers, self.node_pods = store, api, timers, node_pods
        self.shutdown_seconds = shutdown_seconds
        self.allocators: dict[str, PodIPAllocator] = {}
        self.not_ready: set[Key] = set()
        self.crashing: dict[Key, dict[str, Listener]] = {}
        self.images = ImageManager(api, store.on_undo)
        self._terminating: set[Key] = set()
        self._waiting: dict[Key, Waiting] = {}
        self._waiters: dict[tuple[str, str, str], set[Key]] = {}
        """(kind, namespace, name) of a ConfigMap or Secret -> waiting pods that name it."""

    def handle(self, event: WatchEvent) -> None:
        if event.kind == "Node":
            self._node_changed(event)
        if event.kind in REFERENCED_KINDS:
            self._referenced_changed(event)
        if event.kind != "Pod" or event.replay or event.obj is None:
            return
        spec = event.obj["spec"]
        if spec.get("nodeName"):
            self.enqueue(event.obj["metadata"]["namespace"], event.obj["metadata"]["name"])

    def _node_changed(self, event: WatchEvent) -> None:
        if event.obj is None:
            self.allocators.pop(event.subject["metadata"]["name"], None)
            return
        cidr = event.obj.get("spec", {}).get("podCIDR")
        name = event.obj["metadata"]["name"]
        if cidr and (name not in self.allocators or str(self.allocators[name].network) != cidr):
            self.allocators[name] = PodIPAllocator(cidr, self.store.on_undo)
            if not event.replay:
                for key in self.node_pods.on(name):
                    self.enqueue(*key)

    def _referenced_changed(self, event: WatchEvent) -> None:
        """The watch-fed cache: pods waiting on this object resolve it afresh on their retry."""
        meta = event.subject["metadata"]
        for key in self._waiters.get((event.kind, meta["namespace"], meta["name"]), ()):
            waiting = self._waiting.get(key)
            if waiting is not None:
                waiting.env = {}
                if waiting.mounts:  # mounted volumes stay mounted
                    waiting.mounts = None

    def reconcile(self, namespace: str, name: str) -> None:
        pod = self.store.get("Pod", namespace, name)
        if pod is None:
            return
        waiting = self._waiting.get((namespace, name))
        if pod["metadata"].get("deletionTimestamp"):
            self._begin_termination(pod)
        elif waiting is None and not pod.get("status", {}).get("podIP"):
            self._sync(pod)

    # -- a pod's sync: mount, sandbox, containers -------------------------------------------

    def _sync(self, pod: dict) -> None:
        """One SyncPod: retried on a timer while volumes or containers fail."""
        node = self.store.get("Node", "", pod["spec"]["nodeName"])
        if node is None:
            return
        meta = pod["metadata"]
        key = (meta["namespace"], meta["name"])
        waiting = self._waiting.get(key) or Waiting(
            meta["uid"], frozenset((kind, key[0], name) for kind, name in references(pod))
        )
        mounts = waiting.mounts
        if mounts is None:
            mounts = mount_failures(pod, self._lookup)
        if mounts:
            for _, message in mounts:
                self.api.record_event(pod, "Warning", "FailedMount", "kubelet", message)
            self._set_pending(pod, node, None, {})
            failures = waiting.mount_failures + 1
            self._wait(key, replace(waiting, mount_failures=failures, mounts=mounts))
            self._retry(key, waiting.uid, mount_backoff(failures))
            return
        ip = pod.get("status", {}).get("podIP") or self._sandbox(pod, node)
        if ip is None:
            return
        env = dict(waiting.env)
        blocked = self._start_containers(pod, node["metadata"]["name"], env)
        if not blocked:
            self._unwait(key)
            self._running(pod, node, ip)
            return
        self._set_pending(pod, node, ip, blocked)
        failures = waiting.sync_failures + 1
        self._wait(key, replace(waiting, sync_failures=failures, mounts=[], env=env))
        jitter = random.Random(f"{waiting.uid}/worker/{failures}").random()
        self._retry(key, waiting.uid, WORKER_BACKOFF_SECONDS * (1 + WORKER_JITTER * jitter))

    def _lookup(self, kind: str, namespace: str, name: str) -> dict | None:
        return self.store.get(kind, namespace, name)

    def _sandbox(self, pod: dict, node: dict) -> str | None:
        """The pod's IP: its node's for hostNetwork, else the next free one of the node's CIDR."""
        if pod["spec"].get("hostNetwork"):
            return node_internal_ip(node) or None
        allocator = self.allocators.get(node["metadata"]["name"])
        return allocator.allocate() if allocator is not None else None

    def _start_containers(
        self, pod: dict, node: str, env: dict[str, str | None]
    ) -> dict[str, dict]:
        """startContainer for each container not running: waiting states of those that fail."""
        running = {
            c["name"]
            for c in pod.get("status", {}).get("containerStatuses") or ()
            if "running" in c.get("state", {})
        }
        blocked: dict[str, dict] = {}
        for container in pod["spec"]["containers"]:
            name = container["name"]
            if name in running:
                continue
            failure = self.images.ensure(pod, container, node)
            if failure is None:
                if name not in env:
                    env[name] = env_error(pod, container, self._lookup)
                error = env[name]
                failure = ("CreateContainerConfigError", error) if error else None
            if failure is not None:
                reason, message = failure
                detail = reason if reason == "ErrImageNeverPull" else message
                self.api.record_event(pod, "Warning", "Failed", "kubelet", f"Error: {detail}")
                blocked[name] = {"waiting": {"reason": reason, "message": message}}
                continue
            self.api.record_event(
                pod, "Normal", "Created", "kubelet", f"Created container: {container['name']}"
            )
            self.api.record_event(
                pod, "Normal", "Started", "kubelet", f"Started container {container['name']}"
            )
        return blocked

    def _retry(self, key: Key, uid: str, delay: float) -> None:
        def due() -> None:
            pod = self.store.get("Pod", *key)
            if pod is None or pod["metadata"]["uid"] != uid:
                return
            if not pod["metadata"].get("deletionTimestamp"):
                self._sync(pod)

        self.timers.at(self.api.clock.seconds + delay, due)

    def _wait(self, key: Key, waiting: Waiting) -> None:
        """Record the pod as waiting, its references indexed for the watch; undoably."""
        before = self._waiting.get(key)
        self._index(key, waiting)
        if before is None:
            self.store.on_undo(lambda: self._drop(key))
        else:
            self.store.on_undo(lambda: self._waiting.__setitem__(key, before))

    def _unwait(self, key: Key) -> None:
        before = self._drop(key)
        if before is not None:
            self.store.on_undo(lambda: self._index(key, before))

    def _index(self, key: Key, waiting: Waiting) -> None:
        self._waiting[key] = waiting
        for ref in waiting.refs:
            self._waiters.setdefault(ref, set()).add(key)

    def _drop(self, key: Key) -> Waiting | None:
        """Forget a waiting pod and its entries in the watch index."""
        waiting = self._waiting.pop(key, None)
        for ref in waiting.refs if waiting is not None else ():
            keys = self._waiters.get(ref, set())
            keys.discard(key)
            if not keys:
                self._waiters.pop(ref, None)
        return waiting

    # -- statuses -------------------------------------------------------------------------

    def _set_pending(self, pod: dict, node: dict, ip: str | None, blocked: dict[str, dict]) -> None:
        """The status of a pod whose containers are not all running (phase Pending)."""
        now = self.api.clock.timestamp()
        old = pod.get("status", {})
        started = old.get("startTime") or now
        node_ip = node_internal_ip(node)
        statuses = {c["name"]: c for c in old.get("containerStatuses") or ()}
        containers = []
        for container in pod["spec"]["containers"]:
            name = container["name"]
            if name in blocked or ip is None:
                state = blocked.get(name) or {"waiting": {"reason": "ContainerCreating"}}
                containers.append(_waiting_status(container, state))
            elif "running" in statuses.get(name, {}).get("state", {}):
                containers.append(statuses[name])
            else:
                ready = _pod_key(pod) not in self.not_ready
                containers.append(self._container_status(container, ready, now, pod))
        unready = " ".join(c["name"] for c in containers if not c["ready"])
        conditions = self._conditions(False, started, now, unready)
        if ip is None:
            conditions[0] = {**conditions[0], "status": "False"}
        status = {
            "phase": "Pending",
            "conditions": _kept_transitions(conditions, old),
            "hostIP": node_ip,
            "hostIPs": [{"ip": node_ip}],
            **({"podIP": ip, "podIPs": [{"ip": ip}]} if ip else {}),
            "startTime": started,
            "containerStatuses": containers,
            "qosClass": pod_qos_class(pod),
        }
        if status != old:
            self.api.set_status(pod, status)

    def _running(self, pod: dict, node: dict, ip: str) -> None:
        """Every container started: Running, Ready unless its probe fails or a bind failed."""
        now = self.api.clock.timestamp()
        node_ip = node_internal_ip(node)
        key = _pod_key(pod)
        failed = conflicts(pod)
        ready = key not in self.not_ready and not failed
        unready = " ".join(failed) if failed else _names(pod)
        old = pod.get("status", {})
        started = old.get("startTime") or now
        statuses = {c["name"]: c for c in old.get("containerStatuses") or ()}
        status = {
            "phase": "Running",
            "conditions": _kept_transitions(self._conditions(ready, started, now, unready), old),
            "hostIP": node_ip,
            "hostIPs": [{"ip": node_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": started,
            "containerStatuses": [
                self._crashing_status(c, now, pod)
                if c["name"] in failed
                else self._container_status(
                    c, key not in self.not_ready, now, pod, statuses.get(c["name"])
                )
                for c in pod["spec"]["containers"]
            ],
            "qosClass": pod_qos_class(pod),
        }
        self.api.set_status(pod, status)
        for name in failed:
            self.api.record_event(
                pod,
                "Warning",
                "BackOff",
                "kubelet",
                f"Back-off restarting failed container {name} in pod "
                f"{pod['metadata']['name']}_{pod['metadata']['namespace']}"
                f"({pod['metadata']['uid']})",
            )
        if failed:
            self.crashing[key] = dict(failed)
            self.store.on_undo(lambda: self.crashing.pop(key, None))

    @staticmethod
    def _conditions(ready: bool, started: str, changed: str, names: str) -> list[dict]:
        conditions = []
        for kind in CONDITION_TYPES:
            condition = {
                "type": kind,
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": changed if kind in ("Ready", "ContainersReady") else started,
            }
            if kind in ("Ready", "ContainersReady") and not ready:
                condition["status"] = "False"
                condition["reason"] = "ContainersNotReady"
                condition["message"] = f"containers with unready status: [{names}]"
            conditions.append(condition)
        return conditions

    @staticmethod
    def _container_status(
        container: dict, ready: bool, now: str, pod: dict, old: dict | None = None
    ) -> dict:
        running = old if old is not None and "running" in old.get("state", {}) else None
        return {
            "name": container["name"],
            "image": full_reference(container["image"]),
            "imageID": "",
            "containerID": "containerd://"
            + pod["metadata"]["uid"].replace("-", "")
            + container["name"].encode().hex()[:16],
            "ready": ready,
            "started": True,
            "restartCount": 0,
            "state": running["state"] if running else {"running": {"startedAt": now}},
            "lastState": {},
        }

    def _crashing_status(self, container: dict, now: str, pod: dict) -> dict:
        """A container whose bind failed ("Address already in use"): it exits with 1 and the
        kubelet restarts it with a growing back-off (CrashLoopBackOff)."""
        status = self._container_status(container, False, now, pod)
        meta = pod["metadata"]
        status["started"] = False
        status["restartCount"] = 1
        status["state"] = {
            "waiting": {
                "reason": "CrashLoopBackOff",
                "message": f"back-off 10s restarting failed container={container['name']} "
                f"pod={meta['name']}_{meta['namespace']}({meta['uid']})",
            }
        }
        status["lastState"] = {
            "terminated": {
                "exitCode": 1,
                "reason": "Error",
                "startedAt": now,
                "finishedAt": now,
                "containerID": status["containerID"],
            }
        }
        return status

    def set_ready(self, pod: dict, ready: bool) -> dict:
        """Report a readiness probe result: flips Ready/ContainersReady and container `ready`."""
        key = _pod_key(pod)
        if ready:
            self.not_ready.discard(key)
            self.store.on_undo(lambda: self.not_ready.add(key))
        elif key not in self.not_ready:
            self.not_ready.add(key)
            self.store.on_undo(lambda: self.not_ready.discard(key))
        status = pod.get("status", {})
        crashing = self.crashing.get(key, {})
        if not status.get("podIP") or crashing or key in self._waiting:
            return pod
        current = next(
            (c["status"] == "True" for c in status.get("conditions", []) if c["type"] == "Ready"),
            False,
        )
        if current == ready:
            return pod
        now = self.api.clock.timestamp()
        started = status.get("startTime", now)
        conditions = self._conditions(ready, started, now, _names(pod))
        for condition in conditions:
            if condition["type"] not in ("Ready", "ContainersReady"):
                condition["lastTransitionTime"] = next(
                    (
                        c["lastTransitionTime"]
                        for c in status.get("conditions", [])
                        if c["type"] == condition["type"]
                    ),
                    started,
                )
        new_status = dict(status)
        new_status["conditions"] = conditions
        new_status["containerStatuses"] = [
            {**c, "ready": ready} for c in status.get("containerStatuses", [])
        ]
        if not ready:
            self.api.record_event(pod, "Warning", "Unhealthy", "kubelet", "Readiness probe failed")
        return self.api.set_status(pod, new_status)

    def _begin_termination(self, pod: dict) -> None:
        key = _pod_key(pod)
        if key in self._terminating:
            return
        self._terminating.add(key)
        self.store.on_undo(lambda: self._terminating.discard(key))
        grace = pod["metadata"].get("deletionGracePeriodSeconds", 30)
        delay = min(self.shutdown_seconds, grace)
        uid = pod["metadata"]["uid"]
        statuses = pod.get("status", {}).get("containerStatuses") or ()
        started = {c["name"] for c in statuses if "waiting" not in c.get("state", {})}
        for container in pod["spec"]["containers"]:
            if container["name"] in started:
                self.api.record_event(
                    pod, "Normal", "Killing", "kubelet", f"Stopping container {container['name']}"
                )
        self.timers.at(self.api.clock.seconds + delay, lambda: self._finish(key, uid))

    def _finish(self, key: Key, uid: str) -> None:
        self._terminating.discard(key)
        pod = self.store.get("Pod", *key)
        if pod is not None and pod["metadata"]["uid"] == uid:
            self.api.remove("Pod", *key)

    def release(self, pod: dict) -> None:
        """Give the pod's IP back to its node's range (called when the pod leaves the store)."""
        key = _pod_key(pod)
        if key in self.not_ready:
            self.not_ready.discard(key)
            self.store.on_undo(lambda: self.not_ready.add(key))
        crashing = self.crashing.pop(key, None)
        if crashing is not None:
            self.store.on_undo(lambda: self.crashing.__setitem__(key, crashing))
        self._unwait(key)
        node = pod["spec"].get("nodeName")
        ip = pod.get("status", {}).get("podIP")
        if node and ip and not pod["spec"].get("hostNetwork") and node in self.allocators:
            self.allocators[node].release(ip)


def _pod_key(pod: dict) -> Key:
    return pod["metadata"]["namespace"], pod["metadata"]["name"]


def _names(pod: dict) -> str:
    return " ".join(c["name"] for c in pod["spec"]["containers"])


def _waiting_status(container: dict, state: dict) -> dict:
    """convertToAPIContainerStatuses' status of a container not created yet (spec image)."""
    return {
        "name": container["name"],
        "image": container["image"],
        "imageID": "",
        "ready": False,
        "restartCount": 0,
        "started": False,
        "state": state,
        "lastState": {},
    }


def _kept_transitions(conditions: list[dict], old: dict) -> list[dict]:
    """The status manager keeps a condition's lastTransitionTime while its status holds."""
    before = {c["type"]: c for c in old.get("conditions") or ()}
    kept = []
    for condition in conditions:
        previous = before.get(condition["type"])
        if previous is not None and previous.get("status") == condition["status"]:
            condition = {**condition, "lastTransitionTime": previous["lastTransitionTime"]}
        kept.append(condition)
    return kept
