"""The endpoints table: which pods each Service port routes to, and why a pod or port gets none.

Endpoints are read as kube-proxy reads them (pkg/proxy/endpointslicecache.go): every IPv4 or
IPv6 EndpointSlice labelled `kubernetes.io/service-name`, a slice port matched to the Service
port by name and protocol (ports without a name or number skipped), an endpoint by its first
address, `ready`/`serving` unset meaning true and `terminating` unset false, copies of one
`ip:port` in several slices merged, rows sorted by the `ip:port` string as kube-proxy orders its
KUBE-SVC rules (`byEndpoint`). Which copy wins: kube-proxy v1.33 prefers the node-local one,
which means nothing in a table of the whole cluster; here a non-terminating copy beats a
terminating one (the rule of a later upstream change to `addEndpoints`), and between equals the
first slice by name (upstream: Go map order, undefined).

Pods the selector matches that are not endpoints of a port get a row each saying why (no IP yet,
finished, the named targetPort missing from their containers: the EndpointSlice controller's
`ShouldPodBeInEndpoints` and `FindPort`); a port with no row at all gets one row explaining it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from kubenet_nb.api.well_known import SERVICE_NAME_LABEL
from kubenet_nb.cluster.controllers.service_index import (
    find_port,
    selector_matches,
    should_be_in_endpoints,
)
from kubenet_nb.kubectl.printers import format_labels
from kubenet_nb.network.netfilter import host_port

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Objects

__all__ = ["BRIEF_COLUMNS", "ENDPOINT_COLUMNS", "brief", "endpoints_frame", "endpoints_table"]

ENDPOINT_COLUMNS = {
    "service": "string",
    "namespace": "string",
    "port_name": "string",
    "port": "Int64",
    "protocol": "string",
    "target_port": "string",
    "endpoint_ip": "string",
    "endpoint_port": "Int64",
    "pod": "string",
    "node": "string",
    "ready": "boolean",
    "serving": "boolean",
    "terminating": "boolean",
    "note": "string",
}
"""The columns of `endpoints_table(wide=True)`, in order, with their pandas dtypes (missing =
<NA>)."""
BRIEF_COLUMNS = ["service", "port", "endpoint", "pod", "node", "ready", "note"]
"""The columns `endpoints_table` shows by default: Service port → endpoint `ip:port` → pod →
node, whether it is ready, and why a row gets no traffic (empty when it does); the rest with
`wide=True`, as `kubectl get -o wide` adds columns. With every namespace, `namespace` comes
first, as `kubectl get -A` adds it."""

Row = dict[str, object]


def _meta(obj: dict) -> dict:
    return obj.get("metadata") or {}


def _slices_by_service(slices: Iterable[dict]) -> dict[tuple[str, str], list[dict]]:
    """IP slices by (namespace, service-name label), by slice name (FQDN ones: no consumer)."""
    found: dict[tuple[str, str], list[dict]] = {}
    for endpoint_slice in sorted(slices, key=lambda s: _meta(s).get("name", "")):
        meta = _meta(endpoint_slice)
        service = (meta.get("labels") or {}).get(SERVICE_NAME_LABEL)
        if service and endpoint_slice.get("addressType") in ("IPv4", "IPv6"):
            found.setdefault((meta.get("namespace", "default"), service), []).append(endpoint_slice)
    return found


def _endpoints(slices: list[dict], port: dict | None) -> list[tuple[str, int | None, dict]]:
    """(ip, port number, endpoint) for one Service port (None: a port-less headless Service),
    merged across slices and sorted by `ip:port`."""
    merged: dict[str, tuple[str, int | None, dict]] = {}
    for endpoint_slice in slices:
        if port is None:
            numbers: list[int | None] = [None]
        else:
            numbers = [
                p["port"]
                for p in endpoint_slice.get("ports") or ()
                if p.get("name") is not None
                and p.get("port")
                and p.get("name") == port.get("name", "")
                and (p.get("protocol") or "TCP") == (port.get("protocol") or "TCP")
            ]
        for number in numbers:
            for endpoint in endpoint_slice.get("endpoints") or ():
                addresses = endpoint.get("addresses") or ()
                if not addresses:
                    continue
                key = addresses[0] if number is None else host_port(addresses[0], number)
                if key not in merged or (
                    _terminating(merged[key][2]) and not _terminating(endpoint)
                ):
                    merged[key] = (addresses[0], number, endpoint)
    return [merged[key] for key in sorted(merged)]


def _terminating(endpoint: dict) -> bool:
    return (endpoint.get("conditions") or {}).get("terminating") is True


def _endpoint_note(conditions: tuple[bool, bool, bool], headless: bool, any_ready: bool) -> str:
    """Why an endpoint gets traffic or not: kube-proxy uses ready endpoints, else serving
    terminating ones (topology.go `CategorizeEndpoints`); CoreDNS publishes ready ones."""
    ready, serving, terminating = conditions
    if headless:
        if ready:
            return "headless: DNS answers with this address"
        return ("terminating" if terminating else "not ready") + ": left out of DNS answers"
    if ready:
        return ""
    if not terminating:
        return "not ready: no traffic"
    if not serving:
        return "terminating: no traffic"
    if any_ready:
        return "terminating: no new connections while another endpoint is ready"
    return "terminating: still serving, gets the traffic as no endpoint is ready"


def _why_not(pod: dict, port: dict | None) -> str:
    """Why a pod the selector matches is not an endpoint of this port."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Succeeded", "Failed"):
        return f"pod {status['phase']}: finished pods are not endpoints"
    if not should_be_in_endpoints(pod, include_terminating=True):
        return "no pod IP yet: not an endpoint"
    if port is not None and find_port(pod, port) is None:
        target = port.get("targetPort")
        protocol = port.get("protocol") or "TCP"
        return f'no container port named "{target}" ({protocol}) in this pod'
    return "not in the Service's EndpointSlices"


