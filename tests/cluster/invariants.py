"""Invariants of a settled `Cluster`, checked after every step of the state-machine test.

Each `check_*` reads the store (and the allocators' public counters) and raises AssertionError
naming what broke. The expectations are derived from upstream Kubernetes, not from the engine:
sources are cited next to each rule. `snapshot` captures everything a refused request must leave
untouched.
"""

from __future__ import annotations

import ipaddress
import json
from collections import Counter
from collections.abc import Collection

from kubenet_nb.api.kinds import RESOURCES
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.cluster.controllers.loadbalancer import parse_pool

__all__ = [
    "check_all",
    "check_cluster_ips",
    "check_deployments",
    "check_endpoint_slices",
    "check_legacy_endpoints",
    "check_load_balancers",
    "check_node_ports",
    "check_pods",
    "snapshot",
]

SERVICE_NAME = "kubernetes.io/service-name"
MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
SLICE_CONTROLLER = "endpointslice-controller.k8s.io"
HEADLESS = "service.kubernetes.io/headless"


def snapshot(c: ControlPlane) -> dict:
    """Everything a refused request must leave as it was: objects, allocations, randomness."""
    return {
        "objects": {info.kind: json.dumps(c.store.list(info.kind)) for info in RESOURCES},
        "resource_version": c.store.resource_version,
        "cluster_ips_used": c.cluster_ips.used,
        "node_ports_used": c.node_ports.used,
        "pod_ips_used": {node: len(a) for node, a in sorted(c.kubelets.allocators.items())},
        "random": c.random.getstate(),
        "events": len(c.api.events.records),
        "clock": c.clock.seconds,
        "pending": [ctrl.name for ctrl in c.controllers if ctrl.pending()],
    }


# -- helpers ------------------------------------------------------------------------------


def _key(obj: dict) -> str:
    return f"{obj['metadata'].get('namespace', '')}/{obj['metadata']['name']}"


def _is_ready(pod: dict) -> bool:
    """podutil.IsPodReady (pkg/api/v1/pod/util.go): the Ready condition is True."""
    conditions = (pod.get("status") or {}).get("conditions") or ()
    return any(c.get("type") == "Ready" and c.get("status") == "True" for c in conditions)


def _terminating(pod: dict) -> bool:
    return bool(pod["metadata"].get("deletionTimestamp"))


def _has_ip_not_terminal(pod: dict) -> bool:
    """ShouldPodBeInEndpoints(pod, true) (endpointslice/util/controller_utils.go)."""
    status = pod.get("status") or {}
    if status.get("phase") in ("Failed", "Succeeded"):
        return False
    return bool(status.get("podIP") or status.get("podIPs"))


def _selected_pods(c: ControlPlane, service: dict) -> list[dict]:
    """labels.Set(spec.selector): every pair present with the same value."""
    selector = service["spec"]["selector"]
    return [
        p
        for p in c.store.list("Pod", service["metadata"]["namespace"])
        if all((p["metadata"].get("labels") or {}).get(k) == v for k, v in selector.items())
    ]


def _find_port(pod: dict, service_port: dict) -> int | None:
    """podutil.FindPort (pkg/api/v1/pod/util.go): a number as is; a name looked up by name and
    protocol in the containers' ports (the tests generate no sidecar init containers)."""
    target = service_port.get("targetPort", service_port["port"])
    if isinstance(target, int):
        return target
    for container in pod["spec"]["containers"]:
        for port in container.get("ports") or ():
            if port.get("name") == target and port.get("protocol", "TCP") == service_port.get(
                "protocol", "TCP"
            ):
                return port["containerPort"]
    return None


def _resolved_ports(service: dict, pod: dict) -> frozenset[tuple[str, int, str]]:
    """getEndpointPorts (staging/src/k8s.io/endpointslice/utils.go): unresolvable ports skipped."""
    found = set()
    for service_port in service["spec"].get("ports") or ():
        number = _find_port(pod, service_port)
        if number is not None:
            found.add((service_port.get("name", ""), number, service_port.get("protocol", "TCP")))
    return frozenset(found)


