"""`kubectl describe` for Ingresses and IngressClasses.

Follows k8s.io/kubectl/pkg/describe/describe.go (`describeIngressV1`, `describeBackendV1`,
`serviceBackendStringer`, `describeIngressTLSV1`, `ingressLoadBalancerStatusStringerV1`,
`describeIngressClassV1`). A Service backend shows the ready endpoints of the Service port it
names, from the Service's EndpointSlices, or the error of looking the Service up.
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.api.errors import NotFound
from kubenet_nb.kubectl.describe.network import format_endpoint_slices
from kubenet_nb.kubectl.describe.writer import (
    Writer,
    describe_events,
    header,
    print_annotations,
    print_labels,
)

__all__ = ["describe_ingress", "describe_ingressclass"]


def _service_backend(
    backend: dict, services: dict[str, dict], slices: dict[str, list[dict]]
) -> str:
    """`serviceBackendStringer` and the endpoints of the Service port the backend names."""
    name, port = backend.get("name", ""), backend.get("port") or {}
    number, port_name = port.get("number", 0), port.get("name", "")
    text = f"{name}:{number or port_name}"
    service = services.get(name)
    if service is None:
        return f"{text} (<error: {NotFound('services', name).message}>)"
    found = ""
    for service_port in (service.get("spec") or {}).get("ports") or []:
        if (number and number == service_port.get("port")) or (
            port_name and port_name == service_port.get("name", "")
        ):
            found = service_port.get("name", "")
    return f"{text} ({format_endpoint_slices(slices.get(name) or [], found)})"


def _backend(backend: dict, services: dict[str, dict], slices: dict[str, list[dict]]) -> str:
    """`describeBackendV1`: a Service backend with its endpoints, or the resource it names."""
    if backend.get("service") is not None:
        return _service_backend(backend["service"], services, slices)
    resource = backend.get("resource")
    if resource is not None:
        group = resource.get("apiGroup")
        return (
            f"APIGroup: {'<none>' if group is None else group}, "
            f"Kind: {resource.get('kind', '')}, Name: {resource.get('name', '')}"
        )
    return ""


def _address(ing: dict) -> str:
    """`ingressLoadBalancerStatusStringerV1` (wide): the sorted set of IPs and hostnames."""
    entries = ((ing.get("status") or {}).get("loadBalancer") or {}).get("ingress") or []
    found = {e.get("ip") or e.get("hostname") or "" for e in entries} - {""}
    return ",".join(sorted(found))


def _tls(w: Writer, entries: list[dict]) -> None:
    """`describeIngressTLSV1`: `secret terminates hosts`, or `SNI routes hosts`."""
    w.write(0, "TLS:\n")
    for entry in entries:
        hosts = ",".join(entry.get("hosts") or [])
        if entry.get("secretName"):
            w.write(1, f"{entry['secretName']} terminates {hosts}\n")
        else:
            w.write(1, f"SNI routes {hosts}\n")


def describe_ingress(
    ing: dict,
    services: dict[str, dict],
    slices: dict[str, list[dict]],
    events: list[dict] | None,
    now: datetime,
) -> str:
    """`describeIngressV1`; `services` are its namespace's by name, `slices` their
    EndpointSlices by Service name."""
    meta, spec = ing.get("metadata", {}), ing.get("spec") or {}
    w = Writer()
    w.write(0, f"Name:\t{meta.get('name', '')}\n")
    print_labels(w, "Labels", meta.get("labels"))
    w.write(0, f"Namespace:\t{meta.get('namespace', '')}\n")
    w.write(0, f"Address:\t{_address(ing)}\n")
    w.write(0, f"Ingress Class:\t{spec.get('ingressClassName', '<none>')}\n")
    default = "<default>"
    if spec.get("defaultBackend") is not None:
        default = _backend(spec["defaultBackend"], services, slices)
    w.write(0, f"Default backend:\t{default}\n")
    if spec.get("tls"):
        _tls(w, spec["tls"])
    w.write(0, "Rules:\n  Host\tPath\tBackends\n")
    w.write(1, "----\t----\t--------\n")
    rules = [rule for rule in spec.get("rules") or [] if rule.get("http") is not None]
    for rule in rules:
        w.write(1, f"{rule.get('host') or '*'}\t\n")
        for path in rule["http"].get("paths") or []:
            backend = _backend(path.get("backend") or {}, services, slices)
            w.write(2, f"\t{path.get('path', '')} \t{backend}\n")
    if not rules:
        w.write(1, f"*\t*\t{default}\n")
    print_annotations(w, "Annotations", meta.get("annotations"))
    if events is not None:
        describe_events(w, events, now)
    return w.text()


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
