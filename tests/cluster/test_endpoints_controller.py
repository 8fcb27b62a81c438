"""EndpointsController (legacy core/v1 Endpoints) on a bare Store + ApiServer.

Sources, in kubernetes/kubernetes: pkg/controller/endpoint/endpoints_controller.go (syncService,
addEndpointSubset, truncateEndpoints) and its tests, pkg/api/v1/endpoints/util.go (RepackSubsets,
LessEndpointAddress); KEP-4974 and PR #130564 for the v1.33 managed-by label.
"""

from __future__ import annotations

import pytest

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.controllers.endpoints import EndpointsController
from kubenet_nb.cluster.controllers.service_index import ServiceIndex
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.store import Store, WatchEvent

MANAGED_BY = {"endpoints.kubernetes.io/managed-by": "endpoint-controller"}
TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time"
OVER_CAPACITY = "endpoints.kubernetes.io/over-capacity"
HTTP = {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}


class Cluster:
    """A Store, an ApiServer, one Node and the controller, wired by a watch."""

    def __init__(self) -> None:
        self.store = Store()
        self.clock = Clock()
        self.api = ApiServer(self.store, self.clock, Randomness(0))
        self.controller = EndpointsController(self.store, self.api, ServiceIndex(self.store))
        self.store.watch(self.controller.handle)
        self.writes: list[str] = []
        self.store.watch(self._count)
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "kind-worker"}}
        self.api.create(node, trusted=True)

    def _count(self, event: WatchEvent) -> None:
        if event.kind == "Endpoints":
            self.writes.append(event.type)

    def pod(
        self,
        name: str,
        ip: str,
        ready: bool = True,
        ports: list | None = None,
        labels: dict | None = None,
        **spec: object,
    ) -> dict:
        condition = {
            "type": "Ready",
            "status": "True" if ready else "False",
            "lastTransitionTime": self.clock.timestamp(),
        }
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {"app": "web"}},
            "spec": {
                "nodeName": "kind-worker",
                "containers": [{"name": "app", "image": "nginx", "ports": ports or []}],
                **spec,
            },
            "status": {
                "phase": "Running",
                "podIP": ip,
                "podIPs": [{"ip": ip}],
                "conditions": [condition],
            },
        }
        return self.api.create(pod, trusted=True)

    def service(
        self, name: str = "web", selector: dict | None = None, ports: list | None = None, **spec
    ) -> dict:
        body = {
            "selector": {"app": "web"} if selector is None else selector,
            "ports": [HTTP] if ports is None else ports,
            "clusterIP": "10.96.0.10",
            "ipFamilies": ["IPv4"],
            "type": "ClusterIP",
            **spec,
        }
        if not body["selector"]:
            del body["selector"]
        service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}}
        service["spec"] = body
        return self.api.create(service, trusted=True)

    def terminate(self, name: str) -> dict:
        pod = self.store.require("Pod", "default", name)
        meta = {**pod["metadata"], "deletionTimestamp": self.clock.timestamp()}
        return self.api.update({**pod, "metadata": meta}, trusted=True)

    def endpoints(self, name: str = "web") -> dict | None:
        return self.store.get("Endpoints", "default", name)

    def sync(self) -> None:
        self.writes.clear()
        self.controller.sync()


def address_ips(subset: dict, field: str = "addresses") -> list[str]:
    return [a["ip"] for a in subset.get(field, ())]


@pytest.fixture
def c() -> Cluster:
    return Cluster()


def test_endpoints_named_like_the_service(c: Cluster) -> None:
    service = c.service()
    pod = c.pod("web-1", "10.244.1.2")
    c.sync()
    endpoints = c.endpoints()
    # endpoints_controller.go syncService; v1.33 adds the managed-by label (PR #130564).
    assert endpoints["metadata"]["labels"] == MANAGED_BY
    assert endpoints["metadata"]["annotations"] == {
        TRIGGER: service["metadata"]["creationTimestamp"]
    }
    assert "ownerReferences" not in endpoints["metadata"]
    assert endpoints["subsets"] == [
        {
            "addresses": [
                {
                    "ip": "10.244.1.2",
                    "nodeName": "kind-worker",
                    "targetRef": {
                        "kind": "Pod",
                        "namespace": "default",
                        "name": "web-1",
                        "uid": pod["metadata"]["uid"],
                    },
                }
            ],
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
        }
    ]