def _selects(service: dict) -> bool:
    """Both endpoint controllers skip ExternalName and selector-less Services (syncService)."""
    spec = service["spec"]
    return spec.get("type") != "ExternalName" and bool(spec.get("selector"))


def _headless(service: dict) -> bool:
    return service["spec"].get("clusterIP") in ("None", "", None)


# -- pods and deployments -----------------------------------------------------------------


def check_pods(c: ControlPlane) -> None:
    """Pod IPs unique (hostNetwork pods excepted) and inside their node's podCIDR; IPAM agrees."""
    nodes = {n["metadata"]["name"]: n for n in c.store.list("Node")}
    cidrs = {name: ipaddress.ip_network(n["spec"]["podCIDR"]) for name, n in nodes.items()}
    node_ips = {
        name: next(a["address"] for a in n["status"]["addresses"] if a["type"] == "InternalIP")
        for name, n in nodes.items()
    }
    owners: dict[str, str] = {}
    per_node: Counter[str] = Counter()
    schedulable = any(
        not n["spec"].get("unschedulable") and not n["spec"].get("taints") for n in nodes.values()
    )
    for pod in c.store.list("Pod"):
        node = pod["spec"].get("nodeName")
        status = pod.get("status") or {}
        ip = status.get("podIP")
        if not node:
            assert not schedulable or _terminating(pod), f"pod {_key(pod)} left unscheduled"
            assert not ip, f"unscheduled pod {_key(pod)} has IP {ip}"
            continue
        assert node in nodes, f"pod {_key(pod)} bound to missing node {node}"
        assert ip, f"pod {_key(pod)} on {node} never got an IP"
        assert status.get("podIPs") == [{"ip": ip}], f"pod {_key(pod)} podIPs {status['podIPs']}"
        if pod["spec"].get("hostNetwork"):
            assert ip == node_ips[node], f"hostNetwork pod {_key(pod)} has {ip}"
            continue
        assert ipaddress.ip_address(ip) in cidrs[node], f"{_key(pod)} {ip} not in {cidrs[node]}"
        assert ip not in owners, f"pod IP {ip} of {_key(pod)} also held by {owners[ip]}"
        owners[ip] = _key(pod)
        per_node[node] += 1
    for node, allocator in c.kubelets.allocators.items():
        assert len(allocator) == per_node[node], (
            f"{node} IPAM holds {len(allocator)} IPs, pods use {per_node[node]}"
        )


def check_deployments(c: ControlPlane) -> None:
    """Each Deployment has spec.replicas active pods through its ReplicaSets (controller refs).

    Active = not terminating and not terminal (controller.IsPodActive, pkg/controller/
    controller_utils.go); a ReplicaSet creates pods whether or not they can be scheduled.
    """
    rs_owner = {}
    for rs in c.store.list("ReplicaSet"):
        ref = next(r for r in rs["metadata"]["ownerReferences"] if r.get("controller"))
        rs_owner[rs["metadata"]["uid"]] = ref["uid"]
    active: Counter[str] = Counter()
    for pod in c.store.list("Pod"):
        ref = next(
            (r for r in pod["metadata"].get("ownerReferences") or () if r.get("controller")), None
        )
        if ref is None or ref["kind"] != "ReplicaSet" or _terminating(pod):
            continue
        assert ref["uid"] in rs_owner, f"active pod {_key(pod)} outlived its ReplicaSet"
        active[rs_owner[ref["uid"]]] += 1
    for deployment in c.store.list("Deployment"):
        want = deployment["spec"]["replicas"]
        have = active[deployment["metadata"]["uid"]]
        assert have == want, f"deployment {_key(deployment)} has {have} active pods, wants {want}"


