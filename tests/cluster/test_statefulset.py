"""The StatefulSet controller: ordinals, identity, ordering, claims, rolling updates and DNS.

Sources, kubernetes/kubernetes @ v1.33.0:
- pkg/controller/statefulset/stateful_set_utils.go: getPodName (`<set>-<ordinal>`),
  initIdentity (hostname, subdomain = serviceName, the pod-name and pod-index labels),
  getPersistentVolumeClaimName (`<template>-<set>-<ordinal>`), getPersistentVolumeClaims (the
  template's labels plus the selector's matchLabels), updateStorage (one volume per template);
- pkg/controller/statefulset/stateful_set_control.go: updateStatefulSet (OrderedReady waits for
  every lower ordinal to be Running and Ready; condemned pods go from the highest ordinal, one at a
  time; RollingUpdate from the highest ordinal down to the partition);
- pkg/controller/statefulset/stateful_pod_control.go: recordPodEvent ("create Pod web-0 in
  StatefulSet web successful") and recordClaimEvent ("create Claim www-web-0 Pod web-0 in
  StatefulSet web success"), both `SuccessfulCreate`; "delete Pod ... successful",
  `SuccessfulDelete`;
- staging/src/k8s.io/api/apps/v1/types.go: StatefulSetPodNameLabel, PodIndexLabel,
  ControllerRevisionHashLabelKey; PersistentVolumeClaimRetentionPolicy Retain leaves the claims;
- website content/en/docs/tutorials/stateful-application/basic-stateful-set.md: `web-0.nginx`
  resolves to web-0's IP through the headless Service; pods keep their claims when recreated.
"""

from __future__ import annotations

import copy

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError

NGINX = "registry.k8s.io/nginx-slim:0.21"
SERVICE = {
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {"name": "nginx", "labels": {"app": "nginx"}},
    "spec": {
        "clusterIP": "None",
        "selector": {"app": "nginx"},
        "ports": [{"port": 80, "name": "web"}],
    },
}


def statefulset(
    replicas: int = 3,
    *,
    policy: str | None = None,
    probe: bool = False,
    claims: bool = False,
) -> dict:
    """The basic-stateful-set tutorial's `web`, optionally with a readiness probe and claims."""
    container: dict = {
        "name": "nginx",
        "image": NGINX,
        "ports": [{"containerPort": 80, "name": "web"}],
    }
    if probe:
        container["readinessProbe"] = {"httpGet": {"path": "/", "port": 80}}
    spec: dict = {
        "serviceName": "nginx",
        "replicas": replicas,
        "selector": {"matchLabels": {"app": "nginx"}},
        "template": {"metadata": {"labels": {"app": "nginx"}}, "spec": {"containers": [container]}},
    }
    if policy:
        spec["podManagementPolicy"] = policy
    if claims:
        container["volumeMounts"] = [{"name": "www", "mountPath": "/usr/share/nginx/html"}]
        spec["volumeClaimTemplates"] = [
            {
                "metadata": {"name": "www", "labels": {"tier": "data"}},
                "spec": {
                    "accessModes": ["ReadWriteOnce"],
                    "resources": {"requests": {"storage": "1Gi"}},
                },
            }
        ]
    return {
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {"name": "web"},
        "spec": spec,
    }


def pod_names(c: Cluster) -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.list("pods", selector="app=nginx"))


def live_pod_names(c: Cluster) -> list[str]:
    return sorted(
        p["metadata"]["name"]
        for p in c.list("pods", selector="app=nginx")
        if not p["metadata"].get("deletionTimestamp")
    )


def set_events(c: Cluster) -> list[tuple[str, str]]:
    return [
        (e["reason"], e["message"])
        for e in c.list("events")
        if e["involvedObject"]["kind"] == "StatefulSet"
    ]


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster(seed=5)
    cluster.create(SERVICE)
    return cluster


def test_pods_get_ordinal_names_hostnames_and_identity_labels(c: Cluster) -> None:
    c.create(statefulset())
    assert pod_names(c) == ["web-0", "web-1", "web-2"]
    sts = c.get("sts", "web")
    revision = sts["status"]["updateRevision"]
    assert revision.startswith("web-")
    for ordinal in range(3):
        pod = c.get("pod", f"web-{ordinal}")
        assert pod["spec"]["hostname"] == f"web-{ordinal}"
        assert pod["spec"]["subdomain"] == "nginx"
        assert pod["metadata"]["labels"] == {
            "app": "nginx",
            "controller-revision-hash": revision,
            "statefulset.kubernetes.io/pod-name": f"web-{ordinal}",
            "apps.kubernetes.io/pod-index": str(ordinal),
        }
        [ref] = pod["metadata"]["ownerReferences"]
        assert (ref["kind"], ref["name"], ref["controller"]) == ("StatefulSet", "web", True)
    assert set_events(c) == [
        ("SuccessfulCreate", f"create Pod web-{i} in StatefulSet web successful") for i in range(3)
    ]


