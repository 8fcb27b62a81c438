"""The levers on a pod's readiness: a readiness probe that fails, a container that exits.

Sources, kubernetes/kubernetes @ v1.33.0:
- pkg/kubelet/prober/prober.go `probe`: Warning `Unhealthy`, "%s probe failed: %s"; a container
  without a readinessProbe has no worker and is ready while it runs (prober_manager.go);
- pkg/probe/http/http.go ("HTTP probe failed with statuscode: %d"), pkg/probe/tcp/tcp.go (the
  dial error), pkg/probe/exec/exec.go (the command's output), pkg/probe/grpc/grpc.go
  ("service unhealthy (responded with %q)");
- pkg/kubelet/status/generate.go: Ready/ContainersReady False, ContainersNotReady,
  "containers with unready status: [...]";
- pkg/kubelet/kuberuntime/kuberuntime_manager.go `doBackOff`: CrashLoopBackOff,
  "back-off %s restarting failed container=%s pod=%s" and the BackOff event
  "Back-off restarting failed container %s in pod %s"; kubelet.go backOffPeriod 10s,
  MaxContainerBackOff 300s (client-go util/flowcontrol/backoff.go doubles the window);
- pkg/controller/endpointslice (staging/src/k8s.io/endpointslice/utils.go podToEndpoint): a pod
  is listed once it has an IP, `ready` from its Ready condition.
"""

from __future__ import annotations

import copy

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import BadRequest, KubectlError, KubenetError

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"


def pod_manifest(name: str, *containers: dict, restart: str = "Always") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": {"app": "web"}},
        "spec": {"containers": list(containers), "restartPolicy": restart},
    }


def agnhost(name: str = "app", probe: dict | None = None, **more: object) -> dict:
    container: dict = {
        "name": name,
        "image": AGNHOST,
        "args": ["netexec", "--http-port=8080"],
        "ports": [{"name": "http", "containerPort": 8080}],
        **more,
    }
    if probe is not None:
        container["readinessProbe"] = probe
    return container


HTTP_PROBE = {"httpGet": {"path": "/healthz", "port": 8080}}


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster(seed=5)
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]},
        }
    )
    return cluster


def slice_conditions(c: Cluster, pod: str) -> dict:
    for endpoint_slice in c.list("endpointslices", selector="kubernetes.io/service-name=web"):
        for endpoint in endpoint_slice.get("endpoints") or ():
            if (endpoint.get("targetRef") or {}).get("name") == pod:
                return endpoint["conditions"]
    raise AssertionError(f"{pod} is not in the slice")


def condition(pod: dict, kind: str) -> dict:
    return next(c for c in pod["status"]["conditions"] if c["type"] == kind)


def messages(c: Cluster, reason: str) -> list[str]:
    """The events' messages, once per occurrence (the recorder counts repeats)."""
    events = [e for e in c.list("events") if e["reason"] == reason]
    return [e["message"] for e in events for _ in range(e.get("count", 1))]


def state(c: Cluster) -> tuple:
    """What a refused lever must leave alone: every object, and the events."""
    store = c.control_plane.store
    return copy.deepcopy([store.list(kind) for kind in ("Pod", "EndpointSlice", "Event")])


# -- a readiness probe that fails ---------------------------------------------------------------


def test_failing_http_probe_turns_the_pod_unready_with_the_kubelets_event(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost(probe=HTTP_PROBE)))
    assert slice_conditions(c, "web") == {"ready": True, "serving": True, "terminating": False}
    pod = c.set_ready("web", False)
    assert messages(c, "Unhealthy") == [
        "Readiness probe failed: HTTP probe failed with statuscode: 503"
    ]
    ready = condition(pod, "Ready")
    assert (ready["status"], ready["reason"], ready["message"]) == (
        "False",
        "ContainersNotReady",
        "containers with unready status: [app]",
    )
    assert condition(pod, "ContainersReady")["status"] == "False"
    [status] = pod["status"]["containerStatuses"]
    assert status["ready"] is False
    assert "running" in status["state"]  # still running: only the probe fails
    assert slice_conditions(c, "web") == {"ready": False, "serving": False, "terminating": False}
    assert c.kubectl("get pod web").splitlines()[1].split()[1:3] == ["0/1", "Running"]

    pod = c.set_ready("web", True)
    assert condition(pod, "Ready")["status"] == "True"
    assert pod["status"]["containerStatuses"][0]["ready"] is True
    assert slice_conditions(c, "web")["ready"] is True
    assert len(messages(c, "Unhealthy")) == 1  # passing again records nothing


