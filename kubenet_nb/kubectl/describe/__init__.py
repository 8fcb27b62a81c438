"""`kubectl describe`: find the objects, gather what each describer shows beside them, print.

Follows k8s.io/kubectl/pkg/cmd/describe/describe.go (`Run`, `DescribeMatchingResources`: a
name that is not found describes every object whose name starts with it) and the describers'
own lookups in k8s.io/kubectl/pkg/describe/describe.go (`searchEvents`, the Service's
EndpointSlices by `kubernetes.io/service-name`, a Deployment's ReplicaSets, a node's pods, a
controller's pods by phase, an Ingress's backend Services, a Namespace's quotas and limits).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime

from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceInfo
from kubenet_nb.api.selectors import Selector, selector_from_label_selector, selector_from_set
from kubenet_nb.api.well_known import POD_TEMPLATE_HASH_LABEL, SERVICE_NAME_LABEL
from kubenet_nb.kubectl.commands.get import ClusterView, parse_resource_args
from kubenet_nb.kubectl.describe.apps import (
    describe_daemonset,
    describe_replicationcontroller,
    describe_statefulset,
)
from kubenet_nb.kubectl.describe.autoscaling import describe_hpa
from kubenet_nb.kubectl.describe.batch import describe_cronjob, describe_job
from kubenet_nb.kubectl.describe.certificates import describe_csr
from kubenet_nb.kubectl.describe.config import (
    describe_configmap,
    describe_secret,
    describe_serviceaccount,
)
from kubenet_nb.kubectl.describe.generic import describe_generic
from kubenet_nb.kubectl.describe.ingress import describe_ingress, describe_ingressclass
from kubenet_nb.kubectl.describe.network import (
    describe_endpoints,
    describe_endpointslice,
    describe_namespace,
    describe_service,
)
from kubenet_nb.kubectl.describe.networkpolicy import describe_networkpolicy
from kubenet_nb.kubectl.describe.node import describe_node
from kubenet_nb.kubectl.describe.persistentvolume import describe_pv
from kubenet_nb.kubectl.describe.policy import describe_pdb, describe_priorityclass
from kubenet_nb.kubectl.describe.quota import describe_limitrange, describe_resourcequota
from kubenet_nb.kubectl.describe.rbac import describe_binding, describe_role
from kubenet_nb.kubectl.describe.servicecidr import describe_ipaddress, describe_servicecidr
from kubenet_nb.kubectl.describe.storage import (
    claim_pods,
    describe_csinode,
    describe_pvc,
    describe_storageclass,
)
from kubenet_nb.kubectl.describe.workloads import (
    describe_deployment,
    describe_pod,
    describe_replicaset,
)
from kubenet_nb.kubectl.flags import Flag, FlagSet

__all__ = ["describe_object", "run"]

FLAGS = FlagSet(
    Flag("namespace", "n"),
    Flag("all-namespaces", "A", "bool"),
    Flag("selector", "l"),
    Flag("show-events", kind="bool", default=True),
)

# A kind's describer: the cluster (for what it shows beside the object), the object, its events
# (None under --show-events=false).
_Describer = Callable[[ClusterView, dict, list[dict] | None], str]

_NO_TYPE = (
    'You must specify the type of resource to describe. Use "kubectl api-resources" for a '
    "complete list of supported resources.\n"
)


def _events(cluster: ClusterView, obj: dict, kind_filter: bool = True) -> list[dict]:
    """`searchEvents`: events whose involvedObject is this object (name, namespace, kind, uid);
    a node's events may carry its name as uid (kubelet) or its uid (controllers)."""
    meta = obj["metadata"]
    uids = {meta["uid"]} if meta.get("uid") else set()
    if uids and obj["kind"] == "Node":
        uids.add(meta["name"])
    found = []
    for event in cluster.events_about(meta.get("namespace", ""), meta["name"]):
        involved = event.get("involvedObject") or {}
        if kind_filter and involved.get("kind") != obj["kind"]:
            continue
        if uids and involved.get("uid") not in uids:
            continue
        found.append(event)
    return found


def _owned_by(obj: dict, owner: dict) -> bool:
    uid = owner["metadata"].get("uid")
    return any(
        ref.get("controller") and ref.get("uid") == uid
        for ref in obj["metadata"].get("ownerReferences") or []
    )


def _template_without_hash(template: dict) -> dict:
    metadata = dict(template.get("metadata") or {})
    labels = dict(metadata.get("labels") or {})
    labels.pop(POD_TEMPLATE_HASH_LABEL, None)
    metadata["labels"] = labels
    return {**template, "metadata": metadata}


