"""Things due at a later simulated time (a pod's containers exiting, a grace period ending)."""

from __future__ import annotations

import heapq
from collections.abc import Callable

__all__ = ["Timers"]


class Timers:
    """A queue of callbacks ordered by due time, then by the order they were set."""

    def __init__(self, on_undo: Callable[[Callable[[], object]], None]) -> None:
        self._heap: list[list] = []
        self._seq = 0
        self._on_undo = on_undo

    def at(self, due: float, callback: Callable[[], None]) -> None:
        self._seq += 1
        entry = [due, self._seq, callback, True]
        heapq.heappush(self._heap, entry)
        self._on_undo(lambda: entry.__setitem__(3, False))

    def next_due(self) -> float | None:
        while self._heap and not self._heap[0][3]:
            heapq.heappop(self._heap)
        return self._heap[0][0] if self._heap else None

    def pop_due(self, now: float) -> Callable[[], None] | None:
        """The earliest callback due at or before `now`, removed from the queue."""
        due = self.next_due()
        if due is None or due > now:
            return None
        return heapq.heappop(self._heap)[2]
