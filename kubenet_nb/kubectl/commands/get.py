"""`kubectl get`: resource arguments, flags and output as kubectl v1.33 prints them.

Follows k8s.io/kubectl/pkg/cmd/get/get.go (`Run`, `printGeneric`) and the resource builder's
argument rules (k8s.io/cli-runtime/pkg/resource/builder.go `ResourceTypeOrNameArgs`). What kubectl
writes to stderr (`No resources found ...`, `Error from server (NotFound): ...`) is part of the
returned text, after what it writes to stdout, as a terminal shows them; when nothing at all was
printed, the error is raised instead. The API server's `Warning:` lines come first.
Resources served without `get`/`list` answer as the API server's router does; ComponentStatuses
are computed on each read (kubernetes/kubernetes pkg/registry/core/componentstatus/rest.go).

Output: the tables (with `-L` label columns, `--show-labels`), and the printers of
printers/output.py (`-o yaml|json|name|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|
custom-columns-file`); `--sort-by` as printers/sorting.py. `-w` prints what kubectl prints before
its first watch event and stops there: a notebook cell cannot wait, so a watch is one snapshot.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from kubenet_nb.api.apiextensions import CustomKind
from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound, StatusError
from kubenet_nb.api.kinds import ResourceInfo, ResourceTable
from kubenet_nb.kubectl.commands.api_resources import CATEGORIES
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.printers import print_table
from kubenet_nb.kubectl.printers.columns import table_for
from kubenet_nb.kubectl.printers.custom import custom_printer
from kubenet_nb.kubectl.printers.output import Output, choose_output
from kubenet_nb.kubectl.printers.printer import Printer
from kubenet_nb.kubectl.printers.sorting import (
    TABLE_HOLDER,
    UnsortableError,
    sort_field,
    sort_objects,
)

__all__ = ["ClusterView", "GetRequest", "parse_resource_args", "run"]


class ClusterView(Protocol):
    """The part of the Cluster facade kubectl get and describe read."""

    @property
    def now(self) -> datetime: ...

    @property
    def resources(self) -> ResourceTable: ...

    def custom(self, kind: str) -> CustomKind | None: ...

    def get(self, kind: str, name: str, namespace: str = "default") -> dict: ...

    def list(
        self, kind: str, namespace: str | None = "default", selector: str | None = None
    ) -> list[dict]: ...

    # `builtins.list`: in this class body a bare `list` is the method above.
    def events_about(self, namespace: str, name: str) -> builtins.list[dict]: ...


FLAGS = FlagSet(
    Flag("namespace", "n"),
    Flag("all-namespaces", "A", "bool"),
    Flag("selector", "l"),
    Flag("output", "o", default=""),
    Flag("show-labels", kind="bool"),
    Flag("no-headers", kind="bool"),
    Flag("show-kind", kind="bool"),
    Flag("ignore-not-found", kind="bool"),
    Flag("label-columns", "L", kind="list"),
    Flag("sort-by", default=""),
    Flag("template", default=""),
    Flag("allow-missing-template-keys", kind="bool", default=True),
    Flag("watch", "w", kind="bool"),
    Flag("watch-only", kind="bool"),
    Flag("output-watch-events", kind="bool"),
)

ALL = CATEGORIES["all"]
"""The "all" category, in discovery order (core, apps, autoscaling, batch)."""

# The API server registers no GET route for a create-only resource: go-restful answers 405 for
# the collection path and 404 for an item path, and k8s.io/apiserver pkg/server/handler.go
# `serviceErrorHandler` turns either into apimachinery pkg/api/errors NewGenericServerResponse.


class MethodNotAllowed(StatusError):
    """HTTP 405 without a Status body of its own: NewGenericServerResponse's wording."""

    code, reason = 405, "MethodNotAllowed"

    def __init__(self) -> None:
        super().__init__("the server does not allow this method on the requested resource")


class NoRoute(StatusError):
    """HTTP 404 for a path nothing serves: NewGenericServerResponse's wording."""

    code, reason = 404, "NotFound"

    def __init__(self) -> None:
        super().__init__("the server could not find the requested resource")


# componentstatus/rest.go: the three checks of a kubeadm control plane, all `ok`. The list's
# order is whichever check answers first; this is the order kind v1.33 clusters usually show.
_COMPONENTS = ("scheduler", "controller-manager", "etcd-0")
# pkg/registry/core/rest/storage_core.go: ComponentStatus is deprecated (k8s.io/apiserver
# pkg/endpoints/deprecation: `<version> <kind> is deprecated in v<major>.<minor>+`).
_COMPONENT_STATUS_WARNING = "Warning: v1 ComponentStatus is deprecated in v1.19+"