def _replica_sets(cluster: ClusterView, deploy: dict) -> tuple[list[dict], list[dict]]:
    """deploymentutil `FindNewReplicaSet` / `FindOldReplicaSets` over the ReplicaSets it owns."""
    owned = [
        rs
        for rs in cluster.list("replicasets", deploy["metadata"].get("namespace"))
        if _owned_by(rs, deploy)
    ]
    wanted = _template_without_hash(deploy["spec"].get("template") or {})
    by_age = sorted(owned, key=lambda rs: rs["metadata"].get("creationTimestamp", ""))
    new = next(
        (rs for rs in by_age if _template_without_hash(rs["spec"].get("template") or {}) == wanted),
        None,
    )
    return [rs for rs in owned if rs is not new], [new] if new else []


def _service(cluster: ClusterView, svc: dict, events: list[dict] | None) -> str:
    namespace = svc["metadata"].get("namespace") or "default"
    selector = f"{SERVICE_NAME_LABEL}={svc['metadata']['name']}"
    slices = cluster.list("endpointslices", namespace, selector)
    return describe_service(svc, slices, events, cluster.now)


def _deployment(cluster: ClusterView, deploy: dict, events: list[dict] | None) -> str:
    old, new = _replica_sets(cluster, deploy)
    return describe_deployment(deploy, old, new, events, cluster.now)


def _pod_phases(cluster: ClusterView, owner: dict, selector: Selector) -> Counter[str]:
    """`getPodStatusForController`: the phases of the selected pods the owner controls."""
    return Counter(
        (pod.get("status") or {}).get("phase", "")
        for pod in cluster.list("pods", owner["metadata"].get("namespace") or "default")
        if selector.matches(pod["metadata"].get("labels") or {}) and _owned_by(pod, owner)
    )


def _controller(
    describer: Callable[[dict, dict[str, int], list[dict] | None, datetime], str],
) -> _Describer:
    """A describer of a controller with a label selector, given its pods' phases."""

    def describe(cluster: ClusterView, obj: dict, events: list[dict] | None) -> str:
        selector = selector_from_label_selector(obj["spec"].get("selector"))
        return describer(obj, _pod_phases(cluster, obj, selector), events, cluster.now)

    return describe


def _replicationcontroller(cluster: ClusterView, rc: dict, events: list[dict] | None) -> str:
    phases = _pod_phases(cluster, rc, selector_from_set(rc["spec"].get("selector")))
    return describe_replicationcontroller(rc, phases, events, cluster.now)


def _ingress(cluster: ClusterView, ing: dict, events: list[dict] | None) -> str:
    """The Ingress with its namespace's Services and their EndpointSlices (`describeBackendV1`)."""
    namespace = ing["metadata"].get("namespace") or "default"
    services = {svc["metadata"]["name"]: svc for svc in cluster.list("services", namespace)}
    slices: dict[str, list[dict]] = {}
    for slice_ in cluster.list("endpointslices", namespace):
        service = (slice_["metadata"].get("labels") or {}).get(SERVICE_NAME_LABEL)
        if service is not None:
            slices.setdefault(service, []).append(slice_)
    return describe_ingress(ing, services, slices, events, cluster.now)


def _namespace(cluster: ClusterView, ns: dict, events: list[dict] | None) -> str:
    name = ns["metadata"]["name"]
    quotas, limits = cluster.list("resourcequotas", name), cluster.list("limitranges", name)
    return describe_namespace(ns, quotas, limits)


def _node(cluster: ClusterView, node: dict, events: list[dict] | None) -> str:
    name, now = node["metadata"]["name"], cluster.now
    pods = [
        pod
        for pod in cluster.list("pods", None)
        if pod["spec"].get("nodeName") == name
        and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
    ]
    lease = {"spec": {"holderIdentity": name, "renewTime": now.replace(microsecond=0).isoformat()}}
    return describe_node(node, pods, lease, events, now)


def _serviceaccount(cluster: ClusterView, sa: dict, events: list[dict] | None) -> str:
    secrets = cluster.list("secrets", sa["metadata"].get("namespace") or "default")
    return describe_serviceaccount(sa, secrets, events, cluster.now)


def _pvc(cluster: ClusterView, pvc: dict, events: list[dict] | None) -> str:
    pods = cluster.list("pods", pvc["metadata"].get("namespace") or "default")
    return describe_pvc(pvc, claim_pods(pvc, pods), events, cluster.now)


def _timed(describer: Callable[[dict, list[dict] | None, datetime], str]) -> _Describer:
    """A describer that needs nothing beside the object but its events and the time."""
    return lambda cluster, obj, events: describer(obj, events, cluster.now)


def _alone(describer: Callable[[dict], str]) -> _Describer:
    """A describer that shows the object only (no events)."""
    return lambda cluster, obj, events: describer(obj)


