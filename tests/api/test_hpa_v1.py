"""autoscaling/v1 HorizontalPodAutoscalers: accepted, converted, stored as autoscaling/v2.

kubernetes/kubernetes pkg/apis/autoscaling/v1/conversion.go and pkg/apis/autoscaling/
annotations.go @ v1.33.0 (the conversion and its round-trip annotations); validation runs on the
converted object (pkg/apis/autoscaling/validation/validation.go), so its errors name v2's fields.
"""

from __future__ import annotations

import json

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.autoscaling.v1 import BEHAVIOR_ANNOTATION, METRICS_ANNOTATION, to_v1
from kubenet_nb.api.decode import decode, served_as
from kubenet_nb.api.errors import BadRequest, Invalid
from kubenet_nb.io.manifests import MappingError

TARGET = {"apiVersion": "apps/v1", "kind": "Deployment", "name": "web"}


def _hpa(spec: dict, annotations: dict | None = None) -> dict:
    metadata: dict = {"name": "web", "namespace": "default"}
    if annotations is not None:
        metadata["annotations"] = annotations
    return {
        "apiVersion": "autoscaling/v1",
        "kind": "HorizontalPodAutoscaler",
        "metadata": metadata,
        "spec": {"scaleTargetRef": TARGET, "maxReplicas": 5, **spec},
    }


def _cpu(utilization: int) -> dict:
    return {
        "type": "Resource",
        "resource": {
            "name": "cpu",
            "target": {"type": "Utilization", "averageUtilization": utilization},
        },
    }


@pytest.fixture
def cluster() -> Cluster:
    c = Cluster()
    c.kubectl("create deployment web --image=nginx")
    return c


def test_a_learners_v1_manifest_is_applied_and_stored_as_v2(cluster: Cluster, tmp_path) -> None:
    manifest = tmp_path / "hpa.yaml"
    manifest.write_text(
        "apiVersion: autoscaling/v1\n"
        "kind: HorizontalPodAutoscaler\n"
        "metadata:\n  name: web\n"
        "spec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n"
        "  maxReplicas: 5\n"
        "  targetCPUUtilizationPercentage: 50\n"
    )
    assert cluster.kubectl(f"apply -f {manifest}") == (
        "horizontalpodautoscaler.autoscaling/web created"
    )
    stored = cluster.get("hpa", "web")
    assert stored["apiVersion"] == "autoscaling/v2"
    assert stored["spec"]["metrics"] == [_cpu(50)]
    assert stored["spec"]["minReplicas"] == 1  # v1's SetDefaults_HorizontalPodAutoscaler
    assert "targetCPUUtilizationPercentage" not in stored["spec"]
    # -o yaml shows the stored version: per-version output is not simulated.
    assert cluster.kubectl("get hpa web -o yaml").startswith("apiVersion: autoscaling/v2\n")
    assert "cpu: <unknown>/50%" in cluster.kubectl("get hpa web")


def test_no_cpu_target_means_cpu_at_80_percent(cluster: Cluster) -> None:
    stored = cluster.create(_hpa({}))
    assert stored["spec"]["metrics"] == [_cpu(80)]


def test_other_metrics_and_behavior_come_back_from_their_annotations(cluster: Cluster) -> None:
    pods = {"metricName": "requests", "targetAverageValue": "10"}
    behavior = {"ScaleDown": {"StabilizationWindowSeconds": 60}}
    stored = cluster.create(
        _hpa(
            {"targetCPUUtilizationPercentage": 70},
            {
                METRICS_ANNOTATION: json.dumps([{"type": "Pods", "pods": pods}]),
                BEHAVIOR_ANNOTATION: json.dumps(behavior),
                "team": "a",
            },
        )
    )
    # The annotation's metrics first, then the CPU one (conversion.go); the annotations go.
    assert stored["spec"]["metrics"] == [
        {
            "type": "Pods",
            "pods": {
                "metric": {"name": "requests"},
                "target": {"type": "AverageValue", "averageValue": "10"},
            },
        },
        _cpu(70),
    ]
    assert stored["metadata"]["annotations"] == {"team": "a"}
    # The behavior's unset fields are defaulted as v2's (GenerateHPAScaleDownRules).
    assert stored["spec"]["behavior"]["scaleDown"]["stabilizationWindowSeconds"] == 60
    assert stored["spec"]["behavior"]["scaleDown"]["policies"] == [
        {"type": "Percent", "value": 100, "periodSeconds": 15}
    ]


