"""What each stored API object contributes to a view of the cluster, derived once per stored dict.

The data plane's topology and the DNS zone are rebuilt for every store version, but a change
touches few objects. `Parts` derives one object's contribution (its part) once, and for a list
of objects hands back the parts in the list's order, deriving only the objects it has not seen,
so the first view after a change costs in Python what the change touched, plus a few passes
over the list that run in C (they read ids only, never the objects, so a cold heap costs little).

Entries are keyed on the identity of the stored dict and hold the dict, so an id cannot be
reused while its entry lives; the store never changes a stored dict in place (a write stores a
new dict with a new resourceVersion), so a part derived from that very dict stays valid. A dict
without a resourceVersion (a hand-built one, which its caller may change) is derived on every
call and never kept. Entries of objects no longer listed are dropped once they are more than an
eighth of the list, so a `Parts` holds about one cluster's worth. This is the design of the
proxy's `memo.py` (`ObjectMemo`), for whole lists at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import compress, repeat
from operator import is_
from typing import Generic, TypeVar

__all__ = ["SLACK", "Parts"]

T = TypeVar("T")

SLACK = 8
"""Entries of objects no longer listed are dropped once they exceed 1/SLACK of the list (plus
SLACK): dropping costs a pass over the ids, so it is not done after every change."""
_UNSEEN = object()


class Parts(Generic[T]):
    """One derivation (`derive(obj)`) applied to lists of stored API dicts, memoised per dict."""

    def __init__(self, derive: Callable[[dict], T]) -> None:
        self._derive = derive
        self._parts: dict[int, T] = {}
        self._objects: dict[int, dict] = {}
        """The dicts the parts were derived from, kept alive so that their ids stay theirs."""

    def __len__(self) -> int:
        """How many stored dicts have a kept part."""
        return len(self._parts)

    def of(self, objs: Sequence[dict]) -> list[T]:
        """The part of each object, in order; derives only the objects not seen before."""
        count = len(objs)
        ids = list(map(id, objs))
        kept = self._parts
        found: list = list(map(kept.get, ids, repeat(_UNSEEN, count)))
        for position in compress(range(count), map(is_, found, repeat(_UNSEEN, count))):
            obj = objs[position]
            found[position] = part = self._derive(obj)
            if obj.get("metadata", {}).get("resourceVersion"):
                key = ids[position]
                kept[key], self._objects[key] = part, obj
        if len(kept) > count + count // SLACK + SLACK:
            for stale in kept.keys() - set(ids):
                del kept[stale], self._objects[stale]
        return found
