"""The label selector model: requirements, selectors of them, and matching labels against them.

Follows k8s.io/apimachinery/pkg/labels/selector.go (Requirement, NewRequirement, Matches,
SelectorFromSet) so that refusals carry upstream's exact text. A `Selector` is an immutable list
of requirements sorted by key; matching is a tight loop with a fast path for plain equality.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubenet_nb.api.errors import FieldError, KubenetError
from kubenet_nb.api.names import is_qualified_name, is_valid_label_value

__all__ = ["Requirement", "Selector", "SelectorError", "new_requirement", "selector_from_set"]

_INT64 = re.compile(r"[+-]?[0-9]+")


class SelectorError(KubenetError):
    """A selector that does not parse; str() is apimachinery's error text."""


@dataclass(frozen=True)
class Requirement:
    """One `key op values` term; operator is one of =, ==, !=, in, notin, exists, !, gt, lt."""

    key: str
    operator: str
    values: tuple[str, ...] = ()

    def matches(self, labels: dict[str, str]) -> bool:
        op = self.operator
        if op in ("=", "==", "in"):
            return self.key in labels and labels[self.key] in self.values
        if op in ("!=", "notin"):
            return self.key not in labels or labels[self.key] not in self.values
        if op == "exists":
            return self.key in labels
        if op == "!":
            return self.key not in labels
        value = labels.get(self.key)
        if value is None or not _INT64.fullmatch(value) or not _INT64.fullmatch(self.values[0]):
            return False
        have, want = int(value), int(self.values[0])
        return have > want if op == "gt" else have < want

    def __str__(self) -> str:
        if self.operator == "!":
            return "!" + self.key
        if self.operator == "exists":
            return self.key
        shown = ",".join(sorted(self.values))
        if self.operator in ("in", "notin"):
            return f"{self.key} {self.operator} ({shown})"
        symbol = {"gt": ">", "lt": "<"}.get(self.operator, self.operator)
        return f"{self.key}{symbol}{shown}"


class Selector:
    """An AND of requirements; `Selector.nothing()` matches no object at all."""

    __slots__ = ("_equals", "_nothing", "requirements")

    def __init__(
        self,
        requirements: list[Requirement] | tuple[Requirement, ...] = (),
        *,
        nothing: bool = False,
    ) -> None:
        self.requirements = tuple(sorted(requirements, key=lambda r: r.key))
        self._nothing = nothing
        plain = all(r.operator in ("=", "==") for r in self.requirements)
        self._equals = tuple((r.key, r.values[0]) for r in self.requirements) if plain else None

    @classmethod
    def nothing(cls) -> Selector:
        """labels.Nothing(): what a nil LabelSelector converts to."""
        return cls(nothing=True)

    def empty(self) -> bool:
        """True when the selector does not restrict anything (it matches every object)."""
        return not self._nothing and not self.requirements

    def matches(self, labels: dict[str, str] | None) -> bool:
        if self._nothing:
            return False
        labels = labels or {}
        if self._equals is not None:
            return all(labels.get(k) == v for k, v in self._equals)
        return all(r.matches(labels) for r in self.requirements)

    def __str__(self) -> str:
        return ",".join(str(r) for r in self.requirements)

    def __repr__(self) -> str:
        return "Selector.nothing()" if self._nothing else f"Selector({str(self)!r})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Selector)
            and other._nothing == self._nothing
            and other.requirements == self.requirements
        )

    def __hash__(self) -> int:
        return hash((self._nothing, self.requirements))


def _aggregate(errs: list[FieldError]) -> str:
    texts = list(dict.fromkeys(str(e) for e in errs))
    return texts[0] if len(texts) == 1 else "[" + ", ".join(texts) + "]"


def new_requirement(key: str, operator: str, values: list[str]) -> Requirement:
    """labels.NewRequirement: validates the key, the value count and every value."""
    errs = [FieldError.invalid("key", key, "; ".join(p)) for p in [is_qualified_name(key)] if p]
    if operator in ("in", "notin") and not values:
        errs.append(
            FieldError.invalid(
                "values", values, "for 'in', 'notin' operators, values set can't be empty"
            )
        )
    elif operator in ("=", "==", "!=") and len(values) != 1:
        errs.append(
            FieldError.invalid(
                "values", values, "exact-match compatibility requires one single value"
            )
        )
    elif operator in ("exists", "!") and values:
        errs.append(
            FieldError.invalid(
                "values", values, "values set must be empty for exists and does not exist"
            )
        )
    elif operator in ("gt", "lt"):
        if len(values) != 1:
            errs.append(
                FieldError.invalid(
                    "values", values, "for 'Gt', 'Lt' operators, exactly one value is required"
                )
            )
        for i, value in enumerate(values):
            if not _INT64.fullmatch(value) or not -(2**63) <= int(value) < 2**63:
                errs.append(
                    FieldError.invalid(
                        f"values[{i}]",
                        value,
                        "for 'Gt', 'Lt' operators, the value must be an integer",
                    )
                )
    for i, value in enumerate(values):
        problems = is_valid_label_value(value)
        if problems:
            errs.append(FieldError.invalid(f"values[{i}][{key}]", value, "; ".join(problems)))
    if errs:
        raise SelectorError(_aggregate(errs))
    return Requirement(key, operator, tuple(values))


def selector_from_set(labels: dict[str, str] | None) -> Selector:
    """labels.SelectorFromSet: every key equal to its value; an empty set matches everything."""
    return Selector([Requirement(k, "=", (v,)) for k, v in (labels or {}).items()])
