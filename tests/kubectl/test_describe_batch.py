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
        "Active Deadline Seconds:     60s\n"
        "Pods Statuses:               0 Active / 0 Succeeded / 0 Failed\n"
        "Completed Indexes:           <none>\n"
        "Pod Template:\n"
    ) in text
    # The template's lines and the events line share one tabwriter block.
    assert text.endswith("  Tolerations:     <none>\nEvents:            <none>")


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
