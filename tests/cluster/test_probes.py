"""The kubelet's probes on the simulated clock: readiness, liveness and startup.

Sources, kubernetes/kubernetes @ v1.33.0:
- pkg/kubelet/prober/worker.go `run` and `doProbe`: a worker per container and probe type,
  a ticker of periodSeconds from the pod's admission, initialDelaySeconds since the container
  started, failureThreshold/successThreshold runs in a row, startup gating liveness and
  readiness, a liveness failure holding the worker until the next container instance;
- pkg/kubelet/prober/prober_manager.go `UpdatePodStatus`: started/ready from the results, a
  readiness probe run at once when a container starts;
- pkg/kubelet/prober/prober.go `probe`: Warning Unhealthy "%s probe failed: %s";
- pkg/probe/http/http.go, pkg/probe/tcp/tcp.go, pkg/probe/grpc/grpc.go: the handlers' words;
- pkg/kubelet/kuberuntime/kuberuntime_manager.go `computePodActions`: Killing "Container %s
  failed liveness probe, will be restarted", then `doBackOff` (10s, 20s, ...);
- pkg/apis/core/v1/defaults.go SetDefaults_Probe: period 10s, thresholds 1 and 3.
"""

from __future__ import annotations

import copy

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import BadRequest, KubenetError

AGNHOST = "registry.k8s.io/e2e-test-images/agnhost:2.52"
HEALTHZ = {"httpGet": {"path": "/healthz", "port": 8080}}


def agnhost(**probes: dict) -> dict:
    """agnhost netexec: HTTP on 8080 (every path answers 200), UDP on 8081."""
    return {
        "name": "app",
        "image": AGNHOST,
        "args": ["netexec", "--http-port=8080"],
        "ports": [{"name": "http", "containerPort": 8080}],
        **probes,
    }


def pod_manifest(*containers: dict, restart: str = "Always") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {"containers": list(containers), "restartPolicy": restart},
    }


@pytest.fixture
def c() -> Cluster:
    cluster = Cluster(seed=7)
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 80, "targetPort": 8080}]},
        }
    )
    return cluster


def fail_probe(
    c: Cluster,
    probe: str,
    failing: bool = True,
    container: str | None = None,
    status: int = 500,
) -> None:
    """The engine's lever, in a request as the control plane runs one."""
    plane = c.control_plane
    with plane.store.transaction():
        found = plane.store.require("Pod", "default", "web")
        plane.kubelets.fail_probe(found, probe, failing, container, status)


def container(c: Cluster) -> dict:
    return c.get("pod", "web")["status"]["containerStatuses"][0]


def slice_ready(c: Cluster) -> bool:
    [endpoint] = [
        e
        for s in c.list("endpointslices", selector="kubernetes.io/service-name=web")
        for e in s.get("endpoints") or ()
    ]
    return endpoint["conditions"]["ready"]


def unhealthy(c: Cluster) -> list[tuple[str, int]]:
    return [(e["message"], e["count"]) for e in c.list("events") if e["reason"] == "Unhealthy"]


def reasons(c: Cluster, reason: str) -> list[tuple[str, int]]:
    return [(e["message"], e["count"]) for e in c.list("events") if e["reason"] == reason]


# -- readiness --------------------------------------------------------------------------------


def test_a_probe_the_application_answers_passes_at_once_and_records_nothing(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(readinessProbe=HEALTHZ, livenessProbe=HEALTHZ)))
    assert (container(c)["ready"], slice_ready(c)) == (True, True)
    version = c.get("pod", "web")["metadata"]["resourceVersion"]
    c.advance(120)
    assert (container(c)["ready"], container(c)["restartCount"]) == (True, 0)
    assert unhealthy(c) == []
    assert c.get("pod", "web")["metadata"]["resourceVersion"] == version  # no write per run


