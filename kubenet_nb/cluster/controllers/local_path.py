"""kind's local-path-provisioner: a hostPath volume on the node the scheduler picked.

As rancher/local-path-provisioner (kind v0.29's build, `rancher.io/local-path`) through
sig-storage-lib-external-provisioner's controller: a claim announced to this provisioner
(`volume.kubernetes.io/storage-provisioner`) with a selected node gets the Normal `Provisioning`
event (`External provisioner is provisioning volume for claim "default/www-web-0"`), then,
`PROVISION_SECONDS` later (the helper pod that makes the directory is not shown as a pod), a
PersistentVolume `pvc-<claim uid>`: the requested capacity and access modes, `hostPath`
`/var/local-path-provisioner/pvc-<uid>_<ns>_<claim>` (DirectoryOrCreate), a required node
affinity on `kubernetes.io/hostname` of that node, the class's reclaim policy, and a claimRef to
the claim; `ProvisioningSucceeded` follows. The events' source is
`rancher.io/local-path_<provisioner pod>_<uuid>`. A Released volume whose policy is Delete is
removed. Without a running provisioner pod nothing is provisioned (the claim stays Pending, as
on a cluster whose provisioner is down).
"""

from __future__ import annotations

from kubenet_nb.api.well_known import HOSTNAME_LABEL
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.controllers.replicaset import is_ready
from kubenet_nb.cluster.controllers.volume_binder import (
    SELECTED_NODE,
    STORAGE_PROVISIONER,
    claim_class,
)
from kubenet_nb.cluster.store import Store, WatchEvent
from kubenet_nb.cluster.timers import Timers

__all__ = ["BASE_PATH", "PROVISIONER", "PROVISION_SECONDS", "LocalPathProvisioner"]

PROVISIONER = "rancher.io/local-path"
BASE_PATH = "/var/local-path-provisioner"
"""kind's local-path-storage ConfigMap: nodePathMap DEFAULT_PATH_FOR_NON_LISTED_NODES."""
PROVISIONED_BY = "pv.kubernetes.io/provisioned-by"
PROVISIONER_SELECTED_NODE = "local.path.provisioner/selected-node"
NAMESPACE, APP = "local-path-storage", "local-path-provisioner"
PROVISION_SECONDS = 2.0
"""How long the helper pod takes to create the directory: an estimate (no source measures it;
the claim is Bound within a few seconds on a kind cluster)."""


class LocalPathProvisioner(Controller):
    """Provisions claims of classes whose provisioner is `rancher.io/local-path`."""

    name = "local-path-provisioner"

    def __init__(self, store: Store, api: ApiServer, timers: Timers, clock: Clock) -> None:
        super().__init__()
        self.store, self.api, self.timers, self.clock = store, api, timers, clock
        self._in_flight: set[str] = set()
        self._identities: dict[str, str] = {}

    def handle(self, event: WatchEvent) -> None:
        if event.replay or event.obj is None:
            return
        meta = event.obj["metadata"]
        if event.kind == "PersistentVolumeClaim":
            self.enqueue(meta["namespace"], meta["name"])
        elif event.kind == "PersistentVolume":
            self.enqueue("", meta["name"])

    def reconcile(self, namespace: str, name: str) -> None:
        if not namespace:
            volume = self.store.get("PersistentVolume", "", name)
            if volume is not None:
                self._reclaim(volume)
            return
        claim = self.store.get("PersistentVolumeClaim", namespace, name)
        if claim is None or not self._wanted(claim):
            return
        source = self._source()
        if source is None:
            return
        uid = claim["metadata"]["uid"]
        self._in_flight.add(uid)
        self.store.on_undo(lambda: self._in_flight.discard(uid))
        self.api.record_event(
            claim,
            "Normal",
            "Provisioning",
            source,
            f'External provisioner is provisioning volume for claim "{namespace}/{name}"',
        )
        self.timers.at(self.clock.seconds + PROVISION_SECONDS, lambda: self._provision(claim))

    def _wanted(self, claim: dict) -> bool:
        """An unbound claim announced to this provisioner, with a node, not yet provisioned."""
        annotations = claim["metadata"].get("annotations", {})
        return (
            annotations.get(STORAGE_PROVISIONER) == PROVISIONER
            and bool(annotations.get(SELECTED_NODE))
            and not claim["spec"].get("volumeName")
            and claim["metadata"]["uid"] not in self._in_flight
            and not self.store.get("PersistentVolume", "", f"pvc-{claim['metadata']['uid']}")
        )

    def _source(self) -> str | None:
        """The event source `rancher.io/local-path_<pod>_<uuid>` of the running provisioner."""
        pods = [p for p in self.store.list("Pod", NAMESPACE) if is_ready(p)]
        pod = next((p for p in pods if p["metadata"].get("labels", {}).get("app") == APP), None)
        if pod is None:
            return None
        uid = pod["metadata"]["uid"]
        if uid not in self._identities:
            self._identities[uid] = self.api.random.uid()
        return f"{PROVISIONER}_{pod['metadata']['name']}_{self._identities[uid]}"

    def _provision(self, claim: dict) -> None:
        """The helper pod is done: the volume is created for the claim, if it still wants one."""
        uid = claim["metadata"]["uid"]
        self._in_flight.discard(uid)
        meta = claim["metadata"]
        current = self.store.get("PersistentVolumeClaim", meta["namespace"], meta["name"])
        source = self._source()
        if current is None or current["metadata"]["uid"] != uid or source is None:
            return
        node = current["metadata"].get("annotations", {}).get(SELECTED_NODE, "")
        storage_class = claim_class(current, self.store) or {}
        name = f"pvc-{uid}"
        requests = (current["spec"].get("resources") or {}).get("requests") or {}
        volume = {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {
                "name": name,
                "annotations": {PROVISIONED_BY: PROVISIONER, PROVISIONER_SELECTED_NODE: node},
            },
            "spec": {
                "accessModes": list(current["spec"].get("accessModes", [])),
                "capacity": {"storage": requests.get("storage", "")},
                "claimRef": {
                    "apiVersion": "v1",
                    "kind": "PersistentVolumeClaim",
                    "name": meta["name"],
                    "namespace": meta["namespace"],
                    "resourceVersion": current["metadata"].get("resourceVersion", ""),
                    "uid": uid,
                },
                "hostPath": {
                    "path": f"{BASE_PATH}/{name}_{meta['namespace']}_{meta['name']}",
                    "type": "DirectoryOrCreate",
                },
                "nodeAffinity": {
                    "required": {
                        "nodeSelectorTerms": [
                            {
                                "matchExpressions": [
                                    {"key": HOSTNAME_LABEL, "operator": "In", "values": [node]}
                                ]
                            }
                        ]
                    }
                },
                "persistentVolumeReclaimPolicy": storage_class.get("reclaimPolicy", "Delete"),
                "storageClassName": current["spec"].get("storageClassName", ""),
                "volumeMode": current["spec"].get("volumeMode", "Filesystem"),
            },
        }
        self.api.create(volume, trusted=True)
        self.api.record_event(
            current,
            "Normal",
            "ProvisioningSucceeded",
            source,
            f"Successfully provisioned volume {name}",
        )

    def _reclaim(self, volume: dict) -> None:
        """A Released volume of this provisioner with the Delete policy is removed."""
        if (
            volume.get("status", {}).get("phase") == "Released"
            and volume["spec"].get("persistentVolumeReclaimPolicy") == "Delete"
            and volume["metadata"].get("annotations", {}).get(PROVISIONED_BY) == PROVISIONER
        ):
            self.api.delete("PersistentVolume", "", volume["metadata"]["name"])
