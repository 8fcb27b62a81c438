"""`kubectl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]`, and `-l SELECTOR`.

As kubectl v1.33 (kubernetes/kubectl pkg/cmd/logs/logs.go and pkg/polymorphichelpers/
logsforobject.go @ v0.33.0), the API server (pods/log) and the kubelet behind it:

- arguments: POD or TYPE/NAME, or `-l` without them (`only a selector (-l) or a POD name is
  allowed`), an optional inline container name; the usage error otherwise; `--all-containers`
  with a container name, `-c` with an inline name and `--tail` below -1 are refused;
- a missing pod or object: `error from server (NotFound): pods "x" not found in namespace
  "default"` (kubectl rewraps the NotFound); `-l` matching nothing: `No resources found in
  default namespace.` on stderr;
- TYPE/NAME: the object's pods sorted as podutils.ByLogging (scheduled, Running, ready, ready
  longest, most restarts, oldest), the first; `Found 2 pods, using pod/web-...` on stderr when
  there are several; none: `timed out waiting for the condition`;
- the container: `-c`, else the default-container annotation, else the first with `Defaulted
  container "a" out of: a, b` on stderr when the pod has several; a name not in the pod:
  `container x is not valid for pod web`; `--all-containers`: init, regular, then ephemeral
  containers;
- the kubelet (kubernetes/kubernetes pkg/kubelet/kubelet_pods.go validateContainerLogStatus):
  a container waiting says why (`container "web" in pod "web" is waiting to start:
  ContainerCreating`; `image can't be pulled` for ErrImagePull, `trying and failing to pull
  image` for ImagePullBackOff), one without a status `is not available`; a pod not scheduled
  yet has no log at all (the API server answers an empty stream);
- `-p` of a container that has not restarted: `previous terminated container "web" in pod
  "web" not found` (the log of an earlier instance itself is not kept);
- `--timestamps` starts each line with its time (`2025-01-01T00:05:00.000000000Z `);
- `--tail N` keeps each container's last N lines (10 with `-l` unless given); `--prefix` starts
  each line with `[pod/NAME/CONTAINER] `; `-f` with more than `--max-log-requests` (5) streams
  is refused.

What a container printed comes from `network/container_output.py`. Where kubectl reads several
streams (`--all-containers`, `-l`), real kubectl v1.33 visits them in Go's random map order;
kubenet-nb in spec order, pod by pod. `-f` cannot stream in a notebook: it prints what the
container wrote so far and returns, as if interrupted right after.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenet_nb.api.errors import BadRequest, KubectlError, KubenetError, NotFound
from kubenet_nb.api.well_known import DEFAULT_CONTAINER_ANNOTATION
from kubenet_nb.kubectl.command import (
    NAMESPACE_FLAG,
    Invocation,
    namespace_of,
    parse_flags,
    usage_error,
)
from kubenet_nb.kubectl.commands.exec import selected_pods
from kubenet_nb.kubectl.commands.get import parse_resource_args
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.podutils import all_containers, by_logging, first_container
from kubenet_nb.network.container_output import container_log

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["get_object", "read_log", "run"]

PATH = "kubectl logs"
USAGE = "logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]"
USAGE_ERROR = f"expected '{USAGE}'.\nPOD or TYPE/NAME is a required argument for the logs command"
SELECTOR_TAIL = 10
FLAGS = FlagSet(
    NAMESPACE_FLAG,
    Flag("container", "c", default=""),
    Flag("selector", "l", default=""),
    Flag("follow", "f", "bool"),
    Flag("all-containers", kind="bool"),
    Flag("prefix", kind="bool"),
    Flag("timestamps", kind="bool"),
    Flag("previous", "p", "bool"),
    Flag("tail", kind="int", default=-1),
    Flag("max-log-requests", kind="int", default=5),
    Flag("pod-running-timeout", default="20s"),
)


def _default_container(invocation: Invocation, pod: dict) -> str:
    """logsForObjectWithClient's choice when no container is named."""
    meta = pod["metadata"]
    annotated = (meta.get("annotations") or {}).get(DEFAULT_CONTAINER_ANNOTATION)
    if annotated:
        if any(c["name"] == annotated for c in all_containers(pod)):
            return annotated
        invocation.terminal.err(
            f'Default container name "{annotated}" not found in pod {meta["name"]}'
        )
    return first_container(invocation.terminal, pod)


def _status(pod: dict, name: str) -> dict | None:
    status = pod.get("status") or {}
    for field in ("containerStatuses", "initContainerStatuses", "ephemeralContainerStatuses"):
        for entry in status.get(field) or []:
            if entry.get("name") == name:
                return entry
    return None


def _check_running(pod: dict, name: str) -> None:
    """The kubelet's validateContainerLogStatus: a container that never started has no log."""
    pod_name = pod["metadata"]["name"]
    entry = _status(pod, name)
    if entry is None:
        raise BadRequest(f'container "{name}" in pod "{pod_name}" is not available')
    state = entry.get("state") or {}
    last = (entry.get("lastState") or {}).get("terminated")
    if "running" in state or "terminated" in state or last:
        return
    if "waiting" not in state:
        raise BadRequest(
            f'container "{name}" in pod "{pod_name}" is waiting to start - no logs yet'
        )
    given = (state["waiting"] or {}).get("reason") or ""
    reason = {
        "ErrImagePull": "image can't be pulled",
        "ImagePullBackOff": "trying and failing to pull image",
    }.get(given, given)
    raise BadRequest(f'container "{name}" in pod "{pod_name}" is waiting to start: {reason}')


