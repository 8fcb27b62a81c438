"""Pod address management: a /24 (by default) per node from the cluster CIDR, pod IPs inside it.

Node CIDRs are handed out in order, lowest first, as kube-controller-manager's range allocator
(pkg/controller/nodeipam/ipam/cidrset) does. Pod IPs come from the node's CIDR as kindnet's
host-local IPAM gives them: the gateway (.1) is reserved, allocation walks forward from the last
IP handed out and wraps, so a freed address is not reused at once.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable

__all__ = ["NodeCIDRAllocator", "PodIPAllocator"]

Undo = Callable[[Callable[[], object]], None]


class NodeCIDRAllocator:
    """Subnets of `mask` bits out of the cluster CIDR, one per node."""

    def __init__(self, cluster_cidr: str, mask: int, on_undo: Undo) -> None:
        self.network = ipaddress.ip_network(cluster_cidr)
        if mask < self.network.prefixlen:
            raise ValueError(
                f"node CIDR mask /{mask} is larger than the cluster CIDR {cluster_cidr}"
            )
        self.mask = mask
        self._step = 1 << (self.network.max_prefixlen - mask)
        self._size = 1 << (mask - self.network.prefixlen)
        self._used: dict[int, str] = {}
        self._on_undo = on_undo

    def _subnet(self, index: int) -> str:
        base = int(self.network.network_address) + index * self._step
        return str(ipaddress.ip_network((base, self.mask)))

    def allocate(self, node: str) -> str | None:
        """The lowest free subnet, or None when the cluster CIDR is exhausted."""
        for index in range(self._size):
            if index not in self._used:
                self._claim(index, node)
                return self._subnet(index)
        return None

    def _claim(self, index: int, node: str) -> None:
        self._used[index] = node
        self._on_undo(lambda: self._used.pop(index, None))

    def release(self, cidr: str) -> None:
        subnet = ipaddress.ip_network(cidr)
        index = (int(subnet.network_address) - int(self.network.network_address)) // self._step
        node = self._used.pop(index, None)
        if node is not None:
            self._on_undo(lambda: self._used.__setitem__(index, node))


class PodIPAllocator:
    """host-local IPAM for one node's pod CIDR."""

    def __init__(self, cidr: str, on_undo: Undo) -> None:
        self.network = ipaddress.ip_network(cidr)
        self._first = int(self.network.network_address) + 2
        self._last = int(self.network.broadcast_address) - 1
        self._next = self._first
        self._used: set[int] = set()
        self._on_undo = on_undo

    def allocate(self) -> str | None:
        """The next free IP after the last one handed out, or None when the range is full."""
        span = self._last - self._first + 1
        if len(self._used) >= span:
            return None
        candidate = self._next
        while candidate in self._used:
            candidate = candidate + 1 if candidate < self._last else self._first
        previous = self._next
        self._used.add(candidate)
        self._next = candidate + 1 if candidate < self._last else self._first
        self._on_undo(lambda: self._undo_allocate(candidate, previous))
        return str(ipaddress.ip_address(candidate))

    def _undo_allocate(self, address: int, previous: int) -> None:
        self._used.discard(address)
        self._next = previous

    def release(self, ip: str) -> None:
        address = int(ipaddress.ip_address(ip))
        if address in self._used:
            self._used.discard(address)
            self._on_undo(lambda: self._used.add(address))

    def __len__(self) -> int:
        return len(self._used)
