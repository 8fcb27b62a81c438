"""A rolling update on the simulated clock: availability after minReadySeconds, the progress
deadline, and what a Service's EndpointSlice and traffic look like at each step.

Sources, kubernetes/kubernetes @ v1.33.0:
- pkg/controller/deployment/rolling.go (reconcileNewReplicaSet, reconcileOldReplicaSets,
  cleanupUnhealthyReplicas, scaleDownOldReplicaSetsForRollingUpdate) and
  util/deployment_util.go (NewRSNewReplicas, MaxUnavailable, ResolveFenceposts: 25% of 3 is a
  surge of 1 and no unavailable pod);
- pkg/controller/deployment/progress.go (syncRolloutStatus, requeueStuckDeployment) and
  util/deployment_util.go (DeploymentComplete, DeploymentProgressing, DeploymentTimedOut, the
  reasons NewReplicaSetCreated, ReplicaSetUpdated, NewReplicaSetAvailable,
  ProgressDeadlineExceeded, MinimumReplicasAvailable, MinimumReplicasUnavailable);
- pkg/controller/deployment/sync.go scaleReplicaSet: "Scaled %s replica set %s from %d to %d";
- pkg/controller/replicaset/replica_set.go and pkg/api/v1/pod/util.go IsPodAvailable: a pod is
  available minReadySeconds after its Ready condition's lastTransitionTime;
- staging/src/k8s.io/endpointslice/utils.go podToEndpoint: a terminating pod is listed
  ready: false, serving: its readiness, terminating: true.
kubernetes/kubectl pkg/polymorphichelpers/rollout_status.go @ v0.33.0 for the status lines.
"""

from __future__ import annotations

import json

import pytest
from readiness_probes import create_deployment

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError

OLD_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.52"
NEW_IMAGE = "registry.k8s.io/e2e-test-images/agnhost:2.53"
WAITING = 'Waiting for deployment "web" rollout to finish: '


def _cluster(replicas: int, strategy: dict | None = None, min_ready: int = 5) -> Cluster:
    """A client pod and `web` (agnhost with a readiness probe) behind a Service, every pod
    available already."""
    c = Cluster(seed=9)
    c.kubectl("run client --image=nicolaka/netshoot -- sleep infinity")
    create_deployment(
        c, f"web --image={OLD_IMAGE} --replicas={replicas} --port=8080 -- /agnhost netexec"
    )
    spec: dict = {"minReadySeconds": min_ready}
    if strategy is not None:
        spec["strategy"] = {"rollingUpdate": strategy}
    c.kubectl(f"patch deployment web -p '{json.dumps({'spec': spec})}'")
    c.kubectl("expose deployment web --port=80 --target-port=8080")
    c.advance(min_ready)
    return c


def _status(c: Cluster) -> str:
    return str(c.kubectl("rollout status deployment/web")).strip()


def _pods(c: Cluster, image: str) -> list[str]:
    return sorted(
        p["metadata"]["name"]
        for p in c.list("pods", selector="app=web")
        if p["spec"]["containers"][0]["image"] == image
    )


def _endpoints(c: Cluster) -> dict[str, tuple[bool, bool, bool]]:
    """Pod -> (ready, serving, terminating) in the Service's EndpointSlice."""
    table = c.endpoints_table(service="web", wide=True)
    return {
        row.pod: (bool(row.ready), bool(row.serving), bool(row.terminating))
        for row in table.itertuples()
    }


def _traffic(c: Cluster, n: int = 400) -> dict[str, int]:
    """Connections from the client to the Service, per pod; every one delivered."""
    frame = c.send("client", "web", n=n)
    assert set(frame.verdict) == {"delivered"}
    assert frame["count"].sum() == n
    return dict(zip(frame.pod, frame["count"], strict=True))


def _progressing(c: Cluster) -> tuple[str, str, str]:
    conditions = c.get("deployment", "web")["status"]["conditions"]
    found = next(x for x in conditions if x["type"] == "Progressing")
    return found["status"], found["reason"], found["message"]


def _available(c: Cluster) -> tuple[str, str]:
    conditions = c.get("deployment", "web")["status"]["conditions"]
    found = next(x for x in conditions if x["type"] == "Available")
    return found["status"], found["reason"]


SERVING = (True, True, False)
LEAVING = (False, True, True)
NOT_READY = (False, False, False)


