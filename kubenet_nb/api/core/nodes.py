"""Namespaces and Nodes: defaulting and validation as the API server does them.

Sources in kubernetes/kubernetes: pkg/apis/core/v1/defaults.go (SetDefaults_Namespace,
SetDefaults_NamespaceStatus, SetDefaults_NodeStatus), pkg/registry/core/namespace/strategy.go
(PrepareForCreate adds the `kubernetes` finalizer; Canonicalize pins the metadata.name label),
and ValidateNamespace / ValidateNode / validateNodeTaints in
pkg/apis/core/validation/validation.go (whose taint errors carry `metadata.taints` paths).
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.ip_addresses import parse_cidr_sloppy
from kubenet_nb.api.meta import (
    GoValue,
    go_quote,
    name_is_dns_label,
    name_is_dns_subdomain,
    validate_label_name,
    validate_object_meta,
    validate_object_meta_update,
    validate_qualified_name,
)
from kubenet_nb.api.names import is_valid_label_value
from kubenet_nb.api.well_known import NAMESPACE_NAME_LABEL

__all__ = [
    "default_namespace",
    "default_namespace_update",
    "default_node",
    "validate_namespace",
    "validate_namespace_update",
    "validate_node",
    "validate_node_update",
]

_STANDARD_FINALIZERS = ("kubernetes", "orphan", "foregroundDeletion")
_TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"]
_CIDR_ERROR = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"
_PODCIDR_CHANGE = 'node updates may not change podCIDR except from "" to valid'


def default_namespace(obj: dict) -> None:
    """Create: the metadata.name label, the `kubernetes` finalizer and phase Active."""
    meta = obj.setdefault("metadata", {})
    if meta.get("name"):
        meta.setdefault("labels", {})[NAMESPACE_NAME_LABEL] = meta["name"]
    finalizers = obj.setdefault("spec", {}).setdefault("finalizers", [])
    if "kubernetes" not in finalizers:
        finalizers.append("kubernetes")
    obj["status"] = {"phase": "Active"}


def default_namespace_update(new: dict, old: dict) -> None:
    """Update: finalizers and status come from the stored object; the name label is pinned."""
    meta = new.setdefault("metadata", {})
    if meta.get("name"):
        meta.setdefault("labels", {})[NAMESPACE_NAME_LABEL] = meta["name"]
    new.setdefault("spec", {})["finalizers"] = list(old.get("spec", {}).get("finalizers") or [])
    new["status"] = dict(old.get("status") or {"phase": "Active"})


def _validate_finalizer_name(name: str, field: str) -> list[FieldError]:
    errs = validate_qualified_name(name, field)
    if "/" not in name and name not in _STANDARD_FINALIZERS:
        errs.append(
            FieldError.invalid(
                field, name, "name is neither a standard finalizer name nor is it fully qualified"
            )
        )
    return errs


def validate_namespace(obj: dict) -> list[FieldError]:
    """ValidateNamespace: a DNS-label name, no namespace, valid spec.finalizers."""
    errs = validate_object_meta(obj.get("metadata", {}), False, name_is_dns_label)
    for finalizer in (obj.get("spec") or {}).get("finalizers") or []:
        errs.extend(_validate_finalizer_name(finalizer, "spec.finalizers"))
    return errs


def validate_namespace_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateNamespaceUpdate: only the metadata rules."""
    return validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))


def default_node(obj: dict) -> None:
    """v1 podCIDR mirrors podCIDRs[0]; status.allocatable defaults to status.capacity."""
    spec = obj.setdefault("spec", {})
    if spec.get("podCIDRs"):
        spec["podCIDR"] = spec["podCIDRs"][0]
    elif spec.get("podCIDR"):
        spec["podCIDRs"] = [spec["podCIDR"]]
    status = obj.get("status")
    if status and status.get("allocatable") is None and status.get("capacity") is not None:
        status["allocatable"] = dict(status["capacity"])


