"""kubectl's `-f FILE|DIR|-` (resource.Builder's FilenameOptions): the files and directories
named, every object they hold with the source kubectl names it by, and each object scoped to the
namespace it is sent to, for the verbs that read manifests (`apply`, `create`, `replace`,
`patch`, `expose`), and the sending of each in turn (`create -f`, `replace -f`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.io.manifests import (
    MAX_READ_BYTES,
    decode_as_kubectl,
    read_bounded,
    read_documents,
    too_large,
)
from kubenet_nb.kubectl.command import Invocation, check_errors, namespace_of, with_source
from kubenet_nb.kubectl.flags import ParsedFlags
from kubenet_nb.kubectl.patching import show

__all__ = ["go_errno", "read_manifests", "scoped", "scoped_manifests", "write_each"]

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
        raise KubectlError(f"lstat {path}: {go_errno(error)}") from None
    texts = []
    for file in files:
        source = str(file) if file != target else path
        try:
            with file.open("rb") as stream:
                data = read_bounded(stream, source)
        except OSError as error:
            raise KubectlError(f"read {source}: {go_errno(error)}") from None
        texts.append((decode_as_kubectl(data), source))
    return texts


def go_errno(error: OSError) -> str:
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


def scoped_manifests(
    invocation: Invocation, parsed: ParsedFlags
) -> list[tuple[dict, str] | KubenetError]:
    """Each object of the `-f` files (with `-R`) and its source, scoped to the namespace it is
    sent to, in file order; what could not be read or scoped (a namespace that clashes with
    `-n`) is an error in its place."""
    namespace, enforced = namespace_of(parsed)
    items: list[tuple[dict, str] | KubenetError] = []
    for item in read_manifests(invocation, parsed["filename"], parsed["recursive"]):
        if isinstance(item, KubenetError):
            items.append(item)
            continue
        obj, source = item
        try:
            items.append((scoped(obj, namespace, enforced, invocation.cluster.resources), source))
        except KubenetError as error:
            items.append(error)
    return items


def write_each(
    invocation: Invocation,
    items: list[tuple[dict, str] | KubenetError],
    write: Callable[[dict], dict],
    verb: str,
    operation: str,
    output: str,
    dry_run: bool,
) -> None:
    """Send each object of the files in turn (`write`, skipped with --dry-run=client) and print
    it with `operation`, as create.go and replace.go visit them: a failure does not stop the
    others, it names its file (`error when VERB "web.yaml": ...`), and the errors, with what
    could not be read in its place, are raised last."""
    errors: list[KubenetError] = []
    for item in items:
        if isinstance(item, KubenetError):
            errors.append(item)
            continue
        obj, source = item
        try:
            if not dry_run:
                obj = write(obj)
                invocation.terminal.warnings(invocation.cluster)
        except KubenetError as error:
            errors.append(with_source(error, verb, source))
            continue
        show(invocation.terminal, obj, operation, output, dry_run)
    check_errors(errors)
