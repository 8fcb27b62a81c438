"""`kubectl describe`: find the objects, gather what each describer shows beside them, print.

Follows k8s.io/kubectl/pkg/cmd/describe/describe.go (`Run`, `DescribeMatchingResources`: a
name that is not found describes every object whose name starts with it) and the describers'
own lookups in k8s.io/kubectl/pkg/describe/describe.go (`searchEvents`, the Service's
EndpointSlices by `kubernetes.io/service-name`, a Deployment's ReplicaSets, a node's pods).
"""

from __future__ import annotations

from collections import Counter

from kubenet_nb.api.errors import KubectlError, KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceInfo
from kubenet_nb.api.selectors import selector_from_label_selector
from kubenet_nb.api.well_known import POD_TEMPLATE_HASH_LABEL, SERVICE_NAME_LABEL
from kubenet_nb.kubectl.commands.get import ClusterView, parse_resource_args
from kubenet_nb.kubectl.describe.network import (
    describe_endpoints,
    describe_endpointslice,
    describe_namespace,
    describe_service,
)
from kubenet_nb.kubectl.describe.node import describe_node
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


def describe_object(cluster: ClusterView, info: ResourceInfo, obj: dict, events: bool) -> str:
    """The describe text for one object, with what kubectl looks up beside it."""
    now, kind = cluster.now, info.kind
    obj = {"kind": kind, **obj}
    meta = obj["metadata"]
    namespace = meta.get("namespace") or "default"
    found = _events(cluster, obj, kind != "Pod") if events else None
    if kind == "Service":
        selector = f"{SERVICE_NAME_LABEL}={meta['name']}"
        slices = cluster.list("endpointslices", namespace, selector)
        return describe_service(obj, slices, found, now)
    if kind == "Pod":
        return describe_pod(obj, found, now)
    if kind == "Deployment":
        old, new = _replica_sets(cluster, obj)
        return describe_deployment(obj, old, new, found, now)
    if kind == "ReplicaSet":
        label_selector = selector_from_label_selector(obj["spec"].get("selector"))
        phases = Counter(
            (pod.get("status") or {}).get("phase", "")
            for pod in cluster.list("pods", namespace)
            if label_selector.matches(pod["metadata"].get("labels") or {}) and _owned_by(pod, obj)
        )
        return describe_replicaset(obj, phases, found, now)
    if kind == "Node":
        pods = [
            pod
            for pod in cluster.list("pods", None)
            if pod["spec"].get("nodeName") == meta["name"]
            and (pod.get("status") or {}).get("phase") not in ("Succeeded", "Failed")
        ]
        renewed = now.replace(microsecond=0).isoformat()
        lease = {"spec": {"holderIdentity": meta["name"], "renewTime": renewed}}
        return describe_node(obj, pods, lease, found, now)
    if kind == "EndpointSlice":
        return describe_endpointslice(obj, found, now)
    if kind == "Endpoints":
        return describe_endpoints(obj, found, now)
    if kind == "Namespace":
        return describe_namespace(obj)
    raise KubectlError(f"kubenet-nb cannot describe {info.plural} yet")


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
    requests, _ = parse_resource_args(parsed.args)
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
