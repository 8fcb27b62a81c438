"""PodSpec defaulting and validation shared by Pods and the pod templates of workloads.

Defaults follow pkg/apis/core/v1/defaults.go (SetDefaults_PodSpec, SetDefaults_Container,
SetDefaults_Probe, ...) plus the `+default` markers (container port protocol TCP); validation
follows ValidatePodSpec / validateContainers / validateContainerPorts in
pkg/apis/core/validation/validation.go, in the same order so that error lists read the same.
Resource quantities, security contexts, affinity and volume sources are not checked in depth.
"""

from __future__ import annotations

import re

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_dns1123_label,
    validate_label_name,
    validate_labels,
    validate_nonnegative,
)
from kubenet_nb.api.names import (
    is_valid_ip,
    is_valid_label_value,
    is_valid_port_name,
    is_valid_port_num,
)

__all__ = [
    "PORT_PROTOCOLS",
    "default_container",
    "default_pod_spec",
    "image_pull_policy",
    "validate_pod_spec",
    "validate_port_num_or_name",
    "validate_tolerations",
]

PORT_PROTOCOLS = ["SCTP", "TCP", "UDP"]
_RESTART_POLICIES = ["Always", "OnFailure", "Never"]
_DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
_PULL_POLICIES = ["Always", "IfNotPresent", "Never"]
_TERMINATION_POLICIES = ["File", "FallbackToLogsOnError"]
_TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
_VOLUME_SOURCES_WITH_MODE = ("secret", "configMap", "downwardAPI", "projected")
_MAX_INT32 = 2**31 - 1
_LABEL_WITH_UNDERSCORE = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_SUBDOMAIN_WITH_UNDERSCORE = re.compile(
    _LABEL_WITH_UNDERSCORE + "(\\." + _LABEL_WITH_UNDERSCORE + ")*"
)


def image_pull_policy(image: str) -> str:
    """Always for `:latest` or an untagged, undigested image; IfNotPresent otherwise.

    Mirrors parsers.ParseImageName: a tag is the part after the last ':' of the last path
    segment; an image name Docker would refuse (upper case) yields no tag at all.
    """
    name = image.split("@", 1)[0]
    if "@" in image and ":" not in name.rsplit("/", 1)[-1]:
        return "IfNotPresent"
    last = name.rsplit("/", 1)[-1]
    repository = name[: len(name) - len(last)] + last.split(":", 1)[0]
    if not image or repository != repository.lower():
        return "IfNotPresent"
    tag = last.split(":", 1)[1] if ":" in last else "latest"
    return "Always" if tag == "latest" else "IfNotPresent"


def _default_handler(handler: dict | None) -> None:
    http = (handler or {}).get("httpGet")
    if http is not None:
        http.setdefault("path", "/")
        http.setdefault("scheme", "HTTP")


def default_container(container: dict) -> None:
    """SetDefaults_Container and its nested defaults, as a v1 container is stored."""
    if not container.get("imagePullPolicy"):
        container["imagePullPolicy"] = image_pull_policy(container.get("image", ""))
    container.setdefault("terminationMessagePath", "/dev/termination-log")
    container.setdefault("terminationMessagePolicy", "File")
    container.setdefault("resources", {})
    for port in container.get("ports") or []:
        port.setdefault("protocol", "TCP")
    for env in container.get("env") or []:
        field_ref = (env.get("valueFrom") or {}).get("fieldRef")
        if field_ref is not None:
            field_ref.setdefault("apiVersion", "v1")
    for probe_key in ("livenessProbe", "readinessProbe", "startupProbe"):
        probe = container.get(probe_key)
        if probe is not None:
            for key, value in (
                ("timeoutSeconds", 1),
                ("periodSeconds", 10),
                ("successThreshold", 1),
                ("failureThreshold", 3),
            ):
                if not probe.get(key):
                    probe[key] = value
            _default_handler(probe)
    for hook in ("postStart", "preStop"):
        _default_handler((container.get("lifecycle") or {}).get(hook))


def _default_volume(volume: dict) -> None:
    if not any(key != "name" for key in volume):
        volume["emptyDir"] = {}
    for key in _VOLUME_SOURCES_WITH_MODE:
        if key in volume and volume[key] is not None:
            volume[key].setdefault("defaultMode", 420)
    for source in (volume.get("projected") or {}).get("sources") or []:
        token = source.get("serviceAccountToken")
        if token is not None:
            token.setdefault("expirationSeconds", 3600)
    if volume.get("hostPath") is not None:
        volume["hostPath"].setdefault("type", "")


