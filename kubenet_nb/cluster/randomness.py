"""Seeded randomness: generated name suffixes, UIDs and every random choice come from here."""

from __future__ import annotations

import random
import uuid
from typing import Any

__all__ = ["ALPHANUMS", "Randomness"]

ALPHANUMS = "bcdfghjklmnpqrstvwxz2456789"
"""k8s.io/apimachinery/pkg/util/rand: the alphabet of generated names (no vowels, no 0/1/3)."""

MAX_GENERATED_NAME_LENGTH = 58
"""k8s.io/apiserver/pkg/storage/names: 63 minus the 5 random characters."""


class Randomness:
    """One seeded generator for the whole cluster, so a seed fixes every outcome."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def string(self, length: int) -> str:
        """utilrand.String: `length` characters from ALPHANUMS."""
        return "".join(self.rng.choice(ALPHANUMS) for _ in range(length))

    def generate_name(self, base: str) -> str:
        """SimpleNameGenerator: the base cut to 58 characters plus 5 random characters."""
        return base[:MAX_GENERATED_NAME_LENGTH] + self.string(5)

    def uid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def getstate(self) -> tuple[Any, ...]:
        return self.rng.getstate()

    def setstate(self, state: tuple[Any, ...]) -> None:
        self.rng.setstate(state)
