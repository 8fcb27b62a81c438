"""`kubectl debug POD --image=IMAGE [-i] [-t] [-c NAME] [--target=C] [-- COMMAND [args...]]`.

As kubectl v1.33 (kubernetes/kubectl pkg/cmd/debug/debug.go and profiles.go @ v0.33.0) with an
ephemeral container, the API server's pods/ephemeralcontainers subresource
(`cluster/ephemeral_containers.py`) and kubectl attach (pkg/cmd/attach/attach.go):

- checks in kubectl's order: an unknown `--profile` (`unknown profile: x`), `--attach` without
  `--image` or `--container`, `you must specify --image when not using --copy-to.`, `NAME or
  filename is required for debug`, `invalid image pull policy: x`, `--target` (`Targeting
  container "c". If you don't see processes ...` on stdout), `-t` without `-i`, then the default
  profile's deprecation warning on stderr (`--profile=legacy is deprecated ...`);
- the pod as the builder gets it (NotFound); `Defaulting debug container name to
  debugger-xxxxx.` on stdout (five characters of utilrand's alphabet, drawn from a stream
  seeded by the cluster's seed, the pod and its count of ephemeral containers, as kubectl's are
  its own and not the cluster's); the server's refusal of a name already used
  (`spec.ephemeralContainers[0].name: Duplicate value`) or of a `--target` not in the pod;
- the container: the image, `imagePullPolicy` if given, `stdin`/`tty` from -i/-t,
  `terminationMessagePolicy: File`, the command after `--` (`args` with `--arguments-only`),
  the profile's securityContext (general: SYS_PTRACE; netadmin: NET_ADMIN and NET_RAW;
  sysadmin: privileged; restricted: non-root, no capabilities, RuntimeDefault seccomp);
- the command runs in the pod's network namespace with the simulated tools of the debug image
  (curl, wget, nslookup, a shell: `network/tools`, as `kubectl exec` runs them); the pod's name
  and /etc/hosts, resolv.conf and addresses are the pod's. Its output is the container's log
  (`kubectl logs POD -c debugger-xxxxx`); it ends at once, and the kubelet reports it
  terminated with its exit status;
- `-i` attaches (`--attach` by default with -i): `-t` from a notebook, which is no terminal,
  prints `Unable to use a TTY - input is not a terminal or the right kind of file` (StreamOptions.
  SetupTTY), then attach's `If you don't see a command prompt, try pressing enter.`, then what
  the command wrote, as a real attach shows a command still running when kubectl attaches.
  The output keeps LF line ends (a real TTY container's are CRLF).

Not simulated: `--copy-to` and its flags, node targets, `--env`, `--custom`.
"""

from __future__ import annotations

import random
import re

from kubenet_nb.api.errors import Invalid, KubectlError, KubenetError
from kubenet_nb.cluster.container_logs import LogLine
from kubenet_nb.cluster.ephemeral_containers import ephemeral_errors
from kubenet_nb.cluster.randomness import ALPHANUMS
from kubenet_nb.kubectl.command import NAMESPACE_FLAG, Invocation, namespace_of, parse_flags
from kubenet_nb.kubectl.commands.exec import NO_TTY
from kubenet_nb.kubectl.commands.logs import get_object
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.network.tools import Context, Execution, toolbox_for
from kubenet_nb.network.tools.shell import run_program

__all__ = ["run"]

PATH = "kubectl debug"
FLAGS = FlagSet(
    NAMESPACE_FLAG,
    Flag("image", default=""),
    Flag("container", "c", default=""),
    Flag("image-pull-policy", default=""),
    Flag("stdin", "i", "bool"),
    Flag("tty", "t", "bool"),
    Flag("quiet", "q", "bool"),
    Flag("attach", kind="bool"),
    Flag("target", default=""),
    Flag("profile", default="legacy"),
    Flag("arguments-only", kind="bool"),
    Flag("copy-to", default=""),
    Flag("filename", "f", "list"),
)
LEGACY_WARNING = (
    "--profile=legacy is deprecated and will be removed in the future. It is recommended to "
    'explicitly specify a profile, for example "--profile=general".'
)
PROMPT = "If you don't see a command prompt, try pressing enter."
PROFILES: dict[str, dict] = {
    "legacy": {},
    "general": {"capabilities": {"add": ["SYS_PTRACE"]}},
    "baseline": {},
    "netadmin": {"capabilities": {"add": ["NET_ADMIN", "NET_RAW"]}},
    "sysadmin": {"privileged": True},
    "restricted": {
        "runAsNonRoot": True,
        "capabilities": {"drop": ["ALL"]},
        "allowPrivilegeEscalation": False,
        "seccompProfile": {"type": "RuntimeDefault"},
    },
}
"""The securityContext each profile gives an ephemeral container (profiles.go)."""
PULL_POLICIES = ("Always", "IfNotPresent", "Never", "")
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN = r"[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?"
_REFERENCE = re.compile(
    rf"^(?:{_DOMAIN}(?:\.{_DOMAIN})*(?::[0-9]+)?/)?{_COMPONENT}(?:/{_COMPONENT})*"
    r"(?::\w[\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$"
)
"""distribution/reference's ReferenceRegexp (a name with optional domain, tag and digest)."""


