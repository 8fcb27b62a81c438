"""`kubectl describe` for Jobs and CronJobs (describe/batch.py)."""

from __future__ import annotations

from kubenet_nb import Cluster

TEMPLATE = {
    "spec": {
        "restartPolicy": "Never",
        "containers": [{"name": "pi", "image": "perl", "command": ["perl", "-e", "print 1"]}],
    }
}


def test_job() -> None:
    # describe.go describeJob; the spec's optional fields print only when set (suspend is
    # defaulted to false by the API server).
    c = Cluster()
    c.create(
        {
            "apiVersion": "batch/v1",
            "kind": "Job",
            "metadata": {"name": "pi"},
            "spec": {
                "parallelism": 2,
                "completions": 4,
                "completionMode": "Indexed",
                "backoffLimit": 6,
                "activeDeadlineSeconds": 60,
                "ttlSecondsAfterFinished": 100,
                "template": TEMPLATE,
            },
        }
    )
    text = c.kubectl("describe job pi")
    assert text.startswith("Name:                        pi\n")
    assert (
        "Parallelism:                 2\n"
        "Completions:                 4\n"
        "Completion Mode:             Indexed\n"
        "Suspend:                     false\n"
        "Backoff Limit:               6\n"
        "TTL Seconds After Finished:  100\n"
        "Start Time:                  Wed, 01 Jan 2025 00:05:00 +0000\n"
        "Active Deadline Seconds:     60s\n"
        "Pods Statuses:               2 Active (2 Ready) / 0 Succeeded / 0 Failed\n"
        "Completed Indexes:           <none>\n"
        "Pod Template:\n"
    ) in text
    # The job controller started indexes 0 and 1 (parallelism 2): one event per pod.
    events = text.split("Events:\n", 1)[1].splitlines()[2:]
    assert [line.split()[1] for line in events] == ["SuccessfulCreate", "SuccessfulCreate"]
    assert [line.split()[-1][: len("pi-0-")] for line in events] == ["pi-0-", "pi-1-"]


def test_cronjob() -> None:
    # describe.go describeCronJob: unset fields print <unset> (the API server defaults the
    # failed-jobs history limit to 1).
    c = Cluster()
    c.create(
        {
            "apiVersion": "batch/v1",
            "kind": "CronJob",
            "metadata": {"name": "hello"},
            "spec": {
                "schedule": "*/1 * * * *",
                "concurrencyPolicy": "Forbid",
                "suspend": False,
                "successfulJobsHistoryLimit": 3,
                "jobTemplate": {"spec": {"template": TEMPLATE}},
            },
        }
    )
    text = c.kubectl("describe cronjob hello --show-events=false")
    assert text.startswith(
        "Name:                          hello\n"
        "Namespace:                     default\n"
        "Labels:                        <none>\n"
        "Annotations:                   <none>\n"
        "Schedule:                      */1 * * * *\n"
        "Concurrency Policy:            Forbid\n"
        "Suspend:                       False\n"
        "Successful Job History Limit:  3\n"
        "Failed Job History Limit:      1\n"
        "Starting Deadline Seconds:     <unset>\n"
        "Selector:                      <unset>\n"
        "Parallelism:                   <unset>\n"
        "Completions:                   <unset>\n"
        "Pod Template:\n"
    )
    assert text.endswith("Last Schedule Time:  <unset>\nActive Jobs:         <none>")
