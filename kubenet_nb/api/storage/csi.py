"""CSIDrivers and VolumeAttachments: defaulting, validation and update rules.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/storage/v1/defaults.go (SetDefaults_CSIDriver;
seLinuxMount defaults to false as SELinuxMountReadWriteOncePod is on),
pkg/apis/storage/validation/validation.go (ValidateCSIDriver, ValidateVolumeAttachment and
ValidateVolumeAttachmentV1, and their update twins) and the volumeattachment strategy, which
starts a created attachment from an empty status.
"""

from __future__ import annotations

from kubenet_nb.api.core.volume_spec import validate_csi_driver_name, validate_pv_spec
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue, go_quote, name_is_dns_subdomain, validate_immutable

__all__ = ["RULES"]

_FS_GROUP_POLICIES = ["File", "None", "ReadWriteOnceWithFSType"]
_LIFECYCLE_MODES = ["Ephemeral", "Persistent"]
_CSI_DEFAULTS = {
    "attachRequired": True,
    "podInfoOnMount": False,
    "storageCapacity": False,
    "fsGroupPolicy": "ReadWriteOnceWithFSType",
    "requiresRepublish": False,
    "seLinuxMount": False,
}
_ONE_SOURCE = "must specify exactly one of inlineVolumeSpec and persistentVolumeName"


def _no_name_errors(name: str, prefix: bool) -> list[str]:
    """CSIDriver names are checked by ValidateCSIDriverName at `name`, not as ObjectMeta."""
    return []


def _default_csi_driver(obj: dict) -> None:
    spec = obj.setdefault("spec", {})
    for key, value in _CSI_DEFAULTS.items():
        if spec.get(key) is None:
            spec[key] = value
    if not spec.get("volumeLifecycleModes"):
        spec["volumeLifecycleModes"] = ["Persistent"]


