"""The shape shared by controllers that own objects of another kind (Deployments own
ReplicaSets; ReplicaSets and DaemonSets own Pods): their own and their dependents' events queue
the owner, and the owner's dependents come from the ownerReference index. Strays are looked for
only when an owner's selector or a dependent's labels may have changed, so that a sync costs what
changed, not the size of the owner."""

from __future__ import annotations

from kubenet_nb.api.selectors import selector_from_label_selector
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ownership import OwnerIndex, controller_of
from kubenet_nb.cluster.store import Store, WatchEvent

__all__ = ["WorkloadController"]


class WorkloadController(Controller):
    """Reconciles objects of `kind` keyed by (namespace, name); they own `dependent_kind`."""

    kind = ""
    dependent_kind = ""

    def __init__(self, store: Store, api: ApiServer, owners: OwnerIndex) -> None:
        super().__init__()
        self.store, self.api, self.owners = store, api, owners
        self._may_have_strays: set[tuple[str, str]] = set()

    def handle(self, event: WatchEvent) -> None:
        obj = event.subject
        if event.kind == self.kind:
            key = (obj["metadata"]["namespace"], obj["metadata"]["name"])
            if event.replay or _differs(event, "spec", "selector"):
                self._may_have_strays.add(key)
            if event.obj is not None and not event.replay:
                self.enqueue(*key)
        elif event.kind == self.dependent_kind:
            ref = controller_of(obj)
            if ref is not None and ref["kind"] == self.kind:
                key = (obj["metadata"]["namespace"], ref["name"])
                if event.replay or _differs(event, "metadata", "labels"):
                    self._may_have_strays.add(key)
                if not event.replay:
                    self.enqueue(*key)

    def release_strays(self, owner: dict) -> None:
        """ClaimPods: dependents whose labels no longer match the owner's selector are let go
        (their controller reference removed), so the owner replaces them."""
        key = (owner["metadata"]["namespace"], owner["metadata"]["name"])
        if key not in self._may_have_strays:
            return
        self._may_have_strays.discard(key)
        selector = selector_from_label_selector(owner["spec"].get("selector"))
        uid = owner["metadata"]["uid"]
        for obj in self.dependents(owner):
            if selector.matches(obj["metadata"].get("labels") or {}):
                continue
            meta = obj["metadata"]
            refs = [ref for ref in meta.get("ownerReferences", []) if ref.get("uid") != uid]
            released = {k: v for k, v in meta.items() if k != "ownerReferences"}
            if refs:
                released["ownerReferences"] = refs
            self.api.update({**obj, "metadata": released}, trusted=True)

    def dependents(self, owner: dict) -> list[dict]:
        """The owner's dependents that still exist, in the order they were indexed."""
        namespace = owner["metadata"]["namespace"]
        found = (
            self.store.get(self.dependent_kind, namespace, name)
            for _, _, name in self.owners.dependents(owner["metadata"]["uid"], self.dependent_kind)
        )
        return [obj for obj in found if obj is not None]


def _differs(event: WatchEvent, section: str, field: str) -> bool:
    """Whether a write may have changed `obj[section][field]` (a new object always may)."""
    if event.obj is None:
        return False
    if event.old is None:
        return True
    return (event.obj.get(section) or {}).get(field) != (event.old.get(section) or {}).get(field)
