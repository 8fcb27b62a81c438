"""`kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]`.

As kubectl v1.33 (k8s.io/kubectl/pkg/cmd/exec/exec.go) and the API server it talks to, checked
against kubectl v1.33.1 with a fake API server:

- the command goes after `--`; `exec POD COMMAND` is refused (`exec [POD] [COMMAND] is not
  supported anymore...`); `pod, type/name or --filename must be specified`, `you must specify at
  least one command for the container`;
- TYPE/NAME picks a pod as polymorphichelpers.attachablePodForObject does: the object's selector
  (a Service's own, or `cannot attach to *v1.Service: invalid service 'x': Service is defined
  without a selector`), the pods it selects sorted most active first (podutils.ActivePods,
  reversed: scheduled, Running, ready, ready longest, fewest restarts, oldest), the first one;
  none: kubectl waits --pod-running-timeout then says `timed out waiting for the condition`
  (the simulated clock does not move);
- a pod that completed: `cannot exec into a container in a completed pod; current phase is
  Succeeded`; without -c the container is the default-container annotation's or the first, with
  `Defaulted container "a" out of: a, b` on stderr when there are several (podcmd);
- the API server refuses a container not in the pod (`Error from server (BadRequest): container
  x is not valid for pod web`) and an unscheduled pod (`pod web does not have a host
  assigned`); the kubelet a container not running (`error: unable to upgrade connection:
  container not found ("web")`);
- a program the image lacks fails in the runtime, and its message reaches kubectl wrapped twice
  in `Internal error occurred:` (the kubelet's, then the API server's stream translator's);
- a non-zero exit status ends with `command terminated with exit code N`, without `error:`.

`-i` passes what follows the command line to the program's stdin. `-t` with `-i` would need a
terminal: from a notebook kubectl says `Unable to use a TTY - input is not a terminal or the
right kind of file` and goes on without one, and so does kubenet-nb.
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING

from kubenet_nb.api.errors import BadRequest, KubectlError
from kubenet_nb.api.selectors import selector_from_label_selector, selector_from_set
from kubenet_nb.api.well_known import DEFAULT_CONTAINER_ANNOTATION
from kubenet_nb.kubectl.command import (
    NAMESPACE_FLAG,
    Invocation,
    namespace_of,
    parse_flags,
    usage_error,
)
from kubenet_nb.kubectl.commands.get import parse_resource_args
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.podutils import all_containers, first_container, most_active_first

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.network.tools import Context, toolbox_for
from kubenet_nb.network.tools.shell import run_program

__all__ = ["parse_duration", "pick_pod", "run", "selected_pods"]

PATH = "kubectl exec"
FLAGS = FlagSet(
    NAMESPACE_FLAG,
    Flag("container", "c", default=""),
    Flag("stdin", "i", "bool"),
    Flag("tty", "t", "bool"),
    Flag("quiet", "q", "bool"),
    Flag("filename", "f", "list"),
    Flag("pod-running-timeout", default="1m0s"),
)
NO_TTY = "Unable to use a TTY - input is not a terminal or the right kind of file"
SELECTING = ("Deployment", "ReplicaSet", "DaemonSet")
_UNITS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
_TERM = re.compile(r"(\d+\.?\d*|\.\d+)([a-zµ]*)")


def parse_duration(text: str) -> float:
    """Go's time.ParseDuration, in seconds; ValueError with Go's message."""
    body = text.lstrip("+-")
    sign = -1.0 if text.startswith("-") else 1.0
    if body == "0":
        return 0.0
    if not body:
        raise ValueError(f'time: invalid duration "{text}"')
    total, position = 0.0, 0
    while position < len(body):
        match = _TERM.match(body, position)
        if match is None:
            raise ValueError(f'time: invalid duration "{text}"')
        number, unit = match.groups()
        if not unit:
            raise ValueError(f'time: missing unit in duration "{text}"')
        if unit not in _UNITS:
            raise ValueError(f'time: unknown unit "{unit}" in duration "{text}"')
        total += float(number) * _UNITS[unit]
        position = match.end()
    return sign * total


def selected_pods(
    cluster: ControlPlane, obj: dict, refusal: str = "cannot attach to"
) -> list[dict]:
    """The pods a Deployment, ReplicaSet, DaemonSet or Service selects (SelectorsForObject);
    `refusal` begins the error for another kind (`cannot get the logs from` for logs)."""
    kind, meta = obj["kind"], obj["metadata"]
    namespace = meta.get("namespace", "default")
    if kind == "Service":
        selector = (obj.get("spec") or {}).get("selector") or {}
        if not selector:
            raise KubectlError(
                f"{refusal} *v1.Service: invalid service '{meta['name']}': "
                "Service is defined without a selector"
            )
        matches = selector_from_set(selector).matches
    elif kind in SELECTING:
        matches = selector_from_label_selector((obj.get("spec") or {}).get("selector")).matches
    else:
        raise KubectlError(f"{refusal} *v1.{kind}: selector for *v1.{kind} not implemented")
    return [
        p for p in cluster.list("pods", namespace) if matches(p["metadata"].get("labels") or {})
    ]


def pick_pod(cluster: ControlPlane, obj: dict) -> dict:
    """The pod kubectl attaches to for a Deployment, ReplicaSet, DaemonSet or Service."""
    pods = selected_pods(cluster, obj)
    if not pods:
        raise KubectlError("timed out waiting for the condition")
    return sorted(pods, key=most_active_first)[0]


def _target(cluster: ControlPlane, name: str, namespace: str) -> dict:
    if "/" not in name:
        return cluster.get("pods", name, namespace)
    request = parse_resource_args([name], cluster.resources)[0][0]
    obj = cluster.get(request.info.plural, request.name or "", namespace)
    if request.info.kind == "Pod":
        return obj
    return pick_pod(cluster, obj)


def _container(pod: dict, requested: str, invocation: Invocation, quiet: bool) -> str:
    """The container name kubectl sends (podcmd.FindOrDefaultContainerByName when none given)."""
    if requested:
        return requested
    spec, meta = pod.get("spec") or {}, pod["metadata"]
    containers = spec.get("containers") or []
    if not containers:
        raise KubectlError(
            f"pod {meta.get('namespace')}/{meta['name']} does not have any containers"
        )
    annotated = (meta.get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    if annotated and any(c["name"] == annotated for c in containers):
        return annotated
    return first_container(invocation.terminal, pod, quiet)


def _running(pod: dict, name: str) -> dict:
    """The container's spec once the server and the kubelet agree it can run a command."""
    spec, meta = pod.get("spec") or {}, pod["metadata"]
    container = next((c for c in all_containers(pod) if c["name"] == name), None)
    if container is None:
        raise BadRequest(f"container {name} is not valid for pod {meta['name']}")
    if not spec.get("nodeName"):
        raise BadRequest(f"pod {meta['name']} does not have a host assigned")
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    status = next((s for s in statuses if s.get("name") == name), None)
    if status is None or "running" not in (status.get("state") or {}):
        raise KubectlError(f'unable to upgrade connection: container not found ("{name}")')
    return container


