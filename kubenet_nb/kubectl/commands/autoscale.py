"""`kubectl autoscale TYPE NAME --max=N [--min=N] [--cpu-percent=N]`: create an autoscaling/v2 HPA.

As k8s.io/kubectl/pkg/cmd/autoscale/autoscale.go @ v0.33.0: `--max` is required and at least 1
and not below `--min` (Validate), the target must have a scale subresource, the HPA is named
after the target unless `--name` is given, `--min` and `--cpu-percent` are sent only when set
(the server defaults minReplicas to 1 and the metric to 80% CPU), and each object prints
`horizontalpodautoscaler.autoscaling/NAME autoscaled`.
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.cluster.controllers.hpa import SCALABLE
from kubenet_nb.kubectl.command import (
    DRY_RUN_FLAG,
    NAMESPACE_FLAG,
    Invocation,
    check_errors,
    namespace_of,
    parse_flags,
    print_object,
)
from kubenet_nb.kubectl.commands.delete import select_targets
from kubenet_nb.kubectl.flags import Flag, FlagSet

__all__ = ["hpa_for", "run"]

FLAGS = FlagSet(
    NAMESPACE_FLAG,
    DRY_RUN_FLAG,
    Flag("min", kind="int", default=-1),
    Flag("max", kind="int", default=-1),
    Flag("cpu-percent", kind="int", default=-1),
    Flag("name", default=""),
    Flag("output", "o", default=""),
)


def hpa_for(target: dict, name: str, minimum: int, maximum: int, cpu: int) -> dict:
    """createHorizontalPodAutoscalerV2: the HPA kubectl sends for one target."""
    spec: dict = {
        "scaleTargetRef": {
            "apiVersion": target["apiVersion"],
            "kind": target["kind"],
            "name": target["metadata"]["name"],
        },
        "maxReplicas": maximum,
    }
    if minimum > 0:
        spec["minReplicas"] = minimum
    if cpu >= 0:
        spec["metrics"] = [
            {
                "type": "Resource",
                "resource": {
                    "name": "cpu",
                    "target": {"type": "Utilization", "averageUtilization": cpu},
                },
            }
        ]
    return {
        "apiVersion": "autoscaling/v2",
        "kind": "HorizontalPodAutoscaler",
        "metadata": {"name": name or target["metadata"]["name"]},
        "spec": spec,
    }


def run(invocation: Invocation) -> None:
    """`kubectl autoscale (TYPE NAME | TYPE/NAME) --max=MAXPODS [--min=MINPODS] [--cpu-percent]`."""
    parsed = parse_flags(FLAGS, invocation.argv, "kubectl autoscale")
    values = parsed.values
    if values["dry-run"] not in ("none", "client"):
        raise KubectlError(f"--dry-run={values['dry-run']} is not supported by kubenet-nb")
    maximum, minimum = values["max"], values["min"]
    if maximum < 1:
        raise KubectlError(f"--max=MAXPODS is required and must be at least 1, max: {maximum}")
    if maximum < minimum:
        raise KubectlError(
            "--max=MAXPODS must be larger or equal to --min=MINPODS, "
            f"max: {maximum}, min: {minimum}"
        )
    dry_run = values["dry-run"] == "client"
    namespace, _ = namespace_of(parsed)
    cluster = invocation.cluster
    targets, missing = select_targets(cluster, parsed.args, namespace)
    errors: list[KubenetError] = list(missing)
    for target in targets:
        obj = target.obj or {}
        info = target.info
        if (info.group, info.kind) not in SCALABLE:
            resource = f"{info.group}/{info.version}, Resource={info.plural}"
            raise KubectlError(
                f"cannot autoscale a {info.kind}: could not find scale subresource for "
                f"{resource} in discovery information"
            )
        hpa = hpa_for(obj, values["name"], minimum, maximum, values["cpu-percent"])
        hpa["metadata"]["namespace"] = target.namespace
        if dry_run:
            print_object(invocation.terminal, hpa, "created", values["output"], True)
            continue
        created = cluster.create(hpa)
        invocation.terminal.warnings(cluster)
        print_object(invocation.terminal, created, "autoscaled", values["output"], False)
    if not targets and not errors:
        raise KubectlError("no objects passed to autoscale")
    check_errors(errors)
