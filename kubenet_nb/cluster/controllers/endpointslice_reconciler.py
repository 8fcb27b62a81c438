"""The EndpointSlice reconciler: lays a Service's desired endpoints out into slices, and writes.

Follows kubernetes/kubernetes staging/src/k8s.io/endpointslice (reconciler.go, utils.go); the
desired endpoints (podToEndpoint) come from the controller. One set of slices per address type and
per resolved port list, at most `max_endpoints_per_slice` endpoints per slice, packed as upstream
packs them (existing endpoints keep their place, changed slices are filled most-full first,
leftovers go to the unchanged slice closest to full, then to new slices), and a placeholder slice
when nothing matches. Where upstream iterates Go maps (a random order) this uses a fixed one: pods
in creation order, slices by name, port groups in pod order, so the endpoints of a new slice are in
pod creation order (upstream's order is random); slice ports keep the Service's port order
(upstream sorts them by an FNV hash of their Go dump). Empty `endpoints` and `ports` are stored as
null, as the API server returns them (kubernetes/kubernetes issue #135968).
"""

from __future__ import annotations

from collections import deque

from kubenet_nb.api.names import is_dns1123_subdomain
from kubenet_nb.api.well_known import (
    ENDPOINTS_TRIGGER_TIME_ANNOTATION,
    HEADLESS_LABEL,
    MANAGED_BY_LABEL,
    SERVICE_NAME_LABEL,
)
from kubenet_nb.cluster.apiserver import ApiServer

__all__ = [
    "CONTROLLER_NAME",
    "Desired",
    "SliceReconciler",
    "endpoint_id",
    "port_key",
]

CONTROLLER_NAME = "endpointslice-controller.k8s.io"
RESERVED_LABELS = (SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL)

Desired = dict[str, dict[frozenset, tuple[list[dict], dict[tuple, dict]]]]
"""Per address type, per port key: the endpoint ports and the endpoints by `endpoint_id`."""


def port_key(ports: list[dict] | None) -> frozenset:
    """NewPortMapKey: the same ports in any order give the same key."""
    return frozenset(
        (p.get("name"), p.get("protocol"), p.get("port"), p.get("appProtocol")) for p in ports or ()
    )


def endpoint_id(endpoint: dict) -> tuple:
    """hashEndpoint: addresses (sorted), hostname, targetRef namespace and name."""
    ref = endpoint.get("targetRef") or {}
    return (
        tuple(sorted(endpoint.get("addresses") or ())),
        endpoint.get("hostname"),
        ref.get("namespace"),
        ref.get("name"),
    )


def _equal_beyond_id(a: dict, b: dict) -> bool:
    """EndpointsEqualBeyondHash: nodeName, zone, conditions, targetRef (not resourceVersion)."""
    if any(a.get(f) != b.get(f) for f in ("nodeName", "zone")):
        return False
    ca, cb = a.get("conditions") or {}, b.get("conditions") or {}
    if any(ca.get(f) != cb.get(f) for f in ("ready", "serving", "terminating")):
        return False
    ra, rb = dict(a.get("targetRef") or {}), dict(b.get("targetRef") or {})
    ra.pop("resourceVersion", None)
    rb.pop("resourceVersion", None)
    return ra == rb


def _slice_labels(labels: dict[str, str], service: dict) -> tuple[dict[str, str], bool]:
    """setEndpointSliceLabels: the Service's labels minus reserved ones, plus the controller's;
    True when the non-reserved labels differ from the slice's."""
    own = {k: v for k, v in labels.items() if k not in RESERVED_LABELS}
    wanted = {
        k: v
        for k, v in (service["metadata"].get("labels") or {}).items()
        if k not in RESERVED_LABELS
    }
    changed = own != wanted
    if (service.get("spec") or {}).get("clusterIP") in (None, "", "None"):
        wanted[HEADLESS_LABEL] = ""
    wanted[SERVICE_NAME_LABEL] = service["metadata"]["name"]
    wanted[MANAGED_BY_LABEL] = CONTROLLER_NAME
    return dict(sorted(wanted.items())), changed


