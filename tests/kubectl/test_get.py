"""`kubectl get`: recorded real-kubectl output, argument rules, and runs on a live Cluster."""

from __future__ import annotations

import json

import pytest
import yaml
from recorded_cluster import RecordedCluster, cases, expected, replay

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, NotFound
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.kubectl.commands import get
from kubenet_nb.kubectl.main import run_kubectl

BUILT_INS = ResourceTable()
"""A cluster without CRDs serves the built-in resources only."""


@pytest.mark.parametrize(("name", "argv"), cases("get"), ids=[n for n, _ in cases("get")])
def test_matches_recorded_kubectl(name: str, argv: list[str]) -> None:
    # Source: the real kubectl client run on the same objects (data/printing/README.md).
    assert replay("get", argv) == expected(name)


def test_resource_args_forms() -> None:
    requests, single = get.parse_resource_args(["svc", "web"], BUILT_INS)
    assert [(r.info.kind, r.name) for r in requests] == [("Service", "web")]
    assert single
    requests, single = get.parse_resource_args(["pods,svc", "a", "b"], BUILT_INS)
    assert [(r.info.kind, r.name) for r in requests] == [
        ("Pod", "a"),
        ("Pod", "b"),
        ("Service", "a"),
        ("Service", "b"),
    ]
    assert not single
    requests, _ = get.parse_resource_args(["all"], BUILT_INS)
    # The "all" category (each registry's Categories(), kubernetes/kubernetes
    # pkg/registry/*/*/storage @ v1.33.0) in discovery order: core, apps, autoscaling, batch.
    assert [r.info.kind for r in requests] == [
        "Pod",
        "ReplicationController",
        "Service",
        "DaemonSet",
        "Deployment",
        "ReplicaSet",
        "StatefulSet",
        "HorizontalPodAutoscaler",
        "CronJob",
        "Job",
    ]
    requests, single = get.parse_resource_args(["deploy/web"], BUILT_INS)
    assert [(r.info.kind, r.name) for r in requests] == [("Deployment", "web")]
    assert single


def test_resource_args_refusals() -> None:
    # Wording: k8s.io/cli-runtime/pkg/resource/builder.go splitResourceTypeName.
    with pytest.raises(KubectlError) as error:
        get.parse_resource_args(["svc/a/b"], BUILT_INS)
    assert str(error.value) == (
        "error: arguments in resource/name form may not have more than one slash"
    )
    with pytest.raises(KubectlError) as error:
        get.parse_resource_args(["svc,pods/a"], BUILT_INS)
    assert str(error.value) == (
        "error: arguments in resource/name form must have a single resource and name"
    )


def test_no_arguments_is_kubectls_usage_text() -> None:
    with pytest.raises(KubectlError) as error:
        get.run(RecordedCluster(), [])
    assert str(error.value).startswith(
        'You must specify the type of resource to get. Use "kubectl api-resources"'
    )
    assert str(error.value).endswith("See 'kubectl get -h' for help and examples")


def test_unknown_output_format() -> None:
    # Wording: k8s.io/cli-runtime/pkg/genericclioptions/print_flags.go NoCompatiblePrinterError.
    with pytest.raises(KubectlError) as error:
        get.run(RecordedCluster(), ["svc", "-o", "table"])
    assert str(error.value) == (
        'error: unable to match a printer suitable for the output format "table", allowed '
        "formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,"
        "jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
    )


def test_all_namespaces_refuses_a_name() -> None:
    # Wording: builder.go visitByName.
    with pytest.raises(KubectlError) as error:
        get.run(RecordedCluster(), ["svc", "web", "-A"])
    assert str(error.value) == (
        "error: a resource cannot be retrieved by name across all namespaces"
    )


def test_ignore_not_found_prints_nothing() -> None:
    # get.go printGeneric returns early when there is nothing to print and NotFound is ignored.
    assert get.run(RecordedCluster(), ["svc", "nope", "--ignore-not-found"]) == ""
    assert get.run(RecordedCluster(), ["svc", "nope", "-o", "yaml", "--ignore-not-found"]) == ""


def test_missing_single_object_raises_not_found() -> None:
    with pytest.raises(NotFound) as error:
        get.run(RecordedCluster(), ["deploy", "nope", "-o", "yaml"])
    assert str(error.value) == 'Error from server (NotFound): deployments.apps "nope" not found'


def test_yaml_hides_managed_fields() -> None:
    cluster = RecordedCluster()
    svc = cluster.get("svc", "web")
    cluster.objects.append(
        {
            **svc,
            "metadata": {
                **svc["metadata"],
                "name": "managed",
                "managedFields": [{"manager": "kubectl"}],
            },
        }
    )
    shown = yaml.safe_load(get.run(cluster, ["svc", "managed", "-o", "yaml"]))
    assert "managedFields" not in shown["metadata"]


@pytest.fixture(scope="module")
def live() -> Cluster:
    cluster = Cluster()
    cluster.apply(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: webapp1, labels: {app: webapp1}}
spec:
  replicas: 3
  selector: {matchLabels: {app: webapp1}}
  template:
    metadata: {labels: {app: webapp1}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: webapp1, labels: {app: webapp1}}
spec:
  type: NodePort
  selector: {app: webapp1}
  ports: [{port: 80, targetPort: 80, nodePort: 30080}]
"""
    )
    return cluster


def test_live_cluster_services(live: Cluster) -> None:
    text = get.run(live, ["svc"])
    lines = text.splitlines()
    assert lines[0].split() == ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]
    assert lines[1].split() == ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "5m"]
    assert lines[2].split()[:5] == [
        "webapp1",
        "NodePort",
        lines[2].split()[2],
        "<none>",
        "80:30080/TCP",
    ]


def test_live_cluster_get_all_groups(live: Cluster) -> None:
    groups = get.run(live, ["all"]).split("\n\n")
    assert [g.splitlines()[1].split("/")[0] for g in groups] == [
        "pod",
        "service",
        "deployment.apps",
        "replicaset.apps",
    ]
    assert groups[2].splitlines()[1].split()[:2] == ["deployment.apps/webapp1", "3/3"]


def test_live_cluster_through_kubectl(live: Cluster) -> None:
    assert (
        run_kubectl(live.control_plane, "get deploy webapp1 -o name") == "deployment.apps/webapp1\n"
    )
    shown = json.loads(run_kubectl(live.control_plane, "get svc webapp1 -o json"))
    assert shown["spec"]["ports"][0]["nodePort"] == 30080
    with pytest.raises(NotFound):
        run_kubectl(live.control_plane, "get svc nope")
