"""Claims of kind's `standard` class: waiting for a consumer, provisioning, binding, reclaiming.

Sources:
- kubernetes-sigs/kind pkg/cluster/internal/create/actions/installstorage (the `standard`
  StorageClass: rancher.io/local-path, WaitForFirstConsumer, Delete, default) @ v0.29.0;
- kubernetes/kubernetes pkg/controller/volume/persistentvolume/pv_controller.go @ v1.33.0: the
  `WaitForFirstConsumer` and `ExternalProvisioning` events, the storage-provisioner annotations,
  bind (volumeName, Bound, bind-completed/bound-by-controller), Released once the claim is gone,
  and the retroactive default StorageClass for a claim without one;
- kubernetes/kubernetes pkg/scheduler/framework/plugins/volumebinding @ v1.33.0: the
  `volume.kubernetes.io/selected-node` annotation, PreBind waiting for the binding, the volume
  node affinity filter ("node(s) had volume node affinity conflict"), PreFilter's refusals
  (`persistentvolumeclaim "x" not found`, "pod has unbound immediate PersistentVolumeClaims");
- kubernetes-sigs/sig-storage-lib-external-provisioner controller/controller.go (v10): the
  `Provisioning` ("External provisioner is provisioning volume for claim %q") and
  `ProvisioningSucceeded` ("Successfully provisioned volume %s") events, source
  `<provisioner>_<hostname>_<uuid>`;
- rancher/local-path-provisioner provisioner.go: the PV `pvc-<uid>`, its hostPath
  `<base>/<pv>_<namespace>_<claim>` (DirectoryOrCreate) and required node affinity on
  `kubernetes.io/hostname`.
"""

from __future__ import annotations

import pytest

from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.local_path import PROVISION_SECONDS
from kubenet_nb.kubectl.main import run_kubectl


def claim(name: str = "data", storage_class: str | None = None) -> dict:
    spec: dict = {"accessModes": ["ReadWriteOnce"], "resources": {"requests": {"storage": "1Gi"}}}
    if storage_class is not None:
        spec["storageClassName"] = storage_class
    return {
        "apiVersion": "v1",
        "kind": "PersistentVolumeClaim",
        "metadata": {"name": name},
        "spec": spec,
    }


def consumer(name: str = "app", claim_name: str = "data", node: str | None = None) -> dict:
    spec: dict = {
        "containers": [{"name": "app", "image": "busybox", "command": ["sleep", "1d"]}],
        "volumes": [{"name": "data", "persistentVolumeClaim": {"claimName": claim_name}}],
    }
    if node:
        spec["nodeSelector"] = {"kubernetes.io/hostname": node}
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}, "spec": spec}


def events(c: ControlPlane, name: str) -> list[tuple[str, str, str]]:
    return [
        (e["reason"], e["source"]["component"], e["message"])
        for e in c.events_about("default", name)
    ]


def kubectl(c: ControlPlane, command: str) -> list[list[str]]:
    return [line.split() for line in str(run_kubectl(c, command)).splitlines()]


@pytest.fixture
def c() -> ControlPlane:
    return ControlPlane(seed=3)


def test_a_claim_without_a_consumer_waits(c: ControlPlane) -> None:
    c.create(claim())
    c.advance(60)
    stored = c.get("pvc", "data")
    # no class asked for: the default one is given (retroactive default StorageClass)
    assert stored["spec"]["storageClassName"] == "standard"
    assert stored["status"] == {"phase": "Pending"}
    assert "volume.kubernetes.io/selected-node" not in stored["metadata"].get("annotations", {})
    assert events(c, "data") == [
        (
            "WaitForFirstConsumer",
            "persistentvolume-controller",
            "waiting for first consumer to be created before binding",
        )
    ]
    assert c.list("pv", None) == []
    # printPersistentVolumeClaim: VOLUME, CAPACITY and ACCESS MODES stay empty while Pending
    assert run_kubectl(c, "get pvc").splitlines() == [
        "NAME   STATUS    VOLUME   CAPACITY   ACCESS MODES   STORAGECLASS   "
        "VOLUMEATTRIBUTESCLASS   AGE",
        "data   Pending                                      standard       "
        "<unset>                 60s",
    ]


