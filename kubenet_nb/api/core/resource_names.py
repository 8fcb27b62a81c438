"""Which resource names quotas, limit ranges and containers accept (pkg/apis/core/helper/helpers.go
and the validateResourceName family of pkg/apis/core/validation/validation.go @ v1.33.0)."""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import NEGATIVE, GoValue
from kubenet_nb.api.names import is_qualified_name
from kubenet_nb.api.quantity import parse_quantity

__all__ = [
    "is_integer_resource",
    "is_overcommit_allowed",
    "validate_container_resource_name",
    "validate_quota_resource_name",
    "validate_resource_name",
    "validate_resource_quantity",
]

_COUNTED = {
    "pods",
    "services",
    "replicationcontrollers",
    "resourcequotas",
    "secrets",
    "configmaps",
    "persistentvolumeclaims",
    "services.nodeports",
    "services.loadbalancers",
}
_COMPUTE = {"cpu", "memory", "ephemeral-storage"}
_PREFIXED_COMPUTE = {f"{p}.{r}" for p in ("requests", "limits") for r in _COMPUTE}
_STANDARD = _COUNTED | _COMPUTE | _PREFIXED_COMPUTE | {"storage", "requests.storage"}
_QUOTA = _STANDARD - {"storage"}


def _is_hugepages(name: str) -> bool:
    return name.startswith("hugepages-")


def _is_quota_hugepages(name: str) -> bool:
    return name.startswith(("hugepages-", "requests.hugepages-"))


def _is_native(name: str) -> bool:
    return "/" not in name or "kubernetes.io/" in name


def _is_extended(name: str) -> bool:
    """IsExtendedResourceName: a fully qualified, non-native name usable after `requests.`."""
    if _is_native(name) or name.startswith("requests."):
        return False
    return not is_qualified_name("requests." + name)


def is_integer_resource(name: str) -> bool:
    """IsIntegerResourceName: object counts and extended resources."""
    return name in _COUNTED or _is_extended(name)


def is_overcommit_allowed(name: str) -> bool:
    """IsOvercommitAllowed: native resources but hugepages."""
    return _is_native(name) and not _is_hugepages(name)


def validate_resource_name(name: str, field: str) -> list[FieldError]:
    """validateResourceName: a qualified name, standard unless it has a domain."""
    errs = [FieldError.invalid(field, name, msg) for msg in is_qualified_name(name)]
    if errs:
        return errs
    if "/" not in name and not (name in _STANDARD or _is_quota_hugepages(name)):
        return [
            FieldError.invalid(field, name, "must be a standard resource type or fully qualified")
        ]
    return []


def validate_container_resource_name(name: str, field: str) -> list[FieldError]:
    """validateContainerResourceName: also one a container may request."""
    errs = validate_resource_name(name, field)
    if "/" not in name:
        if name not in _COMPUTE and not _is_hugepages(name):
            errs.append(
                FieldError.invalid(field, name, "must be a standard resource for containers")
            )
    elif not _is_native(name) and not _is_extended(name):
        errs.append(
            FieldError.invalid(field, name, "doesn't follow extended resource name standard")
        )
    return errs


def validate_quota_resource_name(name: str, field: str) -> list[FieldError]:
    """ValidateResourceQuotaResourceName: also one a quota can count."""
    errs = validate_resource_name(name, field)
    if "/" not in name and not (name in _QUOTA or _is_quota_hugepages(name)):
        errs.append(FieldError.invalid(field, name, "must be a standard resource for quota"))
    return errs


def validate_resource_quantity(name: str, raw: object, field: str) -> list[FieldError]:
    """ValidateResourceQuantityValue: not negative, whole for counted resources."""
    quantity = parse_quantity(raw)
    errs = [FieldError.invalid(field, str(quantity), NEGATIVE)] if quantity.value < 0 else []
    if is_integer_resource(name) and quantity.value % 1:
        errs.append(FieldError.invalid(field, GoValue(str(quantity)), "must be an integer"))
    return errs
