"""Jobs and CronJobs through the public face: defaults, the schedule parser, the job template.

Sources: kubernetes/kubernetes pkg/apis/batch/v1/defaults.go, pkg/registry/batch/job/strategy.go
and pkg/apis/batch/validation/validation.go @ v1.33.0; cases after validation_test.go
(TestValidateJob: "restartPolicy Always"/"restartPolicy empty", "negative parallelism",
"negative completions", "negative activeDeadlineSeconds", "negative backoffLimit";
TestValidateCronJob: "spec.schedule: cron misformat", "spec.schedule: Required",
"spec.concurrencyPolicy: Unsupported", "spec.jobTemplate.spec.manualSelector: Unsupported",
"metadata.name: must be no more than 52 characters", "spec.timeZone: ...") and robfig/cron/v3
parser.go for the parser's own error texts.
"""

from __future__ import annotations

import copy

import pytest
from rules_helpers import as_stored, refusal

from kubenet_nb import Cluster
from kubenet_nb.api.batch.cron import CronError, parse_standard
from kubenet_nb.api.batch.job import default_job, validate_job

CONTAINERS = [{"name": "main", "image": "busybox"}]


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def job(name: str = "pi", restart: str | None = "Never", **spec: object) -> dict:
    pod: dict = {"containers": copy.deepcopy(CONTAINERS)}
    if restart is not None:
        pod["restartPolicy"] = restart
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {"template": {"spec": pod}, **spec},
    }


def cronjob(name: str = "backup", schedule: str = "*/5 * * * *", **spec: object) -> dict:
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": {"name": name, "namespace": "default"},
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "spec": {
                    "template": {"spec": {"restartPolicy": "OnFailure", "containers": CONTAINERS}}
                }
            },
            **spec,
        },
    }


def test_job_defaults(cluster: Cluster) -> None:
    stored = as_stored(cluster, job())
    spec = stored["spec"]
    assert {k: spec[k] for k in spec if k not in ("template", "selector")} == {
        "completions": 1,
        "parallelism": 1,
        "backoffLimit": 6,
        "completionMode": "NonIndexed",
        "suspend": False,
        "podReplacementPolicy": "TerminatingOrFailed",
        "manualSelector": False,
    }
    assert spec["template"]["metadata"]["creationTimestamp"] is None
    assert spec["template"]["spec"]["dnsPolicy"] == "ClusterFirst"
    assert stored["status"] == {}
    assert stored["metadata"]["generation"] == 1


def test_job_default_variants(cluster: Cluster) -> None:
    # SetDefaults_Job: completions stays unset when parallelism is given; a pod failure policy
    # makes podReplacementPolicy Failed; backoffLimitPerIndex makes backoffLimit MaxInt32.
    cluster.create(
        job(
            "a",
            parallelism=3,
            completionMode="Indexed",
            completions=4,
            backoffLimitPerIndex=1,
            podFailurePolicy={"rules": [{"action": "Ignore", "onPodConditions": [{"type": "X"}]}]},
        )
    )
    spec = cluster.get("Job", "a")["spec"]
    assert spec["backoffLimit"] == 2**31 - 1
    assert spec["podReplacementPolicy"] == "Failed"
    assert spec["podFailurePolicy"]["rules"][0]["onPodConditions"] == [
        {"type": "X", "status": "True"}
    ]
    cluster.create(job("b", parallelism=2))
    assert "completions" not in cluster.get("Job", "b")["spec"]


