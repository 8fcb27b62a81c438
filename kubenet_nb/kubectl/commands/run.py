"""`kubectl run NAME --image=...`: one Pod, and with `--expose --port` a ClusterIP Service.

The Pod is what kubectl v1.33's run-pod/v1 generator builds (k8s.io/kubectl/pkg/generate/
versioned/run.go): container named NAME, labels `run=NAME` unless `--labels`, `dnsPolicy:
ClusterFirst`, `restartPolicy: Always` unless `--restart`. `--expose` adds the Service of the
service/v2 generator: selector = the pod's labels, port = targetPort = `--port`, TCP; it is
printed before the pod, as kubectl prints it. Attaching (`-i`, `-t`, `--rm`) needs a process,
which the simulation does not have.
"""

from __future__ import annotations

import re

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
    print_object,
    printing,
    require,
    usage_error,
)
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.generate import atoi, int32, parse_label_spec, submit

__all__ = ["build_pod", "build_run_service", "is_image_reference", "run"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("image"),
    Flag("port", default=""),
    Flag("labels", "l", default=""),
    Flag("restart", default=""),
    Flag("expose", kind="bool"),
    Flag("env", kind="list"),
    Flag("annotations", kind="list"),
    Flag("image-pull-policy", default=""),
    Flag("command", kind="bool"),
    Flag("privileged", kind="bool"),
    Flag("save-config", kind="bool"),
    Flag("field-manager", default="kubectl-run"),
    Flag("stdin", "i", "bool"),
    Flag("tty", "t", "bool"),
    Flag("attach", kind="bool"),
    Flag("rm", kind="bool"),
    Flag("quiet", "q", "bool"),
    Flag("overrides", default=""),
)
PATH = "kubectl run"

# github.com/distribution/reference's ReferenceRegexp: [domain/]path[:tag][@digest].
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*(?::[0-9]+)?"
_REFERENCE = re.compile(
    rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*"
    r"(?::[\w][\w.-]{0,127})?"
    r"(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?"
)
_ENV_NAME = re.compile(r"[-._a-zA-Z][-._a-zA-Z0-9]*")
_RESTART_POLICIES = ("Always", "OnFailure", "Never")
_PULL_POLICIES = ("Always", "IfNotPresent", "Never", "")


def is_image_reference(image: str) -> bool:
    """Whether kubectl run accepts the image name.

    >>> (
    ...     is_image_reference("registry.k8s.io/e2e-test-images/agnhost:2.39"),
    ...     is_image_reference("Nginx"),
    ... )
    (True, False)
    """
    return _REFERENCE.fullmatch(image) is not None


def _annotations(values: list[str]) -> dict[str, str]:
    annotations, invalid = {}, []
    for value in values:
        if "=" in value and not value.startswith("="):
            key, _, text = value.partition("=")
            annotations[key] = text
        else:
            invalid.append(value)
    if invalid:
        raise KubectlError(f"invalid annotations format: {', '.join(invalid)}")
    return annotations


def _env(values: list[str]) -> list[dict]:
    env = []
    for value in values:
        name, eq, text = value.partition("=")
        if not eq or not _ENV_NAME.fullmatch(name):
            raise KubectlError(f"invalid env: {value}")
        env.append({"name": name, "value": text})
    return env


def build_pod(
    name: str,
    image: str,
    *,
    port: str = "",
    labels: str = "",
    restart: str = "",
    env: list[str] | None = None,
    annotations: list[str] | None = None,
    image_pull_policy: str = "",
    args: list[str] | None = None,
    command: bool = False,
    privileged: bool = False,
    namespace: str | None = None,
) -> dict:
    """The Pod `kubectl run NAME --image=IMAGE ...` sends."""
    metadata: dict = {
        "name": name,
        "creationTimestamp": None,
        "labels": parse_label_spec(labels) if labels else {"run": name},
    }
    parsed_annotations = _annotations(annotations or [])
    if parsed_annotations:
        metadata["annotations"] = parsed_annotations
    if namespace:
        metadata["namespace"] = namespace
    container: dict = {"name": name, "image": image}
    if args:
        container["command" if command else "args"] = list(args)
    if env:
        container["env"] = _env(env)
    if image_pull_policy:
        container["imagePullPolicy"] = image_pull_policy
    if port:
        container["ports"] = [{"containerPort": int32(atoi(port))}]
    container["resources"] = {}
    if privileged:
        container["securityContext"] = {"privileged": True}
    return {
        "kind": "Pod",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": {
            "containers": [container],
            "dnsPolicy": "ClusterFirst",
            "restartPolicy": restart or "Always",
        },
        "status": {},
    }


