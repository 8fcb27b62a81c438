"""The kubelets (with kindnet's IPAM): start bound pods, report readiness, finish termination.

A bound pod gets an IP from its node's pod CIDR (a hostNetwork pod uses the node's IP) and runs at
once: the simulation has no image pulls. Readiness follows a per-pod probe result the user can
flip. A pod marked for deletion stops after `shutdown_seconds` (its containers exit on SIGTERM),
or at the end of its grace period if that is shorter, and the kubelet then removes it.
"""

from __future__ import annotations

from kubenet_nb.api.core.pod import pod_qos_class
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ipam import PodIPAllocator
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
        self.not_ready: set[tuple[str, str]] = set()
        self.crashing: dict[tuple[str, str], dict[str, Listener]] = {}
        self._terminating: set[tuple[str, str]] = set()

    def handle(self, event: WatchEvent) -> None:
        if event.kind == "Node":
            self._node_changed(event)
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

    def reconcile(self, namespace: str, name: str) -> None:
        pod = self.store.get("Pod", namespace, name)
        if pod is None:
            return
        if pod["metadata"].get("deletionTimestamp"):
            self._begin_termination(pod)
        elif not pod.get("status", {}).get("podIP"):
            self._start(pod)

    def _start(self, pod: dict) -> None:
        node = self.store.get("Node", "", pod["spec"]["nodeName"])
        if node is None:
            return
        node_ip = node_internal_ip(node)
        if pod["spec"].get("hostNetwork"):
            ip = node_ip or None
        else:
            allocator = self.allocators.get(node["metadata"]["name"])
            ip = allocator.allocate() if allocator is not None else None
        if ip is None:
            return
        now = self.api.clock.timestamp()
        key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
        failed = conflicts(pod)
        ready = key not in self.not_ready and not failed
        unready = " ".join(failed) if failed else _names(pod)
        status = {
            "phase": "Running",
            "conditions": self._conditions(ready, now, now, unready),
            "hostIP": node_ip,
            "hostIPs": [{"ip": node_ip}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "startTime": now,
            "containerStatuses": [
                self._crashing_status(c, now, pod)
                if c["name"] in failed
                else self._container_status(c, key not in self.not_ready, now, pod)
                for c in pod["spec"]["containers"]
            ],
            "qosClass": pod_qos_class(pod),
        }
        self.api.set_status(pod, status)
        for container in pod["spec"]["containers"]:
            self.api.record_event(
                pod,
                "Normal",
                "Pulled",
                "kubelet",
                f'Container image "{container["image"]}" already present on machine',
            )
            self.api.record_event(
                pod, "Normal", "Created", "kubelet", f"Created container: {container['name']}"
            )
            self.api.record_event(
                pod, "Normal", "Started", "kubelet", f"Started container {container['name']}"
            )
        for name, socket in failed.items():
            self.api.record_event(
                pod,
                "Warning",
                "BackOff",
                "kubelet",
                f"Back-off restarting failed container {name} in pod "
                f"{pod['metadata']['name']}_{pod['metadata']['namespace']}"
                f"({pod['metadata']['uid']})",
            )
            self.crashing.setdefault(key, {})[name] = socket
        if failed:
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
    def _container_status(container: dict, ready: bool, now: str, pod: dict) -> dict:
        image = container["image"]
        full = (
            image
            if "/" in image.split(":")[0] or "." in image.split("/")[0]
            else f"docker.io/library/{image}"
        )
        if ":" not in full.rsplit("/", 1)[-1]:
            full += ":latest"
        return {
            "name": container["name"],
            "image": full,
            "imageID": "",
            "containerID": "containerd://"
            + pod["metadata"]["uid"].replace("-", "")
            + container["name"].encode().hex()[:16],
            "ready": ready,
            "started": True,
            "restartCount": 0,
            "state": {"running": {"startedAt": now}},
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
        key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
        if ready:
            self.not_ready.discard(key)
            self.store.on_undo(lambda: self.not_ready.add(key))
        elif key not in self.not_ready:
            self.not_ready.add(key)
            self.store.on_undo(lambda: self.not_ready.discard(key))
        status = pod.get("status", {})
        crashing = self.crashing.get(key, {})
        if not status.get("podIP") or crashing:
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
        key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
        if key in self._terminating:
            return
        self._terminating.add(key)
        self.store.on_undo(lambda: self._terminating.discard(key))
        grace = pod["metadata"].get("deletionGracePeriodSeconds", 30)
        delay = min(self.shutdown_seconds, grace)
        uid = pod["metadata"]["uid"]
        for container in pod["spec"]["containers"]:
            self.api.record_event(
                pod, "Normal", "Killing", "kubelet", f"Stopping container {container['name']}"
            )
        self.timers.at(self.api.clock.seconds + delay, lambda: self._finish(key, uid))

    def _finish(self, key: tuple[str, str], uid: str) -> None:
        self._terminating.discard(key)
        pod = self.store.get("Pod", *key)
        if pod is not None and pod["metadata"]["uid"] == uid:
            self.api.remove("Pod", *key)

    def release(self, pod: dict) -> None:
        """Give the pod's IP back to its node's range (called when the pod leaves the store)."""
        key = (pod["metadata"]["namespace"], pod["metadata"]["name"])
        if key in self.not_ready:
            self.not_ready.discard(key)
            self.store.on_undo(lambda: self.not_ready.add(key))
        crashing = self.crashing.pop(key, None)
        if crashing is not None:
            self.store.on_undo(lambda: self.crashing.__setitem__(key, crashing))
        node = pod["spec"].get("nodeName")
        ip = pod.get("status", {}).get("podIP")
        if node and ip and not pod["spec"].get("hostNetwork") and node in self.allocators:
            self.allocators[node].release(ip)


def _names(pod: dict) -> str:
    return " ".join(c["name"] for c in pod["spec"]["containers"])
