"""StatefulSets and ControllerRevisions through the public face.

Sources: kubernetes/kubernetes pkg/apis/apps/v1/defaults.go (SetDefaults_StatefulSet),
pkg/apis/apps/validation/validation.go and its validation_test.go @ v1.33.0
(TestValidateStatefulSet error cases "zero-length name"-style name checks, "invalid
podManagementPolicy", "invalid updateStrategy", "negative partition", "negative replicas",
"selector_doesnt_match", "invalid restart policy", "invalid PersistentVolumeClaimRetentionPolicy";
TestValidateStatefulSetUpdate "updating a field other than replicas/template/updateStrategy";
TestValidateControllerRevision "missing data", "negative revision",
TestValidateControllerRevisionUpdate "changed data").
"""

from __future__ import annotations

import copy

import pytest
from rules_helpers import refusal

from kubenet_nb import Cluster


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def sts(name: str = "db", **spec: object) -> dict:
    body = {
        "serviceName": "db",
        "selector": {"matchLabels": {"app": "db"}},
        "template": {
            "metadata": {"labels": {"app": "db"}},
            "spec": {"containers": [{"name": "db", "image": "postgres:16"}]},
        },
        **spec,
    }
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": name, "namespace": "default"},
        "spec": body,
    }


def test_defaults_as_stored(cluster: Cluster) -> None:
    claim = {"metadata": {"name": "data"}, "spec": {"accessModes": ["ReadWriteOnce"]}}
    cluster.create(sts(volumeClaimTemplates=[claim]))
    stored = cluster.get("StatefulSet", "db")
    spec = stored["spec"]
    assert spec["replicas"] == 1
    assert spec["podManagementPolicy"] == "OrderedReady"
    assert spec["updateStrategy"] == {"type": "RollingUpdate", "rollingUpdate": {"partition": 0}}
    assert spec["revisionHistoryLimit"] == 10
    assert spec["persistentVolumeClaimRetentionPolicy"] == {
        "whenDeleted": "Retain",
        "whenScaled": "Retain",
    }
    assert spec["volumeClaimTemplates"] == [
        {
            "apiVersion": "v1",
            "kind": "PersistentVolumeClaim",
            "metadata": {"name": "data", "creationTimestamp": None},
            "spec": {"accessModes": ["ReadWriteOnce"], "volumeMode": "Filesystem"},
            "status": {"phase": "Pending"},
        }
    ]
    assert spec["template"]["spec"]["restartPolicy"] == "Always"
    assert stored["status"] == {"replicas": 0, "availableReplicas": 0}
    assert stored["metadata"]["generation"] == 1


def test_rolling_update_set_without_fields_gets_no_partition(cluster: Cluster) -> None:
    cluster.create(sts(updateStrategy={"type": "RollingUpdate"}))
    assert cluster.get("StatefulSet", "db")["spec"]["updateStrategy"] == {"type": "RollingUpdate"}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"podManagementPolicy": "Sometimes"},
            "spec.podManagementPolicy: Invalid value: \"Sometimes\": must be 'OrderedReady' or "
            "'Parallel'",
        ),
        (
            {"updateStrategy": {"type": "Never"}},
            'spec.updateStrategy: Invalid value: apps.StatefulSetUpdateStrategy{Type:"Never", '
            "RollingUpdate:(*apps.RollingUpdateStatefulSetStrategy)(nil)}: must be "
            "'RollingUpdate' or 'OnDelete'",
        ),
        (
            {"updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"partition": -1}}},
            "spec.updateStrategy.rollingUpdate.partition: Invalid value: -1: must be greater "
            "than or equal to 0",
        ),
        ({"replicas": -1}, "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
        (
            {"persistentVolumeClaimRetentionPolicy": {"whenDeleted": "Keep"}},
            'spec.persistentVolumeClaimRetentionPolicy.whenDeleted: Unsupported value: "Keep": '
            'supported values: "Retain", "Delete"',
        ),
        (
            {"selector": {"matchLabels": {"app": "other"}}},
            'spec.template.metadata.labels: Invalid value: map[string]string{"app":"db"}: '
            "`selector` does not match template `labels`",
        ),
        (
            {"selector": {}},
            "spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), "
            "MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for "
            "statefulset",
        ),
    ],
)
def test_spec_errors(cluster: Cluster, spec: dict, message: str) -> None:
    assert refusal(cluster, sts(**spec)) == f'The StatefulSet "db" is invalid: {message}'


def test_restart_policy_and_name(cluster: Cluster) -> None:
    obj = sts()
    obj["spec"]["template"]["spec"]["restartPolicy"] = "Never"
    assert refusal(cluster, obj) == (
        'The StatefulSet "db" is invalid: spec.template.spec.restartPolicy: Unsupported value: '
        '"Never": supported values: "Always"'
    )
    assert "must not contain dots" in refusal(cluster, sts("db.v1"))


def test_update_rules(cluster: Cluster) -> None:
    cluster.create(sts())
    scaled = cluster.get("StatefulSet", "db")
    scaled["spec"]["replicas"] = 3
    scaled["spec"]["template"]["spec"]["containers"][0]["image"] = "postgres:17"
    cluster.update(scaled)
    assert cluster.get("StatefulSet", "db")["metadata"]["generation"] == 2
    renamed = copy.deepcopy(cluster.get("StatefulSet", "db"))
    renamed["spec"]["serviceName"] = "other"
    assert refusal(cluster, renamed, update=True) == (
        'The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for '
        "fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', "
        "'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
    )


def revision(data: object = None, number: int = 1) -> dict:
    obj = {
        "apiVersion": "apps/v1",
        "kind": "ControllerRevision",
        "metadata": {"name": "db-1", "namespace": "default"},
        "revision": number,
    }
    if data is not None:
        obj["data"] = data
    return obj


def test_controller_revision(cluster: Cluster) -> None:
    assert refusal(cluster, revision()) == (
        'The ControllerRevision "db-1" is invalid: data: Required value: data is mandatory'
    )
    assert refusal(cluster, revision({"a": 1}, -1)) == (
        'The ControllerRevision "db-1" is invalid: revision: Invalid value: -1: must be greater '
        "than or equal to 0"
    )
    cluster.create(revision({"spec": {"a": 1}}))
    bumped = cluster.get("ControllerRevision", "db-1")
    bumped["revision"] = 2
    cluster.update(bumped)
    bumped = cluster.get("ControllerRevision", "db-1")
    bumped["data"] = {"spec": {"a": 2}}
    assert refusal(cluster, bumped, update=True) == (
        'The ControllerRevision "db-1" is invalid: data: Invalid value: runtime.RawExtension{...}'
        ": field is immutable"
    )
