"""`kubectl label` and `kubectl annotate`: `key=value` to set, `key-` to remove.

As in k8s.io/kubectl/pkg/cmd/label/label.go and annotate/annotate.go (v1.33): label values are
checked before anything is sent (keys are the API server's business); changing a key that
already has another value needs `--overwrite`; label prints `labeled`, `unlabeled` or
`not labeled` by comparing the object before and after, annotate always prints `annotated`.
Objects that fail do not stop the others; their errors come last. `--list` prints the labels
(annotations) with the changes applied but not sent; `--resource-version` (one object only) is a
precondition of the write.
"""

from __future__ import annotations

import json

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.api.names import is_valid_label_value
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
    print_object,
)
from kubenet_nb.kubectl.commands.delete import Target, select_targets
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.patching import conflict

__all__ = ["parse_annotation_args", "parse_label_args", "run_annotate", "run_label", "split_args"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    DRY_RUN_FLAG,
    Flag("overwrite", kind="bool"),
    Flag("selector", "l", default=""),
    Flag("all", kind="bool"),
    Flag("all-namespaces", "A", "bool"),
    Flag("output", "o", default=""),
    Flag("resource-version", default=""),
    Flag("list", kind="bool"),
)


def split_args(args: list[str], pair_type: str) -> tuple[list[str], list[str]]:
    """cmdutil.GetResourcesAndPairs: resources first, then `k=v` / `k-` changes."""
    resources: list[str] = []
    pairs: list[str] = []
    for arg in args:
        change = ("=" in arg and not arg.startswith("=")) or (arg.endswith("-") and arg != "-")
        if change:
            pairs.append(arg)
        elif pairs:
            raise KubectlError(f"all resources must be specified before {pair_type} changes: {arg}")
        else:
            resources.append(arg)
    return resources, pairs


