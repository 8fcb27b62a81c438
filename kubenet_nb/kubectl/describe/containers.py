"""The container and volume sections `kubectl describe` prints for pods and pod templates.

k8s.io/kubectl/pkg/describe/describe.go `describeContainers` (ports, command, state, resources,
probes, environment, mounts), `DescribeProbe`, `describeVolumes` and `printController`.
"""

from __future__ import annotations

from kubenet_nb.api.quantity import Quantity
from kubenet_nb.kubectl.describe.writer import Writer, bool_text
from kubenet_nb.kubectl.printers.age import rfc1123z

__all__ = ["controller_of", "print_containers", "print_host_path", "print_volumes"]


def controller_of(meta: dict) -> str:
    """`printController`: `Kind/name` of the controlling owner, or empty."""
    for owner in meta.get("ownerReferences") or []:
        if owner.get("controller"):
            return f"{owner.get('kind', '')}/{owner.get('name', '')}"
    return ""


def _ports(ports: list[dict], field: str) -> str:
    return ", ".join(f"{p.get(field, 0)}/{p.get('protocol', 'TCP')}" for p in ports)


def _state(w: Writer, title: str, state: dict) -> None:
    if state.get("running") is not None:
        w.write(2, f"{title}:\tRunning\n")
        w.write(3, f"Started:\t{rfc1123z(state['running'].get('startedAt', ''))}\n")
    elif state.get("terminated") is not None:
        done = state["terminated"]
        w.write(2, f"{title}:\tTerminated\n")
        if done.get("reason"):
            w.write(3, f"Reason:\t{done['reason']}\n")
        if done.get("message"):
            w.write(3, f"Message:\t{done['message']}\n")
        w.write(3, f"Exit Code:\t{done.get('exitCode', 0)}\n")
        if done.get("signal", 0) > 0:
            w.write(3, f"Signal:\t{done['signal']}\n")
        w.write(3, f"Started:\t{rfc1123z(done.get('startedAt', ''))}\n")
        w.write(3, f"Finished:\t{rfc1123z(done.get('finishedAt', ''))}\n")
    else:
        w.write(2, f"{title}:\tWaiting\n")
        reason = (state.get("waiting") or {}).get("reason")
        if reason:
            w.write(3, f"Reason:\t{reason}\n")


def _probe(probe: dict) -> str:
    attrs = (
        f"delay={probe.get('initialDelaySeconds', 0)}s timeout={probe.get('timeoutSeconds', 0)}s "
        f"period={probe.get('periodSeconds', 0)}s #success={probe.get('successThreshold', 0)} "
        f"#failure={probe.get('failureThreshold', 0)}"
    )
    if probe.get("exec"):
        return f"exec [{' '.join(probe['exec'].get('command') or [])}] {attrs}"
    if probe.get("httpGet"):
        get = probe["httpGet"]
        host = get.get("host", "")
        port = get.get("port", "")
        hostport = f"{host}:{port}" if str(port) else host
        scheme = get.get("scheme", "HTTP").lower()
        return f"http-get {scheme}://{hostport}{get.get('path', '')} {attrs}"
    if probe.get("tcpSocket"):
        socket = probe["tcpSocket"]
        return f"tcp-socket {socket.get('host', '')}:{socket.get('port', '')} {attrs}"
    if probe.get("grpc"):
        return f"grpc <pod>:{probe['grpc'].get('port')} {probe['grpc'].get('service', '')} {attrs}"
    return f"unknown {attrs}"


def _resources(w: Writer, resources: dict | None, level: int) -> None:
    for title, key in (("Limits", "limits"), ("Requests", "requests")):
        values = (resources or {}).get(key) or {}
        if values:
            w.write(level, f"{title}:\n")
        for name in sorted(values):
            w.write(level + 1, f"{name}:\t{Quantity(values[name])}\n")


# k8s.io/kubectl/pkg/util/fieldpath ExtractFieldPathAsString resolves metadata fields only; other
# paths (status.podIP, spec.nodeName) print an empty value.
_FIELD_PATHS = {
    "metadata.name": lambda pod: pod.get("metadata", {}).get("name", ""),
    "metadata.namespace": lambda pod: pod.get("metadata", {}).get("namespace", ""),
    "metadata.uid": lambda pod: pod.get("metadata", {}).get("uid", ""),
}


