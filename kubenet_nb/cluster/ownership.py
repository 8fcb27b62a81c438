"""Who owns whom: an index of controller ownerReferences, for controllers and garbage collection."""

from __future__ import annotations

from collections import defaultdict

from kubenet_nb.cluster.store import WatchEvent

__all__ = ["OwnerIndex", "controller_of"]

ObjectKey = tuple[str, str, str]


def controller_of(obj: dict) -> dict | None:
    """The ownerReference with `controller: true`, if any."""
    for ref in obj["metadata"].get("ownerReferences", ()):
        if ref.get("controller"):
            return ref
    return None


class OwnerIndex:
    """Dependents by owner uid, kept current from watch events (replays included)."""

    def __init__(self) -> None:
        self._dependents: dict[str, dict[ObjectKey, None]] = defaultdict(dict)

    def handle(self, event: WatchEvent) -> None:
        for obj, add in ((event.old, False), (event.obj, True)):
            if obj is None:
                continue
            key = (obj["kind"], obj["metadata"].get("namespace", ""), obj["metadata"]["name"])
            for ref in obj["metadata"].get("ownerReferences", ()):
                if add:
                    self._dependents[ref["uid"]][key] = None
                else:
                    self._dependents[ref["uid"]].pop(key, None)
                    if not self._dependents[ref["uid"]]:
                        del self._dependents[ref["uid"]]

    def dependents(self, uid: str, kind: str | None = None) -> list[ObjectKey]:
        """Keys of the objects that name `uid` as an owner, optionally of one kind."""
        keys = self._dependents.get(uid, {})
        return [k for k in keys if kind is None or k[0] == kind]
