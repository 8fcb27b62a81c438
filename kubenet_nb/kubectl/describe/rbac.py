"""`kubectl describe` for Roles, ClusterRoles, RoleBindings and ClusterRoleBindings.

Follows k8s.io/kubectl/pkg/describe/describe.go (`RoleDescriber`, `ClusterRoleDescriber`,
`CombineResourceGroup`, `RoleBindingDescriber`, `ClusterRoleBindingDescriber`) and the rule
compaction of k8s.io/kubectl/pkg/util/rbac/rbac.go (`BreakdownRule`, `CompactRules`,
`SortableRuleSlice`). None of these describers prints a namespace or events.
"""

from __future__ import annotations

from kubenet_nb.kubectl.describe.writer import header

__all__ = ["compact_rules", "describe_binding", "describe_role"]

# PolicyRule's fields in protobuf order, as its generated String() lists them.
_FIELDS = (
    ("verbs", "Verbs"),
    ("apiGroups", "APIGroups"),
    ("resources", "Resources"),
    ("resourceNames", "ResourceNames"),
    ("nonResourceURLs", "NonResourceURLs"),
)


def _breakdown(rule: dict) -> list[dict]:
    """`BreakdownRule`: one rule per group, resource, verb and resource name; URLs per verb."""
    verbs, names = rule.get("verbs") or [], rule.get("resourceNames") or []
    found = [
        {"apiGroups": [group], "resources": [resource], "verbs": [verb]}
        | ({"resourceNames": [name]} if name is not None else {})
        for group in rule.get("apiGroups") or []
        for resource in rule.get("resources") or []
        for verb in verbs
        for name in (names or [None])
    ]
    found += [
        {"nonResourceURLs": [url], "verbs": [verb]}
        for url in rule.get("nonResourceURLs") or []
        for verb in verbs
    ]
    return found


def _go_list(values: list[str] | None) -> str:
    """fmt's `%v` of a []string: `[a b]`."""
    return "[" + " ".join(values or []) + "]"


def _rule_string(rule: dict) -> str:
    """The generated `PolicyRule.String()`, the sort key of `SortableRuleSlice`."""
    parts = "".join(f"{label}:{_go_list(rule.get(field))}," for field, label in _FIELDS)
    return f"&PolicyRule{{{parts}}}"


def compact_rules(rules: list[dict]) -> list[dict]:
    """Broken-down rules merged per (group, resource, name), verbs in first-seen order, sorted.

    >>> rules = [
    ...     {"apiGroups": [""], "resources": ["pods"], "verbs": ["list", "get"]},
    ...     {"nonResourceURLs": ["/healthz"], "verbs": ["get"]},
    ... ]
    >>> [(r.get("resources"), r.get("nonResourceURLs"), r["verbs"]) for r in compact_rules(rules)]
    [(None, ['/healthz'], ['get']), (['pods'], None, ['list', 'get'])]
    """
    simple: dict[tuple[str, str, str | None], dict] = {}
    compacted: list[dict] = []
    for rule in (part for r in rules for part in _breakdown(r)):
        if rule.get("nonResourceURLs"):
            compacted.append(rule)
            continue
        names = rule.get("resourceNames")
        key = (rule["apiGroups"][0], rule["resources"][0], names[0] if names else None)
        if key in simple:
            verbs = simple[key]["verbs"]
            verbs += [v for v in rule["verbs"] if v not in verbs]
        else:
            simple[key] = rule
    return sorted(compacted + list(simple.values()), key=_rule_string)


def _resource_group(resources: list[str] | None, groups: list[str] | None) -> str:
    """`CombineResourceGroup`: `resource.group/subresource`."""
    if not resources:
        return ""
    resource, _, sub = resources[0].partition("/")
    if groups and groups[0]:
        resource += "." + groups[0]
    return resource + ("/" + sub if "/" in resources[0] else "")


def describe_role(role: dict) -> str:
    """`RoleDescriber` / `ClusterRoleDescriber`: the compacted PolicyRule table."""
    w = header(role, namespace=False)
    w.write(0, "PolicyRule:\n")
    w.write(1, "Resources\tNon-Resource URLs\tResource Names\tVerbs\n")
    w.write(1, "---------\t-----------------\t--------------\t-----\n")
    for rule in compact_rules(role.get("rules") or []):
        resources = _resource_group(rule.get("resources"), rule.get("apiGroups"))
        urls, names = _go_list(rule.get("nonResourceURLs")), _go_list(rule.get("resourceNames"))
        w.write(1, f"{resources}\t{urls}\t{names}\t{_go_list(rule.get('verbs'))}\n")
    return w.text()


def describe_binding(binding: dict) -> str:
    """`RoleBindingDescriber` / `ClusterRoleBindingDescriber`: the role and the subjects."""
    w = header(binding, namespace=False)
    ref = binding.get("roleRef") or {}
    w.write(0, "Role:\n")
    w.write(1, f"Kind:\t{ref.get('kind', '')}\n")
    w.write(1, f"Name:\t{ref.get('name', '')}\n")
    w.write(0, "Subjects:\n")
    w.write(1, "Kind\tName\tNamespace\n")
    w.write(1, "----\t----\t---------\n")
    for subject in binding.get("subjects") or []:
        kind, name = subject.get("kind", ""), subject.get("name", "")
        w.write(1, f"{kind}\t{name}\t{subject.get('namespace', '')}\n")
    return w.text()
