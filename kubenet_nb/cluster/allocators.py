"""ClusterIP and NodePort allocators: the API server's cluster-wide pools of VIPs and node ports.

Both split their range in two bands (KEP-3070): a low "static" band that dynamic allocation only
uses once the upper band is full, so that hand-picked values (10.96.0.10 for kube-dns) rarely
collide. Dynamic allocation starts at a random place in a band and walks forward, wrapping, to
the first free value, as upstream does (pkg/registry/core/service/ipallocator/ipallocator.go
allocateNextService, pkg/registry/core/service/allocator/bitmap.go randomScanStrategyWithOffset).
Randomness comes from the cluster's seeded generator; every change registers its undo.
"""

from __future__ import annotations

import ipaddress
import random
from collections.abc import Callable

from kubenet_nb.api.errors import KubenetError

__all__ = [
    "AllocationError",
    "ClusterIPAllocator",
    "NodePortAllocator",
    "ip_range_offset",
    "port_range_offset",
]

Undo = Callable[[Callable[[], object]], None]
MAX_RANGE_SIZE = 1 << 24
"""The simulator keeps one byte per value; larger service CIDRs are refused."""


class AllocationError(KubenetError):
    """A refused allocation; `str()` is the allocator's own error text (`range is full`)."""


def ip_range_offset(cidr_size: int) -> int:
    """Size of the static band of a service CIDR: min(max(16, size/16), 256), 0 up to /28.

    ipallocator calculateRangeOffset; cidr_size counts every address of the CIDR.
    >>> ip_range_offset(256), ip_range_offset(65536), ip_range_offset(16)
    (16, 256, 0)
    """
    if cidr_size <= 16:
        return 0
    return min(max(16, cidr_size // 16), 256)


def port_range_offset(size: int) -> int:
    """Size of the static band of a node-port range: min(max(16, size/32), 128), 0 up to 16.

    portallocator calculateRangeOffset.
    >>> port_range_offset(2768)
    86
    """
    if size <= 16:
        return 0
    return min(max(16, size // 32), 128)


class _Bands:
    """Values 0..size-1, the first `offset` of them the static band; one byte each."""

    def __init__(self, size: int, offset: int, on_undo: Undo) -> None:
        self.size = size
        self.offset = offset
        self.used = 0
        self._taken = bytearray(size)
        self._on_undo = on_undo

    def has(self, index: int) -> bool:
        return bool(self._taken[index])

    def take(self, index: int) -> bool:
        """Mark one value used; False if it already was."""
        if self._taken[index]:
            return False
        self._set(index, 1)
        self._on_undo(lambda: self._set(index, 0))
        return True

    def free(self, index: int) -> None:
        """Give a value back; releasing a free value is a no-op, as upstream's Release."""
        if self._taken[index]:
            self._set(index, 0)
            self._on_undo(lambda: self._set(index, 1))

    def _set(self, index: int, flag: int) -> None:
        self.used += 1 if flag else -1
        self._taken[index] = flag

    def _scan(self, low: int, high: int, rng: random.Random) -> int:
        """The first free value from a random start in [low, high), wrapping; -1 if none."""
        start = low + rng.randrange(high - low)
        found = self._taken.find(0, start, high)
        return found if found >= 0 else self._taken.find(0, low, start)

    def take_next(self, rng: random.Random) -> int | None:
        """Upper band first, then the static band; None when both are full."""
        found = self._scan(self.offset, self.size, rng) if self.size > self.offset else -1
        if found < 0 and self.offset:
            found = self._scan(0, self.offset, rng)
        if found < 0:
            return None
        self.take(found)
        return found


class ClusterIPAllocator:
    """Service VIPs from one service CIDR (`--service-cluster-ip-range`), one IP family."""

    def __init__(self, cidr: str, rng: random.Random, on_undo: Undo) -> None:
        self.network = ipaddress.ip_network(cidr)
        self.family = "IPv4" if self.network.version == 4 else "IPv6"
        # IPv4 leaves out the network and broadcast addresses, IPv6 only the network address
        # (ipallocator.go NewIPAllocator).
        self._first = int(self.network.network_address) + 1
        last = int(self.network.broadcast_address) - (1 if self.network.version == 4 else 0)
        size = last - self._first + 1
        if size < 1 or size > MAX_RANGE_SIZE:
            raise ValueError(f"service CIDR {cidr} must hold between 1 and {MAX_RANGE_SIZE} IPs")
        self._bands = _Bands(size, ip_range_offset(self.network.num_addresses), on_undo)
        self._rng = rng

    @property
    def cidr(self) -> str:
        return str(self.network)

    @property
    def used(self) -> int:
        """How many IPs are allocated."""
        return self._bands.used

    @property
    def static_band(self) -> tuple[str, str] | None:
        """First and last IP of the band kept for hand-picked ClusterIPs (None if there is none)."""
        if not self._bands.offset:
            return None
        return self._ip(0), self._ip(self._bands.offset - 1)

    def _ip(self, index: int) -> str:
        return str(ipaddress.ip_address(self._first + index))

    def _index(self, ip: str) -> int:
        """Index of an IP in the range, or raise the error upstream gives for it."""
        address = ipaddress.ip_address(ip)
        if address.version != self.network.version or address not in self.network:
            # MetaAllocator.getAllocator: no ServiceCIDR contains the IP (MultiCIDRServiceAllocator,
            # GA and on by default since v1.33).
            raise AllocationError("the provided network does not match the current range")
        index = int(address) - self._first
        if not 0 <= index < self._bands.size:
            raise AllocationError(
                f"the provided IP ({address}) is not in the valid range. "
                f"The range of valid IPs is {self.network}"
            )
        return index

    def has(self, ip: str) -> bool:
        try:
            return self._bands.has(self._index(ip))
        except (AllocationError, ValueError):
            return False

    def allocate(self, ip: str) -> None:
        """Reserve a requested IP, or raise AllocationError with upstream's reason."""
        if not self._bands.take(self._index(ip)):
            raise AllocationError("provided IP is already allocated")

    def allocate_next(self) -> str:
        """A free IP, upper band first; AllocationError `range is full` when there is none."""
        index = self._bands.take_next(self._rng)
        if index is None:
            raise AllocationError("range is full")
        return self._ip(index)

    def release(self, ip: str) -> None:
        """Give an IP back; unknown or foreign IPs are ignored, as upstream's Release."""
        try:
            self._bands.free(self._index(ip))
        except (AllocationError, ValueError):
            return


class NodePortAllocator:
    """NodePorts from `--service-node-port-range` ("30000-32767"), shared by every node."""

    def __init__(self, port_range: str, rng: random.Random, on_undo: Undo) -> None:
        self.base, size = _parse_port_range(port_range)
        self._bands = _Bands(size, port_range_offset(size), on_undo)
        self._rng = rng

    @property
    def port_range(self) -> str:
        """The range as upstream prints it in errors: `30000-32767`."""
        return f"{self.base}-{self.base + self._bands.size - 1}"

    @property
    def used(self) -> int:
        """How many ports are allocated."""
        return self._bands.used

    @property
    def static_band(self) -> tuple[int, int] | None:
        """First and last port of the band kept for hand-picked nodePorts."""
        if not self._bands.offset:
            return None
        return self.base, self.base + self._bands.offset - 1

    def _contains(self, port: int) -> bool:
        return self.base <= port < self.base + self._bands.size

    def has(self, port: int) -> bool:
        return self._contains(port) and self._bands.has(port - self.base)

    def allocate(self, port: int) -> None:
        """Reserve a requested port, or raise AllocationError with upstream's reason."""
        if not self._contains(port):
            raise AllocationError(
                "provided port is not in the valid range. The range of valid "
                f"ports is {self.port_range}"
            )
        if not self._bands.take(port - self.base):
            raise AllocationError("provided port is already allocated")

    def allocate_next(self) -> int:
        """A free port, upper band first; AllocationError `range is full` when there is none."""
        index = self._bands.take_next(self._rng)
        if index is None:
            raise AllocationError("range is full")
        return self.base + index

    def release(self, port: int) -> None:
        """Give a port back; ports outside the range are ignored, as upstream's Release."""
        if self._contains(port):
            self._bands.free(port - self.base)


def _parse_port_range(text: str) -> tuple[int, int]:
    """k8s.io/apimachinery/pkg/util/net ParsePortRange: `base-last`, `base+offset` or `port`."""
    try:
        if "-" in text:
            low, high = (int(part) for part in text.split("-", 1))
            base, size = low, high - low + 1
        elif "+" in text:
            low, extra = (int(part) for part in text.split("+", 1))
            base, size = low, extra + 1
        else:
            base, size = int(text), 1
    except ValueError:
        raise ValueError(f"unable to parse port range: {text}") from None
    if size < 1 or base < 0 or base + size - 1 > 65535:
        raise ValueError(f"invalid port range: {text}")
    return base, size
