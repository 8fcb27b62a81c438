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
retry sees. The prober (`prober`) runs each container's probes on the simulated clock, against
what the pod's processes listen on (`kubelet_probes`): its readiness probe makes it ready, a
failed liveness or startup probe has it killed and restarted; the user can make the
application fail a probe (`fail_probe`) or its readiness probes at once (`set_ready`). A
container without probes is started and ready while it runs, and goes unready only when it
exits (`kill`, then restarted with the kubelet's back-off: `kubelet_restarts`). A pod marked for
deletion stops after `shutdown_seconds` (its containers exit on SIGTERM), or at the end of its
grace period if that is shorter, and the kubelet then removes it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from functools import partial

from kubenet_nb.api.core.pod import pod_qos_class
from kubenet_nb.api.errors import BadRequest, KubectlError, KubenetError
from kubenet_nb.api.well_known import DEFAULT_CONTAINER_ANNOTATION
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ipam import PodIPAllocator
from kubenet_nb.cluster.kubelet_env import env_error
from kubenet_nb.cluster.kubelet_images import ImageManager, full_reference
from kubenet_nb.cluster.kubelet_probes import (
    FAILING_HTTP_STATUS,
    FAILURE,
    SUCCESS,
    has_readiness_probe,
)
from kubenet_nb.cluster.kubelet_restarts import (
    RELIST_SECONDS,
    BackOff,
    Exit,
    back_off_event,
    back_off_state,
    instance_id,
    restarts,
    terminated_state,
)
from kubenet_nb.cluster.kubelet_volumes import mount_backoff, mount_failures, references
from kubenet_nb.cluster.listeners import conflicts, image_repository
from kubenet_nb.cluster.node_pods import NodePods
from kubenet_nb.cluster.prober import PROBES, Prober
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
NGINX_IMAGES, SIGTERM_EXIT = ("nginx", "nginxinc/nginx-unprivileged"), 143
"""nginx exits 0 on SIGTERM (its fast shutdown); a program that dies of it exits 128+15."""

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
        self.prober = Prober(store, api, timers, self._probed)
        self.back_off = BackOff(store.on_undo)
        self.exits: dict[tuple[str, str, str], Exit] = {}
        """(namespace, pod, container) -> its last exit, until the kubelet restarts it."""
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
        self.prober.admit(pod)
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
        running = _running_names(pod)
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
                containers.append(self._container_status(container, now, pod, ip))
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
        """Every container started: Running, Ready unless a probe fails or a bind failed."""
        now = self.api.clock.timestamp()
        node_ip = node_internal_ip(node)
        failed = conflicts(pod)
        old = pod.get("status", {})
        started = old.get("startTime") or now
        statuses = {c["name"]: c for c in old.get("containerStatuses") or ()}
        containers = [
            self._crashing_status(c, now, pod)
            if c["name"] in failed
            else self._container_status(c, now, pod, ip, statuses.get(c["name"]))
            for c in pod["spec"]["containers"]
        ]
        ready = all(c["ready"] for c in containers)
        unready = " ".join(c["name"] for c in containers if not c["ready"])
        status = {
            "phase": "Running",
            "conditions": _kept_transitions(self._conditions(ready, started, now, unready), old),
            "hostIP": node_ip,
            "hostIPs": [{"ip": node_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": started,
            "containerStatuses": containers,
            "qosClass": pod_qos_class(pod),
        }
        self.api.set_status(pod, status)
        for name in failed:
            self.api.record_event(pod, "Warning", "BackOff", "kubelet", back_off_event(name, pod))

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

    def _container_status(
        self, container: dict, now: str, pod: dict, ip: str | None, old: dict | None = None
    ) -> dict:
        """A running container's status: `ready` and `started` as its probes say (`ip`: it
        starts now, at that pod IP; None: it does not run)."""
        running = old if old is not None and "running" in old.get("state", {}) else None
        instance = (running or {}).get("containerID") or (
            "containerd://"
            + pod["metadata"]["uid"].replace("-", "")
            + container["name"].encode().hex()[:16]
        )
        if running is None and ip is not None:
            self.prober.start(pod, container, instance, ip)
        return {
            "name": container["name"],
            "image": full_reference(container["image"]),
            "imageID": "",
            "containerID": instance,
            "ready": self.prober.ready(pod, container, instance),
            "started": self.prober.started(pod, container, instance),
            "restartCount": 0,
            "state": running["state"] if running else {"running": {"startedAt": now}},
            "lastState": {},
        }

    def _crashing_status(self, container: dict, now: str, pod: dict) -> dict:
        """A container whose bind failed ("Address already in use"): it exits with 1 and the
        kubelet restarts it with a growing back-off (CrashLoopBackOff)."""
        status = self._container_status(container, now, pod, None)
        status["ready"] = status["started"] = False
        status["restartCount"] = 1
        status["state"] = back_off_state(10, container["name"], pod)
        status["lastState"] = terminated_state(1, now, now, status["containerID"])
        return status

    # -- probes and exits -----------------------------------------------------------------

    def set_ready(self, pod: dict, ready: bool) -> dict:
        """Make the readiness probes of the pod's containers fail (the application starts
        failing them: httpGet answers 503) or pass again, as the kubelet will have seen it
        after the probes' thresholds: Ready/ContainersReady and each container's `ready`
        follow at once, with the kubelet's Unhealthy event for each probe that fails. The
        probes go on running every period (each failure another Unhealthy).

        A pod none of whose containers has a readinessProbe cannot fail one: refused (to pass
        one is no change)."""
        probed = [c for c in pod["spec"]["containers"] if has_readiness_probe(c)]
        if not probed:
            if ready:
                return pod
            raise KubenetError(_no_probe(pod))
        key = _pod_key(pod)
        failing = dict(self.prober.failing.get(key, {}))
        for container in probed:
            if ready:
                failing.pop((container["name"], "readiness"), None)
            else:
                failing[(container["name"], "readiness")] = FAILING_HTTP_STATUS
        self.prober.set_failing(key, failing)
        status = pod.get("status", {})
        if not status.get("podIP") or key in self._waiting:
            return pod
        running = {
            c["name"]: c for c in status.get("containerStatuses") or () if "running" in c["state"]
        }
        for container in probed:
            found = running.get(container["name"])
            if found is None or not self.prober.started(pod, container, found["containerID"]):
                continue
            result, output = self.prober.outcome(pod, container, "readiness")
            if ready and result != SUCCESS:
                continue  # the probe fails for a reason of its own
            if result == FAILURE and found["ready"]:
                message = f"Readiness probe failed: {output}"
                self.api.record_event(pod, "Warning", "Unhealthy", "kubelet", message)
            self.prober.settle(pod, container, found["containerID"], result)
        return self._refresh(pod)

    def fail_probe(
        self, pod: dict, probe: str, failing: bool, container: str | None, status: int
    ) -> dict:
        """The application starts failing the pod's `probe` ("readiness", "liveness" or
        "startup") in `container` (None: every container that has one), or passes it again:
        httpGet answers `status`, tcpSocket is refused, exec exits 1, grpc is NOT_SERVING. The
        kubelet notices at the probe's next runs: unready after failureThreshold failures, or
        (liveness, startup) the container killed and restarted. Refused for an unknown probe
        type, a container the pod lacks, or no container with such a probe."""
        meta = pod["metadata"]
        if probe not in PROBES:
            kinds = ", ".join(sorted(PROBES))
            raise KubenetError(f'unknown probe type "{probe}": one of {kinds}')
        if not 100 <= status <= 599:
            raise KubenetError(f"HTTP status {status} is out of range: 100 to 599")
        names = [c["name"] for c in pod["spec"]["containers"]]
        if container is not None and container not in names:
            raise BadRequest(f"container {container} is not valid for pod {meta['name']}")
        field = PROBES[probe]
        probed = [
            c["name"]
            for c in pod["spec"]["containers"]
            if c.get(field) and container in (None, c["name"])
        ]
        if not probed:
            where = f"container {container!r} of pod" if container else "pod"
            raise KubenetError(
                f'{where} "{meta["name"]}" has no {field}, so no such probe can fail'
            )
        key = _pod_key(pod)
        now = dict(self.prober.failing.get(key, {}))
        for name in probed:
            if failing:
                now[(name, probe)] = status
            else:
                now.pop((name, probe), None)
        self.prober.set_failing(key, now)
        return pod

    def _probed(self, pod: dict, container: str, probe: str, result: str) -> None:
        """A probe's result changed: a failed liveness or startup probe kills the container;
        otherwise the status reports the container's `started` and `ready` anew."""
        if probe != "readiness" and result == FAILURE:
            self._probe_kill(pod, container, probe)
            return
        self._refresh(pod)
        if probe == "startup":
            self.prober.started_container(pod, container)

    def _refresh(self, pod: dict) -> dict:
        """Rewrite the running containers' `started` and `ready` from the prober's results."""
        pod = self.store.get("Pod", *_pod_key(pod)) or pod
        if _pod_key(pod) in self._waiting:
            return pod
        specs = {c["name"]: c for c in pod["spec"]["containers"]}
        old = pod.get("status", {}).get("containerStatuses") or []
        statuses = []
        for status in old:
            if "running" in status.get("state", {}) and status["name"] in specs:
                spec, instance = specs[status["name"]], status["containerID"]
                status = {
                    **status,
                    "ready": self.prober.ready(pod, spec, instance),
                    "started": self.prober.started(pod, spec, instance),
                }
            statuses.append(status)
        if statuses == old:
            return pod
        return self._report(pod, statuses)

    def _probe_kill(self, pod: dict, name: str, probe: str) -> None:
        """kuberuntime_manager.go computePodActions: the kubelet kills a container that failed
        its liveness or startup probe (Normal `Killing`, "Container C failed liveness probe,
        will be restarted") and, unless restartPolicy is Never, starts it again in the same
        sync, under the restart back-off. It stops as on deletion: after `shutdown_seconds`, or
        the grace period (the probe's terminationGracePeriodSeconds, else the pod's) if
        shorter; nginx exits 0 on SIGTERM, other programs die of it (143)."""
        never = pod["spec"].get("restartPolicy", "Always") == "Never"
        message = f"Container {name} failed {probe} probe" + (
            "" if never else ", will be restarted"
        )
        self.api.record_event(pod, "Normal", "Killing", "kubelet", message)
        container = next(c for c in pod["spec"]["containers"] if c["name"] == name)
        grace = container[PROBES[probe]].get("terminationGracePeriodSeconds")
        if grace is None:
            grace = pod["spec"].get("terminationGracePeriodSeconds", 30)
        status = next(c for c in pod["status"]["containerStatuses"] if c["name"] == name)
        code = 0 if image_repository(container["image"]) in NGINX_IMAGES else SIGTERM_EXIT
        uid, instance = pod["metadata"]["uid"], status["containerID"]
        due = self.api.clock.seconds + min(self.shutdown_seconds, grace)
        self.timers.at(due, partial(self._killed, _pod_key(pod), uid, name, instance, code))

    def _killed(self, key: Key, uid: str, name: str, instance: str, code: int) -> None:
        pod = self.store.get("Pod", *key)
        if pod is None or pod["metadata"]["uid"] != uid or pod["metadata"].get("deletionTimestamp"):
            return
        status = next(c for c in pod["status"]["containerStatuses"] if c["name"] == name)
        if status.get("containerID") != instance or "running" not in status["state"]:
            return
        restart = pod["spec"].get("restartPolicy", "Always") != "Never"
        _, exit = self._exit(pod, name, code, restart)
        if exit is not None:
            self._after_exit((*key, name), exit)

    def _report(self, pod: dict, statuses: list[dict], phase: str | None = None) -> dict:
        """Write new container statuses, with the Ready and ContainersReady they make."""
        status = dict(pod.get("status", {}))
        now = self.api.clock.timestamp()
        ready = all(c["ready"] for c in statuses)
        unready = " ".join(c["name"] for c in statuses if not c["ready"])
        started = status.get("startTime", now)
        fresh = {c["type"]: c for c in self._conditions(ready, started, now, unready)}
        if phase in ("Succeeded", "Failed"):
            for kind in ("Ready", "ContainersReady"):
                fresh[kind] = {**fresh[kind], "reason": "PodCompleted"}
                fresh[kind].pop("message", None)
        conditions = [
            fresh[c["type"]] if c["type"] in ("Ready", "ContainersReady") else c
            for c in status.get("conditions") or ()
        ]
        status["conditions"] = _kept_transitions(conditions, status)
        status["containerStatuses"] = statuses
        if phase is not None:
            status["phase"] = phase
        return self.api.set_status(pod, status)

    def kill(self, pod: dict, container: str | None, code: int) -> dict:
        """The container's main process exits with `code` (as after `kubectl exec POD -- kill
        1`): terminated and not ready; the kubelet restarts it as the restartPolicy says, at
        its next relist or when its back-off ends. Refused, in the words of that `kubectl
        exec`, for a container the pod lacks, an unscheduled pod, a container not running."""
        meta, spec = pod["metadata"], pod["spec"]
        name = container or _default_container(pod)
        if not any(c["name"] == name for c in spec["containers"]):
            raise BadRequest(f"container {name} is not valid for pod {meta['name']}")
        if not spec.get("nodeName"):
            raise BadRequest(f"pod {meta['name']} does not have a host assigned")
        if not 0 <= code <= 255:
            raise KubenetError(f"exit code {code} is out of range: a process exits with 0 to 255")
        status = pod.get("status", {})
        statuses = list(status.get("containerStatuses") or ())
        index = next((i for i, c in enumerate(statuses) if c["name"] == name), None)
        if index is None or "running" not in statuses[index].get("state", {}):
            raise KubectlError(f'unable to upgrade connection: container not found ("{name}")')
        reported, exit = self._exit(
            pod, name, code, restarts(spec.get("restartPolicy", "Always"), code)
        )
        if exit is not None:
            key = (meta["namespace"], meta["name"], name)
            self.timers.at(exit.at + RELIST_SECONDS, partial(self._after_exit, key, exit))
        return reported

    def _exit(self, pod: dict, name: str, code: int, restart: bool) -> tuple[dict, Exit | None]:
        """A running container's process ended with `code`: terminated, not ready; the exit
        kept for its restart (returned when the kubelet restarts it, else the pod may finish)."""
        meta = pod["metadata"]
        statuses = list(pod["status"]["containerStatuses"])
        index = next(i for i, c in enumerate(statuses) if c["name"] == name)
        now = self.api.clock.timestamp()
        old = statuses[index]
        started = old["state"]["running"].get("startedAt", now)
        statuses[index] = {
            **old,
            "ready": False,
            "started": False,
            "state": terminated_state(code, started, now, old.get("containerID", "")),
        }
        exit = Exit(meta["uid"], name, code, self.api.clock.seconds)
        key = (meta["namespace"], meta["name"], name)
        before = self.exits.get(key)
        self.exits[key] = exit
        self.store.on_undo(lambda: self._restore_exit(key, before))
        phase = None if restart else _finished_phase(statuses)
        return self._report(pod, statuses, phase), exit if restart else None

    def _restore_exit(self, key: tuple[str, str, str], exit: Exit | None) -> None:
        if exit is None:
            self.exits.pop(key, None)
        else:
            self.exits[key] = exit

    def _after_exit(self, key: tuple[str, str, str], exit: Exit) -> None:
        """The kubelet's sync after an exit: restart now, or wait out the back-off."""
        pod = self.store.get("Pod", key[0], key[1])
        if (
            self.exits.get(key) is not exit
            or pod is None
            or pod["metadata"].get("deletionTimestamp")
        ):
            return
        now = self.api.clock.seconds
        window = self.back_off.waiting(exit, now)
        statuses = list(pod["status"]["containerStatuses"])
        index = next(i for i, c in enumerate(statuses) if c["name"] == exit.container)
        old = statuses[index]
        if window is not None:
            last = old["state"] if "terminated" in old["state"] else old["lastState"]
            statuses[index] = {**old, "state": back_off_state(window, exit.container, pod)}
            statuses[index]["lastState"] = last
            self.api.record_event(
                pod, "Warning", "BackOff", "kubelet", back_off_event(exit.container, pod)
            )
            self.timers.at(exit.at + window, lambda: self._after_exit(key, exit))
            self._report(pod, statuses)
            return
        self.back_off.next(exit, now)
        container = next(c for c in pod["spec"]["containers"] if c["name"] == exit.container)
        self.images.ensure(pod, container, pod["spec"]["nodeName"])
        self.api.record_event(
            pod, "Normal", "Created", "kubelet", f"Created container: {exit.container}"
        )
        self.api.record_event(
            pod, "Normal", "Started", "kubelet", f"Started container {exit.container}"
        )
        restart = old.get("restartCount", 0) + 1
        instance = instance_id(pod, exit.container, restart)
        self.prober.start(pod, container, instance, pod["status"].get("podIP") or "")
        statuses[index] = {
            **old,
            "containerID": instance,
            "ready": self.prober.ready(pod, container, instance),
            "started": self.prober.started(pod, container, instance),
            "restartCount": restart,
            "state": {"running": {"startedAt": self.api.clock.timestamp()}},
            "lastState": old["state"] if "terminated" in old["state"] else old["lastState"],
        }
        del self.exits[key]
        self.store.on_undo(lambda: self.exits.__setitem__(key, exit))
        self._report(pod, statuses)

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
        started = {c["name"] for c in statuses if "running" in c.get("state", {})}
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
        self.prober.forget(pod)
        for exited in [k for k in self.exits if k[:2] == key]:
            gone = self.exits.pop(exited)
            self.store.on_undo(partial(self._restore_exit, exited, gone))
        self.back_off.forget(pod["metadata"]["uid"])
        self._unwait(key)
        node = pod["spec"].get("nodeName")
        ip = pod.get("status", {}).get("podIP")
        if node and ip and not pod["spec"].get("hostNetwork") and node in self.allocators:
            self.allocators[node].release(ip)


def _running_names(pod: dict) -> set[str]:
    statuses = (pod.get("status") or {}).get("containerStatuses") or ()
    return {c["name"] for c in statuses if "running" in c.get("state", {})}


def _pod_key(pod: dict) -> Key:
    return pod["metadata"]["namespace"], pod["metadata"]["name"]


def _default_container(pod: dict) -> str:
    """The container `kubectl exec` picks without -c: the annotated default, else the first."""
    annotated = (pod["metadata"].get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    names = [c["name"] for c in pod["spec"]["containers"]]
    return annotated if isinstance(annotated, str) and annotated in names else names[0]


def _finished_phase(statuses: list[dict]) -> str | None:
    """Every container terminated for good: Succeeded if all exited 0, else Failed."""
    ends = [c["state"].get("terminated") for c in statuses]
    if not all(ends):
        return None
    return "Succeeded" if all(end["exitCode"] == 0 for end in ends if end) else "Failed"


def _no_probe(pod: dict) -> str:
    name = pod["metadata"]["name"]
    return (
        f'pod "{name}" has no readinessProbe, so no probe can fail: the kubelet reports a '
        "container without a readinessProbe ready for as long as it runs. Give its containers "
        f"a readinessProbe to fail, or make a container exit with c.kill({name!r}): it is not "
        "ready until the kubelet restarts it."
    )


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
