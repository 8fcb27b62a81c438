"""`kubectl edit TYPE NAME`, without an editor: the edited buffer is the command's stdin.

In a notebook there is no editor to open, so the text kubectl would read back from it comes
with the command: `%%kubectl edit deploy/web` with the YAML as the cell's body, or
`c.kubectl("edit deploy web\\n" + text)`. Then, as k8s.io/kubectl pkg/cmd/util/editor/
editoptions.go @ v0.33.0: the saved buffer is checked first (it must parse, comments aside, into
an object naming its apiVersion and kind: an empty buffer fails as `invalid object to
validate`); a buffer equal to the object (compared as JSON) is `Edit cancelled, no changes
made.`; a changed apiVersion, kind or name is refused; otherwise the two-way strategic merge
patch from the object to the buffer (a JSON merge patch for custom resources) is sent with
fieldValidation=Strict and the object prints `deployment.apps/web edited`.

Where kubectl would reopen the editor (a buffer that fails the check, an object the server
finds invalid), it first prints `error: deployments.apps "web" is invalid`; the learner cannot
edit again in the same run: this prints what kubectl writes into the reopened
buffer's comment header (`# deployments.apps "web" was not valid:` and its causes) to stderr,
then what kubectl says when that buffer is saved unchanged: `error: Edit cancelled, no valid
changes were saved.` Lines that name kubectl's temporary file (`A copy of your changes has
been stored to ...`) are left out: no such file exists here.
"""

from __future__ import annotations

import json
from typing import Any

from kubenet_nb.api.decode import field_validation_for
from kubenet_nb.api.errors import Invalid, KubectlError, NotFound, StatusError
from kubenet_nb.api.patch.json_patch import create_merge_patch
from kubenet_nb.cluster.apply import go_json
from kubenet_nb.io.go_yaml import GoYAMLError, load_document
from kubenet_nb.kubectl.command import (
    FILENAME_FLAGS,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    TEMPLATE_FLAGS,
    Invocation,
    Terminal,
    namespace_of,
    parse_flags,
    print_object,
)
from kubenet_nb.kubectl.commands.delete import select_targets
from kubenet_nb.kubectl.commands.set import two_way_patch
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.patching import patch_object

__all__ = ["HEADER", "run"]

HEADER = (
    "# Please edit the object below. Lines beginning with a '#' will be ignored,\n"
    "# and an empty file will abort the edit. If an error occurs while saving this file will be\n"
    "# reopened with the relevant failures.\n"
    "#\n"
)
"""editHeader.writeTo: the comment kubectl puts above the object it opens in the editor."""

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    *FILENAME_FLAGS,
    Flag("output-patch", kind="bool"),
    Flag("windows-line-endings", kind="bool"),
    Flag("validate", default="strict"),
    Flag("save-config", kind="bool"),
    Flag("field-manager", default="kubectl-edit"),
    Flag("subresource", default=""),
    Flag("record", kind="bool"),
    *TEMPLATE_FLAGS,
)
_IDENTITY = ("apiVersion", "kind")
_FAILED_VALIDATION = '<nil>: Invalid value: "The edited file failed validation": '


def _strip_comments(text: str) -> str:
    """cmdutil.ManualStrip: the buffer without its comment lines (`#!` lines stay)."""
    lines = text.split("\n")
    kept = [line for line in lines if not _is_comment(line)]
    return "\n".join(kept)


