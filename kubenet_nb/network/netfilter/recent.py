"""The `recent` match's address lists (xt_recent), kept per node on the simulated clock.

Each node's kernel keeps its own lists, one per `--name`, of source addresses with the times
they were last `--set` (net/netfilter/xt_recent.c): at most `ip_list_tot` = 100 addresses per
list (the least recently used is evicted) and `ip_pkt_list_tot` = 20 time stamps per address.
`--rcheck --seconds S` matches when one stamp is no older than S seconds; `--reap` then drops
the list's least recently used address if all its stamps are older (never the one looked up).
kube-proxy's ClientIP affinity is built on these lists (`--set` in each KUBE-SEP chain, `--rcheck
--seconds <timeoutSeconds> --reap` in KUBE-SVC), so affinity lasts timeoutSeconds after the
client's last new connection.
"""

from __future__ import annotations

from collections import OrderedDict

__all__ = ["IP_LIST_TOT", "IP_PKT_LIST_TOT", "RecentTables"]

IP_LIST_TOT = 100
"""xt_recent module parameter `ip_list_tot`: addresses remembered per list."""
IP_PKT_LIST_TOT = 20
"""xt_recent module parameter `ip_pkt_list_tot`: time stamps remembered per address."""


class RecentTables:
    """One node's `recent` lists: name -> address -> time stamps (oldest first), in LRU order."""

    def __init__(self) -> None:
        self._lists: dict[str, OrderedDict[int, list[float]]] = {}

    def set(self, name: str, address: int, now: float) -> None:
        """`--set`: add the address (evicting the least recently used) or stamp it again."""
        entries = self._lists.setdefault(name, OrderedDict())
        stamps = entries.get(address)
        if stamps is None:
            if len(entries) >= IP_LIST_TOT:
                entries.popitem(last=False)
            entries[address] = [now]
            return
        stamps.append(now)
        del stamps[:-IP_PKT_LIST_TOT]
        entries.move_to_end(address)

    def check(self, name: str, address: int, now: float, seconds: float | None, reap: bool) -> bool:
        """`--rcheck [--seconds S [--reap]]`: is the address listed (recently enough)?"""
        entries = self._lists.get(name)
        stamps = entries.get(address) if entries else None
        if entries is None or stamps is None:
            return False
        if seconds is None:
            return True
        oldest = now - seconds
        hit = any(stamp >= oldest for stamp in stamps)
        if reap:
            lru_address, lru_stamps = next(iter(entries.items()))
            if lru_address != address and lru_stamps[-1] < oldest:
                del entries[lru_address]
        return hit

    def remove(self, name: str, address: int) -> bool:
        """`--remove`: drop the address; matches when it was listed."""
        entries = self._lists.get(name)
        return entries is not None and entries.pop(address, None) is not None

    def last_seen(self, name: str, address: int) -> float | None:
        """When the address was last stamped in a list (None when not listed)."""
        entries = self._lists.get(name)
        stamps = entries.get(address) if entries is not None else None
        return stamps[-1] if stamps else None

    def names(self) -> list[str]:
        return sorted(self._lists)