def _validate(invocation: Invocation, values: dict, targets: list[str]) -> None:
    """Complete's and Validate's checks, in kubectl's order, with their messages."""
    if values["profile"] not in PROFILES:
        raise KubectlError(f"unknown profile: {values['profile']}")
    if values["attach_changed"] and values["attach"] and not values["image"]:
        if not values["container"]:
            raise KubectlError(
                "you must specify --container or create a new container using --image in "
                "order to attach."
            )
    if values["copy-to"] or values["filename"]:
        raise KubenetError("kubectl debug --copy-to and -f are not simulated by kubenet-nb")
    if not values["image"]:
        raise KubectlError("you must specify --image when not using --copy-to.")
    if not _REFERENCE.match(values["image"]):
        raise KubectlError(f'invalid image name "{values["image"]}": invalid reference format')
    if not targets:
        raise KubectlError("NAME or filename is required for debug")
    if values["image-pull-policy"] not in PULL_POLICIES:
        raise KubectlError(f"invalid image pull policy: {values['image-pull-policy']}")
    if values["target"] and not values["quiet"]:
        invocation.terminal.out(
            f'Targeting container "{values["target"]}". If you don\'t see processes from this '
            "container it may be because the container runtime doesn't support this feature."
        )
    if values["tty"] and not values["stdin"]:
        raise KubectlError("-i/--stdin is required for containers with -t/--tty=true")
    if values["profile"] == "legacy":
        invocation.terminal.err(LEGACY_WARNING)


def _name(invocation: Invocation, pod: dict, values: dict) -> str:
    """computeDebugContainerName: -c, else `debugger-` and five random characters."""
    if values["container"]:
        return values["container"]
    spec = pod.get("spec") or {}
    taken = {
        c["name"]
        for key in ("containers", "initContainers", "ephemeralContainers")
        for c in spec.get(key) or []
    }
    count = len(spec.get("ephemeralContainers") or [])
    seed = f"kubectl-debug/{invocation.cluster.seed}/{pod['metadata'].get('uid')}/{count}"
    rng = random.Random(seed)
    name = ""
    while not name or name in taken:
        name = "debugger-" + "".join(rng.choice(ALPHANUMS) for _ in range(5))
    if not values["quiet"]:
        invocation.terminal.out(f"Defaulting debug container name to {name}.")
    return name


def _container(name: str, values: dict, command: list[str]) -> dict:
    """generateDebugContainer's EphemeralContainer, with the profile applied."""
    container: dict = {"name": name, "image": values["image"]}
    if values["image-pull-policy"]:
        container["imagePullPolicy"] = values["image-pull-policy"]
    if command:
        container["args" if values["arguments-only"] else "command"] = command
    if values["stdin"]:
        container["stdin"] = True
    if values["tty"]:
        container["tty"] = True
    container["terminationMessagePolicy"] = "File"
    if values["target"]:
        container["targetContainerName"] = values["target"]
    if PROFILES[values["profile"]]:
        container["securityContext"] = PROFILES[values["profile"]]
    return container


def _run_command(invocation: Invocation, pod: dict, container: dict) -> Execution:
    """The container's process, in the pod's network namespace, run to its end."""
    toolbox = toolbox_for(container["image"])
    argv = [*(container.get("command") or []), *(container.get("args") or [])] or ["sh"]
    result = Execution()
    if not toolbox.has(argv[0]):
        result.exit_code = 128  # the runtime cannot start it (StartError)
        return result
    context = Context(
        invocation.cluster,
        pod,
        container,
        toolbox,
        proxy=invocation.proxy,
        tty=bool(container.get("tty")),
        stdin=invocation.stdin if container.get("stdin") else "",
    )
    return run_program(context, argv)


def _debug(
    invocation: Invocation, name: str, namespace: str, values: dict, command: list[str]
) -> None:
    cluster = invocation.cluster
    pod = get_object(cluster, name, namespace)
    if pod["kind"] != "Pod":
        raise KubenetError(f"kubectl debug of a {pod['kind']} is not simulated by kubenet-nb")
    container = _container(_name(invocation, pod, values), values, command)
    errors = ephemeral_errors(pod, container)
    if errors:
        raise Invalid("Pod", pod["metadata"]["name"], errors)
    scheduled = bool((pod.get("spec") or {}).get("nodeName"))
    if values["attach"] and not scheduled:
        raise KubenetError(
            f"kubectl debug would wait for the container to start: pod {name} is not scheduled"
        )
    result = _run_command(invocation, pod, container) if scheduled else None
    exit_code = result.exit_code if result is not None else None
    stored = cluster.add_ephemeral_container(
        pod["metadata"]["name"], container, namespace, exit_code
    )
    if result is None:
        return
    now = cluster.clock.now
    for stream, text in result.parts:
        for line in text.splitlines():
            kind = "stdout" if stream == "out" else "stderr"
            cluster.container_logs.append(stored, container["name"], LogLine(now, line, kind))
    if values["attach"]:
        if values["tty"] and not values["quiet"]:
            invocation.terminal.err(NO_TTY)
        if not values["quiet"]:
            invocation.terminal.err(PROMPT)
        invocation.terminal.parts.extend(result.parts)


def run(invocation: Invocation) -> None:
    """Add a debug container to each pod named and run its command there."""
    parsed = parse_flags(FLAGS, invocation.argv, PATH)
    values = dict(parsed.values)
    values["attach_changed"] = "attach" in parsed.changed
    if not values["attach_changed"] and values["stdin"]:
        values["attach"] = True
    _validate(invocation, values, parsed.args)
    namespace, _ = namespace_of(parsed)
    for name in parsed.args:
        _debug(invocation, name, namespace, values, parsed.after_dash)
