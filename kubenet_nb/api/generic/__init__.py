"""The generic path: the API rules of kinds that need no behaviour beyond the API server's.

Upstream, every kind has a registry strategy; most only name-check, default and validate. Here a
kind's rules are one `KindRules` value in its API group's module (`rules_for` finds them); a kind
without one still gets what every kind gets: `ValidateObjectMeta` with DNS-subdomain names, and
its status left to its controllers.
"""

from __future__ import annotations

from kubenet_nb.api.generic.catalog import rules_for
from kubenet_nb.api.generic.rules import KindRules

__all__ = ["KindRules", "rules_for"]
