"""PersistentVolumeSpec validation, shared by PersistentVolumes and inline VolumeAttachment specs.

Follows ValidatePersistentVolumeSpec in pkg/apis/core/validation/validation.go @ v1.33.0, in its
order: access modes, capacity, reclaim policy, node affinity, exactly one volume source, the
storage class and the volume mode. The sources a kind cluster uses (hostPath, local, nfs, csi)
are checked in depth; the others only count towards "one volume type".
"""

from __future__ import annotations

import posixpath

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import GoValue, go_quote, name_is_dns_subdomain, validate_label_name
from kubenet_nb.api.names import is_dns1123_label, is_dns1123_subdomain, is_valid_label_value
from kubenet_nb.api.quantity import parse_quantity

__all__ = [
    "ACCESS_MODES",
    "VOLUME_MODES",
    "go_resource_list",
    "validate_access_modes",
    "validate_class_name",
    "validate_csi_driver_name",
    "validate_node_selector",
    "validate_pv_spec",
]

ACCESS_MODES = ["ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"]
VOLUME_MODES = ["Block", "Filesystem"]
_RECLAIM_POLICIES = ["Delete", "Recycle", "Retain"]
_HOST_PATH_TYPES = [
    "",
    "BlockDevice",
    "CharDevice",
    "Directory",
    "DirectoryOrCreate",
    "File",
    "FileOrCreate",
    "Socket",
]
_SOURCES = (
    ("hostPath", "hostPath"),
    ("gcePersistentDisk", "gcePersistentDisk"),
    ("awsElasticBlockStore", "awsElasticBlockStore"),
    ("glusterfs", "glusterfs"),
    ("flocker", "flocker"),
    ("nfs", "nfs"),
    ("rbd", "rbd"),
    ("quobyte", "quobyte"),
    ("cephfs", "cephFS"),
    ("iscsi", "iscsi"),
    ("cinder", "cinder"),
    ("fc", "fc"),
    ("flexVolume", ""),
    ("azureFile", "azureFile"),
    ("vsphereVolume", "vsphereVolume"),
    ("photonPersistentDisk", "photonPersistentDisk"),
    ("portworxVolume", "portworxVolume"),
    ("azureDisk", "azureDisk"),
    ("scaleIO", "scaleIO"),
    ("local", "local"),
    ("storageos", "storageos"),
    ("csi", "csi"),
)
"""PersistentVolumeSource members in the order upstream counts them, with the name its
"more than 1 volume type" error uses (flexVolume is never refused for that)."""
_SELECTOR_OPERATORS = ["DoesNotExist", "Exists", "Gt", "In", "Lt", "NotIn"]
_INLINE = "may not be specified in the context of inline volumes"


def go_resource_list(resources: dict | None) -> GoValue:
    """`%#v` of a core.ResourceList, each quantity shown by its text."""
    if resources is None:
        return GoValue("core.ResourceList(nil)")
    body = ", ".join(f"{go_quote(k)}:{go_quote(str(v))}" for k, v in sorted(resources.items()))
    return GoValue("core.ResourceList{" + body + "}")


def validate_class_name(value: str, field: str) -> list[FieldError]:
    """ValidateClassName (a DNS subdomain) for a non-empty class name."""
    return [FieldError.invalid(field, value, msg) for msg in name_is_dns_subdomain(value, False)]


def validate_access_modes(modes: list[str], field: str) -> list[FieldError]:
    """Each mode supported; ReadWriteOncePod alone."""
    errs = [
        FieldError.not_supported(field, m, ACCESS_MODES) for m in modes if m not in ACCESS_MODES
    ]
    known = [m for m in modes if m in ACCESS_MODES]
    if "ReadWriteOncePod" in known and any(m != "ReadWriteOncePod" for m in known):
        errs.append(
            FieldError.forbidden(field, "may not use ReadWriteOncePod with other access modes")
        )
    return errs


def validate_csi_driver_name(name: str, field: str) -> list[FieldError]:
    """ValidateCSIDriverName: required, at most 63 characters, a DNS subdomain once lowercased."""
    errs = [] if name else [FieldError.required(field)]
    if len(name) > 63:
        errs.append(FieldError.too_long(field, 63))
    errs.extend(FieldError.invalid(field, name, m) for m in is_dns1123_subdomain(name.lower()))
    return errs


def _no_backsteps(path: str, field: str) -> list[FieldError]:
    if ".." in path.split("/"):
        return [FieldError.invalid(field, path, "must not contain '..'")]
    return []


