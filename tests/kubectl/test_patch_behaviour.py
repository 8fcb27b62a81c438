"""`kubectl patch` on a live Cluster: changes land, refusals and dry runs change nothing."""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster()
    cluster.kubectl("create deployment web --image=nginx:1.27 --replicas=2")
    return cluster


def _version(c: Cluster) -> str:
    return c.get("deployment", "web")["metadata"]["resourceVersion"]


def test_a_strategic_patch_scales_and_the_controllers_follow(c: Cluster) -> None:
    assert c.kubectl("""patch deploy web -p '{"spec":{"replicas":3}}'""") == (
        "deployment.apps/web patched"
    )
    assert len(c.list("pods", selector="app=web")) == 3


def test_a_container_patch_merges_by_name_and_rolls_out(c: Cluster) -> None:
    patch = '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.28"}]}}}}'
    c.kubectl(f"patch deploy web -p '{patch}'")
    (container,) = c.get("deployment", "web")["spec"]["template"]["spec"]["containers"]
    assert container["image"] == "nginx:1.28"
    assert container["imagePullPolicy"] == "IfNotPresent"  # merged, not replaced
    assert len(c.list("replicasets")) == 2


@pytest.mark.parametrize(
    "line",
    [
        """patch deploy web -p '{"spec":{"replicas":-1}}'""",
        """patch deploy web --type=json -p '[{"op":"replace","path":"/spec/replicas","value":5},"""
        """{"op":"test","path":"/spec/replicas","value":9}]'""",
        """patch deploy web --type=merge -p '[1]'""",
        """patch deploy web -p '{"spec":'""",
    ],
)
def test_a_refused_patch_changes_nothing(c: Cluster, line: str) -> None:
    version = _version(c)
    with pytest.raises(KubenetError):
        c.kubectl(line)
    assert _version(c) == version
    assert c.get("deployment", "web")["spec"]["replicas"] == 2


def test_dry_run_changes_nothing(c: Cluster) -> None:
    version = _version(c)
    out = c.kubectl("""patch deploy web -p '{"spec":{"replicas":5}}' --dry-run=client -o json""")
    assert '"replicas": 5' in out
    assert _version(c) == version


def test_no_change_writes_nothing(c: Cluster) -> None:
    version = _version(c)
    out = c.kubectl("""patch deploy web --type=merge -p '{"spec":{"replicas":2}}'""")
    assert out == "deployment.apps/web patched (no change)"
    assert _version(c) == version
