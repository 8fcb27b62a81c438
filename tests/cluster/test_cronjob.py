"""The CronJob controller on the simulated clock.

Pinned to kubernetes/kubernetes pkg/controller/cronjob/cronjob_controllerv2.go and utils.go
@ v1.33.0 (getJobName, getJobFromTemplate2, the events, cleanupFinishedJobs) and to
github.com/robfig/cron/v3 spec.go (Next, dayMatches).
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.cron_schedule import parse_schedule
from kubenet_nb.cluster.controllers.cronjob import SCHEDULED_TIMESTAMP, job_name

UTC = timezone.utc


def cronjob(name: str, schedule: str, command: list[str], **spec: object) -> dict:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name},
        "spec": {
            "schedule": schedule,
            **spec,
            "jobTemplate": {
                "metadata": {"labels": {"app": name}},
                "spec": {
                    "template": {
                        "spec": {
                            "containers": [{"name": name, "image": "busybox", "command": command}],
                            "restartPolicy": "OnFailure",
                        }
                    }
                },
            },
        },
    }


def jobs(c: ControlPlane) -> list[str]:
    return sorted(j["metadata"]["name"] for j in c.list("jobs"))


@pytest.fixture
def c() -> ControlPlane:
    return ControlPlane(workers=1)  # its clock reads 2025-01-01T00:05:00Z


def test_job_name_is_minutes_since_the_epoch() -> None:
    scheduled = datetime(2025, 1, 1, 0, 6, tzinfo=UTC)
    assert job_name("hello", scheduled) == f"hello-{int(scheduled.timestamp()) // 60}"


def test_every_minute_creates_a_job_per_minute_and_keeps_three(c: ControlPlane) -> None:
    c.create(cronjob("hello", "*/1 * * * *", ["date"]))
    assert jobs(c) == []
    c.advance(60.5)  # nextScheduleDelta: the sync comes 100ms after the activation
    first = job_name("hello", datetime(2025, 1, 1, 0, 6, tzinfo=UTC))
    assert jobs(c) == [first]
    job = c.get("job", first)
    assert job["metadata"]["annotations"][SCHEDULED_TIMESTAMP] == "2025-01-01T00:06:00Z"
    assert job["metadata"]["labels"]["app"] == "hello"
    ref = job["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref["controller"]) == ("CronJob", "hello", True)
    status = c.get("cronjob", "hello")["status"]
    assert status["lastScheduleTime"] == "2025-01-01T00:06:00Z"
    c.advance(300)
    assert len(jobs(c)) == 4  # the one just started, and successfulJobsHistoryLimit (3)
    c.advance(1)
    assert len(jobs(c)) == 3
    status = c.get("cronjob", "hello")["status"]
    assert status["lastScheduleTime"] == "2025-01-01T00:11:00Z"
    assert status["lastSuccessfulTime"] == "2025-01-01T00:11:01Z"
    events = [(e["reason"], e["message"]) for e in c.events_about("default", "hello")]
    assert events[:2] == [
        ("SuccessfulCreate", f"Created job {first}"),
        ("SawCompletedJob", f"Saw completed job: {first}, status: Complete"),
    ]
    assert ("SuccessfulDelete", f"Deleted job {first}") in events


def test_active_lists_the_running_job(c: ControlPlane) -> None:
    c.create(cronjob("long", "*/5 * * * *", ["sleep", "100"]))
    c.advance(300.5)
    active = c.get("cronjob", "long")["status"]["active"]
    assert [a["kind"] for a in active] == ["Job"]
    c.advance(120)
    assert "active" not in c.get("cronjob", "long")["status"]


def test_forbid_skips_a_run_while_one_is_active(c: ControlPlane) -> None:
    c.create(cronjob("solo", "* * * * *", ["sleep", "150"], concurrencyPolicy="Forbid"))
    c.advance(120.5)
    assert len(jobs(c)) == 1
    reasons = [e["reason"] for e in c.events_about("default", "solo")]
    assert "JobAlreadyActive" in reasons


def test_replace_deletes_the_active_job(c: ControlPlane) -> None:
    c.create(cronjob("fresh", "* * * * *", ["sleep", "150"], concurrencyPolicy="Replace"))
    c.advance(60.5)
    (first,) = jobs(c)
    c.advance(60)
    assert first not in jobs(c)
    assert len(jobs(c)) == 1


def test_allow_runs_jobs_side_by_side(c: ControlPlane) -> None:
    c.create(cronjob("many", "* * * * *", ["sleep", "150"]))
    c.advance(120.5)
    assert len(jobs(c)) == 2
    assert len(c.get("cronjob", "many")["status"]["active"]) == 2


def test_suspend_creates_nothing(c: ControlPlane) -> None:
    c.create(cronjob("off", "* * * * *", ["date"], suspend=True))
    c.advance(600)
    assert jobs(c) == []


def test_failed_history_keeps_one(c: ControlPlane) -> None:
    spec = cronjob("bad", "* * * * *", ["sh", "-c", "exit 1"])
    spec["spec"]["jobTemplate"]["spec"]["backoffLimit"] = 0
    c.create(spec)
    c.advance(300)
    conditions = [[k["type"] for k in j["status"].get("conditions", [])] for j in c.list("jobs")]
    assert sum("Failed" in kinds for kinds in conditions) == 1


def test_schedules_and_time_zones() -> None:
    start = datetime(2025, 1, 1, 0, 5, tzinfo=UTC)  # a Wednesday
    hourly = parse_schedule("@hourly", None)
    assert hourly is not None
    assert hourly.next(start) == datetime(2025, 1, 1, 1, 0, tzinfo=UTC)
    weekly = parse_schedule("30 9 * * mon", "Europe/Paris")
    assert weekly is not None
    assert weekly.next(start) == datetime(2025, 1, 6, 8, 30, tzinfo=UTC)
    # robfig/cron dayMatches: neither day field is `*`, so either may match
    either = parse_schedule("0 0 15 * fri", None)
    assert either is not None
    assert either.next(start) == datetime(2025, 1, 3, tzinfo=UTC)
    assert parse_schedule("@every 1h", None) is None