def test_v1_fields_are_checked_in_v1s_words(cluster: Cluster) -> None:
    with pytest.raises(BadRequest) as refused:
        cluster.create(_hpa({"targetCPUUtilizationPercentage": "50"}))
    assert str(refused.value).endswith(
        'HorizontalPodAutoscaler in version "v1" cannot be handled as a '
        "HorizontalPodAutoscaler: json: cannot unmarshal string into Go struct field "
        "HorizontalPodAutoscalerSpec.spec.targetCPUUtilizationPercentage of type int32"
    )
    # v2's fields are unknown to v1 (fieldValidation=Strict, as kubectl 1.33 asks).
    with pytest.raises(BadRequest) as unknown:
        cluster.create(_hpa({"metrics": [_cpu(50)]}))
    assert str(unknown.value).endswith(
        'HorizontalPodAutoscaler in version "v1" cannot be handled as a '
        'HorizontalPodAutoscaler: strict decoding error: unknown field "spec.metrics"'
    )
    assert cluster.list("hpa") == []


def test_validation_names_the_converted_field(cluster: Cluster) -> None:
    with pytest.raises(Invalid) as invalid:
        cluster.create(_hpa({"targetCPUUtilizationPercentage": 0}))
    assert str(invalid.value).endswith(
        'The HorizontalPodAutoscaler "web" is invalid: '
        "spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: "
        "must be greater than 0"
    )


def test_only_v1_and_v2_are_served(cluster: Cluster, tmp_path) -> None:
    manifest = tmp_path / "hpa.yaml"
    manifest.write_text(
        "apiVersion: autoscaling/v2beta2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\n"
    )
    with pytest.raises(MappingError, match='no matches for kind "HorizontalPodAutoscaler" in '
                       'version "autoscaling/v2beta2"'):  # fmt: skip
        cluster.kubectl(f"apply -f {manifest}")
    # Discovery lists the preferred version only (tests/kubectl/test_api_resources.py).
    assert "autoscaling/v1" not in cluster.kubectl("api-resources")


def test_v1_reads_of_a_v2_object_lose_nothing(cluster: Cluster) -> None:
    memory = {
        "type": "Resource",
        "resource": {
            "name": "memory",
            "target": {"type": "AverageValue", "averageValue": "100Mi"},
        },
    }
    stored = cluster.create(
        {
            **_hpa({}),
            "apiVersion": "autoscaling/v2",
            "spec": {
                "scaleTargetRef": TARGET,
                "maxReplicas": 5,
                "metrics": [memory, _cpu(60)],
                "behavior": {"scaleUp": {"stabilizationWindowSeconds": 30}},
            },
        }
    )
    as_v1 = served_as(stored, "autoscaling/v1")
    assert as_v1 == to_v1(stored)
    assert as_v1["spec"]["targetCPUUtilizationPercentage"] == 60
    assert json.loads(as_v1["metadata"]["annotations"][METRICS_ANNOTATION]) == [
        {"type": "Resource", "resource": {"name": "memory", "targetAverageValue": "100Mi"}}
    ]
    assert served_as(stored, "autoscaling/v2") is stored
    back = decode(as_v1).obj
    assert back["apiVersion"] == "autoscaling/v2"
    assert back["spec"] == stored["spec"]
    assert back["metadata"].get("annotations") == stored["metadata"].get("annotations")


def test_an_autoscaling_v1_manifest_applies_again_unchanged_then_configured() -> None:
    # kubectl apply reads the live object in the manifest's version (kubernetes/kubectl
    # pkg/cmd/apply/patcher.go @ v0.33.0 gets it through the mapping of the applied object), so
    # the three-way patch compares v1 with v1; the server stores v2.
    c = Cluster()
    manifest = """apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: web}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
  maxReplicas: 5
  targetCPUUtilizationPercentage: 50
"""
    lines = [c.kubectl("apply -f -\n" + manifest) for _ in range(2)]
    lines.append(c.kubectl("apply -f -\n" + manifest.replace("50", "60")))
    assert [str(line).strip() for line in lines] == [
        "horizontalpodautoscaler.autoscaling/web created",
        "horizontalpodautoscaler.autoscaling/web unchanged",
        "horizontalpodautoscaler.autoscaling/web configured",
    ]
    metric = c.get("hpa", "web")["spec"]["metrics"][0]["resource"]
    assert metric["target"]["averageUtilization"] == 60