@pytest.mark.parametrize(
    ("probe", "output"),
    [
        ({"tcpSocket": {"port": "http"}}, "dial tcp {ip}:8080: connect: connection refused"),
        ({"tcpSocket": {"port": 9000}}, "dial tcp {ip}:9000: connect: connection refused"),
        ({"exec": {"command": ["test", "-f", "/tmp/ready"]}}, ""),
        # nothing serves gRPC on 9090: the dial times out (pkg/probe/grpc/grpc.go @ v1.33.0)
        (
            {"grpc": {"port": 9090}},
            'timeout: failed to connect service "{ip}:9090" within 1s: context deadline exceeded',
        ),
    ],
)
def test_each_handler_fails_in_its_own_words(c: Cluster, probe: dict, output: str) -> None:
    ip = c.create(pod_manifest("web", agnhost(probe=probe)))["status"]["podIP"]
    c.set_ready("web", False)
    assert messages(c, "Unhealthy") == [f"Readiness probe failed: {output.format(ip=ip)}"]


def test_only_probed_containers_go_unready(c: Cluster) -> None:
    sidecar = {"name": "sidecar", "image": "busybox", "command": ["sleep", "infinity"]}
    c.create(pod_manifest("web", agnhost(probe=HTTP_PROBE), sidecar))
    pod = c.set_ready("web", False)
    ready = {s["name"]: s["ready"] for s in pod["status"]["containerStatuses"]}
    assert ready == {"app": False, "sidecar": True}
    assert condition(pod, "Ready")["message"] == "containers with unready status: [app]"
    assert c.kubectl("get pod web").splitlines()[1].split()[1] == "1/2"


def test_a_pod_without_a_readiness_probe_cannot_fail_one(c: Cluster) -> None:
    pod = c.create(pod_manifest("web", agnhost()))
    before = state(c)
    with pytest.raises(KubenetError) as refused:
        c.set_ready("web", False)
    assert str(refused.value).startswith('pod "web" has no readinessProbe')
    assert "ready for as long as it runs" in str(refused.value)
    assert "c.kill('web')" in str(refused.value)
    assert state(c) == before
    assert c.set_ready("web", True)["status"] == pod["status"]  # passing: no change
    assert state(c) == before


# -- a container that exits -------------------------------------------------------------------


def test_exit_restart_and_crash_loop_back_off(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost()))
    pod = c.kill("web", exit_code=2)
    [status] = pod["status"]["containerStatuses"]
    terminated = status["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (2, "Error")
    assert (status["ready"], status["restartCount"]) == (False, 0)
    assert condition(pod, "Ready")["status"] == "False"
    assert slice_conditions(c, "web") == {"ready": False, "serving": False, "terminating": False}
    assert c.kubectl("get pod web").splitlines()[1].split()[1:4] == ["0/1", "Error", "0"]

    c.advance(1)  # the kubelet's next relist restarts it at once
    pod = c.get("pod", "web")
    [status] = pod["status"]["containerStatuses"]
    assert "running" in status["state"]
    assert status["restartCount"] == 1
    assert status["lastState"]["terminated"]["exitCode"] == 2
    assert status["ready"] is True  # no readinessProbe: ready while it runs
    assert slice_conditions(c, "web")["ready"] is True
    assert messages(c, "Started") == ["Started container app"] * 2

    c.advance(4)
    c.kill("web")
    c.advance(1)  # exited 4s after the restart: inside the 10s window
    pod = c.get("pod", "web")
    [status] = pod["status"]["containerStatuses"]
    uid = pod["metadata"]["uid"]
    assert status["state"] == {
        "waiting": {
            "reason": "CrashLoopBackOff",
            "message": f"back-off 10s restarting failed container=app pod=web_default({uid})",
        }
    }
    assert status["lastState"]["terminated"]["exitCode"] == 1
    assert status["restartCount"] == 1
    assert messages(c, "BackOff") == [
        f"Back-off restarting failed container app in pod web_default({uid})"
    ]
    assert c.kubectl("get pod web").splitlines()[1].split()[2] == "CrashLoopBackOff"
    with pytest.raises(KubectlError, match=r'container not found \("app"\)'):
        c.kill("web")

    c.advance(8)  # 9s after the exit: still waiting
    assert "waiting" in c.get("pod", "web")["status"]["containerStatuses"][0]["state"]
    c.advance(1)  # 10s after the exit: restarted, and the next window doubles
    assert c.get("pod", "web")["status"]["containerStatuses"][0]["restartCount"] == 2
    c.kill("web")
    c.advance(1)
    waiting = c.get("pod", "web")["status"]["containerStatuses"][0]["state"]["waiting"]
    assert waiting["message"].startswith("back-off 20s restarting failed container=app")


def test_back_off_starts_over_after_ten_quiet_minutes(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost()))
    c.kill("web")
    c.advance(1)
    c.advance(601)  # more than twice the 5m maximum after the restart
    c.kill("web")
    c.advance(1)
    status = c.get("pod", "web")["status"]["containerStatuses"][0]
    assert "running" in status["state"]
    assert status["restartCount"] == 2