# describe.go describerMap, by kind, for the kinds simulated so far.
_DESCRIBERS: dict[str, _Describer] = {
    "Pod": _timed(describe_pod),
    "Secret": _alone(describe_secret),
    "Service": _service,
    "ServiceAccount": _serviceaccount,
    "Node": _node,
    "Namespace": _namespace,
    "Endpoints": _timed(describe_endpoints),
    "ConfigMap": _timed(describe_configmap),
    "EndpointSlice": _timed(describe_endpointslice),
    "Deployment": _deployment,
    "ReplicaSet": _controller(describe_replicaset),
    "StatefulSet": _controller(describe_statefulset),
    "DaemonSet": _controller(describe_daemonset),
    "ReplicationController": _replicationcontroller,
    "Role": _alone(describe_role),
    "ClusterRole": _alone(describe_role),
    "RoleBinding": _alone(describe_binding),
    "ClusterRoleBinding": _alone(describe_binding),
    "PersistentVolumeClaim": _pvc,
    "StorageClass": _timed(describe_storageclass),
    "CSINode": _timed(describe_csinode),
    "PriorityClass": _timed(describe_priorityclass),
    "PodDisruptionBudget": _timed(describe_pdb),
    "IngressClass": _timed(describe_ingressclass),
    "NetworkPolicy": _alone(describe_networkpolicy),
    "Job": _timed(describe_job),
    "CronJob": _timed(describe_cronjob),
    "HorizontalPodAutoscaler": _timed(describe_hpa),
    "Ingress": _ingress,
    "ResourceQuota": _alone(describe_resourcequota),
    "LimitRange": _alone(describe_limitrange),
    "PersistentVolume": _timed(describe_pv),
    "ServiceCIDR": _timed(describe_servicecidr),
    "IPAddress": _timed(describe_ipaddress),
    "CertificateSigningRequest": _timed(describe_csr),
}

# The rest of describerMap: kubectl has a describer of its own for these, not simulated yet.
_NOT_YET = frozenset(("VolumeAttributesClass",))


def describe_object(cluster: ClusterView, info: ResourceInfo, obj: dict, events: bool) -> str:
    """The describe text for one object: its kind's describer, else the generic one."""
    kind = info.kind
    obj = {"apiVersion": info.api_version, "kind": kind, **obj}
    found = _events(cluster, obj, kind != "Pod") if events else None
    describer = _DESCRIBERS.get(kind)
    if describer is not None:
        return describer(cluster, obj, found)
    if kind in _NOT_YET:
        raise KubectlError(f"kubenet-nb cannot describe {info.plural} yet")
    return describe_generic(obj, found, cluster.now)


def _matching(
    cluster: ClusterView, info: ResourceInfo, prefix: str, namespace: str, events: bool
) -> list[str]:
    return [
        describe_object(cluster, info, obj, events) + "\n"
        for obj in cluster.list(info.plural, namespace)
        if obj["metadata"]["name"].startswith(prefix)
    ]


def run(cluster: ClusterView, argv: list[str]) -> str:
    """`kubectl describe ARGV...`: what kubectl prints (stdout, then stderr)."""
    parsed = FLAGS.parse(argv)
    flags = parsed.values
    if not parsed.args:
        raise KubectlError(_NO_TYPE)
    requests, _ = parse_resource_args(parsed.args, cluster.resources)
    namespace = flags["namespace"] or "default"
    all_namespaces = flags["all-namespaces"]
    if flags["selector"] is not None and any(r.name is not None for r in requests):
        raise KubectlError("name cannot be provided when a selector is specified")
    outputs: list[str] = []
    errors: list[KubenetError] = []
    for request in requests:
        info = request.info
        if request.name is None:
            scope = None if all_namespaces else namespace
            for obj in cluster.list(info.plural, scope, flags["selector"]):
                outputs.append(describe_object(cluster, info, obj, flags["show-events"]))
            continue
        try:
            obj = cluster.get(info.plural, request.name, namespace)
        except NotFound as error:
            if len(parsed.args) == 2 and "/" not in parsed.args[0]:
                matches = _matching(cluster, info, request.name, namespace, flags["show-events"])
                if matches:
                    return "".join(matches)
            errors.append(error)
            continue
        outputs.append(describe_object(cluster, info, obj, flags["show-events"]))
    text = "\n\n".join(outputs)
    if not outputs and not errors:
        if all_namespaces:
            return "No resources found\n"
        return f"No resources found in {namespace} namespace.\n"
    if errors and not text:
        if len(errors) == 1:
            raise errors[0]
        raise KubectlError("\n".join(str(e) for e in errors), prefix="")
    return text + "".join(f"{error}\n" for error in errors)
