"""`kubectl describe` for Services, Endpoints, EndpointSlices and Namespaces.

Field labels and layout follow k8s.io/kubectl/pkg/describe/describe.go (`describeService`,
`formatEndpointSlices`, `describeEndpoints`, `describeEndpointSliceV1`, `describeNamespace`;
its quota and limit sections are quota.py's).
kubectl computes the Service's `Endpoints:` line from its EndpointSlices, not from the Endpoints
object (the real v1.32 client prints `<none>` when only the slices are missing).
"""

from __future__ import annotations

from datetime import datetime

from kubenet_nb.kubectl.describe.quota import print_limit_ranges, print_resource_quotas
from kubenet_nb.kubectl.describe.writer import describe_events, header, print_conditions_since
from kubenet_nb.kubectl.printers import format_labels, join_host_port

__all__ = [
    "describe_endpoints",
    "describe_endpointslice",
    "describe_namespace",
    "describe_service",
    "format_endpoint_slices",
]


def format_endpoint_slices(slices: list[dict], port_name: str) -> str:
    """`formatEndpointSlices`: ready `ip:port` for the named Service port, three then `+ N more`.

    >>> slice_ = {
    ...     "ports": [{"name": "", "port": 8080}],
    ...     "endpoints": [
    ...         {"addresses": [f"10.244.1.{i}"], "conditions": {"ready": True}} for i in range(2, 7)
    ...     ],
    ... }
    >>> format_endpoint_slices([slice_], "")
    '10.244.1.2:8080,10.244.1.3:8080,10.244.1.4:8080 + 2 more...'
    """
    if not slices:
        return "<none>"
    found: list[str] = []
    more = False
    count = 0
    for slice_ in slices:
        ports = slice_.get("ports") or [None]
        for port in ports:
            if port is not None and port.get("name", "") != port_name:
                continue
            for endpoint in slice_.get("endpoints") or []:
                if len(found) == 3:
                    more = True
                if (endpoint.get("conditions") or {}).get("ready") is False:
                    continue
                if not more:
                    address = endpoint["addresses"][0]
                    found.append(
                        address if port is None else join_host_port(address, port.get("port", 0))
                    )
                count += 1
    text = ",".join(found)
    return f"{text} + {count - 3} more..." if more else text


def _port_text(port: dict) -> str:
    target = port.get("targetPort", 0)
    return f"{target}/{port.get('protocol', '')}"


