"""`kubectl scale TYPE NAME --replicas=N`: set `spec.replicas` through the scale subresource.

As k8s.io/kubectl/pkg/cmd/scale/scale.go (v1.33): `--replicas` is required and non-negative,
`--current-replicas` is a precondition, every object found is scaled in turn (`deployment.apps/
web scaled`) until one fails, and objects not found are reported last; with none found at all
the command says `no objects passed to scale`. Only Deployments and ReplicaSets have a scale
subresource here.
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError, KubenetError, StatusError
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
    print_object,
    require,
)
from kubenet_nb.kubectl.commands.delete import select_targets
from kubenet_nb.kubectl.flags import Flag, FlagSet

__all__ = ["SCALABLE", "NoScaleSubresource", "run"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    DRY_RUN_FLAG,
    Flag("replicas", kind="int", default=-1),
    Flag("current-replicas", kind="int", default=-1),
    Flag("selector", "l", default=""),
    Flag("all", kind="bool"),
    Flag("resource-version", default=""),
    Flag("timeout", default="0s"),
    Flag("output", "o", default=""),
)
SCALABLE = ("Deployment", "ReplicaSet", "StatefulSet", "ReplicationController")


class NoScaleSubresource(StatusError):
    """The API server's 404 for a resource without a scale subresource (pods, services)."""

    code, reason = 404, "NotFound"

    def __init__(self) -> None:
        super().__init__("the server could not find the requested resource")


def _message(errors: list[KubenetError]) -> str:
    texts = [e.message if isinstance(e, StatusError) else str(e) for e in errors]
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def run(invocation: Invocation) -> None:
    """`kubectl scale (TYPE NAME... | TYPE/NAME... | TYPE -l SEL | TYPE --all) --replicas=N`."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl scale")
    require(parsed, "replicas")
    values = parsed.values
    replicas = values["replicas"]
    if replicas < 0:
        raise KubectlError(
            "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
        )
    if values["dry-run"] not in ("none", "client"):
        raise KubectlError(f"--dry-run={values['dry-run']} is not supported by kubenet-nb")
    dry_run = values["dry-run"] == "client"
    namespace, _ = namespace_of(parsed)
    cluster = invocation.cluster
    targets, missing = select_targets(
        cluster, parsed.args, namespace, selector=values["selector"], select_all=values["all"]
    )
    if not targets:
        detail = f" {_message(missing)}" if missing else ""
        raise KubectlError(f"no objects passed to scale{detail}")
    if values["resource-version"] and len(targets) > 1:
        raise KubectlError("--resource-version may only be used with a single resource")
    for target in targets:
        obj = target.obj or {}
        if target.info.kind not in SCALABLE:
            raise NoScaleSubresource()
        current = obj.get("spec", {}).get("replicas", 1)
        expected = values["current-replicas"]
        if expected >= 0 and expected != current:
            raise KubectlError(f"Expected replicas to be {expected}, was {current}")
        if not dry_run and current != replicas:
            obj = cluster.update({**obj, "spec": {**obj["spec"], "replicas": replicas}})
            invocation.terminal.warnings(cluster)
        print_object(invocation.terminal, obj, "scaled", values["output"], dry_run)
    check_errors(missing)