def test_a_port_nobody_listens_on_fails_every_period_in_the_clients_words(c: Cluster) -> None:
    probe = {"httpGet": {"path": "/healthz", "port": 9999}}
    ip = c.create(pod_manifest(agnhost(readinessProbe=probe)))["status"]["podIP"]
    assert (container(c)["ready"], slice_ready(c)) == (False, False)
    refused = (
        f'Readiness probe failed: Get "http://{ip}:9999/healthz": '
        f"dial tcp {ip}:9999: connect: connection refused"
    )
    assert unhealthy(c) == [(refused, 1)]  # the run when the container started
    c.advance(20)  # and one each period after
    assert unhealthy(c) == [(refused, 3)]
    events = c.kubectl("describe pod web").split("Events:")[1]
    assert "20s (x3 over 20s)" not in events
    assert "0s (x3 over 20s)" in events
    assert c.kubectl("get pod web").splitlines()[1].split()[1:3] == ["0/1", "Running"]


@pytest.mark.parametrize(
    ("probe", "output"),
    [
        ({"tcpSocket": {"port": "http"}}, None),
        ({"tcpSocket": {"port": 8081}}, "dial tcp {ip}:8081: connect: connection refused"),
        ({"exec": {"command": ["cat", "/tmp/healthy"]}}, None),
        (
            {"grpc": {"port": 9090}},
            'timeout: failed to connect service "{ip}:9090" within 1s: context deadline exceeded',
        ),
        (
            {"httpGet": {"path": "/", "port": 8080, "scheme": "HTTPS"}},
            'Get "https://{ip}:8080/": http: server gave HTTP response to HTTPS client',
        ),
        (
            {"httpGet": {"path": "/", "port": "metrics"}},
            None,  # errored: no port of that name
        ),
    ],
)
def test_each_handler_answers_by_what_listens(c: Cluster, probe: dict, output: str | None) -> None:
    # 8081 is netexec's UDP port: a TCP dial to it is refused.
    ip = c.create(pod_manifest(agnhost(readinessProbe=probe)))["status"]["podIP"]
    errored = probe.get("httpGet", {}).get("port") == "metrics"
    assert container(c)["ready"] is (output is None and not errored)
    if errored:
        assert unhealthy(c) == [
            (
                "Readiness probe errored and resulted in unknown state: "
                'strconv.Atoi: parsing "metrics": invalid syntax',
                1,
            )
        ]
    elif output is None:
        assert unhealthy(c) == []
    else:
        assert unhealthy(c) == [(f"Readiness probe failed: {output.format(ip=ip)}", 1)]


def test_nginx_answers_404_off_its_default_site(c: Cluster) -> None:
    nginx = {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}
    probe = {"httpGet": {"path": "/healthz", "port": 80}}
    c.create(pod_manifest({**nginx, "readinessProbe": probe}))
    assert unhealthy(c) == [("Readiness probe failed: HTTP probe failed with statuscode: 404", 1)]
    assert container(c)["ready"] is False


def test_the_endpoint_leaves_after_failure_threshold_periods(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(readinessProbe=HEALTHZ)))  # ticks every 10s from now
    c.advance(10)
    fail_probe(c, "readiness")
    assert (container(c)["ready"], slice_ready(c)) == (True, True)  # nothing seen yet
    c.advance(29)  # two failures: below failureThreshold 3
    assert (container(c)["ready"], slice_ready(c)) == (True, True)
    failed = "Readiness probe failed: HTTP probe failed with statuscode: 500"
    assert unhealthy(c) == [(failed, 2)]
    c.advance(1)  # the third, 3 x 10s after the application began failing
    assert (container(c)["ready"], slice_ready(c)) == (False, False)
    assert "running" in container(c)["state"]  # readiness never restarts a container
    fail_probe(c, "readiness", failing=False)
    c.advance(10)  # one success (successThreshold 1) at the next tick
    assert (container(c)["ready"], slice_ready(c)) == (True, True)
    assert unhealthy(c) == [(failed, 3)]


def test_success_threshold_counts_runs_in_a_row(c: Cluster) -> None:
    probe = {**HEALTHZ, "successThreshold": 2}
    c.create(pod_manifest(agnhost(readinessProbe=probe)))
    assert container(c)["ready"] is False  # one success so far (at the start)
    c.advance(10)
    assert container(c)["ready"] is True


