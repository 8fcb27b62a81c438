"""Resource quantities as apimachinery parses, adds and prints them."""

from __future__ import annotations

import pytest

from kubenet_nb.api.quantity import Quantity


def test_quantities_print_canonically() -> None:
    # k8s.io/apimachinery/pkg/api/resource Quantity.String canonical forms.
    assert [str(Quantity(t)) for t in ("250m", "0.25", "1.5Gi", "1024", "1k", "100M", "1e3")] == [
        "250m",
        "250m",
        "1536Mi",
        "1024",
        "1k",
        "100M",
        "1e3",
    ]
    assert str(Quantity("1Gi") + Quantity("512Mi")) == "1536Mi"
    assert Quantity("100m").milli() == 100
    assert Quantity("1Ki").whole() == 1024


def test_quantity_refuses_garbage() -> None:
    with pytest.raises(ValueError, match="quantities must match the regular expression"):
        Quantity("ten")
