"""Notebook 08's exercise: the `--probability` kube-proxy writes on one endpoint rule.

The answer is read from the node's rules as `iptables-save` prints them (`Cluster.rules_table`):
the jumps from the Service's KUBE-SVC chain to its KUBE-SEP chains, in order, affinity checks
(`-m recent --rcheck`) left out. The last jump has no statistic match: it is always taken.
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.exercises.base import Exercise

__all__ = ["RULE_PROBABILITY", "endpoint_rules", "rule_probability"]

_PROBABILITY = re.compile(r"--probability (\S+)")
TOLERANCE = 1e-6
"""How close an answer must be: iptables-save prints 1/3 as 0.33333333349."""


def endpoint_rules(cluster: Any, service: str, node: str) -> list[tuple[str, float]]:
    """(KUBE-SEP chain, probability) of each load-balancing rule of the Service's KUBE-SVC
    chain on `node`, in chain order; 1.0 for the last rule, which has no statistic match."""
    frame = cluster.rules_table(node, table="nat", service=service)
    rows: list[tuple[str, float]] = []
    for row in frame.itertuples():
        target = str(row.target or "")
        if not (row.chain.startswith("KUBE-SVC-") and target.startswith("KUBE-SEP-")):
            continue
        if "--rcheck" in row.matches:
            continue
        found = _PROBABILITY.search(row.matches)
        rows.append((target, float(found.group(1)) if found else 1.0))
    return rows


def _number(given: Any) -> float | None:
    """A probability written as a number, a Fraction or text ("0.25", "1/4")."""
    if isinstance(given, bool):
        return None
    try:
        return float(Fraction(given.strip()) if isinstance(given, str) else given)
    except (TypeError, ValueError, ZeroDivisionError):
        return None


def _fraction(value: float) -> str:
    return str(Fraction(value).limit_denominator(1000))


def rule_probability(service: str, node: str, index: int) -> Exercise:
    """The probability on the `index`-th (1-based) jump to a KUBE-SEP chain of `service`."""

    def rules(cluster: Any) -> list[tuple[str, float]] | None:
        try:
            return endpoint_rules(cluster, service, node)
        except KubenetError:
            return None

    def expected(cluster: Any) -> float | None:
        found = rules(cluster)
        return found[index - 1][1] if found is not None and len(found) >= index else None

    def explanation(cluster: Any, probability: float | None) -> str:
        found = rules(cluster)
        if found is None:
            return f"There is no Service {service}: run the notebook again."
        if probability is None:
            count = f"{len(found)} endpoint rule{'' if len(found) == 1 else 's'}"
            return f"{service}'s KUBE-SVC chain on {node} has only {count}."
        chances = [_fraction(p) for _chain, p in found]
        reached = Fraction(1)
        for _chain, p in found[: index - 1]:
            reached *= 1 - Fraction(_fraction(p))
        taken = reached * Fraction(chances[index - 1])
        return (
            f"With {len(found)} endpoints the rules carry {', '.join(chances[:-1])} and, last, "
            f"no statistic match (1): rule i of n gets 1/(n-i+1). Rule {index} is reached with "
            f"chance {reached}, and taken with {chances[index - 1]} (printed "
            f"{probability:.11f}), so its endpoint gets {taken} of the connections, as every "
            "other one does."
        )

    return Exercise(
        question=(
            f"On {node}, what --probability is on jump number {index} from {service}'s "
            "KUBE-SVC chain to a KUBE-SEP chain?"
        ),
        expected=expected,
        explanation=explanation,
        compare=lambda given, p: (
            p is not None and (n := _number(given)) is not None and abs(n - p) < TOLERANCE
        ),
    )


RULE_PROBABILITY = rule_probability("web", "kind-worker", 3)
"""Notebook 08: the third endpoint rule of Service web, once it has six endpoints."""
