"""The Services of a topology picture: virtual-IP boxes and the endpoints behind them.

A Service box carries its name, type, ClusterIP, ports and selector; edges go to each endpoint
labelled with the port mapping (`80 → 8080`) and styled by the endpoint's conditions. A headless
Service is a DNS name whose A records point at pods; an ExternalName Service a CNAME to a name
outside the cluster.
"""

from __future__ import annotations

from kubenet_nb.views.dot import TIMES, dot_id, table, text
from kubenet_nb.views.topology.drawing import Drawing
from kubenet_nb.views.topology.endpoints import DrawnEndpoint, port_mapping, service_endpoints
from kubenet_nb.views.topology.scene import object_key, qualified
from kubenet_nb.views.topology.styles import DNS_STYLE, LOCAL_SERVICE_STYLE, SERVICE_STYLE

__all__ = ["external_local", "ingress_addresses", "service_boxes", "service_endpoint_map"]

_LOCAL_NOTE = (
    '<FONT COLOR="#862e9c">externalTrafficPolicy Local:<BR/>client IP kept, local pods only</FONT>'
)


def _spec(service: dict) -> dict:
    return service.get("spec") or {}


def external_local(service: dict) -> bool:
    """externalTrafficPolicy Local on a Service that has node ports."""
    spec = _spec(service)
    return spec.get("type") in ("NodePort", "LoadBalancer") and (
        spec.get("externalTrafficPolicy") == "Local"
    )


def ingress_addresses(service: dict) -> list[str]:
    """The load balancer's addresses in the Service's status (IPs or hostnames)."""
    ingress = ((service.get("status") or {}).get("loadBalancer") or {}).get("ingress") or ()
    return [each.get("ip") or each.get("hostname") or "" for each in ingress]


def service_endpoint_map(drawing: Drawing) -> dict[tuple[str, str], list[DrawnEndpoint]]:
    """Each drawn Service's endpoints."""
    return {
        object_key(s): service_endpoints(s, drawing.scene.slices.get(object_key(s), ()))
        for s in drawing.scene.services
    }


def _markup(service: dict, domain: str) -> str:
    spec, key = _spec(service), object_key(service)
    kind = spec.get("type") or "ClusterIP"
    dns_only = kind == "ExternalName" or spec.get("clusterIP") == "None"
    rows = [f"<B>svc {text(qualified(key))}</B>"]
    if kind == "ExternalName":
        rows.append(text(f"ExternalName → {spec.get('externalName', '')}"))
    elif dns_only:
        rows.append("headless (clusterIP: None)")
    else:
        ip = spec.get("clusterIP") or "none"
        rows.append(text(f"ClusterIP {ip}" if kind == "ClusterIP" else f"{kind} · ClusterIP {ip}"))
    if dns_only:
        rows.append(text(f"DNS {key[1]}.{key[0]}.svc.{domain}"))
    if kind == "LoadBalancer":
        rows.append(text(f"external IP {', '.join(ingress_addresses(service)) or '<pending>'}"))
    for port in spec.get("ports") or ():
        words = port_mapping(port["port"], port.get("protocol") or "TCP", port.get("targetPort"))
        if port.get("nodePort"):
            words += f" · nodePort {port['nodePort']}"
        if port.get("name"):
            words += f" ({port['name']})"
        rows.append(text(words))
    if kind != "ExternalName":
        chosen = ", ".join(f"{k}={v}" for k, v in sorted((spec.get("selector") or {}).items()))
        rows.append(text(f"selector {chosen}" if chosen else "no selector"))
    if spec.get("sessionAffinity") == "ClientIP":
        rows.append("sessionAffinity ClientIP")
    if external_local(service):
        rows.append(_LOCAL_NOTE)
    if spec.get("internalTrafficPolicy") == "Local":
        rows.append("internalTrafficPolicy Local")
    return table(rows)


def _style(service: dict) -> dict[str, str]:
    spec = _spec(service)
    if spec.get("type") == "ExternalName" or spec.get("clusterIP") == "None":
        return DNS_STYLE
    return LOCAL_SERVICE_STYLE if external_local(service) else SERVICE_STYLE


def _dns_edges(drawing: Drawing, service: dict) -> None:
    spec, key = _spec(service), object_key(service)
    svc_id = dot_id("svc", *key)
    if spec.get("type") == "ExternalName":
        name = spec.get("externalName") or ""
        target = drawing.outside(dot_id("name", name), [name, "outside the cluster"])
        drawing.add_edge(svc_id, target, "dns", "CNAME")
        return
    answers: dict[str, int] = {}
    for ip in drawing.scene.dns.get(key, ()):
        address = drawing.address_id(ip)
        if address is not None:
            answers[address] = answers.get(address, 0) + 1
    for target, count in answers.items():
        drawing.add_edge(svc_id, target, "dns", "A" + (f" {TIMES}{count}" if count > 1 else ""))


def service_boxes(drawing: Drawing, endpoints: dict[tuple[str, str], list[DrawnEndpoint]]) -> None:
    """Every Service box, then the edges to its endpoints (or its DNS answers)."""
    for service in drawing.scene.services:
        markup = _markup(service, drawing.scene.domain)
        drawing.add_node(
            drawing.graph, dot_id("svc", *object_key(service)), markup, **_style(service)
        )
    for service in drawing.scene.services:
        spec, key = _spec(service), object_key(service)
        if spec.get("type") == "ExternalName" or spec.get("clusterIP") == "None":
            _dns_edges(drawing, service)
        else:
            drawing.endpoint_edges(dot_id("svc", *key), [(e, e.mappings) for e in endpoints[key]])
