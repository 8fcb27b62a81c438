"""`kubectl create job|cronjob` and `kubectl get jobs|cronjobs` against a running cluster.

The built objects follow k8s.io/kubectl pkg/cmd/create/create_job.go and create_cronjob.go
@ v0.33.0 (createJob, createJobFromCronJob, createCronJob, Validate); the columns
kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0 (printJob,
printCronJob).
"""

from __future__ import annotations

import pytest
import yaml

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.kubectl.commands.create_batch import INSTANTIATE, build_cronjob, build_job
from kubenet_nb.kubectl.main import run_kubectl

PI = "-- perl -Mbignum=bpi -wle 'print bpi(2000)'"


@pytest.fixture
def c() -> ControlPlane:
    return ControlPlane(workers=1)


def test_create_job_runs_the_docs_pi_example(c: ControlPlane) -> None:
    assert run_kubectl(c, f"create job pi --image=perl:5.34.0 {PI}") == "job.batch/pi created\n"
    c.advance(10)
    lines = run_kubectl(c, "get jobs").splitlines()
    assert lines[0].split() == ["NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE"]
    assert lines[1].split() == ["pi", "Complete", "1/1", "5s", "10s"]
    pods = run_kubectl(c, "get pods").splitlines()
    assert pods[1].split()[1:4] == ["0/1", "Completed", "0"]


def test_a_failing_job_shows_error_pods_then_failed(c: ControlPlane) -> None:
    run_kubectl(c, "create job boom --image=busybox -- sh -c 'exit 1'")
    c.advance(2)
    pods = run_kubectl(c, "get pods").splitlines()
    assert pods[1].split()[1:3] == ["0/1", "Error"]
    c.advance(3600)
    assert run_kubectl(c, "get jobs").splitlines()[1].split()[:3] == ["boom", "Failed", "0/1"]


def test_built_job_is_what_kubectl_sends() -> None:
    built = build_job("pi", "perl:5.34.0", ["perl", "-v"])
    assert built["spec"]["template"]["spec"] == {
        "containers": [
            {"name": "pi", "image": "perl:5.34.0", "command": ["perl", "-v"], "resources": {}}
        ],
        "restartPolicy": "Never",
    }
    assert built["metadata"] == {"name": "pi", "creationTimestamp": None}


def test_create_job_dry_run_yaml(c: ControlPlane) -> None:
    out = run_kubectl(c, "create job hi --image=busybox --dry-run=client -o yaml -- echo hi")
    obj = yaml.safe_load(out)
    assert (obj["apiVersion"], obj["kind"], obj["status"]) == ("batch/v1", "Job", {})
    assert obj["spec"]["template"]["spec"]["restartPolicy"] == "Never"
    assert c.list("jobs") == []


def test_create_job_needs_image_or_from(c: ControlPlane) -> None:
    with pytest.raises(KubectlError, match="either --image or --from must be specified"):
        run_kubectl(c, "create job x")
    with pytest.raises(KubectlError, match="either --image or --from must be specified"):
        run_kubectl(c, "create job x --image=busybox --from=cronjob/y")
    with pytest.raises(KubectlError, match="cannot specify --from and command"):
        run_kubectl(c, "create job x --from=cronjob/y -- date")


def test_create_cronjob_and_a_job_from_it(c: ControlPlane) -> None:
    out = run_kubectl(c, "create cronjob hello --image=busybox --schedule='*/1 * * * *' -- date")
    assert out == "cronjob.batch/hello created\n"
    cj = c.get("cronjob", "hello")
    assert cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"
    lines = run_kubectl(c, "get cronjobs").splitlines()
    assert lines[0].split() == [
        "NAME",
        "SCHEDULE",
        "TIMEZONE",
        "SUSPEND",
        "ACTIVE",
        "LAST",
        "SCHEDULE",
        "AGE",
    ]
    assert lines[1].split() == [
        "hello",
        "*/1",
        "*",
        "*",
        "*",
        "*",
        "<none>",
        "False",
        "0",
        "<none>",
        "0s",
    ]
    assert run_kubectl(c, "create job manual --from=cronjob/hello") == "job.batch/manual created\n"
    job = c.get("job", "manual")
    assert job["metadata"]["annotations"] == {INSTANTIATE: "manual"}
    ref = job["metadata"]["ownerReferences"][0]
    assert (ref["kind"], ref["name"], ref.get("blockOwnerDeletion")) == ("CronJob", "hello", None)
    c.advance(61)
    lines = run_kubectl(c, "get cronjobs").splitlines()
    assert lines[1].split()[-2:] == ["1s", "61s"]


def test_create_cronjob_requires_image_and_schedule(c: ControlPlane) -> None:
    with pytest.raises(KubectlError, match='required flag\\(s\\) "image", "schedule" not set'):
        run_kubectl(c, "create cronjob hello")


def test_built_cronjob_is_what_kubectl_sends() -> None:
    built = build_cronjob("hello", "busybox", "*/1 * * * *", ["date"])
    template = built["spec"]["jobTemplate"]
    assert template["metadata"] == {"name": "hello", "creationTimestamp": None}
    assert template["spec"]["template"]["spec"]["restartPolicy"] == "OnFailure"


CRONJOB_YAML = """apiVersion: batch/v1
kind: CronJob
metadata:
  creationTimestamp: null
  name: hello
spec:
  jobTemplate:
    metadata:
      creationTimestamp: null
      name: hello
    spec:
      template:
        metadata:
          creationTimestamp: null
        spec:
          containers:
          - command:
            - date
            image: busybox
            name: hello
            resources: {}
          restartPolicy: OnFailure
  schedule: '*/1 * * * *'
status: {}
"""
"""kubectl v1.33.1 `create cronjob hello --image=busybox --schedule='*/1 * * * *'
--dry-run=client -o yaml -- date`."""


def test_create_cronjob_dry_run_prints_what_kubectl_prints(c: ControlPlane) -> None:
    command = "create cronjob hello --image=busybox --schedule='*/1 * * * *' --dry-run=client"
    assert run_kubectl(c, f"{command} -o yaml -- date") == CRONJOB_YAML
    assert c.list("cronjobs") == []