def _environment(w: Writer, container: dict, pod: dict | None) -> None:
    """`describeContainerEnvFrom` and `describeContainerEnvVars`."""
    sources = container.get("envFrom") or []
    if sources:
        w.write(2, "Environment Variables from:\n")
    for source in sources:
        kind = "ConfigMap" if "configMapRef" in source else "Secret"
        ref = source.get("configMapRef") or source.get("secretRef") or {}
        optional = str(bool(ref.get("optional"))).lower()
        prefix = f" with prefix '{source['prefix']}'" if source.get("prefix") else ""
        w.write(3, f"{ref.get('name', '')}\t{kind}{prefix}\tOptional: {optional}\n")
    env = container.get("env") or []
    w.write(2, f"Environment:{'' if env else chr(9) + '<none>'}\n")
    for var in env:
        name, source = var.get("name", ""), var.get("valueFrom")
        if source is None:
            for i, part in enumerate(str(var.get("value", "")).split("\n")):
                w.write(3, f"{name}:\t{part}\n" if i == 0 else f"\t{part}\n")
        elif "fieldRef" in source:
            ref = source["fieldRef"]
            path = ref.get("fieldPath", "")
            value = _FIELD_PATHS[path](pod) if pod is not None and path in _FIELD_PATHS else ""
            w.write(3, f"{name}:\t{value} ({ref.get('apiVersion', 'v1')}:{path})\n")
        elif "resourceFieldRef" in source:
            w.write(3, f"{name}:\t ({source['resourceFieldRef'].get('resource', '')})\n")
        elif "secretKeyRef" in source or "configMapKeyRef" in source:
            ref = source.get("secretKeyRef") or source.get("configMapKeyRef") or {}
            where = "in secret" if "secretKeyRef" in source else "of config map"
            optional = str(bool(ref.get("optional"))).lower()
            w.write(
                3,
                f"{name}:\t<set to the key '{ref.get('key', '')}' {where} "
                f"'{ref.get('name', '')}'>\tOptional: {optional}\n",
            )


def print_containers(
    w: Writer,
    title: str,
    containers: list[dict],
    statuses: list[dict] | None,
    space: str,
    pod: dict | None = None,
) -> None:
    """`describeContainers`: one block per container, with its status when there is one."""
    by_name = {s.get("name"): s for s in statuses or []}
    w.write(0, f"{space}{title}:{'' if containers else ' <none>'}\n")
    for container in containers:
        status = by_name.get(container.get("name"))
        w.write(1, f"{' ' if space else ''}{container.get('name', '')}:\n")
        if status is not None:
            w.write(2, f"Container ID:\t{status.get('containerID', '')}\n")
        w.write(2, f"Image:\t{container.get('image', '')}\n")
        if status is not None:
            w.write(2, f"Image ID:\t{status.get('imageID', '')}\n")
        ports = container.get("ports") or []
        shown = _ports(ports, "containerPort")
        w.write(2, f"{'Ports' if ',' in shown else 'Port'}:\t{shown or '<none>'}\n")
        shown = _ports(ports, "hostPort")
        w.write(2, f"{'Host Ports' if ',' in shown else 'Host Port'}:\t{shown or '<none>'}\n")
        for key, label in (("command", "Command"), ("args", "Args")):
            if container.get(key):
                w.write(2, f"{label}:\n")
                for item in container[key]:
                    for part in item.split("\n"):
                        w.write(3, f"{part}\n")
        if status is not None:
            _state(w, "State", status.get("state") or {})
            if (status.get("lastState") or {}).get("terminated"):
                _state(w, "Last State", status["lastState"])
            w.write(2, f"Ready:\t{bool_text(bool(status.get('ready')))}\n")
            w.write(2, f"Restart Count:\t{status.get('restartCount', 0)}\n")
        _resources(w, container.get("resources"), 2)
        for key, label in (
            ("livenessProbe", "Liveness"),
            ("readinessProbe", "Readiness"),
            ("startupProbe", "Startup"),
        ):
            if container.get(key):
                w.write(2, f"{label}:\t{_probe(container[key])}\n")
        _environment(w, container, pod)
        mounts = sorted(container.get("volumeMounts") or [], key=lambda m: m.get("mountPath", ""))
        w.write(2, f"Mounts:{'' if mounts else chr(9) + '<none>'}\n")
        for mount in mounts:
            flags = ["ro" if mount.get("readOnly") else "rw"]
            if mount.get("subPath"):
                flags.append(f'path="{mount["subPath"]}"')
            line = f"{mount.get('mountPath', '')} from {mount.get('name', '')} ({','.join(flags)})"
            w.write(3, line + "\n")


