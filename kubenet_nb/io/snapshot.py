"""Reading a dump of a cluster: the YAML (or JSON) that `kubectl get -o yaml` prints, as dicts.

A dump is one file or a folder of them (`*.yaml`, `*.yml`, `*.json`, in sorted path order,
subfolders included). Each file is read as kubectl reads a manifest (`manifests.py`: encoding,
documents, go-yaml's limits, at most `MAX_READ_BYTES`); single objects and `List`s (`kind: List`
or `PodList`, ...) are both read, status and server metadata kept. Which objects a simulation
can hold is the loader's business, not the reader's: every object is returned.
"""

from __future__ import annotations

import os
from pathlib import Path

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.io.go_yaml import GoYAMLError, check_characters, load_document
from kubenet_nb.io.manifests import decode_as_kubectl, read_bounded, split_documents

__all__ = ["SUFFIXES", "dump_files", "read_dump"]

SUFFIXES = (".yaml", ".yml", ".json")
"""The files of a folder that are read; any other file is left alone."""


def dump_files(path: str | os.PathLike[str]) -> list[Path]:
    """The file itself, or a folder's dump files in sorted order."""
    root = Path(path).expanduser()
    if root.is_dir():
        return sorted(p for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file())
    if not root.exists():
        raise KubectlError(f'error: the path "{path}" does not exist')
    return [root]


def read_dump(path: str | os.PathLike[str]) -> list[dict]:
    """Every object of a dump, `List` items expanded, in file and document order."""
    objects: list[dict] = []
    for file in dump_files(path):
        with file.open("rb") as stream:
            text = decode_as_kubectl(read_bounded(stream, str(file)))
        objects.extend(_objects(text, str(file)))
    return objects


def _objects(text: str, source: str) -> list[dict]:
    try:
        check_characters(text)
        documents = [load_document(document) for document in split_documents(text, source)]
    except GoYAMLError as error:
        raise KubectlError(
            f"error parsing {source}: error converting YAML to JSON: {error}"
        ) from None
    objects: list[dict] = []
    for document in documents:
        if document is None:
            continue
        items = document.get("items") if isinstance(document, dict) else None
        kind = document.get("kind") if isinstance(document, dict) else None
        found = (items or []) if isinstance(kind, str) and kind.endswith("List") else [document]
        if not isinstance(found, list) or not all(isinstance(o, dict) for o in found):
            raise KubectlError(f"error parsing {source}: not an object or a List of objects")
        objects.extend(found)
    return objects
