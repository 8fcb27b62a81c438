"""`kubectl patch (TYPE NAME | -f FILE) -p PATCH [--type strategic|merge|json]`.

As k8s.io/kubectl pkg/cmd/patch/patch.go @ v0.33.0: the patch is given once, by `-p` or
`--patch-file` (YAML is turned into JSON; text that starts with `{` is sent as it is), the
`--type` is checked before anything is read, each object found is patched in turn and printed
`deployment.apps/web patched` or `... patched (no change)` (the server's answer compared with
the object as it was), and the errors of the others come after. `--dry-run=client` applies the
patch to the object locally and sends nothing (and, as patch.go sets the printer's operation
after the dry-run suffix, says so nowhere). A 415 (strategic merge on a custom resource) is
wrapped with the patch type and the kind. The server's side is `kubectl/patching.py`.
"""

from __future__ import annotations

from pathlib import Path

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.cluster.apply import go_json
from kubenet_nb.io.go_yaml import GoYAMLError, load_document
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    FILENAME_FLAGS,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    TEMPLATE_FLAGS,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
)
from kubenet_nb.kubectl.commands.delete import select_targets
from kubenet_nb.kubectl.filenames import go_errno, scoped_manifests
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags
from kubenet_nb.kubectl.patching import (
    MEDIA_TYPES,
    UnsupportedMediaType,
    patch_object,
    patched,
    printing_json,
    show,
)

__all__ = ["patch_json", "run"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("patch", "p", default=""),
    Flag("patch-file", default=""),
    Flag("type", default="strategic"),
    *FILENAME_FLAGS,
    Flag("local", kind="bool"),
    Flag("field-manager", default="kubectl-patch"),
    Flag("subresource", default=""),
    Flag("record", kind="bool"),
    *TEMPLATE_FLAGS,
)


def _validate(values: dict, args: list[str]) -> None:
    """PatchOptions.Validate."""
    if values["patch"] and values["patch-file"]:
        raise KubectlError("cannot specify --patch and --patch-file together")
    if not values["patch"] and not values["patch-file"]:
        raise KubectlError(
            "must specify --patch or --patch-file containing the contents of the patch"
        )
    if values["local"] and args:
        raise KubectlError("cannot specify --local and server resources")
    if values["type"] and values["type"].lower() not in MEDIA_TYPES:
        names = " ".join(sorted(MEDIA_TYPES))
        raise KubectlError(f'--type must be one of [{names}], not "{values["type"]}"')


def patch_json(text: str, option: str) -> str:
    """yaml.ToJSON as kubectl calls it: JSON objects pass untouched, YAML becomes JSON.

    >>> patch_json('{"a": 1}', ""), patch_json("spec:\\n  replicas: 2", "")
    ('{"a": 1}', '{"spec":{"replicas":2}}')
    """
    if text.lstrip(" \t\r\n").startswith("{"):
        return text
    try:
        value = load_document(text)
    except GoYAMLError as error:
        raise KubectlError(f'unable to parse "{option}": {error}') from None
    return go_json(value)


def _read_patch(values: dict) -> str:
    if not values["patch-file"]:
        return values["patch"]
    try:
        return Path(values["patch-file"]).read_text(encoding="utf-8", errors="surrogateescape")
    except OSError as error:
        raise KubectlError(
            f"unable to read patch file: open {values['patch-file']}: {go_errno(error)}"
        ) from None


def _live_objects(
    invocation: Invocation, parsed: ParsedFlags
) -> tuple[list[dict], list[KubenetError]]:
    """The objects to patch, in the builder's order, and what could not be found or read."""
    cluster = invocation.cluster
    if not parsed["filename"]:
        namespace, _ = namespace_of(parsed)
        targets, errors = select_targets(cluster, parsed.args, namespace)
        return [target.obj or {} for target in targets], errors
    objects: list[dict] = []
    errors = []
    for item in scoped_manifests(invocation, parsed):
        if isinstance(item, KubenetError):
            errors.append(item)
            continue
        try:
            meta = item[0]["metadata"]
            objects.append(cluster.get(item[0]["kind"], meta["name"], meta.get("namespace", "")))
        except KubenetError as error:
            errors.append(error)
    return objects, errors


def _not_supported(live: dict, patch_type: str, error: UnsupportedMediaType) -> KubectlError:
    """patch.go wraps a 415 with the patch type and the object's GroupVersionKind."""
    group_version = live.get("apiVersion") or ""
    group_version = group_version if "/" in group_version else f"/{group_version}"
    return KubectlError(
        f"{MEDIA_TYPES[patch_type]} is not supported by {group_version}, Kind={live['kind']}: "
        f"{error.message}"
    )


def run(invocation: Invocation) -> None:
    """`kubectl patch`."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl patch")
    values = parsed.values
    output, dry_run = printing_json(parsed)
    _validate(values, parsed.args)
    if values["local"] or values["subresource"]:
        raise KubectlError("--local and --subresource are not supported by kubenet-nb")
    body = patch_json(_read_patch(values), values["patch"])
    patch_type = values["type"].lower() or "strategic"
    objects, errors = _live_objects(invocation, parsed)
    cluster = invocation.cluster
    for live in objects:
        try:
            if dry_run:
                result = patched(cluster, live, patch_type, body)
                changed = result != live
            else:
                result, changed = patch_object(cluster, live, patch_type, body)
                invocation.terminal.warnings(cluster)
        except UnsupportedMediaType as error:
            errors.append(_not_supported(live, patch_type, error))
            continue
        except KubenetError as error:
            errors.append(error)
            continue
        # ToPrinter sets the operation after the dry-run suffix was added: it never shows
        operation = "patched" if changed else "patched (no change)"
        show(invocation.terminal, result, operation, output, False)
    check_errors(errors)
    if not objects:
        raise KubectlError("no objects passed to patch")
