"""`kubectl create job` and `kubectl create cronjob`: the objects kubectl v1.33 builds and sends.

k8s.io/kubectl pkg/cmd/create/create_job.go and create_cronjob.go @ v0.33.0: one container
named after the object with the image and the command after `--`; a Job's pods `restartPolicy:
Never`, a CronJob's `--restart` (OnFailure by default); `create job --from=cronjob/NAME` copies
the CronJob's jobTemplate, with the annotation `cronjob.kubernetes.io/instantiate: manual` and a
controller ownerReference (without blockOwnerDeletion). As `--dry-run=client -o yaml` prints
them: `creationTimestamp: null`, `resources: {}` and `status: {}`.
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError, StatusError
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    namespace_of,
    parse_flags,
    print_object,
    printing,
    require,
    usage_error,
)
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.generate import submit

__all__ = [
    "INSTANTIATE",
    "build_cronjob",
    "build_job",
    "create_cronjob",
    "create_job",
    "job_from_cronjob",
]

INSTANTIATE = "cronjob.kubernetes.io/instantiate"
_COMMON: tuple[Flag, ...] = (
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("save-config", kind="bool"),
    Flag("validate", default="strict"),
    Flag("field-manager", default="kubectl-create"),
)
_JOB = FlagSet(*_COMMON, Flag("image", default=""), Flag("from", default=""))
_CRONJOB = FlagSet(
    *_COMMON, Flag("image", default=""), Flag("schedule", default=""), Flag("restart", default="")
)


def _pod_template(name: str, image: str, command: list[str], restart: str) -> dict:
    container: dict = {"name": name, "image": image}
    if command:
        container["command"] = list(command)
    container["resources"] = {}
    return {
        "metadata": {"creationTimestamp": None},
        "spec": {"containers": [container], "restartPolicy": restart},
    }


def build_job(name: str, image: str, command: list[str], namespace: str | None = None) -> dict:
    """createJob: the Job `kubectl create job NAME --image=IMAGE -- COMMAND` sends."""
    metadata: dict = {"name": name, "creationTimestamp": None}
    if namespace:
        metadata["namespace"] = namespace
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": metadata,
        "spec": {"template": _pod_template(name, image, command, "Never")},
        "status": {},
    }


def job_from_cronjob(name: str, cronjob: dict, namespace: str | None = None) -> dict:
    """createJobFromCronJob: the CronJob's job template, instantiated by hand."""
    template = cronjob["spec"]["jobTemplate"]
    template_meta = template.get("metadata") or {}
    metadata: dict = {
        "name": name,
        "creationTimestamp": None,
        "annotations": {INSTANTIATE: "manual", **(template_meta.get("annotations") or {})},
        "ownerReferences": [
            {
                "apiVersion": "batch/v1",
                "kind": "CronJob",
                "name": cronjob["metadata"]["name"],
                "uid": cronjob["metadata"]["uid"],
                "controller": True,
            }
        ],
    }
    if template_meta.get("labels"):
        metadata["labels"] = dict(template_meta["labels"])
    if namespace:
        metadata["namespace"] = namespace
    return {
        "kind": "Job",
        "apiVersion": "batch/v1",
        "metadata": metadata,
        "spec": template.get("spec") or {},
        "status": {},
    }


def build_cronjob(
    name: str,
    image: str,
    schedule: str,
    command: list[str],
    restart: str = "OnFailure",
    namespace: str | None = None,
) -> dict:
    """createCronJob: the CronJob `kubectl create cronjob NAME --image --schedule` sends."""
    metadata: dict = {"name": name, "creationTimestamp": None}
    if namespace:
        metadata["namespace"] = namespace
    return {
        "kind": "CronJob",
        "apiVersion": "batch/v1",
        "metadata": metadata,
        "spec": {
            "schedule": schedule,
            "jobTemplate": {
                "metadata": {"name": name, "creationTimestamp": None},
                "spec": {"template": _pod_template(name, image, command, restart or "OnFailure")},
            },
        },
        "status": {},
    }


def _name(args: list[str], path: str) -> str:
    """NameFromCommandArgs: exactly one argument before `--`."""
    if len(args) != 1:
        raise usage_error(f"exactly one NAME is required, got {len(args)}", path)
    return args[0]


def _send(
    invocation: Invocation, obj: dict, namespace: str, wrap: str, output: str, dry_run: bool
) -> None:
    try:
        obj = submit(invocation, obj, namespace, dry_run)
    except StatusError as error:
        raise KubectlError(f"{wrap}: {error.message}") from None
    print_object(invocation.terminal, obj, "created", output, dry_run)


def create_job(invocation: Invocation, argv: list[str]) -> None:
    """`kubectl create job NAME --image=IMAGE -- COMMAND` or `--from=cronjob/NAME`."""
    path = "kubectl create job"
    parsed = parse_flags(_JOB, argv, path)
    name = _name(parsed.args, path)
    output, dry_run = printing(parsed)
    image, source = parsed.values["image"], parsed.values["from"]
    if bool(image) == bool(source):
        raise KubectlError("either --image or --from must be specified")
    if parsed.after_dash and source:
        raise KubectlError("cannot specify --from and command")
    namespace, enforced = namespace_of(parsed)
    if image:
        obj = build_job(name, image, parsed.after_dash, namespace if enforced else None)
    else:
        kind, _, source_name = source.partition("/")
        if not source_name:
            raise KubectlError("from must be an existing cronjob")
        found = invocation.cluster.get(kind, source_name, namespace)
        if found["kind"] != "CronJob":
            raise KubectlError(f"unknown object type *v1.{found['kind']}")
        obj = job_from_cronjob(name, found, namespace if enforced else None)
    _send(invocation, obj, namespace, "failed to create job", output, dry_run)


def create_cronjob(invocation: Invocation, argv: list[str]) -> None:
    """`kubectl create cronjob NAME --image=IMAGE --schedule=SCHEDULE -- COMMAND`."""
    path = "kubectl create cronjob"
    parsed = parse_flags(_CRONJOB, argv, path)
    require(parsed, "image", "schedule")
    name = _name(parsed.args, path)
    output, dry_run = printing(parsed)
    namespace, enforced = namespace_of(parsed)
    values = parsed.values
    obj = build_cronjob(
        name,
        values["image"],
        values["schedule"],
        parsed.after_dash,
        values["restart"] or "OnFailure",
        namespace if enforced else None,
    )
    _send(invocation, obj, namespace, "failed to create cronjob", output, dry_run)
