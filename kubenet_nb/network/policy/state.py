"""What the evaluator reads: NetworkPolicies, pods and namespace labels, as stored."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Protocol


class _Lister(Protocol):
    def list(
        self, kind: str, namespace: str | None = ..., selector: str | None = ...
    ) -> builtins.list[dict]: ...


@dataclass(frozen=True)
class PolicyState:
    """The objects a verdict depends on; `namespaces` maps a namespace name to its labels."""

    policies: list[dict] = field(default_factory=list)
    pods: list[dict] = field(default_factory=list)
    namespaces: dict[str, dict[str, str]] = field(default_factory=dict)


def policy_state(objects: _Lister) -> PolicyState:
    """Read every NetworkPolicy, pod and namespace of a cluster."""
    return PolicyState(
        policies=objects.list("networkpolicies", None),
        pods=objects.list("pods", None),
        namespaces={
            ns["metadata"]["name"]: dict(ns["metadata"].get("labels") or {})
            for ns in objects.list("namespaces", None)
        },
    )
