"""Resource quantities (`100m`, `70Mi`, `1k`) parsed and printed as apimachinery does.

k8s.io/apimachinery/pkg/api/resource: a Quantity keeps an exact value (rounded up to nano
units) and the format it was written in; String() prints the canonical form of that format,
e.g. `0.1` as `100m`, `2048Ki` as `2Mi`; a sum keeps the format of its first term.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

__all__ = ["Quantity"]

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
        nanos = math.ceil(self.value * 10**9)
        self.value = Fraction(nanos, 10**9)

    def __add__(self, other: Quantity) -> Quantity:
        return Quantity(value=self.value + other.value, fmt=self.format or other.format)

    def milli(self) -> int:
        return math.ceil(self.value * 1000)

    def whole(self) -> int:
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
        if fmt == "DecimalSI" and exponent in _DECIMAL_SUFFIX:
            return f"{amount}{_DECIMAL_SUFFIX[exponent]}"
        return f"{amount}e{exponent}" if exponent else str(amount)