def _placeholder(service: dict, slices: list[dict]) -> str:
    """Why a Service port has no row at all (a pod the selector matches would have one)."""
    spec = service.get("spec") or {}
    if spec.get("type") == "ExternalName":
        return f"ExternalName: DNS answers with a CNAME to {spec.get('externalName', '')}"
    if not spec.get("selector"):
        if slices:
            return "no selector: the EndpointSlices written for it list no endpoint for this port"
        return "no selector: endpoints come from EndpointSlices written by hand, and none exists"
    return f"no pods match the selector {format_labels(spec['selector'])}"


def _base(service: dict, port: dict | None) -> Row:
    meta = _meta(service)
    row: Row = dict.fromkeys(ENDPOINT_COLUMNS)
    row["service"], row["namespace"] = meta.get("name", ""), meta.get("namespace", "default")
    if port is not None:
        target = port.get("targetPort", port.get("port"))
        row["port_name"] = port.get("name", "")
        row["port"] = port.get("port")
        row["protocol"] = port.get("protocol") or "TCP"
        row["target_port"] = None if target is None else str(target)
    return row


class _Pods:
    """Pods by namespace and label pair, each list by name: a selector's pods are found among
    those carrying its rarest pair, not among every pod."""

    def __init__(self, pods: Iterable[dict]) -> None:
        self._by_pair: dict[tuple[str, str, str], list[dict]] = {}
        for pod in sorted(pods, key=lambda p: _meta(p).get("name", "")):
            namespace = _meta(pod).get("namespace", "default")
            for pair in _labels(pod).items():
                self._by_pair.setdefault((namespace, *pair), []).append(pod)

    def matching(self, namespace: str, selector: dict[str, str]) -> list[dict]:
        if not selector:
            return []
        candidates = min(
            (self._by_pair.get((namespace, *pair), []) for pair in selector.items()), key=len
        )
        return [p for p in candidates if selector_matches(selector, _labels(p))]


def _service_rows(service: dict, slices: list[dict], matching: list[dict]) -> list[Row]:
    spec = service.get("spec") or {}
    headless = spec.get("clusterIP") == "None"
    rows: list[Row] = []
    for port in spec.get("ports") or [None]:
        port_rows: list[Row] = []
        endpoints = [] if spec.get("type") == "ExternalName" else _endpoints(slices, port)
        flags = [_conditions(endpoint) for _, _, endpoint in endpoints]
        any_ready = any(ready for ready, _, _ in flags)
        routed: set[str] = set()
        for (ip, number, endpoint), conditions in zip(endpoints, flags, strict=True):
            row = _base(service, port)
            ref = endpoint.get("targetRef") or {}
            pod = ref.get("name") if ref.get("kind") == "Pod" else None
            if pod is not None and ref.get("namespace", row["namespace"]) == row["namespace"]:
                routed.add(pod)
            row.update(endpoint_ip=ip, endpoint_port=number, pod=pod)
            row["node"] = endpoint.get("nodeName")
            row["ready"], row["serving"], row["terminating"] = conditions
            row["note"] = _endpoint_note(conditions, headless, any_ready) or None
            port_rows.append(row)
        if spec.get("type") != "ExternalName":
            for pod in matching:
                name = _meta(pod).get("name", "")
                if name not in routed:
                    row = _base(service, port)
                    row.update(pod=name, node=(pod.get("spec") or {}).get("nodeName"))
                    row["note"] = _why_not(pod, port)
                    port_rows.append(row)
        if not port_rows:
            row = _base(service, port)
            row["note"] = _placeholder(service, slices)
            port_rows.append(row)
        rows += port_rows
    return rows


