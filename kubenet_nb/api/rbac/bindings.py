"""RoleBinding and ClusterRoleBinding: roleRef and subjects (rbac.authorization.k8s.io/v1).

pkg/apis/rbac/v1/defaults.go (the rbac API group filled in for roleRef and User/Group subjects)
and pkg/apis/rbac/validation/validation.go (ValidateRoleBinding, ValidateClusterRoleBinding,
validateRoleBindingSubject, their update twins: roleRef may never change) @ v1.33.0.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue, go_quote, name_is_dns_subdomain
from kubenet_nb.api.path_segment import is_valid_path_segment_name, name_is_path_segment

__all__ = ["RULES", "default_binding", "validate_binding", "validate_binding_update"]

GROUP = "rbac.authorization.k8s.io"
_SUBJECT_KINDS = ["ServiceAccount", "User", "Group"]


def default_binding(obj: dict) -> None:
    """SetDefaults_RoleBinding / _ClusterRoleBinding and SetDefaults_Subject."""
    ref = obj.setdefault("roleRef", {})
    if not ref.get("apiGroup"):
        ref["apiGroup"] = GROUP
    for subject in obj.get("subjects") or []:
        if not subject.get("apiGroup") and subject.get("kind") in ("User", "Group"):
            subject["apiGroup"] = GROUP


def _validate_role_ref(ref: dict, kinds: list[str]) -> list[FieldError]:
    errs: list[FieldError] = []
    if ref.get("apiGroup", "") != GROUP:
        errs.append(FieldError.not_supported("roleRef.apiGroup", ref.get("apiGroup", ""), [GROUP]))
    if ref.get("kind", "") not in kinds:
        errs.append(FieldError.not_supported("roleRef.kind", ref.get("kind", ""), kinds))
    name = ref.get("name", "")
    if not name:
        errs.append(FieldError.required("roleRef.name"))
    errs.extend(
        FieldError.invalid("roleRef.name", name, msg) for msg in is_valid_path_segment_name(name)
    )
    return errs


def _validate_subject(subject: dict, namespaced: bool, field: str) -> list[FieldError]:
    """validateRoleBindingSubject."""
    name, kind, group = (
        subject.get("name", ""),
        subject.get("kind", ""),
        subject.get("apiGroup", ""),
    )
    errs: list[FieldError] = []
    if not name:
        errs.append(FieldError.required(f"{field}.name"))
    if kind == "ServiceAccount":
        if name:
            errs.extend(
                FieldError.invalid(f"{field}.name", name, msg)
                for msg in name_is_dns_subdomain(name, False)
            )
        if group:
            errs.append(FieldError.not_supported(f"{field}.apiGroup", group, [""]))
        if not namespaced and not subject.get("namespace"):
            errs.append(FieldError.required(f"{field}.namespace"))
    elif kind in ("User", "Group"):
        if not name:
            errs.append(
                FieldError.invalid(f"{field}.name", name, f"{kind.lower()} name cannot be empty")
            )
        if group != GROUP:
            errs.append(FieldError.not_supported(f"{field}.apiGroup", group, [GROUP]))
    else:
        errs.append(FieldError.not_supported(f"{field}.kind", kind, _SUBJECT_KINDS))
    return errs


def validate_binding(obj: dict) -> list[FieldError]:
    """ValidateRoleBinding / ValidateClusterRoleBinding beyond ObjectMeta."""
    namespaced = obj.get("kind") == "RoleBinding"
    kinds = ["Role", "ClusterRole"] if namespaced else ["ClusterRole"]
    errs = _validate_role_ref(obj.get("roleRef") or {}, kinds)
    for i, subject in enumerate(obj.get("subjects") or []):
        errs.extend(_validate_subject(subject, namespaced, f"subjects[{i}]"))
    return errs


def _go_role_ref(ref: dict) -> GoValue:
    """`%#v` of an rbac.RoleRef, as `cannot change roleRef` shows the new one."""
    fields = ", ".join(
        f"{key}:{go_quote(ref.get(json, ''))}"
        for key, json in (("APIGroup", "apiGroup"), ("Kind", "kind"), ("Name", "name"))
    )
    return GoValue(f"rbac.RoleRef{{{fields}}}")


def validate_binding_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateRoleBindingUpdate / ValidateClusterRoleBindingUpdate: roleRef is fixed."""
    errs = validate_binding(new)
    ref = new.get("roleRef") or {}
    if ref != (old.get("roleRef") or {}):
        errs.append(FieldError.invalid("roleRef", _go_role_ref(ref), "cannot change roleRef"))
    return errs


RULES = tuple(
    KindRules(
        kind,
        name=name_is_path_segment,
        default=default_binding,
        validate=validate_binding,
        validate_update=validate_binding_update,
    )
    for kind in ("RoleBinding", "ClusterRoleBinding")
)
