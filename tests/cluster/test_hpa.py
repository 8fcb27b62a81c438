"""The HorizontalPodAutoscaler controller on kind, where no metrics-server runs.

Pinned to kubernetes pkg/controller/podautoscaler/horizontal.go @ v1.33.0 (reconcileAutoscaler,
computeReplicasForMetrics, getUnableComputeReplicaCountCondition, setStatus) and
pkg/controller/podautoscaler/metrics/client.go @ v1.33.0 (the resource metrics API's error),
with kube-controller-manager's --horizontal-pod-autoscaler-sync-period default of 15s.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError

NO_METRICS = (
    "failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch "
    "metrics from resource metrics API: the server could not find the requested resource "
    "(get pods.metrics.k8s.io)"
)


def _cluster(replicas: int = 2) -> Cluster:
    c = Cluster()
    c.kubectl(f"create deployment web --image=nginx --replicas={replicas}")
    c.advance(30)
    return c


def _hpa(c: Cluster, minimum: int, maximum: int, **target: str) -> dict:
    ref = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web", **target}
    return c.create(
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "web"},
            "spec": {
                "scaleTargetRef": ref,
                "minReplicas": minimum,
                "maxReplicas": maximum,
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {
                            "name": "cpu",
                            "target": {"type": "Utilization", "averageUtilization": 50},
                        },
                    }
                ],
            },
        }
    )


def _events(c: Cluster) -> list[tuple[str, str, str]]:
    return [
        (e["type"], e["reason"], e["message"])
        for e in c.control_plane.events_about("default", "web")
        if e["involvedObject"]["kind"] == "HorizontalPodAutoscaler"
    ]


def _conditions(hpa: dict) -> dict[str, tuple[str, str, str]]:
    return {
        c["type"]: (c["status"], c["reason"], c["message"]) for c in hpa["status"]["conditions"]
    }


def test_first_sync_comes_one_period_after_creation() -> None:
    # The fixed-interval rate limiter queues a new HPA 15s out; until then the status is the
    # API's zero status and `kubectl get hpa` prints REPLICAS 0.
    c = _cluster()
    _hpa(c, 1, 10)
    c.advance(14.9)
    assert c.get("hpa", "web")["status"] == {"currentMetrics": None, "desiredReplicas": 0}
    assert c.kubectl("get hpa").splitlines()[1].split()[2:6] == ["cpu:", "<unknown>/50%", "1", "10"]
    assert c.kubectl("get hpa").splitlines()[1].split()[6] == "0"
    c.advance(0.1)
    assert c.get("hpa", "web")["status"]["currentReplicas"] == 2
    assert c.kubectl("get hpa").splitlines()[1].split()[6] == "2"


def test_without_metrics_every_sync_fails_and_replicas_stay() -> None:
    c = _cluster()
    _hpa(c, 1, 10)
    c.advance(15)
    hpa = c.get("hpa", "web")
    assert _events(c) == [
        ("Warning", "FailedGetResourceMetric", NO_METRICS),
        (
            "Warning",
            "FailedComputeMetricsReplicas",
            "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource "
            f"metric value: {NO_METRICS}",
        ),
    ]
    assert _conditions(hpa) == {
        "AbleToScale": (
            "True",
            "SucceededGetScale",
            "the HPA controller was able to get the target's current scale",
        ),
        "ScalingActive": (
            "False",
            "FailedGetResourceMetric",
            f"the HPA was unable to compute the replica count: {NO_METRICS}",
        ),
    }
    # setCurrentReplicasAndMetricsInStatus keeps desiredReplicas; one empty status per metric
    assert hpa["status"]["currentReplicas"] == 2
    assert hpa["status"]["desiredReplicas"] == 0
    assert hpa["status"]["currentMetrics"] == [{"type": ""}]
    assert "lastScaleTime" not in hpa["status"]
    assert c.get("deployment", "web")["spec"]["replicas"] == 2
    assert "Deployment pods:                                       2 current / 0 desired" in (
        c.kubectl("describe hpa web")
    )


def test_an_unchanged_status_is_not_written_again() -> None:
    # updateStatusIfNeeded: the next syncs only record their events.
    c = _cluster()
    _hpa(c, 1, 10)
    c.advance(15)
    version = c.get("hpa", "web")["metadata"]["resourceVersion"]
    c.advance(45)
    assert c.get("hpa", "web")["metadata"]["resourceVersion"] == version
    counts = {
        e["reason"]: e["count"]
        for e in c.control_plane.events_about("default", "web")
        if e["involvedObject"]["kind"] == "HorizontalPodAutoscaler"
    }
    assert counts == {"FailedGetResourceMetric": 4, "FailedComputeMetricsReplicas": 4}


def test_below_min_replicas_scales_up_to_min() -> None:
    c = _cluster(replicas=1)
    _hpa(c, 3, 10)
    c.advance(15)
    hpa = c.get("hpa", "web")
    assert _events(c) == [
        (
            "Normal",
            "SuccessfulRescale",
            "New size: 3; reason: Current number of replicas below Spec.MinReplicas",
        )
    ]
    assert _conditions(hpa) == {
        "AbleToScale": (
            "True",
            "SucceededRescale",
            "the HPA controller was able to update the target scale to 3",
        )
    }
    assert hpa["status"]["currentReplicas"] == 1
    assert hpa["status"]["desiredReplicas"] == 3
    assert hpa["status"]["lastScaleTime"] == hpa["status"]["conditions"][0]["lastTransitionTime"]
    assert c.get("deployment", "web")["spec"]["replicas"] == 3
    c.advance(15)  # within bounds now: the metrics fail, the scale is left alone
    assert _conditions(c.get("hpa", "web"))["ScalingActive"][1] == "FailedGetResourceMetric"
    assert c.get("deployment", "web")["spec"]["replicas"] == 3


def test_above_max_replicas_scales_down_to_max() -> None:
    c = _cluster(replicas=4)
    _hpa(c, 1, 2)
    c.advance(15)
    assert _events(c) == [
        (
            "Normal",
            "SuccessfulRescale",
            "New size: 2; reason: Current number of replicas above Spec.MaxReplicas",
        )
    ]
    assert c.get("deployment", "web")["spec"]["replicas"] == 2


def test_zero_replicas_disable_autoscaling() -> None:
    c = _cluster()
    c.kubectl("scale deployment web --replicas=0")
    _hpa(c, 2, 5)
    c.advance(15)
    hpa = c.get("hpa", "web")
    assert _conditions(hpa)["ScalingActive"] == (
        "False",
        "ScalingDisabled",
        "scaling is disabled since the replica count of the target is zero",
    )
    assert _events(c) == []
    assert c.get("deployment", "web")["spec"]["replicas"] == 0


@pytest.mark.parametrize(
    ("target", "error"),
    [
        ({"name": "nope"}, 'deployments.apps "nope" not found'),
        ({"kind": "Gadget"}, 'no matches for kind "Gadget" in group "apps"'),
        ({"kind": "DaemonSet"}, "the server could not find the requested resource"),
    ],
)
def test_a_target_without_a_scale_fails_to_get_scale(target: dict, error: str) -> None:
    c = _cluster()
    _hpa(c, 1, 10, **target)
    c.advance(15)
    assert _events(c) == [("Warning", "FailedGetScale", error)]
    assert _conditions(c.get("hpa", "web")) == {
        "AbleToScale": (
            "False",
            "FailedGetScale",
            f"the HPA controller was unable to get the target's current scale: {error}",
        )
    }


def test_average_value_targets_ask_for_usage() -> None:
    # computeStatusForResourceMetricGeneric: an AverageValue target calls GetRawResourceReplicas.
    c = _cluster()
    hpa = _hpa(c, 1, 10)
    hpa["spec"]["metrics"][0]["resource"]["target"] = {
        "type": "AverageValue",
        "averageValue": "100m",
    }
    c.update(hpa)
    c.advance(15)
    assert _events(c)[0][2].startswith(
        "failed to get cpu usage: unable to get metrics for resource"
    )


def test_a_deleted_hpa_is_no_longer_synced() -> None:
    c = _cluster(replicas=1)
    _hpa(c, 1, 10)
    c.delete("hpa", "web")
    c.advance(60)
    assert _events(c) == []


def test_kubectl_autoscale_creates_an_autoscaling_v2_hpa() -> None:
    # kubernetes/kubectl pkg/cmd/autoscale/autoscale.go @ v0.33.0 createHorizontalPodAutoscalerV2
    c = _cluster()
    assert c.kubectl("autoscale deployment web --cpu-percent=50 --min=1 --max=10") == (
        "horizontalpodautoscaler.autoscaling/web autoscaled"
    )
    hpa = c.get("hpa", "web")
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "web",
    }
    assert hpa["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 50},
            },
        }
    ]
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (1, 10)


def test_kubectl_autoscale_defaults_and_refusals() -> None:
    c = _cluster()
    out = c.kubectl("autoscale deploy/web --max=3 --name=other")
    assert out == "horizontalpodautoscaler.autoscaling/other autoscaled"
    # without --min and --cpu-percent the server's defaults apply (1, 80% CPU)
    spec = c.get("hpa", "other")["spec"]
    assert spec["minReplicas"] == 1
    assert spec["metrics"][0]["resource"]["target"]["averageUtilization"] == 80
    pod = c.list("pods")[0]["metadata"]["name"]
    for command, message in [
        ("autoscale deployment web", "--max=MAXPODS is required and must be at least 1, max: -1"),
        (
            "autoscale deployment web --min=5 --max=3",
            "--max=MAXPODS must be larger or equal to --min=MINPODS, max: 3, min: 5",
        ),
        (
            f"autoscale pod {pod} --max=3",
            "cannot autoscale a Pod: could not find scale subresource for /v1, Resource=pods "
            "in discovery information",
        ),
    ]:
        with pytest.raises(KubectlError) as refused:
            c.kubectl(command)
        assert str(refused.value) == f"error: {message}"
    assert c.kubectl("autoscale deployment web --max=3 --dry-run=client") == (
        "horizontalpodautoscaler.autoscaling/web created (dry run)"
    )
