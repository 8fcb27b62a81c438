"""`kubectl describe` for kinds kubectl has no describer for: the object's fields as a tree.

Follows k8s.io/kubectl/pkg/describe/describe.go `genericDescriber.Describe`,
`printUnstructuredContent` (fields sorted, maps and lists as indented sections, scalars as `%v`)
and `smartLabelFor` (camelCase split by github.com/fatih/camelcase, words title-cased, common
acronyms upper-cased, names with characters other than letters and `-` kept as they are).
"""

from __future__ import annotations

import unicodedata
from datetime import datetime

from kubenet_nb.kubectl.describe.writer import Writer, describe_events, header
from kubenet_nb.kubectl.jsonpath.values import go_v

__all__ = ["describe_generic", "print_unstructured", "smart_label"]

_ACRONYMS = ("API", "URL", "UID", "OSB", "GUID")
_SKIP = (
    ".metadata.managedFields",
    ".metadata.name",
    ".metadata.namespace",
    ".metadata.labels",
    ".metadata.annotations",
)


def _char_class(char: str) -> int:
    """fatih/camelcase's classes: lower, upper, digit, other."""
    category = unicodedata.category(char)
    if category == "Ll":
        return 1
    if category == "Lu":
        return 2
    return 3 if category == "Nd" else 4


def _camel_split(text: str) -> list[str]:
    """`camelcase.Split`: runs of one class; an upper run hands its last letter to a lower run.

    >>> _camel_split("apiVersion"), _camel_split("PDFLoader"), _camel_split("dummy-dummy")
    (['api', 'Version'], ['PDF', 'Loader'], ['dummy', '-', 'dummy'])
    """
    runs: list[list[str]] = []
    last = 0
    for char in text:
        kind = _char_class(char)
        if kind == last:
            runs[-1].append(char)
        else:
            runs.append([char])
        last = kind
    for i in range(len(runs) - 1):
        if _char_class(runs[i][0]) == 2 and _char_class(runs[i + 1][0]) == 1:
            runs[i + 1].insert(0, runs[i].pop())
    return ["".join(run) for run in runs if run]


def _title(word: str) -> str:
    """`strings.Title` of one word of letters: its first letter in title case."""
    first = word[0].title()
    return (first if len(first) == 1 else word[0]) + word[1:]


def smart_label(field: str) -> str:
    """`smartLabelFor`: `apiVersion` as `API Version`; `dummy2` or `a/b` unchanged.

    >>> smart_label("creationTimestamp"), smart_label("uid"), smart_label("dummy-dummy")
    ('Creation Timestamp', 'UID', 'Dummy - Dummy')
    """
    if any(not char.isalpha() and char != "-" for char in field):
        return field
    words = [w.upper() if w.upper() in _ACRONYMS else _title(w) for w in _camel_split(field)]
    return " ".join(words)


def print_unstructured(
    w: Writer, level: int, content: dict, skip_prefix: str, skip: tuple[str, ...]
) -> None:
    """`printUnstructuredContent`: sorted fields, skipping the paths in `skip`."""
    for field in sorted(content):
        value, path = content[field], f"{skip_prefix}.{field}"
        if path in skip:
            continue
        if isinstance(value, dict):
            w.write(level, f"{smart_label(field)}:\n")
            print_unstructured(w, level + 1, value, path, skip)
        elif isinstance(value, list):
            w.write(level, f"{smart_label(field)}:\n")
            for child in value:
                if isinstance(child, dict):
                    print_unstructured(w, level + 1, child, path, skip)
                else:
                    w.write(level + 1, f"{go_v(child, from_json=True)}\n")
        else:
            w.write(level, f"{smart_label(field)}:\t{go_v(value, from_json=True)}\n")


def describe_generic(obj: dict, events: list[dict] | None, now: datetime) -> str:
    """`genericDescriber.Describe`: the header, every other field of the object, its events."""
    w = header(obj)
    print_unstructured(w, 0, obj, "", _SKIP)
    if events is not None:
        describe_events(w, events, now)
    return w.text()