def test_a_rolling_update_step_by_step_loses_no_connection() -> None:
    c = _cluster(3)
    old = _pods(c, OLD_IMAGE)
    assert _status(c) == 'deployment "web" successfully rolled out'
    c.kubectl(f"set image deployment/web agnhost={NEW_IMAGE}")
    new_rs = c.get("deployment", "web")
    rs_name = f"web-{_pods(c, NEW_IMAGE)[0].split('-')[1]}"
    assert new_rs["metadata"]["annotations"]["deployment.kubernetes.io/revision"] == "2"

    # maxSurge 25% of 3 rounds up to 1, maxUnavailable rounds down to 0: one new pod, ready
    # at once, in the Service beside the three old ones; none of the old goes yet.
    [first] = _pods(c, NEW_IMAGE)
    assert _status(c) == f"{WAITING}1 out of 3 new replicas have been updated..."
    assert _endpoints(c) == dict.fromkeys([*old, first], SERVING)
    assert set(_traffic(c)) == {*old, first}
    assert _progressing(c) == (
        "True",
        "ReplicaSetUpdated",
        f'ReplicaSet "{rs_name}" is progressing.',
    )
    assert "AVAILABLE" in str(c.kubectl("get deployment web")).splitlines()[0]

    # Ready is not available: for minReadySeconds (5 s) the rollout waits.
    c.advance(4)
    assert _pods(c, NEW_IMAGE) == [first]
    assert _status(c) == f"{WAITING}1 out of 3 new replicas have been updated..."

    # Available: one old pod goes (terminating, still serving while it shuts down, out of the
    # traffic) and a second new one comes.
    c.advance(1)
    new = _pods(c, NEW_IMAGE)
    assert len(new) == 2
    leaving = [p for p in old if _endpoints(c).get(p) == LEAVING]
    assert len(leaving) == 1
    staying = [p for p in old if p not in leaving]
    assert _endpoints(c) == {**dict.fromkeys([*staying, *new], SERVING), leaving[0]: LEAVING}
    assert set(_traffic(c)) == {*staying, *new}
    assert _status(c) == f"{WAITING}2 out of 3 new replicas have been updated..."
    c.advance(1)
    assert leaving[0] not in _endpoints(c)

    c.advance(4)
    new = _pods(c, NEW_IMAGE)
    assert len(new) == 3
    assert _status(c) == f"{WAITING}1 old replicas are pending termination..."
    assert set(_traffic(c)) <= {*old, *new}

    c.advance(5)
    assert _status(c) == 'deployment "web" successfully rolled out'
    assert set(_traffic(c)) == set(new)
    assert _progressing(c) == (
        "True",
        "NewReplicaSetAvailable",
        f'ReplicaSet "{rs_name}" has successfully progressed.',
    )
    assert _available(c) == ("True", "MinimumReplicasAvailable")
    scaled = [e["message"] for e in c.list("events") if e["reason"] == "ScalingReplicaSet"]
    old_rs = f"web-{old[0].split('-')[1]}"
    assert scaled[1:] == [
        f"Scaled up replica set {rs_name} from 0 to 1",
        f"Scaled down replica set {old_rs} from 3 to 2",
        f"Scaled up replica set {rs_name} from 1 to 2",
        f"Scaled down replica set {old_rs} from 2 to 1",
        f"Scaled up replica set {rs_name} from 2 to 3",
        f"Scaled down replica set {old_rs} from 1 to 0",
    ]


def test_availability_waits_min_ready_seconds_on_the_clock() -> None:
    c = _cluster(2, min_ready=30)
    c.kubectl("scale deployment web --replicas=3")
    rs = next(r for r in c.list("replicasets") if r["spec"]["replicas"] == 3)
    assert rs["spec"]["minReadySeconds"] == 30
    assert (rs["status"]["readyReplicas"], rs["status"]["availableReplicas"]) == (3, 2)
    assert str(c.kubectl("get deployment web")).split()[-4:-1] == ["3/3", "3", "2"]
    c.advance(29)
    assert c.get("replicaset", rs["metadata"]["name"])["status"]["availableReplicas"] == 2
    c.advance(1)
    assert c.get("replicaset", rs["metadata"]["name"])["status"]["availableReplicas"] == 3
    assert c.get("deployment", "web")["status"]["availableReplicas"] == 3