def default_pod_spec(spec: dict) -> None:
    """SetDefaults_PodSpec plus container and volume defaults (templates and pods alike)."""
    if not spec.get("dnsPolicy"):
        spec["dnsPolicy"] = "ClusterFirst"
    if not spec.get("restartPolicy"):
        spec["restartPolicy"] = "Always"
    if spec.get("securityContext") is None:
        spec["securityContext"] = {}
    if spec.get("terminationGracePeriodSeconds") is None:
        spec["terminationGracePeriodSeconds"] = 30
    if not spec.get("schedulerName"):
        spec["schedulerName"] = "default-scheduler"
    for key in ("initContainers", "containers"):
        for container in spec.get(key) or []:
            default_container(container)
    for volume in spec.get("volumes") or []:
        _default_volume(volume)


def validate_port_num_or_name(port: int | str, field: str) -> list[FieldError]:
    """ValidatePortNumOrName: an int 1-65535 or an IANA_SVC_NAME."""
    if isinstance(port, str):
        return [FieldError.invalid(field, port, msg) for msg in is_valid_port_name(port)]
    return [FieldError.invalid(field, port, msg) for msg in is_valid_port_num(port)]


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


def _validate_containers(containers: list[dict], volumes: set[str], field: str) -> list[FieldError]:
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


def _validate_init_containers(
    inits: list[dict], containers: list[dict], volumes: set[str], field: str
) -> list[FieldError]:
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


def _validate_volumes(volumes: list[dict], field: str) -> tuple[set[str], list[FieldError]]:
    errs: list[FieldError] = []
    names: set[str] = set()
    for i, volume in enumerate(volumes):
        name = volume.get("name") or ""
        found = (
            [FieldError.required(f"{field}[{i}].name")]
            if not name
            else validate_dns1123_label(name, f"{field}[{i}].name")
        )
        if name in names:
            found.append(FieldError.duplicate(f"{field}[{i}].name", name))
        if found:
            errs.extend(found)
        else:
            names.add(name)
    return names, errs


def validate_tolerations(tolerations: list[dict], field: str) -> list[FieldError]:
    """ValidateTolerations."""
    errs: list[FieldError] = []
    for i, tol in enumerate(tolerations):
        path = f"{field}[{i}]"
        key, operator = tol.get("key") or "", tol.get("operator") or ""
        effect, value = tol.get("effect") or "", tol.get("value") or ""
        if key:
            errs.extend(validate_label_name(key, f"{path}.key"))
        if not key and operator != "Exists":
            errs.append(
                FieldError.invalid(
                    f"{path}.operator",
                    operator,
                    "operator must be Exists when `key` is empty, "
                    'which means "match all values and all keys"',
                )
            )
        if tol.get("tolerationSeconds") is not None and effect != "NoExecute":
            errs.append(
                FieldError.invalid(
                    f"{path}.effect",
                    effect,
                    "effect must be 'NoExecute' when `tolerationSeconds` is set",
                )
            )
        if operator in ("Equal", ""):
            problems = is_valid_label_value(value)
            if problems:
                errs.append(FieldError.invalid(f"{path}.operator", value, ";".join(problems)))
        elif operator == "Exists":
            if value:
                errs.append(
                    FieldError.invalid(
                        f"{path}.operator", value, "value must be empty when `operator` is 'Exists'"
                    )
                )
        else:
            errs.append(FieldError.not_supported(f"{path}.operator", operator, ["Equal", "Exists"]))
        if effect and effect not in _TAINT_EFFECTS:
            errs.append(FieldError.not_supported(f"{path}.effect", effect, _TAINT_EFFECTS))
    return errs


def _search_domain_errors(value: str) -> list[str]:
    # IsDNS1123SubdomainWithUnderscore (RelaxedDNSSearchValidation, on by default in v1.33).
    errs = ["must be no more than 253 characters"] if len(value) > 253 else []
    if not _SUBDOMAIN_WITH_UNDERSCORE.fullmatch(value):
        errs.append(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '_', '-' or '.', and must start and end with an alphanumeric "
            f"character (e.g. 'example.com', regex used for validation is "
            f"'{_SUBDOMAIN_WITH_UNDERSCORE.pattern}')"
        )
    return errs


