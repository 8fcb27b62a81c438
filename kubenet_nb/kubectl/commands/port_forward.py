"""`kubectl port-forward TYPE/NAME [options] [LOCAL_PORT:]REMOTE_PORT [...]`.

As kubectl v1.33 (kubernetes/kubectl pkg/cmd/portforward/portforward.go @ v0.33.0) and
client-go's forwarder (kubernetes/client-go tools/portforward/portforward.go @ v0.33.0):

- `TYPE/NAME and list of ports are required for port-forward` with fewer than two arguments;
  the object as the builder gets it (`Error from server (NotFound): pods "x" not found`, the
  namespace's NotFound when a namespace other than default is missing);
- the pod: the object itself, or the one `kubectl exec` would pick
  (polymorphichelpers.AttachablePodForObjectFn);
- ports: a Service port is translated to its pod's target port (`Service web does not have a
  service port 81`, a named target port looked up in the pod), a pod's named port to its number
  (`Pod 'web' does not have a named port 'http'`); a UDP-only port is refused (`UDP protocol is
  not supported for 53`); `remote port cannot be empty`;
- the pod must be running: `unable to forward port because pod is not running. Current
  status=Pending`; then client-go parses `--address` (`localhost` is 127.0.0.1 and ::1, sorted)
  and the ports (`invalid port format '1:2:3'`, `error parsing local port ...: strconv...`,
  `remote port must be > 0`); a local port of 0 (or `:80`) gets a free one;
- each listener prints `Forwarding from 127.0.0.1:8080 -> 80`; a port already taken on every
  address prints `Unable to listen on port 8080: Listeners failed to create with the following
  errors: [...]` on stderr, and with no port listening kubectl ends with `unable to listen on
  any of the requested ports: [{8080 80}]`.

A real port-forward runs until Ctrl-C; in a notebook the command returns once it listens, and
the forwards stay in the cluster (`network/port_forward.py`) until `Cluster.stop_port_forward`.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.strconv import NumError, parse_int, parse_uint
from kubenet_nb.kubectl.command import (
    NAMESPACE_FLAG,
    Invocation,
    namespace_of,
    parse_flags,
    usage_error,
)
from kubenet_nb.kubectl.commands.exec import parse_duration, pick_pod
from kubenet_nb.kubectl.commands.logs import get_object
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags
from kubenet_nb.network.dataplane import dataplane
from kubenet_nb.network.port_forward import EPHEMERAL, Forward, forwards

__all__ = ["run"]

PATH = "kubectl port-forward"
FLAGS = FlagSet(
    NAMESPACE_FLAG,
    Flag("address", kind="list"),
    Flag("pod-running-timeout", default="1m0s"),
)


def _split(port: str) -> tuple[str, str]:
    """splitPort: `[LOCAL:]REMOTE`; anything but one colon counts as REMOTE alone."""
    parts = port.split(":")
    return (parts[0], parts[1]) if len(parts) == 2 else (parts[0], parts[0])


def _number(text: str) -> int | None:
    """strconv.Atoi, None when it fails."""
    try:
        return parse_int(text, 10, 64)
    except NumError:
        return None


def _named_container_port(pod: dict, name: str) -> int:
    """util.LookupContainerPortNumberByName: regular containers, then init containers."""
    spec = pod.get("spec") or {}
    for container in [*(spec.get("containers") or []), *(spec.get("initContainers") or [])]:
        for port in container.get("ports") or []:
            if (port.get("name") or "") == name:  # an unnamed port's name is ""
                return int(port["containerPort"])
    raise KubectlError(f"Pod '{pod['metadata']['name']}' does not have a named port '{name}'")


def _named_service_port(service: dict, name: str) -> int:
    for port in (service.get("spec") or {}).get("ports") or []:
        if (port.get("name") or "") == name:
            return int(port["port"])
    raise KubectlError(
        f"Service '{service['metadata']['name']}' does not have a named port '{name}'"
    )


def _check_udp(ports: list[str], declared: list[tuple[int, str]], lookup: object) -> None:
    """checkUDPPorts: a remote port declared only as UDP cannot be forwarded."""
    udp = {n for n, p in declared if p == "UDP"} - {n for n, p in declared if p == "TCP"}
    for port in ports:
        remote = _split(port)[1]
        number = _number(remote)
        if number is None:
            number = lookup(remote)  # type: ignore[operator]
        if number in udp:
            raise KubectlError(f"UDP protocol is not supported for {remote}")


def _service_ports(service: dict, pod: dict, ports: list[str]) -> list[str]:
    """translateServicePortToTargetPort: each Service port becomes its pod's target port."""
    spec = service.get("spec") or {}
    declared = [(int(p["port"]), p.get("protocol") or "TCP") for p in spec.get("ports") or []]
    _check_udp(ports, declared, lambda name: _named_service_port(service, name))
    translated = []
    for port in ports:
        local, remote = _split(port)
        number = _number(remote)
        if number is None:
            number = _named_service_port(service, remote)
            if local == remote:
                local = str(number)
        entry = next((p for p in spec.get("ports") or [] if int(p["port"]) == number), None)
        if entry is None:
            raise KubectlError(
                f"Service {service['metadata']['name']} does not have a service port {number}"
            )
        target = entry.get("targetPort")
        if spec.get("clusterIP") == "None" or target in (None, 0):
            container_port = number
        elif isinstance(target, int):
            container_port = target
        else:
            container_port = _named_container_port(pod, str(target))
        translated.append(
            f"{local}:{container_port}" if local != str(container_port) else str(container_port)
        )
    return translated


