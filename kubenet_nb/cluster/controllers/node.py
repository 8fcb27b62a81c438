"""Nodes joining and leaving: pod CIDR assignment, the kubelet's status, pod GC.

A new Node gets the lowest free pod CIDR (node IPAM) and a Ready status as its kubelet would
post (the DaemonSet controller then gives it kindnet and kube-proxy pods). A deleted Node gives
its CIDR back and its pods are removed (the pod garbage collector deletes pods bound to nodes
that no longer exist).
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ipam import NodeCIDRAllocator
from kubenet_nb.cluster.kind import KUBERNETES_VERSION
from kubenet_nb.cluster.kubelet import node_internal_ip
from kubenet_nb.cluster.node_pods import NodePods
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["NodeController"]

NODE_INFO = {
    "architecture": "amd64",
    "bootID": "",
    "containerRuntimeVersion": "containerd://2.1.1",
    "kernelVersion": "6.8.0-generic",
    "kubeProxyVersion": "",
    "kubeletVersion": KUBERNETES_VERSION,
    "machineID": "",
    "operatingSystem": "linux",
    "osImage": "Debian GNU/Linux 12 (bookworm)",
    "systemUUID": "",
}
CAPACITY = {
    "cpu": "2",
    "ephemeral-storage": "263112772Ki",
    "hugepages-1Gi": "0",
    "hugepages-2Mi": "0",
    "memory": "24553844Ki",
    "pods": "110",
}


class NodeController(Controller):
    """Reconciles Nodes keyed by ("", name)."""

    name = "node-controller"

    def __init__(
        self,
        store: Store,
        api: ApiServer,
        cidrs: NodeCIDRAllocator,
        node_network: str,
        node_pods: NodePods,
    ) -> None:
        super().__init__()
        self.store, self.api, self.cidrs, self.node_pods = store, api, cidrs, node_pods
        self.node_network = ipaddress.ip_network(node_network)
        self._departed: dict[str, dict] = {}

    def handle(self, event: WatchEvent) -> None:
        if event.kind != "Node" or event.replay:
            return
        if event.obj is None:
            self._departed[event.subject["metadata"]["name"]] = event.subject
        self.enqueue("", event.subject["metadata"]["name"])

    def reconcile(self, _: str, name: str) -> None:
        node = self.store.get("Node", "", name)
        departed = self._departed.pop(name, None)
        if node is None:
            if departed is not None:
                self._gone(departed)
            return
        spec = node.get("spec", {})
        new_spec = spec
        if not spec.get("podCIDR"):
            cidr = self.cidrs.allocate(name)
            if cidr is None:
                self.api.record_event(
                    node,
                    "Normal",
                    "CIDRNotAvailable",
                    "cidrAllocator",
                    f"Node {name} status is now: CIDRNotAvailable",
                )
            else:
                new_spec = {**spec, "podCIDR": cidr, "podCIDRs": [cidr]}
        elif not spec.get("podCIDRs"):
            new_spec = {**spec, "podCIDRs": [spec["podCIDR"]]}
        if new_spec is not spec:
            node = self.api.update({**node, "spec": new_spec}, trusted=True)
        if not node.get("status", {}).get("conditions"):
            node = self.api.set_status(node, self._ready_status(node))
            self.api.record_event(
                node,
                "Normal",
                "RegisteredNode",
                "node-controller",
                f"Node {name} event: Registered Node {name} in Controller",
            )

    def _free_node_ip(self) -> str:
        """The next address Docker would give a new node container on kind's network."""
        used = {node_internal_ip(n) for n in self.store.list("Node")}
        first = int(self.node_network.network_address) + 2
        last = int(self.node_network.broadcast_address)
        return next(
            str(ipaddress.ip_address(i))
            for i in range(first, last)
            if str(ipaddress.ip_address(i)) not in used
        )

    def _ready_status(self, node: dict) -> dict:
        now = self.api.clock.timestamp()
        status = dict(node.get("status", {}))
        if not node_internal_ip(node):
            name = node["metadata"]["name"]
            status["addresses"] = [
                {"type": "InternalIP", "address": self._free_node_ip()},
                {"type": "Hostname", "address": name},
            ]

        def condition(kind: str, state: str, reason: str, message: str) -> dict:
            return {
                "type": kind,
                "status": state,
                "lastHeartbeatTime": now,
                "lastTransitionTime": now,
                "reason": reason,
                "message": message,
            }

        status["conditions"] = [
            condition(
                "MemoryPressure",
                "False",
                "KubeletHasSufficientMemory",
                "kubelet has sufficient memory available",
            ),
            condition(
                "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure"
            ),
            condition(
                "PIDPressure",
                "False",
                "KubeletHasSufficientPID",
                "kubelet has sufficient PID available",
            ),
            condition("Ready", "True", "KubeletReady", "kubelet is posting ready status"),
        ]
        status.setdefault("capacity", dict(CAPACITY))
        status.setdefault("allocatable", dict(CAPACITY))
        status.setdefault("daemonEndpoints", {"kubeletEndpoint": {"Port": 10250}})
        status.setdefault("nodeInfo", dict(NODE_INFO))
        return status

    def clear(self) -> None:
        super().clear()
        self._departed.clear()

    def _gone(self, node: dict) -> None:
        name = node["metadata"]["name"]
        cidr = node.get("spec", {}).get("podCIDR")
        if cidr:
            self.cidrs.release(cidr)
        for namespace, pod in self.node_pods.on(name):
            self.api.remove("Pod", namespace, pod)
