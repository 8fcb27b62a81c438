"""`kubectl describe` for Pods, Deployments and ReplicaSets (and the pod templates they share).

Field labels, indentation and order follow k8s.io/kubectl/pkg/describe/describe.go
(`describePod`, `describeContainers`, `describeVolumes`, `DescribePodTemplate`,
`describeDeployment`, `describeReplicaSet`).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.kubectl.describe.containers import controller_of, print_containers, print_volumes
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    print_annotations,
    print_labels,
    print_tolerations,
)
from kubenet_nb.kubectl.printers.age import age, rfc1123z
from kubenet_nb.kubectl.printers.workloads import format_label_selector, selector_text

__all__ = [
    "describe_deployment",
    "describe_pod",
    "describe_replicaset",
    "pod_qos",
    "pods_status",
    "print_conditions",
    "print_pod_template",
]


def pod_qos(pod: dict) -> str:
    """The QoS class: status.qosClass, else computed from requests and limits."""
    reported = (pod.get("status") or {}).get("qosClass")
    if reported:
        return reported
    containers = (pod.get("spec") or {}).get("containers") or []
    resources = [c.get("resources") or {} for c in containers]
    if not any(r.get("requests") or r.get("limits") for r in resources):
        return "BestEffort"
    guaranteed = all(
        all(
            (r.get("limits") or {}).get(name)
            and (r.get("requests") or {}).get(name, r["limits"][name]) == r["limits"][name]
            for name in ("cpu", "memory")
        )
        for r in resources
    )
    return "Guaranteed" if guaranteed else "Burstable"


def pods_status(phases: dict[str, int]) -> str:
    """The `Pods Status:` counts, by phase, of the pods a controller owns."""
    return (
        f"{phases.get('Running', 0)} Running / {phases.get('Pending', 0)} Waiting / "
        f"{phases.get('Succeeded', 0)} Succeeded / {phases.get('Failed', 0)} Failed"
    )


def _topology_spread(w: Writer, constraints: list[dict], space: str) -> None:
    """`describeTopologySpreadConstraints`: one `key:Action when max skew N ...` per line."""
    if not constraints:
        return
    w.write(0, f"{space}Topology Spread Constraints:\t")
    for i, tsc in enumerate(sorted(constraints, key=lambda c: c.get("topologyKey", ""))):
        if i:
            w.write(0, f"{space}\t")
        text = f"{tsc.get('topologyKey', '')}:{tsc.get('whenUnsatisfiable', '')}"
        text += f" when max skew {tsc.get('maxSkew', 0)} is exceeded"
        if tsc.get("labelSelector") is not None:
            text += f" for selector {format_label_selector(tsc['labelSelector'])}"
        w.write(0, text + "\n")


def print_pod_template(w: Writer, template: dict) -> None:
    """`DescribePodTemplate`: the template's labels, containers, volumes and scheduling."""
    meta, spec = template.get("metadata") or {}, template.get("spec") or {}
    w.write(0, "Pod Template:\n")
    print_labels(w, "  Labels", meta.get("labels"))
    if meta.get("annotations"):
        print_annotations(w, "  Annotations", meta["annotations"])
    if spec.get("serviceAccountName"):
        w.write(1, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("initContainers"):
        print_containers(w, "Init Containers", spec["initContainers"], None, "  ")
    print_containers(w, "Containers", spec.get("containers") or [], None, "  ")
    print_volumes(w, spec.get("volumes") or [], "  ")
    _topology_spread(w, spec.get("topologySpreadConstraints") or [], "  ")
    if spec.get("priorityClassName"):
        w.write(1, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    print_labels(w, "  Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "  Tolerations", spec.get("tolerations"))


def describe_pod(pod: dict, events: list[dict] | None, now: datetime) -> str:
    """`describePod`: placement, status, containers, conditions, volumes, QoS and events."""
    meta, spec = pod.get("metadata", {}), pod.get("spec", {})
    status = pod.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("priority") is not None:
        w.write(0, f"Priority:\t{spec['priority']}\n")
    if spec.get("priorityClassName"):
        w.write(0, f"Priority Class Name:\t{spec['priorityClassName']}\n")
    if spec.get("runtimeClassName"):
        w.write(0, f"Runtime Class Name:\t{spec['runtimeClassName']}\n")
    if spec.get("serviceAccountName"):
        w.write(0, f"Service Account:\t{spec['serviceAccountName']}\n")
    if spec.get("nodeName"):
        w.write(0, f"Node:\t{spec['nodeName']}/{status.get('hostIP', '')}\n")
    else:
        w.write(0, "Node:\t<none>\n")
    if status.get("startTime"):
        w.write(0, f"Start Time:\t{rfc1123z(status['startTime'])}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    phase = status.get("phase", "")
    if meta.get("deletionTimestamp") and phase not in ("Failed", "Succeeded"):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
        w.write(0, f"Termination Grace Period:\t{meta.get('deletionGracePeriodSeconds', 0)}s\n")
    else:
        w.write(0, f"Status:\t{phase}\n")
    if status.get("reason"):
        w.write(0, f"Reason:\t{status['reason']}\n")
    if status.get("message"):
        w.write(0, f"Message:\t{status['message']}\n")
    w.write(0, f"IP:\t{status.get('podIP', '')}\n")
    if status.get("podIPs"):
        w.write(0, "IPs:\n")
        for entry in status["podIPs"]:
            w.write(1, f"IP:\t{entry.get('ip', '')}\n")
    else:
        w.write(0, "IPs:\t<none>\n")
    if controller_of(meta):
        w.write(0, f"Controlled By:\t{controller_of(meta)}\n")
    if status.get("nominatedNodeName"):
        w.write(0, f"NominatedNodeName:\t{status['nominatedNodeName']}\n")
    if spec.get("initContainers"):
        print_containers(
            w,
            "Init Containers",
            spec["initContainers"],
            status.get("initContainerStatuses"),
            "",
            pod,
        )
    print_containers(
        w, "Containers", spec.get("containers") or [], status.get("containerStatuses"), "", pod
    )
    conditions = status.get("conditions") or []
    if spec.get("readinessGates"):
        w.write(0, "Readiness Gates:\n  Type\tStatus\n")
        for gate in spec["readinessGates"]:
            found = next(
                (c.get("status") for c in conditions if c.get("type") == gate.get("conditionType")),
                "<none>",
            )
            w.write(1, f"{gate.get('conditionType', '')} \t{found} \n")
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\n")
        for condition in conditions:
            w.write(1, f"{condition.get('type', '')} \t{condition.get('status', '')} \n")
    print_volumes(w, spec.get("volumes") or [], "")
    w.write(0, f"QoS Class:\t{pod_qos(pod)}\n")
    print_labels(w, "Node-Selectors", spec.get("nodeSelector"))
    print_tolerations(w, "Tolerations", spec.get("tolerations"))
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def print_conditions(w: Writer, conditions: list[dict]) -> None:
    """The `Type Status Reason` conditions table of a Deployment, ReplicaSet or RC."""
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tReason\n")
        w.write(1, "----\t------\t------\n")
        for c in conditions:
            w.write(1, f"{c.get('type', '')} \t{c.get('status', '')}\t{c.get('reason', '')}\n")


def _replica_sets(sets: list[dict]) -> str:
    shown = [
        f"{rs['metadata']['name']} ({(rs.get('status') or {}).get('replicas', 0)}/"
        f"{rs['spec'].get('replicas', 1)} replicas created)"
        for rs in sets
    ]
    return ", ".join(shown) or "<none>"


def describe_deployment(
    deploy: dict, old: list[dict], new: list[dict], events: list[dict] | None, now: datetime
) -> str:
    """`describeDeployment`: replica counts, strategy, pod template, conditions, ReplicaSets."""
    meta, spec = deploy.get("metadata", {}), deploy.get("spec", {})
    status = deploy.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp', ''))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Selector:\t{selector_text(spec.get('selector'), '')}\n")
    w.write(
        0,
        f"Replicas:\t{spec.get('replicas', 1)} desired | {status.get('updatedReplicas', 0)} "
        f"updated | {status.get('replicas', 0)} total | {status.get('availableReplicas', 0)} "
        f"available | {status.get('unavailableReplicas', 0)} unavailable\n",
    )
    strategy = spec.get("strategy") or {}
    w.write(0, f"StrategyType:\t{strategy.get('type', '')}\n")
    w.write(0, f"MinReadySeconds:\t{spec.get('minReadySeconds', 0)}\n")
    rolling = strategy.get("rollingUpdate")
    if rolling is not None:
        w.write(
            0,
            f"RollingUpdateStrategy:\t{rolling.get('maxUnavailable', 0)} max unavailable, "
            f"{rolling.get('maxSurge', 0)} max surge\n",
        )
    print_pod_template(w, spec.get("template") or {})
    print_conditions(w, status.get("conditions") or [])
    if old or new:
        w.write(0, f"OldReplicaSets:\t{_replica_sets(old)}\n")
        w.write(0, f"NewReplicaSet:\t{_replica_sets(new)}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_replicaset(
    rs: dict, phases: dict[str, int], events: list[dict] | None, now: datetime
) -> str:
    """`describeReplicaSet`; `phases` counts the pods it controls by status.phase."""
    meta, spec = rs.get("metadata", {}), rs.get("spec", {})
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Selector:\t{selector_text(spec.get('selector'), '<error>') or '<none>'}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    if controller_of(meta):
        w.write(0, f"Controlled By:\t{controller_of(meta)}\n")
    current = (rs.get("status") or {}).get("replicas", 0)
    w.write(0, f"Replicas:\t{current} current / {spec.get('replicas', 1)} desired\n")
    w.write(0, f"Pods Status:\t{pods_status(phases)}\n")
    print_pod_template(w, spec.get("template") or {})
    print_conditions(w, (rs.get("status") or {}).get("conditions") or [])
    if events is not None:
        describe_events(w, events, now)
    return w.text()
