"""Notebook 09's exercise: which pods get a Service's new connections, read from its slices.

The answer follows kube-proxy's choice (pkg/proxy/topology.go `CategorizeEndpoints`): the ready
endpoints of the Service's EndpointSlices, or, when none is ready, the ones still serving while
they terminate. Conditions are read as kube-proxy reads them: unset `ready`/`serving` mean true.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.api.well_known import SERVICE_NAME_LABEL
from kubenet_nb.exercises.base import Exercise

__all__ = ["TRAFFIC_PODS", "SliceEndpoint", "service_endpoints", "traffic_pods"]


@dataclass(frozen=True)
class SliceEndpoint:
    """One address of a Service's EndpointSlices, with the pod behind it and its conditions."""

    address: str
    pod: str
    ready: bool
    serving: bool
    terminating: bool

    @property
    def state(self) -> str:
        """In words: ready, not ready, terminating (still serving) or terminating (stopped)."""
        if self.ready:
            return "ready"
        if self.terminating:
            return "terminating, still serving" if self.serving else "terminating, stopped"
        return "not ready"


def service_endpoints(
    cluster: Any, service: str, namespace: str = "default"
) -> list[SliceEndpoint] | None:
    """Every endpoint address of the Service, by address (None: no such Service)."""
    try:
        cluster.get("service", service, namespace)
    except KubenetError:
        return None
    slices = cluster.list("endpointslices", namespace, f"{SERVICE_NAME_LABEL}={service}")
    found: dict[str, SliceEndpoint] = {}
    for endpoint_slice in sorted(slices, key=lambda s: s["metadata"]["name"]):
        for endpoint in endpoint_slice.get("endpoints") or ():
            addresses = endpoint.get("addresses") or ()
            if not addresses or addresses[0] in found:
                continue
            conditions = endpoint.get("conditions") or {}
            found[addresses[0]] = SliceEndpoint(
                address=addresses[0],
                pod=(endpoint.get("targetRef") or {}).get("name", addresses[0]),
                ready=conditions.get("ready") is not False,
                serving=conditions.get("serving") is not False,
                terminating=conditions.get("terminating") is True,
            )
    return [found[address] for address in sorted(found)]


def _chosen(endpoints: list[SliceEndpoint]) -> list[SliceEndpoint]:
    """Ready endpoints; when none is ready, the serving terminating ones."""
    ready = [e for e in endpoints if e.ready]
    return ready or [e for e in endpoints if e.serving and e.terminating]


def _names(given: Any) -> set[str] | None:
    """One pod name, or any collection of pod names, as a set."""
    if isinstance(given, str):
        return {given.strip()}
    if isinstance(given, Iterable) and not isinstance(given, (bytes, dict)):
        items = list(given)
        if all(isinstance(item, str) for item in items):
            return {item.strip() for item in items}
    return None


def traffic_pods(service: str, namespace: str = "default") -> Exercise:
    """Which pods kube-proxy sends new connections to `service` to, as a set of names."""

    def expected(cluster: Any) -> set[str] | None:
        endpoints = service_endpoints(cluster, service, namespace)
        return None if endpoints is None else {e.pod for e in _chosen(endpoints)}

    def explanation(cluster: Any, pods: set[str] | None) -> str:
        endpoints = service_endpoints(cluster, service, namespace)
        if endpoints is None:
            return f"There is no Service {service} in {namespace}: run the notebook again."
        listed = "; ".join(f"{e.pod} ({e.address}) is {e.state}" for e in endpoints)
        chosen = _chosen(endpoints)
        if not chosen:
            rule = "None is ready or serving, so kube-proxy rejects every connection"
        elif chosen[0].ready:
            rule = "kube-proxy sends new connections to the ready ones only"
        else:
            rule = "None is ready, so kube-proxy falls back to the terminating ones still serving"
        names = ", ".join(sorted(pods or ())) or "no pod"
        return f"The EndpointSlices list: {listed or 'nothing'}. {rule}: {names}."

    return Exercise(
        question=(
            f"Which pods get new connections to Service {service} now? Answer with a set of "
            "pod names."
        ),
        expected=expected,
        explanation=explanation,
        compare=lambda given, pods: pods is not None and _names(given) == pods,
    )


TRAFFIC_PODS = traffic_pods("web")
"""Notebook 09: Service web after two readiness failures and one deletion."""
