"""Pods: defaulting (with what admission adds on a v1.33 cluster), validation and warnings.

Sources in kubernetes/kubernetes: pkg/apis/core/v1/defaults.go (SetDefaults_Pod),
plugin/pkg/admission (serviceaccount, priority, defaulttolerationseconds),
pkg/apis/core/validation/validation.go (ValidatePodCreate, ValidatePodUpdate),
pkg/registry/core/pod/strategy.go (WarningsOnCreate) and pkg/api/pod/warnings.go.
"""

from __future__ import annotations

import json

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_object_meta,
    validate_object_meta_update,
)
from kubenet_nb.api.names import is_dns1123_label
from kubenet_nb.api.podspec import default_pod_spec, validate_pod_spec, validate_tolerations

__all__ = [
    "SERVICE_ACCOUNT_MOUNT_PATH",
    "UPDATABLE_POD_SPEC_FIELDS",
    "default_pod",
    "initial_pod_status",
    "mount_service_account_token",
    "pod_qos_class",
    "pod_spec_warnings",
    "pod_warnings",
    "validate_pod",
    "validate_pod_update",
]

SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"
UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)
_NODE_TAINTS = ("node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable")
_DEPRECATED_NODE_LABELS = {  # pkg/api/node/util.go: deprecated label -> (since, replacement)
    "beta.kubernetes.io/arch": ("v1.14", "kubernetes.io/arch"),
    "beta.kubernetes.io/os": ("v1.14", "kubernetes.io/os"),
    "failure-domain.beta.kubernetes.io/region": ("v1.17", "topology.kubernetes.io/region"),
    "failure-domain.beta.kubernetes.io/zone": ("v1.17", "topology.kubernetes.io/zone"),
    "beta.kubernetes.io/instance-type": ("v1.17", "node.kubernetes.io/instance-type"),
}


def default_pod(obj: dict) -> None:
    """SetDefaults_Pod/PodSpec, then the ServiceAccount, Priority and DefaultTolerationSeconds
    admission plugins. The token volume needs a random name: see mount_service_account_token."""
    spec = obj.setdefault("spec", {})
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            resources = container["resources"]
            if resources.get("limits") is not None:
                requests = resources.setdefault("requests", {})
                for name, value in resources["limits"].items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for container in spec.get(key) or []:
                for port in container.get("ports") or []:
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = spec["serviceAccount"] = account
    if spec.get("priority") is None:
        spec["priority"] = 0
    if spec.get("preemptionPolicy") is None:
        spec["preemptionPolicy"] = "PreemptLowerPriority"
    tolerations = spec.get("tolerations") or []
    for taint in _NODE_TAINTS:
        if not any(
            t.get("key", "") in ("", taint) and t.get("effect", "") in ("", "NoExecute")
            for t in tolerations
        ):
            tolerations.append(
                {
                    "effect": "NoExecute",
                    "key": taint,
                    "operator": "Exists",
                    "tolerationSeconds": 300,
                }
            )
    spec["tolerations"] = tolerations


def mount_service_account_token(obj: dict, suffix: str) -> None:
    """ServiceAccount admission: the projected `kube-api-access-<suffix>` volume and its mounts.

    `suffix` is the 5 random characters of names.SimpleNameGenerator (Randomness.string(5)).
    """
    spec = obj["spec"]
    if spec.get("automountServiceAccountToken") is False:
        return
    containers = [c for key in ("initContainers", "containers") for c in spec.get(key) or []]
    if any(
        m.get("mountPath") == SERVICE_ACCOUNT_MOUNT_PATH
        for c in containers
        for m in c.get("volumeMounts") or []
    ):
        return
    name = f"kube-api-access-{suffix}"
    spec.setdefault("volumes", []).append(
        {
            "name": name,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {
                        "configMap": {
                            "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            "name": "kube-root-ca.crt",
                        }
                    },
                    {
                        "downwardAPI": {
                            "items": [
                                {
                                    "fieldRef": {
                                        "apiVersion": "v1",
                                        "fieldPath": "metadata.namespace",
                                    },
                                    "path": "namespace",
                                }
                            ]
                        }
                    },
                ],
            },
        }
    )
    for container in containers:
        container.setdefault("volumeMounts", []).append(
            {"mountPath": SERVICE_ACCOUNT_MOUNT_PATH, "name": name, "readOnly": True}
        )


def pod_qos_class(obj: dict) -> str:
    """qos.ComputePodQOS over cpu and memory: BestEffort, Guaranteed or Burstable."""
    containers = [
        c for key in ("initContainers", "containers") for c in obj.get("spec", {}).get(key) or []
    ]
    requested, guaranteed = False, True
    for container in containers:
        resources = container.get("resources") or {}
        limits = {
            k: v for k, v in (resources.get("limits") or {}).items() if k in ("cpu", "memory")
        }
        requests = {
            k: v for k, v in (resources.get("requests") or {}).items() if k in ("cpu", "memory")
        }
        requested = requested or bool(limits) or bool(requests)
        if set(limits) != {"cpu", "memory"} or any(
            requests.get(k, v) != v for k, v in limits.items()
        ):
            guaranteed = False
    if not requested:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def initial_pod_status(obj: dict) -> dict:
    """What the pod strategy's PrepareForCreate stores as status."""
    return {"phase": "Pending", "qosClass": pod_qos_class(obj)}


