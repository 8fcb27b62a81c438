"""`kubectl create deployment|service|namespace|-f`: the objects kubectl builds and sends.

The builders are pure functions from flags to the object kubectl v1.33 POSTs, as its
`--dry-run=client -o yaml` prints it (k8s.io/kubectl/pkg/cmd/create/create_deployment.go,
create_service.go, create_namespace.go): `creationTimestamp: null`, empty `strategy`, `status`
and `resources` included, labels and selector `app=NAME`. The server does the defaulting.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from kubenet_nb.api.errors import KubectlError, KubenetError, StatusError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.names import is_dns1123_subdomain, is_valid_port_name, is_valid_port_num
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    first_argument,
    namespace_of,
    parse_flags,
    print_object,
    printing,
    require,
    usage_error,
)
from kubenet_nb.kubectl.commands.apply import create_from_files
from kubenet_nb.kubectl.commands.create_batch import create_cronjob, create_job
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.generate import atoi, int32, submit

__all__ = [
    "build_deployment",
    "build_namespace",
    "build_service",
    "container_name",
    "parse_tcp",
    "run",
]

_COMMON: tuple[Flag, ...] = (
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("save-config", kind="bool"),
)
_COMMON += (Flag("validate", default="strict"), Flag("field-manager", default="kubectl-create"))
_DEPLOYMENT = FlagSet(
    *_COMMON,
    Flag("image", kind="list"),
    Flag("port", kind="int32", default=-1),
    Flag("replicas", "r", "int32", 1),
)
_TCP = Flag("tcp", kind="list")
_SERVICE = {  # subcommand: (type, flags)
    "clusterip": ("ClusterIP", FlagSet(*_COMMON, _TCP, Flag("clusterip", default=""))),
    "nodeport": ("NodePort", FlagSet(*_COMMON, _TCP, Flag("node-port", kind="int", default=0))),
    "loadbalancer": ("LoadBalancer", FlagSet(*_COMMON, _TCP)),
    "externalname": ("ExternalName", FlagSet(*_COMMON, _TCP, Flag("external-name", default=""))),
}
_NAMESPACE = FlagSet(*_COMMON)
_SUBCOMMANDS = {"deploy": "deployment", "svc": "service", "ns": "namespace", "cj": "cronjob"}
_VALUE_FLAGS = ("-f", "--filename", "-n", "--namespace", "-o", "--output")
_SERVICE_HELP = """Create a service using a specified subcommand.

Aliases:
service, svc

Available Commands:
  clusterip      Create a ClusterIP service
  externalname   Create an ExternalName service
  loadbalancer   Create a LoadBalancer service
  nodeport       Create a NodePort service

Usage:
  kubectl create service [flags] [options]

Use "kubectl create service <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands)."""
_DIGITS = re.compile(r"[0-9]+")


def container_name(image: str, suffix: Callable[[], str]) -> str:
    """The container name create deployment derives from an image (basename, no tag/digest).

    Names with `_` or `.` get those replaced by `-` plus a random 5-character suffix.

    >>> container_name("registry.k8s.io/e2e-test-images/agnhost:2.39", lambda: "x")
    'agnhost'
    """
    name = image.split("/")[-1].split(":")[0].split("@")[0]
    if "_" in name or "." in name:
        name = name.replace("_", "-").replace(".", "-") + "-" + suffix()
    return name


def build_deployment(
    name: str,
    images: list[str],
    *,
    replicas: int = 1,
    port: int = -1,
    command: list[str] | None = None,
    namespace: str | None = None,
    suffix: Callable[[], str] = lambda: "",
) -> dict:
    """The Deployment `kubectl create deployment NAME --image=...` sends."""
    labels = {"app": name}
    containers = []
    for image in images:
        container: dict = {"name": container_name(image, suffix), "image": image}
        if command:
            container["command"] = list(command)
        container["resources"] = {}
        containers.append(container)
    if port >= 0 and containers:
        containers[0]["ports"] = [{"containerPort": port}]
    metadata: dict = {"name": name, "creationTimestamp": None, "labels": dict(labels)}
    if namespace:
        metadata["namespace"] = namespace
    return {
        "kind": "Deployment",
        "apiVersion": "apps/v1",
        "metadata": metadata,
        "spec": {
            "replicas": replicas,
            "selector": {"matchLabels": dict(labels)},
            "template": {
                "metadata": {"creationTimestamp": None, "labels": dict(labels)},
                "spec": {"containers": containers},
            },
            "strategy": {},
        },
        "status": {},
    }


def parse_tcp(spec: str) -> tuple[int, int | str]:
    """`--tcp=port[:targetPort]` as create_service.go's parsePorts reads it."""
    parts = spec.split(":")
    if not _DIGITS.fullmatch(parts[0]):
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(parts[0])}: invalid syntax")
    digits = parts[0].lstrip("0") or "0"
    if len(digits) > 5 or int(digits) > 65535:
        raise KubectlError(f"strconv.ParseUint: parsing {go_quote(parts[0])}: value out of range")
    port = int(digits)
    if len(parts) == 1:
        return port, port
    target = parts[1]
    try:
        number = atoi(target)
    except KubectlError:
        errors = is_valid_port_name(target)
        if errors:
            raise KubectlError(",".join(errors)) from None
        return port, target
    errors = is_valid_port_num(number)
    if errors:
        raise KubectlError(",".join(errors))
    return port, number


