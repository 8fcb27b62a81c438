"""`kubectl set image` and `kubectl set selector`: change an object, send the difference.

As k8s.io/kubectl pkg/cmd/set/set_image.go, set_selector.go and helper.go @ v0.33.0: the object
is changed on kubectl's side, the two-way strategic merge patch from before to after
(CalculatePatch) is sent, and the server's answer is printed (`deployment.apps/web image
updated`, `service/web selector updated`). `set image` takes Pods and every kind with a pod
template (`*` names every container and init container), skips an object whose patch is empty,
and reports containers it cannot find after the others; `set selector` takes Services only,
replaces the whole selector and, with `--resource-version`, makes that version a precondition.
A Deployment whose template changes rolls out, as after any update.
"""

from __future__ import annotations

import copy

from kubenet_nb.api.errors import KubectlError, KubenetError, StatusError
from kubenet_nb.api.patch import kind_schema, three_way_patch
from kubenet_nb.api.selectors import SelectorError, parse_selector
from kubenet_nb.cluster.apply import go_json
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    TEMPLATE_FLAGS,
    Invocation,
    check_errors,
    first_argument,
    namespace_of,
    parse_flags,
    usage_error,
)
from kubenet_nb.kubectl.commands.delete import select_targets
from kubenet_nb.kubectl.commands.label import split_args
from kubenet_nb.kubectl.flags import Flag, FlagSet
from kubenet_nb.kubectl.patching import patch_object, printing_json, show

__all__ = ["HELP", "pod_spec_of", "run", "two_way_patch"]

HELP = """Configure application resources.

 These commands help you make changes to existing application resources.

Available Commands:
  env              Update environment variables on a pod template
  image            Update the image of a pod template
  resources        Update resource requests/limits on objects with pod templates
  selector         Set the selector on a resource
  serviceaccount   Update the service account of a resource
  subject          Update the user, group, or service account in a role binding or cluster \
role binding

Usage:
  kubectl set SUBCOMMAND [options]

Use "kubectl set <command> --help" for more information about a given command.
Use "kubectl options" for a list of global command-line options (applies to all commands)."""
"""What `kubectl set` alone prints (to stderr, exit status 1), as kubectl v1.32 prints it."""

_COMMON = (
    NAMESPACE_FLAG,
    OUTPUT_FLAG,
    DRY_RUN_FLAG,
    Flag("filename", "f", "list"),
    Flag("recursive", "R", "bool"),
    Flag("all", kind="bool"),
    Flag("local", kind="bool"),
    Flag("field-manager", default="kubectl-set"),
    *TEMPLATE_FLAGS,
)
IMAGE_FLAGS = FlagSet(
    *_COMMON,
    Flag("selector", "l", default=""),
    Flag("kustomize", "k"),
    Flag("record", kind="bool"),
)
SELECTOR_FLAGS = FlagSet(
    *_COMMON, Flag("resource-version", default=""), Flag("record", kind="bool")
)
_VALUE_FLAGS = ("-n", "--namespace", "-o", "--output", "-f", "--filename", "-l", "--selector")
_OTHERS = ("env", "resources", "serviceaccount", "subject")
_TEMPLATED = {
    "ReplicationController",
    "Deployment",
    "DaemonSet",
    "ReplicaSet",
    "StatefulSet",
    "Job",
}


def pod_spec_of(obj: dict) -> dict | None:
    """updatePodSpecForObject: the pod spec kubectl edits in an object (None: it has none)."""
    kind = obj.get("kind")
    if kind not in ("Pod", "CronJob", *_TEMPLATED):
        return None
    spec = obj.setdefault("spec", {})
    if kind == "CronJob":
        spec = spec.setdefault("jobTemplate", {}).setdefault("spec", {})
    if kind != "Pod":
        spec = spec.setdefault("template", {}).setdefault("spec", {})
    return spec


def two_way_patch(before: dict, after: dict) -> dict:
    """strategicpatch.CreateTwoWayMergePatch: the changes and deletions from before to after."""
    return three_way_patch(before, after, before, kind_schema(before["kind"]))


def _go_type(obj: dict) -> str:
    """`%T` of the object kubectl decoded (`*v1.Service`, `*unstructured.Unstructured`)."""
    version = str(obj.get("apiVersion") or "").rpartition("/")[2]
    return f"*{version}.{obj['kind']}"


def _set_images(spec: dict, images: list[tuple[str, str]], errors: list[KubenetError]) -> None:
    for name, image in images:
        found = False
        for field in ("initContainers", "containers"):
            for container in spec.get(field) or []:
                if name in ("*", container.get("name")):
                    container["image"] = image
                    found = True
        if not found:
            errors.append(KubectlError(f'unable to find container named "{name}"'))


