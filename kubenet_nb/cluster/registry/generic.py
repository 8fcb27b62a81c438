"""The strategy of every kind without behaviour of its own: its `KindRules`, run as a strategy.

As upstream's generic registry store: ObjectMeta validated with the kind's name rule, the kind's
defaulting and validation, status reset on create where status is a subresource (the API
server keeps the stored status on every client update), generation kept where the strategy
keeps it.
"""

from __future__ import annotations

import copy

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.generic import KindRules
from kubenet_nb.api.kinds import ResourceInfo
from kubenet_nb.api.meta import validate_object_meta, validate_object_meta_update
from kubenet_nb.cluster.apiserver import Strategy

__all__ = ["GenericStrategy"]


class GenericStrategy(Strategy):
    """Create and update of one kind by its rules."""

    def __init__(self, info: ResourceInfo, rules: KindRules) -> None:
        self.kind = info.kind
        self.generation = rules.generation
        self._info, self._rules = info, rules

    def prepare_create(self, obj: dict) -> None:
        rules = self._rules
        if rules.status is not None:
            status = copy.deepcopy(rules.status)
            obj["status"] = (
                {**status, **(obj.get("status") or {})} if rules.client_status else status
            )
        rules.default(obj)

    def validate_create(self, obj: dict) -> list[FieldError]:
        if self._rules.checks_metadata:
            return self._rules.validate(obj)
        errors = validate_object_meta(obj["metadata"], self._info.namespaced, self._rules.name)
        return errors + self._rules.validate(obj)

    def prepare_update(self, obj: dict, old: dict) -> None:
        # A controller's write without a status keeps the stored one (a client's PUT never
        # writes status: the API server puts the stored one back before this runs).
        if "status" in old and "status" not in obj:
            obj["status"] = old["status"]
        self._rules.default(obj)

    def validate_update(self, obj: dict, old: dict) -> list[FieldError]:
        rules = self._rules
        if rules.checks_metadata and rules.validate_update is not None:
            return rules.validate_update(obj, old)
        errors = validate_object_meta_update(obj["metadata"], old["metadata"])
        if rules.validate_update is not None:
            return errors + rules.validate_update(obj, old)
        return errors + rules.validate(obj)

    def warnings(self, obj: dict) -> list[str]:
        return self._rules.warnings(obj)
