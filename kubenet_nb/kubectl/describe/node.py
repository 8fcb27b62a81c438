"""`kubectl describe node`, with the resource quantities it adds up.

Layout follows k8s.io/kubectl/pkg/describe/describe.go (`describeNode`, `describeNodeLease`,
`describeNodeResource`, `getPodsTotalRequestsAndLimits`).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.quantity import Quantity
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    print_annotations,
    print_labels,
    print_taints,
)
from kubenet_nb.kubectl.printers.age import age, rfc1123z
from kubenet_nb.kubectl.printers.columns import node_roles

__all__ = ["describe_node", "pod_requests_and_limits"]


def _add(total: dict[str, Quantity], values: dict[str, str]) -> None:
    for name, text in values.items():
        total[name] = total[name] + Quantity(text) if name in total else Quantity(text)


def pod_requests_and_limits(pod: dict) -> tuple[dict[str, Quantity], dict[str, Quantity]]:
    """Containers summed; an init container counts when it asks for more than that sum."""
    requests: dict[str, Quantity] = {}
    limits: dict[str, Quantity] = {}
    spec = pod.get("spec") or {}
    for container in spec.get("containers") or []:
        _add(requests, (container.get("resources") or {}).get("requests") or {})
        _add(limits, (container.get("resources") or {}).get("limits") or {})
    for container in spec.get("initContainers") or []:
        for total, key in ((requests, "requests"), (limits, "limits")):
            for name, text in ((container.get("resources") or {}).get(key) or {}).items():
                if name not in total or Quantity(text).value > total[name].value:
                    total[name] = Quantity(text)
    return requests, limits


def _percent(part: Quantity, whole: int, milli: bool) -> int:
    if whole == 0:
        return 0
    return int((part.milli() if milli else part.whole()) / whole * 100)


def _resources(
    w: Writer, pods: list[dict], allocatable: dict[str, Quantity], now: datetime
) -> None:
    cpu = allocatable.get("cpu", Quantity()).milli()
    memory = allocatable.get("memory", Quantity()).whole()
    w.write(0, f"Non-terminated Pods:\t({len(pods)} in total)\n")
    w.write(1, "Namespace\tName\t\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n")
    w.write(1, "---------\t----\t\t------------\t----------\t---------------\t-------------\t---\n")
    totals: tuple[dict[str, Quantity], dict[str, Quantity]] = ({}, {})
    for pod in pods:
        requests, limits = pod_requests_and_limits(pod)
        for total, values in zip(totals, (requests, limits), strict=True):
            for name, value in values.items():
                total[name] = total[name] + value if name in total else value
        cells = []
        for values, name, whole, milli in (
            (requests, "cpu", cpu, True),
            (limits, "cpu", cpu, True),
            (requests, "memory", memory, False),
            (limits, "memory", memory, False),
        ):
            value = values.get(name, Quantity())
            cells.append(f"{value} ({_percent(value, whole, milli)}%)")
        meta = pod.get("metadata", {})
        w.write(1, f"{meta.get('namespace', '')}\t{meta.get('name', '')}\t\t")
        w.write(0, "\t".join(cells) + f"\t{age(meta.get('creationTimestamp'), now)}\n")
    w.write(
        0, "Allocated resources:\n  (Total limits may be over 100 percent, i.e., overcommitted.)\n"
    )
    w.write(1, "Resource\tRequests\tLimits\n")
    w.write(1, "--------\t--------\t------\n")
    requests, limits = totals
    hugepages = sorted(name for name in allocatable if name.startswith("hugepages-"))
    for name in ["cpu", "memory", "ephemeral-storage", *hugepages]:
        available = allocatable.get(name, Quantity())
        size, milli = (available.milli(), True) if name == "cpu" else (available.whole(), False)
        req, lim = requests.get(name, Quantity()), limits.get(name, Quantity())
        w.write(1, f"{name}\t{req} ({_percent(req, size, milli)}%)\t")
        w.write(0, f"{lim} ({_percent(lim, size, milli)}%)\n")
    standard = {"cpu", "memory", "ephemeral-storage", "pods"}
    for name in sorted(n for n in allocatable if n not in standard and n not in hugepages):
        w.write(1, f"{name}\t{requests.get(name, Quantity())}\t{limits.get(name, Quantity())}\n")


def describe_node(
    node: dict, pods: list[dict], lease: dict | None, events: list[dict] | None, now: datetime
) -> str:
    """`describeNode`; `pods` are the node's non-terminated pods, `lease` its kubelet lease."""
    meta, spec = node.get("metadata", {}), node.get("spec") or {}
    status = node.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Roles:\t{','.join(node_roles(node)) or '<none>'}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"CreationTimestamp:\t{rfc1123z(meta.get('creationTimestamp', ''))}\n")
    print_taints(w, "Taints", spec.get("taints"))
    w.write(0, f"Unschedulable:\t{str(bool(spec.get('unschedulable'))).lower()}\n")
    lease_spec = (lease or {}).get("spec") or {}
    w.write(0, "Lease:\n")
    w.write(1, f"HolderIdentity:\t{lease_spec.get('holderIdentity', '<unset>')}\n")
    for field, label in (("acquireTime", "AcquireTime"), ("renewTime", "RenewTime")):
        when = lease_spec.get(field)
        w.write(1, f"{label}:\t{rfc1123z(when) if when else '<unset>'}\n")
    conditions = status.get("conditions") or []
    if conditions:
        w.write(0, "Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\t")
        w.write(0, "Reason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in conditions:
            w.write(
                1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t"
                f"{rfc1123z(c.get('lastHeartbeatTime', ''))} \t"
                f"{rfc1123z(c.get('lastTransitionTime', ''))} \t{c.get('reason', '')} \t"
                f"{c.get('message', '')}\n",
            )
    w.write(0, "Addresses:\n")
    for address in status.get("addresses") or []:
        w.write(1, f"{address.get('type', '')}:\t{address.get('address', '')}\n")
    for key, title in (("capacity", "Capacity"), ("allocatable", "Allocatable")):
        if status.get(key):
            w.write(0, f"{title}:\n")
            for name in sorted(status[key]):
                w.write(0, f"  {name}:\t{Quantity(status[key][name])}\n")
    info = status.get("nodeInfo") or {}
    w.write(0, "System Info:\n")
    for field, label in (
        ("machineID", "Machine ID"),
        ("systemUUID", "System UUID"),
        ("bootID", "Boot ID"),
        ("kernelVersion", "Kernel Version"),
        ("osImage", "OS Image"),
        ("operatingSystem", "Operating System"),
        ("architecture", "Architecture"),
        ("containerRuntimeVersion", "Container Runtime Version"),
        ("kubeletVersion", "Kubelet Version"),
        ("kubeProxyVersion", "Kube-Proxy Version"),
    ):
        w.write(0, f"  {label}:\t{info.get(field, '')}\n")
    if spec.get("podCIDR"):
        w.write(0, f"PodCIDR:\t{spec['podCIDR']}\n")
    if spec.get("podCIDRs"):
        w.write(0, f"PodCIDRs:\t{','.join(spec['podCIDRs'])}\n")
    if spec.get("providerID"):
        w.write(0, f"ProviderID:\t{spec['providerID']}\n")
    allocatable = {
        n: Quantity(v)
        for n, v in (status.get("allocatable") or status.get("capacity") or {}).items()
    }
    _resources(w, pods, allocatable, now)
    if events is not None:
        describe_events(w, events, now)
    return w.text()
