"""What every apps/v1 workload shares: a pod template under a selector, validated alike.

Deployments, ReplicaSets and DaemonSets default their template as a PodSpec, validate it with
ValidatePodTemplateSpecForReplicaSet against a required, non-empty selector
(pkg/apis/apps/validation/validation.go), and their apps/v1 strategies make the selector
immutable on update (pkg/registry/apps/*/strategy.go ValidateUpdate).
"""

from __future__ import annotations

from collections.abc import Callable

from kubenet_nb.api.core.pod.defaults import default_pod_spec
from kubenet_nb.api.core.pod.spec import validate_pod_spec
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    GoValue,
    go_string_map,
    name_is_dns_subdomain,
    validate_annotations,
    validate_immutable,
    validate_labels,
    validate_object_meta,
    validate_object_meta_update,
)
from kubenet_nb.api.selectors import (
    Selector,
    SelectorError,
    go_label_selector,
    selector_from_label_selector,
    validate_label_selector,
)

__all__ = [
    "SpecCheck",
    "default_pod_template",
    "validate_pod_template",
    "validate_selector_and_template",
    "validate_workload",
    "validate_workload_update",
]

SpecCheck = Callable[[dict], list[FieldError]]
"""A workload kind's spec validation (ValidateDeploymentSpec, ...), errors in upstream order."""


def default_pod_template(template: dict) -> None:
    """A template is defaulted as a PodSpec (not as a Pod: no enableServiceLinks, no admission).

    `creationTimestamp: null` is what a v1.33 API server returns in template metadata.
    """
    template.setdefault("metadata", {}).setdefault("creationTimestamp", None)
    default_pod_spec(template.setdefault("spec", {}))


def validate_pod_template(template: dict, selector: Selector, field: str) -> list[FieldError]:
    """ValidatePodTemplateSpecForReplicaSet (Deployments use it too, wording included)."""
    meta = template.get("metadata") or {}
    labels = meta.get("labels")
    errs: list[FieldError] = []
    if not selector.empty() and not selector.matches(labels):
        errs.append(
            FieldError.invalid(
                f"{field}.metadata.labels",
                GoValue(go_string_map(labels)),
                "`selector` does not match template `labels`",
            )
        )
    errs.extend(validate_labels(labels, f"{field}.labels"))
    errs.extend(validate_annotations(meta.get("annotations"), f"{field}.annotations"))
    spec = template.get("spec") or {}
    errs.extend(validate_pod_spec(spec, f"{field}.spec", is_pod=False))
    if spec.get("ephemeralContainers"):
        errs.append(
            FieldError.forbidden(
                f"{field}.spec.ephemeralContainers",
                "ephemeral containers not allowed in pod template",
            )
        )
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
                "activeDeadlineSeconds in ReplicaSet is not Supported",
            )
        )
    return errs


def validate_selector_and_template(spec: dict) -> list[FieldError]:
    """A required, non-empty selector that the template's labels match (apps validation)."""
    selector = spec.get("selector")
    errs: list[FieldError] = []
    if selector is None:
        errs.append(FieldError.required("spec.selector"))
    else:
        errs.extend(validate_label_selector(selector, "spec.selector"))
        if not selector.get("matchLabels") and not selector.get("matchExpressions"):
            errs.append(
                FieldError.invalid(
                    "spec.selector",
                    go_label_selector(selector),
                    "empty selector is invalid for deployment",
                )
            )
    try:
        parsed = selector_from_label_selector(selector)
    except SelectorError:
        errs.append(
            FieldError.invalid(
                "spec.selector", go_label_selector(selector), "invalid label selector"
            )
        )
    else:
        errs.extend(validate_pod_template(spec.get("template") or {}, parsed, "spec.template"))
    return errs


def validate_workload(obj: dict, validate_spec: SpecCheck) -> list[FieldError]:
    """ValidateDeployment, ValidateReplicaSet, ValidateDaemonSet: the metadata, then the spec."""
    errs = validate_object_meta(obj.get("metadata", {}), True, name_is_dns_subdomain)
    return errs + validate_spec(obj.get("spec", {}))


def validate_workload_update(new: dict, old: dict, validate_spec: SpecCheck) -> list[FieldError]:
    """Their update twins: the metadata update rules, the new spec, and an immutable selector."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    errs.extend(validate_spec(new.get("spec", {})))
    selector = new.get("spec", {}).get("selector")
    errs.extend(
        validate_immutable(
            selector,
            old.get("spec", {}).get("selector"),
            "spec.selector",
            go_label_selector(selector),
        )
    )
    return errs
