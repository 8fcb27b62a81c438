"""`kubectl describe` for StatefulSets, DaemonSets and ReplicationControllers.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeStatefulSet`,
`describeVolumeClaimTemplates`, `describeDaemonSet`, `describeReplicationController`); each
counts the pods it controls by phase (`getPodStatusForController`) and prints its template with
`DescribePodTemplate`.
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.quantity import Quantity
from kubenet_nb.kubectl.describe.storage import claim_class
from kubenet_nb.kubectl.describe.workloads import (
    pods_status,
    print_conditions,
    print_pod_template,
)
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    print_annotations,
    print_labels,
)
from kubenet_nb.kubectl.printers import format_labels
from kubenet_nb.kubectl.printers.age import rfc1123z
from kubenet_nb.kubectl.printers.workloads import selector_text

__all__ = ["describe_daemonset", "describe_replicationcontroller", "describe_statefulset"]


def _name_lines(w: Writer, meta: dict) -> None:
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")


def _claim_templates(w: Writer, templates: list[dict]) -> None:
    """`describeVolumeClaimTemplates`: each template's class, metadata, size and modes."""
    if not templates:
        w.write(0, "Volume Claims:\t<none>\n")
        return
    w.write(0, "Volume Claims:\n")
    for pvc in templates:
        meta, spec = pvc.get("metadata") or {}, pvc.get("spec") or {}
        w.write(1, f"Name:\t{meta.get('name', '')}\n")
        w.write(1, f"StorageClass:\t{claim_class(pvc)}\n")
        print_labels(w, "Labels", meta.get("labels"), indent="  ")
        print_labels(w, "Annotations", meta.get("annotations"), indent="  ")
        storage = ((spec.get("resources") or {}).get("requests") or {}).get("storage")
        w.write(1, f"Capacity:\t{'<default>' if storage is None else Quantity(storage)}\n")
        w.write(1, f"Access Modes:\t[{' '.join(spec.get('accessModes') or [])}]\n")


def describe_statefulset(
    sts: dict, phases: dict[str, int], events: list[dict] | None, now: datetime
) -> str:
    """`describeStatefulSet`; `phases` counts the pods it controls by status.phase."""
    meta, spec = sts.get("metadata", {}), sts.get("spec") or {}
    w = Writer()
    _name_lines(w, meta)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp', ''))}\n")
    w.write(0, f"Selector:\t{selector_text(spec.get('selector'), '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    total = (sts.get("status") or {}).get("replicas", 0)
    w.write(0, f"Replicas:\t{spec.get('replicas', 1)} desired | {total} total\n")
    strategy = spec.get("updateStrategy") or {}
    w.write(0, f"Update Strategy:\t{strategy.get('type', '')}\n")
    rolling = strategy.get("rollingUpdate") or {}
    if rolling.get("partition") is not None:
        w.write(1, f"Partition:\t{rolling['partition']}\n")
        if rolling.get("maxUnavailable") is not None:
            w.write(1, f"MaxUnavailable:\t{rolling['maxUnavailable']}\n")
    w.write(0, f"Pods Status:\t{pods_status(phases)}\n")
    print_pod_template(w, spec.get("template") or {})
    _claim_templates(w, spec.get("volumeClaimTemplates") or [])
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_daemonset(
    ds: dict, phases: dict[str, int], events: list[dict] | None, now: datetime
) -> str:
    """`describeDaemonSet`: scheduling counts from its status, pod phases, template, events."""
    meta, spec = ds.get("metadata", {}), ds.get("spec") or {}
    status = ds.get("status") or {}
    template = spec.get("template") or {}
    w = Writer()
    _name_lines(w, meta)
    w.write(0, f"Selector:\t{selector_text(spec.get('selector'), '')}\n")
    node_selector = (template.get("spec") or {}).get("nodeSelector")
    w.write(0, f"Node-Selector:\t{format_labels(node_selector)}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    for title, field in (
        ("Desired Number of Nodes Scheduled", "desiredNumberScheduled"),
        ("Current Number of Nodes Scheduled", "currentNumberScheduled"),
        ("Number of Nodes Scheduled with Up-to-date Pods", "updatedNumberScheduled"),
        ("Number of Nodes Scheduled with Available Pods", "numberAvailable"),
        ("Number of Nodes Misscheduled", "numberMisscheduled"),
    ):
        w.write(0, f"{title}: {status.get(field, 0)}\n")
    w.write(0, f"Pods Status:\t{pods_status(phases)}\n")
    print_pod_template(w, template)
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_replicationcontroller(
    rc: dict, phases: dict[str, int], events: list[dict] | None, now: datetime
) -> str:
    """`describeReplicationController`: like a ReplicaSet's, with a map selector."""
    meta, spec = rc.get("metadata", {}), rc.get("spec") or {}
    status = rc.get("status") or {}
    w = Writer()
    _name_lines(w, meta)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    replicas = f"{status.get('replicas', 0)} current / {spec.get('replicas', 1)} desired"
    w.write(0, f"Replicas:\t{replicas}\n")
    w.write(0, f"Pods Status:\t{pods_status(phases)}\n")
    print_pod_template(w, spec.get("template") or {})
    print_conditions(w, status.get("conditions") or [])
    if events is not None:
        describe_events(w, events, now)
    return w.text()
