"""The scheduler: binds each unscheduled pod to a node that fits, spreading replicas.

Filters as kube-scheduler's default plugins do for what the simulation models (NodeName,
NodeUnschedulable, TaintToleration for NoSchedule/NoExecute, node Ready, and NodeResourcesFit for
the one resource modelled: a node's allocatable `pods`, 110 on a kind node, so a pod beyond it
is `Too many pods`). Scoring follows the default topology spread (fewest pods of the same owner
on the node), then least allocated (fewest pods); ties are broken at random with the cluster's
seeded generator, as selectHost does. A pod that fits nowhere stays Pending with the
FailedScheduling message kube-scheduler v1.33 writes, DefaultPreemption's verdict included.

VolumeBinding (pkg/scheduler/framework/plugins/volumebinding @ v1.33.0) for claims: a missing
claim, or an unbound one whose class binds Immediately, refuses the pod before any node is looked
at (PreFilter); a bound claim's volume node affinity keeps the pod to its node; an unbound
WaitForFirstConsumer claim gets the chosen node in `volume.kubernetes.io/selected-node`, and the
pod is bound only once its claims are (PreBind waits for the provisioner).
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import partial

from kubenet_nb.api.well_known import NODE_UNSCHEDULABLE_TAINT
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.controllers.volume_binder import SELECTED_NODE, claim_class
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = [
    "TOO_MANY_PODS",
    "Scheduler",
    "claim_names",
    "failed_scheduling_message",
    "prefilter_message",
    "tolerates",
]

TOO_MANY_PODS = "Too many pods"
"""pkg/scheduler/framework/plugins/noderesources/fit.go @ v1.33.0: the reason for a node whose
allocatable pods are all taken (a resolvable failure: preemption could make room)."""
NOT_HELPFUL = "Preemption is not helpful for scheduling"
NO_VICTIMS = "No preemption victims found for incoming pod"
"""pkg/scheduler/framework/preemption/preemption.go @ v1.33.0: a node whose failure preemption
cannot resolve (a taint, a selector), and a full node with no pod of lower priority to evict."""
VOLUME_NODE_CONFLICT = "node(s) had volume node affinity conflict"
PV_NOT_EXIST = "node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)"
UNBOUND_IMMEDIATE = "pod has unbound immediate PersistentVolumeClaims"
"""pkg/scheduler/framework/plugins/volumebinding/volume_binding.go @ v1.33.0:
ErrReasonNodeConflict, ErrReasonPVNotExist and PreFilter's refusal of an Immediate claim."""


def _histogram(total: int, reasons: dict[str, int]) -> str:
    """framework.FitError.Error's body: `0/N nodes are available: ` then the `count reason`
    strings sorted as strings (sortReasonsHistogram), comma-separated, with a final period."""
    parts = sorted(f"{count} {reason}" for reason, count in reasons.items())
    body = f"0/{total} nodes are available:"
    return f"{body} {', '.join(parts)}." if parts else f"{body}."


def failed_scheduling_message(total: int, reasons: dict[str, int], pod: dict) -> str:
    """The FailedScheduling message: the filters' histogram, then DefaultPreemption's PostFilter
    message prefixed `preemption: ` (default_preemption.go), itself a FitError over the nodes:
    full nodes find no victims (every pod here has priority 0), the others are not helped.

    >>> failed_scheduling_message(3, {"Too many pods": 2, "node(s) were unschedulable": 1}, {})
    '0/3 nodes are available: 1 node(s) were unschedulable, 2 Too many pods. preemption: 0/3 \
nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found \
for incoming pod..'
    """
    message = _histogram(total, reasons)
    if pod.get("spec", {}).get("preemptionPolicy") == "Never":
        return f"{message} preemption: not eligible due to preemptionPolicy=Never.."
    full = reasons.get(TOO_MANY_PODS, 0)
    verdicts = {NO_VICTIMS: full, NOT_HELPFUL: total - full}
    return f"{message} preemption: {_histogram(total, {k: v for k, v in verdicts.items() if v})}."


def prefilter_message(total: int, refusal: str) -> str:
    """FitError.Error when a PreFilter plugin refused the pod: its message instead of the
    histogram, then preemption's verdict (no node can help).

    >>> prefilter_message(3, 'persistentvolumeclaim "www-web-0" not found')
    '0/3 nodes are available: persistentvolumeclaim "www-web-0" not found. preemption: 0/3 \
nodes are available: 3 Preemption is not helpful for scheduling..'
    """
    verdict = _histogram(total, {NOT_HELPFUL: total})
    return f"0/{total} nodes are available: {refusal}. preemption: {verdict}."


