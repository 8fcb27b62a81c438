"""Server-side table cells, checked against kubernetes/kubernetes pkg/printers/internalversion/
printers.go (printPod, printService, formatEndpoints, printEndpointSlice, printNode, ...)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubenet_nb.kubectl.printers.columns import table_for

NOW = datetime(2025, 1, 1, 1, 0, 0, tzinfo=timezone.utc)
CREATED = "2025-01-01T00:00:00Z"


def row(kind: str, obj: dict) -> list:
    obj = {
        "metadata": {
            "name": "x",
            "namespace": "default",
            "creationTimestamp": CREATED,
            **obj.pop("metadata", {}),
        },
        **obj,
    }
    return table_for(kind, [obj], NOW).rows[0]


def headers(kind: str) -> list[tuple[str, int]]:
    return [(c.name.upper(), c.priority) for c in table_for(kind, [], NOW).columns]


def svc(kind: str, **spec: object) -> dict:
    return {
        "spec": {
            "type": kind,
            "clusterIPs": ["10.96.0.20"],
            "ports": [{"port": 80, "protocol": "TCP"}],
            **spec,
        }
    }


def test_service_columns_and_cells() -> None:
    assert headers("Service") == [
        ("NAME", 0),
        ("TYPE", 0),
        ("CLUSTER-IP", 0),
        ("EXTERNAL-IP", 0),
        ("PORT(S)", 0),
        ("AGE", 0),
        ("SELECTOR", 1),
    ]
    assert row("Service", svc("ClusterIP", selector={"app": "web"})) == [
        "x",
        "ClusterIP",
        "10.96.0.20",
        "<none>",
        "80/TCP",
        "60m",
        "app=web",
    ]


@pytest.mark.parametrize(
    ("spec", "status", "external"),
    [
        ({"type": "NodePort", "externalIPs": ["1.2.3.4", "5.6.7.8"]}, {}, "1.2.3.4,5.6.7.8"),
        ({"type": "LoadBalancer"}, {}, "<pending>"),
        (
            {"type": "LoadBalancer"},
            {"loadBalancer": {"ingress": [{"ip": "172.18.255.201"}, {"hostname": "lb.example"}]}},
            "172.18.255.201,lb.example",
        ),
        (
            {"type": "LoadBalancer", "externalIPs": ["1.2.3.4"]},
            {"loadBalancer": {"ingress": [{"ip": "172.18.255.201"}]}},
            "172.18.255.201,1.2.3.4",
        ),
        ({"type": "ExternalName", "externalName": "db.example.com"}, {}, "db.example.com"),
        ({"type": "Weird"}, {}, "<unknown>"),
    ],
)
def test_service_external_ip(spec: dict, status: dict, external: str) -> None:
    assert row("Service", {"spec": spec, "status": status})[3] == external


def test_service_ports_and_missing_ip() -> None:
    ports = [{"port": 80, "nodePort": 30080, "protocol": "TCP"}, {"port": 53, "protocol": "UDP"}]
    cells = row("Service", {"spec": {"type": "NodePort", "ports": ports}})
    assert cells[2] == "<none>"
    assert cells[4] == "80:30080/TCP,53/UDP"
    assert row("Service", {"spec": {"type": "ClusterIP", "clusterIPs": ["None"]}})[2:5] == [
        "None",
        "<none>",
        "<none>",
    ]


def test_endpoints_cells() -> None:
    addresses = [{"ip": f"10.244.1.{i}"} for i in range(2, 6)]
    subsets = [{"addresses": addresses, "ports": [{"port": 80}]}]
    assert row("Endpoints", {"subsets": subsets})[1] == (
        "10.244.1.2:80,10.244.1.3:80,10.244.1.4:80 + 1 more..."
    )
    assert row("Endpoints", {})[1] == "<none>"
    assert row("Endpoints", {"subsets": [{"notReadyAddresses": addresses}]})[1] == ""
    v6 = [{"addresses": [{"ip": "fd00::5"}], "ports": [{"port": 80}]}]
    assert row("Endpoints", {"subsets": v6})[1] == "[fd00::5]:80"
    headless = [{"addresses": addresses[:2]}]
    assert row("Endpoints", {"subsets": headless})[1] == "10.244.1.2,10.244.1.3"


def test_endpointslice_cells() -> None:
    endpoints = [{"addresses": [f"10.244.1.{i}"]} for i in range(2, 7)]
    ports = [{"port": 80}, {"name": "metrics"}, {}, {"port": 53}]
    assert row("EndpointSlice", {"addressType": "IPv4", "ports": ports, "endpoints": endpoints})[
        1:4
    ] == ["IPv4", "80,metrics,* + 1 more...", "10.244.1.2,10.244.1.3,10.244.1.4 + 2 more..."]
    assert row("EndpointSlice", {"addressType": "IPv4"})[2:4] == ["<unset>", "<unset>"]


def node(conditions: list[dict], labels: dict | None = None, **spec: object) -> dict:
    return {
        "metadata": {"labels": labels or {}},
        "spec": spec,
        "status": {
            "conditions": conditions,
            "nodeInfo": {"kubeletVersion": "v1.33.1"},
            "addresses": [{"type": "InternalIP", "address": "172.18.0.3"}],
        },
    }


def test_node_cells() -> None:
    ready = [{"type": "Ready", "status": "True"}]
    roles = {"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "infra"}
    assert row("Node", node(ready, roles, unschedulable=True)) == [
        "x",
        "Ready,SchedulingDisabled",
        "control-plane,infra",
        "60m",
        "v1.33.1",
        "172.18.0.3",
        "<none>",
        "<unknown>",
        "<unknown>",
        "<unknown>",
    ]
    assert row("Node", node([{"type": "Ready", "status": "Unknown"}]))[1:3] == [
        "NotReady",
        "<none>",
    ]
    assert row("Node", node([]))[1] == "Unknown"


def test_event_cells() -> None:
    event = {
        "type": "Normal",
        "reason": "Started",
        "message": " Started container nginx \n",
        "involvedObject": {"kind": "Pod", "name": "web-1", "fieldPath": "spec.containers{c}"},
        "source": {"component": "kubelet", "host": "kind-worker"},
        "firstTimestamp": "2025-01-01T00:30:00Z",
    }
    assert row("Event", event)[:9] == [
        "30m",
        "Normal",
        "Started",
        "pod/web-1",
        "spec.containers{c}",
        "kubelet, kind-worker",
        "Started container nginx",
        "30m",
        1,
    ]


def test_namespace_and_default_tables() -> None:
    assert row("Namespace", {"status": {"phase": "Terminating"}}) == ["x", "Terminating", "60m"]
    # Lease has a printer (printLease); LimitRange has none, so its registry's default table
    # convertor answers: k8s.io/apiserver pkg/registry/rest/table.go @ v0.33.0 (Name, Created At).
    assert headers("Lease") == [("NAME", 0), ("HOLDER", 0), ("AGE", 0)]
    assert row("Lease", {"spec": {"holderIdentity": "kind-worker"}}) == ["x", "kind-worker", "60m"]
    assert headers("LimitRange") == [("NAME", 0), ("CREATED AT", 0)]
    assert row("LimitRange", {}) == ["x", "2025-01-01T00:00:00Z"]
