"""IngressClasses (networking.k8s.io/v1): the controller and the parameters reference.

pkg/apis/networking/validation/validation.go (ValidateIngressClass, validateIngressClassSpec,
validateIngressClassParametersReference, ValidateIngressClassUpdate: the controller is
immutable) and apimachinery IsDomainPrefixedPath @ v1.33.0. No defaults.
"""

from __future__ import annotations

import re

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import name_is_dns_label, validate_immutable
from kubenet_nb.api.names import is_dns1123_subdomain
from kubenet_nb.api.path_segment import is_valid_path_segment_name

__all__ = ["RULES", "validate_ingress_class", "validate_ingress_class_update"]

MAX_CONTROLLER_LENGTH = 250
_HTTP_PATH_FMT = r"[A-Za-z0-9/\-._~%!$&'()*+,;=:]+"
_HTTP_PATH = re.compile(_HTTP_PATH_FMT)
_SCOPES = ["Cluster", "Namespace"]


def _domain_prefixed_path(value: str, field: str) -> list[FieldError]:
    """IsDomainPrefixedPath: `host/path`, the host a DNS subdomain, the path an HTTP path."""
    if not value:
        return [FieldError.required(field)]
    host, _, path = value.partition("/")
    if not host or not path:
        return [
            FieldError.invalid(
                field, value, 'must be a domain-prefixed path (such as "acme.io/foo")'
            )
        ]
    errs = [FieldError.invalid(field, host, msg) for msg in is_dns1123_subdomain(host)]
    if not _HTTP_PATH.fullmatch(path):
        errs.append(
            FieldError.invalid(
                field, path, f"Invalid path (regex used for validation is '{_HTTP_PATH_FMT}')"
            )
        )
    return errs


def _validate_reference(params: dict, field: str) -> list[FieldError]:
    """validateIngressTypedLocalObjectReference."""
    errs: list[FieldError] = []
    if params.get("apiGroup") is not None:
        errs.extend(
            FieldError.invalid(f"{field}.apiGroup", params["apiGroup"], msg)
            for msg in is_dns1123_subdomain(params["apiGroup"])
        )
    for key in ("kind", "name"):
        value = params.get(key, "")
        if not value:
            errs.append(FieldError.required(f"{field}.{key}", f"{key} is required"))
        errs.extend(
            FieldError.invalid(f"{field}.{key}", value, msg)
            for msg in is_valid_path_segment_name(value)
        )
    return errs


def _validate_parameters(params: dict | None) -> list[FieldError]:
    """validateIngressClassParametersReference: a reference, its scope and namespace."""
    field = "spec.parameters"
    if params is None:
        return []
    errs = _validate_reference(params, field)
    scope, namespace = params.get("scope"), params.get("namespace")
    if scope is None:
        return [*errs, FieldError.required(f"{field}.scope")]
    if scope not in _SCOPES:
        return [*errs, FieldError.not_supported(f"{field}.scope", scope, _SCOPES)]
    if scope == "Namespace":
        if namespace is None:
            errs.append(
                FieldError.required(
                    f"{field}.namespace", "`parameters.scope` is set to 'Namespace'"
                )
            )
        else:
            errs.extend(
                FieldError.invalid(f"{field}.namespace", namespace, msg)
                for msg in name_is_dns_label(namespace, False)
            )
    elif namespace is not None:
        errs.append(
            FieldError.forbidden(f"{field}.namespace", "`parameters.scope` is set to 'Cluster'")
        )
    return errs


def validate_ingress_class(obj: dict) -> list[FieldError]:
    """validateIngressClassSpec: a controller of at most 250 characters, the parameters."""
    spec = obj.get("spec") or {}
    controller = spec.get("controller", "")
    errs: list[FieldError] = []
    if len(controller) > MAX_CONTROLLER_LENGTH:
        errs.append(FieldError.too_long("spec.controller", MAX_CONTROLLER_LENGTH))
    errs.extend(_domain_prefixed_path(controller, "spec.controller"))
    return errs + _validate_parameters(spec.get("parameters"))


def validate_ingress_class_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateIngressClassUpdate: the controller is immutable, then the new class."""
    controller = (new.get("spec") or {}).get("controller", "")
    old_controller = (old.get("spec") or {}).get("controller", "")
    errs = validate_immutable(controller, old_controller, "spec.controller")
    return errs + validate_ingress_class(new)


RULES = (
    KindRules(
        "IngressClass",
        validate=validate_ingress_class,
        validate_update=validate_ingress_class_update,
    ),
)
