"""Pod, Deployment and ReplicaSet table cells, checked against kubernetes/kubernetes
pkg/printers/internalversion/printers.go (printPod, printDeployment, printReplicaSet)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubenet_nb.kubectl.printers.columns import table_for

NOW = datetime(2025, 1, 1, 1, 0, 0, tzinfo=timezone.utc)
CREATED = "2025-01-01T00:00:00Z"


def row(kind: str, obj: dict) -> list:
    obj = {
        "metadata": {
            "name": "x",
            "namespace": "default",
            "creationTimestamp": CREATED,
            **obj.pop("metadata", {}),
        },
        **obj,
    }
    return table_for(kind, [obj], NOW).rows[0]


def headers(kind: str) -> list[tuple[str, int]]:
    return [(c.name.upper(), c.priority) for c in table_for(kind, [], NOW).columns]


def running(name: str = "c", ready: bool = True, restarts: int = 0, **extra: object) -> dict:
    return {
        "name": name,
        "ready": ready,
        "restartCount": restarts,
        "state": {"running": {"startedAt": CREATED}},
        **extra,
    }


def pod(
    statuses: list[dict], phase: str = "Running", containers: int = 1, **status: object
) -> dict:
    return {
        "spec": {
            "containers": [{"name": f"c{i}"} for i in range(containers)],
            "nodeName": "kind-worker",
        },
        "status": {
            "phase": phase,
            "podIPs": [{"ip": "10.244.1.5"}],
            "containerStatuses": statuses,
            **status,
        },
    }


def test_pod_columns() -> None:
    assert headers("Pod") == [
        ("NAME", 0),
        ("READY", 0),
        ("STATUS", 0),
        ("RESTARTS", 0),
        ("AGE", 0),
        ("IP", 1),
        ("NODE", 1),
        ("NOMINATED NODE", 1),
        ("READINESS GATES", 1),
    ]


def test_running_pod_row() -> None:
    assert row("Pod", pod([running()])) == [
        "x",
        "1/1",
        "Running",
        "0",
        "60m",
        "10.244.1.5",
        "kind-worker",
        "<none>",
        "<none>",
    ]


def test_pending_unscheduled_pod() -> None:
    cells = row("Pod", {"spec": {"containers": [{"name": "c"}]}, "status": {"phase": "Pending"}})
    assert cells[1:4] == ["0/1", "Pending", "0"]
    assert cells[5:7] == ["<none>", "<none>"]


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ({"waiting": {"reason": "ContainerCreating"}}, "ContainerCreating"),
        ({"waiting": {"reason": "CrashLoopBackOff"}}, "CrashLoopBackOff"),
        ({"terminated": {"reason": "Completed", "exitCode": 0}}, "Completed"),
        ({"terminated": {"exitCode": 0, "signal": 9}}, "Signal:9"),
        ({"terminated": {"exitCode": 2}}, "ExitCode:2"),
    ],
)
def test_container_state_sets_status(state: dict, status: str) -> None:
    statuses = [{"name": "c", "ready": False, "restartCount": 0, "state": state}]
    assert row("Pod", pod(statuses))[1:3] == ["0/1", status]


def test_restarts_show_when_the_last_one_finished() -> None:
    last = {"terminated": {"exitCode": 1, "finishedAt": "2025-01-01T00:59:30Z"}}
    statuses = [running(restarts=5, lastState=last)]
    assert row("Pod", pod(statuses))[3] == "5 (30s ago)"


def test_terminating_and_unknown() -> None:
    deleting = {"metadata": {"deletionTimestamp": "2025-01-01T01:00:30Z"}}
    assert row("Pod", {**pod([running()]), **deleting})[2] == "Terminating"
    done = pod([{"name": "c", "state": {"terminated": {"reason": "Completed"}}}], "Succeeded")
    assert row("Pod", {**done, **deleting})[2] == "Completed"
    lost = pod([running()], reason="NodeLost")
    assert row("Pod", {**lost, **deleting})[2] == "Unknown"


def test_status_reason_and_scheduling_gates() -> None:
    assert row("Pod", pod([], "Failed", reason="Evicted"))[2] == "Evicted"
    gated = {
        "spec": {"containers": [{"name": "c"}]},
        "status": {
            "phase": "Pending",
            "conditions": [
                {"type": "PodScheduled", "status": "False", "reason": "SchedulingGated"}
            ],
        },
    }
    assert row("Pod", gated)[2] == "SchedulingGated"


def _init(state: dict, name: str = "init") -> dict:
    return {"name": name, "restartCount": 0, "state": state}


@pytest.mark.parametrize(
    ("state", "status"),
    [
        ({"waiting": {"reason": "ErrImagePull"}}, "Init:ErrImagePull"),
        ({"waiting": {"reason": "PodInitializing"}}, "Init:0/2"),
        ({"running": {}}, "Init:0/2"),
        ({"terminated": {"reason": "Error", "exitCode": 1}}, "Init:Error"),
        ({"terminated": {"exitCode": 3}}, "Init:ExitCode:3"),
    ],
)
def test_init_containers(state: dict, status: str) -> None:
    obj = pod([], "Pending", initContainerStatuses=[_init(state)])
    obj["spec"]["initContainers"] = [{"name": "init"}, {"name": "init2"}]
    assert row("Pod", obj)[2] == status


def test_second_init_container_running() -> None:
    done = _init({"terminated": {"exitCode": 0}})
    obj = pod([], "Pending", initContainerStatuses=[done, _init({"running": {}}, "init2")])
    obj["spec"]["initContainers"] = [{"name": "init"}, {"name": "init2"}]
    assert row("Pod", obj)[2] == "Init:1/2"


def test_sidecar_counts_in_ready_total() -> None:
    # A restartable init container (restartPolicy Always) is a container of the total; a started
    # and ready one is counted ready even while the main container is not.
    obj = pod(
        [running(ready=False)],
        initContainerStatuses=[
            {
                "name": "proxy",
                "ready": True,
                "started": True,
                "restartCount": 0,
                "state": {"running": {}},
            }
        ],
        conditions=[{"type": "Initialized", "status": "True"}],
    )
    obj["spec"]["initContainers"] = [{"name": "proxy", "restartPolicy": "Always"}]
    assert row("Pod", obj)[1:3] == ["1/2", "Running"]


def test_completed_with_a_container_still_running() -> None:
    statuses = [running("b"), {"name": "a", "state": {"terminated": {"reason": "Completed"}}}]
    ready = pod(statuses, containers=2, conditions=[{"type": "Ready", "status": "True"}])
    assert row("Pod", ready)[1:3] == ["1/2", "Running"]
    assert row("Pod", pod(statuses, containers=2))[2] == "NotReady"


def test_readiness_gates() -> None:
    obj = pod(
        [running()], conditions=[{"type": "a", "status": "True"}, {"type": "b", "status": "False"}]
    )
    obj["spec"]["readinessGates"] = [{"conditionType": "a"}, {"conditionType": "b"}]
    assert row("Pod", obj)[8] == "1/2"


def test_deployment_and_replicaset_cells() -> None:
    template = {
        "spec": {"containers": [{"name": "a", "image": "nginx"}, {"name": "b", "image": "redis"}]}
    }
    deploy = {
        "spec": {"replicas": 3, "template": template, "selector": {"matchLabels": {"app": "web"}}},
        "status": {"readyReplicas": 2, "updatedReplicas": 3, "availableReplicas": 2},
    }
    assert row("Deployment", deploy) == ["x", "2/3", 3, 2, "60m", "a,b", "nginx,redis", "app=web"]
    rs = {"spec": {"replicas": 2, "template": template, "selector": {}}, "status": {"replicas": 2}}
    assert row("ReplicaSet", rs) == ["x", 2, 2, 0, "60m", "a,b", "nginx,redis", "<none>"]