def parse_label_args(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """label.go parseLabels: values validated, keys left to the server."""
    labels: dict[str, str] = {}
    remove: list[str] = []
    for pair in pairs:
        if "=" in pair:
            parts = pair.split("=")
            if len(parts) != 2:
                raise KubectlError(f"invalid label spec: {pair}")
            errors = is_valid_label_value(parts[1])
            if errors:
                raise KubectlError(f'invalid label value: "{pair}": {";".join(errors)}')
            labels[parts[0]] = parts[1]
        else:
            remove.append(pair[:-1])
    if any(key in labels for key in remove):
        raise KubectlError("can not both modify and remove a label in the same command")
    return labels, remove


def parse_annotation_args(pairs: list[str]) -> tuple[dict[str, str], list[str]]:
    """cmdutil.ParsePairs for annotations (the value may contain `=`)."""
    annotations: dict[str, str] = {}
    remove: list[str] = []
    for pair in pairs:
        if "=" in pair:
            key, _, value = pair.partition("=")
            annotations[key] = value
        else:
            remove.append(pair[:-1])
    both = [key for key in remove if key in annotations]
    if both:
        raise KubectlError(
            "can not both modify and remove the following annotation(s) in the "
            f"same command: {', '.join(both)}"
        )
    return annotations, remove


def _conflicts(current: dict[str, str], wanted: dict[str, str]) -> list[tuple[str, str]]:
    return [(k, current[k]) for k in wanted if k in current and current[k] != wanted[k]]


def _size(meta: dict) -> int:
    return len(json.dumps(meta, separators=(",", ":"), sort_keys=True, ensure_ascii=False))


def _change(
    invocation: Invocation,
    target: Target,
    field: str,
    wanted: dict[str, str],
    remove: list[str],
    overwrite: bool,
    dry_run: bool,
    version: str = "",
) -> tuple[dict, dict, dict]:
    """Apply the changes to one object: (metadata before, metadata as kubectl computed it,
    the object after; an empty map is not stored, as the API server drops it). A `version`
    (`--resource-version`) goes in kubectl's patch, where it is the server's precondition."""
    obj = target.obj or {}
    meta = obj.get("metadata", {})
    current = meta.get(field) or {}
    if version and not dry_run and version != meta.get("resourceVersion"):
        raise conflict(target.info.qualified_plural, target.name)
    if field == "labels" and not dry_run:
        for key in remove:
            if key not in current:
                invocation.terminal.out(f'label "{key}" not found.')
    conflicts = [] if overwrite else _conflicts(current, wanted)
    if conflicts and field == "labels":
        raise KubectlError(
            "\n".join(
                f"'{k}' already has a value ({v}), and --overwrite is false" for k, v in conflicts
            ),
            prefix="error: " if len(conflicts) == 1 else "",
        )
    if conflicts:
        found = "; ".join(f"'{k}' already has a value ({v})" for k, v in conflicts)
        raise KubectlError(
            f"--overwrite is false but found the following declared annotation(s): {found}"
        )
    values = {**current, **wanted}
    for key in remove:
        values.pop(key, None)
    computed = {**meta, field: values}
    stored = {key: value for key, value in computed.items() if key != field or value}
    new = {**obj, "metadata": stored}
    if values != current and not dry_run:
        new = invocation.cluster.update(new)
        invocation.terminal.warnings(invocation.cluster)
    return meta, computed, new


def _run(invocation: Invocation, field: str) -> None:
    noun = "label" if field == "labels" else "annotation"
    path = f"kubectl {'label' if field == 'labels' else 'annotate'}"
    parsed = parse_flags(FLAGS, invocation.argv, path)
    values = parsed.values
    resources, pairs = split_args(parsed.args, noun)
    parse = parse_label_args if field == "labels" else parse_annotation_args
    wanted, remove = parse(pairs)
    if values["all"] and values["selector"]:
        raise KubectlError("cannot set --all and --selector at the same time")
    if not resources:
        raise KubectlError(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    if not wanted and not remove and not values["list"]:
        raise KubectlError(f"at least one {noun} update is required")
    if values["list"] and values["output"]:
        raise KubectlError("--list and --output may not be specified together")
    dry_run = values["dry-run"] == "client" or values["list"]
    namespace, _ = namespace_of(parsed)
    targets, errors = select_targets(
        invocation.cluster,
        resources,
        namespace,
        selector=values["selector"],
        select_all=values["all"],
        all_namespaces=values["all-namespaces"],
    )
    # IntoSingleItemImplied: one object named, as TYPE/NAME or TYPE NAME
    by_selector = values["selector"] or values["all"]
    single = not by_selector and (
        (len(resources) == 1 and "/" in resources[0]) or len(resources) == 2
    )
    if values["resource-version"] and not single:
        raise KubectlError("--resource-version may only be used with a single resource")
    for target in targets:
        try:
            old_meta, new_meta, new = _change(
                invocation,
                target,
                field,
                wanted,
                remove,
                values["overwrite"],
                dry_run,
                values["resource-version"],
            )
        except KubenetError as error:
            errors.append(error)
            continue
        if values["list"]:
            _list(invocation, new, field, single)
            continue
        operation = "annotated"
        if field == "labels":
            operation = "not labeled"
            if new_meta != old_meta:
                shorter = _size(new_meta) < _size(old_meta)
                operation = "unlabeled" if shorter and not values["overwrite"] else "labeled"
        print_object(invocation.terminal, new, operation, values["output"], dry_run)
    check_errors(errors)


def _list(invocation: Invocation, obj: dict, field: str, single: bool) -> None:
    """`--list`: the object's labels (annotations) as `key=value` lines, after the command's
    changes, which are not sent; several objects get a `Listing labels for Kind.group/name:`
    line each and an indent. kubectl ranges over a Go map, in no set order: sorted here."""
    indent = ""
    if not single:
        indent = " "
        group = str(obj.get("apiVersion") or "").rpartition("/")[0]
        noun = "labels" if field == "labels" else "annotations"
        name = obj["metadata"]["name"]
        invocation.terminal.out(f"Listing {noun} for {obj['kind']}.{group}/{name}:")
    for key, value in sorted((obj["metadata"].get(field) or {}).items()):
        invocation.terminal.out(f"{indent}{key}={value}")


def run_label(invocation: Invocation) -> None:
    """`kubectl label TYPE NAME key=value key-`."""
    _run(invocation, "labels")


def run_annotate(invocation: Invocation) -> None:
    """`kubectl annotate TYPE NAME key=value key-`."""
    _run(invocation, "annotations")
