"""resource.Quantity (`100m`, `70Mi`): parsed, compared, summed and printed as apimachinery does.

k8s.io/apimachinery pkg/api/resource/quantity.go @ v0.33.0: a quantity keeps an exact value
(rounded up to nano units) and the format of its suffix (binary `Ki`..., decimal `m`, `k`...,
or an `e` exponent); String() prints the canonical form of that format (CanonicalizeBytes):
`0.1` is `100m`, `2048Ki` is `2Mi`, `1.5Gi` is `1536Mi`, a binary value below 1024 or with a
fraction prints as decimal. A sum keeps the format of its first term. Validation quotes the
canonical text; kubectl's describers print and sum them.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

__all__ = ["Quantity", "parse_quantity"]

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {exponent: suffix for suffix, exponent in _DECIMAL.items()}
_QUANTITY = re.compile(r"^([+-]?[0-9.]+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?[0-9]+)?$")


class Quantity:
    """A resource.Quantity: an exact value and the format it prints in.

    >>> [str(Quantity(t)) for t in ("0.1", "1500m", "2000m", "1000", "2048Ki", "1536Mi", "0")]
    ['100m', '1500m', '2', '1k', '2Mi', '1536Mi', '0']
    >>> str(Quantity("100Mi") + Quantity("70Mi")), str(Quantity("1") + Quantity("100m"))
    ('170Mi', '1100m')
    >>> str(Quantity("1.5Gi")), str(Quantity("12e6")), Quantity("1") < Quantity("1001m")
    ('1536Mi', '12e6', True)
    """

    def __init__(self, text: str = "0", value: Fraction | None = None, fmt: str = "") -> None:
        if value is not None:
            self.value, self.format = value, fmt
            return
        match = _QUANTITY.match(str(text).strip())
        if not match:
            raise ValueError(f"quantities must match the regular expression: {text!r}")
        number, suffix = Fraction(match.group(1)), match.group(2) or ""
        if suffix in _BINARY:
            self.value, self.format = number * 1024 ** _BINARY[suffix], "BinarySI"
        elif suffix in _DECIMAL:
            self.value, self.format = number * Fraction(10) ** _DECIMAL[suffix], "DecimalSI"
        else:
            self.value = number * Fraction(10) ** int(suffix[1:])
            self.format = "DecimalExponent"
        self.value = Fraction(math.ceil(self.value * 10**9), 10**9)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(value=self.value + other.value, fmt=self.format or other.format)

    def __lt__(self, other: Quantity) -> bool:
        return self.value < other.value

    def __gt__(self, other: Quantity) -> bool:
        return self.value > other.value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Quantity) and self.value == other.value

    def __hash__(self) -> int:
        return hash(self.value)

    def milli(self) -> int:
        """MilliValue(): the value in thousandths, rounded up."""
        return math.ceil(self.value * 1000)

    def whole(self) -> int:
        """Value(): the value rounded up to an integer."""
        return math.ceil(self.value)

    def __str__(self) -> str:
        if self.value == 0:
            return "0"
        fmt = self.format
        if fmt == "BinarySI" and (abs(self.value) < 1024 or self.value.denominator != 1):
            fmt = "DecimalSI"
        if fmt == "BinarySI":
            amount, exponent = int(self.value), 0
            while amount % 1024 == 0 and exponent < 6:
                amount //= 1024
                exponent += 1
            return f"{amount}{['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'][exponent]}"
        amount, exponent = int(self.value * 10**9), -9
        while amount % 10 == 0:
            amount //= 10
            exponent += 1
        shift = exponent % 3
        amount, exponent = amount * 10**shift, exponent - shift
        if fmt == "DecimalSI":
            if exponent > 18:
                amount, exponent = amount * 10 ** (exponent - 18), 18
            return f"{amount}{_DECIMAL_SUFFIX[exponent]}"
        return f"{amount}e{exponent}" if exponent else str(amount)

    def __repr__(self) -> str:
        return f"Quantity({str(self)!r})"


def parse_quantity(raw: Any) -> Quantity:
    """ParseQuantity of a decoded value (a string, or a JSON number); decoding has refused
    what does not parse, so anything else reads as zero."""
    try:
        return Quantity(raw.strip() if isinstance(raw, str) else str(raw))
    except ValueError:
        return Quantity()