def claim_names(pod: dict) -> list[str]:
    """The claims the pod's volumes name, in spec order."""
    return [
        (v["persistentVolumeClaim"] or {}).get("claimName", "")
        for v in pod["spec"].get("volumes") or ()
        if "persistentVolumeClaim" in v
    ]


def _bound(claim: dict) -> bool:
    """isVolumeBound's first question: the claim names its volume."""
    return bool(claim["spec"].get("volumeName"))


def tolerates(tolerations: list[dict], taint: dict) -> bool:
    """Whether one of the tolerations matches the taint (v1 helper ToleratesTaint)."""
    for toleration in tolerations:
        effect = toleration.get("effect", "")
        if effect and effect != taint.get("effect"):
            continue
        key = toleration.get("key", "")
        operator = toleration.get("operator", "Equal")
        if not key and operator == "Exists":
            return True
        if key != taint.get("key"):
            continue
        if operator == "Exists" or toleration.get("value", "") == taint.get("value", ""):
            return True
    return False


def _owner(pod: dict) -> str:
    for ref in pod["metadata"].get("ownerReferences", []):
        if ref.get("controller"):
            return ref["uid"]
    return ""


class Scheduler(Controller):
    """Binds pods with an empty spec.nodeName; retries pending pods when nodes change."""

    name = "default-scheduler"

    def __init__(self, store: Store, api: ApiServer, randomness: Randomness) -> None:
        super().__init__()
        self.store, self.api, self.random = store, api, randomness
        self._per_node: dict[str, int] = {}
        self._per_owner_node: dict[tuple[str, str], int] = {}
        self._unschedulable: dict[tuple[str, str], None] = {}
        self._filtered: dict[str, tuple[list[str], dict[str, int]]] = {}
        self._max_pods: dict[str, int] = {}
        self._awaiting: dict[tuple[str, str], set[tuple[str, str]]] = {}
        """Pods assumed on a node (PreBind) by the claims they wait for: claim key -> pods."""

    def handle(self, event: WatchEvent) -> None:
        if event.kind == "Pod":
            self._count(event.old, -1)
            self._count(event.obj, +1)
            if event.obj is None:
                self._unschedulable.pop(_key(event.subject), None)
                if event.old is not None and event.old["spec"].get("nodeName") and not event.replay:
                    # an assigned pod deleted frees room (NodeResourcesFit's queueing hint)
                    for key in self._unschedulable:
                        self.enqueue(*key)
            elif not event.obj["spec"].get("nodeName") and not event.replay:
                if event.obj["metadata"].get("deletionTimestamp") is None:
                    self.enqueue(*_key(event.obj))
        elif event.kind == "PersistentVolumeClaim" and event.obj is not None and not event.replay:
            if _bound(event.obj):
                for key in self._awaiting.pop(_key(event.obj), ()):
                    self.enqueue(*key)
            if event.old is None or _bound(event.obj):
                # VolumeBinding's queueing hint: a new or newly bound claim may let pods in
                for key in self._unschedulable:
                    self.enqueue(*key)
        elif event.kind == "Node":
            self._filtered.clear()
            self._max_pods.clear()
            if not event.replay and event.obj is not None:
                for key in self._unschedulable:
                    self.enqueue(*key)

    def _count(self, pod: dict | None, delta: int) -> None:
        if pod is None:
            return
        node = pod["spec"].get("nodeName")
        if node:
            _add(self._per_node, node, delta)
            _add(self._per_owner_node, (_owner(pod), node), delta)

    def reconcile(self, namespace: str, name: str) -> None:
        pod = self.store.get("Pod", namespace, name)
        if pod is None or pod["spec"].get("nodeName") or pod["metadata"].get("deletionTimestamp"):
            self._unschedulable.pop((namespace, name), None)
            return
        claims, refusal = self._claims(pod)
        if any(key == (namespace, name) for waiting in self._awaiting.values() for key in waiting):
            if not all(_bound(c) for c in claims):
                return  # PreBind still waits for the provisioner
        if refusal:
            self._unschedulable[(namespace, name)] = None
            self._mark_unschedulable(pod, {}, refusal)
            return
        nodes, reasons = self._volume_fit(claims, *self._fit(*self._feasible(pod)))
        if not nodes:
            self._unschedulable[(namespace, name)] = None
            self._mark_unschedulable(pod, reasons)
            return
        self._unschedulable.pop((namespace, name), None)
        owner = _owner(pod)
        scores = [
            (self._per_owner_node.get((owner, n), 0), self._per_node.get(n, 0)) for n in nodes
        ]
        best = min(scores)
        top = [n for n, score in zip(nodes, scores, strict=True) if score == best]
        node = top[0] if len(top) == 1 else self.random.rng.choice(top)
        unbound = [c for c in claims if not _bound(c)]
        if unbound:
            self._await_volumes(pod, unbound, node)
            return
        self._bind(pod, node)

    def _claims(self, pod: dict) -> tuple[list[dict], str]:
        """VolumeBinding PreFilter: the pod's claims, or why no node can take the pod."""
        claims = []
        for name in claim_names(pod):
            claim = self.store.get("PersistentVolumeClaim", pod["metadata"]["namespace"], name)
            if claim is None:
                return [], f'persistentvolumeclaim "{name}" not found'
            if claim["metadata"].get("deletionTimestamp"):
                return [], f'persistentvolumeclaim "{name}" is being deleted'
            if not _bound(claim):
                storage_class = claim_class(claim, self.store) or {}
                if storage_class.get("volumeBindingMode") != "WaitForFirstConsumer":
                    return [], UNBOUND_IMMEDIATE
            claims.append(claim)
        return claims, ""

    def _volume_fit(
        self, claims: list[dict], nodes: list[str], reasons: dict[str, int]
    ) -> tuple[list[str], dict[str, int]]:
        """VolumeBinding Filter: a bound claim's volume must allow the node (its nodeAffinity)."""
        volumes = []
        for claim in claims:
            if _bound(claim):
                volume = self.store.get("PersistentVolume", "", claim["spec"]["volumeName"])
                if volume is None:
                    return [], {**reasons, PV_NOT_EXIST: len(nodes)}
                volumes.append(volume)
        if not volumes:
            return nodes, reasons
        fitting = [
            n
            for n in nodes
            if all(_volume_allows(v, self.store.get("Node", "", n)) for v in volumes)
        ]
        if len(fitting) == len(nodes):
            return nodes, reasons
        return fitting, {**reasons, VOLUME_NODE_CONFLICT: len(nodes) - len(fitting)}

    def _await_volumes(self, pod: dict, unbound: list[dict], node: str) -> None:
        """AssumePodVolumes + PreBind: the claims learn the node; the pod waits for them."""
        key = _key(pod)
        for claim in unbound:
            annotations = claim["metadata"].get("annotations", {})
            if annotations.get(SELECTED_NODE) != node:
                meta = {**claim["metadata"], "annotations": {**annotations, SELECTED_NODE: node}}
                self.api.update({**claim, "metadata": meta}, trusted=True)
            waiting = self._awaiting.setdefault(_key(claim), set())
            if key not in waiting:
                waiting.add(key)
                self.store.on_undo(partial(waiting.discard, key))

    def _feasible(self, pod: dict) -> tuple[list[str], dict[str, int]]:
        """The nodes that pass the filters; pods with the same constraints share the answer
        until a Node changes."""
        spec = pod["spec"]
        key = json.dumps(
            [spec.get("tolerations"), spec.get("nodeSelector"), spec.get("affinity")],
            sort_keys=True,
        )
        if key not in self._filtered:
            self._filtered[key] = self._filter(pod)
        return self._filtered[key]

    def _fit(self, nodes: list[str], reasons: dict[str, int]) -> tuple[list[str], dict[str, int]]:
        """NodeResourcesFit for pods: of the nodes that pass the other filters, those with room
        under their allocatable pods; the full ones are counted as `Too many pods`."""
        if not self._max_pods:
            for node in self.store.list("Node"):
                allocatable = node.get("status", {}).get("allocatable", {})
                self._max_pods[node["metadata"]["name"]] = int(allocatable.get("pods", 110))
        per_node, max_pods = self._per_node, self._max_pods
        room = [n for n in nodes if per_node.get(n, 0) < max_pods.get(n, 110)]
        if len(room) == len(nodes):
            return nodes, reasons
        return room, {**reasons, TOO_MANY_PODS: len(nodes) - len(room)}

    def _filter(self, pod: dict) -> tuple[list[str], dict[str, int]]:
        tolerations = pod["spec"].get("tolerations", [])
        selector = pod["spec"].get("nodeSelector", {})
        feasible: list[str] = []
        reasons: defaultdict[str, int] = defaultdict(int)
        for node in self.store.list("Node"):
            spec = node.get("spec", {})
            if node["metadata"].get("deletionTimestamp"):
                continue
            labels = node["metadata"].get("labels", {})
            if any(labels.get(k) != v for k, v in selector.items()) or not _affinity_allows(
                pod, node
            ):
                reasons["node(s) didn't match Pod's node affinity/selector"] += 1
                continue
            taints = [
                t for t in spec.get("taints", []) if t.get("effect") in ("NoSchedule", "NoExecute")
            ]
            if spec.get("unschedulable"):
                taints.append({"key": NODE_UNSCHEDULABLE_TAINT, "effect": "NoSchedule"})
            untolerated = next((t for t in taints if not tolerates(tolerations, t)), None)
            if untolerated is not None:
                if untolerated["key"] == NODE_UNSCHEDULABLE_TAINT:
                    reasons["node(s) were unschedulable"] += 1
                else:
                    value = untolerated.get("value", "")
                    reasons[f"node(s) had untolerated taint {{{untolerated['key']}: {value}}}"] += 1
                continue
            feasible.append(node["metadata"]["name"])
        return feasible, dict(reasons)

    def _bind(self, pod: dict, node: str) -> None:
        new = dict(pod)
        new["spec"] = {**pod["spec"], "nodeName": node}
        status = dict(pod.get("status", {}))
        conditions = [c for c in status.get("conditions", []) if c["type"] != "PodScheduled"]
        conditions.append(
            {
                "type": "PodScheduled",
                "status": "True",
                "lastProbeTime": None,
                "lastTransitionTime": self.api.clock.timestamp(),
            }
        )
        status["conditions"] = conditions
        new["status"] = status
        self.api.update(new, trusted=True)
        self.api.record_event(
            pod,
            "Normal",
            "Scheduled",
            self.name,
            f"Successfully assigned {pod['metadata']['namespace']}/"
            f"{pod['metadata']['name']} to {node}",
        )

    def _mark_unschedulable(self, pod: dict, reasons: dict[str, int], refusal: str = "") -> None:
        total = self.store.count("Node")
        if refusal:
            message = prefilter_message(total, refusal)
        else:
            message = failed_scheduling_message(total, reasons, pod)
        status = dict(pod.get("status", {}))
        condition = {
            "type": "PodScheduled",
            "status": "False",
            "lastProbeTime": None,
            "lastTransitionTime": self.api.clock.timestamp(),
            "reason": "Unschedulable",
            "message": message,
        }
        if condition_without_time(status.get("conditions", [])) == condition_without_time(
            [condition]
        ):
            return
        status["phase"] = "Pending"
        status["conditions"] = [condition]
        self.api.set_status(pod, status)
        self.api.record_event(pod, "Warning", "FailedScheduling", self.name, message)


