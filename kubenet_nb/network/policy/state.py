"""What the evaluator reads: NetworkPolicies, pods and namespace labels, as stored."""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Protocol

from kubenet_nb.api.selectors import Selector, selector_from_label_selector


class _Lister(Protocol):
    def list(
        self, kind: str, namespace: str | None = ..., selector: str | None = ...
    ) -> builtins.list[dict]: ...


EVERYTHING: dict = {}
"""The empty label selector (matches every pod), shared so that it compiles once."""


def pod_selector(policy: dict) -> dict:
    """spec.podSelector (required by validation; `{}` selects every pod of the namespace)."""
    return (policy.get("spec") or {}).get("podSelector") or EVERYTHING


@dataclass(frozen=True)
class PolicyState:
    """The objects a verdict depends on; `namespaces` maps a namespace name to its labels.

    What is derived from them is remembered for the state's life (one store version): the
    policies of each namespace, each selector compiled, and the policies selecting each pod, so
    a verdict costs the policies of the two pods' namespaces, not the cluster's.
    """

    policies: list[dict] = field(default_factory=list)
    pods: list[dict] = field(default_factory=list)
    namespaces: dict[str, dict[str, str]] = field(default_factory=dict)
    _by_namespace: dict[str, list[dict]] = field(default_factory=dict, init=False, repr=False)
    _selectors: dict[int, tuple[dict, Selector]] = field(
        default_factory=dict, init=False, repr=False
    )
    _selecting: dict[int, tuple[dict, list[dict]]] = field(
        default_factory=dict, init=False, repr=False
    )

    def in_namespace(self, namespace: str) -> list[dict]:
        """The NetworkPolicies of one namespace, in stored order."""
        if not self._by_namespace and self.policies:
            for policy in self.policies:
                ns = policy["metadata"].get("namespace", "default")
                self._by_namespace.setdefault(ns, []).append(policy)
        return self._by_namespace.get(namespace, [])

    def selector(self, selector: dict) -> Selector:
        """The label selector compiled once (keyed by the stored dict, kept alive with it)."""
        found = self._selectors.get(id(selector))
        if found is None or found[0] is not selector:
            found = self._selectors[id(selector)] = (
                selector,
                selector_from_label_selector(selector),
            )
        return found[1]

    def selecting(self, pod: dict) -> list[dict]:
        """The policies whose spec.podSelector selects the pod (never a hostNetwork pod)."""
        found = self._selecting.get(id(pod))
        if found is None or found[0] is not pod:
            chosen: list[dict] = []
            if not (pod.get("spec") or {}).get("hostNetwork"):
                labels = pod["metadata"].get("labels")
                chosen = [
                    policy
                    for policy in self.in_namespace(pod["metadata"].get("namespace", "default"))
                    if self.selector(pod_selector(policy)).matches(labels)
                ]
            found = self._selecting[id(pod)] = (pod, chosen)
        return found[1]


def namespace_labels(namespaces: builtins.list[dict]) -> dict[str, dict[str, str]]:
    """Each namespace's labels by its name (what a namespaceSelector reads)."""
    return {ns["metadata"]["name"]: dict(ns["metadata"].get("labels") or {}) for ns in namespaces}


def policy_state(objects: _Lister) -> PolicyState:
    """Read every NetworkPolicy, pod and namespace of a cluster."""
    return PolicyState(
        policies=objects.list("networkpolicies", None),
        pods=objects.list("pods", None),
        namespaces=namespace_labels(objects.list("namespaces", None)),
    )
