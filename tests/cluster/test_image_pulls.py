"""Image pull events by pull policy, per node, through the Cluster facade.

Upstream: k/k pkg/kubelet/images/image_manager.go EnsureImageExists @ v1.33.0 and
pkg/apis/core/v1/defaults.go (default policy: Always for `:latest` or no tag).
"""

from __future__ import annotations

import re

import pytest

from kubenet_nb.cluster.kubelet_images import full_reference, go_duration
from kubenet_nb.face.cluster import Cluster

PULLED = re.compile(
    r'Successfully pulled image "(?P<image>[^"]+)" in (?P<pull>[\d.]+m?s) '
    r"\((?P<total>[\d.]+m?s) including waiting\)\. Image size: (?P<size>\d+) bytes\."
)


def pod(name: str, image: str, node: str = "kind-worker", policy: str = "") -> str:
    pull = f"\n    imagePullPolicy: {policy}" if policy else ""
    return f"""
apiVersion: v1
kind: Pod
metadata: {{name: {name}}}
spec:
  nodeName: {node}
  containers:
  - name: c
    image: {image}{pull}
"""


def kubelet_events(c: Cluster, name: str) -> list[tuple[str, str, str]]:
    return [
        (e["type"], e["reason"], e["message"])
        for e in c.list("events")
        if e["involvedObject"]["name"] == name and e["source"]["component"] == "kubelet"
    ]


@pytest.fixture
def cluster() -> Cluster:
    return Cluster(seed=5)


def test_untagged_image_is_pulled_every_time(cluster: Cluster) -> None:
    cluster.apply(pod("a", "nginx"))
    cluster.apply(pod("b", "nginx"))
    for name in ("a", "b"):
        found = kubelet_events(cluster, name)
        assert found[0] == ("Normal", "Pulling", 'Pulling image "nginx"')
        match = PULLED.fullmatch(found[1][2])
        assert match
        assert (match["image"], match["size"]) == ("nginx", "72188133")
        assert found[2:] == [
            ("Normal", "Created", "Created container: c"),
            ("Normal", "Started", "Started container c"),
        ]
    # Pulls are serialized per node: the second waited for the first.
    second = PULLED.fullmatch(kubelet_events(cluster, "b")[1][2])
    assert second
    assert second["pull"] != second["total"]
    assert "including waiting" in cluster.kubectl("describe pod a")


def test_if_not_present_pulls_once_per_node(cluster: Cluster) -> None:
    cluster.apply(pod("a", "nginx:1.27"))
    assert [e[1] for e in kubelet_events(cluster, "a")][:2] == ["Pulling", "Pulled"]
    cluster.apply(pod("b", "nginx:1.27"))
    assert kubelet_events(cluster, "b")[0] == (
        "Normal",
        "Pulled",
        'Container image "nginx:1.27" already present on machine',
    )
    cluster.apply(pod("c", "nginx:1.27", node="kind-worker2"))
    assert [e[1] for e in kubelet_events(cluster, "c")][:2] == ["Pulling", "Pulled"]


def test_kind_images_are_preloaded(cluster: Cluster) -> None:
    cluster.apply(pod("a", "registry.k8s.io/pause:3.10"))
    assert kubelet_events(cluster, "a")[0] == (
        "Normal",
        "Pulled",
        'Container image "registry.k8s.io/pause:3.10" already present on machine',
    )
    coredns = cluster.list("pods", "kube-system", "k8s-app=kube-dns")[0]["metadata"]["name"]
    assert "Pulling" not in cluster.kubectl(f"describe pod {coredns} -n kube-system")


def test_never_without_the_image_waits_with_err_image_never_pull(cluster: Cluster) -> None:
    cluster.apply(pod("a", "example/tool:1", policy="Never"))
    message = 'Container image "example/tool:1" is not present with pull policy of Never'
    assert kubelet_events(cluster, "a") == [
        ("Warning", "ErrImageNeverPull", message),
        ("Warning", "Failed", "Error: ErrImageNeverPull"),
    ]
    [status] = cluster.get("pod", "a")["status"]["containerStatuses"]
    assert status["state"] == {"waiting": {"reason": "ErrImageNeverPull", "message": message}}
    assert cluster.kubectl("get pod a").splitlines()[1].split()[1:3] == ["0/1", "ErrImageNeverPull"]
    cluster.apply(pod("b", "nginx:1.27"))
    cluster.apply(pod("c", "nginx:1.27", policy="Never"))
    assert kubelet_events(cluster, "c")[0][2] == (
        'Container image "nginx:1.27" already present on machine'
    )


def test_durations_depend_on_the_seed_only() -> None:
    def pulled(seed: int) -> str:
        c = Cluster(seed=seed)
        c.apply(pod("a", "nginx"))
        return kubelet_events(c, "a")[1][2]

    assert pulled(5) == pulled(5)
    assert pulled(5) != pulled(6)


def test_pull_draws_leave_the_main_random_stream_alone() -> None:
    def next_pod(image: str) -> tuple[str, str]:
        c = Cluster(seed=5)
        c.apply(pod("a", image))
        c.kubectl("create deployment web --image=nginx")
        [web] = c.list("pods", selector="app=web")
        return web["metadata"]["name"], web["status"]["podIP"]

    # A pull (nginx: Always) draws durations; no pull (pause: preloaded) draws none.
    assert next_pod("nginx") == next_pod("registry.k8s.io/pause:3.10")


def test_go_duration_and_references() -> None:
    assert [go_duration(ms) for ms in (523, 1000, 1286, 1200, 62_500)] == [
        "523ms",
        "1s",
        "1.286s",
        "1.2s",
        "1m2.5s",
    ]
    assert full_reference("nginx") == "docker.io/library/nginx:latest"
    assert full_reference("nicolaka/netshoot") == "docker.io/nicolaka/netshoot:latest"
    assert full_reference("registry.k8s.io/pause:3.10") == "registry.k8s.io/pause:3.10"
