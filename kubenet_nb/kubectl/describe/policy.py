"""`kubectl describe` for PriorityClasses and PodDisruptionBudgets.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describePriorityClass`,
`describePodDisruptionBudgetV1`). Neither prints labels; a PriorityClass prints its annotations
on one line (`labels.FormatLabels`, last-applied-configuration included).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.kubectl.describe.writer import Writer, describe_events
from kubenet_nb.kubectl.printers import format_labels
from kubenet_nb.kubectl.printers.workloads import selector_text

__all__ = ["describe_pdb", "describe_priorityclass"]


def describe_priorityclass(pc: dict, events: list[dict] | None, now: datetime) -> str:
    """`describePriorityClass`: value, default flag, preemption policy, description."""
    meta = pc.get("metadata", {})
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Value:\t{pc.get('value', 0)}\n")
    w.write(0, f"GlobalDefault:\t{'true' if pc.get('globalDefault') else 'false'}\n")
    # The API server defaults the policy; kubectl dereferences it unconditionally.
    w.write(0, f"PreemptionPolicy:\t{pc.get('preemptionPolicy', 'PreemptLowerPriority')}\n")
    w.write(0, f"Description:\t{pc.get('description', '')}\n")
    w.write(0, f"Annotations:\t{format_labels(meta.get('annotations'))}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_pdb(pdb: dict, events: list[dict] | None, now: datetime) -> str:
    """`describePodDisruptionBudgetV1`: the budget, its selector and the disruption status."""
    meta, spec = pdb.get("metadata", {}), pdb.get("spec") or {}
    status = pdb.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    if spec.get("minAvailable") is not None:
        w.write(0, f"Min available:\t{spec['minAvailable']}\n")
    elif spec.get("maxUnavailable") is not None:
        w.write(0, f"Max unavailable:\t{spec['maxUnavailable']}\n")
    if spec.get("selector") is not None:
        w.write(0, f"Selector:\t{selector_text(spec['selector'], '<error>') or '<none>'}\n")
    else:
        w.write(0, "Selector:\t<unset>\n")
    w.write(0, "Status:\n")
    w.write(2, f"Allowed disruptions:\t{status.get('disruptionsAllowed', 0)}\n")
    w.write(2, f"Current:\t{status.get('currentHealthy', 0)}\n")
    w.write(2, f"Desired:\t{status.get('desiredHealthy', 0)}\n")
    w.write(2, f"Total:\t{status.get('expectedPods', 0)}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()
