"""`kubectl apply -f FILE|-`: client-side apply, one object at a time.

`-f -` reads the text that follows the command line after its first newline, so a notebook
writes `c.kubectl("apply -f -\\n" + yaml_text)` where a shell would pipe the YAML in. Each
object goes through `cluster.apply_object` and prints `service/web created|configured|
unchanged`; a failing object does not stop the others, and the errors come last, as kubectl's
apply.go collects them. `kubectl create -f` is here too: the same files, POSTed. The files are
read by `kubectl/filenames.py`.
"""

from __future__ import annotations

from kubenet_nb.api.decode import field_validation_for
from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION
from kubenet_nb.io.manifests import check_request_size
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    FILENAME_FLAGS,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    check_errors,
    parse_flags,
    print_object,
    printing,
    usage_error,
    with_source,
)
from kubenet_nb.kubectl.filenames import scoped_manifests, write_each
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags

__all__ = ["create_from_files", "run"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    *FILENAME_FLAGS,
    Flag("validate", default="strict"),
    Flag("field-manager", default="kubectl-client-side-apply"),
    Flag("server-side", kind="bool"),
    Flag("prune", kind="bool"),
)


def _live(invocation: Invocation, obj: dict) -> dict | None:
    meta = obj.get("metadata") or {}
    # unstructured's GetName/GetNamespace read a non-string as "": the server then refuses it.
    name, namespace = (meta.get(key) for key in ("name", "namespace"))
    name = name if isinstance(name, str) else ""
    namespace = namespace if isinstance(namespace, str) else ""
    try:
        return invocation.cluster.get(obj["kind"], name, namespace)
    except NotFound:
        return None


def _missing_annotation_warning(live: dict, resources: ResourceTable) -> str | None:
    """apply.go warningNoLastAppliedConfigAnnotation, for objects not created by apply."""
    if LAST_APPLIED_ANNOTATION in (live["metadata"].get("annotations") or {}):
        return None
    plural = resources.resolve(live["kind"]).plural
    return (
        f"Warning: resource {plural}/{live['metadata']['name']} is missing the "
        f"{LAST_APPLIED_ANNOTATION} "
        "annotation which is required by kubectl apply. kubectl apply should only be used on "
        "resources created declaratively by either kubectl create --save-config or kubectl "
        "apply. The missing annotation will be patched automatically."
    )


def _parse_file_flags(flags: FlagSet, argv: list[str], path: str) -> ParsedFlags:
    """The flags of `apply -f` and `create -f`: no positional arguments, and some `-f`."""
    parsed = parse_flags(flags, argv, path)
    if parsed.args:
        raise usage_error(f"Unexpected args: [{' '.join(parsed.args)}]", path)
    if parsed["kustomize"]:
        raise KubectlError("-k (kustomize) is not supported by kubenet-nb: use -f on its files")
    if not parsed["filename"]:
        raise KubectlError("must specify one of -f and -k")
    return parsed


def _scoped_objects(
    invocation: Invocation, parsed: ParsedFlags, verb: str
) -> list[tuple[dict, str] | KubenetError]:
    """Each object of the `-f` files with its source, scoped to its namespace, in file order;
    what could not be read or scoped (a namespace that clashes with `-n`) is an error in its
    place. With no objects at all the command fails with `no objects passed to VERB`."""
    items = scoped_manifests(invocation, parsed)
    if not items:
        raise KubectlError(f"no objects passed to {verb}")
    return items


def run(invocation: Invocation) -> None:
    """`kubectl apply -f ...`."""
    parsed = _parse_file_flags(FLAGS, invocation.argv, "kubectl apply")
    if parsed["server-side"] or parsed["prune"]:
        raise KubectlError("--server-side and --prune are not supported by kubenet-nb")
    output, dry_run = printing(parsed)
    # apply.go GetObjects reads every file first: what could not be read is reported before
    # any error of applying, whatever the document order.
    items = _scoped_objects(invocation, parsed, "apply")
    errors = [item for item in items if isinstance(item, KubenetError)]
    for item in items:
        if isinstance(item, KubenetError):
            continue
        obj, source = item
        live = _live(invocation, obj)
        existed = live is not None
        try:
            if dry_run:
                verb = "configured" if existed else "created"
            else:
                check_request_size(obj, applied=True)
                warning = (
                    _missing_annotation_warning(live, invocation.cluster.resources)
                    if live is not None
                    else None
                )
                if warning:
                    invocation.terminal.err(warning)
                obj, verb = invocation.cluster.apply_object(
                    obj, field_validation=field_validation_for(parsed["validate"])
                )
                invocation.terminal.warnings(invocation.cluster)
        except KubenetError as error:
            errors.append(error if existed else with_source(error, "creating", source))
            continue
        print_object(invocation.terminal, obj, verb, output, dry_run)
    check_errors(errors)


CREATE_FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    *FILENAME_FLAGS,
    Flag("validate", default="strict"),
    Flag("save-config", kind="bool"),
    Flag("field-manager", default="kubectl-create"),
    Flag("edit", kind="bool"),
)


def create_from_files(invocation: Invocation, argv: list[str]) -> None:
    """`kubectl create -f FILE|-`: POST every object; the failures are reported last."""
    parsed = _parse_file_flags(CREATE_FLAGS, argv, "kubectl create")
    output, dry_run = printing(parsed)
    # create.go visits the documents once, creating as it reads: errors in document order.
    write_each(
        invocation,
        _scoped_objects(invocation, parsed, "create"),
        lambda obj: invocation.cluster.create(
            obj, field_validation=field_validation_for(parsed["validate"])
        ),
        "creating",
        "created",
        output,
        dry_run,
    )
