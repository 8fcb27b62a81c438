"""`kubectl replace -f FILE|-`: PUT each object of the files, whole, as written.

As k8s.io/kubectl pkg/cmd/replace/replace.go @ v0.33.0: every object is sent as an update
(`deployment.apps/web replaced`); one that is refused or does not exist does not stop the others
and its error names the file (`error when replacing "web.yaml": ...`). A `resourceVersion` in the
file is a precondition: a stale one is a 409 Conflict. `--force` deletes the objects (ignoring
those not found), waits until they are gone, and creates them again from the files.
"""

from __future__ import annotations

from kubenet_nb.api.decode import field_validation_for
from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceInfo
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    FILENAME_FLAGS,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    TEMPLATE_FLAGS,
    Invocation,
    check_errors,
    parse_flags,
)
from kubenet_nb.kubectl.commands.delete import Target, wait_until_gone
from kubenet_nb.kubectl.filenames import scoped_manifests, write_each
from kubenet_nb.kubectl.flags import Flag, FlagSet, ParsedFlags
from kubenet_nb.kubectl.patching import conflict, printing_json, show

__all__ = ["run"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    *FILENAME_FLAGS,
    Flag("force", kind="bool"),
    Flag("grace-period", kind="int", default=-1),
    Flag("timeout", default="0s"),
    Flag("cascade", default="background"),
    Flag("wait", kind="bool"),
    Flag("validate", default="strict"),
    Flag("save-config", kind="bool"),
    Flag("field-manager", default="kubectl-replace"),
    Flag("subresource", default=""),
    Flag("raw", default=""),
    Flag("record", kind="bool"),
    *TEMPLATE_FLAGS,
)


def _validate(parsed: ParsedFlags) -> None:
    """ReplaceOptions.Complete's filename check, then Validate."""
    values = parsed.values
    if not values["filename"] and not values["kustomize"]:
        raise KubectlError("must specify one of -f and -k")
    if values["grace-period"] >= 0 and not values["force"]:
        raise KubectlError("--grace-period must have --force specified")
    if values["timeout"] not in ("0s", "0") and not values["force"]:
        raise KubectlError("--timeout must have --force specified")
    if values["force"] and values["dry-run"] != "none":
        raise KubectlError("--dry-run can not be used when --force is set")
    if values["kustomize"] or values["raw"] or values["subresource"]:
        raise KubectlError("-k, --raw and --subresource are not supported by kubenet-nb")


def _replace(invocation: Invocation, obj: dict, validation: str) -> dict:
    """PUT: the object must exist; a resourceVersion it carries must be the current one."""
    cluster = invocation.cluster
    meta = obj.get("metadata") or {}
    info = cluster.resources.resolve(obj["kind"])
    live = cluster.get(info.kind, meta.get("name", ""), meta.get("namespace") or "")
    version = meta.get("resourceVersion")
    if version and version != live["metadata"].get("resourceVersion"):
        raise conflict(info.qualified_plural, live["metadata"]["name"])
    return cluster.update(obj, field_validation=validation)


def _force(
    invocation: Invocation, items: list[tuple[dict, str]], output: str, validation: str
) -> None:
    """Delete what exists, wait until it is gone, create everything again."""
    cluster, terminal = invocation.cluster, invocation.terminal
    deleted: list[Target] = []
    for obj, _ in items:
        info: ResourceInfo = cluster.resources.resolve(obj["kind"])
        meta = obj.get("metadata") or {}
        namespace = meta.get("namespace") or ""
        try:
            gone = cluster.delete(info.plural, meta.get("name", ""), namespace)
        except NotFound:
            continue
        deleted.append(Target(info, meta.get("name", ""), namespace, gone))
        if output == "name":
            terminal.out(f"{info.qualified_kind}/{meta.get('name', '')}")
        else:
            terminal.out(f'{info.qualified_kind} "{meta.get("name", "")}" deleted')
    wait_until_gone(cluster, deleted)
    for obj, _ in items:
        created = cluster.create(obj, field_validation=validation)
        terminal.warnings(cluster)
        show(terminal, created, "replaced", output, False)
    if not items:
        raise KubectlError("no objects passed to replace")


def run(invocation: Invocation) -> None:
    """`kubectl replace -f FILE`."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl replace")
    _validate(parsed)
    output, dry_run = printing_json(parsed)
    validation = field_validation_for(parsed["validate"])
    items = scoped_manifests(invocation, parsed)
    if parsed["force"]:
        errors = [item for item in items if isinstance(item, KubenetError)]
        check_errors(errors)
        _force(
            invocation,
            [item for item in items if not isinstance(item, KubenetError)],
            output,
            validation,
        )
        return
    write_each(
        invocation,
        items,
        lambda obj: _replace(invocation, obj, validation),
        "replacing",
        "replaced",
        output,
        dry_run,
    )
