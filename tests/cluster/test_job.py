"""The Job controller and containers that run to completion, on the simulated clock.

Pinned to kubernetes/kubernetes pkg/controller/job/job_controller.go and backoff_utils.go
@ v1.33.0 (conditions, events, back-off), and the Job example of the documentation
(website content/en/docs/concepts/workloads/controllers/job.md: `perl -Mbignum=bpi -wle 'print
bpi(2000)'`).
"""

from __future__ import annotations

from datetime import datetime

import pytest

from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.job import (
    COMPLETION_INDEX,
    TRACKING_FINALIZER,
    backoff_seconds,
    format_indexes,
)
from kubenet_nb.cluster.images.commands import command_run, pi_digits

PI = ["perl", "-Mbignum=bpi", "-wle", "print bpi(2000)"]


def job(name: str, command: list[str], **spec: object) -> dict:
    restart = spec.pop("restartPolicy", "Never")
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name},
        "spec": {
            **spec,
            "template": {
                "spec": {
                    "containers": [{"name": name, "image": "busybox", "command": command}],
                    "restartPolicy": restart,
                }
            },
        },
    }


def pods_of(c: ControlPlane, name: str) -> list[dict]:
    return c.list("pods", selector=f"batch.kubernetes.io/job-name={name}")


def reasons(c: ControlPlane, name: str) -> list[tuple[str, str, str]]:
    return [(e["type"], e["reason"], e["message"]) for e in c.events_about("default", name)]


@pytest.fixture
def c() -> ControlPlane:
    return ControlPlane(workers=1)


def test_pi_job_runs_one_pod_to_completion(c: ControlPlane) -> None:
    c.create(job("pi", PI))
    (pod,) = pods_of(c, "pi")
    meta = pod["metadata"]
    assert meta["name"].startswith("pi-")
    assert len(meta["name"]) == len("pi-") + 5
    uid = c.get("job", "pi")["metadata"]["uid"]
    # job_controller.go: the four selector labels, the tracking finalizer, the controller ref
    assert meta["labels"] == {
        "batch.kubernetes.io/controller-uid": uid,
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": uid,
        "job-name": "pi",
    }
    assert meta["finalizers"] == [TRACKING_FINALIZER]
    assert meta["ownerReferences"][0]["kind"] == "Job"
    c.advance(10)
    pod = c.get("pod", meta["name"])
    assert pod["status"]["phase"] == "Succeeded"
    assert "finalizers" not in pod["metadata"]
    terminated = pod["status"]["containerStatuses"][0]["state"]["terminated"]
    assert (terminated["exitCode"], terminated["reason"]) == (0, "Completed")
    status = c.get("job", "pi")["status"]
    assert status["succeeded"] == 1
    assert "active" not in status
    assert "failed" not in status
    assert (status["ready"], status["terminating"], status["uncountedTerminatedPods"]) == (0, 0, {})
    assert [(k["type"], k["reason"]) for k in status["conditions"]] == [
        ("SuccessCriteriaMet", "CompletionsReached"),
        ("Complete", "CompletionsReached"),
    ]
    assert status["completionTime"] == status["conditions"][1]["lastTransitionTime"]
    assert reasons(c, "pi") == [
        ("Normal", "SuccessfulCreate", f"Created pod: {meta['name']}"),
        ("Normal", "Completed", "Job completed"),
    ]


def test_completions_and_parallelism(c: ControlPlane) -> None:
    c.create(job("work", ["sleep", "5"], completions=5, parallelism=2))
    assert len(pods_of(c, "work")) == 2
    assert c.get("job", "work")["status"]["active"] == 2
    c.advance(6)
    status = c.get("job", "work")["status"]
    assert (status["succeeded"], status["active"]) == (2, 2)
    c.advance(12)
    status = c.get("job", "work")["status"]
    assert status["succeeded"] == 5
    assert len(pods_of(c, "work")) == 5
    assert status["conditions"][-1]["type"] == "Complete"