def test_a_restarted_container_keeps_a_failing_probe(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost(probe=HTTP_PROBE)))
    c.set_ready("web", False)
    c.kill("web")
    c.advance(1)
    status = c.get("pod", "web")["status"]["containerStatuses"][0]
    assert ("running" in status["state"], status["ready"]) == (True, False)


@pytest.mark.parametrize(
    ("restart", "code", "phase", "reason"),
    [
        ("Never", 0, "Succeeded", "Completed"),
        ("Never", 3, "Failed", "Error"),
        ("OnFailure", 0, "Succeeded", "Completed"),
    ],
)
def test_no_restart_finishes_the_pod(
    c: Cluster, restart: str, code: int, phase: str, reason: str
) -> None:
    c.create(pod_manifest("web", agnhost(), restart=restart))
    pod = c.kill("web", exit_code=code)
    assert pod["status"]["phase"] == phase
    assert condition(pod, "Ready")["reason"] == "PodCompleted"
    c.advance(30)
    status = c.get("pod", "web")["status"]["containerStatuses"][0]
    assert status["state"]["terminated"]["reason"] == reason
    assert status["restartCount"] == 0
    # A finished pod leaves the Service's endpoints (ShouldPodBeInEndpoints).
    slices = c.list("endpointslices", selector="kubernetes.io/service-name=web")
    assert all(not s.get("endpoints") for s in slices)


def test_on_failure_restarts_a_failed_container(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost(), restart="OnFailure"))
    c.kill("web", exit_code=1)
    c.advance(1)
    assert c.get("pod", "web")["status"]["containerStatuses"][0]["restartCount"] == 1


def test_kill_refusals_change_nothing(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost()))
    before = state(c)
    with pytest.raises(BadRequest) as refused:
        c.kill("web", "nope")
    assert str(refused.value) == (
        "Error from server (BadRequest): container nope is not valid for pod web"
    )
    with pytest.raises(KubenetError, match="exit code 256 is out of range"):
        c.kill("web", exit_code=256)
    with pytest.raises(KubenetError, match="not found"):
        c.kill("ghost")
    assert state(c) == before


def test_kill_picks_the_default_container(c: Cluster) -> None:
    sidecar = {"name": "sidecar", "image": "busybox", "command": ["sleep", "infinity"]}
    manifest = pod_manifest("web", agnhost(), sidecar)
    manifest["metadata"]["annotations"] = {"kubectl.kubernetes.io/default-container": "sidecar"}
    c.create(manifest)
    pod = c.kill("web")
    states = {s["name"]: next(iter(s["state"])) for s in pod["status"]["containerStatuses"]}
    assert states == {"app": "running", "sidecar": "terminated"}
    assert condition(pod, "Ready")["message"] == "containers with unready status: [sidecar]"


def test_a_deleted_pod_is_not_restarted(c: Cluster) -> None:
    c.create(pod_manifest("web", agnhost()))
    c.kill("web")
    c.delete("pod", "web")
    c.advance(5)
    assert c.list("pods", selector="app=web") == []


# -- the EndpointSlice lists a pod once it has an IP ------------------------------------------


def test_a_pod_with_an_ip_whose_container_cannot_start_is_listed_not_ready(c: Cluster) -> None:
    container = agnhost(image="example.com/missing:1", imagePullPolicy="Never")
    pod = c.create(pod_manifest("web", container))
    assert pod["status"]["phase"] == "Pending"
    assert pod["status"]["podIP"]
    assert slice_conditions(c, "web") == {"ready": False, "serving": False, "terminating": False}