def test_status_counts_and_revisions(c: Cluster) -> None:
    c.create(statefulset())
    status = c.get("sts", "web")["status"]
    revision = status["updateRevision"]
    assert status == {
        "availableReplicas": 3,
        "collisionCount": 0,
        "currentReplicas": 3,
        "currentRevision": revision,
        "observedGeneration": 1,
        "readyReplicas": 3,
        "replicas": 3,
        "updateRevision": revision,
        "updatedReplicas": 3,
    }
    # printControllerRevision: CONTROLLER is the owner as `statefulset.apps/web`
    assert [line.split() for line in c.kubectl("get controllerrevision").splitlines()] == [
        ["NAME", "CONTROLLER", "REVISION", "AGE"],
        [revision, "statefulset.apps/web", "1", "0s"],
    ]
    # printStatefulSet: READY = readyReplicas/replicas; wide adds CONTAINERS and IMAGES
    assert c.kubectl("get sts web").splitlines() == ["NAME   READY   AGE", "web    3/3     0s"]
    assert c.kubectl("get sts web -o wide").splitlines()[1].split() == [
        "web", "3/3", "0s", "nginx", NGINX
    ]  # fmt: skip


def test_ordered_ready_creates_the_next_ordinal_only_after_the_previous_is_ready(
    c: Cluster,
) -> None:
    c.create(statefulset(replicas=1, probe=True))
    # web-0's readiness probe fails: scaling up creates nothing while it is unready
    c.set_ready("web-0", False)
    c.advance(30)
    c.kubectl("""patch sts web -p '{"spec":{"replicas":3}}'""")
    c.advance(60)
    assert pod_names(c) == ["web-0"]
    # readyReplicas is omitempty in apps/v1 StatefulSetStatus; availableReplicas is not
    status = c.get("sts", "web")["status"]
    assert "readyReplicas" not in status
    assert status["availableReplicas"] == 0
    assert c.kubectl("get sts web").splitlines()[1].split()[:2] == ["web", "0/3"]
    c.set_ready("web-0", True)
    c.advance(30)
    assert pod_names(c) == ["web-0", "web-1", "web-2"]
    creates = [m for r, m in set_events(c) if r == "SuccessfulCreate"]
    assert creates == [f"create Pod web-{i} in StatefulSet web successful" for i in range(3)]


def test_ordered_ready_waits_for_a_middle_ordinal(c: Cluster) -> None:
    c.create(statefulset(replicas=2, probe=True))
    c.set_ready("web-1", False)
    c.advance(30)
    c.kubectl("""patch sts web -p '{"spec":{"replicas":3}}'""")
    c.advance(60)
    assert pod_names(c) == ["web-0", "web-1"]
    c.set_ready("web-1", True)
    c.advance(30)
    assert pod_names(c) == ["web-0", "web-1", "web-2"]


def test_parallel_does_not_wait_for_readiness(c: Cluster) -> None:
    c.create(statefulset(replicas=1, policy="Parallel", probe=True))
    c.set_ready("web-0", False)
    c.advance(30)
    c.kubectl("""patch sts web -p '{"spec":{"replicas":3}}'""")
    assert pod_names(c) == ["web-0", "web-1", "web-2"]


def test_parallel_creates_every_ordinal_at_once(c: Cluster) -> None:
    c.create(statefulset(policy="Parallel", probe=True))
    assert pod_names(c) == ["web-0", "web-1", "web-2"]
    assert [r for r, _ in set_events(c)] == ["SuccessfulCreate"] * 3


def test_scale_down_removes_the_highest_ordinal_first_one_at_a_time(c: Cluster) -> None:
    c.create(statefulset())
    c.kubectl("""patch sts web -p '{"spec":{"replicas":1}}'""")
    # web-2 goes first; web-1 waits until web-2 is gone (OrderedReady)
    assert live_pod_names(c) == ["web-0", "web-1"]
    c.advance(60)
    assert pod_names(c) == ["web-0"]
    assert [m for r, m in set_events(c) if r == "SuccessfulDelete"] == [
        "delete Pod web-2 in StatefulSet web successful",
        "delete Pod web-1 in StatefulSet web successful",
    ]


def test_parallel_scale_down_condemns_all_at_once(c: Cluster) -> None:
    c.create(statefulset(policy="Parallel"))
    c.kubectl("""patch sts web -p '{"spec":{"replicas":1}}'""")
    assert live_pod_names(c) == ["web-0"]


