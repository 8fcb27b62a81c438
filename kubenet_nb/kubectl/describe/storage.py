"""`kubectl describe` for StorageClasses and PersistentVolumeClaims.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeStorageClass`,
`printAllowedTopologies`, `describePersistentVolumeClaim`, `printPersistentVolumeClaim`,
`getPodsForPVC`, `printPodsMultiline`) and k8s.io/kubectl/pkg/util/storage
(`IsDefaultAnnotationText`, `GetAccessModesAsString`, `GetPersistentVolumeClaimClass`).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.quantity import Quantity
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    bool_text,
    condition_time,
    describe_events,
    header,
    print_annotations,
    print_labels,
)
from kubenet_nb.kubectl.printers import format_labels
from kubenet_nb.kubectl.printers.age import age, rfc1123z

__all__ = [
    "access_modes",
    "claim_class",
    "claim_pods",
    "describe_csinode",
    "describe_pvc",
    "describe_storageclass",
]

_DEFAULT_CLASS = (
    "storageclass.kubernetes.io/is-default-class",
    "storageclass.beta.kubernetes.io/is-default-class",
)
_BETA_CLASS = "volume.beta.kubernetes.io/storage-class"
_MODES = (
    ("ReadWriteOnce", "RWO"),
    ("ReadOnlyMany", "ROX"),
    ("ReadWriteMany", "RWX"),
    ("ReadWriteOncePod", "RWOP"),
)


def access_modes(modes: list[str] | None) -> str:
    """`GetAccessModesAsString`: RWO,ROX,RWX,RWOP, each once, always in that order."""
    return ",".join(short for mode, short in _MODES if mode in (modes or []))


def describe_storageclass(sc: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeStorageClass`: default flag, provisioner, parameters, policies, topologies."""
    meta = sc.get("metadata", {})
    annotations = meta.get("annotations") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    default = any(annotations.get(key) == "true" for key in _DEFAULT_CLASS)
    w.write(0, f"IsDefaultClass:\t{'Yes' if default else 'No'}\n")
    w.write(0, f"Annotations:\t{format_labels(annotations)}\n")
    w.write(0, f"Provisioner:\t{sc.get('provisioner', '')}\n")
    w.write(0, f"Parameters:\t{format_labels(sc.get('parameters'))}\n")
    expansion = sc.get("allowVolumeExpansion")
    expansion_text = "<unset>" if expansion is None else bool_text(expansion)
    w.write(0, f"AllowVolumeExpansion:\t{expansion_text}\n")
    if not sc.get("mountOptions"):
        w.write(0, "MountOptions:\t<none>\n")
    else:
        w.write(0, "MountOptions:\n")
        for option in sc["mountOptions"]:
            w.write(1, f"{option}\n")
    if sc.get("reclaimPolicy") is not None:
        w.write(0, f"ReclaimPolicy:\t{sc['reclaimPolicy']}\n")
    if sc.get("volumeBindingMode") is not None:
        w.write(0, f"VolumeBindingMode:\t{sc['volumeBindingMode']}\n")
    if sc.get("allowedTopologies"):
        w.write(0, "AllowedTopologies:\t\n")
        for i, term in enumerate(sc["allowedTopologies"]):
            _topology_term(w, f"Term {i}", term.get("matchLabelExpressions") or [])
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def _topology_term(w: Writer, title: str, requirements: list[dict]) -> None:
    """`printTopologySelectorTermsMultilineWithIndent`: `key in [v1, v2]`, one per line."""
    w.write(1, f"{title}:\t")
    if not requirements:
        w.line("<none>")
        return
    for i, requirement in enumerate(requirements):
        if i:
            w.write(1, "\t")
        text = f"{requirement.get('key', '')} in"
        if requirement.get("values"):
            text += f" [{', '.join(requirement['values'])}]"
        w.write(0, text + "\n")


def claim_pods(pvc: dict, pods: list[dict]) -> list[dict]:
    """`getPodsForPVC`: pods mounting the claim (once per volume), then owner pods not listed."""
    name = pvc["metadata"]["name"]
    found = [
        pod
        for pod in pods
        for volume in pod["spec"].get("volumes") or []
        if (volume.get("persistentVolumeClaim") or {}).get("claimName") == name
    ]
    for owner in pvc["metadata"].get("ownerReferences") or []:
        if owner.get("kind") != "Pod":
            continue
        pod = next((p for p in pods if p["metadata"].get("uid") == owner.get("uid")), None)
        if pod is not None and all(p["metadata"].get("uid") != owner.get("uid") for p in found):
            found.append(pod)
    return found