def _validate_host_path(source: dict, field: str) -> list[FieldError]:
    path = source.get("path") or ""
    if not path:
        return [FieldError.required(f"{field}.path")]
    errs = _no_backsteps(path, f"{field}.path")
    kind = source.get("type")
    if kind is not None and kind not in _HOST_PATH_TYPES:
        errs.append(FieldError.not_supported(f"{field}.type", kind, _HOST_PATH_TYPES))
    return errs


def _validate_local(source: dict, field: str) -> list[FieldError]:
    path = source.get("path") or ""
    if not path:
        return [FieldError.required(f"{field}.path")]
    return _no_backsteps(path, f"{field}.path")


def _validate_nfs(source: dict, field: str) -> list[FieldError]:
    errs = [] if source.get("server") else [FieldError.required(f"{field}.server")]
    path = source.get("path") or ""
    if not path:
        errs.append(FieldError.required(f"{field}.path"))
    if not path.startswith("/"):
        errs.append(FieldError.invalid(f"{field}.path", path, "must be an absolute path"))
    return errs


def _validate_secret_reference(ref: dict, field: str) -> list[FieldError]:
    """validatePVSecretReference: a DNS-subdomain name and a DNS-label namespace, both required."""
    errs: list[FieldError] = []
    for key, check in (("name", is_dns1123_subdomain), ("namespace", is_dns1123_label)):
        value = ref.get(key) or ""
        if not value:
            errs.append(FieldError.required(f"{field}.{key}"))
        errs.extend(FieldError.invalid(f"{field}.{key}", value, m) for m in check(value) if value)
    return errs


def _validate_csi(source: dict, field: str) -> list[FieldError]:
    errs = validate_csi_driver_name(source.get("driver") or "", f"{field}.driver")
    if not source.get("volumeHandle"):
        errs.append(FieldError.required(f"{field}.volumeHandle"))
    for key in (
        "controllerPublishSecretRef",
        "controllerExpandSecretRef",
        "nodePublishSecretRef",
        "nodeExpandSecretRef",
    ):
        if source.get(key) is not None:
            errs.extend(_validate_secret_reference(source[key], f"{field}.{key}"))
    return errs


_CHECKS = {
    "hostPath": _validate_host_path,
    "local": _validate_local,
    "nfs": _validate_nfs,
    "csi": _validate_csi,
}


def _validate_requirement(requirement: dict, field: str) -> list[FieldError]:
    """validateNodeSelectorRequirement (label values checked as ValidateNodeSelector does)."""
    operator, values = requirement.get("operator") or "", requirement.get("values") or []
    errs: list[FieldError] = []
    if operator in ("In", "NotIn") and not values:
        errs.append(
            FieldError.required(
                f"{field}.values", "must be specified when `operator` is 'In' or 'NotIn'"
            )
        )
    elif operator in ("Exists", "DoesNotExist") and values:
        errs.append(
            FieldError.forbidden(
                f"{field}.values",
                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            )
        )
    elif operator in ("Gt", "Lt") and len(values) != 1:
        errs.append(
            FieldError.required(
                f"{field}.values", "must be specified single value when `operator` is 'Lt' or 'Gt'"
            )
        )
    elif operator not in _SELECTOR_OPERATORS:
        errs.append(
            FieldError.invalid(f"{field}.operator", operator, "not a valid selector operator")
        )
    errs.extend(validate_label_name(requirement.get("key") or "", f"{field}.key"))
    for i, value in enumerate(values):
        errs.extend(
            FieldError.invalid(f"{field}.values[{i}]", value, m)
            for m in is_valid_label_value(value)
        )
    return errs


def validate_node_selector(selector: dict, field: str) -> list[FieldError]:
    """ValidateNodeSelector: at least one term, each of valid requirements."""
    terms = selector.get("nodeSelectorTerms") or []
    if not terms:
        return [
            FieldError.required(
                f"{field}.nodeSelectorTerms", "must have at least one node selector term"
            )
        ]
    errs: list[FieldError] = []
    for i, term in enumerate(terms):
        for j, requirement in enumerate(term.get("matchExpressions") or []):
            errs.extend(
                _validate_requirement(
                    requirement, f"{field}.nodeSelectorTerms[{i}].matchExpressions[{j}]"
                )
            )
    return errs


