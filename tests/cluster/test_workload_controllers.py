"""Deployments, ReplicaSets, the scheduler and the kubelets, through the Cluster facade."""

from __future__ import annotations

import re

import pytest

from kubenet_nb import KubenetError
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.template_hash import pod_template_hash
from kubenet_nb.io.manifests import load_manifests
from tests.readiness_probes import with_probe


def deployment(name: str, replicas: int = 3, image: str = "nginx", port: int = 80) -> dict:
    labels = {"app": name}
    return {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": {"name": name, "labels": labels},
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": labels},
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "containers": [
                        {"name": "nginx", "image": image, "ports": [{"containerPort": port}]}
                    ]
                },
            },
        },
    }


def pods_of(c: ControlPlane, app: str, *, active: bool = True) -> list[dict]:
    pods = c.list("pods", selector=f"app={app}")
    if active:
        pods = [p for p in pods if not p["metadata"].get("deletionTimestamp")]
    return pods


@pytest.fixture
def cluster() -> ControlPlane:
    return ControlPlane(seed=1)


def test_deployment_creates_replicaset_and_pods_with_upstream_names(cluster: ControlPlane) -> None:
    cluster.create(deployment("webapp1"))
    [rs] = cluster.list("rs")
    # ReplicaSet name: <deployment>-<pod-template-hash>; the hash is SafeEncodeString of a
    # decimal FNV-32a, so only the characters of 0-9 mapped into utilrand's alphabet occur
    # (pkg/controller/controller_utils.go ComputeHash, apimachinery util/rand SafeEncodeString).
    assert re.fullmatch(r"webapp1-[456789bcdf]{1,10}", rs["metadata"]["name"])
    hash_ = rs["metadata"]["labels"]["pod-template-hash"]
    assert rs["metadata"]["name"] == f"webapp1-{hash_}"
    assert rs["spec"]["selector"]["matchLabels"] == {"app": "webapp1", "pod-template-hash": hash_}
    assert rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "1"
    pods = pods_of(cluster, "webapp1")
    assert len(pods) == 3
    for pod in pods:
        # generateName "<rs>-" plus 5 characters of utilrand's alphabet (apiserver
        # storage/names/generate.go, apimachinery util/rand).
        assert re.fullmatch(
            rf"webapp1-{hash_}-[bcdfghjklmnpqrstvwxz2456789]{{5}}", pod["metadata"]["name"]
        )
        assert pod["metadata"]["ownerReferences"][0]["kind"] == "ReplicaSet"
        assert pod["status"]["phase"] == "Running"


def test_hash_follows_the_template() -> None:
    template = deployment("a")["spec"]["template"]
    changed = deployment("a", image="nginx:1.27")["spec"]["template"]
    assert pod_template_hash(template) == pod_template_hash(template)
    assert pod_template_hash(template) != pod_template_hash(changed)
    assert pod_template_hash(template) != pod_template_hash(template, collision_count=1)


def test_workloads_avoid_the_tainted_control_plane_and_spread(cluster: ControlPlane) -> None:
    cluster.create(deployment("web", replicas=4))
    nodes = [p["spec"]["nodeName"] for p in pods_of(cluster, "web")]
    assert "kind-control-plane" not in nodes
    assert sorted(nodes) == ["kind-worker", "kind-worker", "kind-worker2", "kind-worker2"]


def test_deployment_status_and_conditions(cluster: ControlPlane) -> None:
    cluster.create(deployment("web"))
    status = cluster.get("deploy", "web")["status"]
    assert (
        status["replicas"],
        status["readyReplicas"],
        status["availableReplicas"],
        status["updatedReplicas"],
    ) == (3, 3, 3, 3)
    conditions = {c["type"]: c for c in status["conditions"]}
    # pkg/controller/deployment/util/deployment_util.go messages.
    assert conditions["Available"]["reason"] == "MinimumReplicasAvailable"
    assert conditions["Progressing"]["reason"] == "NewReplicaSetAvailable"


def test_scale_up_and_down(cluster: ControlPlane) -> None:
    cluster.create(deployment("web", replicas=2))
    obj = cluster.get("deploy", "web")
    obj["spec"]["replicas"] = 5
    cluster.update(obj)
    assert len(pods_of(cluster, "web")) == 5
    obj = cluster.get("deploy", "web")
    obj["spec"]["replicas"] = 1
    cluster.update(obj)
    assert len(pods_of(cluster, "web")) == 1
    terminating = [
        p for p in pods_of(cluster, "web", active=False) if p["metadata"].get("deletionTimestamp")
    ]
    assert len(terminating) == 4
    cluster.advance(5)
    assert len(pods_of(cluster, "web", active=False)) == 1


