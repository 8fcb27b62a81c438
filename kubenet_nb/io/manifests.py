"""YAML manifests in and out: kubectl's reading of files and documents, `List` expansion, errors.

Reading follows kubectl: a file's bytes go through cli-runtime's FileVisitor (a BOM selects
UTF-8 or UTF-16, malformed UTF-8 becomes U+FFFD), apimachinery's YAMLReader splits them into
documents on `---` lines, and each document is read by go-yaml with its limits (`go_yaml.py`:
control characters, nesting depth, excessive aliasing), errors worded as kubectl prints them.
kubectl reads a whole file whatever its size; here a file or stdin is read up to
`MAX_READ_BYTES` only. Each object is one request, and the API server's 3 MiB limit on a request
body (`MAX_BYTES`) applies to each (`check_request_size`), not to the file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import yaml

from kubenet_nb.api.errors import KubectlError, RequestEntityTooLarge
from kubenet_nb.api.kinds import ResourceTable
from kubenet_nb.io.go_yaml import GoYAMLError, check_characters, go_yaml_text, load_document

__all__ = [
    "MAX_BYTES",
    "MAX_READ_BYTES",
    "MappingError",
    "Reading",
    "check_request_size",
    "decode_as_kubectl",
    "dump_yaml",
    "load_manifests",
    "read_bounded",
    "read_documents",
    "request_size",
    "split_documents",
    "too_large",
]

MAX_BYTES = 3 * 1024 * 1024
"""k8s.io/apiserver DefaultMaxRequestSizeBytes: the largest request body, one object each."""
MAX_READ_BYTES = 4 * MAX_BYTES
"""Not kubectl's (it reads files whole): the most read from one file or stdin, 12 MiB."""
_LAST_APPLIED_KEY = len('"kubectl.kubernetes.io/last-applied-configuration":')


def too_large(source: str) -> KubectlError:
    """The refusal of input past MAX_READ_BYTES."""
    return KubectlError(f"error reading {source}: input is larger than {MAX_READ_BYTES} bytes")


