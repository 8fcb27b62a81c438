"""`kubectl logs`: what a container printed, and the kubelet's and kubectl's refusals.

Sources: the kubelet's refusals, kubernetes/kubernetes pkg/kubelet/kubelet_pods.go
validateContainerLogStatus @ v1.33.0; the pod kubectl picks, kubernetes/kubectl
pkg/util/podutils/podutils.go ByLogging @ v0.33.0; nginx's startup, nginxinc/docker-nginx
mainline/debian/docker-entrypoint.sh and 10-listen-on-ipv6-by-default.sh @ 1.27.3.
"""

from __future__ import annotations

import copy

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import BadRequest, KubectlError, KubenetError
from kubenet_nb.kubectl.commands.logs import read_log
from kubenet_nb.network.container_output import NGINX_ENTRYPOINT_LINES, startup_lines


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster()
    c.kubectl("run web --image=nginx:1.25.5")
    c.kubectl("run client --image=curlimages/curl:8.11.1 --command -- sleep infinity")
    return c


def _waiting(pod: dict, reason: str | None) -> dict:
    pod = copy.deepcopy(pod)
    state = {"waiting": {"reason": reason}} if reason else {}
    pod["status"]["containerStatuses"][0]["state"] = state
    return pod


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("ContainerCreating", "is waiting to start: ContainerCreating"),
        ("ErrImagePull", "is waiting to start: image can't be pulled"),
        ("ImagePullBackOff", "is waiting to start: trying and failing to pull image"),
        ("CrashLoopBackOff", "is waiting to start: CrashLoopBackOff"),
        (None, "is waiting to start - no logs yet"),
    ],
)
def test_the_kubelet_refuses_a_container_that_never_ran(
    cluster: Cluster, reason: str | None, said: str
) -> None:
    pod = _waiting(cluster.get("pod", "web"), reason)
    with pytest.raises(BadRequest) as raised:
        read_log(cluster.control_plane, pod, "web", None)
    assert (
        str(raised.value) == f'Error from server (BadRequest): container "web" in pod "web" {said}'
    )


def test_a_container_without_a_status_is_not_available(cluster: Cluster) -> None:
    pod = copy.deepcopy(cluster.get("pod", "web"))
    pod["status"]["containerStatuses"] = []
    with pytest.raises(BadRequest, match='container "web" in pod "web" is not available'):
        read_log(cluster.control_plane, pod, "web", None)


def test_a_container_that_ran_before_keeps_its_log(cluster: Cluster) -> None:
    pod = _waiting(cluster.get("pod", "web"), "CrashLoopBackOff")
    pod["status"]["containerStatuses"][0]["lastState"] = {"terminated": {"exitCode": 1}}
    assert read_log(cluster.control_plane, pod, "web", None) == []


def test_nginx_prints_its_entrypoint_then_its_notices(cluster: Cluster) -> None:
    lines = cluster.kubectl("logs web").splitlines()
    assert lines[:9] == list(NGINX_ENTRYPOINT_LINES)
    started = cluster.get("pod", "web")["status"]["containerStatuses"][0]["state"]["running"]
    stamp = started["startedAt"].replace("-", "/").replace("T", " ").rstrip("Z")
    assert lines[9:12] == [
        f'{stamp} [notice] 1#1: using the "epoll" event method',
        f"{stamp} [notice] 1#1: nginx/1.25.5",  # the image tag's version
        f"{stamp} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) ",
    ]
    assert lines[12] == f"{stamp} [notice] 1#1: OS: Linux 6.8.0-generic"
    # worker_processes auto: one worker per CPU of the node (kind nodes report 2)
    assert lines[-2:] == [
        f"{stamp} [notice] 1#1: start worker process 29",
        f"{stamp} [notice] 1#1: start worker process 30",
    ]


def test_the_notices_go_to_stderr_the_entrypoint_to_stdout(cluster: Cluster) -> None:
    pod = cluster.get("pod", "web")
    streams = [
        line.stream
        for line in startup_lines(cluster.control_plane, pod, pod["spec"]["containers"][0])
    ]
    assert streams == ["stdout"] * 9 + ["stderr"] * 8


def test_nginx_started_with_another_command_prints_nothing() -> None:
    c = Cluster()
    c.kubectl("run web --image=nginx --command -- sleep infinity")
    c.kubectl(
        "run echo --image=nginx -- echo hi"
    )  # args replace CMD: no `nginx` after the entrypoint
    assert c.kubectl("logs web") == ""
    assert c.kubectl("logs echo") == ""


def test_requests_follow_the_startup_and_tail_counts_them(cluster: Cluster) -> None:
    ip = cluster.get("pod", "web")["status"]["podIP"]
    cluster.kubectl(f"exec client -- curl -s {ip}/one")
    cluster.kubectl(f"exec client -- curl -s {ip}/two")
    tail = cluster.kubectl("logs web --tail=2").splitlines()
    assert [line.split('"')[1] for line in tail] == ["GET /one HTTP/1.1", "GET /two HTTP/1.1"]
    assert cluster.kubectl("logs web -f --tail=1") == tail[1]  # -f returns at once in a notebook


def test_a_workload_logs_its_longest_ready_pod_first() -> None:
    c = Cluster()
    probe = {"httpGet": {"path": "/", "port": 80}}
    container = {"name": "nginx", "image": "nginx", "readinessProbe": probe}
    template = {"metadata": {"labels": {"app": "web"}}, "spec": {"containers": [container]}}
    spec = {"replicas": 2, "selector": {"matchLabels": {"app": "web"}}, "template": template}
    c.apply(
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, "spec": spec}
    )
    first, second = (p["metadata"]["name"] for p in c.list("pods", selector="app=web"))
    c.set_ready(first, False)
    c.advance(10)
    c.set_ready(first, True)
    out = c.kubectl("logs deploy/web --tail=0")
    assert out.stderr == f"Found 2 pods, using pod/{second}\n"


def test_a_workload_without_pods_times_out() -> None:
    c = Cluster()
    c.kubectl("create deploy web --image=nginx --replicas=0")
    with pytest.raises(KubectlError, match=r"^error: timed out waiting for the condition$"):
        c.kubectl("logs deploy/web")


def test_refusals_change_nothing(cluster: Cluster) -> None:
    before = cluster.control_plane.store.resource_version
    for line in ("logs", "logs nope", "logs web --tail=-5", "logs web -c nope"):
        with pytest.raises(KubectlError):
            cluster.kubectl(line)
    assert cluster.control_plane.store.resource_version == before


def test_previous_of_a_restarted_container_is_refused_as_not_simulated() -> None:
    c = Cluster()
    c.kubectl("run web --image=nginx:1.27.3")
    c.kill("web")
    c.advance(5)
    assert c.get("pod", "web")["status"]["containerStatuses"][0]["restartCount"] == 1
    with pytest.raises(KubenetError, match="previous container instance is not simulated"):
        c.kubectl("logs web -p")
