"""`kubectl get -o FORMAT`: which printer a format names, and the generic printers.

kubectl pkg/cmd/get/get_flags.go @ v0.33.0 `PrintFlags.ToPrinter` tries the printers in order:
templates (JSONPath, then Go templates), JSON and YAML, the human-readable table (`""`,
`wide`), custom columns, names; a format none of them takes is refused with the allowed list.
JSONPath printing follows cli-runtime pkg/genericclioptions/jsonpath_flags.go and
pkg/printers/jsonpath.go @ v0.33.0 (missing keys allowed unless
`--allow-missing-template-keys=false`); Go templates are not offered by kubenet-nb.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from kubenet_nb.api.errors import KubectlError
from kubenet_nb.api.meta import go_quote
from kubenet_nb.kubectl.jsonpath import JSONPath, JSONPathError, JSONPathSyntaxError
from kubenet_nb.kubectl.jsonpath.values import go_sharp
from kubenet_nb.kubectl.printers import to_json, to_name, to_yaml
from kubenet_nb.kubectl.printers.custom_columns import (
    CustomColumns,
    columns_from_file,
    columns_from_spec,
)

__all__ = ["FORMATS", "Output", "choose_output"]

FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)
"""PrintFlags.AllowedFormats, as the refusal lists them."""

_JSONPATH = ("jsonpath", "jsonpath-file", "jsonpath-as-json")
_GO_TEMPLATE = ("go-template", "go-template-file", "template", "templatefile")
_COLUMNS = ("custom-columns", "custom-columns-file")


@dataclass(frozen=True)
class Output:
    """The printer chosen: its format and what it needs (a template, custom columns)."""

    format: str
    template: str = ""
    allow_missing_keys: bool = True
    columns: CustomColumns | None = None

    @property
    def human(self) -> bool:
        """Whether this is the table printer (`""` or `wide`): kubectl's human-readable path."""
        return self.format in ("", "wide")

    @property
    def managed_fields_shown(self) -> bool:
        """Only JSON and YAML omit managedFields (cli-runtime json_yaml_flags.go)."""
        return self.format not in ("json", "yaml")

    def print(self, document: dict) -> str:
        """One PrintObj of an object, or of the List printGeneric builds."""
        if self.format == "yaml":
            return to_yaml(document)
        if self.format == "json":
            return to_json(document)
        if self.format == "name":
            items = document["items"] if document.get("kind") == "List" else [document]
            return "".join(to_name(item, _qualified_kind(item)) for item in items)
        if self.columns is not None:
            return self.columns.print(document)
        return self._jsonpath(document)

    def _jsonpath(self, document: dict) -> str:
        path = JSONPath(self.template, self.allow_missing_keys)
        path.output_json = self.format == "jsonpath-as-json"
        try:
            return path.execute(document)
        except JSONPathError as error:
            debug = (
                f"Error executing template: {error}. Printing more information for debugging "
                f"the template:\n\ttemplate was:\n\t\t{self.template}\n\tobject given to "
                f"jsonpath engine was:\n\t\t{go_sharp(document)}\n\n"
            )
            # The message ends in a newline, so kubectl's CheckErr adds none.
            raise KubectlError(
                f"error executing jsonpath {go_quote(self.template)}: {debug}"
            ) from None


def _qualified_kind(obj: dict) -> str:
    group = str(obj.get("apiVersion") or "").rpartition("/")[0]
    return str(obj.get("kind", "")).lower() + (f".{group}" if group else "")


def _split(output: str, formats: tuple[str, ...]) -> tuple[str, str]:
    """`jsonpath={.x}` → ("jsonpath", "{.x}"): the format and the value after `=`."""
    for name in formats:
        if output.startswith(name + "="):
            return name, output[len(name) + 1 :]
    return output, ""


def _read(path: str, message: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as error:
        reason = error.strerror or str(error)
        reason = reason[:1].lower() + reason[1:]
        raise KubectlError(message.format(path=path, reason=f"open {path}: {reason}")) from None


def choose_output(
    output: str, template: str = "", allow_missing_keys: bool = True, no_headers: bool = False
) -> Output:
    """The printer `-o OUTPUT` (and `--template`) select, or kubectl's refusal."""
    if template and not output:
        output = "go-template"
    name, value = (output, template) if template else _split(output, _JSONPATH)
    if name in _JSONPATH:
        if not value:
            raise KubectlError("template format specified but no template given")
        if name == "jsonpath-file":
            value = _read(value, "error reading --template {path}, {reason}")
        try:
            JSONPath(value)
        except JSONPathSyntaxError as error:
            raise KubectlError(f"error parsing jsonpath {value}, {error}") from None
        return Output(name, value, allow_missing_keys)
    if (template and output in _GO_TEMPLATE) or _split(output, _GO_TEMPLATE)[0] in _GO_TEMPLATE:
        raise KubectlError(f'output format "{output}" is not supported by kubenet-nb')
    if output in ("json", "yaml", "", "wide", "name"):
        return Output(output)
    name, value = (output, template) if template else _split(output, _COLUMNS)
    if name in _COLUMNS:
        if name == "custom-columns-file" and value:
            text = _read(value, "error reading template {path}, {reason}\n")
            return Output(name, columns=columns_from_file(text))
        return Output(name, columns=columns_from_spec(value, no_headers))
    raise KubectlError(
        f'unable to match a printer suitable for the output format "{output}", '
        f"allowed formats are: {FORMATS}"
    )
