"""Container validation for pod specs: names, images, ports, env, mounts, probes, init containers.

Follows validateContainers / validateInitContainers / validateContainerCommon and their helpers
(validateContainerPorts, ValidateEnv, ValidateVolumeMounts, validateProbe, validateHandler,
checkHostPortConflicts) in pkg/apis/core/validation/validation.go, in the same order so that
error lists read the same. Resource quantities and security contexts are not checked in depth.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    PORT_PROTOCOLS,
    validate_dns1123_label,
    validate_nonnegative,
    validate_port_num_or_name,
)
from kubenet_nb.api.names import is_valid_port_name, is_valid_port_num

__all__ = ["validate_containers", "validate_init_containers"]

_PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
_TERMINATION_POLICIES = ["File", "FallbackToLogsOnError"]


def _validate_container_ports(ports: list[dict], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, port in enumerate(ports):
        path = f"{field}[{i}]"
        name = port.get("name") or ""
        if name:
            problems = is_valid_port_name(name)
            if problems:
                errs.extend(FieldError.invalid(f"{path}.name", name, msg) for msg in problems)
            elif name in names:
                errs.append(FieldError.duplicate(f"{path}.name", name))
            else:
                names.add(name)
        container_port = port.get("containerPort", 0)
        if not container_port:
            errs.append(FieldError.required(f"{path}.containerPort"))
        else:
            errs.extend(
                FieldError.invalid(f"{path}.containerPort", container_port, msg)
                for msg in is_valid_port_num(container_port)
            )
        host_port = port.get("hostPort", 0)
        if host_port:
            errs.extend(
                FieldError.invalid(f"{path}.hostPort", host_port, msg)
                for msg in is_valid_port_num(host_port)
            )
        protocol = port.get("protocol") or ""
        if not protocol:
            errs.append(FieldError.required(f"{path}.protocol"))
        elif protocol not in PORT_PROTOCOLS:
            errs.append(FieldError.not_supported(f"{path}.protocol", protocol, PORT_PROTOCOLS))
    return errs


def _validate_env(env: list[dict], field: str) -> list[FieldError]:
    # RelaxedEnvironmentVariableValidation is on by default since v1.32.
    errs: list[FieldError] = []
    for i, var in enumerate(env):
        name = var.get("name") or ""
        if not name:
            errs.append(FieldError.required(f"{field}[{i}].name"))
        elif any(not 32 <= ord(c) < 127 or c == "=" for c in name):
            errs.append(
                FieldError.invalid(
                    f"{field}[{i}].name",
                    name,
                    "a valid environment variable name must consist "
                    "only of printable ASCII characters other than '='",
                )
            )
    return errs


def _validate_mounts(mounts: list[dict], volumes: set[str], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    paths: set[str] = set()
    for i, mount in enumerate(mounts):
        path = f"{field}[{i}]"
        name, mount_path = mount.get("name") or "", mount.get("mountPath") or ""
        if not name:
            errs.append(FieldError.required(f"{path}.name"))
        if name not in volumes:
            errs.append(FieldError.not_found(f"{path}.name", name))
        if not mount_path:
            errs.append(FieldError.required(f"{path}.mountPath"))
        if mount_path in paths:
            errs.append(FieldError.invalid(f"{path}.mountPath", mount_path, "must be unique"))
        paths.add(mount_path)
    return errs


def _validate_handler(handler: dict, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    count = 0
    for kind in ("exec", "httpGet", "tcpSocket", "grpc", "sleep"):
        action = handler.get(kind)
        if action is None:
            continue
        if count:
            errs.append(
                FieldError.forbidden(f"{field}.{kind}", "may not specify more than 1 handler type")
            )
            continue
        count += 1
        if kind == "exec" and not action.get("command"):
            errs.append(FieldError.required(f"{field}.exec.command"))
        if kind == "httpGet":
            if not action.get("path"):
                errs.append(FieldError.required(f"{field}.httpGet.path"))
            errs.extend(validate_port_num_or_name(action.get("port", 0), f"{field}.httpGet.port"))
            if action.get("scheme", "") not in ("HTTP", "HTTPS"):
                errs.append(
                    FieldError.not_supported(
                        f"{field}.httpGet.scheme", action.get("scheme", ""), ["HTTP", "HTTPS"]
                    )
                )
        if kind in ("tcpSocket", "grpc"):
            errs.extend(validate_port_num_or_name(action.get("port", 0), f"{field}.{kind}.port"))
    if not count:
        errs.append(FieldError.required(field, "must specify a handler type"))
    return errs


def _validate_probe(probe: dict | None, kind: str, field: str) -> list[FieldError]:
    if probe is None:
        return []
    errs = _validate_handler(probe, field)
    for key in (
        "initialDelaySeconds",
        "timeoutSeconds",
        "periodSeconds",
        "successThreshold",
        "failureThreshold",
    ):
        errs.extend(validate_nonnegative(probe.get(key, 0), f"{field}.{key}"))
    grace = probe.get("terminationGracePeriodSeconds")
    if grace is not None and grace <= 0:
        errs.append(
            FieldError.invalid(
                f"{field}.terminationGracePeriodSeconds", grace, "must be greater than 0"
            )
        )
    if kind in ("livenessProbe", "startupProbe") and probe.get("successThreshold", 1) != 1:
        errs.append(
            FieldError.invalid(
                f"{field}.successThreshold", probe.get("successThreshold"), "must be 1"
            )
        )
    if kind == "readinessProbe" and grace is not None:
        errs.append(
            FieldError.invalid(
                f"{field}.terminationGracePeriodSeconds",
                grace,
                "must not be set for readinessProbes",
            )
        )
    return errs


def _validate_container_common(container: dict, volumes: set[str], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    name = container.get("name") or ""
    if not name:
        errs.append(FieldError.required(f"{field}.name"))
    else:
        errs.extend(validate_dns1123_label(name, f"{field}.name"))
    if not container.get("image"):
        errs.append(FieldError.required(f"{field}.image"))
    policy = container.get("terminationMessagePolicy") or ""
    if not policy:
        errs.append(FieldError.required(f"{field}.terminationMessagePolicy"))
    elif policy not in _TERMINATION_POLICIES:
        errs.append(
            FieldError.not_supported(
                f"{field}.terminationMessagePolicy", policy, _TERMINATION_POLICIES
            )
        )
    errs.extend(_validate_container_ports(container.get("ports") or [], f"{field}.ports"))
    errs.extend(_validate_env(container.get("env") or [], f"{field}.env"))
    errs.extend(
        _validate_mounts(container.get("volumeMounts") or [], volumes, f"{field}.volumeMounts")
    )
    pull = container.get("imagePullPolicy") or ""
    if not pull:
        errs.append(FieldError.required(f"{field}.imagePullPolicy"))
    elif pull not in _PULL_POLICIES:
        errs.append(
            FieldError.not_supported(f"{field}.imagePullPolicy", pull, sorted(_PULL_POLICIES))
        )
    return errs


def _host_port_conflicts(containers: list[dict], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[str] = set()
    for ci, container in enumerate(containers):
        for pi, port in enumerate(container.get("ports") or []):
            if not port.get("hostPort"):
                continue
            key = f"{port.get('protocol', '')}/{port.get('hostIP', '')}/{port['hostPort']}"
            if key in seen:
                errs.append(FieldError.duplicate(f"{field}[{ci}].ports[{pi}].hostPort", key))
            seen.add(key)
    return errs


def validate_containers(containers: list[dict], volumes: set[str], field: str) -> list[FieldError]:
    """validateContainers: at least one, unique names, probes, no restartPolicy, host ports."""
    if not containers:
        return [FieldError.required(field)]
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, container in enumerate(containers):
        path = f"{field}[{i}]"
        errs.extend(_validate_container_common(container, volumes, path))
        name = container.get("name") or ""
        if name in names:
            errs.append(FieldError.duplicate(f"{path}.name", name))
        names.add(name)
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            errs.extend(_validate_probe(container.get(probe), probe, f"{path}.{probe}"))
        if container.get("restartPolicy") is not None:
            errs.append(
                FieldError.forbidden(
                    f"{path}.restartPolicy", "may not be set for non-init containers"
                )
            )
    return errs + _host_port_conflicts(containers, field)


def validate_init_containers(
    inits: list[dict], containers: list[dict], volumes: set[str], field: str
) -> list[FieldError]:
    """validateInitContainers: names unique among all containers; probes only for sidecars."""
    errs: list[FieldError] = []
    names = {c.get("name") or "" for c in containers}
    for i, container in enumerate(inits):
        path = f"{field}[{i}]"
        errs.extend(_validate_container_common(container, volumes, path))
        policy = container.get("restartPolicy")
        if policy is not None and policy != "Always":
            errs.append(FieldError.not_supported(f"{path}.restartPolicy", policy, ["Always"]))
        name = container.get("name") or ""
        if name in names:
            errs.append(FieldError.duplicate(f"{path}.name", name))
        elif name:
            names.add(name)
        errs.extend(_host_port_conflicts([container], field))
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if policy == "Always":
                errs.extend(_validate_probe(container.get(probe), probe, f"{path}.{probe}"))
            elif container.get(probe) is not None:
                errs.append(
                    FieldError.forbidden(
                        f"{path}.{probe}",
                        "may not be set for init containers without restartPolicy=Always",
                    )
                )
    return errs