def validate_pod(obj: dict) -> list[FieldError]:
    """ValidatePodCreate."""
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    spec = obj.get("spec", {})
    errs.extend(validate_pod_spec(spec, "spec", is_pod=True))
    for key in ("containers", "initContainers"):
        for i, container in enumerate(spec.get(key) or []):
            image = container.get("image") or ""
            if image != image.strip():
                errs.append(
                    FieldError.invalid(
                        f"spec.{key}[{i}].image",
                        image,
                        "must not have leading or trailing whitespace",
                    )
                )
    if spec.get("ephemeralContainers"):
        errs.append(FieldError.forbidden("spec.ephemeralContainers", "cannot be set on create"))
    if spec.get("nodeName") and spec.get("schedulingGates"):
        errs.append(
            FieldError.forbidden(
                "spec.nodeName", "cannot be set until all schedulingGates have been cleared"
            )
        )
    return errs


def _container_image_errors(
    new: list[dict], old: list[dict], field: str
) -> tuple[list[FieldError], bool]:
    if len(new) != len(old):
        return [FieldError.forbidden(field, "pod updates may not add or remove containers")], True
    errs: list[FieldError] = []
    for i, container in enumerate(new):
        image = container.get("image") or ""
        if not image:
            errs.append(FieldError.required(f"{field}[{i}].image"))
        if image != image.strip():
            errs.append(
                FieldError.invalid(
                    f"{field}[{i}].image", image, "must not have leading or trailing whitespace"
                )
            )
    return errs, False


def _without_seconds(toleration: dict) -> dict:
    return {k: v for k, v in toleration.items() if k != "tolerationSeconds"}


def _spec_diff(old: dict, new: dict) -> str:
    # Upstream prints a go-cmp diff of core.PodSpec; this lists the changed fields instead.
    lines = ["  core.PodSpec{"]
    for key in sorted(set(old) | set(new)):
        if old.get(key) != new.get(key):
            if key in old:
                lines.append(f"- \t{key}: {json.dumps(old[key], sort_keys=True)},")
            if key in new:
                lines.append(f"+ \t{key}: {json.dumps(new[key], sort_keys=True)},")
    lines.append("  }")
    return "\n".join(lines) + "\n"


def validate_pod_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePodUpdate: only images, activeDeadlineSeconds and added tolerations may change."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    errs.extend(_without_create_only(new))
    new_spec, old_spec = new.get("spec", {}), old.get("spec", {})
    for key in ("containers", "initContainers"):
        found, stop = _container_image_errors(
            new_spec.get(key) or [], old_spec.get(key) or [], f"spec.{key}"
        )
        errs.extend(found)
        if stop:
            return errs
    deadline, old_deadline = (
        new_spec.get("activeDeadlineSeconds"),
        old_spec.get("activeDeadlineSeconds"),
    )
    if deadline is not None:
        if not 0 <= deadline <= 2**31 - 1:
            return [
                *errs,
                FieldError.invalid(
                    "spec.activeDeadlineSeconds",
                    deadline,
                    "must be between 0 and 2147483647, inclusive",
                ),
            ]
        if old_deadline is not None and old_deadline < deadline:
            return [
                *errs,
                FieldError.invalid(
                    "spec.activeDeadlineSeconds",
                    deadline,
                    "must be less than or equal to previous value",
                ),
            ]
    elif old_deadline is not None:
        errs.append(
            FieldError.invalid(
                "spec.activeDeadlineSeconds",
                None,
                "must not update from a positive integer to nil value",
            )
        )
    new_tolerations = new_spec.get("tolerations") or []
    kept = [_without_seconds(t) for t in new_tolerations]
    for tol in old_spec.get("tolerations") or []:
        if _without_seconds(tol) not in kept:
            errs.append(
                FieldError.forbidden(
                    "spec.tolerations",
                    "existing toleration can not be modified except its tolerationSeconds",
                )
            )
            break
    else:
        errs.extend(validate_tolerations(new_tolerations, "spec.tolerations"))
    if new_spec == old_spec:
        return errs
    munged = dict(new_spec)
    for key in ("containers", "initContainers"):
        if key in munged:
            munged[key] = [
                {**c, "image": o.get("image")}
                if "image" in o
                else {k: v for k, v in c.items() if k != "image"}
                for c, o in zip(munged[key], old_spec.get(key) or [], strict=True)
            ]
    for key in ("activeDeadlineSeconds", "schedulingGates", "tolerations"):
        munged.pop(key, None)
        if key in old_spec:
            munged[key] = old_spec[key]
    old_grace = old_spec.get("terminationGracePeriodSeconds")
    if old_grace is not None and old_grace < 0 and munged.get("terminationGracePeriodSeconds") == 1:
        munged["terminationGracePeriodSeconds"] = old_grace
    if munged != old_spec:
        errs.append(
            FieldError.forbidden(
                "spec",
                "pod updates may not change fields other than "
                + ",".join(UPDATABLE_POD_SPEC_FIELDS)
                + "\n"
                + _spec_diff(old_spec, munged),
            )
        )
    return errs


def _without_create_only(obj: dict) -> list[FieldError]:
    """validatePodMetadataAndSpec: ValidatePodCreate without its create-only rules."""
    return [
        e
        for e in validate_pod(obj)
        if not (
            e.field == "spec.ephemeralContainers"
            or (e.field == "spec.nodeName" and e.type == "FieldValueForbidden")
        )
    ]


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