def test_scale_down_removes_not_ready_pods_first(cluster: ControlPlane) -> None:
    cluster.create(with_probe(deployment("web", replicas=3)))
    victim = pods_of(cluster, "web")[1]["metadata"]["name"]
    cluster.set_ready(victim, False)
    obj = cluster.get("deploy", "web")
    obj["spec"]["replicas"] = 2
    cluster.update(obj)
    # controller.ActivePodsWithRanks: not-ready pods are deleted before ready ones.
    assert victim not in [p["metadata"]["name"] for p in pods_of(cluster, "web")]


def test_rolling_update_replaces_every_pod(cluster: ControlPlane) -> None:
    cluster.create(deployment("web", replicas=4))
    before = {p["metadata"]["name"] for p in pods_of(cluster, "web")}
    obj = cluster.get("deploy", "web")
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    cluster.update(obj)
    after = pods_of(cluster, "web")
    assert len(after) == 4
    assert not before & {p["metadata"]["name"] for p in after}
    assert all(p["spec"]["containers"][0]["image"] == "nginx:1.27" for p in after)
    replica_sets = sorted(
        cluster.list("rs"),
        key=lambda rs: rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
    )
    assert [rs["spec"]["replicas"] for rs in replica_sets] == [0, 4]
    reasons = [
        e["message"]
        for e in cluster.list("events")
        if e["reason"] == "ScalingReplicaSet" and "web-" in e["message"]
    ]
    # maxSurge 25% of 4 = 1: the new ReplicaSet grows one pod at a time (rolling.go).
    assert reasons[1].startswith("Scaled up replica set")
    assert reasons[1].endswith("from 0 to 1")


def test_deleted_pod_is_replaced_after_terminating(cluster: ControlPlane) -> None:
    cluster.create(deployment("web", replicas=2))
    name = pods_of(cluster, "web")[0]["metadata"]["name"]
    deleted = cluster.delete("pod", name)
    assert deleted["metadata"]["deletionGracePeriodSeconds"] == 30
    assert cluster.get("pod", name)["metadata"]["deletionTimestamp"]
    assert len(pods_of(cluster, "web")) == 2
    cluster.advance(1)
    with pytest.raises(KubenetError, match=f'pods "{name}" not found'):
        cluster.get("pod", name)


def test_deleting_a_deployment_collects_its_replicasets_and_pods(cluster: ControlPlane) -> None:
    cluster.create(deployment("web"))
    cluster.delete("deploy", "web")
    assert cluster.list("rs") == []
    assert all(
        p["metadata"].get("deletionTimestamp") for p in pods_of(cluster, "web", active=False)
    )
    cluster.advance(5)
    assert pods_of(cluster, "web", active=False) == []


def test_pod_ips_are_handed_out_in_order_and_not_reused_at_once(cluster: ControlPlane) -> None:
    cluster.create(deployment("web", replicas=2))
    ips = sorted(p["status"]["podIP"] for p in pods_of(cluster, "web"))
    # host-local IPAM: the first pod of a node gets .2 (.1 is the gateway).
    assert ips == ["10.244.1.2", "10.244.2.2"]
    name = pods_of(cluster, "web")[0]["metadata"]["name"]
    old_ip = cluster.get("pod", name)["status"]["podIP"]
    cluster.delete("pod", name, grace_period=0)
    new_ips = {p["status"]["podIP"] for p in pods_of(cluster, "web")}
    assert old_ip not in new_ips


def test_readiness_flip(cluster: ControlPlane) -> None:
    cluster.create(with_probe(deployment("web", replicas=1)))
    name = pods_of(cluster, "web")[0]["metadata"]["name"]
    pod = cluster.set_ready(name, False)
    ready = {c["type"]: c["status"] for c in pod["status"]["conditions"]}
    assert ready["Ready"] == "False"
    assert ready["ContainersReady"] == "False"
    assert pod["status"]["containerStatuses"][0]["ready"] is False
    assert cluster.get("deploy", "web")["status"].get("readyReplicas", 0) == 0
    pod = cluster.set_ready(name, True)
    assert {c["type"]: c["status"] for c in pod["status"]["conditions"]}["Ready"] == "True"
    assert cluster.get("deploy", "web")["status"]["readyReplicas"] == 1


