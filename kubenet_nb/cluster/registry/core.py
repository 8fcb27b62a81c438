"""The core kinds' strategies: Pods (admission, warnings, their IP given back), the workloads,
Namespaces, Nodes and endpoint objects, each as its `KindRules` run by the generic strategy.

As upstream's REST strategies: create resets status, update keeps the status the client may not
write (PUT of the main resource ignores it); these kinds' validators check ObjectMeta
themselves, as ValidatePod, ValidateDeployment, ... do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kubenet_nb.api.apps import daemonset, workloads
from kubenet_nb.api.core import endpoints, nodes, pod
from kubenet_nb.api.errors import FieldError, Forbidden
from kubenet_nb.api.generic import KindRules
from kubenet_nb.api.kinds import by_kind
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.well_known import MIRROR_POD_ANNOTATION
from kubenet_nb.cluster.apiserver import Strategy
from kubenet_nb.cluster.kubelet import Kubelets
from kubenet_nb.cluster.randomness import ALPHANUMS, MAX_GENERATED_NAME_LENGTH, Randomness
from kubenet_nb.cluster.registry.generic import GenericStrategy
from kubenet_nb.cluster.store import Store

__all__ = ["admission_name", "core_strategies"]

"""Static pods' mirror annotation: the kubelet, not admission, made these pods."""


def admission_name(meta: dict) -> str:
    """The name admission errors give: before the registry generates a name, a pod created with
    generateName has none, so admission.NewForbidden (extractResourceName) shows generateName.

    The simulated API server generates the name first; a name that is generateName plus five
    generated characters is taken for a generated one.
    """
    name, base = meta["name"], (meta.get("generateName") or "")[:MAX_GENERATED_NAME_LENGTH]
    suffix = name[len(base) :]
    if base and name.startswith(base) and len(suffix) == 5 and set(suffix) <= set(ALPHANUMS):
        return base
    return name


class PodStrategy(GenericStrategy):
    """Pods: ServiceAccount admission, warnings for duplicate ports, IP released when gone."""

    def __init__(self, kubelets: Kubelets, randomness: Randomness, store: Store) -> None:
        self.random, self.store = randomness, store
        rules = _rules("Pod", pod.default_pod, pod.validate_pod, pod.validate_pod_update)
        super().__init__(by_kind("Pod"), rules)
        self.kubelets = kubelets

    def prepare_create(self, obj: dict) -> None:
        pod.default_pod(obj)
        obj["status"] = pod.initial_pod_status(obj)
        annotations = obj["metadata"].get("annotations") or {}
        if MIRROR_POD_ANNOTATION not in annotations:
            self._admit_service_account(obj)

    def _admit_service_account(self, obj: dict) -> None:
        """kubernetes/kubernetes @ v1.33.0 plugin/pkg/admission/serviceaccount/admission.go
        Admit: the pod's account must exist (getServiceAccount's NotFound is on the singular
        resource `serviceaccount`), its token is mounted unless automount is off, and its
        imagePullSecrets are copied to a pod that names none. The default account of a new
        namespace exists already (the controller runs right after the namespace's write), so
        the plugin's retries for it are not needed."""
        spec, meta = obj["spec"], obj["metadata"]
        namespace, name = meta["namespace"], spec["serviceAccountName"]
        account = self.store.get("ServiceAccount", namespace, name)
        if account is None:
            raise Forbidden(
                f"pods {go_quote(admission_name(meta))} is forbidden: error looking up service "
                f'account {namespace}/{name}: serviceaccount "{name}" not found'
            )
        if pod.should_automount(spec, account):
            pod.mount_service_account_token(obj, self.random.string(5))
        if not spec.get("imagePullSecrets") and account.get("imagePullSecrets"):
            spec["imagePullSecrets"] = [
                {"name": s.get("name", "")} for s in account["imagePullSecrets"]
            ]

    def warnings(self, obj: dict) -> list[str]:
        return pod.pod_warnings(obj)

    def release(self, obj: dict) -> None:
        self.kubelets.release(obj)


def _rules(
    kind: str,
    default: Callable[[dict], None],
    validate: Callable[[dict], list[FieldError]],
    validate_update: Callable[[dict, dict], list[FieldError]] | None = None,
    **extra: Any,
) -> KindRules:
    """The rules of a core kind whose validators check ObjectMeta themselves, as upstream's
    ValidatePod, ValidateDeployment, ... do."""
    return KindRules(
        kind,
        default=default,
        validate=validate,
        validate_update=validate_update,
        checks_metadata=True,
        **extra,
    )


def core_strategies(kubelets: Kubelets, randomness: Randomness, store: Store) -> list[Strategy]:
    """The strategies of Pods, workloads, Namespaces, Nodes and endpoint objects."""
    rules = [
        _rules(
            "Deployment",
            workloads.default_deployment,
            workloads.validate_deployment,
            workloads.validate_deployment_update,
            status={},
            generation=True,
        ),
        _rules(
            "ReplicaSet",
            workloads.default_replicaset,
            workloads.validate_replicaset,
            workloads.validate_replicaset_update,
            status={"replicas": 0},
            generation=True,
        ),
        _rules(
            "DaemonSet",
            daemonset.default_daemonset,
            daemonset.validate_daemonset,
            daemonset.validate_daemonset_update,
            status={
                "currentNumberScheduled": 0,
                "desiredNumberScheduled": 0,
                "numberMisscheduled": 0,
                "numberReady": 0,
            },
            generation=True,
        ),
        _rules(
            "Namespace",
            nodes.default_namespace,
            nodes.validate_namespace,
            nodes.validate_namespace_update,
            status={"phase": "Active"},
        ),
        _rules(
            "Node",
            nodes.default_node,
            nodes.validate_node,
            nodes.validate_node_update,
            status={},
            client_status=True,
        ),
        _rules(
            "EndpointSlice",
            lambda obj: None,
            endpoints.validate_endpoint_slice,
            endpoints.validate_endpoint_slice_update,
            generation=True,
        ),
        _rules(
            "Endpoints",
            endpoints.default_endpoints,
            endpoints.validate_endpoints,
            endpoints.validate_endpoints_update,
        ),
    ]
    strategies: list[Strategy] = [PodStrategy(kubelets, randomness, store)]
    return strategies + [GenericStrategy(by_kind(r.kind), r) for r in rules]
