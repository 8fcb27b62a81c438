"""The object store: what etcd holds behind the API server, with watch events and undo.

Objects are plain dicts shaped as the API returns them. The store never copies on read (callers
inside the engine treat stored objects as frozen and write new ones); `clone` gives a cheap deep
copy for callers outside. Every write inside `transaction()` is journaled so that a refused
request can be undone completely, allocations included (see `on_undo`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kubenet_nb.api.errors import AlreadyExists, NotFound
from kubenet_nb.api.kinds import ResourceTable

__all__ = ["Store", "Transaction", "WatchEvent", "clone"]

Key = tuple[str, str]


@dataclass(frozen=True)
class WatchEvent:
    """One write: ADDED, MODIFIED or DELETED, the new and old object; `replay` marks an undo."""

    type: str
    kind: str
    obj: dict | None
    old: dict | None
    replay: bool = False

    @property
    def subject(self) -> dict:
        """The object the event is about: the new one, or the old one when it was deleted."""
        obj = self.obj or self.old
        assert obj is not None, "a watch event carries the new object, the old one or both"
        return obj


def clone(value: Any) -> Any:
    """Deep-copy JSON-shaped data (dicts, lists, scalars), several times faster than deepcopy."""
    if isinstance(value, dict):
        return {k: clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clone(v) for v in value]
    return value


class Store:
    """Objects by kind and (namespace, name), a resourceVersion counter and watchers."""

    def __init__(self, resources: ResourceTable | None = None) -> None:
        self.resources = resources or ResourceTable()
        """What the API server serves: the names its NotFound and AlreadyExists errors use."""
        self._objects: dict[str, dict[Key, dict]] = {}
        self._by_namespace: dict[str, dict[str, dict[str, dict]]] = {}
        self._watchers: list[Callable[[WatchEvent], None]] = []
        self._journal: list[Callable[[], object]] | None = None
        self._spare: list[Callable[[], object]] = []
        self._sorted: dict[tuple[str, str | None], list] = {}
        self.resource_version = 0

    def watch(self, callback: Callable[[WatchEvent], None]) -> None:
        """Call `callback` synchronously after every write (controllers only mark work here)."""
        self._watchers.append(callback)

    def get(self, kind: str, namespace: str, name: str) -> dict | None:
        return self._objects.get(kind, {}).get((namespace, name))

    def require(self, kind: str, namespace: str, name: str) -> dict:
        """The stored object, or the API server's NotFound."""
        obj = self.get(kind, namespace, name)
        if obj is None:
            info = self.resources.by_kind(kind)
            raise NotFound(info.plural, name, info.group)
        return obj

    def list(self, kind: str, namespace: str | None = None) -> list[dict]:
        """Objects of a kind, in one namespace or all, sorted by (namespace, name) as the API is;
        the order is sorted once per set of keys, not on every call."""
        order = self._sorted.get((kind, namespace))
        if namespace is None:
            objects = self._objects.get(kind, {})
            if order is None:
                order = self._sorted[(kind, None)] = sorted(objects)
            return [objects[k] for k in order]
        names = self._by_namespace.get(kind, {}).get(namespace, {})
        if order is None:
            order = self._sorted[(kind, namespace)] = sorted(names)
        return [names[n] for n in order]

    def count(self, kind: str) -> int:
        return len(self._objects.get(kind, {}))

    def _next_version(self) -> str:
        self.resource_version += 1
        return str(self.resource_version)

    def create(self, obj: dict) -> dict:
        """Store a new object; AlreadyExists when the name is taken."""
        kind, meta = obj["kind"], obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        if key in self._objects.get(kind, {}):
            info = self.resources.by_kind(kind)
            raise AlreadyExists(info.plural, meta["name"], info.group)
        meta["resourceVersion"] = self._next_version()
        self._put(kind, key, obj)
        self._record(lambda: self._replay_remove(kind, key, obj))
        self._notify(WatchEvent("ADDED", kind, obj, None))
        return obj

    def update(self, obj: dict) -> dict:
        """Replace a stored object with a new dict (never the stored one mutated in place)."""
        kind, meta = obj["kind"], obj["metadata"]
        key = (meta.get("namespace", ""), meta["name"])
        old = self._objects.get(kind, {}).get(key)
        if old is None:
            info = self.resources.by_kind(kind)
            raise NotFound(info.plural, meta["name"], info.group)
        meta["resourceVersion"] = self._next_version()
        self._put(kind, key, obj)
        self._record(lambda: self._replay_put(kind, key, old, obj))
        self._notify(WatchEvent("MODIFIED", kind, obj, old))
        return obj

    def delete(self, kind: str, namespace: str, name: str) -> dict:
        """Remove an object for good (finalization is the caller's business)."""
        old = self.require(kind, namespace, name)
        key = (namespace, name)
        self._next_version()
        self._remove(kind, key)
        self._record(lambda: self._replay_put(kind, key, old, None))
        self._notify(WatchEvent("DELETED", kind, None, old))
        return old

    def _put(self, kind: str, key: Key, obj: dict) -> None:
        if key not in self._objects.get(kind, {}):
            self._forget_order(kind, key[0])
        self._objects.setdefault(kind, {})[key] = obj
        self._by_namespace.setdefault(kind, {}).setdefault(key[0], {})[key[1]] = obj

    def _forget_order(self, kind: str, namespace: str) -> None:
        """The sorted key lists `list` keeps go stale when a key comes or goes (not on update)."""
        self._sorted.pop((kind, None), None)
        self._sorted.pop((kind, namespace), None)

    def _remove(self, kind: str, key: Key) -> None:
        self._forget_order(kind, key[0])
        del self._objects[kind][key]
        names = self._by_namespace[kind][key[0]]
        del names[key[1]]
        if not names:
            del self._by_namespace[kind][key[0]]

    def _replay_remove(self, kind: str, key: Key, obj: dict) -> None:
        self._remove(kind, key)
        self._notify(WatchEvent("DELETED", kind, None, obj, replay=True))

    def _replay_put(self, kind: str, key: Key, obj: dict, current: dict | None) -> None:
        self._put(kind, key, obj)
        event_type = "ADDED" if current is None else "MODIFIED"
        self._notify(WatchEvent(event_type, kind, obj, current, replay=True))

    def _notify(self, event: WatchEvent) -> None:
        for watcher in self._watchers:
            watcher(event)

    def _record(self, undo: Callable[[], object]) -> None:
        if self._journal is not None:
            self._journal.append(undo)

    def on_undo(self, undo: Callable[[], object]) -> None:
        """Register how to reverse a side effect outside the store (an allocation, a clock)."""
        self._record(undo)

    @property
    def in_transaction(self) -> bool:
        return self._journal is not None

    def transaction(self) -> Transaction:
        """All or nothing: on an exception every write and side effect is undone, newest first.

        Inside another transaction this is a savepoint: an exception undoes only what was
        written since it began (and propagates), so one controller's sync can fail alone.
        Undo writes are announced to watchers as `replay` events, so indexes kept beside the
        store follow; controllers must not start new work from them.
        """
        return Transaction(self)


class Transaction:
    """`Store.transaction()`'s context manager. A savepoint is a mark in the journal and the
    resourceVersion it began at; an outermost transaction journals into the store's spare list
    (emptied when it ends), so a unit that writes nothing allocates nothing but this object."""

    __slots__ = ("mark", "outer", "store", "version")

    def __init__(self, store: Store) -> None:
        self.store = store

    def __enter__(self) -> None:
        store = self.store
        outer = self.outer = store._journal
        journal = outer
        if journal is None:
            journal = store._spare
            if journal:  # begun while an outer one is undoing (never in the engine): a new list
                journal = []
            store._journal = journal
        self.mark = len(journal)
        self.version = store.resource_version

    def __exit__(self, kind: type[BaseException] | None, error: object, traceback: object) -> None:
        store = self.store
        journal = store._journal
        assert journal is not None, "a transaction ends inside the one it began in"
        try:
            if kind is not None:
                store._journal = None
                mark = self.mark
                for undo in reversed(journal[mark:]):
                    undo()
                del journal[mark:]
                store.resource_version = self.version
        finally:
            if self.outer is None:
                journal.clear()
            store._journal = self.outer