# -- services: addresses ------------------------------------------------------------------


def check_cluster_ips(c: ControlPlane) -> None:
    """ClusterIPs unique, inside the service CIDR, and exactly what the allocator holds."""
    network = ipaddress.ip_network(c.settings.service_cidr)
    held: dict[str, str] = {}
    for svc in c.store.list("Service"):
        spec = svc["spec"]
        if spec["type"] == "ExternalName":
            assert "clusterIP" not in spec, f"ExternalName {_key(svc)} has a clusterIP"
            continue
        ip = spec["clusterIP"]
        assert spec["clusterIPs"] == [ip], f"{_key(svc)} clusterIPs {spec['clusterIPs']}"
        if ip == "None":
            continue
        address = ipaddress.ip_address(ip)
        assert address in network, f"{_key(svc)} clusterIP {ip} outside {network}"
        edges = (network.network_address, network.broadcast_address)
        assert address not in edges, f"{_key(svc)} has the reserved clusterIP {ip}"
        assert ip not in held, f"clusterIP {ip} of {_key(svc)} also held by {held[ip]}"
        assert c.cluster_ips.has(ip), f"clusterIP {ip} of {_key(svc)} not marked allocated"
        held[ip] = _key(svc)
    assert c.cluster_ips.used == len(held), (
        f"allocator holds {c.cluster_ips.used} IPs, services {len(held)}"
    )


def check_node_ports(c: ControlPlane) -> None:
    """NodePorts (and healthCheckNodePorts) unique across Services, in range, all allocated.

    Ports of one Service with the same port number share one nodePort (alloc.go initNodePorts).
    """
    low, high = (int(x) for x in c.settings.node_port_range.split("-"))
    held: dict[int, tuple[str, int | None]] = {}

    def claim(port: int, svc: dict, number: int | None) -> None:
        assert low <= port <= high, f"{_key(svc)} nodePort {port} outside {low}-{high}"
        owner = (_key(svc), number)
        assert held.get(port, owner) == owner, (
            f"nodePort {port} of {owner} also held by {held[port]}"
        )
        assert c.node_ports.has(port), f"nodePort {port} of {_key(svc)} not marked allocated"
        held[port] = owner

    for svc in c.store.list("Service"):
        spec = svc["spec"]
        wants = spec["type"] == "NodePort" or (
            spec["type"] == "LoadBalancer"
            and spec.get("allocateLoadBalancerNodePorts") is not False
        )
        for port in spec.get("ports") or ():
            if spec["type"] == "ExternalName":
                # ValidateService forbids a nodePort only for type ClusterIP, and alloc.go
                # allocates them only when needsNodePort (NodePort, LoadBalancer): an
                # ExternalName Service may carry a nodePort that nothing holds.
                continue
            if spec["type"] not in ("NodePort", "LoadBalancer"):
                assert "nodePort" not in port, f"{spec['type']} {_key(svc)} has a nodePort"
            elif wants:
                assert port.get("nodePort"), f"{_key(svc)} port {port['port']} lacks a nodePort"
            if port.get("nodePort"):
                claim(port["nodePort"], svc, port["port"])
        local = spec.get("externalTrafficPolicy") == "Local"
        if spec["type"] == "LoadBalancer" and local:
            assert spec.get("healthCheckNodePort"), f"{_key(svc)} lacks a healthCheckNodePort"
            claim(spec["healthCheckNodePort"], svc, None)
        else:
            assert not spec.get("healthCheckNodePort"), f"{_key(svc)} keeps a healthCheckNodePort"
    assert c.node_ports.used == len(held), (
        f"allocator holds {c.node_ports.used} ports, services {len(held)}"
    )


