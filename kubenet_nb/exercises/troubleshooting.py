"""Why a client cannot reach a Service, diagnosed from the cluster (the tasks of 04 and 11).

The diagnosis walks the checklist of notebook 12 on the cluster as it is when checked: the client's
DNS answer, then the Service's pods (selector, named targetPort, readiness), then the trace of
one connection, which tells a reset from a pod (nothing listens on the targetPort) apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.exercises.readiness import service_endpoints

__all__ = ["CAUSES", "Diagnosis", "diagnose", "selector_text"]

CAUSES = {
    "selector": "the Service's selector matches no pod",
    "target port": "nothing in the pods listens on the Service's targetPort",
    "not ready": "no pod behind the Service is ready",
    "named port": "no pod defines a container port with the targetPort's name",
    "namespace": "the name is looked up in the client's namespace, not the Service's",
}
"""The five causes of notebooks 11 and 12, by name."""


@dataclass(frozen=True)
class Diagnosis:
    """The cause (a key of CAUSES; "other" for anything else; None when it works) and why."""

    cause: str | None
    evidence: str


def selector_text(selector: dict[str, str]) -> str:
    """A selector (or a set of labels) as kubectl writes it: `app=shop,tier=web`."""
    return ",".join(f"{key}={value}" for key, value in selector.items())


def _owner(cluster: Any, address: str) -> dict | None:
    """The Service whose cluster IP is `address`."""
    for service in cluster.list("services", None):
        spec = service.get("spec") or {}
        if address in (spec.get("clusterIPs") or [spec.get("clusterIP")]):
            return service
    return None


def _service_port(service: dict, port: int | None) -> dict:
    ports = (service.get("spec") or {}).get("ports") or [{}]
    return next((p for p in ports if p.get("port") == port), ports[0])


def _names_port(pod: dict, name: str, protocol: str) -> bool:
    containers = (pod.get("spec") or {}).get("containers") or ()
    return any(
        p.get("name") == name and (p.get("protocol") or "TCP") == protocol
        for container in containers
        for p in container.get("ports") or ()
    )


def _declared(pod: dict) -> str:
    """The container ports a pod declares, as `8080/TCP, 9090/TCP`."""
    containers = (pod.get("spec") or {}).get("containers") or ()
    return ", ".join(
        f"{p.get('containerPort')}/{p.get('protocol') or 'TCP'}"
        for container in containers
        for p in container.get("ports") or ()
    )


def _unresolved(cluster: Any, name: str, namespace: str, tried: list[str]) -> Diagnosis:
    short = name.rstrip(".").split(".")[0]
    homes = sorted(
        {
            s["metadata"]["namespace"]
            for s in cluster.list("services", None)
            if s["metadata"]["name"] == short and s["metadata"]["namespace"] != namespace
        }
    )
    asked = ", ".join(tried)
    if not homes:
        return Diagnosis(
            "other",
            f"{name} does not resolve (asked {asked}), and no Service "
            f"is named {short} in any namespace.",
        )
    fixes = " or ".join(f"{short}.{home}" for home in homes)
    return Diagnosis(
        "namespace",
        f"{name} does not resolve from namespace {namespace}: the resolver asked {asked}. "
        f"Service {short} lives in namespace {', '.join(homes)}: ask for {fixes}.",
    )


def _behind(cluster: Any, service: dict, port: int | None, trace: Any) -> Diagnosis:
    """Why a Service that resolves does not deliver: its pods, its port, its readiness."""
    meta, spec = service["metadata"], service.get("spec") or {}
    namespace, name = meta["namespace"], meta["name"]
    selector = spec.get("selector") or {}
    if not selector:
        return Diagnosis("other", f"Service {name} has no selector: {trace.summary()}")
    pods = cluster.list("pods", namespace, selector_text(selector))
    if not pods:
        return Diagnosis(
            "selector",
            f"Service {name} selects {selector_text(selector)}, and no pod in namespace "
            f"{namespace} carries all of these labels.",
        )
    names = ", ".join(p["metadata"]["name"] for p in pods)
    service_port = _service_port(service, port)
    target = service_port.get("targetPort")
    protocol = service_port.get("protocol") or "TCP"
    if isinstance(target, str) and not any(_names_port(p, target, protocol) for p in pods):
        return Diagnosis(
            "named port",
            f"Service {name}'s targetPort is the name {target!r}, and none of its pods "
            f"({names}) has a {protocol} container port of that name.",
        )
    endpoints = service_endpoints(cluster, name, namespace) or []
    if not any(e.ready or (e.serving and e.terminating) for e in endpoints):
        return Diagnosis(
            "not ready",
            f"Service {name} selects {names}, and none of them is ready: their readiness "
            "probes fail, so kube-proxy has no endpoint and rejects the connection.",
        )
    if trace.verdict == "refused" and trace.backend is not None:
        evidence = (
            f"The connection reached pod {trace.backend_name} at {trace.endpoint}, where "
            f"nothing listens: targetPort {target} is not a port the container serves"
        )
        declared = _declared(trace.backend)
        if declared:
            evidence += f" (it declares {declared})"
        if target == service_port.get("port"):
            evidence += "; left out, targetPort defaults to the Service's port"
        return Diagnosis("target port", evidence + ".")
    return Diagnosis("other", trace.summary())


def diagnose(
    cluster: Any, client: str, name: str, port: int | None = None, namespace: str = "default"
) -> Diagnosis:
    """Why pod `client` (in `namespace`) cannot reach `name`, as notebooks 11 and 12 find out."""
    try:
        cluster.get("pod", client, namespace)
    except KubenetError:
        return Diagnosis("other", f"There is no pod {client} in namespace {namespace}.")
    answer = cluster.resolve(name, from_pod=client, namespace=namespace)
    if not answer.addresses:
        # Each name once, though the resolver asks it for A and AAAA alike.
        asked = list(dict.fromkeys(query for query, _, _ in answer.tried))
        return _unresolved(cluster, name, namespace, asked)
    # A fixed seed: diagnosing leaves the cluster's own stream of traffic choices alone.
    trace = cluster.trace(f"{namespace}/{client}", name, port, seed=0)
    if trace.verdict == "delivered":
        return Diagnosis(None, f"It works now: {trace.reason}.")
    service = _owner(cluster, answer.addresses[0])
    if service is None:
        return Diagnosis("other", trace.summary())
    return _behind(cluster, service, port, trace)