def describe_service(
    svc: dict, slices: list[dict], events: list[dict] | None, now: datetime
) -> str:
    """`describeService`: the Service, its ports and their ready endpoints, and its events."""
    spec, status = svc.get("spec", {}), svc.get("status") or {}
    w = header(svc)
    w.write(0, f"Selector:\t{format_labels(spec.get('selector'))}\n")
    w.write(0, f"Type:\t{spec.get('type', '')}\n")
    if spec.get("ipFamilyPolicy") is not None:
        w.write(0, f"IP Family Policy:\t{spec['ipFamilyPolicy']}\n")
    w.write(0, f"IP Families:\t{','.join(spec.get('ipFamilies') or []) or '<none>'}\n")
    w.write(0, f"IP:\t{spec.get('clusterIP', '')}\n")
    w.write(0, f"IPs:\t{','.join(spec.get('clusterIPs') or []) or '<none>'}\n")
    if spec.get("externalIPs"):
        w.write(0, f"External IPs:\t{','.join(spec['externalIPs'])}\n")
    if spec.get("loadBalancerIP"):
        w.write(0, f"Desired LoadBalancer IP:\t{spec['loadBalancerIP']}\n")
    if spec.get("externalName"):
        w.write(0, f"External Name:\t{spec['externalName']}\n")
    ingress = (status.get("loadBalancer") or {}).get("ingress") or []
    if ingress:
        shown = [
            (i["ip"] + (f" ({i['ipMode']})" if i.get("ipMode") else ""))
            if i.get("ip")
            else i.get("hostname", "")
            for i in ingress
        ]
        w.write(0, f"LoadBalancer Ingress:\t{', '.join(shown)}\n")
    for port in spec.get("ports") or []:
        name = port.get("name") or "<unset>"
        protocol = port.get("protocol", "")
        w.write(0, f"Port:\t{name}\t{port.get('port')}/{protocol}\n")
        w.write(0, f"TargetPort:\t{_port_text(port)}\n")
        if port.get("nodePort"):
            w.write(0, f"NodePort:\t{name}\t{port['nodePort']}/{protocol}\n")
        endpoints = format_endpoint_slices(slices, port.get("name", ""))
        w.write(0, f"Endpoints:\t{endpoints}\n")
    w.write(0, f"Session Affinity:\t{spec.get('sessionAffinity', '')}\n")
    if spec.get("externalTrafficPolicy"):
        w.write(0, f"External Traffic Policy:\t{spec['externalTrafficPolicy']}\n")
    if spec.get("internalTrafficPolicy") is not None:
        w.write(0, f"Internal Traffic Policy:\t{spec['internalTrafficPolicy']}\n")
    if spec.get("healthCheckNodePort"):
        w.write(0, f"HealthCheck NodePort:\t{spec['healthCheckNodePort']}\n")
    if spec.get("loadBalancerSourceRanges"):
        w.write(0, f"LoadBalancer Source Ranges:\t{','.join(spec['loadBalancerSourceRanges'])}\n")
    if spec.get("trafficDistribution"):
        w.write(0, f"Traffic Distribution:\t{spec['trafficDistribution']}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_endpoints(ep: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeEndpoints`: each subset's ready and not-ready addresses and its ports."""
    w = header(ep)
    w.write(0, "Subsets:\n")
    for subset in ep.get("subsets") or []:
        ready = ",".join(a.get("ip", "") for a in subset.get("addresses") or [])
        not_ready = ",".join(a.get("ip", "") for a in subset.get("notReadyAddresses") or [])
        w.write(1, f"Addresses:\t{ready or '<none>'}\n")
        w.write(1, f"NotReadyAddresses:\t{not_ready or '<none>'}\n")
        if subset.get("ports"):
            w.write(1, "Ports:\n")
            w.write(2, "Name\tPort\tProtocol\n")
            w.write(2, "----\t----\t--------\n")
            for port in subset["ports"]:
                name = port.get("name") or "<unset>"
                w.write(2, f"{name}\t{port.get('port')}\t{port.get('protocol', '')}\n")
        w.write(0, "\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_endpointslice(eps: dict, events: list[dict] | None, now: datetime) -> str:
    """`describeEndpointSliceV1`: ports, then each endpoint with its conditions and owners."""
    w = header(eps)
    w.write(0, f"AddressType:\t{eps.get('addressType', '')}\n")
    if not eps.get("ports"):
        w.write(0, "Ports: <unset>\n")
    else:
        w.write(0, "Ports:\n")
        w.write(1, "Name\tPort\tProtocol\n")
        w.write(1, "----\t----\t--------\n")
        for port in eps["ports"]:
            name = port.get("name") or "<unset>"
            number = "<unset>" if port.get("port") is None else str(port["port"])
            w.write(1, f"{name}\t{number}\t{port.get('protocol', '')}\n")
    if not eps.get("endpoints"):
        w.write(0, "Endpoints: <none>\n")
    else:
        w.write(0, "Endpoints:\n")
        for endpoint in eps["endpoints"]:
            w.write(1, f"- Addresses:\t{', '.join(endpoint.get('addresses') or []) or '<none>'}\n")
            w.write(2, "Conditions:\n")
            ready = (endpoint.get("conditions") or {}).get("ready")
            w.write(3, f"Ready:\t{'<unset>' if ready is None else str(ready).lower()}\n")
            hostname = endpoint.get("hostname")
            w.write(2, f"Hostname:\t{'<unset>' if hostname is None else hostname}\n")
            target = endpoint.get("targetRef")
            if target is not None:
                w.write(2, f"TargetRef:\t{target.get('kind', '')}/{target.get('name', '')}\n")
            node = endpoint.get("nodeName")
            w.write(2, f"NodeName:\t{'<unset>' if node is None else node}\n")
            zone = endpoint.get("zone")
            w.write(2, f"Zone:\t{'<unset>' if zone is None else zone}\n")
    if events is not None:
        describe_events(w, events, now)
    return w.text()


def describe_namespace(ns: dict, quotas: list[dict], limit_ranges: list[dict]) -> str:
    """`describeNamespace`: status, conditions, then its ResourceQuotas and LimitRanges."""
    status = ns.get("status") or {}
    w = header(ns, namespace=False)
    w.write(0, f"Status:\t{status.get('phase', '')}\n")
    if status.get("conditions"):
        print_conditions_since(w, status["conditions"])
    w.write(0, "\n")
    print_resource_quotas(w, quotas)
    w.write(0, "\n")
    print_limit_ranges(w, limit_ranges)
    return w.text()