def check_load_balancers(c: ControlPlane) -> None:
    """Every LoadBalancer Service (default class) has one distinct pool IP; others none."""
    pool = parse_pool(c.settings.load_balancer_pool)
    balancers = [s for s in c.store.list("Service") if s["spec"]["type"] == "LoadBalancer"]
    assert len(balancers) <= len(pool), "the tests never exhaust the pool"
    owners: dict[str, str] = {}
    for svc in c.store.list("Service"):
        ingress = (svc.get("status") or {}).get("loadBalancer", {}).get("ingress") or []
        if svc["spec"]["type"] != "LoadBalancer":
            assert not ingress, f"{svc['spec']['type']} {_key(svc)} has ingress {ingress}"
            continue
        assert len(ingress) == 1, f"LoadBalancer {_key(svc)} has ingress {ingress}"
        ip = ingress[0]["ip"]
        assert ip in pool, f"{_key(svc)} ingress {ip} not in the pool"
        assert ip not in owners, f"ingress {ip} of {_key(svc)} also given to {owners[ip]}"
        owners[ip] = _key(svc)


# -- services: endpoints ------------------------------------------------------------------


def _expected_endpoint(c: ControlPlane, service: dict, pod: dict) -> dict:
    """podToEndpoint (staging/src/k8s.io/endpointslice/utils.go) for a pod with one IPv4."""
    serving = _is_ready(pod)
    terminating = _terminating(pod)
    publish = bool(service["spec"].get("publishNotReadyAddresses"))
    meta = pod["metadata"]
    endpoint: dict = {
        "addresses": [pod["status"]["podIP"]],
        "conditions": {
            "ready": publish or (serving and not terminating),
            "serving": serving,
            "terminating": terminating,
        },
        "targetRef": {
            "kind": "Pod",
            "namespace": meta["namespace"],
            "name": meta["name"],
            "uid": meta["uid"],
        },
        "nodeName": pod["spec"]["nodeName"],
    }
    node = c.store.get("Node", "", pod["spec"]["nodeName"]) or {}
    zone = (node.get("metadata", {}).get("labels") or {}).get("topology.kubernetes.io/zone")
    if zone:
        endpoint["zone"] = zone
    return endpoint


def _slice_ports(endpoint_slice: dict) -> frozenset[tuple[str, int, str]]:
    # discovery/v1 EndpointSlice: `ports` and `endpoints` carry no omitempty, so they are always
    # written, as null when empty (k8s.io/api/discovery/v1/types.go).
    assert "ports" in endpoint_slice, f"slice {_key(endpoint_slice)} has no ports field"
    ports = endpoint_slice["ports"] or []
    # EndpointPort.Name is a *string set to &servicePort.Name, so "" is written out (utils.go).
    assert all("name" in p for p in ports), f"slice {_key(endpoint_slice)} port without name"
    found = frozenset((p["name"], p["port"], p["protocol"]) for p in ports)
    assert len(found) == len(ports), f"slice {_key(endpoint_slice)} repeats a port"
    return found


def check_endpoint_slices(
    c: ControlPlane, max_per_slice: int, retyped: Collection[str] = ()
) -> None:
    """The controller-managed slices of each selector Service hold exactly its pods' endpoints.

    One endpoint per selected pod that has an IP and is not terminal, terminating pods included
    (reconciler.go reconcileByAddressType with ShouldPodBeInEndpoints(pod, true)); pods grouped
    by their resolved port list (NewPortMapKey), so a pod lacking a named port sits in a slice
    without that port; at most maxEndpointsPerSlice per slice; slices are never left empty except
    the placeholder (ports and endpoints null) of reconcileByAddressType.
    """
    services = {_key(s): s for s in c.store.list("Service")}
    managed: dict[str, list[dict]] = {}
    for endpoint_slice in c.store.list("EndpointSlice"):
        labels = endpoint_slice["metadata"].get("labels") or {}
        if labels.get(MANAGED_BY) != SLICE_CONTROLLER:
            continue
        owner = f"{endpoint_slice['metadata']['namespace']}/{labels[SERVICE_NAME]}"
        # Slices go with their Service (garbage collection through the owner reference); a
        # Service turned ExternalName keeps its old slices, as syncService returns early for it.
        assert owner in services, f"slice {_key(endpoint_slice)} left behind for {owner}"
        managed.setdefault(owner, []).append(endpoint_slice)
    for key, service in services.items():
        if not _selects(service):
            continue
        slices = managed.get(key, [])
        assert slices, f"service {key} has no EndpointSlice"
        _check_slices_of(c, service, slices, max_per_slice, key not in retyped)


