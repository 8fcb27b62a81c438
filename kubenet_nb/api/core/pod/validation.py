"""Pod validation on create and update: what a Pod may hold, and the little a Pod may change.

Follows ValidatePodCreate and ValidatePodUpdate in pkg/apis/core/validation/validation.go
(v1.33); the pod spec itself is checked by pod_spec_validation.
"""

from __future__ import annotations

from kubenet_nb.api.core.pod.spec import validate_pod_spec, validate_tolerations
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    field_diff,
    name_is_dns_subdomain,
    validate_object_meta,
    validate_object_meta_update,
)

__all__ = ["UPDATABLE_POD_SPEC_FIELDS", "validate_pod", "validate_pod_update"]

UPDATABLE_POD_SPEC_FIELDS = (
    "`spec.containers[*].image`",
    "`spec.initContainers[*].image`",
    "`spec.activeDeadlineSeconds`",
    "`spec.tolerations` (only additions to existing tolerations)",
    "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
)


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
                + field_diff("core.PodSpec", old_spec, munged),
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