def _labels(obj: dict) -> dict[str, str]:
    return _meta(obj).get("labels") or {}


def _conditions(endpoint: dict) -> tuple[bool, bool, bool]:
    """(ready, serving, terminating) as consumers read them: unset ready/serving are true."""
    conditions = endpoint.get("conditions") or {}
    return (
        conditions.get("ready") is not False,
        conditions.get("serving") is not False,
        conditions.get("terminating") is True,
    )


def endpoints_frame(
    services: Iterable[dict], endpoint_slices: Iterable[dict], pods: Iterable[dict]
) -> pd.DataFrame:
    """The endpoints table of these API objects: Services by (namespace, name), their ports in
    spec order, then each port's endpoints by `ip:port` and the matching pods left out by name."""
    by_service = _slices_by_service(endpoint_slices)
    index = _Pods(pods)
    rows: list[Row] = []
    ordered = sorted(
        services, key=lambda s: (_meta(s).get("namespace", "default"), _meta(s).get("name", ""))
    )
    for service in ordered:
        key = (_meta(service).get("namespace", "default"), _meta(service).get("name", ""))
        selector = (service.get("spec") or {}).get("selector") or {}
        matching = index.matching(key[0], selector)
        rows += _service_rows(service, by_service.get(key, []), matching)
    frame = pd.DataFrame(rows, columns=list(ENDPOINT_COLUMNS))
    return frame.astype(ENDPOINT_COLUMNS)


def brief(frame: pd.DataFrame, with_namespace: bool = False) -> pd.DataFrame:
    """The default columns of an endpoints table (`BRIEF_COLUMNS`): `endpoint` joins the
    endpoint's IP and port as `kubectl get endpoints` prints one (`10.244.1.2:80`, an IPv6
    address bracketed), empty for a row that is no endpoint.

    >>> wide = endpoints_frame([], [], [])
    >>> list(brief(wide, with_namespace=True).columns)
    ['namespace', 'service', 'port', 'endpoint', 'pod', 'node', 'ready', 'note']
    """
    joined = [
        pd.NA if pd.isna(ip) else (ip if pd.isna(number) else host_port(ip, int(number)))
        for ip, number in zip(frame["endpoint_ip"], frame["endpoint_port"], strict=True)
    ]
    shown = frame.assign(endpoint=pd.array(joined, dtype="string"))
    return shown[(["namespace"] if with_namespace else []) + BRIEF_COLUMNS]


def endpoints_table(
    cluster: Objects,
    namespace: str | None = None,
    service: str | None = None,
    *,
    wide: bool = False,
) -> pd.DataFrame:
    """Which pods each Service port routes to: by default service, port, endpoint `ip:port`,
    pod, node, ready and a note saying why a row gets no traffic (and the namespace first when
    `namespace` is None); with `wide=True`
    service, namespace, port name, port, protocol, targetPort, endpoint IP and port, pod, node,
    ready, serving, terminating, and a note saying why a row gets no traffic (or, for a port
    without endpoints, why there are none).

    `namespace=None` covers every namespace; `service` keeps the Services of that name.

    >>> from kubenet_nb import Cluster
    >>> c = Cluster()
    >>> _ = c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    >>> _ = c.kubectl("expose deployment web --port=80 --target-port=8080")
    >>> endpoints_table(c, "default", "web")[["port", "endpoint", "pod", "ready", "note"]]
       port         endpoint                   pod  ready  note
    0    80  10.244.1.2:8080  web-748595ffdc-h5ftj   True  <NA>
    1    80  10.244.2.2:8080  web-748595ffdc-f9ldk   True  <NA>
    """
    frame = _wide_table(cluster, namespace, service)
    return frame if wide else brief(frame, with_namespace=namespace is None)


def _wide_table(cluster: Objects, namespace: str | None, service: str | None) -> pd.DataFrame:
    services = cluster.list("services", namespace)
    if service is None:
        slices = cluster.list("endpointslices", namespace)
        return endpoints_frame(services, slices, cluster.list("pods", namespace))
    services = [s for s in services if _meta(s).get("name") == service]
    slices = cluster.list("endpointslices", namespace, f"{SERVICE_NAME_LABEL}={service}")
    pods = []
    for each in services:
        selector = (each.get("spec") or {}).get("selector")
        if selector:
            text = ",".join(f"{key}={value}" for key, value in selector.items())
            pods += cluster.list("pods", _meta(each).get("namespace", "default"), text)
    return endpoints_frame(services, slices, pods)
