"""StorageClasses, CSIDrivers and VolumeAttachments through the public face."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from tests.api.rules_helpers import refusal


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster()


def storage_class(name: str, **fields: object) -> dict:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "StorageClass",
        "metadata": {"name": name},
        "provisioner": "kubernetes.io/foo-provisioner",
        **fields,
    }


def test_storage_class_defaults(cluster: Cluster) -> None:
    # pkg/apis/storage/v1/defaults.go SetDefaults_StorageClass
    stored = cluster.create(storage_class("defaults"))
    assert (stored["reclaimPolicy"], stored["volumeBindingMode"]) == ("Delete", "Immediate")


# TestValidateStorageClass (pkg/apis/storage/validation/validation_test.go @ v1.33.0)
def many_parameters() -> dict:
    return {f"key{i}": "v" for i in range(513)}


STORAGE_CLASS_CASES = {
    "good with parameters": (
        storage_class("foo", parameters={"kubernetes.io/foo-parameter": "free/form/string"}),
        None,
    ),
    "good with retain": (storage_class("bar", reclaimPolicy="Retain"), None),
    "wait for first consumer": (
        storage_class("waiting", volumeBindingMode="WaitForFirstConsumer"),
        None,
    ),
    "missing provisioner": (
        storage_class("no-provisioner", provisioner=""),
        'The StorageClass "no-provisioner" is invalid: provisioner: Required value',
    ),
    "invalid provisioner": (
        storage_class("bad-provisioner", provisioner="invalid/invalid/provisioner"),
        'The StorageClass "bad-provisioner" is invalid: provisioner: Invalid value: '
        '"invalid/invalid/provisioner": a qualified name must consist of alphanumeric '
        "characters, '-', '_' or '.', and must start and end with an alphanumeric character "
        "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
        "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and "
        "'/' (e.g. 'example.com/MyName')",
    ),
    "empty parameter name": (
        storage_class("empty-key", parameters={"": "value"}),
        'The StorageClass "empty-key" is invalid: parameters: Invalid value: "": field can not '
        "be empty.",
    ),
    "too many parameters": (
        storage_class("too-many", parameters=many_parameters()),
        'The StorageClass "too-many" is invalid: parameters: Too long: may not be more than 512 '
        "bytes",
    ),
    "parameters too long": (
        storage_class("too-long", parameters={"key": "a" * (256 * 1024)}),
        'The StorageClass "too-long" is invalid: parameters: Too long: may not be more than '
        "262144 bytes",
    ),
    "invalid reclaim policy": (
        storage_class("bad-reclaim", reclaimPolicy="Recycle"),
        'The StorageClass "bad-reclaim" is invalid: reclaimPolicy: Unsupported value: "Recycle": '
        'supported values: "Delete", "Retain"',
    ),
    "invalid volume binding mode": (
        storage_class("bad-binding", volumeBindingMode="invalid"),
        'The StorageClass "bad-binding" is invalid: volumeBindingMode: Unsupported value: '
        '"invalid": supported values: "Immediate", "WaitForFirstConsumer"',
    ),
}


@pytest.mark.parametrize("case", list(STORAGE_CLASS_CASES))
def test_validate_storage_class(cluster: Cluster, case: str) -> None:
    obj, message = STORAGE_CLASS_CASES[case]
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == message


def test_storage_class_update(cluster: Cluster) -> None:
    # TestValidateUpdateStorageClass: parameters, provisioner and reclaimPolicy fixed
    cluster.create(storage_class("fixed", parameters={"a": "1"}))
    changed = storage_class("fixed", parameters={"a": "2"}, reclaimPolicy="Retain")
    assert refusal(cluster, changed, update=True) == (
        'The StorageClass "fixed" is invalid: \n'
        "* parameters: Forbidden: updates to parameters are forbidden.\n"
        "* reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden."
    )
    labelled = storage_class("fixed", parameters={"a": "1"})
    labelled["metadata"]["labels"] = {"tier": "fast"}
    assert cluster.update(labelled)["metadata"]["labels"] == {"tier": "fast"}


def test_beta_topology_label_warning(cluster: Cluster) -> None:
    topologies = [
        {
            "matchLabelExpressions": [
                {"key": "failure-domain.beta.kubernetes.io/zone", "values": ["a"]}
            ]
        }
    ]
    cluster.create(storage_class("zonal", allowedTopologies=topologies))
    assert cluster.last_warnings == [
        "allowedTopologies[0].matchLabelExpressions[0].key: deprecated since v1.17; "
        'use "topology.kubernetes.io/zone" instead'
    ]


def csi_driver(name: str, **spec: object) -> dict:
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "CSIDriver",
        "metadata": {"name": name},
        "spec": spec,
    }


def test_csi_driver_defaults(cluster: Cluster) -> None:
    # SetDefaults_CSIDriver (seLinuxMount: SELinuxMountReadWriteOncePod is on in v1.33)
    assert cluster.create(csi_driver("csi.example.com"))["spec"] == {
        "attachRequired": True,
        "podInfoOnMount": False,
        "storageCapacity": False,
        "fsGroupPolicy": "ReadWriteOnceWithFSType",
        "requiresRepublish": False,
        "seLinuxMount": False,
        "volumeLifecycleModes": ["Persistent"],
    }


def test_csi_driver_refusals(cluster: Cluster) -> None:
    # TestValidateCSIDriver: names over 63 characters, unknown policies and modes
    long_name = "a" * 64
    assert refusal(cluster, csi_driver(long_name)) == (
        f'The CSIDriver "{long_name}" is invalid: name: Too long: may not be more than 63 bytes'
    )
    assert refusal(cluster, csi_driver("bad.example.com", fsGroupPolicy="invalid-mode")) == (
        'The CSIDriver "bad.example.com" is invalid: spec.fsGroupPolicy: Unsupported value: '
        '"invalid-mode": supported values: "File", "None", "ReadWriteOnceWithFSType"'
    )
    assert refusal(cluster, csi_driver("modes.example.com", volumeLifecycleModes=["no"])) == (
        'The CSIDriver "modes.example.com" is invalid: spec.volumeLifecycleModes: Unsupported '
        'value: "no": supported values: "Ephemeral", "Persistent"'
    )


def test_csi_driver_update(cluster: Cluster) -> None:
    # TestCSIDriverValidationUpdate: attachRequired is immutable, requiresRepublish is not
    cluster.create(csi_driver("update.example.com"))
    assert refusal(
        cluster, csi_driver("update.example.com", attachRequired=False), update=True
    ) == (
        'The CSIDriver "update.example.com" is invalid: spec.attachedRequired: Invalid value: '
        "false: field is immutable"
    )
    stored = cluster.update(csi_driver("update.example.com", requiresRepublish=True))
    assert stored["spec"]["requiresRepublish"] is True


def attachment(name: str, **spec: object) -> dict:
    body = {"attacher": "myattacher", "nodeName": "mynode", **spec}
    return {
        "apiVersion": "storage.k8s.io/v1",
        "kind": "VolumeAttachment",
        "metadata": {"name": name},
        "spec": body,
    }


def test_volume_attachment(cluster: Cluster) -> None:
    # TestValidateVolumeAttachment / TestVolumeAttachmentValidationV1
    stored = cluster.create(attachment("foo", source={"persistentVolumeName": "pv"}))
    assert stored["status"] == {"attached": False}
    assert refusal(cluster, attachment("no-source", source={})) == (
        'The VolumeAttachment "no-source" is invalid: spec.source: Required value: must specify '
        "exactly one of inlineVolumeSpec and persistentVolumeName"
    )
    assert refusal(
        cluster, attachment("bad-attacher", attacher="", source={"persistentVolumeName": "pv"})
    ) == (
        'The VolumeAttachment "bad-attacher" is invalid: \n'
        "* spec.attacher: Required value\n"
        '* spec.attacher: Invalid value: "": a lowercase RFC 1123 subdomain must consist of lower '
        "case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )
    changed = attachment("foo", nodeName="other", source={"persistentVolumeName": "pv"})
    assert refusal(cluster, changed, update=True) == (
        'The VolumeAttachment "foo" is invalid: spec: Invalid value: '
        'storage.VolumeAttachmentSpec{Attacher:"myattacher", '
        "Source:storage.VolumeAttachmentSource{PersistentVolumeName:(*string)(0xc000000000), "
        'InlineVolumeSpec:(*core.PersistentVolumeSpec)(nil)}, NodeName:"other"}: '
        "field is immutable"
    )
