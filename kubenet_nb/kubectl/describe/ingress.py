"""`kubectl describe` for IngressClasses.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeIngressClassV1`).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.kubectl.describe.writer import describe_events, header

__all__ = ["describe_ingressclass"]


def describe_ingressclass(ic: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeIngressClassV1`: the controller and the parameters reference."""
    spec = ic.get("spec") or {}
    w = header(ic, namespace=False)
    w.write(0, f"Controller:\t{spec.get('controller', '')}\n")
    parameters = spec.get("parameters")
    if parameters is not None:
        w.write(0, "Parameters:\n")
        if parameters.get("apiGroup") is not None:
            w.write(1, f"APIGroup:\t{parameters['apiGroup']}\n")
        w.write(1, f"Kind:\t{parameters.get('kind', '')}\n")
        w.write(1, f"Name:\t{parameters.get('name', '')}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()
