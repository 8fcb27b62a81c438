"""`kubectl describe` for PersistentVolumes (describe/persistentvolume.py).

Cases from kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1
TestPersistentVolumeDescriber (the sources a kind cluster meets), which checks for and against
fragments of the text; the whole text is compared here.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError


def _describe(spec: dict, meta: dict | None = None) -> str:
    c = Cluster()
    base = {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]}
    c.create(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": "bar", **(meta or {})},
            "spec": {**base, **spec},
        }
    )
    return c.kubectl("describe pv bar")


HEAD = (
    "Name:            bar\n"
    "Labels:          <none>\n"
    "Annotations:     <none>\n"
    "Finalizers:      []\n"
    "StorageClass:    \n"
    "Status:          Available\n"
    "Claim:           \n"
    "Reclaim Policy:  Retain\n"
    "Access Modes:    RWO\n"
    "VolumeMode:      Filesystem\n"
    "Capacity:        1Gi\n"
)


def test_host_path() -> None:
    # "test0" (hostpath): the API server defaults the volume mode (upstream's fake client
    # leaves it unset) and the hostPath type to "", which prints empty.
    assert _describe({"hostPath": {"path": "/mnt/data"}}) == HEAD + (
        "Node Affinity:   <none>\n"
        "Message:         \n"
        "Source:\n"
        "    Type:          HostPath (bare host directory volume)\n"
        "    Path:          /mnt/data\n"
        "    HostPathType:  \n"
        "Events:            <none>"
    )


def test_nfs_block_mode() -> None:
    # "test3" (nfs) with "test4"'s Block volume mode.
    text = _describe({"nfs": {"server": "10.0.0.5", "path": "/exports"}, "volumeMode": "Block"})
    assert text == HEAD.replace("Filesystem", "Block") + (
        "Node Affinity:   <none>\n"
        "Message:         \n"
        "Source:\n"
        "    Type:      NFS (an NFS mount that lasts the lifetime of a pod)\n"
        "    Server:    10.0.0.5\n"
        "    Path:      /exports\n"
        "    ReadOnly:  false\n"
        "Events:        <none>"
    )


def test_local_with_node_affinity() -> None:
    # "test14" (local): `foo in [val1, val2]` and `foo exists` under Term 0, plus a second
    # term (as "test13"); a local volume must name its nodes.
    terms = [
        {
            "matchExpressions": [
                {"key": "foo", "operator": "In", "values": ["val1", "val2"]},
                {"key": "foo", "operator": "Exists"},
            ]
        },
        {
            "matchExpressions": [
                {"key": "kubernetes.io/hostname", "operator": "In", "values": ["kind-worker"]}
            ]
        },
    ]
    spec = {
        "local": {"path": "/mnt/disks/ssd1"},
        "nodeAffinity": {"required": {"nodeSelectorTerms": terms}},
    }
    # The affinity lines share the head's alignment block, so its column widens.
    assert _describe(spec) == (
        "Name:              bar\n"
        "Labels:            <none>\n"
        "Annotations:       <none>\n"
        "Finalizers:        []\n"
        "StorageClass:      \n"
        "Status:            Available\n"
        "Claim:             \n"
        "Reclaim Policy:    Retain\n"
        "Access Modes:      RWO\n"
        "VolumeMode:        Filesystem\n"
        "Capacity:          1Gi\n"
        "Node Affinity:     \n"
        "  Required Terms:  \n"
        "    Term 0:        foo in [val1, val2]\n"
        "                   foo exists\n"
        "    Term 1:        kubernetes.io/hostname in [kind-worker]\n"
        "Message:           \n"
        "Source:\n"
        "    Type:  LocalVolume (a persistent volume backed by local storage on a node)\n"
        "    Path:  /mnt/disks/ssd1\n"
        "Events:    <none>"
    )


def test_csi_with_labels_and_annotations() -> None:
    # "test17" (csi): driver, handle, read-only and the volume attributes, sorted.
    spec = {
        "csi": {
            "driver": "drive",
            "volumeHandle": "handler",
            "readOnly": True,
            "volumeAttributes": {
                "Attribute1": "Value1",
                "Attribute2": "Value2",
                "Attribute3": "Value3",
            },
        }
    }
    meta = {
        "labels": {"label1": "label1", "label2": "label2"},
        "annotations": {"annotation1": "annotation1"},
    }
    text = _describe(spec, meta)
    assert text.startswith(
        "Name:            bar\n"
        "Labels:          label1=label1\n"
        "                 label2=label2\n"
        "Annotations:     annotation1: annotation1\n"
    )
    assert text.endswith(
        "Source:\n"
        "    Type:              CSI (a Container Storage Interface (CSI) volume source)\n"
        "    Driver:            drive\n"
        "    FSType:            \n"
        "    VolumeHandle:      handler\n"
        "    ReadOnly:          true\n"
        "    VolumeAttributes:      Attribute1=Value1\n"
        "                           Attribute2=Value2\n"
        "                           Attribute3=Value3\n"
        "Events:                <none>"
    )


def test_bound_claim_and_storage_class() -> None:
    # describe.go: `Claim: namespace/name`; the class from spec.storageClassName.
    spec = {
        "hostPath": {"path": "/mnt/data", "type": "DirectoryOrCreate"},
        "storageClassName": "standard",
        "persistentVolumeReclaimPolicy": "Delete",
        "claimRef": {"namespace": "default", "name": "data"},
    }
    text = _describe(spec)
    assert "StorageClass:    standard\n" in text
    assert "Claim:           default/data\nReclaim Policy:  Delete\n" in text
    assert "    HostPathType:  DirectoryOrCreate\n" in text


def test_other_sources_are_not_simulated() -> None:
    with pytest.raises(
        KubectlError, match="cannot describe gcePersistentDisk persistentvolumes yet"
    ):
        _describe({"gcePersistentDisk": {"pdName": "disk"}})