def _add(counts: dict, key: object, delta: int) -> None:
    value = counts.get(key, 0) + delta
    if value:
        counts[key] = value
    else:
        counts.pop(key, None)


def _matches(requirement: dict, value: str | None) -> bool:
    operator, values = requirement.get("operator"), requirement.get("values") or []
    if operator == "In":
        return value in values
    if operator == "NotIn":
        return value not in values
    if operator == "Exists":
        return value is not None
    if operator == "DoesNotExist":
        return value is None
    return False


def _affinity_allows(pod: dict, node: dict) -> bool:
    """Required node affinity: any term whose expressions (labels) and fields all match."""
    terms = (
        (pod["spec"].get("affinity") or {})
        .get("nodeAffinity", {})
        .get("requiredDuringSchedulingIgnoredDuringExecution", {})
        .get("nodeSelectorTerms")
    )
    if not terms:
        return True
    return _terms_allow(terms, node)


def _terms_allow(terms: list[dict], node: dict) -> bool:
    """NodeSelectorTerms: any term whose expressions (labels) and fields all match the node."""
    labels = node["metadata"].get("labels", {})
    fields = {"metadata.name": node["metadata"]["name"]}
    return any(
        all(_matches(r, labels.get(r.get("key"))) for r in term.get("matchExpressions", []))
        and all(_matches(r, fields.get(r.get("key"))) for r in term.get("matchFields", []))
        for term in terms
    )


def _volume_allows(volume: dict, node: dict | None) -> bool:
    """CheckNodeAffinity: the volume's required node selector terms admit the node."""
    terms = ((volume["spec"].get("nodeAffinity") or {}).get("required") or {}).get(
        "nodeSelectorTerms"
    )
    if not terms:
        return True
    if node is None:
        return False
    return _terms_allow(terms, node)


def condition_without_time(conditions: list[dict]) -> list[dict]:
    """Conditions with their timestamps dropped, to compare what they say."""
    return [
        {k: v for k, v in c.items() if k not in ("lastTransitionTime", "lastProbeTime")}
        for c in conditions
    ]


def _key(pod: dict) -> tuple[str, str]:
    return pod["metadata"]["namespace"], pod["metadata"]["name"]
