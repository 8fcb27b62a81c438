"""The legacy Endpoints controller: one core/v1 Endpoints per selector Service, named like it.

Follows kubernetes/kubernetes pkg/controller/endpoint/endpoints_controller.go (syncService,
addEndpointSubset, truncateEndpoints) and pkg/api/v1/endpoints RepackSubsets. One address family
(the Service's first), terminating pods only with publishNotReadyAddresses, subsets grouped by
the set of addresses behind each resolved port, addresses sorted by IP (as bytes) then pod UID,
at most 1000 addresses with `endpoints.kubernetes.io/over-capacity: truncated`, and since v1.33
the label `endpoints.kubernetes.io/managed-by: endpoint-controller` (KEP-4974, PR #130564).
Upstream orders the ports of a subset and the subsets themselves by an md5 hash of their Go dump;
here they keep the order in which the Service's ports first resolve.
"""

from __future__ import annotations

import math
from typing import Any

from kubenet_nb.api.well_known import (
    ENDPOINTS_MANAGED_BY_LABEL,
    ENDPOINTS_OVER_CAPACITY_ANNOTATION,
    ENDPOINTS_TRIGGER_TIME_ANNOTATION,
    HEADLESS_LABEL,
)
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import format_time
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.controllers.service_index import (
    ServiceIndex,
    TriggerTimeTracker,
    find_port,
    is_pod_ready,
    should_be_in_endpoints,
    should_set_hostname,
)
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["CONTROLLER_NAME", "MAX_CAPACITY", "EndpointsController"]

CONTROLLER_NAME = "endpoint-controller"
MAX_CAPACITY = 1000

_NO_PORTS = ("", -1, "", None)
"""RepackSubsets' sentinel port for a headless Service without ports."""


def _family(service: dict, pod: dict) -> str:
    """podToEndpointAddressForService: ipFamilies[0], else the clusterIP's or the pod's family."""
    spec = service.get("spec") or {}
    if spec.get("ipFamilies"):
        return spec["ipFamilies"][0]
    cluster_ip = spec.get("clusterIP") or ""
    probe = (
        cluster_ip
        if cluster_ip and cluster_ip != "None"
        else (pod.get("status") or {}).get("podIP", "")
    )
    return "IPv6" if ":" in probe else "IPv4"


def _address(service: dict, pod: dict) -> dict | None:
    """The EndpointAddress of a pod: its first IP of the family; None when it has none."""
    family = _family(service, pod)
    ip = next(
        (
            e["ip"]
            for e in (pod.get("status") or {}).get("podIPs") or ()
            if ("IPv6" if ":" in e.get("ip", "") else "IPv4") == family
        ),
        None,
    )
    if ip is None:
        return None
    address = {"ip": ip}
    if should_set_hostname(pod, service):
        address["hostname"] = pod["spec"]["hostname"]
    meta = pod["metadata"]
    address["nodeName"] = (pod.get("spec") or {}).get("nodeName", "")
    address["targetRef"] = {
        "kind": "Pod",
        "namespace": meta["namespace"],
        "name": meta["name"],
        "uid": meta["uid"],
    }
    return address


def _address_key(address: dict) -> tuple[str, str]:
    """LessEndpointAddress and RepackSubsets' identity: IP, then the target's UID."""
    return address["ip"], (address.get("targetRef") or {}).get("uid", "")


def _subsets(service: dict, pods: list[dict]) -> list[dict]:
    """The subsets upstream builds and repacks for the Service's pods."""
    spec = service.get("spec") or {}
    publish = bool(spec.get("publishNotReadyAddresses"))
    addresses: dict[tuple[str, str], dict] = {}
    by_port: dict[tuple, dict[tuple[str, str], bool]] = {}
    for pod in pods:
        if not should_be_in_endpoints(pod, include_terminating=publish):
            continue
        address = _address(service, pod)
        if address is None:
            continue
        ready = publish or is_pod_ready(pod)
        ports: list[tuple] = []
        if not spec.get("ports"):
            if spec.get("clusterIP") == "None":
                ports.append(_NO_PORTS)
        for service_port in spec.get("ports") or ():
            number = find_port(pod, service_port)
            if number is not None:
                ports.append(
                    (
                        service_port.get("name", ""),
                        number,
                        service_port.get("protocol") or "TCP",
                        service_port.get("appProtocol"),
                    )
                )
        key = _address_key(address)
        for port in ports:
            addresses.setdefault(key, address)
            seen = by_port.setdefault(port, {})
            if seen.get(key, True):
                seen[key] = ready
    groups: dict[tuple, list[tuple]] = {}
    for port, members in by_port.items():
        groups.setdefault(tuple(sorted(members.items())), []).append(port)
    subsets = []
    for group, group_ports in groups.items():
        subset: dict = {}
        ready_addresses = [addresses[k] for k, r in group if r]
        not_ready = [addresses[k] for k, r in group if not r]
        if ready_addresses:
            subset["addresses"] = ready_addresses
        if not_ready:
            subset["notReadyAddresses"] = not_ready
        if group_ports != [_NO_PORTS]:
            subset["ports"] = [_port(*p) for p in group_ports]
        subsets.append(subset)
    return subsets


def _port(name: str, number: int, protocol: str, app_protocol: str | None) -> dict:
    port: dict = {"name": name} if name else {}
    port.update(port=number, protocol=protocol)
    if app_protocol is not None:
        port["appProtocol"] = app_protocol
    return port


def _count(subsets: list[dict]) -> int:
    return sum(
        len(s.get("addresses") or ()) + len(s.get("notReadyAddresses") or ()) for s in subsets
    )