def test_a_deleted_pod_comes_back_with_its_name_and_a_new_ip(c: Cluster) -> None:
    c.create(statefulset())
    old = c.get("pod", "web-1")
    c.delete("pod", "web-1")
    c.advance(60)
    new = c.get("pod", "web-1")
    assert new["metadata"]["uid"] != old["metadata"]["uid"]
    assert new["status"]["podIP"] != old["status"]["podIP"]
    assert new["spec"]["hostname"] == "web-1"


def test_rolling_update_replaces_from_the_highest_ordinal_down_to_the_partition(
    c: Cluster,
) -> None:
    c.create(statefulset())
    first = c.get("sts", "web")["status"]["currentRevision"]
    updated = copy.deepcopy(c.get("sts", "web"))
    updated["spec"]["updateStrategy"] = {"type": "RollingUpdate", "rollingUpdate": {"partition": 1}}
    updated["spec"]["template"]["spec"]["containers"][0]["image"] = (
        "registry.k8s.io/nginx-slim:0.24"
    )
    c.update(updated)
    c.advance(120)
    status = c.get("sts", "web")["status"]
    second = status["updateRevision"]
    assert second != first
    revisions = {
        name: c.get("pod", name)["metadata"]["labels"]["controller-revision-hash"]
        for name in pod_names(c)
    }
    # the partition keeps web-0 at the old revision
    assert revisions == {"web-0": first, "web-1": second, "web-2": second}
    assert (status["currentRevision"], status["updatedReplicas"]) == (first, 2)
    deleted = [m for r, m in set_events(c) if r == "SuccessfulDelete"]
    assert deleted == [
        "delete Pod web-2 in StatefulSet web successful",
        "delete Pod web-1 in StatefulSet web successful",
    ]
    assert c.kubectl("rollout status sts web") == (
        "partitioned roll out complete: 2 new pods have been updated..."
    )


def test_claims_are_made_before_their_pods_and_outlive_the_set(c: Cluster) -> None:
    c.create(statefulset(claims=True))
    c.advance(60)
    creates = [m for r, m in set_events(c) if r == "SuccessfulCreate"]
    assert creates[:2] == [
        "create Claim www-web-0 Pod web-0 in StatefulSet web success",
        "create Pod web-0 in StatefulSet web successful",
    ]
    assert pod_names(c) == ["web-0", "web-1", "web-2"]
    for ordinal in range(3):
        claim = c.get("pvc", f"www-web-{ordinal}")
        assert claim["metadata"]["labels"] == {"tier": "data", "app": "nginx"}
        assert "ownerReferences" not in claim["metadata"]  # whenDeleted/whenScaled: Retain
        assert claim["status"]["phase"] == "Bound"
        pod = c.get("pod", f"web-{ordinal}")
        assert pod["spec"]["volumes"][0] == {
            "name": "www",
            "persistentVolumeClaim": {"claimName": f"www-web-{ordinal}"},
        }
    c.delete("sts", "web")
    c.advance(60)
    assert pod_names(c) == []
    assert sorted(p["metadata"]["name"] for p in c.list("pvc")) == [
        "www-web-0",
        "www-web-1",
        "www-web-2",
    ]


def test_each_volume_is_pinned_to_its_pods_node(c: Cluster) -> None:
    c.create(statefulset(claims=True))
    c.advance(60)
    for ordinal in range(3):
        pod = c.get("pod", f"web-{ordinal}")
        claim = c.get("pvc", f"www-web-{ordinal}")
        volume = c.get("pv", claim["spec"]["volumeName"])
        [term] = volume["spec"]["nodeAffinity"]["required"]["nodeSelectorTerms"]
        assert term["matchExpressions"] == [
            {"key": "kubernetes.io/hostname", "operator": "In", "values": [pod["spec"]["nodeName"]]}
        ]


def test_a_recreated_pod_keeps_its_claim_and_node(c: Cluster) -> None:
    c.create(statefulset(claims=True, replicas=1))
    c.advance(60)
    node = c.get("pod", "web-0")["spec"]["nodeName"]
    volume = c.get("pvc", "www-web-0")["spec"]["volumeName"]
    for _ in range(4):  # the scheduler's spreading alone would move it some of the time
        c.delete("pod", "web-0")
        c.advance(60)
        assert c.get("pod", "web-0")["spec"]["nodeName"] == node
    assert c.get("pvc", "www-web-0")["spec"]["volumeName"] == volume
    assert len(c.list("pv", None)) == 1


