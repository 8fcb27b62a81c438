"""What the endpoint controllers share: which Services select which Pods, and pod helpers.

The counterpart of upstream's k8s.io/endpointslice/util (controller_utils.go,
trigger_time_tracker.go) and FindPort. Upstream finds a pod's services by listing every Service of
the namespace (`GetPodServiceMemberships`); here each Service is filed under one pair of its
selector, so a pod's candidate services come from its own labels and the cost of a pod change grows
with the services it matches, not with the cluster. Services without a selector (or with an empty
one, which the API stores as no selector) select nothing.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = [
    "ServiceIndex",
    "TriggerTimeTracker",
    "find_port",
    "is_pod_ready",
    "selector_matches",
    "should_be_in_endpoints",
    "should_set_hostname",
]

Key = tuple[str, str]


def is_pod_ready(pod: dict) -> bool:
    """podutil.IsPodReady: the pod's Ready condition has status True."""
    return any(
        c.get("type") == "Ready" and c.get("status") == "True"
        for c in (pod.get("status") or {}).get("conditions") or ()
    )


def selector_matches(selector: dict[str, str], labels: dict[str, str]) -> bool:
    """labels.Set(selector).AsSelector().Matches(labels): every pair present and equal."""
    return all(labels.get(key) == value for key, value in selector.items())


def should_be_in_endpoints(pod: dict, include_terminating: bool) -> bool:
    """ShouldPodBeInEndpoints: not terminal, has an IP, and not terminating unless included."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Failed", "Succeeded"):
        return False
    if not status.get("podIP") and not status.get("podIPs"):
        return False
    return include_terminating or not pod["metadata"].get("deletionTimestamp")


def should_set_hostname(pod: dict, service: dict) -> bool:
    """ShouldSetHostname: the pod has a hostname and its subdomain is the Service's name."""
    spec = pod.get("spec") or {}
    return (
        bool(spec.get("hostname"))
        and spec.get("subdomain") == service["metadata"]["name"]
        and pod["metadata"].get("namespace") == service["metadata"].get("namespace")
    )


def find_port(pod: dict, service_port: dict) -> int | None:
    """FindPort: a number targetPort as is; a name looked up in the containers' ports (name and
    protocol), then in restartable init containers (sidecars); None when nothing matches."""
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int):
        return target
    protocol = service_port.get("protocol") or "TCP"
    spec = pod.get("spec") or {}
    sidecars = [c for c in spec.get("initContainers") or () if c.get("restartPolicy") == "Always"]
    for container in [*(spec.get("containers") or ()), *sidecars]:
        for port in container.get("ports") or ():
            if port.get("name") == target and (port.get("protocol") or "TCP") == protocol:
                return port["containerPort"]
    return None


def _parse_time(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value.replace("Z", "+00:00")) if value else None