def test_failed_pods_are_replaced_after_a_doubling_back_off_until_the_limit(
    c: ControlPlane,
) -> None:
    c.create(job("fail", ["sh", "-c", "exit 1"], backoffLimit=2))
    c.advance(1)  # the container exits; the pod is Failed and counted
    status = c.get("job", "fail")["status"]
    assert status["failed"] == 1
    assert len(pods_of(c, "fail")) == 1
    c.advance(9.5)  # backoff_utils.go: 10s after the first failure
    assert len(pods_of(c, "fail")) == 1
    c.advance(0.5)
    assert len(pods_of(c, "fail")) == 2
    c.advance(1 + 19.5)  # second failure, then 20s
    assert len(pods_of(c, "fail")) == 2
    c.advance(0.5)
    assert len(pods_of(c, "fail")) == 3
    c.advance(1)  # third failure: failed (3) > backoffLimit (2)
    status = c.get("job", "fail")["status"]
    assert status["failed"] == 3
    assert [(k["type"], k["reason"], k["message"]) for k in status["conditions"]] == [
        ("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
        ("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit"),
    ]
    assert "completionTime" not in status
    assert reasons(c, "fail")[-1] == (
        "Warning",
        "BackoffLimitExceeded",
        "Job has reached the specified backoff limit",
    )
    c.advance(3600)
    assert len(pods_of(c, "fail")) == 3


def test_backoff_doubles_to_ten_minutes() -> None:
    # job_controller.go DefaultJobPodFailureBackOff 10s, MaxJobPodFailureBackOff 10m @ v1.33.0
    assert [backoff_seconds(n) for n in range(1, 9)] == [10, 20, 40, 80, 160, 320, 600, 600]


def test_on_failure_restarts_in_place_and_counts_restarts(c: ControlPlane) -> None:
    c.create(job("retry", ["sh", "-c", "exit 2"], backoffLimit=2, restartPolicy="OnFailure"))
    (pod,) = pods_of(c, "retry")
    c.advance(2.5)  # exit at 1s, relist restart at 2s
    pod = c.get("pod", pod["metadata"]["name"])
    statuses = pod["status"]["containerStatuses"][0]
    assert statuses["restartCount"] == 1
    assert statuses["lastState"]["terminated"]["exitCode"] == 2
    c.advance(60)
    status = c.get("job", "retry")["status"]
    # pastBackoffLimitOnFailure: restarts >= backoffLimit fails the Job, its pod deleted
    assert status["conditions"][-1]["type"] == "Failed"
    assert pods_of(c, "retry") == []


def test_indexed_job_gives_each_pod_its_index(c: ControlPlane) -> None:
    c.create(job("idx", ["sleep", "2"], completions=3, parallelism=3, completionMode="Indexed"))
    pods = sorted(pods_of(c, "idx"), key=lambda p: p["metadata"]["name"])
    indexes = sorted(p["metadata"]["annotations"][COMPLETION_INDEX] for p in pods)
    assert indexes == ["0", "1", "2"]
    for pod in pods:
        index = pod["metadata"]["labels"][COMPLETION_INDEX]
        assert pod["metadata"]["name"].startswith(f"idx-{index}-")
        assert pod["spec"]["hostname"] == f"idx-{index}"
        env = pod["spec"]["containers"][0]["env"]
        assert env[0]["name"] == "JOB_COMPLETION_INDEX"
    c.advance(3)
    status = c.get("job", "idx")["status"]
    assert status["completedIndexes"] == "0-2"
    assert status["succeeded"] == 3


def test_active_deadline_fails_the_job_and_deletes_its_pods(c: ControlPlane) -> None:
    c.create(job("slow", ["sleep", "600"], activeDeadlineSeconds=30))
    c.advance(29)
    assert len(pods_of(c, "slow")) == 1
    c.advance(1)
    status = c.get("job", "slow")["status"]
    assert status["conditions"][0]["reason"] == "DeadlineExceeded"
    assert status["conditions"][0]["type"] == "FailureTarget"
    assert len(status["conditions"]) == 1  # Failed waits for the pod to terminate
    c.advance(2)
    status = c.get("job", "slow")["status"]
    assert [k["type"] for k in status["conditions"]] == ["FailureTarget", "Failed"]
    assert status["conditions"][1]["message"] == "Job was active longer than specified deadline"
    assert status["failed"] == 1  # isPodFailed: deleted before it succeeded
    assert pods_of(c, "slow") == []


def test_ttl_after_finished_deletes_the_job(c: ControlPlane) -> None:
    c.create(job("brief", ["true"], ttlSecondsAfterFinished=20))
    c.advance(5)
    assert c.get("job", "brief")["status"]["succeeded"] == 1
    c.advance(20)
    assert [j["metadata"]["name"] for j in c.list("jobs")] == []


def test_a_pod_that_does_not_end_keeps_the_job_running(c: ControlPlane) -> None:
    c.create(job("server", ["sleep", "infinity"]))
    c.advance(3600)
    assert c.get("job", "server")["status"]["active"] == 1


def test_runs_are_known_only_for_commands_that_end() -> None:
    moment = datetime(2025, 1, 1, 0, 5)
    assert command_run(["sh", "-c", "false || echo rescued"], moment, "p").output == ("rescued",)
    assert command_run(["sh", "-c", "false && echo no"], moment, "p").code == 1
    assert command_run(["sleep", "1m", "30"], moment, "p").seconds == 90
    assert command_run(["date"], moment, "p").output == ("Wed Jan  1 00:05:00 UTC 2025",)
    assert command_run(["sh", "-c", "while true; do sleep 1; done"], moment, "p") is None
    assert command_run(["nginx"], moment, "p") is None
    assert command_run(PI, moment, "p").output[0].startswith("3.14159265358979323846")
    assert len(pi_digits(2000)) == 2001  # 2,000 digits and the point


def test_format_indexes() -> None:
    assert format_indexes({3, 0, 1}) == "0-1,3"


def test_suspend_deletes_the_pods_and_resuming_restarts_the_clock(c: ControlPlane) -> None:
    c.create(job("later", ["sleep", "30"], suspend=True))
    assert pods_of(c, "later") == []
    status = c.get("job", "later")["status"]
    assert "startTime" not in status
    assert [(k["type"], k["status"], k["reason"]) for k in status["conditions"]] == [
        ("Suspended", "True", "JobSuspended")
    ]
    c.advance(60)
    resumed = c.get("job", "later")
    resumed["spec"]["suspend"] = False
    c.update(resumed)
    status = c.get("job", "later")["status"]
    assert status["startTime"] == "2025-01-01T00:06:00Z"
    assert status["conditions"][0]["status"] == "False"
    assert status["conditions"][0]["reason"] == "JobResumed"
    assert len(pods_of(c, "later")) == 1
    assert [e["reason"] for e in c.events_about("default", "later")] == [
        "Suspended",
        "Resumed",
        "SuccessfulCreate",
    ]


def test_a_deleted_pod_counts_as_failed_and_is_replaced(c: ControlPlane) -> None:
    c.create(job("gone", ["sleep", "600"]))
    (pod,) = pods_of(c, "gone")
    c.delete("pod", pod["metadata"]["name"])
    # podReplacementPolicy TerminatingOrFailed: the replacement waits out the back-off only
    status = c.get("job", "gone")["status"]
    assert status["failed"] == 1
    assert status["terminating"] == 1
    c.advance(10)
    names = [p["metadata"]["name"] for p in pods_of(c, "gone")]
    assert len(names) == 1
    assert names != [pod["metadata"]["name"]]


def test_a_bare_pod_that_ends_is_restarted_as_its_policy_says(c: ControlPlane) -> None:
    pod = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "once"},
        "spec": {"containers": [{"name": "c", "image": "busybox", "args": ["sleep", "5"]}]},
    }
    c.create(pod)
    c.advance(5)
    state = c.get("pod", "once")["status"]["containerStatuses"][0]["state"]
    assert state["terminated"]["reason"] == "Completed"  # restartPolicy Always: back at relist
    c.advance(1)
    status = c.get("pod", "once")["status"]
    assert status["phase"] == "Running"
    assert status["containerStatuses"][0]["restartCount"] == 1