def test_the_first_consumer_gets_a_volume_on_its_node(c: ControlPlane) -> None:
    c.create(claim())
    c.create(consumer())
    # the scheduler chose a node for the claim but waits for it before binding the pod
    pod = c.get("pod", "app")
    assert "nodeName" not in pod["spec"]
    annotations = c.get("pvc", "data")["metadata"]["annotations"]
    node = annotations["volume.kubernetes.io/selected-node"]
    assert annotations["volume.kubernetes.io/storage-provisioner"] == "rancher.io/local-path"
    assert annotations["volume.beta.kubernetes.io/storage-provisioner"] == "rancher.io/local-path"
    c.advance(PROVISION_SECONDS)
    stored = c.get("pvc", "data")
    uid = stored["metadata"]["uid"]
    assert stored["spec"]["volumeName"] == f"pvc-{uid}"
    assert stored["status"] == {
        "accessModes": ["ReadWriteOnce"],
        "capacity": {"storage": "1Gi"},
        "phase": "Bound",
    }
    assert stored["metadata"]["annotations"]["pv.kubernetes.io/bind-completed"] == "yes"
    volume = c.get("pv", f"pvc-{uid}")
    assert volume["spec"]["hostPath"] == {
        "path": f"/var/local-path-provisioner/pvc-{uid}_default_data",
        "type": "DirectoryOrCreate",
    }
    assert volume["spec"]["nodeAffinity"] == {
        "required": {
            "nodeSelectorTerms": [
                {
                    "matchExpressions": [
                        {"key": "kubernetes.io/hostname", "operator": "In", "values": [node]}
                    ]
                }
            ]
        }
    }
    assert volume["spec"]["persistentVolumeReclaimPolicy"] == "Delete"
    assert volume["spec"]["claimRef"]["uid"] == uid
    assert volume["metadata"]["annotations"]["pv.kubernetes.io/provisioned-by"] == (
        "rancher.io/local-path"
    )
    assert volume["status"]["phase"] == "Bound"
    assert c.get("pod", "app")["spec"]["nodeName"] == node
    [provisioner] = c.list("pods", "local-path-storage")
    reasons = events(c, "data")
    assert [r for r, _, _ in reasons] == [
        "WaitForFirstConsumer",
        "ExternalProvisioning",
        "Provisioning",
        "ProvisioningSucceeded",
    ]
    assert reasons[1][2] == (
        "Waiting for a volume to be created either by the external provisioner "
        "'rancher.io/local-path' or manually by the system administrator. If volume creation is "
        "delayed, please verify that the provisioner is running and correctly registered."
    )
    source = reasons[2][1]
    assert source.startswith(f"rancher.io/local-path_{provisioner['metadata']['name']}_")
    assert reasons[2][2] == 'External provisioner is provisioning volume for claim "default/data"'
    assert reasons[3] == (
        "ProvisioningSucceeded",
        source,
        f"Successfully provisioned volume pvc-{uid}",
    )
    assert next(r for r, _, _ in events(c, "app")) == "Scheduled"


def test_get_pv_and_pvc_columns_once_bound(c: ControlPlane) -> None:
    c.create(claim())
    c.create(consumer())
    c.advance(60)
    uid = c.get("pvc", "data")["metadata"]["uid"]
    assert kubectl(c, "get pvc") == [
        ["NAME", "STATUS", "VOLUME", "CAPACITY", "ACCESS", "MODES", "STORAGECLASS",
         "VOLUMEATTRIBUTESCLASS", "AGE"],
        ["data", "Bound", f"pvc-{uid}", "1Gi", "RWO", "standard", "<unset>", "60s"],
    ]  # fmt: skip
    assert kubectl(c, "get pv") == [
        ["NAME", "CAPACITY", "ACCESS", "MODES", "RECLAIM", "POLICY", "STATUS", "CLAIM",
         "STORAGECLASS", "VOLUMEATTRIBUTESCLASS", "REASON", "AGE"],
        [f"pvc-{uid}", "1Gi", "RWO", "Delete", "Bound", "default/data", "standard", "<unset>",
         "58s"],
    ]  # fmt: skip


def test_a_bound_claim_keeps_its_pods_on_the_volumes_node(c: ControlPlane) -> None:
    c.create(claim())
    c.create(consumer())
    c.advance(60)
    node = c.get("pod", "app")["spec"]["nodeName"]
    other = "kind-worker2" if node == "kind-worker" else "kind-worker"
    c.create(consumer("elsewhere", node=other))
    pod = c.get("pod", "elsewhere")
    assert "nodeName" not in pod["spec"]
    [condition] = pod["status"]["conditions"]
    assert condition["message"] == (
        "0/3 nodes are available: 1 node(s) had volume node affinity conflict, "
        "2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are "
        "available: 3 Preemption is not helpful for scheduling.."
    )
    c.create(consumer("beside"))
    assert c.get("pod", "beside")["spec"]["nodeName"] == node


def test_a_missing_claim_refuses_the_pod_until_it_exists(c: ControlPlane) -> None:
    c.create(consumer())
    [condition] = c.get("pod", "app")["status"]["conditions"]
    assert condition["reason"] == "Unschedulable"
    assert condition["message"] == (
        '0/3 nodes are available: persistentvolumeclaim "data" not found. preemption: 0/3 '
        "nodes are available: 3 Preemption is not helpful for scheduling.."
    )
    c.create(claim())
    c.advance(60)
    assert c.get("pvc", "data")["status"]["phase"] == "Bound"
    assert c.get("pod", "app")["spec"]["nodeName"]


def test_an_unbound_immediate_claim_refuses_the_pod(c: ControlPlane) -> None:
    c.create(claim(storage_class=""))  # no class, no default: nothing will provision it
    c.create(consumer())
    c.advance(60)
    [condition] = c.get("pod", "app")["status"]["conditions"]
    assert condition["message"] == (
        "0/3 nodes are available: pod has unbound immediate PersistentVolumeClaims. "
        "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.."
    )
    assert c.get("pvc", "data")["status"] == {"phase": "Pending"}


def test_without_a_provisioner_the_claim_stays_pending() -> None:
    c = ControlPlane(seed=3, system_pods=False)
    c.create(claim())
    c.create(consumer())
    c.advance(120)
    assert c.get("pvc", "data")["status"] == {"phase": "Pending"}
    assert "nodeName" not in c.get("pod", "app")["spec"]
    assert [r for r, _, _ in events(c, "data")] == ["WaitForFirstConsumer", "ExternalProvisioning"]


def test_a_deleted_claims_volume_is_released_and_deleted(c: ControlPlane) -> None:
    c.create(claim())
    c.create(consumer())
    c.advance(60)
    volume = c.get("pvc", "data")["spec"]["volumeName"]
    c.delete("pod", "app")
    c.advance(60)
    assert c.get("pv", volume)["status"]["phase"] == "Bound"  # the claim outlives its pod
    c.delete("pvc", "data")
    # reclaimPolicy Delete: the provisioner removes the Released volume
    assert c.list("pv", None) == []
