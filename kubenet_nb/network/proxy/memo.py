"""Bounded memos for what the proxy derives from stored objects, so a node's render is cheap.

Two kinds, both least-recently-used and bounded. `ObjectMemo` keys on one stored API dict: the
store never changes a stored dict in place (a write stores a new one with a new
resourceVersion), so what was derived from that very dict stays valid. `IdentityMemo` keys on
derived objects (service ports, endpoint tuples) by identity. Both keep the keyed objects with the
result, so an id cannot be reused while its entry lives, and an entry is never out of date: a
changed object is a new object, and a new object misses.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from typing import Any

__all__ = ["IdentityMemo", "ObjectMemo"]


class IdentityMemo:
    """Results keyed on the identity of some objects plus hashable extras."""

    def __init__(self, size: int) -> None:
        self._data: OrderedDict[tuple, tuple[tuple[object, ...], Any]] = OrderedDict()
        self._size = size

    def get(self, objects: tuple[object, ...], extra: Hashable, make: Callable[[], Any]) -> Any:
        key = (*map(id, objects), extra)
        entry = self._data.get(key)
        if entry is not None:
            self._data.move_to_end(key)
            return entry[1]
        value = make()
        self._data[key] = (objects, value)
        if len(self._data) > self._size:
            self._data.popitem(last=False)
        return value


def _stored(obj: dict) -> bool:
    return bool(obj.get("metadata", {}).get("resourceVersion"))


class ObjectMemo:
    """Results keyed on one stored API dict, or on a list of them (in order). Dicts without a
    resourceVersion (hand-built ones, which callers may mutate) are never memoised."""

    def __init__(self, size: int) -> None:
        self._memo = IdentityMemo(size)

    def get(self, obj: dict, extra: Hashable, make: Callable[[], Any]) -> Any:
        if not _stored(obj):
            return make()
        return self._memo.get((obj,), extra, make)

    def get_all(self, objs: Sequence[dict], extra: Hashable, make: Callable[[], Any]) -> Any:
        if not all(map(_stored, objs)):
            return make()
        return self._memo.get(tuple(objs), extra, make)