def _image(invocation: Invocation, argv: list[str]) -> None:
    """`kubectl set image (-f FILE | TYPE NAME) CONTAINER=IMAGE ...`."""
    parsed = parse_flags(IMAGE_FLAGS, argv, "kubectl set image")
    values = parsed.values
    output, dry_run = printing_json(parsed)
    resources, pairs = split_args(parsed.args, "image")
    invalid = [pair for pair in pairs if "=" not in pair or pair.startswith("=")]
    if invalid:
        raise KubectlError(f"invalid image format: {', '.join(invalid)}")
    images = list({key: value for key, _, value in (p.partition("=") for p in pairs)}.items())
    if values["filename"] or values["local"]:
        raise KubectlError("-f and --local are not supported by kubenet-nb for set image")
    namespace, _ = namespace_of(parsed)
    cluster = invocation.cluster
    targets, missing = select_targets(
        cluster, resources, namespace, selector=values["selector"], select_all=values["all"]
    )
    check_errors(missing)
    problems = []
    if values["all"] and values["selector"]:
        problems.append("cannot set --all and --selector at the same time")
    if not images:
        problems.append("at least one image update is required")
    elif len(images) > 1 and "*" in dict(images):
        problems.append(
            "all containers are already specified by *, but saw more than one "
            "container_name=container_image pairs"
        )
    check_errors([KubectlError(problem) for problem in problems])
    errors: list[KubenetError] = []
    for target in targets:
        before = target.obj or {}
        after = copy.deepcopy(before)
        spec = pod_spec_of(after)
        if spec is None:
            errors.append(
                KubectlError(
                    f"{target.info.plural}/{target.name} the object is not a pod or does not "
                    f"have a pod template: {_go_type(before)}"
                )
            )
            continue
        _set_images(spec, images, errors)
        patch = two_way_patch(before, after)
        if not patch:
            continue
        if dry_run:
            show(invocation.terminal, after, "image updated", output, dry_run)
            continue
        try:
            result, _ = patch_object(cluster, before, "strategic", go_json(patch))
        except KubenetError as error:
            reason = error.message if isinstance(error, StatusError) else str(error)
            errors.append(KubectlError(f"failed to patch image update to pod template: {reason}"))
            continue
        invocation.terminal.warnings(cluster)
        show(invocation.terminal, result, "image updated", output, dry_run)
    if len(errors) > 1:
        # each error was made `error: ...` (set_image.go); CheckErr prints an aggregate's lines
        raise KubectlError("\n".join(str(error) for error in errors), prefix="")
    check_errors(errors)


def _label_selector(text: str) -> dict[str, str]:
    """metav1.ParseToLabelSelector, keeping what a Service selector can hold (match labels)."""
    try:
        requirements = parse_selector(text).requirements
    except SelectorError as error:
        raise KubectlError(f'couldn\'t parse the selector string "{text}": {error}') from None
    labels: dict[str, str] = {}
    expressions = []
    for requirement in requirements:
        operator = requirement.operator
        if operator in ("=", "=="):
            labels[requirement.key] = requirement.values[0]
        elif operator in ("!=", "gt", "lt"):
            raise KubectlError(f'"{operator}" is not a valid label selector operator')
        else:
            name = {"in": "In", "notin": "NotIn", "exists": "Exists", "!": "DoesNotExist"}
            values = " ".join(sorted(requirement.values))
            expressions.append(f"{{{requirement.key} {name[operator]} [{values}]}}")
    if expressions:
        raise KubectlError(
            f"match expression [{' '.join(expressions)}] not supported on this object"
        )
    return labels


def _selector(invocation: Invocation, argv: list[str]) -> None:
    """`kubectl set selector (-f FILE | TYPE NAME) EXPRESSIONS [--resource-version=V]`."""
    parsed = parse_flags(SELECTOR_FLAGS, argv, "kubectl set selector")
    values = parsed.values
    output, dry_run = printing_json(parsed)
    if not parsed.args:
        raise KubectlError("one selector is required")
    *resources, expression = parsed.args
    selector = _label_selector(expression)
    if values["filename"] or values["local"]:
        raise KubectlError("-f and --local are not supported by kubenet-nb for set selector")
    namespace, _ = namespace_of(parsed)
    cluster = invocation.cluster
    targets, missing = select_targets(cluster, resources, namespace, select_all=values["all"])
    for target in targets:
        before = copy.deepcopy(target.obj or {})
        if values["resource-version"]:
            before["metadata"]["resourceVersion"] = ""
        after = copy.deepcopy(before)
        if values["resource-version"]:
            after["metadata"]["resourceVersion"] = values["resource-version"]
        if target.info.kind != "Service":
            raise KubectlError("setting a selector is only supported for Services")
        if selector:
            after["spec"]["selector"] = selector
        else:  # an empty map is omitted when kubectl encodes the Service
            after["spec"].pop("selector", None)
        if dry_run:
            show(invocation.terminal, after, "selector updated", output, dry_run)
            continue
        patch = two_way_patch(before, after)
        result, _ = patch_object(cluster, target.obj or {}, "strategic", go_json(patch))
        invocation.terminal.warnings(cluster)
        show(invocation.terminal, result, "selector updated", output, dry_run)
    check_errors(missing)


def run(invocation: Invocation) -> None:
    """`kubectl set SUBCOMMAND ...`."""
    name, rest = first_argument(invocation.argv, _VALUE_FLAGS)
    if name == "image":
        _image(invocation, rest)
    elif name == "selector":
        _selector(invocation, rest)
    elif name in _OTHERS:
        raise KubectlError(f'"kubectl set {name}" is not supported by kubenet-nb')
    elif name is not None:
        raise usage_error(f'unknown command "{name}"', "kubectl set")
    else:
        raise KubectlError(HELP, prefix="")