def test_cordoned_nodes_get_no_new_pods(cluster: ControlPlane) -> None:
    node = cluster.get("node", "kind-worker")
    node["spec"]["unschedulable"] = True
    cluster.update(node)
    cluster.create(deployment("web", replicas=3))
    assert {p["spec"]["nodeName"] for p in pods_of(cluster, "web")} == {"kind-worker2"}


def test_pods_stay_pending_when_no_node_fits(cluster: ControlPlane) -> None:
    for name in ("kind-worker", "kind-worker2"):
        node = cluster.get("node", name)
        node["spec"]["unschedulable"] = True
        cluster.update(node)
    cluster.create(deployment("web", replicas=1))
    [pod] = pods_of(cluster, "web")
    assert pod["status"]["phase"] == "Pending"
    condition = pod["status"]["conditions"][0]
    assert condition["reason"] == "Unschedulable"
    assert condition["message"].startswith("0/3 nodes are available: ")
    node = cluster.get("node", "kind-worker")
    node["spec"]["unschedulable"] = False
    cluster.update(node)
    [pod] = pods_of(cluster, "web")
    assert pod["spec"]["nodeName"] == "kind-worker"
    assert pod["status"]["phase"] == "Running"


def test_nodes_join_and_leave(cluster: ControlPlane) -> None:
    [node] = cluster.apply(
        load_manifests("""
apiVersion: v1
kind: Node
metadata:
  name: kind-worker3
  labels:
    topology.kubernetes.io/zone: zone-b
status:
  addresses:
  - type: InternalIP
    address: 172.18.0.5
""")
    )
    assert node["spec"]["podCIDR"] == "10.244.3.0/24"
    assert node["metadata"]["labels"]["topology.kubernetes.io/zone"] == "zone-b"
    cluster.create(deployment("web", replicas=3))
    assert "kind-worker3" in {p["spec"]["nodeName"] for p in pods_of(cluster, "web")}
    cluster.delete("node", "kind-worker3")
    assert "kind-worker3" not in {p["spec"]["nodeName"] for p in pods_of(cluster, "web")}
    assert len(pods_of(cluster, "web")) == 3


def test_load_balancer_gets_an_ingress_ip(cluster: ControlPlane) -> None:
    svc = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "lb"},
        "spec": {"type": "LoadBalancer", "ports": [{"port": 80}]},
    }
    cluster.create(svc)
    assert cluster.get("svc", "lb")["status"]["loadBalancer"]["ingress"] == [
        {"ip": "172.18.255.200", "ipMode": "VIP"}
    ]
    asked = {
        **svc,
        "metadata": {"name": "lb2"},
        "spec": {**svc["spec"], "loadBalancerIP": "172.18.255.210"},
    }
    cluster.create(asked)
    assert (
        cluster.get("svc", "lb2")["status"]["loadBalancer"]["ingress"][0]["ip"] == "172.18.255.210"
    )
    cluster.delete("svc", "lb")
    cluster.create({**svc, "metadata": {"name": "lb3"}})
    assert (
        cluster.get("svc", "lb3")["status"]["loadBalancer"]["ingress"][0]["ip"] == "172.18.255.200"
    )


def test_namespace_deletion_removes_its_contents(cluster: ControlPlane) -> None:
    cluster.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "team"}})
    obj = deployment("web")
    obj["metadata"]["namespace"] = "team"
    cluster.create(obj)
    cluster.delete("namespace", "team")
    assert cluster.get("ns", "team")["status"]["phase"] == "Terminating"
    with pytest.raises(KubenetError, match="is being terminated"):
        cluster.create({**deployment("other"), "metadata": {"name": "other", "namespace": "team"}})
    cluster.advance(5)
    with pytest.raises(KubenetError, match='namespaces "team" not found'):
        cluster.get("ns", "team")


def test_a_relabelled_pod_is_released_and_replaced(cluster: ControlPlane) -> None:
    # ReplicaSet controller ClaimPods (pkg/controller/controller_ref_manager.go): a pod whose
    # labels stop matching the selector loses its controller reference and is replaced.
    cluster.create(deployment("web", replicas=2))
    name = pods_of(cluster, "web")[0]["metadata"]["name"]
    pod = cluster.get("pod", name)
    pod["metadata"]["labels"]["app"] = "debug"
    cluster.update(pod)
    assert "ownerReferences" not in cluster.get("pod", name)["metadata"]
    assert len(pods_of(cluster, "web")) == 2
    assert name not in {p["metadata"]["name"] for p in pods_of(cluster, "web")}
    assert cluster.get("rs", cluster.list("rs")[0]["metadata"]["name"])["status"]["replicas"] == 2