def _owner_ref(service: dict) -> dict:
    meta = service["metadata"]
    return {
        "apiVersion": "v1",
        "kind": "Service",
        "name": meta["name"],
        "uid": meta["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }


def _owned_by(endpoint_slice: dict, service: dict) -> bool:
    uid = service["metadata"]["uid"]
    return any(
        r.get("uid") == uid and r.get("kind") == "Service" and r.get("apiVersion") == "v1"
        for r in endpoint_slice["metadata"].get("ownerReferences") or ()
    )


def _new_slice(service: dict, ports: list[dict], address_type: str) -> dict:
    """newEndpointSlice: generateName `<service>-`, owner, labels; no name yet."""
    name = service["metadata"]["name"]
    prefix = f"{name}-" if not is_dns1123_subdomain(f"{name}a") else name
    labels, _ = _slice_labels({}, service)
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "generateName": prefix,
            "namespace": service["metadata"]["namespace"],
            "labels": labels,
            "ownerReferences": [_owner_ref(service)],
        },
        "addressType": address_type,
        "endpoints": [],
        "ports": ports,
    }


def _copy(endpoint_slice: dict, labels: dict[str, str]) -> dict:
    """A writable copy: new metadata (with `labels`) and a new endpoints list."""
    copy = dict(endpoint_slice)
    copy["metadata"] = {**endpoint_slice["metadata"], "labels": labels}
    copy["endpoints"] = list(endpoint_slice.get("endpoints") or ())
    return copy


def _is_placeholder_of(existing: dict, placeholder: dict) -> bool:
    """placeholderSliceCompare: namespace, labels, owners, address type, nothing inside."""
    a, b = existing["metadata"], placeholder["metadata"]
    return (
        a.get("namespace") == b["namespace"]
        and (a.get("labels") or {}) == b["labels"]
        and (a.get("ownerReferences") or []) == b["ownerReferences"]
        and existing.get("addressType") == placeholder["addressType"]
        and not existing.get("endpoints")
        and not existing.get("ports")
    )


