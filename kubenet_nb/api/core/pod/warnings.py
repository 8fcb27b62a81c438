"""The warnings the API server returns with a Pod, or with a workload for its pod template.

Follows pkg/registry/core/pod/strategy.go (WarningsOnCreate, WarningsOnUpdate) and
pkg/api/pod/warnings.go (warningsForPodSpecAndMeta), the parts that concern this simulator.
"""

from __future__ import annotations

from kubenet_nb.api.names import is_dns1123_label
from kubenet_nb.api.well_known import (
    ARCH_BETA_LABEL,
    ARCH_LABEL,
    INSTANCE_TYPE_BETA_LABEL,
    INSTANCE_TYPE_LABEL,
    OS_BETA_LABEL,
    OS_LABEL,
    REGION_BETA_LABEL,
    REGION_LABEL,
    ZONE_BETA_LABEL,
    ZONE_LABEL,
)

__all__ = ["pod_spec_warnings", "pod_warnings"]

_DEPRECATED_NODE_LABELS = {  # pkg/api/node/util.go: deprecated label -> (since, replacement)
    ARCH_BETA_LABEL: ("v1.14", ARCH_LABEL),
    OS_BETA_LABEL: ("v1.14", OS_LABEL),
    REGION_BETA_LABEL: ("v1.17", REGION_LABEL),
    ZONE_BETA_LABEL: ("v1.17", ZONE_LABEL),
    INSTANCE_TYPE_BETA_LABEL: ("v1.17", INSTANCE_TYPE_LABEL),
}


def _go_port(port: dict) -> str:
    return (
        f"{{Name:{port.get('name', '')} HostPort:{port.get('hostPort', 0)} "
        f"ContainerPort:{port.get('containerPort', 0)} Protocol:{port.get('protocol', '')} "
        f"HostIP:{port.get('hostIP', '')}}}"
    )


def _port_warnings(spec: dict, prefix: str) -> list[str]:
    warnings: list[str] = []
    seen: dict[str, list[tuple[str, dict]]] = {}
    for key in ("initContainers", "containers"):
        for ci, container in enumerate(spec.get(key) or []):
            for pi, port in enumerate(container.get("ports") or []):
                path = f"{prefix}.{key}[{ci}].ports[{pi}]"
                host_ip, host_port = port.get("hostIP", ""), port.get("hostPort", 0)
                if host_ip and not host_port:
                    warnings.append(f"{path}: hostIP set without hostPort: {_go_port(port)}")
                slot = f"{port.get('containerPort', 0)}/{port.get('protocol', '')}"
                for other_path, other in seen.get(slot, []):
                    other_ip, other_port = other.get("hostIP", ""), other.get("hostPort", 0)
                    if host_ip == other_ip and host_port == other_port:
                        warnings.append(f"{path}: duplicate port definition with {other_path}")
                    elif not host_port or not other_port:
                        warnings.append(f"{path}: overlapping port definition with {other_path}")
                    elif host_port == other_port and (not host_ip) != (not other_ip):
                        warnings.append(
                            f"{path}: dangerously ambiguous port definition with {other_path}"
                        )
                seen.setdefault(slot, []).append((path, port))
    return warnings


def pod_spec_warnings(spec: dict, prefix: str = "spec") -> list[str]:
    """warningsForPodSpecAndMeta (the parts that concern this simulator); `prefix` is `spec`
    for a Pod and `spec.template.spec` for a workload's template."""
    warnings = []
    for key in spec.get("nodeSelector") or {}:
        if key in _DEPRECATED_NODE_LABELS:
            since, use = _DEPRECATED_NODE_LABELS[key]
            warnings.append(
                f'{prefix}.nodeSelector[{key}]: deprecated since {since}; use "{use}" instead'
            )
    secrets = spec.get("imagePullSecrets") or []
    names: set[str] = set()
    for i, secret in enumerate(secrets):
        name = secret.get("name", "")
        if len(secrets) > 1 and name in names:
            warnings.append(f'{prefix}.imagePullSecrets[{i}].name: duplicate name "{name}"')
        names.add(name)
    warnings.extend(
        f'{prefix}.imagePullSecrets[{i}].name: invalid empty name ""'
        for i, secret in enumerate(secrets)
        if not secret.get("name")
    )
    for key in ("initContainers", "containers"):
        for ci, container in enumerate(spec.get(key) or []):
            env_names: set[str] = set()
            for i, var in enumerate(container.get("env") or []):
                name, ref = var.get("name", ""), f"$({var.get('name', '')})"
                value = var.get("value", "")
                if name in env_names and (
                    var.get("valueFrom") is not None or value == ref or ref not in value
                ):
                    warnings.append(
                        f"{prefix}.{key}[{ci}].env[{i}]: hides previous definition "
                        f'of "{name}", which may be dropped when using apply'
                    )
                env_names.add(name)
    warnings.extend(_port_warnings(spec, prefix))
    grace = spec.get("terminationGracePeriodSeconds")
    if grace is not None and grace < 0:
        warnings.append(
            f"{prefix}.terminationGracePeriodSeconds: must be >= 0; negative values "
            "are invalid and will be treated as 1"
        )
    return warnings


def pod_warnings(obj: dict, old: dict | None = None) -> list[str]:
    """WarningsOnCreate (old None: a non-DNS-label name, then the spec warnings) or
    WarningsOnUpdate (the spec warnings) of the pod strategy."""
    warnings = []
    problems = is_dns1123_label(obj.get("metadata", {}).get("name", ""))
    if old is None and problems:
        warnings.append(
            "metadata.name: this is used in the Pod's hostname, which can result in "
            "surprising behavior; a DNS label is recommended: "
            f"[{' '.join(problems)}]"
        )
    return warnings + pod_spec_warnings(obj.get("spec", {}), "spec")
