"""Garbage collection and namespace deletion: dependents follow their owners out of the store.

Deletion propagates in the background, as `kubectl delete` asks by default: deleting a
Deployment deletes its ReplicaSets, whose Pods then terminate gracefully. A terminating namespace
has its contents deleted and disappears once nothing is left in it.
"""

from __future__ import annotations

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ownership import OwnerIndex
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["GarbageCollector"]


class GarbageCollector(Controller):
    """Queue keys: ("uid", owner uid) for orphans to delete, ("ns", name) for namespaces."""

    name = "garbage-collector"

    def __init__(self, store: Store, api: ApiServer, owners: OwnerIndex) -> None:
        super().__init__()
        self.store, self.api, self.owners = store, api, owners

    def handle(self, event: WatchEvent) -> None:
        if event.replay:
            return
        if event.obj is None:
            old = event.subject
            self.enqueue("uid", old["metadata"].get("uid", ""))
            namespace = old["metadata"].get("namespace")
            if namespace and self._terminating(namespace):
                self.enqueue("ns", namespace)
        elif event.kind == "Namespace" and event.obj["metadata"].get("deletionTimestamp"):
            self.enqueue("ns", event.obj["metadata"]["name"])

    def _terminating(self, namespace: str) -> bool:
        obj = self.store.get("Namespace", "", namespace)
        return obj is not None and bool(obj["metadata"].get("deletionTimestamp"))

    def reconcile(self, what: str, name: str) -> None:
        if what == "uid":
            for kind, namespace, dependent in self.owners.dependents(name):
                if self.store.get(kind, namespace, dependent) is not None:
                    self.api.delete(kind, namespace, dependent)
        else:
            self._empty_namespace(name)

    def _empty_namespace(self, namespace: str) -> None:
        remaining = False
        for kind in self.store.resources.namespaced_kinds():
            for obj in self.store.list(kind, namespace):
                remaining = True
                if not obj["metadata"].get("deletionTimestamp"):
                    self.api.delete(kind, namespace, obj["metadata"]["name"])
        if not remaining and self.store.get("Namespace", "", namespace) is not None:
            self.api.remove("Namespace", "", namespace)
