"""StorageClasses: defaulting, validation, update rules and warnings.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/storage/v1/defaults.go
(SetDefaults_StorageClass: reclaimPolicy Delete, volumeBindingMode Immediate),
pkg/apis/storage/validation/validation.go (ValidateStorageClass, ValidateStorageClassUpdate) and
pkg/api/storage/util.go (warnings for the deprecated beta topology labels).
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import validate_immutable, validate_label_name
from kubenet_nb.api.names import is_qualified_name

__all__ = ["RULES", "topology_label_warnings"]

MAX_PARAMETERS = 512
MAX_PARAMETERS_SIZE = 256 * 1024
_RECLAIM_POLICIES = ["Delete", "Retain"]
_BINDING_MODES = ["Immediate", "WaitForFirstConsumer"]
_GA_LABELS = {
    "failure-domain.beta.kubernetes.io/zone": "topology.kubernetes.io/zone",
    "failure-domain.beta.kubernetes.io/region": "topology.kubernetes.io/region",
    "beta.kubernetes.io/os": "kubernetes.io/os",
    "beta.kubernetes.io/arch": "kubernetes.io/arch",
    "beta.kubernetes.io/instance-type": "node.kubernetes.io/instance-type",
}


def _default(obj: dict) -> None:
    if obj.get("reclaimPolicy") is None:
        obj["reclaimPolicy"] = "Delete"
    if obj.get("volumeBindingMode") is None:
        obj["volumeBindingMode"] = "Immediate"


def _validate_parameters(params: dict) -> list[FieldError]:
    if len(params) > MAX_PARAMETERS:
        return [FieldError.too_long("parameters", MAX_PARAMETERS)]
    errs = [FieldError.invalid("parameters", k, "field can not be empty.") for k in params if not k]
    if sum(len(k.encode()) + len(str(v).encode()) for k, v in params.items()) > MAX_PARAMETERS_SIZE:
        errs.append(FieldError.too_long("parameters", MAX_PARAMETERS_SIZE))
    return errs


def _validate_topologies(terms: list[dict]) -> list[FieldError]:
    """validateAllowedTopologies: each term's keys qualified and unique, values given, terms
    distinct."""
    errs: list[FieldError] = []
    seen: list[dict[str, frozenset]] = []
    for i, term in enumerate(terms):
        path = f"allowedTopologies[{i}].matchLabelExpressions"
        keys: dict[str, frozenset] = {}
        for j, expression in enumerate(term.get("matchLabelExpressions") or []):
            key, values = expression.get("key") or "", expression.get("values") or []
            if not values:
                errs.append(FieldError.required(f"{path}[{j}].values"))
            errs.extend(
                FieldError.duplicate(f"{path}[{j}].values[{k}]", v)
                for k, v in enumerate(values)
                if v in values[:k]
            )
            errs.extend(validate_label_name(key, f"{path}[{j}].key"))
            if key in keys:
                errs.append(FieldError.duplicate(f"{path}[{j}].key", key))
            keys[key] = frozenset(values)
        if keys in seen:
            errs.append(FieldError.duplicate(path, ""))
        seen.append(keys)
    return errs


def _validate(obj: dict) -> list[FieldError]:
    """ValidateStorageClass beyond ObjectMeta."""
    provisioner = obj.get("provisioner") or ""
    errs = [] if provisioner else [FieldError.required("provisioner")]
    errs.extend(
        FieldError.invalid("provisioner", provisioner.lower(), msg)
        for msg in (is_qualified_name(provisioner.lower()) if provisioner else [])
    )
    errs.extend(_validate_parameters(obj.get("parameters") or {}))
    policy = obj.get("reclaimPolicy") or ""
    if policy and policy not in _RECLAIM_POLICIES:
        errs.append(FieldError.not_supported("reclaimPolicy", policy, _RECLAIM_POLICIES))
    mode = obj.get("volumeBindingMode")
    if mode is None:
        errs.append(FieldError.required("volumeBindingMode"))
    elif mode not in _BINDING_MODES:
        errs.append(FieldError.not_supported("volumeBindingMode", mode, _BINDING_MODES))
    return errs + _validate_topologies(obj.get("allowedTopologies") or [])


def _validate_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateStorageClass again, then parameters, provisioner, reclaim and binding fixed."""
    errs = _validate(new)
    if (new.get("parameters") or None) != (old.get("parameters") or None):
        errs.append(FieldError.forbidden("parameters", "updates to parameters are forbidden."))
    if new.get("provisioner") != old.get("provisioner"):
        errs.append(FieldError.forbidden("provisioner", "updates to provisioner are forbidden."))
    if new.get("reclaimPolicy") != old.get("reclaimPolicy"):
        errs.append(
            FieldError.forbidden("reclaimPolicy", "updates to reclaimPolicy are forbidden.")
        )
    errs.extend(
        validate_immutable(
            new.get("volumeBindingMode"), old.get("volumeBindingMode"), "volumeBindingMode"
        )
    )
    return errs


def topology_label_warnings(terms: list[dict], field: str, expressions: str) -> list[str]:
    """Warnings for beta topology label keys (GetWarningsForNodeSelectorTerm and kin)."""
    return [
        f"{field}[{i}].{expressions}[{j}].key: deprecated since v1.17; "
        f'use "{_GA_LABELS[key]}" instead'
        for i, term in enumerate(terms)
        for j, expression in enumerate(term.get(expressions) or [])
        if (key := expression.get("key")) in _GA_LABELS
    ]


def _warnings(obj: dict) -> list[str]:
    terms = obj.get("allowedTopologies") or []
    return topology_label_warnings(terms, "allowedTopologies", "matchLabelExpressions")


RULES = (
    KindRules(
        "StorageClass",
        default=_default,
        validate=_validate,
        validate_update=_validate_update,
        warnings=_warnings,
    ),
)
