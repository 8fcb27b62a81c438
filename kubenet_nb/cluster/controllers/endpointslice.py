"""The EndpointSlice controller: keeps each selector Service's EndpointSlices current.

Follows kubernetes/kubernetes pkg/controller/endpointslice/endpointslice_controller.go and, for
each pod's endpoint, staging/src/k8s.io/endpointslice/utils.go. Service events queue the Service,
Pod events queue the Services whose endpoints they may change, changes made by anyone else to its
slices queue their Service again. ExternalName Services and Services without a selector get no
slices; slices without this controller's managed-by label are never touched. Laying endpoints out
into slices is `SliceReconciler`'s job. When a Service is deleted, the slices it owned are removed
(the garbage collector's part, done here).
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.well_known import MANAGED_BY_LABEL, SERVICE_NAME_LABEL, ZONE_LABEL
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import format_time
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.controllers.endpointslice_reconciler import (
    CONTROLLER_NAME,
    Desired,
    SliceReconciler,
    endpoint_id,
    port_key,
)
from kubenet_nb.cluster.controllers.service_index import (
    ServiceIndex,
    TriggerTimeTracker,
    find_port,
    is_pod_ready,
    should_be_in_endpoints,
    should_set_hostname,
)
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["EndpointSliceController"]

Key = tuple[str, str]


def _address_types(service: dict) -> list[str]:
    """getAddressTypesForService: spec.ipFamilies, else the clusterIP's family, else both."""
    spec = service.get("spec") or {}
    types = list(dict.fromkeys(f for f in spec.get("ipFamilies") or () if f in ("IPv4", "IPv6")))
    if types:
        return types
    cluster_ip = spec.get("clusterIP") or ""
    if cluster_ip and cluster_ip != "None":
        return ["IPv6" if ":" in cluster_ip else "IPv4"]
    return ["IPv4", "IPv6"]


def _addresses(pod: dict, address_type: str) -> list[str]:
    """getEndpointAddresses: the pod's IPs of one family, re-serialized."""
    found = []
    for entry in (pod.get("status") or {}).get("podIPs") or ():
        ip = entry.get("ip", "")
        if ("IPv6" if ":" in ip else "IPv4") == address_type:
            try:
                found.append(str(ipaddress.ip_address(ip)))
            except ValueError:
                found.append(ip)
    return found


def _endpoint_ports(service: dict, pod: dict) -> list[dict]:
    """getEndpointPorts: each Service port the pod resolves, in spec order; the others skipped."""
    ports = []
    for service_port in (service.get("spec") or {}).get("ports") or ():
        number = find_port(pod, service_port)
        if number is None:
            continue
        port = {
            "name": service_port.get("name", ""),
            "protocol": service_port.get("protocol") or "TCP",
            "port": number,
        }
        if service_port.get("appProtocol") is not None:
            port["appProtocol"] = service_port["appProtocol"]
        ports.append(port)
    return ports


def _pod_to_endpoint(pod: dict, node: dict | None, service: dict, address_type: str) -> dict:
    """podToEndpoint: addresses, conditions, hostname, targetRef, nodeName, zone."""
    serving = is_pod_ready(pod)
    terminating = bool(pod["metadata"].get("deletionTimestamp"))
    publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
    endpoint: dict = {
        "addresses": _addresses(pod, address_type),
        "conditions": {
            "ready": publish or (serving and not terminating),
            "serving": serving,
            "terminating": terminating,
        },
    }
    if should_set_hostname(pod, service):
        endpoint["hostname"] = pod["spec"]["hostname"]
    meta = pod["metadata"]
    endpoint["targetRef"] = {
        "kind": "Pod",
        "namespace": meta["namespace"],
        "name": meta["name"],
        "uid": meta["uid"],
    }
    if (pod.get("spec") or {}).get("nodeName"):
        endpoint["nodeName"] = pod["spec"]["nodeName"]
    zone = ((node or {}).get("metadata", {}).get("labels") or {}).get(ZONE_LABEL)
    if zone:
        endpoint["zone"] = zone
    return endpoint


def _managed(obj: dict | None) -> bool:
    labels = (obj or {}).get("metadata", {}).get("labels") or {}
    return labels.get(MANAGED_BY_LABEL) == CONTROLLER_NAME


def _service_of(obj: dict | None) -> str:
    return ((obj or {}).get("metadata", {}).get("labels") or {}).get(SERVICE_NAME_LABEL, "")


