"""`kubectl get -o yaml` prints objects a real v1.33 API server would accept back."""

from __future__ import annotations

import kubernetes_validate
import pytest
import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.kinds import RESOURCES


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster(seed=11)
    c.kubectl("create deployment webapp1 --image=nginx --replicas=3 --port=80")
    c.kubectl("expose deploy webapp1 --port=80 --type=LoadBalancer")
    c.kubectl("create service nodeport web2 --tcp=8080:80")
    c.kubectl("create service externalname ext --external-name=example.com")
    c.kubectl("run lonely --image=busybox --labels=app=lonely")
    return c


HELD = {"Namespace", "Node", "Pod", "Service", "Endpoints", "EndpointSlice", "Deployment"}
HELD |= {"ReplicaSet", "DaemonSet"}
"""Kinds this cluster holds objects of: their listings must not be empty."""


@pytest.mark.parametrize(
    "info",
    [info for info in RESOURCES if "list" in info.verbs],
    ids=lambda info: info.qualified_plural,
)
def test_every_printed_object_passes_the_v1_33_schema(cluster: Cluster, info) -> None:
    # kubernetes-validate ships the OpenAPI schemas of Kubernetes v1.33; strict mode refuses
    # fields the API does not define.
    listing = yaml.safe_load(cluster.kubectl(f"get {info.qualified_plural} -A -o yaml"))
    assert listing["kind"] == "List"
    assert listing["items"] or info.kind not in HELD
    for item in listing["items"]:
        kubernetes_validate.validate(item, "1.33", strict=True)


def test_printed_yaml_applies_back_unchanged(cluster: Cluster) -> None:
    for kind, name in (("deployment", "webapp1"), ("service", "webapp1"), ("service", "web2")):
        printed = cluster.kubectl(f"get {kind} {name} -o yaml")
        assert cluster.kubectl(f"apply -f -\n{printed}").endswith(("configured", "unchanged"))
        after = yaml.safe_load(cluster.kubectl(f"get {kind} {name} -o yaml"))
        before = yaml.safe_load(printed)
        assert after["spec"] == before["spec"]


def test_applying_an_imperative_object_warns_then_settles() -> None:
    c = Cluster()
    c.kubectl("create deployment web --image=nginx")
    printed = c.kubectl("get deploy web -o yaml")
    # kubectl apply.go warningNoLastAppliedConfigAnnotation, then the annotation is patched in.
    assert c.kubectl(f"apply -f -\n{printed}").splitlines() == [
        "Warning: resource deployments/web is missing the "
        "kubectl.kubernetes.io/last-applied-configuration annotation which is required by "
        "kubectl apply. kubectl apply should only be used on resources created declaratively "
        "by either kubectl create --save-config or kubectl apply. The missing annotation will "
        "be patched automatically.",
        "deployment.apps/web configured",
    ]
    assert c.kubectl(f"apply -f -\n{printed}") == "deployment.apps/web unchanged"