def _validate_token_requests(requests: list[dict], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    audiences: set[str] = set()
    for i, request in enumerate(requests):
        path, audience = f"{field}[{i}]", request.get("audience", "")
        if audience in audiences:
            errs.append(FieldError.duplicate(f"{path}.audience", audience))
        audiences.add(audience)
        seconds = request.get("expirationSeconds")
        if seconds is not None and seconds < 600:
            errs.append(
                FieldError.invalid(
                    f"{path}.expirationSeconds",
                    seconds,
                    "may not specify a duration less than 10 minutes",
                )
            )
        if seconds is not None and seconds > 1 << 32:
            errs.append(
                FieldError.invalid(
                    f"{path}.expirationSeconds",
                    seconds,
                    "may not specify a duration larger than 2^32 seconds",
                )
            )
    return errs


def _validate_csi_driver(obj: dict) -> list[FieldError]:
    """ValidateCSIDriver: the name, then the spec (its booleans required, enums supported)."""
    spec = obj.get("spec") or {}
    errs = validate_csi_driver_name(obj.get("metadata", {}).get("name", ""), "name")
    for key, shown in (
        ("attachRequired", "attachedRequired"),
        ("podInfoOnMount", "podInfoOnMount"),
        ("storageCapacity", "storageCapacity"),
        ("fsGroupPolicy", "fsGroupPolicy"),
    ):
        if spec.get(key) is None:
            errs.append(FieldError.required(f"spec.{shown}"))
    policy = spec.get("fsGroupPolicy")
    if policy is not None and policy not in _FS_GROUP_POLICIES:
        errs.append(FieldError.not_supported("spec.fsGroupPolicy", policy, _FS_GROUP_POLICIES))
    errs.extend(_validate_token_requests(spec.get("tokenRequests") or [], "spec.tokenRequests"))
    modes = spec.get("volumeLifecycleModes") or []
    if not modes:
        errs.append(
            FieldError.required("spec.volumeLifecycleModes", "at least one mode is required")
        )
    errs.extend(
        FieldError.not_supported("spec.volumeLifecycleModes", m, _LIFECYCLE_MODES)
        for m in modes
        if m not in _LIFECYCLE_MODES
    )
    if spec.get("seLinuxMount") is None:
        errs.append(FieldError.required("spec.seLinuxMount"))
    return errs


def _validate_csi_driver_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateCSIDriverUpdate: attachRequired, fsGroupPolicy and lifecycle modes are fixed."""
    errs = _validate_csi_driver(new)
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    for key, shown in (
        ("attachRequired", "attachedRequired"),
        ("fsGroupPolicy", "fsGroupPolicy"),
        ("volumeLifecycleModes", "volumeLifecycleModes"),
    ):
        value = spec.get(key)
        shown_value = GoValue(_go_modes(value)) if key == "volumeLifecycleModes" else value
        errs.extend(validate_immutable(value, old_spec.get(key), f"spec.{shown}", shown_value))
    return errs


def _go_modes(modes: list[str] | None) -> str:
    if modes is None:
        return "[]storage.VolumeLifecycleMode(nil)"
    return "[]storage.VolumeLifecycleMode{" + ", ".join(go_quote(m) for m in modes) + "}"


def _validate_source(source: dict) -> list[FieldError]:
    inline, pv_name = source.get("inlineVolumeSpec"), source.get("persistentVolumeName")
    if inline is None and pv_name is None:
        return [FieldError.required("spec.source", _ONE_SOURCE)]
    if inline is not None and pv_name is not None:
        return [FieldError.forbidden("spec.source", _ONE_SOURCE)]
    if pv_name is not None:
        if not pv_name:
            return [
                FieldError.required(
                    "spec.source.persistentVolumeName",
                    "must specify non empty persistentVolumeName",
                )
            ]
        return []
    return validate_pv_spec(inline or {}, "spec.source.inlineVolumeSpec", inline=True)


def _validate_attachment(obj: dict) -> list[FieldError]:
    """ValidateVolumeAttachment then ValidateVolumeAttachmentV1 (the status is empty on create)."""
    spec = obj.get("spec") or {}
    attacher, node = spec.get("attacher") or "", spec.get("nodeName") or ""
    errs = [] if attacher else [FieldError.required("spec.attacher")]
    errs.extend(_validate_source(spec.get("source") or {}))
    errs.extend(
        FieldError.invalid("spec.nodeName", node, m) for m in name_is_dns_subdomain(node, False)
    )
    errs.extend(validate_csi_driver_name(attacher, "spec.attacher"))
    pv_name = (spec.get("source") or {}).get("persistentVolumeName")
    if pv_name is not None:
        errs.extend(
            FieldError.invalid("spec.source.persistentVolumeName", pv_name, m)
            for m in name_is_dns_subdomain(pv_name, False)
        )
    return errs


def _go_attachment_spec(spec: dict) -> GoValue:
    """`%#v` of a storage.VolumeAttachmentSpec (Go prints pointers as addresses)."""
    source = spec.get("source") or {}
    pv = "(0xc000000000)" if source.get("persistentVolumeName") is not None else "(nil)"
    inline = "(0xc000000000)" if source.get("inlineVolumeSpec") is not None else "(nil)"
    return GoValue(
        f"storage.VolumeAttachmentSpec{{Attacher:{go_quote(spec.get('attacher') or '')}, "
        f"Source:storage.VolumeAttachmentSource{{PersistentVolumeName:(*string){pv}, "
        f"InlineVolumeSpec:(*core.PersistentVolumeSpec){inline}}}, "
        f"NodeName:{go_quote(spec.get('nodeName') or '')}}}"
    )


def _validate_attachment_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateVolumeAttachmentUpdate: the spec is read-only."""
    errs = _validate_attachment(new)
    if new.get("spec") != old.get("spec"):
        errs.append(
            FieldError.invalid(
                "spec", _go_attachment_spec(new.get("spec") or {}), "field is immutable"
            )
        )
    return errs


RULES = (
    KindRules(
        "CSIDriver",
        name=_no_name_errors,
        default=_default_csi_driver,
        validate=_validate_csi_driver,
        validate_update=_validate_csi_driver_update,
    ),
    KindRules(
        "VolumeAttachment",
        validate=_validate_attachment,
        validate_update=_validate_attachment_update,
        status={"attached": False},
    ),
)
