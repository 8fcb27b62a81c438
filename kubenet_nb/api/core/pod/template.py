"""Pod templates inside other objects: what every owner's validation of its template shares.

kubernetes/kubernetes pkg/apis/core/validation/validation.go @ v1.33.0 (ValidatePodTemplateSpec)
and the owners' ValidatePodTemplateSpecFor{ReplicaSet,RC,StatefulSet}
(pkg/apis/apps/validation, pkg/apis/core/validation): labels that the selector must match, a
PodSpec without ephemeral containers, and for controllers that keep pods running, restartPolicy
Always and no activeDeadlineSeconds.
"""

from __future__ import annotations

from kubenet_nb.api.core.pod.spec import validate_pod_spec
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import GoValue, go_string_map, validate_annotations, validate_labels

__all__ = [
    "validate_kept_running",
    "validate_pod_template_spec",
    "validate_selected_labels",
    "validate_template_metadata",
]


def validate_selected_labels(matches: bool, labels: dict | None, field: str) -> list[FieldError]:
    """`<field>.metadata.labels: Invalid value: map[...]: selector does not match template
    labels`, when the owner's selector (`matches`: it selects these labels) does not."""
    if matches:
        return []
    return [
        FieldError.invalid(
            f"{field}.metadata.labels",
            GoValue(go_string_map(labels)),
            "`selector` does not match template `labels`",
        )
    ]


def validate_template_metadata(template: dict, field: str) -> list[FieldError]:
    """The template's labels and annotations, reported at `<field>.labels` (as upstream does,
    without `.metadata`)."""
    meta = template.get("metadata") or {}
    errs = validate_labels(meta.get("labels"), f"{field}.labels")
    errs.extend(validate_annotations(meta.get("annotations"), f"{field}.annotations"))
    return errs


def validate_pod_template_spec(template: dict, field: str) -> list[FieldError]:
    """ValidatePodTemplateSpec: labels, annotations, the PodSpec, no ephemeral containers."""
    errs = validate_template_metadata(template, field)
    spec = template.get("spec") or {}
    errs.extend(validate_pod_spec(spec, f"{field}.spec", is_pod=False))
    if spec.get("ephemeralContainers"):
        errs.append(
            FieldError.forbidden(
                f"{field}.spec.ephemeralContainers",
                "ephemeral containers not allowed in pod template",
            )
        )
    return errs


def validate_kept_running(template: dict, field: str, owner: str) -> list[FieldError]:
    """A controller that keeps its pods running: restartPolicy Always, no deadline."""
    spec = template.get("spec") or {}
    errs: list[FieldError] = []
    if spec.get("restartPolicy") != "Always":
        errs.append(
            FieldError.not_supported(
                f"{field}.spec.restartPolicy", spec.get("restartPolicy", ""), ["Always"]
            )
        )
    if spec.get("activeDeadlineSeconds") is not None:
        errs.append(
            FieldError.forbidden(
                f"{field}.spec.activeDeadlineSeconds",
                f"activeDeadlineSeconds in {owner} is not Supported",
            )
        )
    return errs