def _check_slices_of(
    c: ControlPlane, service: dict, slices: list[dict], max_per_slice: int, headless_label: bool
) -> None:
    key = _key(service)
    refs = [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "name": service["metadata"]["name"],
            "uid": service["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    expected = {
        p["metadata"]["name"]: (_expected_endpoint(c, service, p), _resolved_ports(service, p))
        for p in _selected_pods(c, service)
        if _has_ip_not_terminal(p)
    }
    seen: dict[str, str] = {}
    for endpoint_slice in slices:
        name = _key(endpoint_slice)
        meta = endpoint_slice["metadata"]
        # newEndpointSlice / setEndpointSliceLabels (utils.go): owner ref, headless label.
        assert meta.get("ownerReferences") == refs, f"slice {name} owners {meta['ownerReferences']}"
        if headless_label:
            headless = HEADLESS in meta["labels"]
            assert headless == _headless(service), f"slice {name} headless label"
        assert endpoint_slice["addressType"] == "IPv4", (
            f"slice {name} {endpoint_slice['addressType']}"
        )
        ports = _slice_ports(endpoint_slice)
        assert "endpoints" in endpoint_slice, f"slice {name} has no endpoints field"
        endpoints = endpoint_slice["endpoints"] or []
        assert len(endpoints) <= max_per_slice, f"slice {name} holds {len(endpoints)} endpoints"
        if not endpoints:
            # Only a placeholder (no ports) stays empty: alone when nothing is desired, or beside
            # pods that resolve no port either, when reconcileByPortMapping step 3 found as many
            # endpoints left as maxEndpointsPerSlice (`desiredSet.Len() < max` is false) and made
            # a new slice instead of filling the unchanged placeholder. That second case needs
            # NewPortMapKey to hash the stored nil ports like the desired empty list, which
            # upstream does only since kubernetes/kubernetes#136502 (fixing #133474, 2026): in
            # v1.33 the keys differ, port-less slices are rewritten on every sync and the
            # placeholder is reused (finalize turns the create into its update), never left
            # empty. Both layouts are accepted here.
            portless = any(not p for _, p in expected.values())
            alone = not expected and len(slices) == 1
            assert not ports, f"empty slice {name} kept with ports {set(ports)}"
            assert alone or portless, f"empty slice {name} kept"
        for endpoint in endpoints:
            pod = (endpoint.get("targetRef") or {}).get("name", "")
            assert pod in expected, f"slice {name} has an endpoint for {pod!r} (service {key})"
            assert pod not in seen, f"pod {pod} in slices {seen[pod]} and {name}"
            seen[pod] = name
            want, want_ports = expected[pod]
            assert endpoint == want, f"slice {name} endpoint {endpoint}, expected {want}"
            assert ports == want_ports, (
                f"pod {pod} in slice {name} with ports {set(ports)}, resolves {set(want_ports)}"
            )
    missing = sorted(set(expected) - set(seen))
    assert not missing, f"service {key} slices miss pods {missing}"


def check_legacy_endpoints(c: ControlPlane, retyped: Collection[str] = ()) -> None:
    """The core/v1 Endpoints of each selector Service agree with its pods.

    pkg/controller/endpoint/endpoints_controller.go syncService: pods pass
    ShouldPodBeInEndpoints(pod, publishNotReadyAddresses), so terminating pods only with it; an
    address is ready when publishNotReadyAddresses or the pod is Ready (addEndpointSubset); a
    port the pod cannot resolve is skipped; a headless Service without ports gets port-less
    subsets. RepackSubsets (pkg/api/v1/endpoints/util.go LessEndpointAddress) sorts addresses by
    the IP *string*'s bytes (so 10.244.1.10 before 10.244.1.9), then by UID.
    """
    services = {_key(s): s for s in c.store.list("Service")}
    for endpoints in c.store.list("Endpoints"):
        key = _key(endpoints)
        if key == "default/kubernetes":
            continue
        # Deleted with the Service (syncService, Service NotFound); kept, stale, when it turns
        # ExternalName (the early return added for kubernetes/kubernetes#105986).
        assert key in services, f"Endpoints {key} left behind"
    for key, service in services.items():
        if not _selects(service):
            continue
        endpoints = c.store.get("Endpoints", *key.split("/"))
        assert endpoints is not None, f"service {key} has no Endpoints"
        if key not in retyped:
            labels = endpoints["metadata"].get("labels") or {}
            assert (HEADLESS in labels) == _headless(service), f"Endpoints {key} headless label"
        assert Counter(_legacy_rows(endpoints)) == _expected_legacy_rows(c, service), (
            f"Endpoints {key}: {endpoints.get('subsets')}"
        )


def _legacy_rows(endpoints: dict) -> list[tuple]:
    rows = []
    for subset in endpoints.get("subsets") or ():
        ports = [(p.get("name", ""), p["port"], p["protocol"]) for p in subset.get("ports") or ()]
        for field, ready in (("addresses", True), ("notReadyAddresses", False)):
            addresses = subset.get(field) or []
            order = [(a["ip"], a["targetRef"]["uid"]) for a in addresses]
            assert order == sorted(order), f"Endpoints {_key(endpoints)} {field} not sorted"
            for address in addresses:
                ref = address["targetRef"]
                for port in ports or [None]:
                    rows.append(
                        (
                            address["ip"],
                            ref["name"],
                            ref["uid"],
                            address.get("nodeName"),
                            port,
                            ready,
                        )
                    )
    return rows


def _expected_legacy_rows(c: ControlPlane, service: dict) -> Counter:
    spec = service["spec"]
    publish = bool(spec.get("publishNotReadyAddresses"))
    rows: Counter = Counter()
    for pod in _selected_pods(c, service):
        if not _has_ip_not_terminal(pod) or (_terminating(pod) and not publish):
            continue
        ready = publish or _is_ready(pod)
        base = (
            pod["status"]["podIP"],
            pod["metadata"]["name"],
            pod["metadata"]["uid"],
            pod["spec"]["nodeName"],
        )
        if not spec.get("ports"):
            if spec.get("clusterIP") == "None":
                rows[(*base, None, ready)] += 1
            continue
        for port in _resolved_ports(service, pod):
            rows[(*base, port, ready)] += 1
    return rows


def check_all(c: ControlPlane, max_per_slice: int, retyped: Collection[str] = ()) -> None:
    """Every invariant, and the cluster settled: no controller has work left.

    `retyped` names the Services ("namespace/name") whose type was changed by an update: their
    slices and Endpoints may keep a stale `service.kubernetes.io/headless` label, as upstream's
    do. Both controllers leave that label out when deciding whether anything changed
    (endpointslice utils.go setEndpointSliceLabels reports only non-reserved label changes;
    endpoints_controller.go syncService compares the labels without it), so a Service that turns
    headless or not through ExternalName keeps the old label until its endpoints change.
    """
    pending = [ctrl.name for ctrl in c.controllers if ctrl.pending()]
    assert not pending, f"controllers left with work: {pending}"
    check_pods(c)
    check_deployments(c)
    check_cluster_ips(c)
    check_node_ports(c)
    check_load_balancers(c)
    check_endpoint_slices(c, max_per_slice, retyped)
    check_legacy_endpoints(c, retyped)
