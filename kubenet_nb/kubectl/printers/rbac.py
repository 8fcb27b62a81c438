"""Table cells for RoleBindings and ClusterRoleBindings, as the API server makes them.

kubernetes/kubernetes pkg/printers/internalversion/printers.go @ v1.33.0: `printRoleBinding`
and `printClusterRoleBinding` (ROLE = `Kind/name`; the wide USERS, GROUPS and SERVICEACCOUNTS
come from pkg/apis/rbac `SubjectsStrings`). Roles and ClusterRoles have no printer: their
registries use the default table convertor (NAME, CREATED AT).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.kubectl.printers import Column
from kubenet_nb.kubectl.printers.age import object_age
from kubenet_nb.kubectl.printers.printer import AGE, NAME, Printer, name

__all__ = ["PRINTERS"]


def _binding_row(binding: dict, now: datetime) -> list[Any]:
    role = binding.get("roleRef") or {}
    users: list[str] = []
    groups: list[str] = []
    accounts: list[str] = []
    for subject in binding.get("subjects") or []:
        kind = subject.get("kind")
        if kind == "ServiceAccount":
            accounts.append(f"{subject.get('namespace', '')}/{subject.get('name', '')}")
        elif kind == "User":
            users.append(subject.get("name", ""))
        elif kind == "Group":
            groups.append(subject.get("name", ""))
    return [
        name(binding),
        f"{role.get('kind', '')}/{role.get('name', '')}",
        object_age(binding, now),
        ", ".join(users),
        ", ".join(groups),
        ", ".join(accounts),
    ]


_BINDING = Printer(
    (
        NAME,
        Column("Role"),
        AGE,
        Column("Users", 1),
        Column("Groups", 1),
        Column("ServiceAccounts", 1),
    ),
    _binding_row,
)

PRINTERS = {"RoleBinding": _BINDING, "ClusterRoleBinding": _BINDING}