def _size_limit(text: str | None) -> str:
    """An emptyDir's sizeLimit, `<unset>` when absent or not positive."""
    if not text or Quantity(text).value <= 0:
        return "<unset>"
    return str(Quantity(text))


def print_host_path(w: Writer, source: dict) -> None:
    """`printHostPathVolumeSource`, for a pod's volume or a PersistentVolume."""
    w.write(
        2,
        "Type:\tHostPath (bare host directory volume)\n"
        f"    Path:\t{source.get('path', '')}\n"
        f"    HostPathType:\t{'<none>' if source.get('type') is None else source['type']}\n",
    )


def print_volumes(w: Writer, volumes: list[dict], space: str) -> None:
    """`describeVolumes`: each volume with its source's fields, or `<none>`."""
    if not volumes:
        w.write(0, f"{space}Volumes:\t<none>\n")
        return
    w.write(0, f"{space}Volumes:\n")
    for volume in volumes:
        w.write(1, f"{' ' if space else ''}{volume.get('name', '')}:\n")
        if "projected" in volume:
            w.write(
                2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n"
            )
            for source in volume["projected"].get("sources") or []:
                if "secret" in source:
                    optional = bool(source["secret"].get("optional"))
                    w.write(
                        2,
                        f"SecretName:\t{source['secret'].get('name', '')}\n"
                        f"    Optional:\t{str(optional).lower()}\n",
                    )
                elif "downwardAPI" in source:
                    w.write(2, "DownwardAPI:\ttrue\n")
                elif "configMap" in source:
                    optional = bool(source["configMap"].get("optional"))
                    w.write(
                        2,
                        f"ConfigMapName:\t{source['configMap'].get('name', '')}\n"
                        f"    Optional:\t{str(optional).lower()}\n",
                    )
                elif "serviceAccountToken" in source:
                    seconds = source["serviceAccountToken"].get("expirationSeconds", 3600)
                    w.write(2, f"TokenExpirationSeconds:\t{seconds}\n")
        elif "emptyDir" in volume:
            empty = volume["emptyDir"] or {}
            w.write(
                2,
                "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n"
                f"    Medium:\t{empty.get('medium', '')}\n"
                f"    SizeLimit:\t{_size_limit(empty.get('sizeLimit'))}\n",
            )
        elif "configMap" in volume:
            source = volume["configMap"]
            w.write(
                2,
                "Type:\tConfigMap (a volume populated by a ConfigMap)\n"
                f"    Name:\t{source.get('name', '')}\n"
                f"    Optional:\t{str(bool(source.get('optional'))).lower()}\n",
            )
        elif "secret" in volume:
            source = volume["secret"]
            w.write(
                2,
                "Type:\tSecret (a volume populated by a Secret)\n"
                f"    SecretName:\t{source.get('secretName', '')}\n"
                f"    Optional:\t{str(bool(source.get('optional'))).lower()}\n",
            )
        elif "persistentVolumeClaim" in volume:
            claim = volume["persistentVolumeClaim"]
            w.write(
                2,
                "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same "
                f"namespace)\n    ClaimName:\t{claim.get('claimName', '')}\n"
                f"    ReadOnly:\t{str(bool(claim.get('readOnly'))).lower()}\n",
            )
        elif "hostPath" in volume:
            print_host_path(w, volume["hostPath"])
        else:
            w.write(1, "<unknown>\n")
