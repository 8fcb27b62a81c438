"""`kubectl drain` through the eviction API, with PodDisruptionBudgets, on the simulated clock.

Pinned to kubernetes/kubectl pkg/drain/drain.go @ v0.33.0 (evictPods: `evicting pod` before
every attempt, a 429 retried after 5s, the global timeout checked before each attempt) and
pkg/cmd/drain/drain.go @ v0.33.0 (deleteOrEvictPodsSimple, RunDrain), and to an observed
`kubectl drain kind-worker --ignore-daemonsets --timeout=7s` of kubectl v1.33.1.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.commands.evictions import QUIET_SECONDS, go_duration
from kubenet_nb.kubectl.main import execute

RETRY = (
    'error when evicting pods/"{}" -n "default" (will retry after 5s): Cannot evict pod as it '
    "would violate the pod's disruption budget."
)


def _cluster(replicas: int, **budget: object) -> Cluster:
    c = Cluster()
    c.kubectl(f"create deployment web --image=nginx --replicas={replicas}")
    c.advance(30)
    c.create(
        {
            "apiVersion": "policy/v1",
            "kind": "PodDisruptionBudget",
            "metadata": {"name": "web-pdb"},
            "spec": {**budget, "selector": {"matchLabels": {"app": "web"}}},
        }
    )
    return c


def _on(c: Cluster, node: str) -> list[str]:
    return [
        p["metadata"]["name"]
        for p in c.list("pods", selector="app=web")
        if p["spec"]["nodeName"] == node
    ]


def _daemon_pods(c: Cluster, node: str) -> str:
    return ", ".join(
        f"kube-system/{p['metadata']['name']}"
        for p in c.list("pods", "kube-system")
        if p["spec"]["nodeName"] == node
    )


def test_a_blocked_eviction_retries_until_the_timeout() -> None:
    c = _cluster(2, minAvailable=2)
    [pod] = _on(c, "kind-worker")
    start = c.now
    terminal = execute(c.control_plane, "drain kind-worker --ignore-daemonsets --timeout=7s")
    # attempts at 0s, 5s and 10s; the third finds the 7s deadline passed
    assert terminal.stdout == ("node/kind-worker cordoned\n" + f"evicting pod default/{pod}\n" * 3)
    timeout = f'error when evicting pods/"{pod}" -n "default": global timeout reached: 7s'
    assert terminal.stderr == (
        f"Warning: ignoring DaemonSet-managed Pods: {_daemon_pods(c, 'kind-worker')}\n"
        f"{RETRY.format(pod)}\n"
        f"{RETRY.format(pod)}\n"
        f'There are pending pods in node "kind-worker" when an error occurred: {timeout}\n'
        f"pod/{pod}\n"
        f'error: unable to drain node "kind-worker" due to error: {timeout}, continuing '
        "command...\n"
        "There are pending nodes to be drained:\n"
        " kind-worker\n"
        f"{timeout}\n"
    )
    assert terminal.output().exit_code == 1
    assert (c.now - start).total_seconds() == 10
    assert c.get("pod", pod)["metadata"].get("deletionTimestamp") is None
    assert c.get("node", "kind-worker")["spec"]["unschedulable"] is True


def test_a_budget_lets_pods_go_one_at_a_time() -> None:
    # maxUnavailable 1: the evictions sent together get one disruption; the other is refused
    # and succeeds 5s later, once the first pod's replacement is ready elsewhere.
    c = _cluster(4, maxUnavailable=1)
    first, second = _on(c, "kind-worker")
    terminal = execute(c.control_plane, "drain kind-worker --ignore-daemonsets")
    assert terminal.stdout == (
        "node/kind-worker cordoned\n"
        f"evicting pod default/{first}\n"
        f"evicting pod default/{second}\n"
        f"pod/{first} evicted\n"
        f"evicting pod default/{second}\n"
        f"pod/{second} evicted\n"
        "node/kind-worker drained\n"
    )
    assert terminal.stderr.splitlines()[1:] == [RETRY.format(second)]
    assert _on(c, "kind-worker") == []
    assert len(_on(c, "kind-worker2")) == 4


def test_without_a_timeout_the_drain_gives_up_when_nothing_can_change() -> None:
    c = _cluster(1, minAvailable=1)
    [pod] = [p["metadata"]["name"] for p in c.list("pods", selector="app=web")]
    node = c.get("pod", pod)["spec"]["nodeName"]
    start = c.now
    terminal = execute(c.control_plane, f"drain {node} --ignore-daemonsets")
    lines = terminal.stderr.splitlines()
    assert lines[-1] == (
        f"kubenet: nothing in the cluster changed for {go_duration(QUIET_SECONDS)} of simulated "
        "time, so no disruption budget can allow these evictions; kubectl would retry forever "
        "(give drain a --timeout)"
    )
    retries = QUIET_SECONDS // 5 + 1
    assert lines[1:-1] == [RETRY.format(pod)] * retries
    assert terminal.stdout.count("evicting pod") == retries
    assert (c.now - start).total_seconds() == QUIET_SECONDS
    assert terminal.output().exit_code == 1


def test_disable_eviction_deletes_past_the_budget() -> None:
    # deletePods: no `evicting pod` lines, `pod/NAME deleted` once gone.
    c = _cluster(2, minAvailable=2)
    [pod] = _on(c, "kind-worker")
    terminal = execute(c.control_plane, "drain kind-worker --ignore-daemonsets --disable-eviction")
    assert terminal.stdout == (
        f"node/kind-worker cordoned\npod/{pod} deleted\nnode/kind-worker drained\n"
    )


def test_an_invalid_timeout_is_refused_before_cordoning() -> None:
    c = _cluster(2, minAvailable=1)
    with pytest.raises(KubectlError) as refused:
        execute(c.control_plane, "drain kind-worker --timeout=soon")
    assert str(refused.value) == (
        'error: invalid argument "soon" for "--timeout" flag: time: invalid duration "soon"'
    )
    assert "unschedulable" not in c.get("node", "kind-worker")["spec"]


def test_go_durations() -> None:
    assert [go_duration(s) for s in (7, 60, 90, 3600, 1.5, 0.25)] == [
        "7s",
        "1m0s",
        "1m30s",
        "1h0m0s",
        "1.5s",
        "250ms",
    ]
