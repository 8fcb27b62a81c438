"""The PersistentVolume controller (kube-controller-manager's binder): claims meet volumes.

As pkg/controller/volume/persistentvolume/pv_controller.go @ v1.33.0, for what kind's
dynamically provisioned volumes need:
- a claim without a `storageClassName` gets the default StorageClass (the retroactive default
  class assignment, GA since v1.28);
- a claim of a `WaitForFirstConsumer` class waits, with the Normal `WaitForFirstConsumer` event,
  until the scheduler names a node in `volume.kubernetes.io/selected-node`;
- then an external provisioner's class is announced on the claim
  (`volume.kubernetes.io/storage-provisioner` and its beta twin) with the `ExternalProvisioning`
  event, and the provisioner makes a volume whose `claimRef` names the claim;
- a volume whose claimRef names an existing claim is bound both ways (`Bound` on both, the
  claim's `volumeName`, capacity, access modes and bind annotations); a bound volume whose claim
  is gone is `Released` (its reclaim policy is then its provisioner's business).
Keys are (namespace, name) of claims, ("", name) of volumes.
"""

from __future__ import annotations

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = [
    "BIND_COMPLETED",
    "BOUND_BY_CONTROLLER",
    "SELECTED_NODE",
    "STORAGE_PROVISIONER",
    "STORAGE_PROVISIONER_BETA",
    "VolumeBinder",
    "claim_class",
]

SELECTED_NODE = "volume.kubernetes.io/selected-node"
STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner"
STORAGE_PROVISIONER_BETA = "volume.beta.kubernetes.io/storage-provisioner"
BIND_COMPLETED = "pv.kubernetes.io/bind-completed"
BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller"
"""pkg/controller/volume/persistentvolume/util/util.go @ v1.33.0 (AnnSelectedNode,
AnnStorageProvisioner, AnnBetaStorageProvisioner, AnnBindCompleted, AnnBoundByController)."""
DEFAULT_CLASS = "storageclass.kubernetes.io/is-default-class"
WAITING = "waiting for first consumer to be created before binding"
"""pv_controller.go: the WaitForFirstConsumer event's message."""


def claim_class(claim: dict, store: Store) -> dict | None:
    """The claim's StorageClass, if it names one that exists."""
    name = claim["spec"].get("storageClassName")
    return store.get("StorageClass", "", name) if name else None


def _external_provisioning(provisioner: str) -> str:
    """pv_controller.go provisionClaim: the ExternalProvisioning event's message."""
    return (
        "Waiting for a volume to be created either by the external provisioner "
        f"'{provisioner}' or manually by the system administrator. If volume creation is "
        "delayed, please verify that the provisioner is running and correctly registered."
    )