def build_run_service(name: str, port: str, labels: str = "", namespace: str | None = None) -> dict:
    """The Service `kubectl run NAME --expose --port=PORT` sends: selects the pod's labels."""
    selector = parse_label_spec(labels or f"run={name}")
    number = int32(atoi(port))
    metadata: dict = {"name": name, "creationTimestamp": None}
    if labels:
        metadata["labels"] = parse_label_spec(labels)
    if namespace:
        metadata["namespace"] = namespace
    return {
        "kind": "Service",
        "apiVersion": "v1",
        "metadata": metadata,
        "spec": {
            "ports": [{"protocol": "TCP", "port": number, "targetPort": number}],
            "selector": selector,
        },
        "status": {"loadBalancer": {}},
    }


def _validate(parsed_args: list[str], values: dict) -> None:
    """RunOptions.Validate, in its order."""
    if not parsed_args:
        raise usage_error("NAME is required for run", PATH)
    image = values["image"]
    if not image:
        raise KubectlError("--image is required")
    if not is_image_reference(image):
        raise KubectlError(f'Invalid image name "{image}": invalid reference format')
    if values["stdin"] or values["tty"] or values["attach"] or values["rm"]:
        if values["dry-run"] != "none":
            raise usage_error(
                "--dry-run=[server|client] can't be used with attached containers "
                "options (--attach, --stdin, or --tty)",
                PATH,
            )
        raise KubectlError(
            "attaching to a container (-i, -t, --attach, --rm) is not supported "
            "by kubenet-nb: its pods run no processes"
        )
    if values["expose"] and not values["port"]:
        raise usage_error("--port must be set when exposing a service", PATH)
    if values["restart"] and values["restart"] not in _RESTART_POLICIES:
        raise usage_error(f"invalid restart policy: {values['restart']}", PATH)
    if values["image-pull-policy"] not in _PULL_POLICIES:
        raise usage_error(f"invalid image pull policy: {values['image-pull-policy']}", PATH)
    if values["overrides"]:
        raise KubectlError("--overrides is not supported by kubenet-nb")


def run(invocation: Invocation) -> None:
    """`kubectl run NAME --image=IMAGE [--port] [--labels] [--restart] [--expose] ...`."""
    parsed = parse_flags(FLAGS, invocation.argv, PATH)
    require(parsed, "image")
    values = parsed.values
    output, dry_run = printing(parsed)
    _validate(parsed.args, values)
    name = parsed.args[0]
    namespace, enforced = namespace_of(parsed)
    pod = build_pod(
        name,
        values["image"],
        port=values["port"],
        labels=values["labels"],
        restart=values["restart"],
        env=values["env"],
        annotations=values["annotations"],
        image_pull_policy=values["image-pull-policy"],
        args=parsed.args[1:] + parsed.after_dash,
        command=values["command"],
        privileged=values["privileged"],
        namespace=namespace if enforced else None,
    )
    pod = submit(invocation, pod, namespace, dry_run)
    errors: list[KubenetError] = []
    if values["expose"]:
        try:
            service = build_run_service(
                name, values["port"], values["labels"], namespace if enforced else None
            )
            service = submit(invocation, service, namespace, dry_run)
            print_object(invocation.terminal, service, "created", output, dry_run)
            if output == "yaml":
                invocation.terminal.out("---\n---")
        except KubenetError as error:
            errors.append(error)
    print_object(invocation.terminal, pod, "created", output, dry_run)
    check_errors(errors)
