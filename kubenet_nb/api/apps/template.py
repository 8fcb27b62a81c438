"""What every apps/v1 workload shares: a pod template under a selector, validated alike.

Deployments, ReplicaSets and DaemonSets default their template as a PodSpec, validate it with
ValidatePodTemplateSpecForReplicaSet against a required, non-empty selector
(pkg/apis/apps/validation/validation.go), and their apps/v1 strategies make the selector
immutable on update (pkg/registry/apps/*/strategy.go ValidateUpdate).
"""

from __future__ import annotations

from collections.abc import Callable

from kubenet_nb.api.core.pod.defaults import default_pod_spec
from kubenet_nb.api.core.pod.template import (
    validate_kept_running,
    validate_pod_template_spec,
    validate_selected_labels,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    name_is_dns_subdomain,
    validate_immutable,
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
    "validate_workload_selector",
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
    labels = (template.get("metadata") or {}).get("labels")
    errs = validate_selected_labels(selector.empty() or selector.matches(labels), labels, field)
    errs.extend(validate_pod_template_spec(template, field))
    return errs + validate_kept_running(template, field, "ReplicaSet")


def validate_workload_selector(selector: dict | None, kind: str) -> list[FieldError]:
    """A required, valid, non-empty `spec.selector` (`empty selector is invalid for <kind>`)."""
    if selector is None:
        return [FieldError.required("spec.selector")]
    errs = validate_label_selector(selector, "spec.selector")
    if not selector.get("matchLabels") and not selector.get("matchExpressions"):
        errs.append(
            FieldError.invalid(
                "spec.selector",
                go_label_selector(selector),
                f"empty selector is invalid for {kind}",
            )
        )
    return errs


def validate_selector_and_template(spec: dict) -> list[FieldError]:
    """A required, non-empty selector that the template's labels match (apps validation; the
    ReplicaSet and DaemonSet rules say `deployment` too, as upstream's do)."""
    selector = spec.get("selector")
    errs = validate_workload_selector(selector, "deployment")
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