def build_service(
    service_type: str,
    name: str,
    *,
    tcp: list[str] | None = None,
    cluster_ip: str = "",
    node_port: int = 0,
    external_name: str = "",
    namespace: str | None = None,
) -> dict:
    """The Service `kubectl create service TYPE NAME` sends (type as the API spells it)."""
    ports = []
    for port_spec in tcp or []:
        port, target = parse_tcp(port_spec)
        entry: dict = {"name": port_spec.replace(":", "-"), "port": port, "protocol": "TCP"}
        entry["targetPort"] = target
        if int32(node_port):
            entry["nodePort"] = int32(node_port)
        ports.append(entry)
    metadata: dict = {"name": name, "creationTimestamp": None, "labels": {"app": name}}
    if namespace:
        metadata["namespace"] = namespace
    spec: dict = {"selector": {"app": name}, "type": service_type}
    if ports:
        spec["ports"] = ports
    if cluster_ip:
        spec["clusterIP"] = cluster_ip
    if external_name:
        spec["externalName"] = external_name
    service = {"kind": "Service", "apiVersion": "v1", "metadata": metadata, "spec": spec}
    return {**service, "status": {"loadBalancer": {}}}


def build_namespace(name: str) -> dict:
    """The Namespace `kubectl create namespace NAME` sends."""
    metadata = {"name": name, "creationTimestamp": None}
    return {"kind": "Namespace", "apiVersion": "v1", "metadata": metadata, "spec": {}, "status": {}}


def _one_name(args: list[str], path: str) -> str:
    """create.NameFromCommandArgs: exactly one argument before `--`."""
    if len(args) != 1:
        raise usage_error(f"exactly one NAME is required, got {len(args)}", path)
    return args[0]


def _send(
    invocation: Invocation, obj: dict, namespace: str | None, wrap: str, output: str, dry_run: bool
) -> None:
    """POST the object (into `namespace`, None for cluster-scoped kinds) and print the result.

    `wrap` is the prefix create deployment and create service put before the server's message.
    """
    try:
        obj = submit(invocation, obj, namespace, dry_run)
    except StatusError as error:
        if not wrap:
            raise
        raise KubectlError(f"{wrap}: {error.message}") from None
    print_object(invocation.terminal, obj, "created", output, dry_run)


def _deployment(invocation: Invocation, argv: list[str]) -> None:
    path = "kubectl create deployment"
    parsed = parse_flags(_DEPLOYMENT, argv, path)
    require(parsed, "image")
    name = _one_name(parsed.args, path)
    output, dry_run = printing(parsed)
    images = [image for value in parsed["image"] for image in value.split(",")]
    if len(images) > 1 and parsed.after_dash:
        raise KubectlError("cannot specify multiple --image options and command")
    namespace, enforced = namespace_of(parsed)
    # The container names' random suffixes are drawn before the POST; a refused command leaves
    # the randomness as it was, as the API server leaves it for a refused request.
    random = invocation.cluster.random
    state = random.getstate()
    obj = build_deployment(
        name,
        images,
        replicas=parsed["replicas"],
        port=parsed["port"],
        command=parsed.after_dash,
        namespace=namespace if enforced else None,
        suffix=lambda: random.string(5),
    )
    try:
        _send(invocation, obj, namespace, "failed to create deployment", output, dry_run)
    except KubenetError:
        random.setstate(state)
        raise


def _service(invocation: Invocation, argv: list[str]) -> None:
    kind, rest = first_argument(argv, _VALUE_FLAGS)
    if kind not in _SERVICE:
        parsed = parse_flags(FlagSet(NAMESPACE_FLAG), argv, "kubectl create service")
        if parsed.args:
            unknown = " ".join(parsed.args)
            raise usage_error(f'unknown command "{unknown}"', "kubectl create service")
        raise KubectlError(_SERVICE_HELP, prefix="")
    path = f"kubectl create service {kind}"
    service_type, flags = _SERVICE[kind]
    parsed = parse_flags(flags, rest, path)
    if kind == "externalname":
        require(parsed, "external-name")
    name = _one_name(parsed.args, path)
    output, dry_run = printing(parsed)
    values = parsed.values
    tcp = [spec for value in values["tcp"] for spec in value.split(",")]
    cluster_ip = values.get("clusterip") or ""
    if cluster_ip != "None" and not tcp and service_type != "ExternalName":
        raise KubectlError("at least one tcp port specifier must be provided")
    external_name = values.get("external-name") or ""
    if service_type == "ExternalName" and is_dns1123_subdomain(external_name):
        raise KubectlError(f"invalid service external name {external_name}")
    namespace, enforced = namespace_of(parsed)
    obj = build_service(
        service_type,
        name,
        tcp=tcp,
        cluster_ip=cluster_ip,
        node_port=values.get("node-port") or 0,
        external_name=external_name,
        namespace=namespace if enforced else None,
    )
    _send(invocation, obj, namespace, f"failed to create {service_type} service", output, dry_run)


def _namespace(invocation: Invocation, argv: list[str]) -> None:
    path = "kubectl create namespace"
    parsed = parse_flags(_NAMESPACE, argv, path)
    name = _one_name(parsed.args, path)
    output, dry_run = printing(parsed)
    _send(invocation, build_namespace(name), None, "", output, dry_run)


def run(invocation: Invocation) -> None:
    """`kubectl create ...`."""
    name, rest = first_argument(invocation.argv, _VALUE_FLAGS)
    which = _SUBCOMMANDS.get(name or "", name)
    if which == "deployment":
        _deployment(invocation, rest)
    elif which == "service":
        _service(invocation, rest)
    elif which == "namespace":
        _namespace(invocation, rest)
    elif which == "job":
        create_job(invocation, rest)
    elif which == "cronjob":
        create_cronjob(invocation, rest)
    else:
        create_from_files(invocation, invocation.argv)