class EndpointSliceController(Controller):
    """Reconciles the EndpointSlices of Services keyed by (namespace, service name)."""

    name = "endpointslice-controller"

    def __init__(
        self,
        store: Store,
        api: ApiServer,
        max_endpoints_per_slice: int = 100,
        index: ServiceIndex | None = None,
    ) -> None:
        super().__init__()
        self.store, self.api = store, api
        self.index = index or ServiceIndex(store)
        self.reconciler = SliceReconciler(api, max_endpoints_per_slice)
        self.triggers = TriggerTimeTracker(store)
        self._slices: dict[Key, dict[str, None]] = {}
        self._slice_service: dict[Key, str] = {}
        self._waiting: dict[str, dict[Key, None]] = {}
        self._writing = False

    def handle(self, event: WatchEvent) -> None:
        self.index.handle(event)
        obj = event.subject
        namespace = obj["metadata"].get("namespace", "")
        if event.kind == "EndpointSlice":
            self._track_slice(namespace, obj["metadata"]["name"])
        if event.replay:
            return
        if event.kind == "Service":
            self.enqueue(namespace, obj["metadata"]["name"])
        elif event.kind == "Pod":
            for service in self.index.services_to_update(event):
                self.enqueue(namespace, service)
        elif event.kind == "Node" and event.old is None:
            for key in self._waiting.pop(obj["metadata"]["name"], {}):
                self.enqueue(*key)
        elif event.kind == "EndpointSlice" and not self._writing:
            self._slice_changed(namespace, event.old, event.obj)

    def _track_slice(self, namespace: str, name: str) -> None:
        """Keep the index of managed slices by Service name current (undo replays included)."""
        key = (namespace, name)
        previous = self._slice_service.pop(key, None)
        if previous is not None:
            names = self._slices[(namespace, previous)]
            names.pop(name, None)
            if not names:
                del self._slices[(namespace, previous)]
        current = self.store.get("EndpointSlice", namespace, name)
        if _managed(current) and _service_of(current):
            self._slice_service[key] = _service_of(current)
            self._slices.setdefault((namespace, _service_of(current)), {})[name] = None

    def _slice_changed(self, namespace: str, old: dict | None, new: dict | None) -> None:
        """A slice written by someone else: resync the Service(s) it belongs to."""
        if old is not None and new is not None and _service_of(old) != _service_of(new):
            services = [_service_of(new), _service_of(old)]
        elif _managed(new) or _managed(old):
            services = [_service_of(new or old)]
        else:
            services = []
        for service in services:
            if service:
                self.enqueue(namespace, service)

    def slices_of(self, namespace: str, service: str) -> list[dict]:
        """The slices this controller manages for a Service name, by name."""
        names = sorted(self._slices.get((namespace, service), ()))
        found = (self.store.get("EndpointSlice", namespace, name) for name in names)
        return [s for s in found if s is not None]

    def reconcile(self, namespace: str, name: str) -> None:
        service = self.store.get("Service", namespace, name)
        self._writing = True
        try:
            if service is None:
                self.triggers.forget(namespace, name)
                self._collect_garbage(namespace, name)
            else:
                self._sync(service)
        finally:
            self._writing = False

    def _collect_garbage(self, namespace: str, name: str) -> None:
        """The garbage collector's part: slices owned by the deleted Service go with it."""
        for endpoint_slice in self.slices_of(namespace, name):
            refs = endpoint_slice["metadata"].get("ownerReferences") or ()
            if any(
                r.get("kind") == "Service" and r.get("apiVersion") == "v1" and r.get("name") == name
                for r in refs
            ):
                self.api.remove("EndpointSlice", namespace, endpoint_slice["metadata"]["name"])

    def _sync(self, service: dict) -> None:
        """syncService: skip ExternalName and selector-less Services, else reconcile."""
        spec = service.get("spec") or {}
        if spec.get("type") == "ExternalName" or not spec.get("selector"):
            return
        namespace, name = service["metadata"]["namespace"], service["metadata"]["name"]
        pods = self.index.pods_of(namespace, name)
        existing = [
            s for s in self.slices_of(namespace, name) if not s["metadata"].get("deletionTimestamp")
        ]
        trigger = self.triggers.compute(service, pods)
        stamp = format_time(trigger) if trigger is not None else None
        self.reconciler.reconcile(service, self._desired(service, pods), existing, stamp)

    def _desired(self, service: dict, pods: list[dict]) -> Desired:
        """The endpoints each address type and port list should hold (reconcileByAddressType's
        first loop). A pod whose Node is missing is left out unless publishNotReadyAddresses;
        upstream retries the Service until the Node appears: here the Node's arrival queues it."""
        key = (service["metadata"]["namespace"], service["metadata"]["name"])
        publish = bool((service.get("spec") or {}).get("publishNotReadyAddresses"))
        desired: Desired = {address_type: {} for address_type in _address_types(service)}
        for pod in pods:
            if not should_be_in_endpoints(pod, include_terminating=True):
                continue
            ports = _endpoint_ports(service, pod)
            node_name = (pod.get("spec") or {}).get("nodeName", "")
            node = self.store.get("Node", "", node_name) if node_name else None
            if node is None and not publish:
                self._waiting.setdefault(node_name, {})[key] = None
            for address_type, groups in desired.items():
                _, endpoints = groups.setdefault(port_key(ports), (ports, {}))
                if node is None and not publish:
                    continue
                endpoint = _pod_to_endpoint(pod, node, service, address_type)
                if endpoint["addresses"]:
                    endpoints[endpoint_id(endpoint)] = endpoint
        return desired