def test_no_write_when_nothing_changed(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.controller.enqueue("default", "web")
    c.sync()
    assert c.writes == []


def test_addresses_sorted_by_ip_as_bytes(c: Cluster) -> None:
    c.service()
    for ip in ("10.244.1.9", "10.244.1.10", "10.244.1.2"):
        c.pod(f"web-{ip.rsplit('.', 1)[1]}", ip)
    c.sync()
    # pkg/api/v1/endpoints/util.go LessEndpointAddress compares the IP strings bytewise.
    assert address_ips(c.endpoints()["subsets"][0]) == ["10.244.1.10", "10.244.1.2", "10.244.1.9"]


def test_not_ready_pods_are_not_ready_addresses(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.pod("web-2", "10.244.1.3", ready=False)
    c.sync()
    [subset] = c.endpoints()["subsets"]
    # addEndpointSubset: ready pods go to addresses, the others to notReadyAddresses.
    assert address_ips(subset) == ["10.244.1.2"]
    assert address_ips(subset, "notReadyAddresses") == ["10.244.1.3"]


def test_terminating_pods_are_left_out(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.pod("web-2", "10.244.1.3")
    c.sync()
    c.terminate("web-2")
    c.sync()
    # ShouldPodBeInEndpoints(pod, includeTerminating=publishNotReadyAddresses).
    assert [address_ips(s) for s in c.endpoints()["subsets"]] == [["10.244.1.2"]]


def test_publish_not_ready_keeps_terminating_and_unready_pods_ready(c: Cluster) -> None:
    c.service(publishNotReadyAddresses=True)
    c.pod("web-1", "10.244.1.2", ready=False)
    c.pod("web-2", "10.244.1.3")
    c.terminate("web-2")
    c.sync()
    [subset] = c.endpoints()["subsets"]
    assert address_ips(subset) == ["10.244.1.2", "10.244.1.3"]
    assert "notReadyAddresses" not in subset


def test_named_port_resolving_differently_makes_separate_subsets(c: Cluster) -> None:
    c.service(ports=[{"name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"}])
    c.pod("web-a", "10.244.1.2", ports=[{"name": "web", "containerPort": 8080}])
    c.pod("web-b", "10.244.1.3", ports=[{"name": "web", "containerPort": 9090}])
    c.pod("web-c", "10.244.1.4", ports=[{"name": "other", "containerPort": 7070}])
    c.sync()
    layout = {s["ports"][0]["port"]: address_ips(s) for s in c.endpoints()["subsets"]}
    # A pod without the named port is in no subset at all.
    assert layout == {8080: ["10.244.1.2"], 9090: ["10.244.1.3"]}


def test_ports_sharing_the_same_addresses_share_a_subset(c: Cluster) -> None:
    metrics = {"name": "metrics", "port": 9100, "targetPort": 9100, "protocol": "TCP"}
    c.service(ports=[HTTP, metrics])
    c.pod("web-1", "10.244.1.2")
    c.pod("web-2", "10.244.1.3")
    c.sync()
    # RepackSubsets groups ports by the set of addresses behind them.
    [subset] = c.endpoints()["subsets"]
    assert {p["name"] for p in subset["ports"]} == {"http", "metrics"}
    assert address_ips(subset) == ["10.244.1.2", "10.244.1.3"]


def test_headless_service_without_ports(c: Cluster) -> None:
    c.service(ports=[], clusterIP="None")
    c.pod("web-1", "10.244.1.2", hostname="web-1", subdomain="web")
    c.sync()
    endpoints = c.endpoints()
    # TestSyncEndpointsHeadlessWithoutPort: addresses with no ports, plus the headless label.
    assert endpoints["metadata"]["labels"] == {**MANAGED_BY, "service.kubernetes.io/headless": ""}
    [subset] = endpoints["subsets"]
    assert "ports" not in subset
    # ShouldSetHostname: hostname set, subdomain is the Service.
    assert subset["addresses"][0]["hostname"] == "web-1"


def test_service_labels_are_copied(c: Cluster) -> None:
    service = c.service()
    labels = {"team": "blue"}
    c.api.update({**service, "metadata": {**service["metadata"], "labels": labels}}, trusted=True)
    c.sync()
    assert c.endpoints()["metadata"]["labels"] == {**MANAGED_BY, "team": "blue"}


def test_no_pods_means_no_subsets(c: Cluster) -> None:
    c.service()
    c.sync()
    assert c.writes == ["ADDED"]
    assert "subsets" not in c.endpoints()


def test_truncated_at_1000_addresses(c: Cluster) -> None:
    c.service()
    for i in range(1001):
        c.pod(f"web-{i:04}", f"10.{1 + i // 250}.{i % 250}.1")
    c.sync()
    endpoints = c.endpoints()
    [subset] = endpoints["subsets"]
    # truncateEndpoints: maxCapacity 1000, the first addresses in sorted order are kept.
    assert len(subset["addresses"]) == 1000
    assert "10.5.0.1" not in address_ips(subset)
    assert endpoints["metadata"]["annotations"][OVER_CAPACITY] == "truncated"
    c.api.remove("Pod", "default", "web-0000")
    c.sync()
    assert OVER_CAPACITY not in c.endpoints()["metadata"].get("annotations", {})
    assert len(c.endpoints()["subsets"][0]["addresses"]) == 1000


def test_truncation_keeps_ready_addresses_first(c: Cluster) -> None:
    c.service()
    for i in range(1010):
        c.pod(f"web-{i:04}", f"10.{1 + i // 250}.{i % 250}.1", ready=i >= 20)
    c.sync()
    [subset] = c.endpoints()["subsets"]
    # 990 ready addresses all kept; the not-ready ones share the remaining 10 places.
    assert len(subset["addresses"]) == 990
    assert len(subset["notReadyAddresses"]) == 10


def test_service_delete_removes_the_endpoints(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.api.remove("Service", "default", "web")
    c.sync()
    assert c.endpoints() is None


def test_selectorless_and_external_name_services_are_not_managed(c: Cluster) -> None:
    c.service("manual", selector={})
    c.service("ext", selector={}, type="ExternalName", externalName="example.com")
    mine = {
        "apiVersion": "v1",
        "kind": "Endpoints",
        "metadata": {"name": "manual"},
        "subsets": [{"addresses": [{"ip": "192.0.2.7"}], "ports": [{"port": 80}]}],
    }
    stored = c.api.create(mine, trusted=True)
    c.sync()
    assert c.endpoints("manual") is stored
    assert c.endpoints("ext") is None


def test_endpoints_deleted_by_someone_else_come_back(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.api.remove("Endpoints", "default", "web")
    c.sync()
    assert address_ips(c.endpoints()["subsets"][0]) == ["10.244.1.2"]


def test_trigger_time_is_the_readiness_change(c: Cluster) -> None:
    c.service()
    pod = c.pod("web-1", "10.244.1.2")
    c.sync()
    c.clock.advance(90)
    condition = {
        "type": "Ready",
        "status": "False",
        "lastTransitionTime": c.clock.timestamp(),
    }
    c.api.set_status(pod, {**pod["status"], "conditions": [condition]})
    c.sync()
    endpoints = c.endpoints()
    assert endpoints["metadata"]["annotations"][TRIGGER] == "2025-01-01T00:01:30Z"
    assert address_ips(endpoints["subsets"][0], "notReadyAddresses") == ["10.244.1.2"]
