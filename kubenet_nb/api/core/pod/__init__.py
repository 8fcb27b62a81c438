"""Pods: defaulting (with what admission adds on a v1.33 cluster), QoS class and initial status.

Sources in kubernetes/kubernetes: pkg/apis/core/v1/defaults.go (SetDefaults_Pod),
plugin/pkg/admission (serviceaccount, priority, defaulttolerationseconds), pkg/apis/core/helper/
qos (ComputePodQOS) and pkg/registry/core/pod/strategy.go (PrepareForCreate). Validation and
warnings live in pod_validation and pod_warnings; their names are importable from here too, for
the pod strategy.
"""

from __future__ import annotations

from kubenet_nb.api.core.pod.defaults import default_pod_spec
from kubenet_nb.api.core.pod.validation import (
    UPDATABLE_POD_SPEC_FIELDS,
    validate_pod,
    validate_pod_update,
)
from kubenet_nb.api.core.pod.warnings import pod_spec_warnings, pod_warnings
from kubenet_nb.api.well_known import NODE_NOT_READY_TAINT, NODE_UNREACHABLE_TAINT

__all__ = [
    "SERVICE_ACCOUNT_MOUNT_PATH",
    "UPDATABLE_POD_SPEC_FIELDS",
    "default_pod",
    "initial_pod_status",
    "mount_service_account_token",
    "pod_qos_class",
    "pod_spec_warnings",
    "pod_warnings",
    "should_automount",
    "validate_pod",
    "validate_pod_update",
]

SERVICE_ACCOUNT_MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount"


def default_pod(obj: dict) -> None:
    """SetDefaults_Pod/PodSpec, then the ServiceAccount, Priority and DefaultTolerationSeconds
    admission plugins. The token volume needs a random name: see mount_service_account_token."""
    spec = obj.setdefault("spec", {})
    default_pod_spec(spec)
    for key in ("containers", "initContainers"):
        for container in spec.get(key) or []:
            resources = container["resources"]
            if resources.get("limits") is not None:
                requests = resources.setdefault("requests", {})
                for name, value in resources["limits"].items():
                    requests.setdefault(name, value)
    if spec.get("enableServiceLinks") is None:
        spec["enableServiceLinks"] = True
    if spec.get("hostNetwork"):
        for key in ("containers", "initContainers"):
            for container in spec.get(key) or []:
                for port in container.get("ports") or []:
                    if not port.get("hostPort"):
                        port["hostPort"] = port.get("containerPort", 0)
    account = spec.get("serviceAccountName") or spec.get("serviceAccount") or "default"
    spec["serviceAccountName"] = spec["serviceAccount"] = account
    if spec.get("priority") is None:
        spec["priority"] = 0
    if spec.get("preemptionPolicy") is None:
        spec["preemptionPolicy"] = "PreemptLowerPriority"
    tolerations = spec.get("tolerations") or []
    for taint in (NODE_NOT_READY_TAINT, NODE_UNREACHABLE_TAINT):
        if not any(
            t.get("key", "") in ("", taint) and t.get("effect", "") in ("", "NoExecute")
            for t in tolerations
        ):
            tolerations.append(
                {
                    "effect": "NoExecute",
                    "key": taint,
                    "operator": "Exists",
                    "tolerationSeconds": 300,
                }
            )
    spec["tolerations"] = tolerations


def should_automount(spec: dict, account: dict) -> bool:
    """ServiceAccount admission shouldAutomount: the pod's automountServiceAccountToken wins,
    then the ServiceAccount's; unset on both means true."""
    for setting in (
        spec.get("automountServiceAccountToken"),
        account.get("automountServiceAccountToken"),
    ):
        if setting is not None:
            return bool(setting)
    return True


def mount_service_account_token(obj: dict, suffix: str) -> None:
    """ServiceAccount admission: the projected `kube-api-access-<suffix>` volume and its mounts.

    `suffix` is the 5 random characters of names.SimpleNameGenerator (Randomness.string(5)).
    Admission calls it when `should_automount` says so; a pod that opts out is never mounted.
    """
    spec = obj["spec"]
    if spec.get("automountServiceAccountToken") is False:
        return
    containers = [c for key in ("initContainers", "containers") for c in spec.get(key) or []]
    if any(
        m.get("mountPath") == SERVICE_ACCOUNT_MOUNT_PATH
        for c in containers
        for m in c.get("volumeMounts") or []
    ):
        return
    name = f"kube-api-access-{suffix}"
    spec.setdefault("volumes", []).append(
        {
            "name": name,
            "projected": {
                "defaultMode": 420,
                "sources": [
                    {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                    {
                        "configMap": {
                            "items": [{"key": "ca.crt", "path": "ca.crt"}],
                            "name": "kube-root-ca.crt",
                        }
                    },
                    {
                        "downwardAPI": {
                            "items": [
                                {
                                    "fieldRef": {
                                        "apiVersion": "v1",
                                        "fieldPath": "metadata.namespace",
                                    },
                                    "path": "namespace",
                                }
                            ]
                        }
                    },
                ],
            },
        }
    )
    for container in containers:
        container.setdefault("volumeMounts", []).append(
            {"mountPath": SERVICE_ACCOUNT_MOUNT_PATH, "name": name, "readOnly": True}
        )


def pod_qos_class(obj: dict) -> str:
    """qos.ComputePodQOS over cpu and memory: BestEffort, Guaranteed or Burstable."""
    containers = [
        c for key in ("initContainers", "containers") for c in obj.get("spec", {}).get(key) or []
    ]
    requested, guaranteed = False, True
    for container in containers:
        resources = container.get("resources") or {}
        limits = {
            k: v for k, v in (resources.get("limits") or {}).items() if k in ("cpu", "memory")
        }
        requests = {
            k: v for k, v in (resources.get("requests") or {}).items() if k in ("cpu", "memory")
        }
        requested = requested or bool(limits) or bool(requests)
        if set(limits) != {"cpu", "memory"} or any(
            requests.get(k, v) != v for k, v in limits.items()
        ):
            guaranteed = False
    if not requested:
        return "BestEffort"
    return "Guaranteed" if guaranteed else "Burstable"


def initial_pod_status(obj: dict) -> dict:
    """What the pod strategy's PrepareForCreate stores as status."""
    return {"phase": "Pending", "qosClass": pod_qos_class(obj)}
