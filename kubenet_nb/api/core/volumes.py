"""PersistentVolumes and PersistentVolumeClaims: defaulting, validation, update rules, warnings.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/core/v1/defaults.go
(SetDefaults_PersistentVolume, SetDefaults_PersistentVolumeClaim, ..._HostPathVolumeSource),
pkg/apis/core/validation/validation.go (ValidatePersistentVolume, ValidatePersistentVolumeClaim
and their update twins), pkg/api/persistentvolumeclaim/util.go (data source normalisation,
VolumeAttributesClass dropped while its gate is off) and pkg/api/persistentvolume/util.go
(warnings). Both strategies start a created object from status `phase: Pending`.
"""

from __future__ import annotations

import copy

from kubenet_nb.api.core.volume_spec import (
    VOLUME_MODES,
    validate_access_modes,
    validate_class_name,
    validate_pv_spec,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue, field_diff, name_is_dns_label
from kubenet_nb.api.names import is_dns1123_subdomain
from kubenet_nb.api.quantity import parse_quantity
from kubenet_nb.api.selectors import validate_label_selector

__all__ = ["RULES"]

BETA_STORAGE_CLASS = "volume.beta.kubernetes.io/storage-class"
_PV_SOURCE_KEYS = (
    "hostPath gcePersistentDisk awsElasticBlockStore glusterfs flocker nfs rbd quobyte cephfs "
    "iscsi cinder fc flexVolume azureFile vsphereVolume photonPersistentDisk portworxVolume "
    "azureDisk scaleIO local storageos csi"
).split()


def _default_pv(obj: dict) -> None:
    """SetDefaults_PersistentVolume: Retain, Filesystem; a hostPath's type defaults to ""."""
    spec = obj.setdefault("spec", {})
    spec.pop("volumeAttributesClassName", None)
    if not spec.get("persistentVolumeReclaimPolicy"):
        spec["persistentVolumeReclaimPolicy"] = "Retain"
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    host = spec.get("hostPath")
    if host is not None and host.get("type") is None:
        host["type"] = ""


def _validate_pv(obj: dict) -> list[FieldError]:
    return validate_pv_spec(obj.get("spec") or {}, "spec")


def _validate_pv_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolume again, then the volume source and mode immutable."""
    errs = _validate_pv(new)
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    source = {k: spec[k] for k in _PV_SOURCE_KEYS if k in spec}
    old_source = {k: old_spec[k] for k in _PV_SOURCE_KEYS if k in old_spec}
    old_csi = old_source.get("csi")
    if old_csi and "controllerExpandSecretRef" not in old_csi and "csi" in source:
        source["csi"] = {k: v for k, v in source["csi"].items() if k != "controllerExpandSecretRef"}
    if source != old_source:
        errs.append(
            FieldError.forbidden(
                "spec.persistentvolumesource",
                "spec.persistentvolumesource is immutable after creation\n"
                + field_diff("core.PersistentVolumeSource", old_source, source),
            )
        )
    if spec.get("volumeMode") != old_spec.get("volumeMode"):
        errs.append(FieldError.invalid("volumeMode", spec.get("volumeMode"), "field is immutable"))
    affinity = spec.get("nodeAffinity")
    if old_spec.get("nodeAffinity") is not None and affinity != old_spec["nodeAffinity"]:
        errs.append(
            FieldError.invalid(
                "nodeAffinity",
                _go_node_affinity(affinity),
                "field is immutable, except for updating from beta label to GA",
            )
        )
    return errs


def _go_node_affinity(affinity: dict | None) -> GoValue | None:
    """`%#v` of the dereferenced *core.VolumeNodeAffinity (Go prints a pointer's address)."""
    if affinity is None:
        return None
    required = "(0xc000000000)" if affinity.get("required") is not None else "(nil)"
    return GoValue(f"core.VolumeNodeAffinity{{Required:(*core.NodeSelector){required}}}")


def _storage_class_warning(obj: dict) -> list[str]:
    if BETA_STORAGE_CLASS not in (obj.get("metadata", {}).get("annotations") or {}):
        return []
    return [
        f"metadata.annotations[{BETA_STORAGE_CLASS}]: deprecated since v1.8; use "
        '"storageClassName" attribute instead'
    ]


def _fractional_bytes(resources: dict, field: str) -> list[str]:
    return [
        f'{field}[{name}]: fractional byte value "{parse_quantity(raw)}" is invalid, '
        "must be an integer"
        for name, raw in resources.items()
        if parse_quantity(raw).value % 1
    ]


def _pv_warnings(obj: dict) -> list[str]:
    capacity = (obj.get("spec") or {}).get("capacity") or {}
    return _storage_class_warning(obj) + _fractional_bytes(capacity, "spec.capacity")


def _default_pvc(obj: dict) -> None:
    """SetDefaults_PersistentVolumeClaimSpec (Filesystem), then NormalizeDataSources."""
    spec = obj.setdefault("spec", {})
    spec.pop("volumeAttributesClassName", None)
    if spec.get("volumeMode") is None:
        spec["volumeMode"] = "Filesystem"
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if source is not None and ref is None:
        spec["dataSourceRef"] = copy.deepcopy(source)
    elif ref is not None and source is None and not ref.get("namespace"):
        spec["dataSource"] = {k: v for k, v in ref.items() if k != "namespace"}


def _validate_data_source(source: dict, field: str) -> list[FieldError]:
    """validateDataSource / validateDataSourceRef."""
    errs = [
        FieldError.required(f"{field}.{key}") for key in ("name", "kind") if not source.get(key)
    ]
    group, kind = source.get("apiGroup") or "", source.get("kind") or ""
    if not group and kind != "PersistentVolumeClaim":
        errs.append(
            FieldError.invalid(
                field, kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"
            )
        )
    errs.extend(
        FieldError.invalid(f"{field}.apiGroup", group, m)
        for m in is_dns1123_subdomain(group)
        if group
    )
    namespace = source.get("namespace") or ""
    if namespace:
        errs.extend(
            FieldError.invalid(f"{field}.namespace", namespace, m)
            for m in name_is_dns_label(namespace, False)
        )
    return errs


def _validate_pvc_spec(spec: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaimSpec."""
    modes = spec.get("accessModes") or []
    errs = (
        []
        if modes
        else [FieldError.required("spec.accessModes", "at least 1 access mode is required")]
    )
    if spec.get("selector") is not None:
        errs.extend(validate_label_selector(spec["selector"], "spec.selector"))
    errs.extend(validate_access_modes(modes, "spec.accessModes"))
    requests = (spec.get("resources") or {}).get("requests") or {}
    if "storage" not in requests:
        errs.append(FieldError.required("spec.resources[storage]"))
    elif parse_quantity(requests["storage"]).value <= 0:
        shown = str(parse_quantity(requests["storage"]))
        errs.append(
            FieldError.invalid("spec.resources[storage]", shown, "must be greater than zero")
        )
    class_name = spec.get("storageClassName") or ""
    if class_name:
        errs.extend(validate_class_name(class_name, "spec.storageClassName"))
    mode = spec.get("volumeMode")
    if mode is not None and mode not in VOLUME_MODES:
        errs.append(FieldError.not_supported("spec.volumeMode", mode, VOLUME_MODES))
    source, ref = spec.get("dataSource"), spec.get("dataSourceRef")
    if source is not None:
        errs.extend(_validate_data_source(source, "spec.dataSource"))
    if ref is not None:
        errs.extend(_validate_data_source(ref, "spec.dataSourceRef"))
    if ref is not None and ref.get("namespace"):
        if source is not None:
            errs.append(
                FieldError.invalid(
                    "spec",
                    "spec.dataSource",
                    "may not be specified when dataSourceRef.namespace is specified",
                )
            )
    elif source is not None and ref is not None:
        same = all(source.get(k) == ref.get(k) for k in ("apiGroup", "kind", "name"))
        if not same:
            errs.append(FieldError.invalid("spec", "spec.dataSource", "must match dataSourceRef"))
    return errs


def _validate_pvc(obj: dict) -> list[FieldError]:
    return _validate_pvc_spec(obj.get("spec") or {})


def _validate_pvc_update(new: dict, old: dict) -> list[FieldError]:
    """ValidatePersistentVolumeClaimUpdate: the spec is immutable but for a first volumeName, a
    storage class set from nothing (or from the beta annotation), and a bound claim's size."""
    errs = _validate_pvc(new)
    spec, old_spec = copy.deepcopy(new.get("spec") or {}), copy.deepcopy(old.get("spec") or {})
    annotations = new.get("metadata", {}).get("annotations") or {}
    old_annotations = old.get("metadata", {}).get("annotations") or {}
    if not old_spec.get("volumeName"):
        old_spec["volumeName"] = spec.get("volumeName")
    old_class = old_annotations.get(BETA_STORAGE_CLASS)
    from_annotation = (
        old_class is not None
        and old_spec.get("storageClassName") is None
        and spec.get("storageClassName") == old_class
        and annotations.get(BETA_STORAGE_CLASS, old_class) == old_class
    )
    if from_annotation:
        spec.pop("storageClassName", None)
    else:
        if annotations.get(BETA_STORAGE_CLASS, "") != old_annotations.get(BETA_STORAGE_CLASS, ""):
            errs.append(
                FieldError.invalid(
                    f"metadata.annotations.{BETA_STORAGE_CLASS}",
                    annotations.get(BETA_STORAGE_CLASS, ""),
                    "field is immutable",
                )
            )
        if (
            spec.get("storageClassName") is not None
            and old_spec.get("storageClassName") is None
            and (old_class is None or spec["storageClassName"] == old_class)
        ):
            old_spec["storageClassName"] = spec["storageClassName"]
    bound = (new.get("status") or {}).get("phase") == "Bound"
    requests = (spec.get("resources") or {}).get("requests")
    old_requests = (old_spec.get("resources") or {}).get("requests") or {}
    if bound and requests is not None:
        requests["storage"] = old_requests.get("storage")
    spec = {k: v for k, v in spec.items() if v is not None}
    old_spec = {k: v for k, v in old_spec.items() if v is not None}
    if spec != old_spec:
        errs.append(
            FieldError.forbidden(
                "spec",
                "spec is immutable after creation except resources.requests and "
                "volumeAttributesClassName for bound claims\n"
                + field_diff("core.PersistentVolumeClaimSpec", old_spec, spec),
            )
        )
    new_size = ((new.get("spec") or {}).get("resources") or {}).get("requests", {}).get("storage")
    status_size = ((old.get("status") or {}).get("capacity") or {}).get("storage", 0)
    if (
        new_size is not None
        and old_requests.get("storage") is not None
        and parse_quantity(new_size) < parse_quantity(old_requests["storage"])
        and parse_quantity(new_size).value <= parse_quantity(status_size).value
    ):
        errs.append(
            FieldError.forbidden(
                "spec.resources.requests.storage", "field can not be less than status.capacity"
            )
        )
    new_mode, old_mode = (
        (new.get("spec") or {}).get("volumeMode"),
        (old.get("spec") or {}).get("volumeMode"),
    )
    if new_mode != old_mode:
        errs.append(FieldError.invalid("volumeMode", new_mode, "field is immutable"))
    return errs


def _pvc_warnings(obj: dict) -> list[str]:
    requests = ((obj.get("spec") or {}).get("resources") or {}).get("requests") or {}
    limits = ((obj.get("spec") or {}).get("resources") or {}).get("limits") or {}
    return (
        _storage_class_warning(obj)
        + _fractional_bytes(requests, "spec.resources.requests")
        + _fractional_bytes(limits, "spec.resources.limits")
    )


RULES = (
    KindRules(
        "PersistentVolume",
        default=_default_pv,
        validate=_validate_pv,
        validate_update=_validate_pv_update,
        status={"phase": "Pending"},
        warnings=_pv_warnings,
    ),
    KindRules(
        "PersistentVolumeClaim",
        default=_default_pvc,
        validate=_validate_pvc,
        validate_update=_validate_pvc_update,
        status={"phase": "Pending"},
        warnings=_pvc_warnings,
    ),
)
