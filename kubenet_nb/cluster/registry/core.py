"""Per-kind registry strategies for everything but Services: api defaulting and validation.

As upstream's REST strategies: create resets status, update keeps the status the client may not
write (PUT of the main resource ignores it), and pods give their IP back when they leave.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenet_nb.api.apps import daemonset, workloads
from kubenet_nb.api.core import endpoints, nodes, pod
from kubenet_nb.api.errors import FieldError, Forbidden
from kubenet_nb.api.meta import go_quote
from kubenet_nb.api.well_known import MIRROR_POD_ANNOTATION
from kubenet_nb.cluster.apiserver import Strategy
from kubenet_nb.cluster.kubelet import Kubelets
from kubenet_nb.cluster.randomness import ALPHANUMS, MAX_GENERATED_NAME_LENGTH, Randomness
from kubenet_nb.cluster.store import Store

__all__ = ["admission_name", "core_strategies"]

"""Static pods' mirror annotation: the kubelet, not admission, made these pods."""

Validate = Callable[[dict], list[FieldError]]
ValidateUpdate = Callable[[dict, dict], list[FieldError]]


class KindStrategy(Strategy):
    """A strategy assembled from an api module's functions."""

    def __init__(
        self,
        kind: str,
        default: Callable[[dict], None],
        validate: Validate,
        validate_update: ValidateUpdate,
        *,
        initial_status: dict | None = None,
        keeps_status: bool = True,
        generation: bool = False,
    ) -> None:
        self.kind = kind
        self._default, self._validate, self._validate_update = default, validate, validate_update
        self._initial_status = initial_status
        self._keeps_status = keeps_status
        self.generation = generation

    def prepare_create(self, obj: dict) -> None:
        if self._initial_status is not None:
            # Nodes may set their status on create (pkg/registry/core/node/strategy.go).
            obj["status"] = (
                {**self._initial_status, **(obj.get("status") or {})}
                if self.kind == "Node"
                else dict(self._initial_status)
            )
        self._default(obj)

    def validate_create(self, obj: dict) -> list[FieldError]:
        return self._validate(obj)

    def prepare_update(self, obj: dict, old: dict) -> None:
        if self._keeps_status and "status" in old and "status" not in obj:
            obj["status"] = old["status"]
        self._default(obj)

    def validate_update(self, obj: dict, old: dict) -> list[FieldError]:
        return self._validate_update(obj, old)


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


class PodStrategy(KindStrategy):
    """Pods: ServiceAccount admission, warnings for duplicate ports, IP released when gone."""

    def __init__(self, kubelets: Kubelets, randomness: Randomness, store: Store) -> None:
        self.random, self.store = randomness, store
        super().__init__(
            "Pod",
            pod.default_pod,
            pod.validate_pod,
            pod.validate_pod_update,
            initial_status={"phase": "Pending", "qosClass": "BestEffort"},
        )
        self.kubelets = kubelets

    def prepare_create(self, obj: dict) -> None:
        self._default(obj)
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


def _no_change(_: dict, __: dict) -> list[FieldError]:
    return []


def core_strategies(kubelets: Kubelets, randomness: Randomness, store: Store) -> list[Strategy]:
    """The strategies of Pods, workloads, Namespaces, Nodes and endpoint objects."""
    return [
        PodStrategy(kubelets, randomness, store),
        KindStrategy(
            "Deployment",
            workloads.default_deployment,
            workloads.validate_deployment,
            workloads.validate_deployment_update,
            initial_status={},
            generation=True,
        ),
        KindStrategy(
            "ReplicaSet",
            workloads.default_replicaset,
            workloads.validate_replicaset,
            workloads.validate_replicaset_update,
            initial_status={"replicas": 0},
            generation=True,
        ),
        KindStrategy(
            "DaemonSet",
            daemonset.default_daemonset,
            daemonset.validate_daemonset,
            daemonset.validate_daemonset_update,
            initial_status={
                "currentNumberScheduled": 0,
                "desiredNumberScheduled": 0,
                "numberMisscheduled": 0,
                "numberReady": 0,
            },
            generation=True,
        ),
        KindStrategy(
            "Namespace",
            nodes.default_namespace,
            nodes.validate_namespace,
            nodes.validate_namespace_update,
            initial_status={"phase": "Active"},
        ),
        KindStrategy(
            "Node",
            nodes.default_node,
            nodes.validate_node,
            nodes.validate_node_update,
            initial_status={},
        ),
        KindStrategy(
            "EndpointSlice",
            lambda obj: None,
            endpoints.validate_endpoint_slice,
            endpoints.validate_endpoint_slice_update,
            generation=True,
        ),
        KindStrategy(
            "Endpoints",
            endpoints.default_endpoints,
            endpoints.validate_endpoints,
            endpoints.validate_endpoints_update,
        ),
    ]
