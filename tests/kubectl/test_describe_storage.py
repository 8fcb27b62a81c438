"""`kubectl describe` for StorageClasses and PersistentVolumeClaims (describe/storage.py)."""

from __future__ import annotations

from kubenet_nb import Cluster
from kubenet_nb.kubectl.describe.storage import access_modes


def test_storage_class() -> None:
    # kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1 TestDescribeStorageClass (its
    # binding mode "bindingmode" is not a valid value, so WaitForFirstConsumer here).
    c = Cluster()
    c.create(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {"name": "foo", "annotations": {"name": "foo"}},
            "provisioner": "my-provisioner",
            "parameters": {"param1": "value1", "param2": "value2"},
            "reclaimPolicy": "Retain",
            "volumeBindingMode": "WaitForFirstConsumer",
            "allowedTopologies": [
                {
                    "matchLabelExpressions": [
                        {"key": "failure-domain.beta.kubernetes.io/zone", "values": [zone]},
                        {"key": "kubernetes.io/hostname", "values": [node]},
                    ]
                }
                for zone, node in (("zone1", "node1"), ("zone2", "node2"))
            ],
        }
    )
    assert c.kubectl("describe sc foo") == (
        "Name:                  foo\n"
        "IsDefaultClass:        No\n"
        "Annotations:           name=foo\n"
        "Provisioner:           my-provisioner\n"
        "Parameters:            param1=value1,param2=value2\n"
        "AllowVolumeExpansion:  <unset>\n"
        "MountOptions:          <none>\n"
        "ReclaimPolicy:         Retain\n"
        "VolumeBindingMode:     WaitForFirstConsumer\n"
        "AllowedTopologies:     \n"
        "  Term 0:              failure-domain.beta.kubernetes.io/zone in [zone1]\n"
        "                       kubernetes.io/hostname in [node1]\n"
        "  Term 1:              failure-domain.beta.kubernetes.io/zone in [zone2]\n"
        "                       kubernetes.io/hostname in [node2]\n"
        "Events:                <none>"
    )


def test_default_storage_class_with_mount_options() -> None:
    c = Cluster()
    c.create(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "StorageClass",
            "metadata": {
                "name": "fast",
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
            },
            "provisioner": "rancher.io/local-path",
            "allowVolumeExpansion": True,
            "mountOptions": ["ro", "soft"],
        }
    )
    text = c.kubectl("describe sc fast --show-events=false")
    assert text.startswith("Name:                  fast\nIsDefaultClass:        Yes\n")
    # The option lines have no tab: they end the tabwriter block, the lines after it realign.
    # The API server defaults the reclaim policy and binding mode.
    assert text.endswith(
        "AllowVolumeExpansion:  True\n"
        "MountOptions:\n"
        "  ro\n"
        "  soft\n"
        "ReclaimPolicy:      Delete\n"
        "VolumeBindingMode:  Immediate"
    )


def test_bound_claim_and_the_pods_using_it() -> None:
    # describe.go printPersistentVolumeClaim: once a volume is named, capacity and access modes
    # come from the status (none yet: a zero Quantity prints "0"); getPodsForPVC lists the pods
    # mounting the claim, printPodsMultiline sorts them.
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "finalizers": ["kubernetes.io/pvc-protection"]},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
                "storageClassName": "standard",
                "volumeName": "pv-1",
                "volumeMode": "Filesystem",
            },
        }
    )
    for name in ("web-b", "web-a"):
        c.create(
            {
                "apiVersion": "v1",
                "kind": "Pod",
                "metadata": {"name": name},
                "spec": {
                    "containers": [{"name": "c", "image": "nginx"}],
                    "volumes": [{"name": "d", "persistentVolumeClaim": {"claimName": "data"}}],
                },
            }
        )
    text = c.kubectl("describe pvc data --show-events=false")
    assert text.startswith("Name:          data\nNamespace:     default\nStorageClass:  standard\n")
    assert (
        "Volume:        pv-1\n"
        "Labels:        <none>\n"
        "Annotations:   <none>\n"
        "Finalizers:    [kubernetes.io/pvc-protection]\n"
    ) in text
    assert text.endswith(
        "Capacity:      0\n"
        "Access Modes:  \n"
        "VolumeMode:    Filesystem\n"
        "Used By:       web-a\n"
        "               web-b"
    )


def test_access_modes_in_kubectls_order() -> None:
    # k8s.io/kubectl/pkg/util/storage GetAccessModesAsString: RWO,ROX,RWX,RWOP, duplicates once.
    modes = ["ReadWriteOncePod", "ReadWriteMany", "ReadWriteOnce", "ReadWriteMany"]
    assert access_modes(modes) == "RWO,RWX,RWOP"


def test_pending_claim() -> None:
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data"},
            "spec": {
                "accessModes": ["ReadWriteOnce"],
                "resources": {"requests": {"storage": "1Gi"}},
            },
        }
    )
    # Unbound (kind's class waits for a first consumer): no volume, capacity or access modes.
    text = c.kubectl("describe pvc data")
    assert "Status:        Pending\nVolume:        \n" in text
    assert text.endswith(
        "Capacity:      \n"
        "Access Modes:  \n"
        "VolumeMode:    Filesystem\n"
        "Used By:       <none>\n"
        "Events:\n"
        "  Type    Reason                Age   From                         Message\n"
        "  ----    ------                ----  ----                         -------\n"
        "  Normal  WaitForFirstConsumer  0s    persistentvolume-controller  "
        "waiting for first consumer to be created before binding"
    )
