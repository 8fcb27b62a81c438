"""`kubectl describe` for PersistentVolumes.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describePersistentVolume`,
`printVolumeNodeAffinity`, `printNodeSelectorTermsMultilineWithIndent`, and the source printers
for the volumes a kind cluster meets: `printHostPathVolumeSource`, `printLocalVolumeSource`,
`printNFSVolumeSource`, `printCSIPersistentVolumeSource`). The class is
`storageutil.GetPersistentVolumeClass`, which reads as a claim's does.
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.quantity import parse_quantity
from kubenet_nb.kubectl.describe.containers import print_host_path
from kubenet_nb.kubectl.describe.storage import access_modes, claim_class
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    print_annotations,
    print_labels,
)
from kubenet_nb.kubectl.printers.age import age

__all__ = ["describe_pv"]

_MAX_ATTRIBUTE = 140
# The sources describePersistentVolume prints that are not printed here yet.
_OTHER_SOURCES = (
    "gcePersistentDisk awsElasticBlockStore iscsi glusterfs rbd quobyte vsphereVolume cinder "
    "azureDisk photonPersistentDisk portworxVolume scaleIO cephfs storageos fc azureFile "
    "flexVolume flocker"
).split()


def _node_affinity(w: Writer, affinity: dict | None) -> None:
    """`printVolumeNodeAffinity`: the required node selector terms, one requirement a line."""
    w.write(0, "Node Affinity:\t")
    required = (affinity or {}).get("required")
    if required is None:
        w.line("<none>")
        return
    w.line("")
    w.write(1, "Required Terms:\t")
    terms = required.get("nodeSelectorTerms") or []
    if not terms:
        w.line("<none>")
        return
    w.line("")
    for i, term in enumerate(terms):
        w.write(2, f"Term {i}:\t")
        requirements = term.get("matchExpressions") or []
        if not requirements:
            w.line("<none>")
        for j, req in enumerate(requirements):
            if j:
                w.write(2, "\t")
            text = f"{req.get('key', '')} {req.get('operator', '').lower()}"
            if req.get("values"):
                text += f" [{', '.join(req['values'])}]"
            w.write(0, text + "\n")


def _csi(w: Writer, csi: dict) -> None:
    """`printCSIPersistentVolumeSource` with its `VolumeAttributes` (`key=value` lines)."""
    w.write(
        2,
        "Type:\tCSI (a Container Storage Interface (CSI) volume source)\n"
        f"    Driver:\t{csi.get('driver', '')}\n"
        f"    FSType:\t{csi.get('fsType', '')}\n"
        f"    VolumeHandle:\t{csi.get('volumeHandle', '')}\n"
        f"    ReadOnly:\t{'true' if csi.get('readOnly') else 'false'}\n",
    )
    attributes = csi.get("volumeAttributes") or {}
    w.write(2, "VolumeAttributes:\t")
    if not attributes:
        w.line("<none>")
        return
    for i, key in enumerate(sorted(attributes)):
        if i:
            w.write(2, "")
            w.write(2, "\t")
        line = f"{key}={attributes[key]}"
        w.write(2, f"{line[:_MAX_ATTRIBUTE]}...\n" if len(line) > _MAX_ATTRIBUTE else f"{line}\n")


def _source(w: Writer, spec: dict) -> None:
    """The `Source:` section: the volume's plugin and its fields."""
    if spec.get("hostPath") is not None:
        print_host_path(w, spec["hostPath"])
        return
    unsupported = next((key for key in _OTHER_SOURCES if spec.get(key) is not None), None)
    if unsupported is not None:
        raise KubectlError(f"kubenet-nb cannot describe {unsupported} persistentvolumes yet")
    if spec.get("nfs") is not None:
        nfs = spec["nfs"]
        w.write(
            2,
            "Type:\tNFS (an NFS mount that lasts the lifetime of a pod)\n"
            f"    Server:\t{nfs.get('server', '')}\n"
            f"    Path:\t{nfs.get('path', '')}\n"
            f"    ReadOnly:\t{'true' if nfs.get('readOnly') else 'false'}\n",
        )
    elif spec.get("local") is not None:
        w.write(
            2,
            "Type:\tLocalVolume (a persistent volume backed by local storage on a node)\n"
            f"    Path:\t{spec['local'].get('path', '')}\n",
        )
    elif spec.get("csi") is not None:
        _csi(w, spec["csi"])
    else:
        w.write(1, "<unknown>\n")


def describe_pv(pv: dict, events: list[dict] | None, now: datetime) -> str:
    """`describePersistentVolume`: class, phase, claim, policy, capacity, affinity, source."""
    meta, spec = pv.get("metadata", {}), pv.get("spec") or {}
    status = pv.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t[{' '.join(meta.get('finalizers') or [])}]\n")
    w.write(0, f"StorageClass:\t{claim_class(pv)}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    claim = spec.get("claimRef")
    claim_text = f"{claim.get('namespace', '')}/{claim.get('name', '')}" if claim else ""
    w.write(0, f"Claim:\t{claim_text}\n")
    w.write(0, f"Reclaim Policy:\t{spec.get('persistentVolumeReclaimPolicy', '')}\n")
    w.write(0, f"Access Modes:\t{access_modes(spec.get('accessModes'))}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    storage = (spec.get("capacity") or {}).get("storage", 0)
    w.write(0, f"Capacity:\t{parse_quantity(storage)}\n")
    _node_affinity(w, spec.get("nodeAffinity"))
    w.write(0, f"Message:\t{status.get('message', '')}\n")
    w.write(0, "Source:\n")
    _source(w, spec)
    if events is not None:
        describe_events(w, events, now)
    return w.text()
