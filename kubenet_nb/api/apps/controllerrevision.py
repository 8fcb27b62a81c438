"""ControllerRevisions (apps/v1): data is required and fixed, the revision is non-negative.

pkg/apis/apps/validation/validation.go (ValidateControllerRevision,
ValidateControllerRevisionUpdate) @ v1.33.0; the revision number may change on update, the
data may not.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import GoValue, validate_immutable, validate_nonnegative

__all__ = ["RULES", "validate_controller_revision", "validate_controller_revision_update"]


def validate_controller_revision(obj: dict) -> list[FieldError]:
    """ValidateControllerRevision beyond ObjectMeta."""
    errs: list[FieldError] = []
    if obj.get("data") is None:
        errs.append(FieldError.required("data", "data is mandatory"))
    return errs + validate_nonnegative(obj.get("revision", 0), "revision")


def validate_controller_revision_update(new: dict, old: dict) -> list[FieldError]:
    """ValidateControllerRevisionUpdate: the new revision is valid and its data unchanged."""
    errs = validate_controller_revision(new)
    return errs + validate_immutable(
        new.get("data"), old.get("data"), "data", GoValue("runtime.RawExtension{...}")
    )


RULES = (
    KindRules(
        "ControllerRevision",
        validate=validate_controller_revision,
        validate_update=validate_controller_revision_update,
    ),
)
