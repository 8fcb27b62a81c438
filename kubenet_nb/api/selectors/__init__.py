"""LabelSelector objects (metav1): conversion to a Selector, validation, and Go's printing.

LabelSelectorAsSelector and ValidateLabelSelector follow apimachinery/pkg/apis/meta/v1. The
selector model and the `kubectl -l` parser live in selector_model and selector_parser; their
names are importable from here too, as the rest of kubenet-nb imports them.
"""

from __future__ import annotations

from kubenet_nb.api.errors import FieldError
from kubenet_nb.api.meta import (
    GoValue,
    go_quote,
    go_string_map,
    validate_label_name,
    validate_labels,
)
from kubenet_nb.api.names import is_valid_label_value
from kubenet_nb.api.selectors.model import (
    Requirement,
    Selector,
    SelectorError,
    new_requirement,
    selector_from_set,
)
from kubenet_nb.api.selectors.parser import parse_selector

__all__ = [
    "Requirement",
    "Selector",
    "SelectorError",
    "go_label_selector",
    "parse_selector",
    "selector_from_label_selector",
    "selector_from_set",
    "validate_label_selector",
]

_EXPRESSION_OPERATORS = {"In": "in", "NotIn": "notin", "Exists": "exists", "DoesNotExist": "!"}


def selector_from_label_selector(selector: dict | None) -> Selector:
    """metav1.LabelSelectorAsSelector: None matches nothing, `{}` matches everything."""
    if selector is None:
        return Selector.nothing()
    match_labels = selector.get("matchLabels") or {}
    expressions = selector.get("matchExpressions") or []
    if not match_labels and not expressions:
        return Selector()
    found = [new_requirement(k, "=", [v]) for k, v in match_labels.items()]
    for expr in expressions:
        operator = _EXPRESSION_OPERATORS.get(expr.get("operator", ""))
        if operator is None:
            raise SelectorError(
                f"{go_quote(expr.get('operator', ''))} is not a valid label selector operator"
            )
        found.append(new_requirement(expr.get("key", ""), operator, list(expr.get("values") or [])))
    return Selector(found)


def validate_label_selector(selector: dict | None, field: str) -> list[FieldError]:
    """ValidateLabelSelector (invalid label values refused, as on create)."""
    if selector is None:
        return []
    errs = validate_labels(selector.get("matchLabels"), f"{field}.matchLabels")
    for i, expr in enumerate(selector.get("matchExpressions") or []):
        path = f"{field}.matchExpressions[{i}]"
        operator, values = expr.get("operator", ""), expr.get("values") or []
        if operator in ("In", "NotIn"):
            if not values:
                errs.append(
                    FieldError.required(
                        f"{path}.values", "must be specified when `operator` is 'In' or 'NotIn'"
                    )
                )
        elif operator in ("Exists", "DoesNotExist"):
            if values:
                errs.append(
                    FieldError.forbidden(
                        f"{path}.values",
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    )
                )
        else:
            errs.append(
                FieldError.invalid(f"{path}.operator", operator, "not a valid selector operator")
            )
        errs.extend(validate_label_name(expr.get("key", ""), f"{path}.key"))
        for j, value in enumerate(values):
            errs.extend(
                FieldError.invalid(f"{path}.values[{j}]", value, msg)
                for msg in is_valid_label_value(value)
            )
    return errs


def go_label_selector(selector: dict | None) -> GoValue:
    """`%#v` of a metav1.LabelSelector, as `field is immutable` errors show it."""
    if selector is None:
        return GoValue('"null"')
    shown_labels = go_string_map(selector.get("matchLabels"))
    expressions = selector.get("matchExpressions")
    if expressions is None:
        shown_expressions = "[]v1.LabelSelectorRequirement(nil)"
    else:
        parts = []
        for expr in expressions:
            values = expr.get("values")
            shown_values = (
                "[]string(nil)"
                if values is None
                else "[]string{" + ", ".join(go_quote(v) for v in values) + "}"
            )
            parts.append(
                f"v1.LabelSelectorRequirement{{Key:{go_quote(expr.get('key', ''))}, "
                f"Operator:{go_quote(expr.get('operator', ''))}, "
                f"Values:{shown_values}}}"
            )
        shown_expressions = "[]v1.LabelSelectorRequirement{" + ", ".join(parts) + "}"
    return GoValue(
        f"v1.LabelSelector{{MatchLabels:{shown_labels}, MatchExpressions:{shown_expressions}}}"
    )