_NO_TYPE = (
    'You must specify the type of resource to get. Use "kubectl api-resources" for a complete '
    "list of supported resources.\n\nerror: Required resource not specified.\n"
    'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl '
    "explain pods).\nSee 'kubectl get -h' for help and examples"
)


@dataclass(frozen=True)
class GetRequest:
    """One thing to fetch: a whole resource type (name None) or one named object."""

    info: ResourceInfo
    name: str | None = None


@dataclass
class _Fetched:
    """What the builder's infos hold: objects of one resource, or the errors met."""

    infos: list[tuple[ResourceInfo, list[dict]]] = field(default_factory=list)
    errors: list[KubenetError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _split_types(text: str, resources: ResourceTable) -> list[ResourceInfo]:
    infos: list[ResourceInfo] = []
    for part in text.split(","):
        if not part:
            continue
        names = ALL if part == "all" else (part,)
        infos.extend(resources.resolve(name) for name in names)
    return infos


def parse_resource_args(args: list[str], resources: ResourceTable) -> tuple[list[GetRequest], bool]:
    """Resource arguments as kubectl's builder reads them; also whether one item is implied.

    `svc`, `svc web other`, `pods,svc`, `pods,svc web` (each type with each name),
    `svc/web deploy/web`, and `all`.
    """
    if len(args) >= 2 and len([part for part in args[0].split(",") if part]) > 1:
        args = [f"{kind}/{name}" for kind in args[0].split(",") if kind for name in args[1:]]
    slashed = sum(1 for arg in args if "/" in arg)
    if slashed and slashed != len(args):
        raise KubectlError(
            "there is no need to specify a resource type as a separate argument when passing "
            "arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' "
            "instead of 'kubectl get resource resource/<resource_name>'"
        )
    if slashed:
        requests = []
        for arg in args:
            parts = arg.split("/")
            if len(parts) != 2:
                raise KubectlError(
                    "arguments in resource/name form may not have more than one slash"
                )
            kind, name = parts
            if not kind or not name or len(kind.split(",")) != 1:
                raise KubectlError(
                    "arguments in resource/name form must have a single resource and name"
                )
            requests.append(GetRequest(_split_types(kind, resources)[0], name))
        return requests, len(requests) == 1
    types = _split_types(args[0], resources)
    if len(args) == 1:
        return [GetRequest(info) for info in types], False
    requests = [GetRequest(info, name) for info in types for name in args[1:]]
    return requests, len(requests) == 1


def _component_status(name: str) -> dict:
    """One ComponentStatus as the REST handler builds it: a name and a Healthy condition."""
    return {
        "conditions": [{"message": "ok", "status": "True", "type": "Healthy"}],
        "metadata": {"creationTimestamp": None, "name": name},
    }


def _component_statuses(name: str | None) -> list[dict]:
    """The computed list, or the one named; an unknown name is NotFound here (the real REST
    handler's wording for it is not pinned)."""
    if name is None:
        return [_component_status(n) for n in _COMPONENTS]
    if name not in _COMPONENTS:
        raise NotFound("componentstatuses", name)
    return [_component_status(name)]


def _read(
    cluster: ClusterView,
    request: GetRequest,
    namespace: str,
    all_namespaces: bool,
    selector: str | None,
) -> list[dict]:
    """One GET: the objects, or the API server's refusal raised."""
    info = request.info
    if "get" not in info.verbs:
        raise MethodNotAllowed() if request.name is None else NoRoute()
    if info.kind == "ComponentStatus":
        return _component_statuses(request.name)
    if request.name is None:
        return cluster.list(info.plural, None if all_namespaces else namespace, selector)
    return [cluster.get(info.plural, request.name, namespace)]


def _fetch(
    cluster: ClusterView,
    requests: list[GetRequest],
    namespace: str,
    all_namespaces: bool,
    selector: str | None,
) -> _Fetched:
    fetched = _Fetched()
    for request in requests:
        if request.info.kind == "ComponentStatus":
            fetched.warnings.append(_COMPONENT_STATUS_WARNING)
        try:
            objects = _read(cluster, request, namespace, all_namespaces, selector)
        except StatusError as error:
            fetched.errors.append(error)
            continue
        fetched.infos.append((request.info, objects))
    return fetched


def _kind_prefix(info: ResourceInfo) -> str:
    return info.kind.lower() + (f".{info.group}" if info.group else "")


def _for_output(info: ResourceInfo, obj: dict, managed_fields: bool = False) -> dict:
    """The object as the printers see it: typed; managedFields hidden unless asked for (only
    JSON and YAML hide them: cli-runtime OmitManagedFieldsPrinter)."""
    shown = {"apiVersion": info.api_version, "kind": info.kind, **obj}
    if not managed_fields:
        metadata = dict(shown.get("metadata") or {})
        metadata.pop("managedFields", None)
        shown["metadata"] = metadata
    return shown


def _generic(fetched: _Fetched, output: Output, single: bool, sort_by: str) -> str:
    """printGeneric: one object when one was implied, otherwise a List (sorted by --sort-by)."""
    shown = output.managed_fields_shown
    items = [_for_output(info, obj, shown) for info, objects in fetched.infos for obj in objects]
    if single and len(items) == 1:
        return output.print(items[0])
    if sort_by:
        items = [items[i] for i in sort_objects(items, sort_field(sort_by))]
    return output.print(
        {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}
    )


def _custom_printer(cluster: ClusterView, info: ResourceInfo) -> Printer | None:
    """A custom resource's table, when its CRD declares printer columns for the version read."""
    custom = cluster.custom(info.kind)
    columns = custom.columns(info.version) if custom is not None else []
    return custom_printer(columns) if columns else None


def _sorted_tables(fetched: _Fetched, sort_by: str) -> list[tuple[ResourceInfo, list[dict]]]:
    """--sort-by over the server's Tables, as kubectl v1.33 does it (get.go `Run`, sorter.go).

    kubectl holds each Table as an unstructured object: with several of them, RuntimeSorter
    sorts the Tables themselves as objects (an error if none has the field); with one, it does
    nothing. Then the SortingPrinter sorts each Table of two rows or more by its rows' objects;
    when that fails, the printer's error is dropped and the Table prints nothing.
    """
    if not sort_by:
        return fetched.infos
    field = sort_field(sort_by)
    infos = fetched.infos
    if len(infos) > 1:
        tables = [
            {"apiVersion": "meta.k8s.io/v1", "kind": "Table", "metadata": {"resourceVersion": ""}}
            for _ in infos
        ]
        infos = [infos[i] for i in sort_objects(tables, field)]
    printed = []
    for info, objects in infos:
        if len(objects) > 1:
            rows = [_for_output(info, obj, managed_fields=True) for obj in objects]
            try:
                objects = [objects[i] for i in sort_objects(rows, field, TABLE_HOLDER)]
            except UnsortableError:
                raise
            except KubectlError:
                objects = []
        printed.append((info, objects))
    return printed


def _label_columns(flags: dict) -> tuple[str, ...]:
    """`-L a,b -L c`: pflag's string slice, each value split on commas."""
    return tuple(label for value in flags["label-columns"] for label in value.split(","))


def _tables(
    cluster: ClusterView,
    infos: list[tuple[ResourceInfo, list[dict]]],
    flags: dict,
    all_namespaces: bool,
    event: str = "",
) -> str:
    with_kind = flags["show-kind"] or len({info.kind for info, _ in infos}) > 1
    groups: list[tuple[ResourceInfo, list[dict]]] = []
    for info, objects in infos:
        if groups and groups[-1][0] == info:
            groups[-1][1].extend(objects)
        else:
            groups.append((info, list(objects)))
    out: list[str] = []
    for info, objects in groups:
        text = print_table(
            table_for(info.kind, objects, cluster.now, _custom_printer(cluster, info)),
            wide=flags["output"] == "wide",
            no_headers=flags["no-headers"],
            with_namespace=all_namespaces and info.namespaced,
            show_labels=flags["show-labels"],
            kind_prefix=_kind_prefix(info) if with_kind else "",
            label_columns=_label_columns(flags),
            event=event,
        )
        if text and out and not flags["no-headers"]:
            out.append("\n")
        if text:
            out.append(text)
    return "".join(out)


def _validate(flags: dict) -> str:
    """GetOptions.Complete's warnings (returned) and Validate's refusals."""
    output = flags["output"] or ""
    if flags["show-labels"] and output not in ("", "wide"):
        raise KubectlError(f"--show-labels option cannot be used with {output} printer")
    watching = flags["watch"] or flags["watch-only"]
    if flags["output-watch-events"] and not watching:
        raise KubectlError(
            "--output-watch-events option can only be used with --watch or --watch-only"
        )
    if not flags["sort-by"] or not watching:
        return ""
    if flags["watch"]:
        return "warning: --watch requested, --sort-by will be ignored for watch events received\n"
    return "warning: --watch-only requested, --sort-by will be ignored\n"


def _output(flags: dict) -> Output:
    return choose_output(
        flags["output"] or "",
        flags["template"] or "",
        flags["allow-missing-template-keys"],
        flags["no-headers"],
    )


def run(cluster: ClusterView, argv: list[str]) -> str:
    """`kubectl get ARGV...` against the cluster: what kubectl prints (stdout, then stderr)."""
    parsed = FLAGS.parse(argv)
    flags = parsed.values
    warning = _validate(flags)
    if not parsed.args:
        raise KubectlError(_NO_TYPE, prefix="")
    requests, single = parse_resource_args(parsed.args, cluster.resources)
    named = any(r.name is not None for r in requests)
    if named and flags["selector"] is not None:
        raise KubectlError("name cannot be provided when a selector is specified")
    all_namespaces = flags["all-namespaces"]
    if named and all_namespaces:
        raise KubectlError("a resource cannot be retrieved by name across all namespaces")
    namespace = flags["namespace"] or "default"
    if flags["watch"] or flags["watch-only"]:
        return _watch(cluster, requests, flags, namespace) + warning
    fetched = _fetch(cluster, requests, namespace, all_namespaces, flags["selector"])
    warnings = "".join(f"{warning}\n" for warning in fetched.warnings)
    if flags["ignore-not-found"]:
        fetched.errors = [e for e in fetched.errors if getattr(e, "reason", "") != "NotFound"]
    return warnings + _printed(cluster, fetched, flags, single, namespace)


def _watch(cluster: ClusterView, requests: list[GetRequest], flags: dict, namespace: str) -> str:
    """`get -w`: what kubectl prints before its first watch event, and nothing more.

    A notebook cell cannot wait for changes, so the watch is one snapshot (the initial list
    or object); `--watch-only` prints nothing. kubectl's builder takes one resource type only.
    """
    if len({request.info for request in requests}) > 1:
        raise KubectlError("you may only specify a single resource type")
    fetched = _fetch(cluster, requests, namespace, flags["all-namespaces"], flags["selector"])
    if fetched.errors:
        raise fetched.errors[0]
    output = _output(flags)
    if flags["watch-only"]:
        return ""
    event = "ADDED" if flags["output-watch-events"] else ""
    if output.human:
        infos = _sorted_tables(fetched, flags["sort-by"])
        return _tables(cluster, infos, flags, flags["all-namespaces"], event)
    shown = output.managed_fields_shown
    objects = [_for_output(info, obj, shown) for info, found in fetched.infos for obj in found]
    if event:
        objects = [{"object": obj, "type": event} for obj in objects]
    if output.columns is not None:
        return output.columns.print({"items": objects}) if objects else ""
    texts = [output.print(obj) for obj in objects]
    if output.format == "yaml":
        return "---\n".join(texts)
    return "".join(texts)


def _printed(
    cluster: ClusterView,
    fetched: _Fetched,
    flags: dict,
    single: bool,
    namespace: str,
) -> str:
    """What kubectl prints for the objects fetched, then the errors met (`printGeneric`, the
    table printer, `No resources found`)."""
    all_namespaces = flags["all-namespaces"]
    human = (not flags["output"] and not flags["template"]) or flags["output"] == "wide"
    if not human:
        if single and fetched.errors:
            raise fetched.errors[0]
        if flags["ignore-not-found"] and not any(objects for _, objects in fetched.infos):
            return ""
        text = _generic(fetched, _output(flags), single, flags["sort-by"])
    else:
        text = _tables(cluster, _sorted_tables(fetched, flags["sort-by"]), flags, all_namespaces)
        if not text and not fetched.errors and not flags["ignore-not-found"]:
            namespaced = not all_namespaces and all(info.namespaced for info, _ in fetched.infos)
            return (
                f"No resources found in {namespace} namespace.\n"
                if namespaced
                else "No resources found\n"
            )
    if fetched.errors and not text:
        if len(fetched.errors) == 1:
            raise fetched.errors[0]
        raise KubectlError("\n".join(str(e) for e in fetched.errors), prefix="")
    return text + "".join(f"{error}\n" for error in fetched.errors)
