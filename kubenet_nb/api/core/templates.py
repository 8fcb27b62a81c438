"""PodTemplates and ReplicationControllers: defaulting, validation and warnings.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/core/v1/defaults.go
(SetDefaults_ReplicationController: replicas 1, selector and labels from the template's labels),
pkg/apis/core/validation/validation.go (ValidatePodTemplate, ValidatePodTemplateSpec,
ValidateReplicationController, ValidatePodTemplateSpecForRC) and the podtemplate and
replicationcontroller strategies (both keep metadata.generation; a controller starts from an
empty status).
"""

from __future__ import annotations

from kubenet_nb.api.apps.template import default_pod_template
from kubenet_nb.api.core.pod.template import (
    validate_kept_running,
    validate_pod_template_spec,
    validate_selected_labels,
)
from kubenet_nb.api.core.pod.warnings import pod_spec_warnings
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import (
    validate_nonnegative,
)
from kubenet_nb.api.names import is_dns1123_label

__all__ = ["RULES"]


def _default_pod_template(obj: dict) -> None:
    default_pod_template(obj.setdefault("template", {}))


def _validate_pod_template(obj: dict) -> list[FieldError]:
    return validate_pod_template_spec(obj.get("template") or {}, "template")


def _template_warnings(obj: dict) -> list[str]:
    spec = (obj.get("template") or {}).get("spec") or {}
    return pod_spec_warnings(spec, "template.spec")


def _default_controller(obj: dict) -> None:
    """SetDefaults_ReplicationController, then the template's PodSpec defaults."""
    spec = obj.setdefault("spec", {})
    template = spec.get("template")
    labels = ((template or {}).get("metadata") or {}).get("labels")
    if labels is not None:
        if not spec.get("selector"):
            spec["selector"] = dict(labels)
        meta = obj.setdefault("metadata", {})
        if not meta.get("labels"):
            meta["labels"] = dict(labels)
    if spec.get("replicas") is None:
        spec["replicas"] = 1
    if template is not None:
        default_pod_template(template)


def _validate_controller_template(spec: dict) -> list[FieldError]:
    """ValidatePodTemplateSpecForRC."""
    template = spec.get("template")
    if template is None:
        return [FieldError.required("spec.template")]
    selector = spec.get("selector") or {}
    labels = (template.get("metadata") or {}).get("labels")
    matches = all((labels or {}).get(key) == value for key, value in selector.items())
    errs = validate_selected_labels(matches, labels, "spec.template")
    errs.extend(validate_pod_template_spec(template, "spec.template"))
    return errs + validate_kept_running(template, "spec.template", "ReplicationController")


def _validate_controller(obj: dict) -> list[FieldError]:
    """ValidateReplicationControllerSpec (ValidateReplicationControllerUpdate adds nothing)."""
    spec = obj.get("spec") or {}
    errs = validate_nonnegative(spec.get("minReadySeconds", 0), "spec.minReadySeconds")
    if not spec.get("selector"):
        errs.append(FieldError.required("spec.selector"))
    errs.extend(validate_nonnegative(spec.get("replicas", 0), "spec.replicas"))
    return errs + _validate_controller_template(spec)


def _controller_warnings(obj: dict) -> list[str]:
    """The rc strategy's WarningsOnCreate/Update: a DNS-label name, the template's warnings."""
    problems = is_dns1123_label(obj.get("metadata", {}).get("name", ""))
    warnings = []
    if problems:
        warnings.append(
            "metadata.name: this is used in Pod names and hostnames, which can result in "
            f"surprising behavior; a DNS label is recommended: [{' '.join(problems)}]"
        )
    template = (obj.get("spec") or {}).get("template") or {}
    return warnings + pod_spec_warnings(template.get("spec") or {}, "spec.template.spec")


RULES = (
    KindRules(
        "PodTemplate",
        default=_default_pod_template,
        validate=_validate_pod_template,
        generation=True,
        warnings=_template_warnings,
    ),
    KindRules(
        "ReplicationController",
        default=_default_controller,
        validate=_validate_controller,
        status={"replicas": 0},
        generation=True,
        warnings=_controller_warnings,
    ),
)
