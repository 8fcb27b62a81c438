"""Notebook 07's exercise: how many DNS queries the search path costs a short name.

The answer is counted from the cluster's own resolver (`Cluster.resolve` from the pod), so it
follows the pod's resolv.conf (search list, ndots), its C library (getaddrinfo asks A and AAAA
for every name it tries) and the Services that exist when checked.
"""

from __future__ import annotations

from typing import Any

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.exercises.base import Exercise

__all__ = ["SEARCH_QUERIES", "search_queries"]


def _count(given: Any) -> int | None:
    """A whole number written as an int, an integral float or digits in a string."""
    if isinstance(given, bool):
        return None
    if isinstance(given, int):
        return given
    if isinstance(given, float) and given.is_integer():
        return int(given)
    if isinstance(given, str) and given.strip().isdigit():
        return int(given.strip())
    return None


def _steps(tried: list[tuple[str, str, str]]) -> str:
    """The names tried, each with the rcodes of its queries: `name (A NXDOMAIN, AAAA ...)`."""
    names: dict[str, list[str]] = {}
    for qname, qtype, rcode in tried:
        names.setdefault(qname, []).append(f"{qtype} {rcode}")
    return ", then ".join(f"{qname} ({', '.join(codes)})" for qname, codes in names.items())


def search_queries(name: str, pod: str, namespace: str = "default") -> Exercise:
    """How many queries a program in `pod` sends to resolve `name` (A and AAAA, as
    getaddrinfo asks them)."""

    def resolved(cluster: Any) -> Any:
        try:
            return cluster.resolve(name, from_pod=pod, namespace=namespace)
        except KubenetError:
            return None

    def expected(cluster: Any) -> int | None:
        answer = resolved(cluster)
        return None if answer is None else len(answer.tried)

    def explanation(cluster: Any, count: int | None) -> str:
        answer = resolved(cluster)
        if answer is None:
            return f"There is no pod {pod} in namespace {namespace}: run the notebook again."
        ndots = answer.resolv_conf.ndots if answer.resolv_conf is not None else 1
        dots = name.count(".")
        plural = "" if dots == 1 else "s"
        if name.endswith("."):
            why = f"{name} ends with a dot, so the resolver asks it once, as written"
        elif dots >= ndots and answer.libc == "musl":
            why = (
                f"{name} has {dots} dot{plural}, at least ndots:{ndots}: musl asks it as "
                "written only, without the search list"
            )
        elif dots >= ndots:
            why = f"{name} has {dots} dot{plural}, at least ndots:{ndots}: it is asked as is first"
        else:
            why = (
                f"{name} has {dots} dot{plural}, fewer than ndots:{ndots}, so the search "
                "domains come first"
            )
        result = (
            f"{answer.fqdn} answered {', '.join(answer.addresses)}"
            if answer.found
            else f"nothing answered ({answer.rcode})"
        )
        return (
            f"{why}. For each name it tries, getaddrinfo ({answer.libc}) sends an A and an "
            f"AAAA query. The pod asked {_steps(answer.tried)}: {count} queries; {result}."
        )

    return Exercise(
        question=f"How many DNS queries does pod {pod} send to resolve {name}?",
        expected=expected,
        explanation=explanation,
        compare=lambda given, count: count is not None and _count(given) == count,
    )


SEARCH_QUERIES = search_queries("cart.shop", "client")
"""Notebook 07: `cart.shop` from pod `client` in default (a Service cart lives in shop)."""
