"""PodSpec validation (ValidatePodSpec), shared by Pods and the pod templates of workloads.

Follows ValidatePodSpec and its helpers (ValidateVolumes, ValidateTolerations,
validatePodDNSConfig, ...) in pkg/apis/core/validation/validation.go, in the same order so that
error lists read the same; containers are checked in container_validation. Affinity and volume
sources are not checked in depth.
"""

from __future__ import annotations

import re

from kubenet_nb.api.core.pod.containers import validate_containers, validate_init_containers
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_dns1123_label,
    validate_label_name,
    validate_labels,
)
from kubenet_nb.api.names import is_valid_ip, is_valid_label_value

__all__ = ["validate_pod_spec", "validate_tolerations"]

_RESTART_POLICIES = ["Always", "OnFailure", "Never"]
_DNS_POLICIES = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"]
_TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
_MAX_INT32 = 2**31 - 1
_LABEL_WITH_UNDERSCORE = "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?"
_SUBDOMAIN_WITH_UNDERSCORE = re.compile(
    _LABEL_WITH_UNDERSCORE + "(\\." + _LABEL_WITH_UNDERSCORE + ")*"
)


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
    errs.extend(validate_containers(containers, volumes, f"{field}.containers"))
    errs.extend(
        validate_init_containers(
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