def _truncate(subsets: list[dict]) -> bool:
    """truncateEndpoints: keep 1000 addresses, ready first, spread by each subset's share."""
    total_ready = sum(len(s.get("addresses") or ()) for s in subsets)
    total = _count(subsets)
    if total <= MAX_CAPACITY:
        return False
    field, limit, among = "notReadyAddresses", MAX_CAPACITY - total_ready, total - total_ready
    if total_ready > MAX_CAPACITY:
        field, limit, among = "addresses", MAX_CAPACITY, total_ready
    room = limit
    for subset in subsets:
        share = math.ceil(len(subset.get(field) or ()) / among * limit)
        kept = (subset.get(field) or [])[: min(share, room)]
        if field == "addresses":
            subset.pop("notReadyAddresses", None)
        room -= len(kept)
        if kept:
            subset[field] = kept
        else:
            subset.pop(field, None)
    return True


def _comparable(subsets: list[dict]) -> list[dict]:
    """Subsets without targetRef resourceVersions (semanticIgnoreResourceVersion)."""
    result = []
    for subset in subsets:
        copy = {}
        for field in ("addresses", "notReadyAddresses"):
            if subset.get(field):
                copy[field] = [
                    {
                        **a,
                        "targetRef": {
                            k: v for k, v in a["targetRef"].items() if k != "resourceVersion"
                        },
                    }
                    if a.get("targetRef")
                    else a
                    for a in subset[field]
                ]
        if subset.get("ports"):
            copy["ports"] = subset["ports"]
        result.append(copy)
    return result


def _labels_correct(current: dict[str, str], service: dict[str, str]) -> bool:
    """labelsCorrectForEndpoints: the Service's labels plus managed-by (headless ignored)."""
    if current.get(ENDPOINTS_MANAGED_BY_LABEL) != CONTROLLER_NAME:
        return False
    own = {
        k: v for k, v in current.items() if k not in (ENDPOINTS_MANAGED_BY_LABEL, HEADLESS_LABEL)
    }
    return own == service


class EndpointsController(Controller):
    """Reconciles the Endpoints of Services keyed by (namespace, service name)."""

    name = "endpoint-controller"

    def __init__(self, store: Store, api: ApiServer, index: ServiceIndex | None = None) -> None:
        super().__init__()
        self.store, self.api = store, api
        self.index = index or ServiceIndex(store)
        self.triggers = TriggerTimeTracker(store)
        self._writing = False

    def handle(self, event: WatchEvent) -> None:
        self.index.handle(event)
        if event.replay:
            return
        obj = event.subject
        namespace = obj["metadata"].get("namespace", "")
        if event.kind == "Service":
            self.enqueue(namespace, obj["metadata"]["name"])
        elif event.kind == "Pod":
            for service in self.index.services_to_update(event):
                self.enqueue(namespace, service)
        elif event.kind == "Endpoints" and event.obj is None and not self._writing:
            self.enqueue(namespace, obj["metadata"]["name"])

    def reconcile(self, namespace: str, name: str) -> None:
        service = self.store.get("Service", namespace, name)
        self._writing = True
        try:
            if service is None:
                self.triggers.forget(namespace, name)
                if self.store.get("Endpoints", namespace, name) is not None:
                    self.api.remove("Endpoints", namespace, name)
            else:
                self._sync(service)
        finally:
            self._writing = False

    def _sync(self, service: dict) -> None:
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return
        meta = service["metadata"]
        pods = self.index.pods_of(meta["namespace"], meta["name"])
        trigger = self.triggers.compute(service, pods)
        subsets = _subsets(service, pods)
        service_labels = meta.get("labels") or {}
        current = self.store.get("Endpoints", meta["namespace"], meta["name"])
        if current is not None:
            annotations = current["metadata"].get("annotations") or {}
            if (
                _comparable(current.get("subsets") or []) == _comparable(subsets)
                and _labels_correct(current["metadata"].get("labels") or {}, service_labels)
                and _count(current.get("subsets") or []) <= MAX_CAPACITY
                and ENDPOINTS_OVER_CAPACITY_ANNOTATION not in annotations
            ):
                return
        labels = dict(service_labels)
        if spec.get("clusterIP") in (None, "", "None"):
            labels[HEADLESS_LABEL] = ""
        else:
            labels.pop(HEADLESS_LABEL, None)
        labels[ENDPOINTS_MANAGED_BY_LABEL] = CONTROLLER_NAME
        annotations = dict((current or {}).get("metadata", {}).get("annotations") or {})
        if trigger is not None:
            annotations[ENDPOINTS_TRIGGER_TIME_ANNOTATION] = format_time(trigger)
        else:
            annotations.pop(ENDPOINTS_TRIGGER_TIME_ANNOTATION, None)
        if _truncate(subsets):
            annotations[ENDPOINTS_OVER_CAPACITY_ANNOTATION] = "truncated"
        else:
            annotations.pop(ENDPOINTS_OVER_CAPACITY_ANNOTATION, None)
        obj: dict[str, Any] = (
            dict(current) if current is not None else {"apiVersion": "v1", "kind": "Endpoints"}
        )
        obj["metadata"] = {
            **(current or {}).get(
                "metadata", {"name": meta["name"], "namespace": meta["namespace"]}
            ),
            "labels": dict(sorted(labels.items())),
        }
        obj["metadata"].pop("annotations", None)
        if annotations:
            obj["metadata"]["annotations"] = dict(sorted(annotations.items()))
        obj.pop("subsets", None)
        if subsets:
            obj["subsets"] = subsets
        if current is None:
            self.api.create(obj, trusted=True)
        else:
            self.api.update(obj, trusted=True)