def claim_class(pvc: dict) -> str:
    """`GetPersistentVolumeClaimClass`: the beta annotation first, then spec.storageClassName."""
    annotations = (pvc.get("metadata") or {}).get("annotations") or {}
    if _BETA_CLASS in annotations:
        return annotations[_BETA_CLASS]
    return pvc.get("spec", {}).get("storageClassName") or ""


def describe_pvc(pvc: dict, pods: list[dict], events: list[dict] | None, now: datetime) -> str:
    """`describePersistentVolumeClaim`: class, phase, volume, capacity, users, conditions."""
    meta, spec = pvc.get("metadata", {}), pvc.get("spec") or {}
    status = pvc.get("status") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"StorageClass:\t{claim_class(pvc)}\n")
    if meta.get("deletionTimestamp"):
        w.write(0, f"Status:\tTerminating (lasts {age(meta['deletionTimestamp'], now)})\n")
    else:
        w.write(0, f"Status:\t{status.get('phase', '')}\n")
    w.write(0, f"Volume:\t{spec.get('volumeName', '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    print_annotations(w, "Annotations", meta.get("annotations"))
    w.write(0, f"Finalizers:\t[{' '.join(meta.get('finalizers') or [])}]\n")
    capacity = modes = ""
    if spec.get("volumeName"):
        modes = access_modes(status.get("accessModes"))
        stored = (status.get("capacity") or {}).get("storage")
        capacity = str(Quantity(stored)) if stored else "0"
    w.write(0, f"Capacity:\t{capacity}\n")
    w.write(0, f"Access Modes:\t{modes}\n")
    if spec.get("volumeMode") is not None:
        w.write(0, f"VolumeMode:\t{spec['volumeMode']}\n")
    source = spec.get("dataSource")
    if source is not None:
        w.write(0, "DataSource:\n")
        if source.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{source['apiGroup']}\n")
        w.write(1, f"Kind:\t{source.get('kind', '')}\n")
        w.write(1, f"Name:\t{source.get('name', '')}\n")
    w.write(0, "Used By:\t")
    if not pods:
        w.line("<none>")
    for i, pod in enumerate(sorted(pods, key=lambda p: p["metadata"]["name"])):
        w.write(0, ("\t" if i else "") + f"{pod['metadata']['name']}\n")
    if status.get("conditions"):
        w.write(0, "Conditions:\n")
        w.write(1, "Type\tStatus\tLastProbeTime\tLastTransitionTime\tReason\tMessage\n")
        w.write(1, "----\t------\t-----------------\t------------------\t------\t-------\n")
        for c in status["conditions"]:
            w.write(
                1,
                f"{c.get('type', '')} \t{c.get('status', '')} \t"
                f"{condition_time(c.get('lastProbeTime'))} \t"
                f"{condition_time(c.get('lastTransitionTime'))} \t{c.get('reason', '')} \t"
                f"{c.get('message', '')}\n",
            )
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_csinode(node: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeCSINode`: each driver's node ID, allocatable count and topology keys."""
    w = header(node, namespace=False)
    w.write(0, f"CreationTimestamp:\t{rfc1123z(node['metadata'].get('creationTimestamp', ''))}\n")
    w.write(0, "Spec:\n")
    drivers = (node.get("spec") or {}).get("drivers")
    if drivers is not None:
        w.write(1, "Drivers:\n")
        for driver in drivers:
            w.write(2, f"{driver.get('name', '')}:\n")
            w.write(3, f"Node ID:\t{driver.get('nodeID', '')}\n")
            count = (driver.get("allocatable") or {}).get("count")
            if count is not None:
                w.write(3, "Allocatables:\n")
                w.write(4, f"Count:\t{count}\n")
            if driver.get("topologyKeys") is not None:
                w.write(3, f"Topology Keys:\t[{' '.join(driver['topologyKeys'])}]\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()