def test_initial_delay_counts_from_the_containers_start_on_the_workers_ticks(
    c: Cluster,
) -> None:
    c.create(pod_manifest(agnhost(readinessProbe={**HEALTHZ, "initialDelaySeconds": 15})))
    assert container(c)["ready"] is False  # the run at the start waits for the delay
    c.advance(10)  # a tick, 10s < 15s after the start: no run
    assert container(c)["ready"] is False
    c.advance(10)  # the next tick runs it
    assert container(c)["ready"] is True


def test_set_ready_is_seen_at_once_and_the_failing_probe_goes_on(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(readinessProbe=HEALTHZ)))
    c.set_ready("web", False)
    failed = "Readiness probe failed: HTTP probe failed with statuscode: 503"
    assert (container(c)["ready"], slice_ready(c), unhealthy(c)) == (False, False, [(failed, 1)])
    c.advance(20)
    assert unhealthy(c) == [(failed, 3)]
    c.set_ready("web", True)
    assert (container(c)["ready"], slice_ready(c)) == (True, True)
    c.advance(20)
    assert unhealthy(c) == [(failed, 3)]


def test_set_ready_cannot_pass_a_probe_that_fails_of_itself(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(readinessProbe={"tcpSocket": {"port": 9999}})))
    assert c.set_ready("web", True)["status"]["containerStatuses"][0]["ready"] is False


# -- liveness -----------------------------------------------------------------------------------