class SliceReconciler:
    """Creates, updates and deletes a Service's slices (Reconciler in reconciler.go)."""

    def __init__(self, api: ApiServer, max_endpoints_per_slice: int = 100) -> None:
        self.api = api
        self.max_endpoints = max_endpoints_per_slice

    def reconcile(
        self, service: dict, desired: Desired, existing: list[dict], stamp: str | None
    ) -> None:
        """Reconcile: one pass per address type in `desired`; slices of other types go."""
        for address_type, groups in desired.items():
            mine = [s for s in existing if s.get("addressType") == address_type]
            self._sync_type(service, groups, mine, address_type, stamp)
        for endpoint_slice in existing:
            if endpoint_slice.get("addressType") not in desired:
                meta = endpoint_slice["metadata"]
                self.api.remove("EndpointSlice", meta["namespace"], meta["name"])

    def _sync_type(
        self,
        service: dict,
        groups: dict[frozenset, tuple[list[dict], dict[tuple, dict]]],
        existing: list[dict],
        address_type: str,
        stamp: str | None,
    ) -> None:
        """reconcileByAddressType, from the desired endpoints grouped by port key."""
        creates: list[dict] = []
        updates: list[dict] = []
        deletes: list[dict] = []
        existing_by_ports: dict[frozenset, list[dict]] = {}
        for endpoint_slice in existing:
            if _owned_by(endpoint_slice, service):
                key = port_key(endpoint_slice.get("ports"))
                existing_by_ports.setdefault(key, []).append(endpoint_slice)
            else:
                deletes.append(endpoint_slice)
        for key, (ports, endpoints) in groups.items():
            c, u, d = self._pack(
                service, existing_by_ports.get(key, []), dict(endpoints), ports, address_type
            )
            creates += c
            updates += u
            deletes += d
        for key, slices in existing_by_ports.items():
            if key not in groups:
                deletes += slices
        if len(existing) == len(deletes) and not creates:
            placeholder = _new_slice(service, [], address_type)
            if len(deletes) == 1 and _is_placeholder_of(deletes[0], placeholder):
                deletes = []
            else:
                creates.append(placeholder)
        self._finalize(service, creates, updates, deletes, stamp)

    def _pack(
        self,
        service: dict,
        existing: list[dict],
        desired: dict[tuple, dict],
        ports: list[dict],
        address_type: str,
    ) -> tuple[list, list, list]:
        """reconcileByPortMapping: (slices to create, to update, to delete) for one port list."""
        by_name: dict[str, dict] = {}
        unchanged: dict[str, None] = {}
        to_update: dict[str, None] = {}
        to_delete: dict[str, None] = {}
        for endpoint_slice in existing:
            name = endpoint_slice["metadata"]["name"]
            by_name[name] = endpoint_slice
            old = endpoint_slice.get("endpoints") or []
            kept, updated = [], False
            for endpoint in old:
                wanted = desired.pop(endpoint_id(endpoint), None)
                if wanted is not None:
                    kept.append(wanted)
                    updated = updated or not _equal_beyond_id(wanted, endpoint)
            labels, labels_changed = _slice_labels(
                endpoint_slice["metadata"].get("labels") or {}, service
            )
            if updated or len(kept) != len(old):
                if not kept:
                    to_delete[name] = None
                    continue
                by_name[name] = {**_copy(endpoint_slice, labels), "endpoints": kept}
                to_update[name] = None
            elif labels_changed:
                by_name[name] = _copy(endpoint_slice, labels)
                to_update[name] = None
            else:
                unchanged[name] = None
        remaining = deque(desired.values())
        if remaining and to_update:
            for endpoint_slice in sorted(
                (by_name[n] for n in to_update), key=lambda s: -len(s["endpoints"])
            ):
                while remaining and len(endpoint_slice["endpoints"]) < self.max_endpoints:
                    endpoint_slice["endpoints"].append(remaining.popleft())
        creates = []
        while remaining:
            target = None
            if len(remaining) < self.max_endpoints and unchanged:
                target = self._slice_to_fill([by_name[n] for n in unchanged], len(remaining))
            if target is None:
                target = _new_slice(service, ports, address_type)
            else:
                target = _copy(target, target["metadata"].get("labels") or {})
                by_name[target["metadata"]["name"]] = target
            while remaining and len(target["endpoints"]) < self.max_endpoints:
                target["endpoints"].append(remaining.popleft())
            if target["metadata"].get("name"):
                to_update[target["metadata"]["name"]] = None
                unchanged.pop(target["metadata"]["name"], None)
            else:
                creates.append(target)
        return creates, [by_name[n] for n in to_update], [by_name[n] for n in to_delete]

    def _slice_to_fill(self, slices: list[dict], count: int) -> dict | None:
        """getSliceToFill: the slice that comes closest to full with `count` more endpoints."""
        closest, best = None, self.max_endpoints
        for endpoint_slice in slices:
            diff = self.max_endpoints - (count + len(endpoint_slice.get("endpoints") or ()))
            if 0 <= diff < best:
                closest, best = endpoint_slice, diff
                if diff == 0:
                    break
        return closest

    def _finalize(
        self,
        service: dict,
        creates: list[dict],
        updates: list[dict],
        deletes: list[dict],
        stamp: str | None,
    ) -> None:
        """finalize: creates become updates of slices due for deletion; then write, in order."""
        i = 0
        while i < len(deletes) and creates:
            doomed, fresh = deletes[i], creates[-1]
            if doomed.get("addressType") == fresh["addressType"] and _owned_by(doomed, service):
                fresh["metadata"]["name"] = doomed["metadata"]["name"]
                updates.append(creates.pop())
                del deletes[i]
            else:
                i += 1
        if not service["metadata"].get("deletionTimestamp"):
            for endpoint_slice in creates:
                self.api.create(_for_write(endpoint_slice, stamp), trusted=True)
        for endpoint_slice in updates:
            self.api.update(_for_write(endpoint_slice, stamp), trusted=True)
        for endpoint_slice in deletes:
            meta = endpoint_slice["metadata"]
            self.api.remove("EndpointSlice", meta["namespace"], meta["name"])


def _for_write(endpoint_slice: dict, stamp: str | None) -> dict:
    """addTriggerTimeAnnotation, and empty lists as the API server stores them (null)."""
    obj = dict(endpoint_slice)
    meta = obj["metadata"] = dict(obj["metadata"])
    annotations = dict(meta.get("annotations") or {})
    if stamp is not None:
        annotations[ENDPOINTS_TRIGGER_TIME_ANNOTATION] = stamp
    else:
        annotations.pop(ENDPOINTS_TRIGGER_TIME_ANNOTATION, None)
    if annotations:
        meta["annotations"] = dict(sorted(annotations.items()))
    else:
        meta.pop("annotations", None)
    obj["endpoints"] = obj.get("endpoints") or None
    obj["ports"] = obj.get("ports") or None
    return obj