def test_stable_dns_names_come_from_the_headless_service(c: Cluster) -> None:
    c.create(statefulset())
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "client"},
            "spec": {
                "containers": [
                    {"name": "c", "image": "nicolaka/netshoot", "command": ["sleep", "1d"]}
                ]
            },
        }
    )
    c.advance(30)
    ip = c.get("pod", "web-0")["status"]["podIP"]
    out = c.kubectl("exec client -- nslookup web-0.nginx")
    assert "Name:\tweb-0.nginx.default.svc.cluster.local" in out
    assert f"Address: {ip}" in out
    # the SRV answer names each pod by its hostname under the Service
    answer = c.resolve("_web._tcp.nginx.default.svc.cluster.local", "SRV")
    assert sorted(r.data for r in answer.records) == [
        f"0 33 80 web-{i}.nginx.default.svc.cluster.local." for i in range(3)
    ]
    trace = c.trace("client", "web-0.nginx", 80)
    assert trace.verdict == "delivered"
    assert trace.backend_name == "default/web-0"


def test_a_pod_recreated_gets_its_new_ip_in_dns(c: Cluster) -> None:
    c.create(statefulset())
    old = c.get("pod", "web-2")["status"]["podIP"]
    c.delete("pod", "web-2")
    c.advance(60)
    new = c.get("pod", "web-2")["status"]["podIP"]
    assert c.resolve("web-2.nginx.default.svc.cluster.local").addresses == [new]
    assert new != old


def test_a_pod_without_a_subdomain_match_gets_no_name(c: Cluster) -> None:
    other = statefulset()
    other["spec"]["serviceName"] = "elsewhere"
    c.create(other)
    assert c.get("pod", "web-0")["spec"]["subdomain"] == "elsewhere"
    # ShouldSetHostname: the endpoint has no hostname, so CoreDNS knows no web-0 under nginx
    answer = c.resolve("web-0.nginx.default.svc.cluster.local")
    assert (answer.rcode, answer.addresses) == ("NXDOMAIN", [])
    [slice_] = c.list("endpointslices", selector="kubernetes.io/service-name=nginx")
    assert all("hostname" not in e for e in slice_["endpoints"])


def test_invalid_statefulset_is_refused(c: Cluster) -> None:
    bad = statefulset()
    bad["spec"]["selector"] = {"matchLabels": {"app": "other"}}
    with pytest.raises(KubenetError, match="`selector` does not match template `labels`"):
        c.create(bad)
    assert pod_names(c) == []


def test_start_ordinal_shifts_names_and_scale_down(c: Cluster) -> None:
    # StatefulSetStartOrdinal (GA in v1.31): ordinals run from spec.ordinals.start
    shifted = statefulset(replicas=2)
    shifted["spec"]["ordinals"] = {"start": 5}
    c.create(shifted)
    assert pod_names(c) == ["web-5", "web-6"]
    assert c.get("pod", "web-5")["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "5"
    c.kubectl("""patch sts web -p '{"spec":{"ordinals":{"start":6}}}'""")
    c.advance(60)
    # web-5 is now outside [6, 8): condemned; web-7 is created
    assert pod_names(c) == ["web-6", "web-7"]


def test_revisions_beyond_the_history_limit_are_deleted(c: Cluster) -> None:
    limited = statefulset(replicas=1)
    limited["spec"]["revisionHistoryLimit"] = 1
    c.create(limited)
    names = [c.get("sts", "web")["status"]["updateRevision"]]
    for tag in ("0.22", "0.23", "0.24"):
        sts = copy.deepcopy(c.get("sts", "web"))
        sts["spec"]["template"]["spec"]["containers"][0]["image"] = (
            f"registry.k8s.io/nginx-slim:{tag}"
        )
        c.update(sts)
        c.advance(60)
        names.append(c.get("sts", "web")["status"]["updateRevision"])
    # stateful_set_control.go truncateHistory: the live revision and one more are kept
    revisions = {r["metadata"]["name"]: r["revision"] for r in c.list("controllerrevisions")}
    assert revisions == {names[2]: 3, names[3]: 4}


def test_a_claim_the_api_refuses_stops_its_pod(c: Cluster) -> None:
    # createPersistentVolumeClaims fails, so CreateStatefulPod never creates the pod
    # (stateful_pod_control.go recordClaimEvent's FailedCreate wording)
    broken = statefulset(replicas=1, claims=True)
    del broken["spec"]["volumeClaimTemplates"][0]["spec"]["resources"]
    c.create(broken)
    c.advance(5)
    assert pod_names(c) == []
    assert c.list("pvc") == []
    assert (
        "FailedCreate",
        (
            "create Claim www-web-0 for Pod web-0 in StatefulSet web failed error: "
            'PersistentVolumeClaim "www-web-0" is invalid: spec.resources[storage]: Required value'
        ),
    ) in [(e["reason"], e["message"]) for e in c.list("events") if e["type"] == "Warning"]
