"""PersistentVolumes and PersistentVolumeClaims through the public face: defaults, initial
status, the API server's refusals word for word and the update rules."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from tests.api.rules_helpers import as_stored, refusal

ACCESS = 'supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"'


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    return Cluster()


def pv(name: str, **spec: object) -> dict:
    body: dict = {
        "capacity": {"storage": "1Gi"},
        "accessModes": ["ReadWriteOnce"],
        "hostPath": {"path": "/tmp/data"},
        **spec,
    }
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolume",
        "metadata": {"name": name},
        "spec": body,
    }


def pvc(name: str, **spec: object) -> dict:
    body: dict = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    body.update(spec)
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name, "namespace": "default"},
        "spec": body,
    }


def test_pv_defaults_and_status(cluster: Cluster) -> None:
    # SetDefaults_PersistentVolume, SetDefaults_HostPathVolumeSource; the strategy's Pending
    stored = as_stored(cluster, {**pv("pv-defaults"), "status": {"phase": "Bound"}})
    assert stored["spec"]["persistentVolumeReclaimPolicy"] == "Retain"
    assert stored["spec"]["volumeMode"] == "Filesystem"
    assert stored["spec"]["hostPath"] == {"path": "/tmp/data", "type": ""}
    assert stored["status"] == {"phase": "Pending"}
    assert "generation" not in stored["metadata"]


# TestValidatePersistentVolumes (pkg/apis/core/validation/validation_test.go @ v1.33.0)
PV_CASES = {
    "good-volume": (pv("good-volume"), None),
    "good-volume-with-capacity-unit": (pv("good-volume-unit", capacity={"storage": "10Gi"}), None),
    "good-volume-without-capacity-unit": (pv("good-volume-bare", capacity={"storage": "10"}), None),
    "good-volume-with-storage-class": (pv("good-sc", storageClassName="valid"), None),
    "good-volume-with-retain-policy": (
        pv("good-retain", persistentVolumeReclaimPolicy="Retain"),
        None,
    ),
    "good-volume-with-volume-mode": (pv("good-mode", volumeMode="Block"), None),
    "invalid-accessmode": (
        pv("invalid-accessmode", accessModes=["fakemode"]),
        'The PersistentVolume "invalid-accessmode" is invalid: spec.accessModes: '
        f'Unsupported value: "fakemode": {ACCESS}',
    ),
    "invalid-reclaimpolicy": (
        pv("invalid-reclaimpolicy", persistentVolumeReclaimPolicy="fakereclaimpolicy"),
        'The PersistentVolume "invalid-reclaimpolicy" is invalid: '
        'spec.persistentVolumeReclaimPolicy: Unsupported value: "fakereclaimpolicy": '
        'supported values: "Delete", "Recycle", "Retain"',
    ),
    "missing-accessmodes": (
        pv("missing-accessmodes", accessModes=[]),
        'The PersistentVolume "missing-accessmodes" is invalid: spec.accessModes: Required value',
    ),
    "too-many-sources": (
        pv("too-many-sources", nfs={"server": "s", "path": "/p"}),
        'The PersistentVolume "too-many-sources" is invalid: spec.nfs: Forbidden: may not specify '
        "more than 1 volume type",
    ),
    "no-source": (
        {
            "apiVersion": "v1",
            "kind": "PersistentVolume",
            "metadata": {"name": "no-source"},
            "spec": {"capacity": {"storage": "1Gi"}, "accessModes": ["ReadWriteOnce"]},
        },
        'The PersistentVolume "no-source" is invalid: spec: Required value: must specify a '
        "volume type",
    ),
    "host mount of / with recycle reclaim policy": (
        pv("bad-recycle", hostPath={"path": "/"}, persistentVolumeReclaimPolicy="Recycle"),
        'The PersistentVolume "bad-recycle" is invalid: spec.persistentVolumeReclaimPolicy: '
        "Forbidden: may not be 'recycle' for a hostPath mount of '/'",
    ),
    "host mount of / with recycle reclaim policy 2": (
        pv("bad-recycle-2", hostPath={"path": "/a/.."}, persistentVolumeReclaimPolicy="Recycle"),
        'The PersistentVolume "bad-recycle-2" is invalid: \n'
        "* spec.hostPath.path: Invalid value: \"/a/..\": must not contain '..'\n"
        "* spec.persistentVolumeReclaimPolicy: Forbidden: may not be 'recycle' for a hostPath "
        "mount of '/'",
    ),
    "invalid-storage-class-name": (
        pv("invalid-sc", storageClassName="-invalid-"),
        'The PersistentVolume "invalid-sc" is invalid: spec.storageClassName: Invalid value: '
        '"-invalid-": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric '
        "characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
        "'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ),
    "bad-hostpath-volume-backsteps": (
        pv("bad-backsteps", hostPath={"path": "/foo/.."}),
        'The PersistentVolume "bad-backsteps" is invalid: spec.hostPath.path: Invalid value: '
        "\"/foo/..\": must not contain '..'",
    ),
    "volume-node-affinity-required for local": (
        pv("local-no-affinity", hostPath=None, local={"path": "/mnt/disk"}),
        'The PersistentVolume "local-no-affinity" is invalid: spec.nodeAffinity: Required '
        "value: Local volume requires node affinity",
    ),
    "zero capacity": (
        pv("zero-capacity", capacity={"storage": "0"}),
        'The PersistentVolume "zero-capacity" is invalid: spec.capacity[storage]: Invalid '
        'value: "0": must be greater than zero',
    ),
    "ReadWriteOncePod with other modes": (
        pv("rwop-mixed", accessModes=["ReadWriteOncePod", "ReadWriteMany"]),
        'The PersistentVolume "rwop-mixed" is invalid: spec.accessModes: Forbidden: may not use '
        "ReadWriteOncePod with other access modes",
    ),
    "invalid volume mode": (
        pv("bad-mode", volumeMode="fakeVolumeMode"),
        'The PersistentVolume "bad-mode" is invalid: spec.volumeMode: Unsupported value: '
        '"fakeVolumeMode": supported values: "Block", "Filesystem"',
    ),
}


@pytest.mark.parametrize("case", list(PV_CASES))
def test_validate_persistent_volume(cluster: Cluster, case: str) -> None:
    obj, message = PV_CASES[case]
    obj["spec"] = {k: v for k, v in obj["spec"].items() if v is not None}
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == message


def test_local_volume_with_node_affinity(cluster: Cluster) -> None:
    affinity = {
        "required": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "kubernetes.io/hostname", "operator": "In", "values": ["n1"]}
                    ]
                }
            ]
        }
    }
    obj = pv("local-ok", local={"path": "/mnt/disk"}, nodeAffinity=affinity)
    del obj["spec"]["hostPath"]
    assert cluster.create(obj)["spec"]["local"] == {"path": "/mnt/disk"}


def test_pv_source_is_immutable(cluster: Cluster) -> None:
    # ValidatePersistentVolumeUpdate: the volume source and volumeMode are fixed
    cluster.create(pv("fixed-source"))
    changed = pv("fixed-source", hostPath={"path": "/tmp/other"}, volumeMode="Block")
    message = refusal(cluster, changed, update=True)
    assert message.startswith(
        'The PersistentVolume "fixed-source" is invalid: \n'
        "* spec.persistentvolumesource: Forbidden: spec.persistentvolumesource is immutable "
        "after creation\n"
    )
    assert message.endswith('* volumeMode: Invalid value: "Block": field is immutable')
    capacity = pv("fixed-source", capacity={"storage": "2Gi"})
    assert cluster.update(capacity)["spec"]["capacity"] == {"storage": "2Gi"}


def test_pvc_defaults_and_status(cluster: Cluster) -> None:
    # SetDefaults_PersistentVolumeClaimSpec; the claim starts Pending; dataSourceRef mirrored
    stored = cluster.create(
        pvc("claim-defaults", dataSource={"kind": "PersistentVolumeClaim", "name": "src"})
    )
    assert stored["spec"]["volumeMode"] == "Filesystem"
    assert stored["spec"]["dataSourceRef"] == {"kind": "PersistentVolumeClaim", "name": "src"}
    assert stored["status"] == {"phase": "Pending"}


# TestValidatePersistentVolumeClaim (validation_test.go @ v1.33.0), the cases of the v1 API
PVC_CASES = {
    "good-claim": (pvc("good-claim"), None),
    "good-claim-with-selector": (
        pvc("good-selector", selector={"matchLabels": {"app": "db"}}),
        None,
    ),
    "invalid-accessmode": (
        pvc("invalid-accessmode", accessModes=["fakemode"]),
        'The PersistentVolumeClaim "invalid-accessmode" is invalid: spec.accessModes: '
        f'Unsupported value: "fakemode": {ACCESS}',
    ),
    "missing-accessmodes": (
        pvc("missing-accessmodes", accessModes=[]),
        'The PersistentVolumeClaim "missing-accessmodes" is invalid: spec.accessModes: Required '
        "value: at least 1 access mode is required",
    ),
    "no-resource-requests": (
        pvc("no-requests", resources={}),
        'The PersistentVolumeClaim "no-requests" is invalid: spec.resources[storage]: Required '
        "value",
    ),
    "invalid-resource-requests": (
        pvc("zero-request", resources={"requests": {"storage": "0"}}),
        'The PersistentVolumeClaim "zero-request" is invalid: spec.resources[storage]: Invalid '
        'value: "0": must be greater than zero',
    ),
    "negative-storage-request": (
        pvc("negative-request", resources={"requests": {"storage": "-10G"}}),
        'The PersistentVolumeClaim "negative-request" is invalid: spec.resources[storage]: '
        'Invalid value: "-10G": must be greater than zero',
    ),
    "invalid-storage-class-name": (
        pvc("invalid-sc", storageClassName="-invalid-"),
        'The PersistentVolumeClaim "invalid-sc" is invalid: spec.storageClassName: Invalid '
        'value: "-invalid-": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
    ),
    "invalid-volume-mode": (
        pvc("invalid-mode", volumeMode="fakeVolumeMode"),
        'The PersistentVolumeClaim "invalid-mode" is invalid: spec.volumeMode: Unsupported '
        'value: "fakeVolumeMode": supported values: "Block", "Filesystem"',
    ),
    "invalid-data-source-kind": (
        pvc("bad-source", dataSource={"kind": "Pod", "name": "p"}),
        'The PersistentVolumeClaim "bad-source" is invalid: \n'
        "* spec.dataSource: Invalid value: \"Pod\": must be 'PersistentVolumeClaim' when "
        "referencing the default apiGroup\n"
        "* spec.dataSourceRef: Invalid value: \"Pod\": must be 'PersistentVolumeClaim' when "
        "referencing the default apiGroup",
    ),
    "mismatched data sources": (
        pvc(
            "mismatch",
            dataSource={"kind": "PersistentVolumeClaim", "name": "a"},
            dataSourceRef={"kind": "PersistentVolumeClaim", "name": "b"},
        ),
        'The PersistentVolumeClaim "mismatch" is invalid: spec: Invalid value: "spec.dataSource": '
        "must match dataSourceRef",
    ),
}


@pytest.mark.parametrize("case", list(PVC_CASES))
def test_validate_persistent_volume_claim(cluster: Cluster, case: str) -> None:
    obj, message = PVC_CASES[case]
    if message is None:
        cluster.create(obj)
    else:
        assert refusal(cluster, obj) == message


def test_pvc_spec_is_immutable(cluster: Cluster) -> None:
    # ValidatePersistentVolumeClaimUpdate: an unbound claim's spec is fixed, but a first
    # volumeName and a storage class set from nothing are allowed
    cluster.create(pvc("claim-update"))
    message = refusal(cluster, pvc("claim-update", accessModes=["ReadWriteMany"]), update=True)
    assert message.startswith(
        'The PersistentVolumeClaim "claim-update" is invalid: spec: Forbidden: spec is immutable '
        "after creation except resources.requests and volumeAttributesClassName for bound "
        "claims\n"
    )
    stored = cluster.update(pvc("claim-update", volumeName="pv-1", storageClassName="standard"))
    assert (stored["spec"]["volumeName"], stored["spec"]["storageClassName"]) == (
        "pv-1",
        "standard",
    )
    assert cluster.get("PersistentVolumeClaim", "claim-update")["status"] == {"phase": "Pending"}


def test_beta_storage_class_annotation_warning(cluster: Cluster) -> None:
    obj = pvc("annotated")
    obj["metadata"]["annotations"] = {"volume.beta.kubernetes.io/storage-class": "standard"}
    cluster.create(obj)
    assert cluster.last_warnings == [
        "metadata.annotations[volume.beta.kubernetes.io/storage-class]: deprecated since v1.8; "
        'use "storageClassName" attribute instead'
    ]