def _validate_capacity(capacity: dict, field: str) -> list[FieldError]:
    errs = [] if capacity else [FieldError.required(field)]
    if "storage" not in capacity or len(capacity) > 1:
        errs.append(
            FieldError.not_supported(field, go_resource_list(capacity or None), ["storage"])
        )
    for name, raw in capacity.items():
        quantity = parse_quantity(raw)
        if quantity.whole() < 0:
            errs.append(
                FieldError.invalid(
                    f"{field}[{name}]", quantity.whole(), "must be a valid resource quantity"
                )
            )
        if quantity.value <= 0:
            errs.append(
                FieldError.invalid(f"{field}[{name}]", str(quantity), "must be greater than zero")
            )
    return errs


def _validate_sources(spec: dict, field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    found: set[str] = set()
    for key, shown in _SOURCES:
        source = spec.get(key)
        if source is None:
            continue
        if found and shown:
            errs.append(
                FieldError.forbidden(f"{field}.{shown}", "may not specify more than 1 volume type")
            )
            continue
        found.add(key)
        errs.extend(_CHECKS.get(key, lambda s, f: [])(source, f"{field}.{key}"))
        if key == "local" and not spec.get("nodeAffinity"):
            errs.append(
                FieldError.required(f"{field}.nodeAffinity", "Local volume requires node affinity")
            )
    if not found:
        errs.append(FieldError.required(field, "must specify a volume type"))
    return errs


def validate_pv_spec(spec: dict, field: str, *, inline: bool = False) -> list[FieldError]:
    """ValidatePersistentVolumeSpec; `inline`: a VolumeAttachment's inlineVolumeSpec."""
    errs: list[FieldError] = []
    if inline:
        if spec.get("claimRef") is not None:
            errs.append(FieldError.forbidden(f"{field}.claimRef", _INLINE))
        if spec.get("capacity"):
            errs.append(FieldError.forbidden(f"{field}.capacity", _INLINE))
        if spec.get("csi") is None:
            errs.append(
                FieldError.required(
                    f"{field}.csi", "has to be specified in the context of inline volumes"
                )
            )
    modes = spec.get("accessModes") or []
    if not modes:
        errs.append(FieldError.required(f"{field}.accessModes"))
    errs.extend(validate_access_modes(modes, f"{field}.accessModes"))
    if not inline:
        errs.extend(_validate_capacity(spec.get("capacity") or {}, f"{field}.capacity"))
    policy = spec.get("persistentVolumeReclaimPolicy") or ""
    if policy and inline and policy != "Retain":
        errs.append(
            FieldError.forbidden(
                f"{field}.persistentVolumeReclaimPolicy",
                "may only be Retain in the context of inline volumes",
            )
        )
    elif policy and policy not in _RECLAIM_POLICIES:
        errs.append(
            FieldError.not_supported(
                f"{field}.persistentVolumeReclaimPolicy", policy, _RECLAIM_POLICIES
            )
        )
    affinity = spec.get("nodeAffinity")
    if affinity is not None and inline:
        errs.append(FieldError.forbidden(f"{field}.nodeAffinity", _INLINE))
    elif affinity is not None:
        if affinity.get("required") is not None:
            errs.extend(
                validate_node_selector(affinity["required"], f"{field}.nodeAffinity.required")
            )
        else:
            errs.append(
                FieldError.required(
                    f"{field}.nodeAffinity.required", "must specify required node constraints"
                )
            )
    errs.extend(_validate_sources(spec, field))
    host = spec.get("hostPath")
    if host and posixpath.normpath(host.get("path") or ".") == "/" and policy == "Recycle":
        errs.append(
            FieldError.forbidden(
                f"{field}.persistentVolumeReclaimPolicy",
                "may not be 'recycle' for a hostPath mount of '/'",
            )
        )
    class_name = spec.get("storageClassName") or ""
    if class_name and inline:
        errs.append(FieldError.forbidden(f"{field}.storageClassName", _INLINE))
    elif class_name:
        errs.extend(validate_class_name(class_name, f"{field}.storageClassName"))
    mode = spec.get("volumeMode")
    if mode is not None and inline and mode != "Filesystem":
        errs.append(
            FieldError.forbidden(
                f"{field}.volumeMode",
                "may not specify volumeMode other than Filesystem in the context of inline volumes",
            )
        )
    elif mode is not None and not inline and mode not in VOLUME_MODES:
        errs.append(FieldError.not_supported(f"{field}.volumeMode", mode, VOLUME_MODES))
    return errs