def _go_taint(taint: dict) -> GoValue:
    added = "(nil)" if taint.get("timeAdded") is None else "(0xc000000000)"
    return GoValue(
        f"core.Taint{{Key:{go_quote(taint.get('key', ''))}, "
        f"Value:{go_quote(taint.get('value', ''))}, "
        f"Effect:{go_quote(taint.get('effect', ''))}, TimeAdded:(*v1.Time){added}}}"
    )


def _validate_taints(taints: list[dict], field: str) -> list[FieldError]:
    errs: list[FieldError] = []
    seen: set[tuple[str, str]] = set()
    for i, taint in enumerate(taints):
        path = f"{field}[{i}]"
        key, value, effect = taint.get("key", ""), taint.get("value", ""), taint.get("effect", "")
        errs.extend(validate_label_name(key, f"{path}.key"))
        problems = is_valid_label_value(value)
        if problems:
            errs.append(FieldError.invalid(f"{path}.value", value, ";".join(problems)))
        if not effect:
            errs.append(FieldError.required(f"{path}.effect"))
        elif effect not in _TAINT_EFFECTS:
            errs.append(FieldError.not_supported(f"{path}.effect", effect, _TAINT_EFFECTS))
        if (effect, key) in seen:
            errs.append(
                FieldError(
                    "FieldValueDuplicate",
                    path,
                    _go_taint(taint),
                    "taints must be unique by key and effect pair",
                )
            )
            continue
        seen.add((effect, key))
    return errs


def _validate_pod_cidrs(cidrs: list[str]) -> list[FieldError]:
    field = "spec.podCIDRs"
    errs: list[FieldError] = []
    parsed = []
    for i, value in enumerate(cidrs):
        network = parse_cidr_sloppy(value)
        if network is None:
            errs.append(FieldError.invalid(f"{field}[{i}]", value, _CIDR_ERROR))
        parsed.append(network)
    if len(cidrs) > 1:
        families = {n.version for n in parsed if n is not None}
        if None in parsed or families != {4, 6} or len(cidrs) > 2:
            errs.append(
                FieldError.invalid(
                    field, list(cidrs), "may specify no more than one CIDR for each IP family"
                )
            )
        seen: set[str] = set()
        for i, value in enumerate(cidrs):
            if value in seen:
                errs.append(FieldError.duplicate(f"{field}[{i}]", value))
            seen.add(value)
    return errs


def validate_node(obj: dict) -> list[FieldError]:
    """ValidateNode: a DNS-subdomain name, taints, and well-formed podCIDRs."""
    errs = validate_object_meta(obj.get("metadata", {}), False, name_is_dns_subdomain)
    spec = obj.get("spec") or {}
    errs.extend(_validate_taints(spec.get("taints") or [], "metadata.taints"))
    return errs + _validate_pod_cidrs(spec.get("podCIDRs") or [])


def validate_node_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateNodeUpdate: podCIDRs and providerID are set once; taints stay valid."""
    errs = validate_object_meta_update(new.get("metadata", {}), old.get("metadata", {}))
    spec, old_spec = new.get("spec") or {}, old.get("spec") or {}
    old_cidrs, cidrs = old_spec.get("podCIDRs") or [], spec.get("podCIDRs") or []
    if old_cidrs:
        if len(old_cidrs) != len(cidrs):
            errs.append(FieldError.forbidden("spec.podCIDRs", _PODCIDR_CHANGE))
        else:
            errs.extend(
                FieldError.forbidden("spec.podCIDRs", _PODCIDR_CHANGE)
                for a, b in zip(old_cidrs, cidrs, strict=True)
                if a != b
            )
    old_provider = old_spec.get("providerID") or ""
    if old_provider and old_provider != (spec.get("providerID") or ""):
        errs.append(
            FieldError.forbidden(
                "spec.providerID", 'node updates may not change providerID except from "" to valid'
            )
        )
    errs.extend(_validate_taints(spec.get("taints") or [], "metadata.taints"))
    if (spec.get("externalID") or "") != (old_spec.get("externalID") or ""):
        errs.append(FieldError.forbidden("spec.externalID", "may not be updated"))
    return errs