def read_log(
    cluster: ControlPlane,
    pod: dict,
    name: str,
    tail: int | None,
    timestamps: bool = False,
    previous: bool = False,
) -> list[str]:
    """What the API server streams for one container (`GET .../pods/NAME/log?container=`);
    `timestamps` starts each line with when it was written, in the kubelet's fixed-width
    RFC 3339 (kubernetes/kubernetes pkg/kubelet/kuberuntime/logs/logs.go timeFormatOut);
    `previous` asks for the instance before the last restart."""
    if not (pod.get("spec") or {}).get("nodeName"):
        return []
    if previous:
        entry = _status(pod, name) or {}
        if not (entry.get("lastState") or {}).get("terminated"):
            raise BadRequest(
                f'previous terminated container "{name}" in pod '
                f'"{pod["metadata"]["name"]}" not found'
            )
        raise KubenetError("the log of a previous container instance is not simulated")
    _check_running(pod, name)
    container = next(c for c in all_containers(pod) if c["name"] == name)
    lines = [
        (f"{line.at:%Y-%m-%dT%H:%M:%S}.{line.at.microsecond * 1000:09d}Z " if timestamps else "")
        + line.text
        for line in container_log(cluster, pod, container)
    ]
    if tail is not None:
        lines = lines[-tail:] if tail > 0 else []
    return lines


def _requests(
    invocation: Invocation, pods: list[dict], container: str, every: bool
) -> list[tuple[dict, str]]:
    """(pod, container) of each log stream kubectl opens, as logsForObjectWithClient picks."""
    requests = []
    for pod in pods:
        if every:
            requests += [(pod, c["name"]) for c in all_containers(pod)]
            continue
        name = container or _default_container(invocation, pod)
        if not any(c["name"] == name for c in all_containers(pod)):
            raise KubectlError(f"container {name} is not valid for pod {pod['metadata']['name']}")
        requests.append((pod, name))
    return requests


def get_object(cluster: ControlPlane, name: str, namespace: str) -> dict:
    """cli-runtime's Info.Get: a NotFound outside `default` is the namespace's when it is
    missing (kubernetes/cli-runtime pkg/resource/visitor.go @ v0.33.0)."""
    try:
        if "/" not in name:
            return cluster.get("pods", name, namespace)
        request = parse_resource_args([name], cluster.resources)[0][0]
        return cluster.get(request.info.plural, request.name or "", namespace)
    except NotFound:
        if namespace != "default" and cluster.store.get("Namespace", "", namespace) is None:
            raise NotFound("namespaces", namespace) from None
        raise


def _fetch(cluster: ControlPlane, name: str, namespace: str) -> dict:
    """The builder's object for POD or TYPE/NAME; kubectl rewraps a NotFound."""
    try:
        return get_object(cluster, name, namespace)
    except NotFound as error:
        raise KubectlError(
            f'error from server (NotFound): {error.message} in namespace "{namespace}"'
        ) from None


def _pods_of(invocation: Invocation, obj: dict) -> list[dict]:
    """A pod itself, or the first of a workload's pods by podutils.ByLogging."""
    if obj["kind"] == "Pod":
        return [obj]
    found = selected_pods(invocation.cluster, obj, "cannot get the logs from")
    pods = sorted(found, key=by_logging)
    if not pods:
        raise KubectlError("timed out waiting for the condition")
    if len(pods) > 1:
        invocation.terminal.err(f"Found {len(pods)} pods, using pod/{pods[0]['metadata']['name']}")
    return pods[:1]


def run(invocation: Invocation) -> None:
    """Print the logs of the containers the arguments name."""
    parsed = parse_flags(FLAGS, invocation.argv, PATH)
    values, args = parsed.values, parsed.args
    selector = values["selector"]
    if (not args and not selector) or len(args) > 2:
        raise usage_error(USAGE_ERROR, PATH)
    if len(args) == 1 and selector:
        raise usage_error("only a selector (-l) or a POD name is allowed", PATH)
    container = args[1] if len(args) == 2 else values["container"]
    tail: int | None = values["tail"] if values["tail"] != -1 else None
    if selector and tail is None and "tail" not in parsed.changed:
        tail = SELECTOR_TAIL
    namespace, _ = namespace_of(parsed)
    cluster = invocation.cluster
    obj = _fetch(cluster, args[0], namespace) if args else None
    pods: list[dict] = []
    if obj is None:
        pods = cluster.list("pods", namespace, selector)
        if not pods:
            invocation.terminal.err(f"No resources found in {namespace} namespace.")
    if values["all-containers"] and container:
        raise KubectlError(
            f"--all-containers=true should not be specified with container name {container}"
        )
    if "container" in parsed.changed and len(args) == 2:
        raise KubectlError("only one of -c or an inline [CONTAINER] arg is allowed")
    if tail is not None and tail < -1:
        raise KubectlError("--tail must be greater than or equal to -1")
    if obj is not None:
        pods = _pods_of(invocation, obj)
    requests = _requests(invocation, pods, container, values["all-containers"])
    limit = values["max-log-requests"]
    if values["follow"] and len(requests) > 1 and len(requests) > limit:
        raise KubectlError(
            f"you are attempting to follow {len(requests)} log streams, but maximum allowed "
            f"concurrency is {limit}, use --max-log-requests to increase the limit"
        )
    for pod, name in requests:
        prefix = f"[pod/{pod['metadata']['name']}/{name}] " if values["prefix"] else ""
        lines = read_log(
            invocation.cluster, pod, name, tail, values["timestamps"], values["previous"]
        )
        for line in lines:
            invocation.terminal.out(prefix + line)
