"""`kubectl set image` / `set selector` on a live Cluster: what they leave behind."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster()
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    cluster.kubectl("expose deployment web --port=80")
    return cluster


def test_a_new_image_rolls_the_deployment_out(c: Cluster) -> None:
    before = {rs["metadata"]["name"] for rs in c.list("replicasets")}
    assert c.kubectl("set image deploy/web nginx=nginx:1.28") == "deployment.apps/web image updated"
    sets = {rs["metadata"]["name"]: rs for rs in c.list("replicasets")}
    (new,) = set(sets) - before
    assert sets[new]["spec"]["template"]["spec"]["containers"][0]["image"] == "nginx:1.28"
    assert sets[new]["spec"]["replicas"] == 2
    assert all(sets[name]["spec"]["replicas"] == 0 for name in before)
    images = {p["spec"]["containers"][0]["image"] for p in c.list("pods", selector="app=web")}
    assert "nginx:1.28" in images


def test_the_same_image_sends_nothing_and_prints_nothing(c: Cluster) -> None:
    version = c.get("deployment", "web")["metadata"]["resourceVersion"]
    assert c.kubectl("set image deploy/web nginx=nginx:1.27") == ""
    assert c.get("deployment", "web")["metadata"]["resourceVersion"] == version


def test_dry_run_changes_nothing(c: Cluster) -> None:
    version = c.get("deployment", "web")["metadata"]["resourceVersion"]
    out = c.kubectl("set image deploy/web nginx=nginx:1.28 --dry-run=client")
    assert out == "deployment.apps/web image updated (dry run)"
    assert c.get("deployment", "web")["metadata"]["resourceVersion"] == version


def test_a_missing_container_changes_nothing(c: Cluster) -> None:
    version = c.get("deployment", "web")["metadata"]["resourceVersion"]
    with pytest.raises(KubenetError, match='unable to find container named "x"'):
        c.kubectl("set image deploy/web x=nginx:1.28")
    assert c.get("deployment", "web")["metadata"]["resourceVersion"] == version


def test_set_selector_replaces_the_whole_selector(c: Cluster) -> None:
    assert c.kubectl("set selector svc web tier=front") == "service/web selector updated"
    assert c.get("service", "web")["spec"]["selector"] == {"tier": "front"}
    # the endpoints follow: no pod has tier=front
    slices = c.list("endpointslices", selector="kubernetes.io/service-name=web")
    assert all(not s.get("endpoints") for s in slices)


def test_set_selector_with_the_current_resource_version(c: Cluster) -> None:
    version = c.get("service", "web")["metadata"]["resourceVersion"]
    out = c.kubectl(f"set selector svc web app=web,tier=x --resource-version={version}")
    assert out == "service/web selector updated"
    assert c.get("service", "web")["spec"]["selector"] == {"app": "web", "tier": "x"}
