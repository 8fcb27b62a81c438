"""`kubectl describe` for ResourceQuotas and LimitRanges, and their sections in a Namespace's.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeQuota`,
`helpTextForResourceQuotaScope`, `describeLimitRange`, `describeLimitRangeSpec`,
`DescribeResourceQuotas`, `DescribeLimitRanges`). Resources print sorted by name
(`SortableResourceNames`); within a LimitRange item kubectl walks a Go map, in no fixed order,
so here they print sorted too.
"""

from __future__ import annotations

from fractions import Fraction

from kubenet_nb.api.quantity import Quantity, parse_quantity
from kubenet_nb.kubectl.describe.writer import Writer

__all__ = [
    "describe_limitrange",
    "describe_resourcequota",
    "print_limit_ranges",
    "print_resource_quotas",
]

_SCOPE_HELP = {
    "Terminating": "Matches all pods that have an active deadline. These pods have a limited "
    "lifespan on a node before being actively terminated by the system.",
    "NotTerminating": "Matches all pods that do not have an active deadline. These pods usually "
    "include long running pods whose container command is not expected to terminate.",
    "BestEffort": "Matches all pods that do not have resource requirements set. These pods have "
    "a best effort quality of service.",
    "NotBestEffort": "Matches all pods that have at least one resource requirement set. These "
    "pods have a burstable or guaranteed quality of service.",
}
_LIMIT_FIELDS = ("min", "max", "defaultRequest", "default", "maxLimitRequestRatio")
_LIMIT_HEADER = (
    "Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n"
)
_LIMIT_RULE = "----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n"


def _scopes(w: Writer, level: int, scopes: list[str], bullet: str) -> None:
    """The sorted scopes on one line, then the help text of each known one."""
    if not scopes:
        return
    ordered = sorted(scopes)
    w.write(level, f"Scopes:\t{', '.join(ordered)}\n")
    for scope in ordered:
        if scope in _SCOPE_HELP:
            w.write(level, f"{bullet}{_SCOPE_HELP[scope]}\n")


def describe_resourcequota(quota: dict) -> str:
    """`describeQuota`: scopes, then used and hard per resource of status.hard."""
    meta, status = quota.get("metadata", {}), quota.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    _scopes(w, 0, (quota.get("spec") or {}).get("scopes") or [], " * ")
    w.write(0, "Resource\tUsed\tHard\n")
    w.write(0, "--------\t----\t----\n")
    hard, used = status.get("hard") or {}, status.get("used") or {}
    for name in sorted(hard):
        limit, usage = parse_quantity(hard[name]), parse_quantity(used.get(name, 0))
        if usage.format != limit.format:
            usage = Quantity(value=Fraction(usage.whole()), fmt=limit.format)
        w.write(0, f"{name}\t{usage}\t{limit}\n")
    return w.text()


def _limit_rows(w: Writer, limit_range: dict, prefix: str) -> None:
    """`describeLimitRangeSpec`: per item, one row per resource any of its fields names."""
    for item in (limit_range.get("spec") or {}).get("limits") or []:
        fields = [item.get(field) or {} for field in _LIMIT_FIELDS]
        for resource in sorted(set().union(*fields)):
            values = [str(parse_quantity(f[resource])) if resource in f else "-" for f in fields]
            w.write(0, f"{prefix}{item.get('type', '')}\t{resource}\t" + "\t".join(values) + "\n")


def describe_limitrange(limit_range: dict) -> str:
    """`describeLimitRange`: the items' min, max, defaults and ratio per resource."""
    meta = limit_range.get("metadata", {})
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, _LIMIT_HEADER)
    w.write(0, _LIMIT_RULE)
    _limit_rows(w, limit_range, "")
    return w.text()


def print_resource_quotas(w: Writer, quotas: list[dict]) -> None:
    """`DescribeResourceQuotas`: every quota of a namespace, by name, or `No resource quota.`."""
    if not quotas:
        w.write(0, "No resource quota.\n")
        return
    w.write(0, "Resource Quotas\n")
    for quota in sorted(quotas, key=lambda q: q["metadata"].get("name", "")):
        w.write(1, f"Name:\t{quota['metadata'].get('name', '')}\n")
        _scopes(w, 1, (quota.get("spec") or {}).get("scopes") or [], "* ")
        w.write(1, "Resource\tUsed\tHard\n")
        w.write(1, "--------\t---\t---\n")
        status = quota.get("status") or {}
        hard, used = status.get("hard") or {}, status.get("used") or {}
        for name in sorted(hard):
            usage = parse_quantity(used.get(name, 0))
            w.write(1, f"{name}\t{usage}\t{parse_quantity(hard[name])}\n")


def print_limit_ranges(w: Writer, limit_ranges: list[dict]) -> None:
    """`DescribeLimitRanges`: every item of a namespace's LimitRanges in one table."""
    if not limit_ranges:
        w.write(0, "No LimitRange resource.\n")
        return
    w.write(0, f"Resource Limits\n {_LIMIT_HEADER}")
    w.write(0, f" {_LIMIT_RULE}")
    for limit_range in limit_ranges:
        _limit_rows(w, limit_range, " ")