def _validate_dns_config(spec: dict, field: str) -> list[FieldError]:
    config = spec.get("dnsConfig")
    if spec.get("dnsPolicy") == "None":
        if config is None:
            return [FieldError.required(field, "must provide `dnsConfig` when `dnsPolicy` is None")]
        if not config.get("nameservers"):
            return [
                FieldError.required(
                    f"{field}.nameservers",
                    "must provide at least one DNS nameserver when `dnsPolicy` is None",
                )
            ]
    if config is None:
        return []
    errs: list[FieldError] = []
    servers = config.get("nameservers") or []
    if len(servers) > 3:
        errs.append(
            FieldError.invalid(
                f"{field}.nameservers", list(servers), "must not have more than 3 nameservers"
            )
        )
    for i, server in enumerate(servers):
        errs.extend(
            FieldError.invalid(f"{field}.nameservers[{i}]", server, msg)
            for msg in is_valid_ip(server)
        )
    searches = config.get("searches") or []
    if len(searches) > 32:
        errs.append(
            FieldError.invalid(
                f"{field}.searches", list(searches), "must not have more than 32 search paths"
            )
        )
    for i, search in enumerate(searches):
        if search != ".":
            trimmed = search.removesuffix(".")
            errs.extend(
                FieldError.invalid(f"{field}.searches[{i}]", trimmed, msg)
                for msg in _search_domain_errors(trimmed)
            )
    for i, option in enumerate(config.get("options") or []):
        if not option.get("name"):
            errs.append(FieldError.required(f"{field}.options[{i}]", "must not be empty"))
    return errs


def _validate_enum(value: str, valid: list[str], field: str) -> list[FieldError]:
    if not value:
        return [FieldError.required(field)]
    return [] if value in valid else [FieldError.not_supported(field, value, valid)]


def validate_pod_spec(spec: dict, field: str = "spec", *, is_pod: bool = True) -> list[FieldError]:
    """ValidatePodSpec; `is_pod` is PodValidationOptions.ResourceIsPod (False for templates)."""
    errs: list[FieldError] = []
    if spec.get("terminationGracePeriodSeconds") is None:
        errs.append(FieldError.required(f"{field}.terminationGracePeriodSeconds"))
    volumes, volume_errs = _validate_volumes(spec.get("volumes") or [], f"{field}.volumes")
    errs.extend(volume_errs)
    containers = spec.get("containers") or []
    errs.extend(_validate_containers(containers, volumes, f"{field}.containers"))
    errs.extend(
        _validate_init_containers(
            spec.get("initContainers") or [], containers, volumes, f"{field}.initContainers"
        )
    )
    if spec.get("hostNetwork"):
        for ci, container in enumerate(containers):
            for pi, port in enumerate(container.get("ports") or []):
                host, target = port.get("hostPort", 0), port.get("containerPort", 0)
                if (is_pod or host) and host != target:
                    errs.append(
                        FieldError.invalid(
                            f"{field}.containers[{ci}].ports[{pi}].hostPort",
                            host,
                            "must match `containerPort` when `hostNetwork` is true",
                        )
                    )
    errs.extend(
        _validate_enum(spec.get("restartPolicy") or "", _RESTART_POLICIES, f"{field}.restartPolicy")
    )
    errs.extend(_validate_enum(spec.get("dnsPolicy") or "", _DNS_POLICIES, f"{field}.dnsPolicy"))
    errs.extend(validate_labels(spec.get("nodeSelector"), f"{field}.nodeSelector"))
    errs.extend(_validate_dns_config(spec, f"{field}.dnsConfig"))
    for key in ("serviceAccountName", "nodeName"):
        if spec.get(key):
            errs.extend(
                FieldError.invalid(f"{field}.{key}", spec[key], msg)
                for msg in name_is_dns_subdomain(spec[key], False)
            )
    deadline = spec.get("activeDeadlineSeconds")
    if deadline is not None and not 1 <= deadline <= _MAX_INT32:
        errs.append(
            FieldError.invalid(
                f"{field}.activeDeadlineSeconds",
                deadline,
                f"must be between 1 and {_MAX_INT32}, inclusive",
            )
        )
    for key in ("hostname", "subdomain"):
        if spec.get(key):
            errs.extend(validate_dns1123_label(spec[key], f"{field}.{key}"))
    errs.extend(validate_tolerations(spec.get("tolerations") or [], f"{field}.tolerations"))
    if spec.get("priorityClassName"):
        errs.extend(
            FieldError.invalid(f"{field}.priorityClassName", spec["priorityClassName"], msg)
            for msg in name_is_dns_subdomain(spec["priorityClassName"], False)
        )
    if spec.get("preemptionPolicy") is not None:
        errs.extend(
            _validate_enum(
                spec["preemptionPolicy"],
                ["PreemptLowerPriority", "Never"],
                f"{field}.preemptionPolicy",
            )
        )
    return errs
