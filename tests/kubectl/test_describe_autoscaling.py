"""`kubectl describe` for HorizontalPodAutoscalers (describe/autoscaling.py).

Inputs from kubernetes/kubectl pkg/describe/describe_test.go @ v0.33.1
TestDescribeHorizontalPodAutoscaler (autoscaling/v2 cases; upstream only checks that the text is
not empty, so the expected texts here follow describeHorizontalPodAutoscalerV2 line by line).
"""

from __future__ import annotations

from kubenet_nb import Cluster

CPU = {
    "type": "Resource",
    "resource": {"name": "cpu", "target": {"type": "Utilization", "averageUtilization": 80}},
}
CPU_NOW = {
    "type": "Resource",
    "resource": {"name": "cpu", "current": {"averageUtilization": 50, "averageValue": "40m"}},
}


def _pods(name: str, value: str) -> dict:
    return {
        "type": "Pods",
        "pods": {
            "metric": {"name": name},
            "target": {"type": "AverageValue", "averageValue": value},
        },
    }


def _describe(
    metrics: list[dict] | None,
    current: list[dict] | None = None,
    *,
    min_replicas: int | None = 2,
    target: tuple[str, str] = ("ReplicationController", "some-rc"),
    behavior: dict | None = None,
    conditions: list[dict] | None = None,
) -> str:
    c = Cluster()
    c.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "foo"}})
    kind, name = target
    spec: dict = {
        "scaleTargetRef": {"apiVersion": "v1", "kind": kind, "name": name},
        "maxReplicas": 10,
    }
    if min_replicas is not None:
        spec["minReplicas"] = min_replicas
    if metrics is not None:
        spec["metrics"] = metrics
    if behavior is not None:
        spec["behavior"] = behavior
    c.create(
        {
            "apiVersion": "autoscaling/v2",
            "kind": "HorizontalPodAutoscaler",
            "metadata": {"name": "bar", "namespace": "foo"},
            "spec": spec,
        }
    )
    # No HPA controller computes metrics here: write its status through /status.
    status: dict = {"currentReplicas": 4, "desiredReplicas": 5}
    if current is not None:
        status["currentMetrics"] = current
    if conditions is not None:
        status["conditions"] = conditions
    c.control_plane.api.set_status(c.get("hpa", "bar", "foo"), status)
    return c.kubectl("describe hpa bar -n foo")


def _metrics(text: str) -> list[str]:
    """The lines between `Metrics:` and `Min replicas:`."""
    lines = text.split("\n")
    start = next(i for i, line in enumerate(lines) if line.startswith("Metrics:"))
    end = next(i for i, line in enumerate(lines) if line.startswith("Min replicas:"))
    return lines[start + 1 : end]


def test_min_replicas_unset() -> None:
    # "minReplicas unset": the API server defaults minReplicas to 1 and, with no metrics, a CPU
    # utilization target of 80%; the resource line is written in two LEVEL_1 pieces.
    assert _describe(None, min_replicas=None) == (
        "Name:                                                  bar\n"
        "Namespace:                                             foo\n"
        "Labels:                                                <none>\n"
        "Annotations:                                           <none>\n"
        "CreationTimestamp:                                     Wed, 01 Jan 2025 00:05:00 +0000\n"
        "Reference:                                             ReplicationController/some-rc\n"
        "Metrics:                                               ( current / target )\n"
        "  resource cpu on pods  (as a percentage of request):  <unknown> / 80%\n"
        "Min replicas:                                          1\n"
        "Max replicas:                                          10\n"
        "ReplicationController pods:                            4 current / 5 desired\n"
        "Events:                                                <none>"
    )


def test_external_metrics() -> None:
    # "external source type, target average value (with current)" and "..., target value (no
    # current)": the metric name is %q-quoted.
    selector = {"matchLabels": {"label": "value"}}
    average = {
        "type": "External",
        "external": {
            "metric": {"name": "some-external-metric", "selector": selector},
            "target": {"type": "AverageValue", "averageValue": "100m"},
        },
    }
    now = {
        "type": "External",
        "external": {
            "metric": {"name": "some-external-metric", "selector": selector},
            "current": {"averageValue": "50m"},
        },
    }
    assert _describe([average], [now]) == (
        "Name:                                             bar\n"
        "Namespace:                                        foo\n"
        "Labels:                                           <none>\n"
        "Annotations:                                      <none>\n"
        "CreationTimestamp:                                Wed, 01 Jan 2025 00:05:00 +0000\n"
        "Reference:                                        ReplicationController/some-rc\n"
        "Metrics:                                          ( current / target )\n"
        '  "some-external-metric" (target average value):  50m / 100m\n'
        "Min replicas:                                     2\n"
        "Max replicas:                                     10\n"
        "ReplicationController pods:                       4 current / 5 desired\n"
        "Events:                                           <none>"
    )
    value = {
        "type": "External",
        "external": {
            "metric": {"name": "some-external-metric", "selector": selector},
            "target": {"type": "Value", "value": "100m"},
        },
    }
    assert _metrics(_describe([value])) == [
        '  "some-external-metric" (target value):  <unknown> / 100m'
    ]