def test_a_failing_liveness_probe_kills_and_restarts_with_back_off(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(readinessProbe=HEALTHZ, livenessProbe=HEALTHZ)))
    c.advance(10)
    fail_probe(c, "liveness")
    c.advance(29)
    assert container(c)["restartCount"] == 0
    c.advance(1)  # the third failure: killed; it exits on SIGTERM a second later
    killing = ("Container app failed liveness probe, will be restarted", 1)
    assert reasons(c, "Killing") == [killing]
    assert "running" in container(c)["state"]
    c.advance(1)  # restarted in the same sync (no back-off yet)
    status = container(c)
    assert (status["restartCount"], status["ready"]) == (1, True)
    terminated = status["lastState"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (143, "Error")
    assert reasons(c, "Unhealthy") == [
        ("Liveness probe failed: HTTP probe failed with statuscode: 500", 3)
    ]
    # Still failing: the worker sees the new instance at its next tick, three failures later
    # the container is killed again, and this time it waits out a 10s back-off.
    c.advance(30)
    status = container(c)
    assert "waiting" in status["state"]
    assert status["state"]["waiting"]["reason"] == "CrashLoopBackOff"
    assert status["state"]["waiting"]["message"].startswith("back-off 10s restarting")
    uid = c.get("pod", "web")["metadata"]["uid"]
    back_off = f"Back-off restarting failed container app in pod web_default({uid})"
    assert reasons(c, "BackOff") == [(back_off, 1)]
    assert c.kubectl("get pod web").splitlines()[1].split()[1:3] == ["0/1", "CrashLoopBackOff"]
    c.advance(10)
    assert (container(c)["restartCount"], "running" in container(c)["state"]) == (2, True)
    c.advance(30)  # killed again: the window doubles
    waiting = container(c)["state"]["waiting"]
    assert waiting["message"].startswith("back-off 20s restarting")


def test_nginx_exits_cleanly_when_killed_and_never_is_not_restarted(c: Cluster) -> None:
    nginx = {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}
    probe = {"httpGet": {"path": "/", "port": 80}}
    c.create(pod_manifest({**nginx, "livenessProbe": probe}, restart="Never"))
    fail_probe(c, "liveness")
    c.advance(31)
    assert reasons(c, "Killing") == [("Container web failed liveness probe", 1)]
    pod = c.get("pod", "web")
    terminated = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (0, "Completed")
    assert pod["status"]["phase"] == "Succeeded"
    c.advance(60)  # the worker ended with the pod
    assert reasons(c, "Unhealthy") == [
        ("Liveness probe failed: HTTP probe failed with statuscode: 500", 3)
    ]


def test_a_kill_waits_no_longer_than_the_grace_period(c: Cluster) -> None:
    manifest = pod_manifest(agnhost(livenessProbe=HEALTHZ))
    manifest["spec"]["terminationGracePeriodSeconds"] = 0
    c.create(manifest)
    fail_probe(c, "liveness")
    c.advance(30)  # killed and restarted in the same instant
    assert container(c)["restartCount"] == 1


# -- startup -----------------------------------------------------------------------------------


def test_startup_gates_readiness_and_liveness(c: Cluster) -> None:
    startup = {**HEALTHZ, "failureThreshold": 30}
    c.create(
        pod_manifest(agnhost(startupProbe=startup, readinessProbe=HEALTHZ, livenessProbe=HEALTHZ))
    )
    fail_probe(c, "startup")
    fail_probe(c, "liveness")
    c.advance(20)
    status = container(c)
    assert (status["started"], status["ready"]) == (False, False)
    assert c.kubectl("get pod web").splitlines()[1].split()[1:3] == ["0/1", "Running"]
    startup_failed = ("Startup probe failed: HTTP probe failed with statuscode: 500", 2)
    assert unhealthy(c) == [startup_failed]  # liveness and readiness wait for the start
    fail_probe(c, "startup", failing=False)
    c.advance(10)  # the startup probe passes; readiness runs at once, liveness at its tick
    status = container(c)
    assert (status["started"], status["ready"]) == (True, True)
    assert sorted(unhealthy(c)) == [
        ("Liveness probe failed: HTTP probe failed with statuscode: 500", 1),
        startup_failed,
    ]


def test_a_startup_probe_that_keeps_failing_kills_the_container(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(startupProbe=HEALTHZ, readinessProbe=HEALTHZ)))
    fail_probe(c, "startup", status=503)
    c.advance(30)
    assert reasons(c, "Killing") == [("Container app failed startup probe, will be restarted", 1)]
    assert reasons(c, "Unhealthy") == [
        ("Startup probe failed: HTTP probe failed with statuscode: 503", 3)
    ]
    c.advance(1)
    status = container(c)
    assert (status["restartCount"], status["started"], status["ready"]) == (1, False, False)


# -- no probe, the end of a pod, refusals ------------------------------------------------------


def test_a_pod_without_probes_sets_no_timer(c: Cluster) -> None:
    timers = c.control_plane.timers
    before = timers.next_due()
    c.create(pod_manifest(agnhost()))
    assert timers.next_due() == before
    assert container(c)["ready"] is True


def test_a_deleted_pod_is_probed_no_more(c: Cluster) -> None:
    probe = {"tcpSocket": {"port": 9999}}
    ip = c.create(pod_manifest(agnhost(readinessProbe=probe)))["status"]["podIP"]
    c.delete("pod", "web")
    c.advance(60)
    refused = f"Readiness probe failed: dial tcp {ip}:9999: connect: connection refused"
    assert unhealthy(c) == [(refused, 1)]


def test_fail_probe_refusals_change_nothing(c: Cluster) -> None:
    c.create(pod_manifest(agnhost(readinessProbe=HEALTHZ)))
    plane = c.control_plane
    before = copy.deepcopy(plane.kubelets.prober.failing)
    with pytest.raises(KubenetError, match='unknown probe type "alive"'):
        fail_probe(c, "alive")
    with pytest.raises(BadRequest, match="container nope is not valid for pod web"):
        fail_probe(c, "readiness", container="nope")
    with pytest.raises(KubenetError, match='pod "web" has no livenessProbe'):
        fail_probe(c, "liveness")
    with pytest.raises(KubenetError, match="HTTP status 42 is out of range"):
        fail_probe(c, "readiness", status=42)
    assert plane.kubelets.prober.failing == before