def _pod_ports(pod: dict, ports: list[str]) -> list[str]:
    """convertPodNamedPortToNumber, after checkUDPPortInPod."""
    declared = [
        (int(p["containerPort"]), p.get("protocol") or "TCP")
        for c in (pod.get("spec") or {}).get("containers") or []
        for p in c.get("ports") or []
    ]
    _check_udp(ports, declared, lambda name: _named_container_port(pod, name))
    converted = []
    for port in ports:
        local, remote = _split(port)
        if not remote:
            raise KubectlError("remote port cannot be empty")
        number = str(_named_container_port(pod, remote)) if _number(remote) is None else remote
        converted.append(f"{local}:{number}" if local != remote else number)
    return converted


def _addresses(given: list[str]) -> list[str]:
    """client-go's parseAddresses: `localhost` is 127.0.0.1 and ::1; sorted as strings."""
    found: set[str] = set()
    for entry in given or ["localhost"]:
        for address in entry.split(","):
            if address == "localhost":
                found |= {"127.0.0.1", "::1"}
                continue
            try:
                found.add(str(ipaddress.ip_address(address)))
            except ValueError:
                raise KubectlError(f"{address} is not a valid IP") from None
    return sorted(found)


def _parse_ports(ports: list[str]) -> list[tuple[int, int]]:
    """client-go's parsePorts: (local, remote); `:80` has local port 0."""
    parsed = []
    for text in ports:
        parts = text.split(":")
        if len(parts) > 2:
            raise KubectlError(f"invalid port format '{text}'")
        local, remote = (parts[0] or "0", parts[1]) if len(parts) == 2 else (parts[0], parts[0])
        try:
            local_port = parse_uint(local, 10, 16)
        except NumError as error:
            raise KubectlError(f"error parsing local port '{local}': {error}") from None
        try:
            remote_port = parse_uint(remote, 10, 16)
        except NumError as error:
            raise KubectlError(f"error parsing remote port '{remote}': {error}") from None
        if remote_port == 0:
            raise KubectlError("remote port must be > 0")
        parsed.append((local_port, remote_port))
    return parsed


_LOCALHOST = ("127.0.0.1", "::1")


def _localhost(parsed: ParsedFlags) -> bool:
    """Whether `localhost` was asked for: its two listeners fail only together."""
    given = parsed.values["address"] or ["localhost"]
    return any("localhost" in entry.split(",") for entry in given)


def _shown(address: str, port: int) -> str:
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def run(invocation: Invocation) -> None:
    """Start forwarding the ports and print where kubectl listens."""
    parsed = parse_flags(FLAGS, invocation.argv, PATH)
    args = parsed.args
    if len(args) < 2:
        raise usage_error("TYPE/NAME and list of ports are required for port-forward", PATH)
    timeout = parsed.values["pod-running-timeout"]
    try:
        seconds = parse_duration(timeout)
    except ValueError as error:
        raise KubectlError(
            f'invalid argument "{timeout}" for "--pod-running-timeout" flag: {error}\n'
            f"See '{PATH} --help' for usage."
        ) from None
    if seconds <= 0:
        raise usage_error("--pod-running-timeout must be higher than zero", PATH)
    namespace, _ = namespace_of(parsed)
    cluster = invocation.cluster
    obj = get_object(cluster, args[0], namespace)
    pod = obj if obj["kind"] == "Pod" else pick_pod(cluster, obj)
    if obj["kind"] == "Service":
        ports = _service_ports(obj, pod, args[1:])
    else:
        ports = _pod_ports(pod, args[1:])
    phase = (pod.get("status") or {}).get("phase") or ""
    if phase != "Running":
        raise KubectlError(
            f"unable to forward port because pod is not running. Current status={phase}"
        )
    addresses = _addresses(parsed.values["address"])
    table = forwards(cluster)
    rng = dataplane(cluster).rng
    meta = pod["metadata"]
    listening = 0
    for local, remote in _parse_ports(ports):
        port = local or rng.randint(*EPHEMERAL)
        failed: list[str] = []
        for address in addresses:
            if table.bound(address, port):
                failed.append(address)
                continue
            owner = (meta.get("namespace", "default"), meta["name"], meta["uid"])
            table.add(Forward(address, port, remote, *owner))
            invocation.terminal.out(f"Forwarding from {_shown(address, port)} -> {remote}")
        grouped = [a for a in addresses if a in _LOCALHOST] if _localhost(parsed) else []
        every = bool(grouped) and all(a in failed for a in grouped)
        if every or any(a not in grouped for a in failed):
            errors = " ".join(
                f"unable to create listener: Error listen tcp{6 if ':' in a else 4} "
                f"{_shown(a, port)}: bind: address already in use"
                for a in failed
            )
            invocation.terminal.err(
                f"Unable to listen on port {port}: Listeners failed to create with the "
                f"following errors: [{errors}]"
            )
        else:
            listening += 1
    if not listening:
        shown = " ".join(f"{{{local} {remote}}}" for local, remote in _parse_ports(ports))
        raise KubectlError(f"unable to listen on any of the requested ports: [{shown}]")
