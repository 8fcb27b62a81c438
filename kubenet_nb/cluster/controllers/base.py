"""The shape every controller shares: watch events mark keys dirty, `sync` works them off.

Controllers are level-triggered like upstream's: a key is a (namespace, name) of the object to
reconcile, queued at most once; `sync` reads the store and writes through the ApiServer.
"""

from __future__ import annotations

from kubenet_nb.cluster.store import WatchEvent

__all__ = ["Controller"]


class Controller:
    """Base class: a de-duplicated, insertion-ordered work queue of keys."""

    name = "controller"

    def __init__(self) -> None:
        self._queue: dict[tuple[str, str], None] = {}

    def handle(self, event: WatchEvent) -> None:
        """Update indexes from an event and enqueue affected keys (replays: indexes only)."""

    def enqueue(self, namespace: str, name: str) -> None:
        self._queue[(namespace, name)] = None

    def pending(self) -> bool:
        return bool(self._queue)

    def sync(self) -> None:
        """Reconcile every queued key, in the order they were queued."""
        while self._queue:
            key = next(iter(self._queue))
            del self._queue[key]
            self.reconcile(*key)

    def reconcile(self, namespace: str, name: str) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        """Forget queued work (after a refused request was undone)."""
        self._queue.clear()
