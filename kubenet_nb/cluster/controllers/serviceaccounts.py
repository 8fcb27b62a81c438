"""The serviceaccounts controller: a `default` ServiceAccount in every active namespace.

kubernetes/kubernetes @ v1.33.0 pkg/controller/serviceaccount/serviceaccounts_controller.go: a
namespace is synced when it is added or updated and when one of its ServiceAccounts is deleted;
syncNamespace skips namespaces that are not Active and creates each missing account (only
`default`, DefaultServiceAccountsControllerOptions). Here it runs right after the write that
made the namespace, so a pod in a brand-new namespace finds its `default` account.
"""

from __future__ import annotations

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.bootstrap.service_accounts import DEFAULT_SERVICE_ACCOUNT, service_account
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["ServiceAccountsController"]


class ServiceAccountsController(Controller):
    """Keys: ("", namespace)."""

    name = "service-account-controller"

    def __init__(self, store: Store, writer: ApiServer) -> None:
        super().__init__()
        self.store, self.writer = store, writer

    def handle(self, event: WatchEvent) -> None:
        if event.replay:
            return
        if event.kind == "Namespace" and event.obj is not None:
            self.enqueue("", event.obj["metadata"]["name"])
        elif event.kind == "ServiceAccount" and event.obj is None:
            self.enqueue("", event.subject["metadata"]["namespace"])

    def reconcile(self, namespace: str, name: str) -> None:
        """Sync the namespace `name` (a cluster-scoped key: `namespace` is "")."""
        ns = self.store.get("Namespace", "", name)
        if ns is None or ns.get("status", {}).get("phase") != "Active":
            return
        if self.store.get("ServiceAccount", name, DEFAULT_SERVICE_ACCOUNT) is None:
            account = service_account(name, DEFAULT_SERVICE_ACCOUNT)
            self.writer.create(account, trusted=True, copied=True)
