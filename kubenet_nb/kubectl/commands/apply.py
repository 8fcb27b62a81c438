"""`kubectl apply -f FILE|-`: client-side apply, one object at a time, and manifest reading.

`-f -` reads the text that follows the command line after its first newline, so a notebook
writes `c.kubectl("apply -f -\\n" + yaml_text)` where a shell would pipe the YAML in. Each
object goes through `cluster.apply_object` and prints `service/web created|configured|
unchanged`; a failing object does not stop the others, and the errors come last, as kubectl's
apply.go collects them. `kubectl create -f` is here too: the same files, POSTed.
"""

from __future__ import annotations

from pathlib import Path

from kubenet_nb.api.decode import field_validation_for
from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION
from kubenet_nb.io.manifests import (
    MAX_READ_BYTES,
    check_request_size,
    decode_as_kubectl,
    read_bounded,
    read_documents,
    too_large,
)
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
    print_object,
    printing,
    usage_error,
    with_source,
)
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags

__all__ = ["create_from_files", "read_manifests", "run", "scoped"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool"),
    Flag("kustomize", "k"),
    Flag("validate", default="strict"),
    Flag("field-manager", default="kubectl-client-side-apply"),
    Flag("server-side", kind="bool"),
    Flag("prune", kind="bool"),
)
_EXTENSIONS = (".json", ".yaml", ".yml")


def _directory_files(directory: Path, recursive: bool) -> list[Path]:
    """A directory's .json/.yaml/.yml files as filepath.Walk visits them: entries in lexical
    order, with `-R` each subdirectory's files in its place (ExpandPathsToFileVisitors)."""
    files: list[Path] = []
    for entry in sorted(directory.iterdir(), key=lambda p: p.name):
        if entry.is_dir():
            if recursive:
                files += _directory_files(entry, recursive)
        elif entry.suffix in _EXTENSIONS and entry.is_file():
            files.append(entry)
    return files


def _read(path: str, stdin: str, recursive: bool = False) -> list[tuple[str, str]]:
    """(text, source) for `-`, a file, or each .json/.yaml/.yml file of a directory (and of its
    subdirectories with `-R`).

    A file is read as kubectl's FileVisitor reads it (`decode_as_kubectl`), bounded by the
    bytes actually read (`read_bounded`): /proc files report no size, devices never end.
    """
    if path == "-":
        if len(stdin) > MAX_READ_BYTES:
            raise too_large("STDIN")
        return [(decode_as_kubectl(stdin.encode("utf-8", "surrogatepass")), "STDIN")]
    target = Path(path)
    try:
        if target.is_dir():
            files = _directory_files(target, recursive)
        elif target.is_file() or target.is_char_device():
            files = [target]
        else:
            raise KubectlError(f'the path "{path}" does not exist')
    except OSError as error:
        raise KubectlError(f"lstat {path}: {_go_errno(error)}") from None
    texts = []
    for file in files:
        source = str(file) if file != target else path
        try:
            with file.open("rb") as stream:
                data = read_bounded(stream, source)
        except OSError as error:
            raise KubectlError(f"read {source}: {_go_errno(error)}") from None
        texts.append((decode_as_kubectl(data), source))
    return texts


def _go_errno(error: OSError) -> str:
    """An errno as Go's syscall.Errno prints it: C's strerror, lower-cased first letter."""
    text = error.strerror or str(error)
    return text[:1].lower() + text[1:]


def read_manifests(
    invocation: Invocation, filenames: list[str], recursive: bool = False
) -> list[tuple[dict, str] | KubenetError]:
    """Every object of the named files (`-` is stdin) with the source kubectl names it by, and
    in their places the documents it could not read (`Reading`), in file order."""
    items: list[tuple[dict, str] | KubenetError] = []
    served = invocation.cluster.resources
    for filename in filenames:
        for text, source in _read(filename, invocation.stdin, recursive):
            for item in read_documents(text, source, served).items:
                items.append(item if isinstance(item, KubenetError) else (item, source))
    return items


def scoped(obj: dict, namespace: str, enforced: bool, resources: ResourceTable) -> dict:
    """The object in the namespace kubectl sends it to; a clash with `-n` is refused.

    >>> service = {"kind": "Service", "metadata": {"name": "a"}}
    >>> scoped(service, "dev", True, ResourceTable())["metadata"]
    {'name': 'a', 'namespace': 'dev'}
    """
    info = resources.resolve(obj["kind"])
    if not info.namespaced:
        return obj
    meta = obj.get("metadata") or {}
    own = meta.get("namespace")
    if own and enforced and own != namespace:
        raise KubectlError(
            f'the namespace from the provided object "{own}" does not match the namespace '
            f"\"{namespace}\". You must pass '--namespace={own}' to perform this operation."
        )
    return {**obj, "metadata": {**meta, "namespace": own or namespace}}


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
    namespace, enforced = namespace_of(parsed)
    items = read_manifests(invocation, parsed["filename"], parsed["recursive"])
    if not items:
        raise KubectlError(f"no objects passed to {verb}")
    scoped_items: list[tuple[dict, str] | KubenetError] = []
    for item in items:
        if isinstance(item, KubenetError):
            scoped_items.append(item)
            continue
        obj, source = item
        try:
            scoped_items.append(
                (scoped(obj, namespace, enforced, invocation.cluster.resources), source)
            )
        except KubenetError as error:
            scoped_items.append(error)
    return scoped_items


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
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool"),
    Flag("kustomize", "k"),
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
    errors: list[KubenetError] = []
    for item in _scoped_objects(invocation, parsed, "create"):
        if isinstance(item, KubenetError):
            errors.append(item)
            continue
        obj, source = item
        try:
            if not dry_run:
                obj = invocation.cluster.create(
                    obj, field_validation=field_validation_for(parsed["validate"])
                )
                invocation.terminal.warnings(invocation.cluster)
        except KubenetError as error:
            errors.append(with_source(error, "creating", source))
            continue
        print_object(invocation.terminal, obj, "created", output, dry_run)
    check_errors(errors)