class TriggerTimeTracker:
    """The `endpoints.kubernetes.io/last-change-trigger-time` of each sync, as upstream's tracker.

    The first sync of a Service gives its creationTimestamp; later syncs give the earliest of the
    trigger times that changed since the previous sync (a pod's Ready condition
    lastTransitionTime, the Service's creationTimestamp), or None when none changed, which
    removes the annotation from the objects written.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._states: dict[Key, tuple[datetime | None, dict[str, datetime]]] = {}

    def compute(self, service: dict, pods: list[dict]) -> datetime | None:
        """The trigger time for this sync of `service` with the pods its selector matches."""
        meta = service["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        state = self._states.get(key)
        last_service, last_pods = state or (None, {})
        changed: list[datetime] = []
        pod_times: dict[str, datetime] = {}
        for pod in pods:
            ready: dict[str, Any] = next(
                (
                    c
                    for c in (pod.get("status") or {}).get("conditions") or ()
                    if c.get("type") == "Ready"
                ),
                {},
            )
            moment = _parse_time(ready.get("lastTransitionTime"))
            if moment is not None:
                pod_times[pod["metadata"]["name"]] = moment
                previous = last_pods.get(pod["metadata"]["name"])
                if previous is None or moment > previous:
                    changed.append(moment)
        created = _parse_time(meta.get("creationTimestamp"))
        if created is not None and (last_service is None or created > last_service):
            changed.append(created)
        self._set(key, (created, pod_times))
        return created if state is None else min(changed, default=None)

    def forget(self, namespace: str, name: str) -> None:
        """DeleteService: the Service is gone; its next incarnation starts afresh."""
        self._set((namespace, name), None)

    def _set(self, key: Key, value: tuple[datetime | None, dict[str, datetime]] | None) -> None:
        previous = self._states.pop(key, None)
        if value is not None:
            self._states[key] = value

        def undo() -> None:
            self._states.pop(key, None)
            if previous is not None:
                self._states[key] = previous

        self.store.on_undo(undo)


def _labels(obj: dict | None) -> dict[str, str]:
    return ((obj or {}).get("metadata") or {}).get("labels") or {}


def _endpoints_changed(old: dict, new: dict) -> tuple[bool, bool]:
    """podEndpointsChanged (endpointslice/util): (endpoints may change, membership may change)."""
    old_spec, new_spec = old.get("spec") or {}, new.get("spec") or {}
    labels_changed = _labels(old) != _labels(new) or any(
        old_spec.get(field) != new_spec.get(field) for field in ("hostname", "subdomain")
    )
    if old["metadata"].get("deletionTimestamp") != new["metadata"].get("deletionTimestamp"):
        return True, labels_changed
    if is_pod_ready(old) != is_pod_ready(new):
        return True, labels_changed
    old_ips = [ip.get("ip") for ip in (old.get("status") or {}).get("podIPs") or ()]
    new_ips = [ip.get("ip") for ip in (new.get("status") or {}).get("podIPs") or ()]
    return old_ips != new_ips, labels_changed


class ServiceIndex:
    """Services by one selector pair, pods by label pair, Service members and pod Services.

    `handle` reads the current store state, so calling it more than once for an event (from
    every controller that shares the index) is harmless; it also follows undo replays.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._last: WatchEvent | None = None
        self._selectors: dict[Key, dict[str, str]] = {}
        self._by_pair: dict[tuple[str, str, str], dict[str, None]] = {}
        self._members: dict[Key, dict[str, None]] = {}
        self._pod_services: dict[Key, dict[str, None]] = {}
        self._pod_labels: dict[Key, dict[str, str]] = {}
        self._pods_by_pair: dict[tuple[str, str, str], dict[str, None]] = {}

    def handle(self, event: WatchEvent) -> None:
        """Bring the entries of the event's Service or Pod up to date."""
        if event is self._last or event.kind not in ("Service", "Pod"):
            return
        self._last = event
        meta = event.subject["metadata"]
        if event.kind == "Service":
            self._sync_service(meta.get("namespace", ""), meta["name"])
        else:
            self._sync_pod(meta.get("namespace", ""), meta["name"])

    def services_for(self, namespace: str, labels: dict[str, str]) -> list[str]:
        """Names of the Services in `namespace` whose selector matches `labels`, sorted."""
        found = []
        for key, value in labels.items():
            for name in self._by_pair.get((namespace, key, value), ()):
                if selector_matches(self._selectors[(namespace, name)], labels):
                    found.append(name)
        return sorted(found)

    def pods_of(self, namespace: str, service: str) -> list[dict]:
        """The pods the Service's selector matches (any phase, with or without an IP).

        In creation order (creationTimestamp, then name), so that what controllers build from
        them is deterministic.
        """
        pods = [
            self.store.get("Pod", namespace, name)
            for name in self._members.get((namespace, service), ())
        ]
        return sorted(
            (p for p in pods if p is not None),
            key=lambda p: (p["metadata"].get("creationTimestamp", ""), p["metadata"]["name"]),
        )

    def services_to_update(self, event: WatchEvent) -> list[str]:
        """GetServicesToUpdateOnPodChange: the Services whose endpoints a Pod event may change."""
        old, new = event.old, event.obj
        pod = event.subject
        namespace = pod["metadata"].get("namespace", "")
        if old is None or new is None:
            return self.services_for(namespace, _labels(pod))
        pod_changed, labels_changed = _endpoints_changed(old, new)
        if not labels_changed:
            return self.services_for(namespace, _labels(new)) if pod_changed else []
        now = set(self.services_for(namespace, _labels(new)))
        before = set(self.services_for(namespace, _labels(old)))
        return sorted(now | before if pod_changed else now ^ before)

    def _sync_service(self, namespace: str, name: str) -> None:
        key = (namespace, name)
        service = self.store.get("Service", namespace, name)
        selector = dict(((service or {}).get("spec") or {}).get("selector") or {})
        old = self._selectors.get(key)
        if selector == (old or {}):
            return
        if old is not None:
            del self._selectors[key]
            self._discard(self._by_pair, _anchor(namespace, old), name)
            for pod in self._members.pop(key, {}):
                self._discard(self._pod_services, (namespace, pod), name)
        if not selector:
            return
        self._selectors[key] = selector
        self._by_pair.setdefault(_anchor(namespace, selector), {})[name] = None
        members: dict[str, None] = {}
        for pod_name in sorted(self._pods_by_pair.get(_anchor(namespace, selector), ())):
            if selector_matches(selector, self._pod_labels[(namespace, pod_name)]):
                members[pod_name] = None
                self._pod_services.setdefault((namespace, pod_name), {})[name] = None
        self._members[key] = members

    def _sync_pod(self, namespace: str, name: str) -> None:
        key = (namespace, name)
        pod = self.store.get("Pod", namespace, name)
        self._file_labels(key, _labels(pod) if pod is not None else None)
        now = self.services_for(namespace, _labels(pod)) if pod is not None else []
        before = self._pod_services.get(key, {})
        for service in before:
            if service not in now:
                self._discard(self._members, (namespace, service), name)
        for service in now:
            if service not in before:
                self._members.setdefault((namespace, service), {})[name] = None
        if now:
            self._pod_services[key] = dict.fromkeys(now)
        else:
            self._pod_services.pop(key, None)

    def _file_labels(self, key: Key, labels: dict[str, str] | None) -> None:
        """Keep the pod's labels and its entries under each of its label pairs current."""
        namespace, name = key
        old = self._pod_labels.get(key)
        if old == labels:
            return
        for pair in (old or {}).items():
            self._discard(self._pods_by_pair, (namespace, *pair), name)
        if labels is None:
            self._pod_labels.pop(key, None)
            return
        self._pod_labels[key] = dict(labels)
        for pair in labels.items():
            self._pods_by_pair.setdefault((namespace, *pair), {})[name] = None

    @staticmethod
    def _discard(table: dict, key: tuple, name: str) -> None:
        entries = table.get(key)
        if entries is not None:
            entries.pop(name, None)
            if not entries:
                del table[key]


def _anchor(namespace: str, selector: dict[str, str]) -> tuple[str, str, str]:
    """The one selector pair a Service is filed under: its smallest key."""
    key = min(selector)
    return namespace, key, selector[key]
