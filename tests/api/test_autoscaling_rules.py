"""HorizontalPodAutoscalers (autoscaling/v2) through the public face.

Sources: kubernetes/kubernetes pkg/apis/autoscaling/v2/defaults.go (and defaults_test.go
TestHorizontalPodAutoscalerAnnotations-free cases of TestSetDefaultHPA: "default metrics",
"behavior: scaleUp only", "behavior: empty scaleDown") and pkg/apis/autoscaling/validation/
validation_test.go @ v1.33.0 (TestValidateHorizontalPodAutoscaler error cases
"must be greater than or equal to 1", "must be greater than 0", "must be greater than or equal
to `minReplicas`", "scaleTargetRef.kind: Required value", "scaleTargetRef.name: may not contain
'/'", "must specify a metric source type", "must populate information for the given metric
source", "must set either a target raw value or a target utilization", "must specify at least
one Policy", "must be greater than zero").
"""

from __future__ import annotations

import pytest
from rules_helpers import refusal

from kubenet_nb import Cluster


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def hpa(**spec: object) -> dict:
    spec.setdefault(
        "scaleTargetRef", {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}
    )
    spec.setdefault("maxReplicas", 5)
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": "web", "namespace": "default"},
        "spec": spec,
    }


def test_default_metric_and_status(cluster: Cluster) -> None:
    cluster.create(hpa())
    stored = cluster.get("HorizontalPodAutoscaler", "web")
    assert stored["spec"]["minReplicas"] == 1
    assert stored["spec"]["metrics"] == [
        {
            "type": "Resource",
            "resource": {
                "name": "cpu",
                "target": {"type": "Utilization", "averageUtilization": 80},
            },
        }
    ]
    assert "behavior" not in stored["spec"]
    assert stored["status"] == {"currentMetrics": None, "desiredReplicas": 0}


def test_behavior_defaults(cluster: Cluster) -> None:
    cluster.create(hpa(behavior={"scaleDown": {"stabilizationWindowSeconds": 60}}))
    behavior = cluster.get("HorizontalPodAutoscaler", "web")["spec"]["behavior"]
    assert behavior["scaleUp"] == {
        "stabilizationWindowSeconds": 0,
        "selectPolicy": "Max",
        "policies": [
            {"type": "Pods", "value": 4, "periodSeconds": 15},
            {"type": "Percent", "value": 100, "periodSeconds": 15},
        ],
    }
    assert behavior["scaleDown"] == {
        "stabilizationWindowSeconds": 60,
        "selectPolicy": "Max",
        "policies": [{"type": "Percent", "value": 100, "periodSeconds": 15}],
    }


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (
            {"minReplicas": 0},
            "spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
        ),
        (
            {"maxReplicas": 0, "minReplicas": 1},
            "spec.maxReplicas: Invalid value: 0: must be greater than 0",
        ),
        (
            {"minReplicas": 7},
            "spec.maxReplicas: Invalid value: 5: must be greater than or equal to `minReplicas`",
        ),
        ({"scaleTargetRef": {"name": "web"}}, "spec.scaleTargetRef.kind: Required value"),
        (
            {"scaleTargetRef": {"kind": "Deployment", "name": "a/b"}},
            "spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'",
        ),
        (
            {"metrics": [{"resource": {"name": "cpu"}}]},
            "spec.metrics[0].type: Required value: must specify a metric source type",
        ),
        (
            {"metrics": [{"type": "Pods"}]},
            "spec.metrics[0].pods: Required value: must populate information for the given "
            "metric source",
        ),
        (
            {
                "metrics": [
                    {
                        "type": "Resource",
                        "resource": {"name": "cpu", "target": {"type": "Utilization"}},
                    }
                ]
            },
            "spec.metrics[0].resource.target.averageUtilization: Required value: must set either "
            "a target raw value or a target utilization",
        ),
        (
            {"behavior": {"scaleUp": {"policies": []}}},
            "spec.behavior.scaleUp.policies: Required value: must specify at least one Policy",
        ),
        (
            {
                "behavior": {
                    "scaleUp": {"policies": [{"type": "Pods", "value": 0, "periodSeconds": 15}]}
                }
            },
            "spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
        ),
    ],
)
def test_errors(cluster: Cluster, spec: dict, message: str) -> None:
    # Upstream's checks are independent: a bad bound can raise more than one error.
    text = refusal(cluster, hpa(**spec))
    assert text.startswith('The HorizontalPodAutoscaler "web" is invalid: ')
    assert message in text


def test_scaling_to_zero_is_off(cluster: Cluster) -> None:
    assert refusal(cluster, hpa(minReplicas=0)) == (
        'The HorizontalPodAutoscaler "web" is invalid: \n'
        "* spec.minReplicas: Invalid value: 0: must be greater than or equal to 1\n"
        "* spec.metrics: Forbidden: must specify at least one Object or External metric to "
        "support scaling to zero replicas"
    )
