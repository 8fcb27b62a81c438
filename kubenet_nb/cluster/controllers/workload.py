"""The shape shared by controllers that own objects of another kind (Deployments own
ReplicaSets; ReplicaSets and DaemonSets own Pods): their own and their dependents' events queue
the owner, and the owner's dependents come from the ownerReference index. Strays are looked for
only when an owner's selector or a dependent's labels may have changed, so that a sync costs what
changed, not the size of the owner. A controller that must look again later, when nothing will
have changed (a pod's minReadySeconds passing, a progress deadline), requeues its key on the
simulated clock, as upstream's `queue.AddAfter`."""

from __future__ import annotations

from kubenet_nb.api.selectors import selector_from_label_selector
from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.controllers.base import Controller
from kubenet_nb.cluster.ownership import OwnerIndex, controller_of
from kubenet_nb.cluster.store import Store, WatchEvent
from kubenet_nb.cluster.timers import Timers

__all__ = ["WorkloadController"]


class WorkloadController(Controller):
    """Reconciles objects of `kind` keyed by (namespace, name); they own `dependent_kind`."""

    kind = ""
    dependent_kind = ""

    def __init__(self, store: Store, api: ApiServer, owners: OwnerIndex, timers: Timers) -> None:
        super().__init__()
        self.store, self.api, self.owners = store, api, owners
        self.timers = timers
        """The cluster's timers, for `requeue_at`."""
        self._may_have_strays: set[tuple[str, str]] = set()
        self._wakeups: dict[tuple[str, str], float] = {}
        """Key -> the clock second its earliest pending requeue is due."""

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

    def requeue_at(self, key: tuple[str, str], due: float) -> None:
        """queue.AddAfter: sync `key` again when the simulated clock reaches `due` (one timer per
        key: an earlier one already set covers a later request)."""
        pending = self._wakeups.get(key)
        if pending is not None and pending <= due:
            return
        self._wakeups[key] = due
        self.store.on_undo(lambda: self._forget_wakeup(key, due, pending))

        def wake() -> None:
            if self._wakeups.get(key) == due:
                del self._wakeups[key]
                self.store.on_undo(lambda: self._wakeups.__setitem__(key, due))
                self.enqueue(*key)

        self.timers.at(due, wake)

    def _forget_wakeup(self, key: tuple[str, str], due: float, pending: float | None) -> None:
        """Undo of `requeue_at`: the requeue it replaced is pending again."""
        if self._wakeups.get(key) != due:
            return
        if pending is None:
            del self._wakeups[key]
        else:
            self._wakeups[key] = pending

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