class VolumeBinder(Controller):
    """Binds claims to the volumes provisioned for them; PVC and PV events queue both sides."""

    name = "persistentvolume-controller"

    def __init__(self, store: Store, api: ApiServer) -> None:
        super().__init__()
        self.store, self.api = store, api

    def handle(self, event: WatchEvent) -> None:
        if event.replay:
            return
        obj = event.subject
        if event.kind == "PersistentVolumeClaim" and event.obj is not None:
            self.enqueue(obj["metadata"]["namespace"], obj["metadata"]["name"])
        elif event.kind == "PersistentVolumeClaim":
            volume = obj["spec"].get("volumeName")
            if volume:
                self.enqueue("", volume)
        elif event.kind == "PersistentVolume" and event.obj is not None:
            self.enqueue("", obj["metadata"]["name"])
            ref = obj["spec"].get("claimRef") or {}
            if ref.get("namespace") and ref.get("name"):
                self.enqueue(ref["namespace"], ref["name"])

    def reconcile(self, namespace: str, name: str) -> None:
        if namespace:
            claim = self.store.get("PersistentVolumeClaim", namespace, name)
            if claim is not None:
                self._sync_claim(claim)
            return
        volume = self.store.get("PersistentVolume", "", name)
        if volume is not None:
            self._sync_volume(volume)

    # -- claims ------------------------------------------------------------------------------

    def _sync_claim(self, claim: dict) -> None:
        if claim.get("status", {}).get("phase") == "Bound":
            return
        if "storageClassName" not in claim["spec"]:
            self._assign_default_class(claim)
            return
        volume = self._volume_for(claim)
        if volume is not None:
            self._bind(volume, claim)
            return
        if claim["spec"].get("volumeName"):
            return  # the volume asked for does not exist (yet): Pending, retried
        storage_class = claim_class(claim, self.store)
        if storage_class is None:
            return
        annotations = claim["metadata"].get("annotations", {})
        if storage_class.get("volumeBindingMode") == "WaitForFirstConsumer" and not annotations.get(
            SELECTED_NODE
        ):
            meta = claim["metadata"]
            told = any(
                r.uid == meta["uid"] and r.reason == "WaitForFirstConsumer"
                for r in self.api.events.named(meta["namespace"], meta["name"])
            )
            if not told:  # once per claim: the periodic resync's repeats are not modelled
                self.api.record_event(claim, "Normal", "WaitForFirstConsumer", self.name, WAITING)
            return
        provisioner = storage_class.get("provisioner", "")
        if annotations.get(STORAGE_PROVISIONER) == provisioner:
            return
        meta = {
            **claim["metadata"],
            "annotations": {
                **annotations,
                STORAGE_PROVISIONER_BETA: provisioner,
                STORAGE_PROVISIONER: provisioner,
            },
        }
        self.api.update({**claim, "metadata": meta}, trusted=True)
        self.api.record_event(
            claim, "Normal", "ExternalProvisioning", self.name, _external_provisioning(provisioner)
        )

    def _assign_default_class(self, claim: dict) -> None:
        """A claim with no class at all gets the default StorageClass (the newest when several
        are marked default, as GetDefaultClass picks it); with none, it waits."""
        defaults = [
            c
            for c in self.store.list("StorageClass")
            if c["metadata"].get("annotations", {}).get(DEFAULT_CLASS) == "true"
        ]
        if not defaults:
            return
        chosen = max(
            defaults,
            key=lambda c: (c["metadata"].get("creationTimestamp", ""), c["metadata"]["name"]),
        )
        spec = {**claim["spec"], "storageClassName": chosen["metadata"]["name"]}
        self.api.update({**claim, "spec": spec}, trusted=True)

    def _volume_for(self, claim: dict) -> dict | None:
        """The volume named by the claim, or one whose claimRef names it (a provisioned one)."""
        named = claim["spec"].get("volumeName")
        if named:
            return self.store.get("PersistentVolume", "", named)
        uid = claim["metadata"]["uid"]
        for volume in self.store.list("PersistentVolume"):
            if (volume["spec"].get("claimRef") or {}).get("uid") == uid:
                return volume
        return None

    def _bind(self, volume: dict, claim: dict) -> None:
        """bind(): the volume Bound to the claim, then the claim to the volume."""
        if volume.get("status", {}).get("phase") != "Bound":
            self.api.set_status(volume, {**volume.get("status", {}), "phase": "Bound"})
        meta = {
            **claim["metadata"],
            "annotations": {
                **claim["metadata"].get("annotations", {}),
                BIND_COMPLETED: "yes",
                BOUND_BY_CONTROLLER: "yes",
            },
        }
        spec = {**claim["spec"], "volumeName": volume["metadata"]["name"]}
        bound = self.api.update({**claim, "metadata": meta, "spec": spec}, trusted=True)
        status = {
            "accessModes": list(volume["spec"].get("accessModes", [])),
            "capacity": dict(volume["spec"].get("capacity", {})),
            "phase": "Bound",
        }
        self.api.set_status(bound, status)

    # -- volumes -----------------------------------------------------------------------------

    def _sync_volume(self, volume: dict) -> None:
        ref = volume["spec"].get("claimRef") or {}
        phase = volume.get("status", {}).get("phase")
        if not ref:
            if phase != "Available":
                self.api.set_status(volume, {**volume.get("status", {}), "phase": "Available"})
            return
        claim = self.store.get("PersistentVolumeClaim", ref.get("namespace", ""), ref["name"])
        if claim is None or claim["metadata"]["uid"] != ref.get("uid"):
            if phase == "Bound":
                self.api.set_status(volume, {**volume.get("status", {}), "phase": "Released"})
            return
        if phase != "Bound":
            self._bind(volume, claim)