def _is_comment(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("#") and not stripped.startswith("#!")


def _parsed(text: str) -> Any:
    """cmdutil.StripComments, then the validator's parse: the buffer's JSON value, or the
    GoYAMLError of the buffer without its comments (so line numbers skip the header)."""
    if text.lstrip(" \t\r\n").startswith("{"):
        return json.loads(text)
    try:
        return load_document(text)
    except GoYAMLError:
        return load_document(_strip_comments(text))


def _validation_error(text: str) -> str | None:
    """The client-side check of the saved buffer (cli-runtime's paramVerifyingSchema: the
    buffer parses, is an object, names its apiVersion and kind); None when it passes."""
    try:
        value = _parsed(text)
    except (GoYAMLError, ValueError) as error:
        return str(error)
    if not isinstance(value, dict) or not value:
        return "invalid object to validate"
    problems = []
    for key in _IDENTITY:
        if value.get(key) is None:
            problems.append(f"{key} not set")
        elif not isinstance(value[key], str):
            problems.append(f"{key} isn't string type")
    if len(problems) > 1:
        return "[" + ", ".join(problems) + "]"
    return problems[0] if problems else None


def _reopened(terminal: Terminal, reasons: list[tuple[str, list[str]]]) -> None:
    """The reasons of the reopened buffer's header, then the unchanged save's error."""
    for head, others in reasons:
        terminal.err(f"# {head}:" if others else f"# {head}")
        for other in others:
            terminal.err(f"# * {other}")
        terminal.err("#")
    raise KubectlError("Edit cancelled, no valid changes were saved.")


def _invalid(terminal: Terminal, resource: str, name: str, causes: list[str]) -> None:
    """editResults.addError for an Invalid answer: the error now, the header's reason next."""
    terminal.err(f'error: {resource} "{name}" is invalid')
    _reopened(terminal, [(f'{resource} "{name}" was not valid', causes)])


def _send(
    invocation: Invocation, original: dict, edited: dict, validation: str, output_patch: bool
) -> None:
    """visitToPatch: send the difference, print `edited`, or report as addError does."""
    cluster, terminal = invocation.cluster, invocation.terminal
    if cluster.custom(original["kind"]) is not None:
        patch_type, patch = "merge", create_merge_patch(original, edited)
    else:
        patch_type, patch = "strategic", two_way_patch(original, edited)
    body = go_json(patch)
    if output_patch:
        terminal.out(f"Patch: {body}")
    resource = cluster.resources.resolve(original["kind"]).qualified_plural
    name = original["metadata"]["name"]
    try:
        result, _ = patch_object(cluster, original, patch_type, body, validation)
    except Invalid as error:
        _invalid(terminal, resource, name, error.messages)
    except NotFound:
        raise KubectlError(f'{resource} "{name}" could not be found on the server') from None
    except StatusError as error:
        if error.reason == "Invalid":
            _invalid(terminal, resource, name, [])
        raise KubectlError(f'{resource} "{name}" could not be patched: {error.message}') from None
    terminal.warnings(cluster)
    print_object(terminal, result, "edited", "", False)


def run(invocation: Invocation) -> None:
    """`kubectl edit (TYPE NAME | TYPE/NAME)` with the edited buffer on stdin."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl edit")
    values = parsed.values
    if values["filename"] or values["kustomize"] or values["subresource"]:
        raise KubectlError("-f, -k and --subresource are not supported by kubenet-nb for edit")
    namespace, _ = namespace_of(parsed)
    targets, errors = select_targets(invocation.cluster, parsed.args, namespace)
    if errors:
        raise errors[0]
    if len(targets) != 1:
        raise KubectlError("kubenet-nb edits one object at a time: name one object")
    original = targets[0].obj or {}
    text = invocation.stdin
    problem = _validation_error(text)
    if problem is not None:
        resource = targets[0].info.qualified_plural
        _invalid(invocation.terminal, resource, targets[0].name, [_FAILED_VALIDATION + problem])
    edited = _parsed(text)
    if edited == original:  # StripComments(original) == StripComments(edited)
        invocation.terminal.err("Edit cancelled, no changes made.")
        return
    meta = edited.get("metadata")
    name = meta.get("name") if isinstance(meta, dict) else None
    if any(edited.get(key) != original.get(key) for key in _IDENTITY) or (
        name != original["metadata"]["name"]
    ):
        raise KubectlError("At least one of apiVersion, kind and name was changed")
    validation = field_validation_for(values["validate"])
    _send(invocation, original, edited, validation, values["output-patch"])