@pytest.mark.parametrize(
    ("restart", "message"),
    [
        (
            None,
            'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        ),
        (
            "Always",
            'spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"',
        ),
    ],
)
def test_job_restart_policy(cluster: Cluster, restart: str | None, message: str) -> None:
    assert refusal(cluster, job(restart=restart)) == f'The Job "pi" is invalid: {message}'


@pytest.mark.parametrize(
    ("field", "value"),
    [("parallelism", -1), ("completions", -1), ("activeDeadlineSeconds", -1), ("backoffLimit", -1)],
)
def test_job_negative_counts(cluster: Cluster, field: str, value: int) -> None:
    obj = job()
    obj["spec"][field] = value
    assert refusal(cluster, obj) == (
        f'The Job "pi" is invalid: spec.{field}: Invalid value: -1: must be greater than or '
        "equal to 0"
    )


def test_job_pod_replacement_policy(cluster: Cluster) -> None:
    assert refusal(cluster, job(podReplacementPolicy="Sometimes")) == (
        'The Job "pi" is invalid: spec.podReplacementPolicy: Unsupported value: "Sometimes": '
        'supported values: "Failed", "TerminatingOrFailed"'
    )


def test_job_manual_selector_must_match_template(cluster: Cluster) -> None:
    obj = job(manualSelector=True, selector={"matchLabels": {"app": "x"}})
    assert refusal(cluster, obj) == (
        'The Job "pi" is invalid: spec.template.metadata.labels: Invalid value: '
        "map[string]string(nil): `selector` does not match template `labels`"
    )
    obj["spec"]["template"]["metadata"] = {"labels": {"app": "x"}}
    cluster.create(obj)
    assert cluster.get("Job", "pi")["metadata"]["labels"] == {"app": "x"}


def test_job_template_is_immutable(cluster: Cluster) -> None:
    cluster.create(
        job(
            manualSelector=True,
            selector={"matchLabels": {"app": "x"}},
            template={
                "metadata": {"labels": {"app": "x"}},
                "spec": {"restartPolicy": "Never", "containers": CONTAINERS},
            },
        )
    )
    changed = cluster.get("Job", "pi")
    changed["spec"]["template"]["spec"]["containers"][0]["image"] = "alpine"
    assert refusal(cluster, changed, update=True) == (
        'The Job "pi" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: '
        "field is immutable"
    )
    changed = cluster.get("Job", "pi")
    changed["spec"]["completions"] = 3
    assert "spec.completions: Invalid value: 3: field is immutable" in refusal(
        cluster, changed, update=True
    )


def test_generated_selector_with_a_known_uid() -> None:
    # pkg/registry/batch/job/strategy.go generateSelector, given the UID the API server fills in
    # before PrepareForCreate.
    obj = job()
    obj["metadata"]["uid"] = "1234"
    default_job(obj)
    labels = obj["spec"]["template"]["metadata"]["labels"]
    assert labels == {
        "job-name": "pi",
        "batch.kubernetes.io/job-name": "pi",
        "controller-uid": "1234",
        "batch.kubernetes.io/controller-uid": "1234",
    }
    assert obj["spec"]["selector"] == {
        "matchLabels": {"batch.kubernetes.io/controller-uid": "1234"}
    }
    assert obj["metadata"]["labels"] == labels
    assert validate_job(obj) == []
    obj["spec"]["template"]["metadata"]["labels"]["job-name"] = "other"
    assert [str(e) for e in validate_job(obj)] == [
        "spec.template.metadata.labels[job-name]: Invalid value: map[string]string{"
        '"batch.kubernetes.io/controller-uid":"1234", "batch.kubernetes.io/job-name":"pi", '
        '"controller-uid":"1234", "job-name":"other"}: must be \'pi\''
    ]


def test_generated_selector_through_the_api(cluster: Cluster) -> None:
    cluster.create(job())
    stored = cluster.get("Job", "pi")
    uid = stored["metadata"]["uid"]
    assert stored["spec"]["selector"] == {
        "matchLabels": {"batch.kubernetes.io/controller-uid": uid}
    }


def test_cronjob_defaults(cluster: Cluster) -> None:
    cluster.create(cronjob())
    stored = cluster.get("CronJob", "backup")
    spec = stored["spec"]
    assert (spec["concurrencyPolicy"], spec["suspend"]) == ("Allow", False)
    assert (spec["successfulJobsHistoryLimit"], spec["failedJobsHistoryLimit"]) == (3, 1)
    template = spec["jobTemplate"]
    assert template["metadata"] == {"creationTimestamp": None}
    assert set(template["spec"]) == {"template"}  # no SetDefaults_Job for a job template
    assert template["spec"]["template"]["spec"]["schedulerName"] == "default-scheduler"
    assert (stored["status"], stored["metadata"]["generation"]) == ({}, 1)


@pytest.mark.parametrize(
    ("schedule", "message"),
    [
        ("bad", 'spec.schedule: Invalid value: "bad": expected exactly 5 fields, found 1: [bad]'),
        (
            "* * * *",
            'spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: '
            "[* * * *]",
        ),
        (
            "61 * * * *",
            'spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61',
        ),
        (
            "* * 0 * *",
            'spec.schedule: Invalid value: "* * 0 * *": beginning of range (0) below minimum '
            "(1): 0",
        ),
        (
            "5-1 * * * *",
            'spec.schedule: Invalid value: "5-1 * * * *": beginning of range (5) beyond end of '
            "range (1): 5-1",
        ),
        (
            "*/0 * * * *",
            'spec.schedule: Invalid value: "*/0 * * * *": step of range should be a positive '
            "number: */0",
        ),
        (
            "x * * * *",
            'spec.schedule: Invalid value: "x * * * *": failed to parse int from x: '
            'strconv.Atoi: parsing "x": invalid syntax',
        ),
        ("@often", 'spec.schedule: Invalid value: "@often": unrecognized descriptor: @often'),
    ],
)
def test_cronjob_schedule(cluster: Cluster, schedule: str, message: str) -> None:
    assert (
        refusal(cluster, cronjob(schedule=schedule))
        == f'The CronJob "backup" is invalid: {message}'
    )


@pytest.mark.parametrize(
    "schedule", ["0 3 * * *", "@hourly", "@every 1h30m", "0 0 1 jan,jul mon-fri", "*/15 9-17 ? * *"]
)
def test_cron_accepts(schedule: str) -> None:
    parse_standard(schedule)


def test_cron_refuses_tz_prefix(cluster: Cluster) -> None:
    assert refusal(cluster, cronjob(schedule="TZ=UTC 0 * * * *")) == (
        'The CronJob "backup" is invalid: spec.schedule: Invalid value: "TZ=UTC 0 * * * *": '
        "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"
    )


def test_cron_error_type() -> None:
    with pytest.raises(CronError, match="empty spec string"):
        parse_standard("")


def test_cronjob_errors(cluster: Cluster) -> None:
    obj = cronjob(schedule="", concurrencyPolicy="Sometimes")
    obj["spec"]["jobTemplate"]["spec"]["manualSelector"] = True
    obj["spec"]["jobTemplate"]["spec"]["selector"] = {"matchLabels": {"a": "b"}}
    assert refusal(cluster, obj) == (
        'The CronJob "backup" is invalid: \n'
        "* spec.schedule: Required value\n"
        '* spec.concurrencyPolicy: Unsupported value: "Sometimes": supported values: "Allow", '
        '"Forbid", "Replace"\n'
        "* spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:"
        'map[string]string{"a":"b"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: '
        "`selector` will be auto-generated\n"
        "* spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: "
        '"nil", "false"'
    )


def test_cronjob_name_limit_and_time_zone(cluster: Cluster) -> None:
    name = "a" * 53
    assert refusal(cluster, cronjob(name)) == (
        f'The CronJob "{name}" is invalid: metadata.name: Invalid value: "{name}": must be no '
        "more than 52 characters"
    )
    assert refusal(cluster, cronjob(timeZone="Local")) == (
        'The CronJob "backup" is invalid: spec.timeZone: Invalid value: "Local": timeZone must '
        "be an explicit time zone as defined in https://www.iana.org/time-zones"
    )
    cluster.create(cronjob(timeZone="Europe/Paris"))
