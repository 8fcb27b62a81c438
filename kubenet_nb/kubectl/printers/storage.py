"""Table cells for volumes and the storage.k8s.io kinds, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0:
`printPersistentVolume`, `printPersistentVolumeClaim` (VOLUME, CAPACITY and ACCESS MODES once
bound), `printStorageClass` (` (default)` suffix, `Delete`/`Immediate`/`false` when unset),
`printCSIDriver`, `printCSINode`, `printCSIStorageCapacity` and `printVolumeAttachment`;
pkg/apis/core/helper `GetAccessModesAsString`, `GetPersistentVolume(Claim)Class`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import (
    AGE,
    NAME,
    Printer,
    meta,
    name,
    quantity_text,
    spec,
    status,
)

__all__ = ["PRINTERS"]

_ACCESS_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)
_BETA_CLASS = "volume.beta.kubernetes.io/storage-class"
_DEFAULT_CLASS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)


def _access_modes(modes: list[str] | None) -> str:
    """`GetAccessModesAsString`: RWO, ROX, RWX, RWOP in that order, each once."""
    present = set(modes or [])
    return ",".join(short for mode, short in _ACCESS_MODES if mode in present)


def _class_name(obj: dict) -> str:
    """The beta storage-class annotation if present, else `spec.storageClassName`."""
    annotations = meta(obj).get("annotations") or {}
    if _BETA_CLASS in annotations:
        return annotations[_BETA_CLASS]
    return spec(obj).get("storageClassName") or ""


def _phase(obj: dict) -> str:
    return "Terminating" if meta(obj).get("deletionTimestamp") else status(obj).get("phase", "")


def _unset(value: object) -> str:
    return "<unset>" if value is None else str(value)


def _pv_row(pv: dict, now: datetime) -> list[Any]:
    claim = spec(pv).get("claimRef")
    return [
        name(pv),
        quantity_text((spec(pv).get("capacity") or {}).get("storage")),
        _access_modes(spec(pv).get("accessModes")),
        spec(pv).get("persistentVolumeReclaimPolicy", ""),
        _phase(pv),
        f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else "",
        _class_name(pv),
        _unset(spec(pv).get("volumeAttributesClassName")),
        status(pv).get("reason", ""),
        object_age(pv, now),
        _unset(spec(pv).get("volumeMode")),
    ]


def _pvc_row(pvc: dict, now: datetime) -> list[Any]:
    volume = spec(pvc).get("volumeName", "")
    capacity = modes = ""
    if volume:
        modes = _access_modes(status(pvc).get("accessModes"))
        capacity = quantity_text((status(pvc).get("capacity") or {}).get("storage"))
    return [
        name(pvc),
        _phase(pvc),
        volume,
        capacity,
        modes,
        _class_name(pvc),
        _unset(spec(pvc).get("volumeAttributesClassName")),
        object_age(pvc, now),
        _unset(spec(pvc).get("volumeMode")),
    ]


def _storageclass_row(sc: dict, now: datetime) -> list[Any]:
    annotations = meta(sc).get("annotations") or {}
    default = any(annotations.get(key) == "true" for key in _DEFAULT_CLASS)
    return [
        name(sc) + (" (default)" if default else ""),
        sc.get("provisioner", ""),
        sc.get("reclaimPolicy") or "Delete",
        sc.get("volumeBindingMode") or "Immediate",
        bool(sc.get("allowVolumeExpansion")),
        object_age(sc, now),
    ]


def _csidriver_row(driver: dict, now: datetime) -> list[Any]:
    driver_spec = spec(driver)
    tokens = driver_spec.get("tokenRequests")
    return [
        name(driver),
        driver_spec.get("attachRequired", True) is not False,
        bool(driver_spec.get("podInfoOnMount")),
        bool(driver_spec.get("storageCapacity")),
        "<unset>" if tokens is None else ",".join(t.get("audience", "") for t in tokens),
        bool(driver_spec.get("requiresRepublish")),
        ",".join(driver_spec.get("volumeLifecycleModes") or []) or "<none>",
        object_age(driver, now),
    ]


def _csinode_row(node: dict, now: datetime) -> list[Any]:
    return [name(node), len(spec(node).get("drivers") or []), object_age(node, now)]


def _csistoragecapacity_row(capacity: dict, now: datetime) -> list[Any]:
    amount = capacity.get("capacity")
    return [
        name(capacity),
        capacity.get("storageClassName", ""),
        "<unset>" if amount is None else quantity_text(amount),
    ]


def _volumeattachment_row(attachment: dict, now: datetime) -> list[Any]:
    attachment_spec = spec(attachment)
    return [
        name(attachment),
        attachment_spec.get("attacher", ""),
        (attachment_spec.get("source") or {}).get("persistentVolumeName") or "",
        attachment_spec.get("nodeName", ""),
        bool(status(attachment).get("attached")),
        object_age(attachment, now),
    ]


PRINTERS = {
    "PersistentVolume": Printer(
        (
            NAME,
            Column("Capacity"),
            Column("Access Modes"),
            Column("Reclaim Policy"),
            Column("Status"),
            Column("Claim"),
            Column("StorageClass"),
            Column("VolumeAttributesClass"),
            Column("Reason"),
            AGE,
            Column("VolumeMode", 1),
        ),
        _pv_row,
    ),
    "PersistentVolumeClaim": Printer(
        (
            NAME,
            Column("Status"),
            Column("Volume"),
            Column("Capacity"),
            Column("Access Modes"),
            Column("StorageClass"),
            Column("VolumeAttributesClass"),
            AGE,
            Column("VolumeMode", 1),
        ),
        _pvc_row,
    ),
    "StorageClass": Printer(
        (
            NAME,
            Column("Provisioner"),
            Column("ReclaimPolicy"),
            Column("VolumeBindingMode"),
            Column("AllowVolumeExpansion"),
            AGE,
        ),
        _storageclass_row,
    ),
    "CSIDriver": Printer(
        (
            NAME,
            Column("AttachRequired"),
            Column("PodInfoOnMount"),
            Column("StorageCapacity"),
            Column("TokenRequests"),
            Column("RequiresRepublish"),
            Column("Modes"),
            AGE,
        ),
        _csidriver_row,
    ),
    "CSINode": Printer((NAME, Column("Drivers"), AGE), _csinode_row),
    "CSIStorageCapacity": Printer(
        (NAME, Column("StorageClassName"), Column("Capacity")), _csistoragecapacity_row
    ),
    "VolumeAttachment": Printer(
        (
            NAME,
            Column("Attacher", format="name"),
            Column("PV"),
            Column("Node"),
            Column("Attached"),
            AGE,
        ),
        _volumeattachment_row,
    ),
}
