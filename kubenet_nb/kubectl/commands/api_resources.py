"""`kubectl api-resources`: the resources the API server's discovery serves, as kubectl v1.33
prints them.

Follows k8s.io/kubectl pkg/cmd/apiresources/apiresources.go @ v0.33.1 (filters, a stable sort by
API group and then name, or by `--sort-by=name|kind`) and its printer (`-o wide` adds VERBS and
CATEGORIES, comma-joined; `-o name` prints `plural.group`). Discovery is the cluster's
`ResourceTable` (the built-ins and its CRDs' resources); the categories are each registry's
`Categories()`, a CRD's `spec.names.categories`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.kinds import ResourceInfo, ResourceTable
from kubenet_nb.kubectl.command import usage_error
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.printers import tabwrite

__all__ = ["CATEGORIES", "categories_of", "run"]

CATEGORIES: dict[str, tuple[str, ...]] = {
    # kubernetes/kubernetes pkg/registry/{core,apps,autoscaling,batch}/*/storage `Categories()`
    "all": (
        "pods",
        "replicationcontrollers",
        "services",
        "daemonsets",
        "deployments",
        "replicasets",
        "statefulsets",
        "horizontalpodautoscalers",
        "cronjobs",
        "jobs",
    ),
    # pkg/registry/admissionregistration/*/storage; kubernetes/apiextensions-apiserver
    # pkg/registry/customresourcedefinition/etcd.go; kubernetes/kube-aggregator
    # pkg/registry/apiservice/etcd/etcd.go
    "api-extensions": (
        "mutatingwebhookconfigurations",
        "validatingadmissionpolicies",
        "validatingadmissionpolicybindings",
        "validatingwebhookconfigurations",
        "customresourcedefinitions",
        "apiservices",
    ),
}
"""Discovery's categories, by category: the resources (plural) that belong to each."""

FLAGS = FlagSet(
    Flag("output", "o", default=""),
    Flag("no-headers", kind="bool"),
    Flag("api-group"),
    Flag("namespaced", kind="bool", default=True),
    Flag("verbs", kind="list"),
    Flag("categories", kind="list"),
    Flag("sort-by", default=""),
    Flag("cached", kind="bool"),
)

_HEADERS = ("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND")
_FORMATS = ("json", "name", "wide", "yaml")


class Discovery(Protocol):
    """What discovery reads: the resources the cluster serves."""

    @property
    def resources(self) -> ResourceTable: ...


def categories_of(info: ResourceInfo) -> list[str]:
    """The categories discovery lists for a resource, in the registry's order."""
    if info.categories:
        return list(info.categories)
    return [category for category, plurals in CATEGORIES.items() if info.plural in plurals]


def _csv(values: list[str]) -> list[str]:
    """pflag's StringSlice: every occurrence, each split at commas."""
    return [part for value in values for part in value.split(",")]


def _sort_key(sort_by: str) -> Callable[[ResourceInfo], tuple[str, str]]:
    """`sortableResource.Less`: the chosen field (group by default), then the resource name."""
    if sort_by == "name":
        return lambda info: (info.plural, info.plural)
    if sort_by == "kind":
        return lambda info: (info.kind, info.plural)
    return lambda info: (info.group, info.plural)


def _selected(flags: dict, changed: set[str], served: ResourceTable) -> list[ResourceInfo]:
    verbs, categories = set(_csv(flags["verbs"])), set(_csv(flags["categories"]))
    found = []
    for info in served.resources:
        if "api-group" in changed and flags["api-group"] != info.group:
            continue
        if "namespaced" in changed and flags["namespaced"] != info.namespaced:
            continue
        if not verbs <= set(info.verbs) or not categories <= set(categories_of(info)):
            continue
        found.append(info)
    return sorted(found, key=_sort_key(flags["sort-by"]))


def _row(info: ResourceInfo, wide: bool) -> list[str]:
    cells = [
        info.plural,
        ",".join(info.short_names),
        info.api_version,
        "true" if info.namespaced else "false",
        info.kind,
    ]
    if wide:
        cells += [",".join(info.verbs), ",".join(categories_of(info))]
    return cells


def run(cluster: Discovery | None, argv: list[str]) -> str:
    """`kubectl api-resources ARGV...`: what kubectl prints (no cluster: the built-ins only)."""
    parsed = FLAGS.parse(argv)
    flags = parsed.values
    if parsed.args:
        args = " ".join(parsed.args)
        raise usage_error(f"unexpected arguments: [{args}]", "kubectl api-resources")
    output = flags["output"]
    if output not in ("", *_FORMATS):
        raise KubectlError(
            f'unable to match a printer suitable for the output format "{output}", '
            f"allowed formats are: {','.join(_FORMATS)}"
        )
    if output in ("json", "yaml"):
        raise KubectlError(f'output format "{output}" is not supported by kubenet-nb')
    if flags["sort-by"] not in ("", "name", "kind"):
        raise KubectlError("--sort-by accepts only name or kind")
    served = cluster.resources if cluster is not None else ResourceTable()
    resources = _selected(flags, parsed.changed, served)
    if output == "name":
        return "".join(f"{info.qualified_plural}\n" for info in resources)
    wide = output == "wide"
    lines = [] if flags["no-headers"] else [[*_HEADERS, *(("VERBS", "CATEGORIES") if wide else ())]]
    lines += [_row(info, wide) for info in resources]
    return tabwrite("".join("\t".join(line) + "\n" for line in lines), 6, 3)
