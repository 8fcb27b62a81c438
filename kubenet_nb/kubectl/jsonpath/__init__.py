"""kubectl's JSONPath dialect (k8s.io/client-go/util/jsonpath @ v0.33.0): templates of text and
`{...}` actions with fields, indexes and slices, unions, wildcards, recursive descent, filters
and `range ... end`; and `RelaxedJSONPathExpression`, the short form custom columns and
`--sort-by` accept.
"""

from __future__ import annotations

import re

from kubenet_nb.kubectl.jsonpath.engine import JSONPath, JSONPathError
from kubenet_nb.kubectl.jsonpath.parser import JSONPathSyntaxError

__all__ = ["JSONPath", "JSONPathError", "JSONPathSyntaxError", "relaxed"]

_RELAXED = re.compile(r"^\{\.?([^{}]+)\}$|^\.?([^{}]+)$")


def relaxed(expression: str) -> str:
    """kubectl pkg/cmd/get/customcolumn.go `RelaxedJSONPathExpression` @ v0.33.0: `a.b`,
    `.a.b`, `{a.b}` and `{.a.b}` all become `{.a.b}`; ValueError with kubectl's words else.

    >>> relaxed("metadata.name"), relaxed("{.spec}"), relaxed("")
    ('{.metadata.name}', '{.spec}', '')
    """
    if not expression:
        return expression
    match = _RELAXED.match(expression)
    if match is None:
        raise ValueError(
            "unexpected path string, expected a 'name1.name2' or '.name1.name2' or "
            "'{name1.name2}' or '{.name1.name2}'"
        )
    return "{." + (match.group(1) or match.group(2)) + "}"
