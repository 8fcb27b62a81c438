"""Where the kinds' rules live: one module per kind family, each exporting `RULES`.

A new kind with API rules is one new module and one line here.
"""

from __future__ import annotations

from kubenet_nb.api.generic.rules import KindRules

__all__ = ["rules_for"]

_MODULES: tuple[tuple[KindRules, ...], ...] = ()

_BY_KIND = {rules.kind: rules for module in _MODULES for rules in module}


def rules_for(kind: str) -> KindRules:
    """The rules of a kind (the generic ones if no module gives any)."""
    return _BY_KIND.get(kind) or KindRules(kind)