def test_the_deployment_carries_its_revision(cluster: ControlPlane) -> None:
    # pkg/controller/deployment/sync.go getNewReplicaSet: SetDeploymentRevision annotates the
    # Deployment with its new ReplicaSet's revision.
    cluster.create(deployment("web", replicas=1))
    revision = "deployment.kubernetes.io/revision"
    assert cluster.get("deploy", "web")["metadata"]["annotations"][revision] == "1"
    obj = cluster.get("deploy", "web")
    obj["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.27"
    cluster.update(obj)
    assert cluster.get("deploy", "web")["metadata"]["annotations"][revision] == "2"


def test_two_containers_on_one_port_crash_loop(cluster: ControlPlane) -> None:
    # The containers of a pod share one network namespace (pods/_index.md "Pod networking"):
    # the second nginx cannot bind port 80 and exits; the kubelet restarts it with back-off.
    pod = cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "clash"},
            "spec": {
                "containers": [
                    {"name": "first", "image": "nginx", "ports": [{"containerPort": 80}]},
                    {"name": "second", "image": "nginx", "ports": [{"containerPort": 80}]},
                ]
            },
        }
    )
    # pkg/api/pod/warnings.go: the API only warns about the duplicate declaration.
    assert cluster.last_warnings == [
        "spec.containers[1].ports[0]: duplicate port definition with spec.containers[0].ports[0]"
    ]
    first, second = cluster.get("pod", "clash")["status"]["containerStatuses"]
    assert first["ready"] is True
    assert second["ready"] is False
    assert second["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert second["lastState"]["terminated"]["exitCode"] == 1
    ready = {c["type"]: c for c in cluster.get("pod", "clash")["status"]["conditions"]}["Ready"]
    assert ready["status"] == "False"
    assert ready["message"] == "containers with unready status: [second]"
    assert pod["metadata"]["name"] == "clash"


# kubernetes/kubernetes pkg/controller/deployment/sync_test.go @ v1.33.0 TestScale: a replica
# count changed mid-rollout is shared out in proportion (maxSurge 0, as the test's
# newDeployment sets it; the ReplicaSets carry the annotations of the old count).
@pytest.mark.parametrize(
    ("old_count", "new_count", "sizes", "expected"),
    [
        (10, 12, {"foo-v1": 10}, {"foo-v1": 12}),
        (5, 10, {"foo-v2": 2, "foo-v1": 3}, {"foo-v2": 4, "foo-v1": 6}),
        (5, 3, {"foo-v2": 2, "foo-v1": 3}, {"foo-v2": 1, "foo-v1": 2}),
        # ours, by the same rules: to zero every set goes; a leftover goes to the largest
        (10, 0, {"foo-v2": 4, "foo-v1": 6}, {"foo-v2": 0, "foo-v1": 0}),
        (10, 11, {"foo-v3": 3, "foo-v2": 4, "foo-v1": 3}, {"foo-v3": 3, "foo-v2": 5, "foo-v1": 3}),
    ],
)
def test_proportional_scaling_as_upstreams_table(
    old_count: int, new_count: int, sizes: dict[str, int], expected: dict[str, int]
) -> None:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.cluster.controllers.deployment import DeploymentController

    plane = ControlPlane()
    controller = next(c for c in plane.controllers if isinstance(c, DeploymentController))
    deploy = {
        "metadata": {"name": "foo", "namespace": "default"},
        "spec": {
            "replicas": new_count,
            "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 0}},
        },
        "status": {"replicas": old_count},
    }
    annotations = {
        "deployment.kubernetes.io/desired-replicas": str(old_count),
        "deployment.kubernetes.io/max-replicas": str(old_count),
    }
    sets = [
        {
            "metadata": {
                "name": name,
                "annotations": dict(annotations),
                "creationTimestamp": f"2025-01-01T00:00:0{name[-1]}Z",
            },
            "spec": {"replicas": size},
            "status": {"availableReplicas": 0},
        }
        for name, size in sizes.items()
    ]
    scaled: dict[str, int] = {}
    controller._scale = lambda d, rs, n: scaled.setdefault(rs["metadata"]["name"], n) or rs  # type: ignore[method-assign]
    controller._proportional_scale(deploy, sets[0], sets[1:])
    assert {name: scaled.get(name, sizes[name]) for name in sizes} == expected
