"""`-o custom-columns=HEADER:.path,...` and `-o custom-columns-file=FILE`.

kubectl pkg/cmd/get/customcolumn.go @ v0.33.0: each column's path is read in the relaxed form
(`.metadata.name`, `metadata.name`, `{.metadata.name}`) and evaluated with missing keys allowed;
a cell joins what the path finds with commas (each value as Go's fmt.Sprint writes it, terminal
escapes shown), `<none>` when it finds nothing. The header line is the headers as given; rows
align as kubectl's tab writer aligns them.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.jsonpath import JSONPath, JSONPathError, JSONPathSyntaxError, relaxed
from kubenet_nb.kubectl.jsonpath.values import go_v
from kubenet_nb.kubectl.printers import escape_terminal, tabwrite

__all__ = ["CustomColumns", "columns_from_file", "columns_from_spec"]


@dataclass(frozen=True)
class CustomColumns:
    """Headers and their JSONPath templates; prints objects or a List's items."""

    headers: tuple[str, ...]
    templates: tuple[str, ...]
    no_headers: bool = False

    def print(self, document: dict) -> str:
        """One PrintObj: the header line (unless --no-headers), then a row per object."""
        try:
            paths = [JSONPath(template, allow_missing_keys=True) for template in self.templates]
        except JSONPathSyntaxError as error:
            raise KubectlError(str(error)) from None
        items = document["items"] if "items" in document else [document]
        lines = [] if self.no_headers else ["\t".join(self.headers)]
        lines.extend("\t".join(_cell(path, item) for path in paths) for item in items)
        return tabwrite("".join(line + "\n" for line in lines), 6, 3)


def _cell(path: JSONPath, item: dict) -> str:
    try:
        groups = path.find_results(item)
    except JSONPathError as error:
        raise KubectlError(str(error)) from None
    if not groups or not groups[0]:
        values = ["<none>"]
    else:
        values = []
    values.extend(escape_terminal(go_v(value)) for group in groups for value in group)
    return ",".join(values)


def _relaxed(path: str) -> str:
    try:
        return relaxed(path)
    except ValueError as error:
        raise KubectlError(str(error)) from None


def columns_from_spec(spec: str, no_headers: bool) -> CustomColumns:
    """NewCustomColumnsPrinterFromSpec: `HEADER:path` pairs separated by commas."""
    if not spec:
        raise KubectlError("custom-columns format specified but no custom columns given")
    headers, templates = [], []
    for part in spec.split(","):
        header, colon, path = part.partition(":")
        if not colon:
            raise KubectlError(
                f"unexpected custom-columns spec: {part}, expected <header>:<json-path-expr>"
            )
        headers.append(header)
        templates.append(_relaxed(path))
    return CustomColumns(tuple(headers), tuple(templates), no_headers)


def columns_from_file(text: str) -> CustomColumns:
    """NewCustomColumnsPrinterFromTemplate: a line of headers, then a line of paths (spaces
    between); --no-headers does not apply to this form."""
    lines = text.splitlines()
    missing = (
        "invalid template, missing {} line. Expected format is one line of space separated "
        "headers, one line of space separated column specs."
    )
    if not lines:
        raise KubectlError(missing.format("header"))
    if len(lines) < 2:
        raise KubectlError(missing.format("spec"))
    headers, specs = lines[0].split(), lines[1].split()
    if len(headers) != len(specs):
        raise KubectlError(
            f"number of headers ({len(headers)}) and field specifications ({len(specs)}) "
            "don't match"
        )
    return CustomColumns(tuple(headers), tuple(_relaxed(spec) for spec in specs))