def _missing(
    cluster: ControlPlane, pod: dict, name: str, program: str, argv: list[str]
) -> KubectlError:
    statuses = (pod.get("status") or {}).get("containerStatuses") or []
    container_id = next((s.get("containerID", "") for s in statuses if s.get("name") == name), "")
    seed = f"{container_id}\0{' '.join(argv)}\0{cluster.now.isoformat()}"
    exec_id = hashlib.sha256(seed.encode()).hexdigest()
    if "/" in program:
        reason = f'exec: "{program}": stat {program}: no such file or directory'
    else:
        reason = f'exec: "{program}": executable file not found in $PATH'
    return KubectlError(
        "Internal error occurred: Internal error occurred: error executing command in container: "
        f'failed to exec in container: failed to start exec "{exec_id}": OCI runtime exec '
        f"failed: exec failed: unable to start container process: {reason}: unknown"
    )


def _arguments(invocation: Invocation) -> tuple[str, list[str], dict]:
    parsed = parse_flags(FLAGS, invocation.argv, PATH)
    values = parsed.values
    dashed = "--" in invocation.argv
    name = parsed.args[0] if parsed.args else ""
    if dashed:
        command = parsed.after_dash
    elif len(parsed.args) > 1:
        raise usage_error(
            "exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead",
            PATH,
        )
    else:
        command = []
    try:
        timeout = parse_duration(values["pod-running-timeout"])
    except ValueError as error:
        raise KubectlError(
            f'invalid argument "{values["pod-running-timeout"]}" for "--pod-running-timeout" '
            f"flag: {error}\nSee '{PATH} --help' for usage."
        ) from None
    if timeout <= 0:
        raise usage_error("--pod-running-timeout must be higher than zero", PATH)
    if values["filename"]:
        raise KubectlError("exec -f is not supported by kubenet-nb")
    if not name:
        raise KubectlError("pod, type/name or --filename must be specified")
    if not command:
        raise KubectlError("you must specify at least one command for the container")
    namespace, _ = namespace_of(parsed)
    return name, command, {**values, "namespace": namespace}


def run(invocation: Invocation) -> None:
    """Run a command in a container and relay its output and exit status."""
    name, command, values = _arguments(invocation)
    cluster = invocation.cluster
    pod = _target(cluster, name, values["namespace"])
    phase = (pod.get("status") or {}).get("phase")
    if phase in ("Succeeded", "Failed"):
        raise KubectlError(
            f"cannot exec into a container in a completed pod; current phase is {phase}"
        )
    quiet = values["quiet"]
    container_name = _container(pod, values["container"], invocation, quiet)
    if values["stdin"] and values["tty"] and not quiet:
        invocation.terminal.err(NO_TTY)
    container = _running(pod, container_name)
    toolbox = toolbox_for(container.get("image") or "")
    if not toolbox.has(command[0]):
        raise _missing(cluster, pod, container_name, command[0], command)
    context = Context(
        cluster,
        pod,
        container,
        toolbox,
        proxy=invocation.proxy,
        stdin=invocation.stdin if values["stdin"] else "",
    )
    result = run_program(context, command)
    invocation.terminal.parts.extend(result.parts)
    if result.exit_code:
        raise KubectlError(f"command terminated with exit code {result.exit_code}", prefix="")