def test_object_metric() -> None:
    # "object source type target average value (with current)" and "... target value (no
    # current)".
    def source(target: dict) -> dict:
        return {
            "type": "Object",
            "object": {
                "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "some-service"},
                "metric": {"name": "some-service-metric"},
                "target": target,
            },
        }

    now = {
        "type": "Object",
        "object": {
            "describedObject": {"apiVersion": "v1", "kind": "Service", "name": "some-service"},
            "metric": {"name": "some-service-metric"},
            "current": {"averageValue": "50m"},
        },
    }
    average = source({"type": "AverageValue", "averageValue": "100m"})
    assert _metrics(_describe([average], [now])) == [
        '  "some-service-metric" on Service/some-service (target average value):  50m / 100m'
    ]
    assert _metrics(_describe([source({"type": "Value", "value": "100m"})])) == [
        '  "some-service-metric" on Service/some-service (target value):  <unknown> / 100m'
    ]


def test_multiple_metrics() -> None:
    # "multiple metrics": each metric takes the status metric at its own index.
    metrics = [_pods("some-pods-metric", "100m"), CPU, _pods("other-pods-metric", "400m")]
    current = [
        {
            "type": "Pods",
            "pods": {"metric": {"name": "some-pods-metric"}, "current": {"averageValue": "50m"}},
        },
        CPU_NOW,
    ]
    assert _metrics(_describe(metrics, current)) == [
        '  "some-pods-metric" on pods:                          50m / 100m',
        "  resource cpu on pods  (as a percentage of request):  50% (40m) / 80%",
        '  "other-pods-metric" on pods:                         <unknown> / 400m',
    ]


def test_resource_average_value_and_container_resource() -> None:
    # "resource source type, target average value (no current)" (aligned with the Reference,
    # Min replicas... lines of its block) and "container resource source
    # type, target utilization (with current)".
    average = {
        "type": "Resource",
        "resource": {"name": "cpu", "target": {"type": "AverageValue", "averageValue": "100m"}},
    }
    assert _metrics(_describe([average])) == ["  resource cpu on pods:      <unknown> / 100m"]
    container = {
        "type": "ContainerResource",
        "containerResource": {
            "name": "cpu",
            "container": "application",
            "target": {"type": "Utilization", "averageUtilization": 80},
        },
    }
    now = {
        "type": "ContainerResource",
        "containerResource": {
            "name": "cpu",
            "container": "application",
            "current": {"averageUtilization": 50, "averageValue": "40m"},
        },
    }
    assert _metrics(_describe([container], [now])) == [
        '  resource cpu of container "application" on pods  (as a percentage of request):  '
        "50% (40m) / 80%"
    ]


def test_scale_up_behavior() -> None:
    # "scale up behavior specified": the API server fills the unset scale-down rules with the
    # defaults (no window, Max, 100 percent per 15 seconds). The lines without a tab split the
    # alignment blocks.
    behavior = {
        "scaleUp": {
            "stabilizationWindowSeconds": 30,
            "selectPolicy": "Max",
            "policies": [
                {"type": "Pods", "value": 10, "periodSeconds": 10},
                {"type": "Percent", "value": 10, "periodSeconds": 10},
            ],
        }
    }
    text = _describe([CPU], target=("Deployment", "behavior-target"), behavior=behavior)
    assert text.endswith(
        "Max replicas:                                          10\n"
        "Behavior:\n"
        "  Scale Up:\n"
        "    Stabilization Window: 30 seconds\n"
        "    Select Policy: Max\n"
        "    Policies:\n"
        "      - Type: Pods     Value: 10  Period: 10 seconds\n"
        "      - Type: Percent  Value: 10  Period: 10 seconds\n"
        "  Scale Down:\n"
        "    Select Policy: Max\n"
        "    Policies:\n"
        "      - Type: Percent  Value: 100  Period: 15 seconds\n"
        "Deployment pods:       4 current / 5 desired\n"
        "Events:                <none>"
    )


def test_conditions() -> None:
    # describe.go: the status conditions as a Type/Status/Reason/Message table; the Events line
    # aligns with the table rows (they share its first column).
    conditions = [
        {
            "type": "AbleToScale",
            "status": "True",
            "reason": "SucceededGetScale",
            "message": "the HPA controller was able to get the target's current scale",
        },
        {
            "type": "ScalingActive",
            "status": "False",
            "reason": "FailedGetResourceMetric",
            "message": "the HPA was unable to compute the replica count",
        },
    ]
    text = _describe([CPU], conditions=conditions)
    assert text.endswith(
        "ReplicationController pods:                            4 current / 5 desired\n"
        "Conditions:\n"
        "  Type           Status  Reason                   Message\n"
        "  ----           ------  ------                   -------\n"
        "  AbleToScale    True    SucceededGetScale        the HPA controller was able to get "
        "the target's current scale\n"
        "  ScalingActive  False   FailedGetResourceMetric  the HPA was unable to compute the "
        "replica count\n"
        "Events:          <none>"
    )
