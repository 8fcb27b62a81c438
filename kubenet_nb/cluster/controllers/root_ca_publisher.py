"""The root-ca-cert-publisher: `kube-root-ca.crt` with the cluster CA in every namespace.

kubernetes/kubernetes @ v1.33.0 pkg/controller/certificates/rootcacertpublisher/publisher.go:
a namespace is synced when it is added or updated and when its kube-root-ca.crt is updated or
deleted; syncNamespace creates the ConfigMap when it is missing (giving up quietly on a
terminating namespace) and puts back its data and description annotation when they differ.
"""

from __future__ import annotations

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.bootstrap.config_maps import (
    ROOT_CA_CONFIG_MAP,
    ROOT_CA_DESCRIPTION_ANNOTATION,
    root_ca_config_map,
)
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.kind import KindSettings
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["RootCACertPublisher"]


class RootCACertPublisher(Controller):
    """Keys: ("", namespace)."""

    name = "root-ca-cert-publisher"

    def __init__(self, store: Store, writer: ApiServer, settings: KindSettings) -> None:
        super().__init__()
        self.store, self.writer, self.settings = store, writer, settings

    def handle(self, event: WatchEvent) -> None:
        if event.replay:
            return
        if event.kind == "Namespace" and event.obj is not None:
            self.enqueue("", event.obj["metadata"]["name"])
        elif event.kind == "ConfigMap":
            meta = event.subject["metadata"]
            if meta["name"] == ROOT_CA_CONFIG_MAP and event.old is not None:
                self.enqueue("", meta["namespace"])

    def reconcile(self, namespace: str, name: str) -> None:
        """Sync the namespace `name` (a cluster-scoped key: `namespace` is "")."""
        ns = self.store.get("Namespace", "", name)
        if ns is None or ns["metadata"].get("deletionTimestamp"):
            return
        desired = root_ca_config_map(name, self.settings)
        current = self.store.get("ConfigMap", name, ROOT_CA_CONFIG_MAP)
        if current is None:
            self.writer.create(desired, trusted=True, copied=True)
            return
        annotations = current["metadata"].get("annotations") or {}
        if current.get("data") == desired["data"] and annotations.get(
            ROOT_CA_DESCRIPTION_ANNOTATION
        ):
            return
        updated = {**current, "data": desired["data"]}
        updated["metadata"] = {
            **current["metadata"],
            "annotations": {**annotations, **desired["metadata"]["annotations"]},
        }
        self.writer.update(updated, trusted=True)