def test_without_surge_the_last_step_waits_on_availability() -> None:
    c = _cluster(3, {"maxSurge": 0, "maxUnavailable": 1})
    c.kubectl(f"set image deployment/web agnhost={NEW_IMAGE}")
    assert _status(c) == f"{WAITING}1 out of 3 new replicas have been updated..."
    assert _available(c) == ("True", "MinimumReplicasAvailable")
    c.advance(5)
    assert _status(c) == f"{WAITING}2 out of 3 new replicas have been updated..."
    c.advance(5)
    assert _status(c) == f"{WAITING}2 of 3 updated replicas are available..."
    c.advance(5)
    assert _status(c) == 'deployment "web" successfully rolled out'


def test_a_new_image_that_never_gets_ready_stalls_then_times_out() -> None:
    c = _cluster(4, {"maxSurge": 1, "maxUnavailable": 1})
    old = _pods(c, OLD_IMAGE)
    c.kubectl(f"set image deployment/web agnhost={NEW_IMAGE}")
    new = _pods(c, NEW_IMAGE)
    for pod in new:
        c.set_ready(pod, False)
    rs_name = f"web-{new[0].split('-')[1]}"

    # Surge 1 and one unavailable allowed: two new pods, one old gone, then stuck: the three
    # old pods left are minAvailable, and no new pod becomes available.
    c.advance(1)
    staying = _pods(c, OLD_IMAGE)
    assert len(new) == 2
    assert len(staying) == 3
    assert set(staying) < set(old)
    assert _endpoints(c) == {**dict.fromkeys(staying, SERVING), **dict.fromkeys(new, NOT_READY)}
    assert set(_traffic(c)) == set(staying)
    assert _status(c) == f"{WAITING}2 out of 4 new replicas have been updated..."
    assert _available(c) == ("True", "MinimumReplicasAvailable")

    # progressDeadlineSeconds (600) after the last progress, plus the second upstream adds
    # before it looks again: the deadline is exceeded and `rollout status` fails.
    c.advance(599)
    assert _progressing(c)[1] == "ReplicaSetUpdated"
    c.advance(1)
    assert _progressing(c) == (
        "False",
        "ProgressDeadlineExceeded",
        f'ReplicaSet "{rs_name}" has timed out progressing.',
    )
    with pytest.raises(KubenetError, match='deployment "web" exceeded its progress deadline'):
        c.kubectl("rollout status deployment/web")
    assert set(_traffic(c)) == set(staying)
    assert _pods(c, OLD_IMAGE) == staying

    # A new image that works again is progress: the deadline starts over.
    c.kubectl(f"set image deployment/web agnhost={OLD_IMAGE}")
    assert _progressing(c)[1] == "ReplicaSetUpdated"


def test_pods_never_created_keep_new_replica_set_created_until_the_deadline() -> None:
    # The ServiceAccount admission refuses the pods (FailedCreate): no replica is ever updated,
    # so the condition getNewReplicaSet set stays until progressDeadlineSeconds pass.
    c = _cluster(1, min_ready=0)
    c.kubectl(f"create deployment api --image={OLD_IMAGE}")
    patch = {
        "spec": {
            "progressDeadlineSeconds": 60,
            "template": {"spec": {"serviceAccountName": "missing"}},
        }
    }
    c.kubectl(f"patch deployment api -p '{json.dumps(patch)}'")
    rs = max(
        (r for r in c.list("replicasets", selector="app=api") if r["spec"]["replicas"]),
        key=lambda r: r["metadata"]["annotations"]["deployment.kubernetes.io/revision"],
    )
    name = rs["metadata"]["name"]
    conditions = c.get("deployment", "api")["status"]["conditions"]
    assert [(x["type"], x["status"], x["reason"], x["message"]) for x in conditions] == [
        ("Available", "True", "MinimumReplicasAvailable", "Deployment has minimum availability."),
        ("Progressing", "True", "NewReplicaSetCreated", f'Created new replica set "{name}"'),
    ]
    c.advance(61)
    conditions = c.get("deployment", "api")["status"]["conditions"]
    assert [(x["type"], x["status"], x["reason"]) for x in conditions] == [
        ("Available", "True", "MinimumReplicasAvailable"),
        ("Progressing", "False", "ProgressDeadlineExceeded"),
    ]
