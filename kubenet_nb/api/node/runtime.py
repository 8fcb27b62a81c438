"""RuntimeClasses: validation and update rules.

Sources in kubernetes/kubernetes @ v1.33.0: pkg/apis/node/validation/validation.go
(ValidateRuntimeClass: a DNS-label handler, overhead, scheduling; ValidateRuntimeClassUpdate:
the handler is immutable) and the runtimeclass strategy (an update is validated as a create too).
"""

from __future__ import annotations

from kubenet_nb.api.core.pod.spec import validate_tolerations
from kubenet_nb.api.core.resource_names import (
    validate_container_resource_name,
    validate_resource_quantity,
)
from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic.rules import KindRules
from kubenet_nb.api.meta import name_is_dns_label, validate_immutable, validate_labels

__all__ = ["RULES"]


def _validate(obj: dict) -> list[FieldError]:
    """ValidateRuntimeClass beyond ObjectMeta."""
    handler = obj.get("handler") or ""
    errs = [FieldError.invalid("handler", handler, m) for m in name_is_dns_label(handler, False)]
    fixed = (obj.get("overhead") or {}).get("podFixed") or {}
    for name, raw in fixed.items():
        path = f"overhead.podFixed[{name}]"
        errs.extend(validate_container_resource_name(name, path))
        errs.extend(validate_resource_quantity(name, raw, path))
    scheduling = obj.get("scheduling")
    if scheduling is not None:
        errs.extend(validate_labels(scheduling.get("nodeSelector"), "scheduling.nodeSelector"))
        errs.extend(
            validate_tolerations(scheduling.get("tolerations") or [], "scheduling.tolerations")
        )
    return errs


def _validate_update(new: dict, old: dict) -> list[FieldError]:
    return _validate(new) + validate_immutable(new.get("handler"), old.get("handler"), "handler")


RULES = (KindRules("RuntimeClass", validate=_validate, validate_update=_validate_update),)