def read_bounded(stream: IO[bytes], source: str) -> bytes:
    """A stream's bytes, read until EOF or past MAX_READ_BYTES (then refused), never its `stat`.

    /proc files report a size of 0 and devices are endless: the count of bytes read decides.
    """
    chunks: list[bytes] = []
    total = 0
    while total <= MAX_READ_BYTES:
        chunk = stream.read(min(1 << 20, MAX_READ_BYTES + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    raise too_large(source)


def decode_as_kubectl(data: bytes) -> str:
    """cli-runtime FileVisitor: `unicode.BOMOverride(unicode.UTF8.NewDecoder())` over the bytes.

    A UTF-8 BOM is dropped, a UTF-16 BOM (LE or BE) selects UTF-16, and malformed sequences
    become U+FFFD (golang.org/x/text replaces the maximal ill-formed subpart, as Python does).

    >>> decode_as_kubectl(b"\\xff\\xfea\\x00")
    'a'
    >>> decode_as_kubectl(b"a: \\xff\\n")
    'a: \\ufffd\\n'
    """
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:].decode("utf-8", "replace")
    if data[:2] == b"\xff\xfe":
        return data[2:].decode("utf-16-le", "replace")
    if data[:2] == b"\xfe\xff":
        return data[2:].decode("utf-16-be", "replace")
    return data.decode("utf-8", "replace")


def split_documents(text: str, source: str = "STDIN") -> Iterator[str]:
    """apimachinery util/yaml YAMLReader.Read: documents split on lines that begin with `---`.

    A separator may be followed by spaces and a comment only; lines end at `\\n` (a `\\r`
    before it is dropped, as bufio.ReadLine does); blank documents are kept (they decode to null).

    >>> list(split_documents("a: 1\\n---\\nb: 2\\n--- # c\\n"))
    ['a: 1\\n', 'b: 2\\n']
    """
    lines = text.split("\n")
    buffer: list[str] = []
    for number, line in enumerate(lines):
        last = number == len(lines) - 1
        if last and not line:
            break
        line = line.removesuffix("\r") if not last else line
        if line.startswith("---"):
            trimmed = line[3:].strip()
            if trimmed and not trimmed.startswith("#"):
                raise KubectlError(
                    f"error parsing {source}: invalid Yaml document separator: {trimmed}"
                )
            if buffer:
                yield "".join(buffer)
                buffer = []
            continue
        buffer.append(line if last else line + "\n")
    if buffer:
        yield "".join(buffer)


class MappingError(KubectlError):
    """A document of a kind or version the server does not serve: kubectl reports it after
    reading every file, and applies the other documents."""


@dataclass
class Reading:
    """What kubectl's builder makes of one file, in document order: objects, and errors for
    what it could not read: the mapping errors of documents it skipped and, last, the problem
    that stopped the file (bad YAML, a document without `kind`; later documents are not read).
    """

    items: list[dict | KubectlError] = field(default_factory=list)

    @property
    def objects(self) -> list[dict]:
        return [item for item in self.items if isinstance(item, dict)]

    @property
    def errors(self) -> list[KubectlError]:
        return [item for item in self.items if isinstance(item, KubectlError)]


def read_documents(
    data: str | bytes, source: str = "STDIN", served: ResourceTable | None = None
) -> Reading:
    """Read one file's documents as cli-runtime's StreamVisitor does with ContinueOnError.

    Text is what kubectl's YAMLReader reads; bytes are read by go-yaml's own reader (strict
    UTF-8 or UTF-16, `yaml: invalid leading UTF-8 octet`, ...), as `yaml.Unmarshal` reads them.
    `List` items are expanded. A file past MAX_READ_BYTES is refused whole. A kind the server
    does not serve (`served`: the cluster's resources, default the built-ins) is a MappingError.
    """
    served = served or ResourceTable()
    if len(data) > MAX_READ_BYTES or (
        isinstance(data, str) and len(data.encode("utf-8", "surrogatepass")) > MAX_READ_BYTES
    ):
        raise too_large(source)
    reading = Reading()
    try:
        text = go_yaml_text(data) if isinstance(data, bytes) else data
        for document_text in split_documents(text, source):
            check_characters(document_text)
            if not _read_document(load_document(document_text), source, served, reading):
                break
    except GoYAMLError as error:
        message = f"error parsing {source}: error converting YAML to JSON: {error}"
        reading.items.append(KubectlError(message))
    except KubectlError as error:
        reading.items.append(error)
    return reading


def _read_document(document: object, source: str, served: ResourceTable, reading: Reading) -> bool:
    """Add one document's objects to `reading`; False when it stops the file."""
    if document is None:
        return True
    if not isinstance(document, dict):
        reading.items.append(
            KubectlError(
                f"error parsing {source}: error unmarshaling JSON: json: cannot "
                "unmarshal array into Go value of type map[string]interface {}"
            )
        )
        return False
    kind = document.get("kind")
    if kind == "List" or (
        isinstance(kind, str) and kind.endswith("List") and isinstance(document.get("items"), list)
    ):
        items = document.get("items") or []
    else:
        items = [document]
    for item in items:
        try:
            reading.items.append(_checked(item, source, served))
        except MappingError as error:
            reading.items.append(error)
        except KubectlError as error:
            reading.items.append(error)
            return False
    return True


def load_manifests(
    data: str | bytes, source: str = "STDIN", served: ResourceTable | None = None
) -> list[dict]:
    """Parse one or many YAML documents into API objects, `List` items expanded; the first
    problem is raised (nothing is returned from a file kubectl could not read whole).

    >>> [
    ...     o["metadata"]["name"]
    ...     for o in load_manifests(
    ...         "kind: Namespace\\napiVersion: v1\\nmetadata: {name: a}\\n---\\n"
    ...     )
    ... ]
    ['a']
    """
    reading = read_documents(data, source, served)
    if reading.errors:
        raise reading.errors[0]
    return reading.objects


def _checked(obj: object, source: str, served: ResourceTable) -> dict:
    if not isinstance(obj, dict):
        raise KubectlError(f'error validating "{source}": error validating data: invalid object')
    # A non-string apiVersion or kind reads as unset, as unstructured's GetAPIVersion/GetKind do.
    missing = [
        f"{field} not set"
        for field in ("apiVersion", "kind")
        if not isinstance(obj.get(field), str) or not obj[field]
    ]
    if missing:
        raise KubectlError(
            f'error validating "{source}": error validating data: [{", ".join(missing)}]; '
            "if you choose to ignore these errors, turn validation off with --validate=false"
            if len(missing) > 1
            else f'error validating "{source}": error validating data: {missing[0]}; if you choose '
            "to ignore these errors, turn validation off with --validate=false"
        )
    if not served.serves(obj["apiVersion"], obj["kind"]):
        metadata = obj.get("metadata")
        meta = metadata if isinstance(metadata, dict) else {}
        hint = f'no matches for kind "{obj["kind"]}" in version "{obj["apiVersion"]}"'
        raise MappingError(
            f'resource mapping not found for name: "{meta.get("name", "")}" namespace: '
            f'"{meta.get("namespace", "")}" from "{source}": {hint}\n'
            "ensure CRDs are installed first"
        )
    if not isinstance(obj.get("metadata", {}), dict):
        raise KubectlError(
            f'error validating "{source}": error validating data: '
            "ValidationError(metadata): invalid type"
        )
    return obj


def _json_string_size(text: str) -> tuple[int, int]:
    """Bytes of a string as json.Marshal writes it, and how many of them are `"` or `\\`."""
    encoded = json.dumps(text, ensure_ascii=False)
    html = text.count("<") + text.count(">") + text.count("&")
    specials = encoded.count('"') + encoded.count("\\") + html
    return len(encoded.encode("utf-8", "replace")) + 5 * html, specials


def request_size(obj: Any, limit: int = MAX_BYTES, applied: bool = False) -> int:
    """The bytes of the JSON body kubectl sends for an object, counted up to just past `limit`.

    `applied`: the body of `kubectl apply`, which also carries the object's own JSON as its
    last-applied-configuration annotation. Counted without building the text and without
    recursion, so an object of any depth or alias-expanded width costs little to measure.
    """
    size = specials = 0
    stack: list[Any] = [obj]
    while stack and size <= limit:
        value = stack.pop()
        if isinstance(value, dict):
            size += 2 + max(len(value) - 1, 0) + len(value)  # braces, commas, colons
            for key, item in value.items():
                stack.append(str(key))
                stack.append(item)
        elif isinstance(value, list):
            size += 2 + max(len(value) - 1, 0)
            stack.extend(value)
        elif isinstance(value, str):
            grown, quoted = _json_string_size(value)
            size += grown
            specials += quoted
        elif value is None or isinstance(value, bool):
            size += 4 if value is None or value is True else 5
        elif isinstance(value, (int, float)):
            size += len(json.dumps(value))
        else:
            grown, quoted = _json_string_size(str(value))
            size += grown
            specials += quoted
    if applied and size <= limit:
        size += _LAST_APPLIED_KEY + size + specials + 4  # the JSON again, escaped, with "\n"
    return size


def check_request_size(obj: dict, applied: bool = False) -> None:
    """Refuse an object whose request body passes the API server's limit, in its words (413)."""
    if request_size(obj, MAX_BYTES, applied) > MAX_BYTES:
        raise RequestEntityTooLarge(f"Request entity too large: limit is {MAX_BYTES}")


def dump_yaml(obj: object) -> str:
    """YAML as kubectl prints it: keys sorted, block style, sequences not indented."""
    return yaml.safe_dump(
        obj, default_flow_style=False, sort_keys=True, allow_unicode=True, width=float("inf")
    )
