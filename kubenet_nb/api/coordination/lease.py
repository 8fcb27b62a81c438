"""Leases (coordination.k8s.io/v1): the spec's durations and counters.

pkg/apis/coordination/validation/validation.go (ValidateLeaseSpec) @ v1.33.0; the strategy and
preferredHolder fields belong to the CoordinatedLeaderElection gate, off in v1.33.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules

__all__ = ["RULES", "validate_lease"]


def validate_lease(obj: dict) -> list[FieldError]:
    """ValidateLeaseSpec: a positive duration, non-negative transitions."""
    spec = obj.get("spec") or {}
    errs: list[FieldError] = []
    duration = spec.get("leaseDurationSeconds")
    if duration is not None and duration <= 0:
        errs.append(
            FieldError.invalid("spec.leaseDurationSeconds", duration, "must be greater than 0")
        )
    transitions = spec.get("leaseTransitions")
    if transitions is not None and transitions < 0:
        errs.append(
            FieldError.invalid(
                "spec.leaseTransitions", transitions, "must be greater than or equal to 0"
            )
        )
    return errs


RULES = (KindRules("Lease", validate=validate_lease),)
