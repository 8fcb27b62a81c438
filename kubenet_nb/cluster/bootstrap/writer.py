"""The cluster's own writer: the API server with a uid stream of its own.

Objects the cluster makes for itself (ServiceAccounts, ConfigMaps, RBAC, IPAddresses...) take
their uids from this stream, derived from the seed but apart from the main one, so that adding
them changes no pod name, IP or NodePort a user sees for a seed. The stream is counter-based: a
draw made in a store transaction that is undone is given back, as the main stream's are for a
refused request.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Callable

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.randomness import ALPHANUMS, Randomness

__all__ = ["SystemRandomness", "system_seed", "system_writer"]

Undo = Callable[[Callable[[], object]], None]


class SystemRandomness(Randomness):
    """uids and name suffixes from sha256(seed, counter); undoing a draw winds the counter back."""

    def __init__(self, seed: int, on_undo: Undo) -> None:
        super().__init__(seed)
        self._key = b"kubenet-nb system objects %d:" % seed
        self._on_undo = on_undo
        self.draws = 0

    def _block(self) -> bytes:
        count = self.draws
        self.draws = count + 1
        self._on_undo(lambda: setattr(self, "draws", count))
        return hashlib.sha256(self._key + str(count).encode()).digest()

    def uid(self) -> str:
        """A version-4 UUID from the next block (RFC 4122 version and variant bits set)."""
        raw = bytearray(self._block()[:16])
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        text = raw.hex()
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def getstate(self) -> tuple[int]:
        """The stream's position: how many draws were made."""
        return (self.draws,)

    def setstate(self, state: tuple) -> None:
        (self.draws,) = state

    def string(self, length: int) -> str:
        block = self._block()
        return "".join(ALPHANUMS[block[i % len(block)] % len(ALPHANUMS)] for i in range(length))


def system_seed(seed: int) -> int:
    """The system stream's seed, derived from the cluster's."""
    return int.from_bytes(hashlib.sha256(b"kubenet-nb system %d" % seed).digest()[:8], "big")


def system_writer(api: ApiServer, randomness: SystemRandomness) -> ApiServer:
    """The same API server (store, clock, strategies, events) drawing from `randomness`."""
    writer = copy.copy(api)
    writer.random = randomness
    return writer
