"""ServiceAccount admission on pod create.

kubernetes/kubernetes @ v1.33.0 plugin/pkg/admission/serviceaccount/admission.go (Admit,
getServiceAccount, shouldAutomount, mountServiceAccountToken) and
staging/src/k8s.io/apiserver/pkg/admission/errors.go (NewForbidden: a pod created with
generateName is named by its generateName); pkg/controller/controller_utils.go (the ReplicaSet's
FailedCreate event) and pkg/controller/replicaset/replica_set.go (the rate-limited retry).
"""

from __future__ import annotations

import pytest

from kubenet_nb.api.errors import Forbidden
from kubenet_nb.cluster.control_plane import ControlPlane
from tests.cluster.invariants import snapshot

TOKEN_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
MISSING = 'error looking up service account default/robot: serviceaccount "robot" not found'


def pod(name: str = "x", namespace: str = "default", **spec: object) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "namespace": namespace},
        "spec": {"containers": [{"name": "c", "image": "nginx"}], **spec},
    }


def account(name: str, **fields: object) -> dict:
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": name}, **fields}


@pytest.fixture
def cluster() -> ControlPlane:
    return ControlPlane(workers=1, system_pods=False)


def mounts(obj: dict) -> list[str]:
    return [m["mountPath"] for m in obj["spec"]["containers"][0].get("volumeMounts") or []]


def test_default_account_and_token(cluster: ControlPlane) -> None:
    created = cluster.create(pod())
    spec = created["spec"]
    assert (spec["serviceAccountName"], spec["serviceAccount"]) == ("default", "default")
    [volume] = spec["volumes"]
    assert volume["name"].startswith("kube-api-access-")
    assert len(volume["name"]) == 21
    assert mounts(created) == [TOKEN_PATH]


def test_pod_opting_out_wins(cluster: ControlPlane) -> None:
    cluster.create(account("quiet", automountServiceAccountToken=True))
    created = cluster.create(pod(serviceAccountName="quiet", automountServiceAccountToken=False))
    assert "volumes" not in created["spec"]
    assert mounts(created) == []


def test_account_opting_out(cluster: ControlPlane) -> None:
    cluster.create(account("quiet", automountServiceAccountToken=False))
    created = cluster.create(pod(serviceAccountName="quiet"))
    assert "volumes" not in created["spec"]
    # ... unless the pod asks for it: the pod's preference wins (shouldAutomount).
    asked = cluster.create(pod("y", serviceAccountName="quiet", automountServiceAccountToken=True))
    assert mounts(asked) == [TOKEN_PATH]


def test_image_pull_secrets_come_from_the_account(cluster: ControlPlane) -> None:
    cluster.create(account("puller", imagePullSecrets=[{"name": "registry"}]))
    created = cluster.create(pod(serviceAccountName="puller"))
    assert created["spec"]["imagePullSecrets"] == [{"name": "registry"}]


def test_missing_account_is_forbidden_and_nothing_is_stored(cluster: ControlPlane) -> None:
    before = snapshot(cluster)
    with pytest.raises(Forbidden) as refused:
        cluster.create(pod(serviceAccountName="robot"))
    assert refused.value.message == f'pods "x" is forbidden: {MISSING}'
    assert str(refused.value).startswith("Error from server (Forbidden): ")
    assert snapshot(cluster) == before


def test_a_new_namespace_admits_pods_at_once(cluster: ControlPlane) -> None:
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    created = cluster.create(pod(namespace="team"))
    assert created["spec"]["serviceAccountName"] == "default"


def test_deployment_with_a_missing_account(cluster: ControlPlane) -> None:
    labels = {"app": "web"}
    template_spec = {"serviceAccountName": "robot", "containers": [{"name": "c", "image": "x"}]}
    cluster.create(
        {
            "apiVersion": "apps/v1",
            "kind": "Deployment",
            "metadata": {"name": "web"},
            "spec": {
                "replicas": 2,
                "selector": {"matchLabels": labels},
                "template": {"metadata": {"labels": labels}, "spec": template_spec},
            },
        }
    )
    [rs] = cluster.list("rs", "default")
    name = rs["metadata"]["name"]
    assert cluster.list("pods", "default") == []
    [event] = cluster.events_about("default", name)
    assert (event["type"], event["reason"], event["message"]) == (
        "Warning",
        "FailedCreate",
        f'Error creating: pods "{name}-" is forbidden: {MISSING}',
    )
    cluster.create(account("robot"))
    assert cluster.list("pods", "default") == []  # the ReplicaSet does not watch accounts
    cluster.advance(1)  # its rate-limited retry
    assert len(cluster.list("pods", "default", "app=web")) == 2
    assert cluster.failures == {}
