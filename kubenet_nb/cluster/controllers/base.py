"""The shape every controller shares: watch events mark keys dirty, `sync` works them off.

Controllers are level-triggered like upstream's: a key is a (namespace, name) of the object to
reconcile, queued at most once; `sync` reads the store and writes through the ApiServer. The
ControlPlane runs each key's `reconcile` as its own all-or-nothing unit: a refusal undoes that
sync alone and the key is retried later (a `SyncError` also names the event to record).
"""

from __future__ import annotations

from kubenet_nb.api.errors import KubenetError, StatusError
from kubenet_nb.cluster.store import WatchEvent

__all__ = ["Controller", "SyncError", "error_text"]


def error_text(error: KubenetError) -> str:
    """The error as Go's `%v` prints it in an event: a Status error's message, not kubectl's
    `Error from server (...)` wrapping."""
    return error.message if isinstance(error, StatusError) else str(error)


class SyncError(KubenetError):
    """A controller's sync refused by the API server, with the Warning event the controller
    records about its object (`FailedCreate`, `Error creating: ...`)."""

    def __init__(self, obj: dict, reason: str, message: str) -> None:
        super().__init__(message)
        self.obj, self.reason, self.message = obj, reason, message


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

    def pop(self) -> tuple[str, str] | None:
        """The oldest queued key, taken off the queue; None when there is nothing to do."""
        if not self._queue:
            return None
        key = next(iter(self._queue))
        del self._queue[key]
        return key

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
