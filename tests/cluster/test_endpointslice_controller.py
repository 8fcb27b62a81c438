"""EndpointSliceController on a bare Store + ApiServer: which pods, which fields, how packed.

Sources, in kubernetes/kubernetes: pkg/controller/endpointslice/endpointslice_controller.go
(syncService), staging/src/k8s.io/endpointslice/reconciler.go and utils.go, and
staging/src/k8s.io/endpointslice/util/controller_utils.go, trigger_time_tracker.go.
"""

from __future__ import annotations

import pytest

from kubenet_nb.cluster.apiserver import ApiServer
from kubenet_nb.cluster.clock import Clock
from kubenet_nb.cluster.controllers.endpointslice import EndpointSliceController
from kubenet_nb.cluster.controllers.service_index import ServiceIndex
from kubenet_nb.cluster.randomness import Randomness
from kubenet_nb.cluster.store import Store, WatchEvent

MANAGED_BY = "endpointslice.kubernetes.io/managed-by"
SERVICE_NAME = "kubernetes.io/service-name"
TRIGGER = "endpoints.kubernetes.io/last-change-trigger-time"
HTTP = {"name": "http", "port": 80, "targetPort": 8080, "protocol": "TCP"}


class Cluster:
    """A Store, an ApiServer, two zoned Nodes and the controller, wired by a watch."""

    def __init__(self, max_endpoints_per_slice: int = 100) -> None:
        self.store = Store()
        self.clock = Clock()
        self.api = ApiServer(self.store, self.clock, Randomness(0))
        self.index = ServiceIndex(self.store)
        self.controller = EndpointSliceController(
            self.store, self.api, max_endpoints_per_slice, self.index
        )
        self.store.watch(self.controller.handle)
        self.writes: list[tuple[str, str]] = []
        self.store.watch(self._count)
        self.api.create({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "default"}})
        self.node("kind-worker", "zone-a")
        self.node("kind-worker2", "zone-b")

    def _count(self, event: WatchEvent) -> None:
        if event.kind == "EndpointSlice":
            self.writes.append((event.type, (event.obj or event.old)["metadata"]["name"]))

    def node(self, name: str, zone: str | None = None) -> dict:
        labels = {"kubernetes.io/hostname": name}
        if zone:
            labels["topology.kubernetes.io/zone"] = zone
        node = {"apiVersion": "v1", "kind": "Node", "metadata": {"name": name, "labels": labels}}
        return self.api.create(node, trusted=True)

    def pod(
        self,
        name: str,
        ip: str | None,
        node: str = "kind-worker",
        labels: dict | None = None,
        ready: bool = True,
        ports: list | None = None,
        phase: str = "Running",
        **spec: object,
    ) -> dict:
        status: dict = {
            "phase": phase,
            "conditions": [
                {
                    "type": "Ready",
                    "status": "True" if ready else "False",
                    "lastTransitionTime": self.clock.timestamp(),
                }
            ],
        }
        if ip:
            status.update(podIP=ip, podIPs=[{"ip": i} for i in ip.split(",")])
            status["podIP"] = ip.split(",")[0]
        container = {"name": "app", "image": "nginx", "ports": ports or []}
        pod = {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": name, "labels": labels or {"app": "web"}},
            "spec": {"nodeName": node, "containers": [container], **spec},
            "status": status,
        }
        return self.api.create(pod, trusted=True)

    def service(
        self,
        name: str = "web",
        selector: dict | None = None,
        ports: list | None = None,
        cluster_ip: str = "10.96.0.10",
        **spec: object,
    ) -> dict:
        body = {
            "selector": {"app": "web"} if selector is None else selector,
            "ports": [HTTP] if ports is None else ports,
            "clusterIP": cluster_ip,
            "ipFamilies": ["IPv4"],
            "type": "ClusterIP",
            **spec,
        }
        if not body["selector"]:
            del body["selector"]
        service = {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}}
        service["spec"] = body
        return self.api.create(service, trusted=True)

    def update(self, kind: str, name: str, change) -> dict:
        obj = self.store.require(kind, "default", name)
        new = {**obj, "metadata": dict(obj["metadata"])}
        change(new)
        return self.api.update(new, trusted=True)

    def set_ready(self, name: str, ready: bool) -> dict:
        pod = self.store.require("Pod", "default", name)
        status = dict(pod["status"])
        condition = {
            "type": "Ready",
            "status": "True" if ready else "False",
            "lastTransitionTime": self.clock.timestamp(),
        }
        status["conditions"] = [condition]
        return self.api.set_status(pod, status)

    def terminate(self, name: str) -> dict:
        def mark(pod: dict) -> None:
            pod["metadata"]["deletionTimestamp"] = self.clock.timestamp()

        return self.update("Pod", name, mark)

    def slices(self, service: str = "web") -> list[dict]:
        return [
            s
            for s in self.store.list("EndpointSlice", "default")
            if s["metadata"]["labels"].get(SERVICE_NAME) == service
        ]

    def sync(self) -> None:
        self.writes.clear()
        self.controller.sync()


def ips(endpoint_slice: dict) -> list[str]:
    return [e["addresses"][0] for e in endpoint_slice["endpoints"] or ()]


def by_pod(endpoint_slice: dict) -> dict[str, dict]:
    return {e["targetRef"]["name"]: e for e in endpoint_slice["endpoints"] or ()}


@pytest.fixture
def c() -> Cluster:
    return Cluster()


def test_a_slice_for_two_ready_pods(c: Cluster) -> None:
    service = c.service()
    c.pod("web-1", "10.244.1.2")
    c.pod("web-2", "10.244.2.2", node="kind-worker2")
    c.sync()
    [endpoint_slice] = c.slices()
    meta = endpoint_slice["metadata"]
    # utils.go newEndpointSlice: generateName "<service>-", the apiserver adds 5 characters.
    assert meta["generateName"] == "web-"
    assert meta["name"].startswith("web-")
    assert len(meta["name"]) == 9
    # utils.go setEndpointSliceLabels; endpointslice_controller.go controllerName.
    assert meta["labels"] == {
        SERVICE_NAME: "web",
        MANAGED_BY: "endpointslice-controller.k8s.io",
    }
    # metav1.NewControllerRef(service, {Version: v1, Kind: Service}).
    assert meta["ownerReferences"] == [
        {
            "apiVersion": "v1",
            "kind": "Service",
            "name": "web",
            "uid": service["metadata"]["uid"],
            "controller": True,
            "blockOwnerDeletion": True,
        }
    ]
    assert endpoint_slice["addressType"] == "IPv4"
    assert endpoint_slice["ports"] == [{"name": "http", "protocol": "TCP", "port": 8080}]
    web1 = c.store.get("Pod", "default", "web-1")
    # utils.go podToEndpoint: addresses, three conditions, targetRef, nodeName, zone.
    assert endpoint_slice["endpoints"][0] == {
        "addresses": ["10.244.1.2"],
        "conditions": {"ready": True, "serving": True, "terminating": False},
        "targetRef": {
            "kind": "Pod",
            "namespace": "default",
            "name": "web-1",
            "uid": web1["metadata"]["uid"],
        },
        "nodeName": "kind-worker",
        "zone": "zone-a",
    }
    assert by_pod(endpoint_slice)["web-2"]["zone"] == "zone-b"
    # trigger_time_tracker.go: the first sync of a Service exports its creationTimestamp.
    assert meta["annotations"] == {TRIGGER: service["metadata"]["creationTimestamp"]}


def test_nothing_written_when_nothing_changed(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.controller.enqueue("default", "web")
    c.sync()
    assert c.writes == []


def test_250_pods_make_slices_of_100_100_50(c: Cluster) -> None:
    c.service()
    for i in range(250):
        c.pod(f"web-{i:03}", f"10.244.{1 + i // 200}.{2 + i % 200}")
    c.sync()
    # reconciler.go reconcileByPortMapping with maxEndpointsPerSlice 100 (the default).
    sizes = sorted((len(s["endpoints"]) for s in c.slices()), reverse=True)
    assert sizes == [100, 100, 50]
    assert [t for t, _ in c.writes] == ["ADDED"] * 3
    names = [name for s in c.slices() for name in by_pod(s)]
    assert sorted(names) == [f"web-{i:03}" for i in range(250)]


def test_a_new_slice_lists_pods_in_creation_order(c: Cluster) -> None:
    c.service()
    for name in ("web-c", "web-a", "web-b"):
        c.pod(name, f"10.244.1.{ord(name[-1])}")
        c.clock.advance(1)
    c.sync()
    assert list(by_pod(c.slices()[0])) == ["web-c", "web-a", "web-b"]


def test_readiness_flip_writes_only_the_affected_slice(c: Cluster) -> None:
    c.service()
    for i in range(250):
        c.pod(f"web-{i:03}", f"10.244.{1 + i // 200}.{2 + i % 200}")
    c.sync()
    holder = next(s for s in c.slices() if "web-120" in by_pod(s))
    c.clock.advance(30)
    c.set_ready("web-120", False)
    c.sync()
    assert c.writes == [("MODIFIED", holder["metadata"]["name"])]
    endpoint = by_pod(c.store.get("EndpointSlice", "default", holder["metadata"]["name"]))
    # utils.go podToEndpoint: serving = Ready condition, ready = serving && !terminating.
    assert endpoint["web-120"]["conditions"] == {
        "ready": False,
        "serving": False,
        "terminating": False,
    }
    c.set_ready("web-120", True)
    c.sync()
    assert c.writes == [("MODIFIED", holder["metadata"]["name"])]


def test_not_ready_pods_are_listed_not_ready(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2", ready=False)
    c.sync()
    conditions = c.slices()[0]["endpoints"][0]["conditions"]
    assert conditions == {"ready": False, "serving": False, "terminating": False}


def test_terminating_pod_stays_serving_and_terminating(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.terminate("web-1")
    c.sync()
    # controller_utils.go ShouldPodBeInEndpoints(pod, includeTerminating=true); podToEndpoint.
    conditions = c.slices()[0]["endpoints"][0]["conditions"]
    assert conditions == {"ready": False, "serving": True, "terminating": True}


def test_terminal_and_ip_less_pods_are_left_out(c: Cluster) -> None:
    c.service()
    c.pod("web-ok", "10.244.1.2")
    c.pod("web-done", "10.244.1.3", phase="Succeeded")
    c.pod("web-failed", "10.244.1.4", phase="Failed")
    c.pod("web-pending", None, phase="Pending")
    c.sync()
    # controller_utils.go ShouldPodBeInEndpoints: terminal phases and no IP are excluded.
    assert list(by_pod(c.slices()[0])) == ["web-ok"]


def test_publish_not_ready_addresses_makes_every_endpoint_ready(c: Cluster) -> None:
    c.service(publishNotReadyAddresses=True)
    c.pod("web-1", "10.244.1.2", ready=False)
    c.pod("web-2", "10.244.1.3")
    c.sync()
    c.terminate("web-2")
    c.sync()
    endpoints = by_pod(c.slices()[0])
    # utils.go podToEndpoint: ready = publishNotReadyAddresses || (serving && !terminating).
    assert endpoints["web-1"]["conditions"] == {
        "ready": True,
        "serving": False,
        "terminating": False,
    }
    assert endpoints["web-2"]["conditions"] == {
        "ready": True,
        "serving": True,
        "terminating": True,
    }


def test_named_target_port_resolved_per_pod_splits_slices(c: Cluster) -> None:
    c.service(ports=[{"name": "http", "port": 80, "targetPort": "web", "protocol": "TCP"}])
    c.pod("web-a", "10.244.1.2", ports=[{"name": "web", "containerPort": 8080}])
    c.pod("web-b", "10.244.1.3", ports=[{"name": "web", "containerPort": 9090}])
    c.pod("web-c", "10.244.1.4", ports=[{"name": "other", "containerPort": 7070}])
    c.pod("web-d", "10.244.1.5", ports=[{"name": "web", "containerPort": 8080}])
    c.sync()
    # utils.go getEndpointPorts/FindPort; reconciler.go groups pods by NewPortMapKey.
    layout = {tuple(p["port"] for p in s["ports"] or ()): sorted(by_pod(s)) for s in c.slices()}
    assert layout == {(8080,): ["web-a", "web-d"], (9090,): ["web-b"], (): ["web-c"]}
    lacking = next(s for s in c.slices() if not s["ports"])
    # A pod lacking the named port still gets an endpoint; the empty port list reads as null
    # (kubernetes/kubernetes issue #135968).
    assert lacking["ports"] is None


def test_named_port_needs_the_same_protocol(c: Cluster) -> None:
    c.service(ports=[{"name": "dns", "port": 53, "targetPort": "dns", "protocol": "UDP"}])
    c.pod("web-tcp", "10.244.1.2", ports=[{"name": "dns", "containerPort": 53}])
    c.pod(
        "web-udp",
        "10.244.1.3",
        ports=[{"name": "dns", "containerPort": 5353, "protocol": "UDP"}],
    )
    c.sync()
    layout = {tuple(p["port"] for p in s["ports"] or ()): sorted(by_pod(s)) for s in c.slices()}
    assert layout == {(5353,): ["web-udp"], (): ["web-tcp"]}


def test_sidecar_ports_resolve_but_plain_init_container_ports_do_not(c: Cluster) -> None:
    c.service(ports=[{"name": "http", "port": 80, "targetPort": "proxy", "protocol": "TCP"}])
    sidecar = {
        "name": "proxy",
        "restartPolicy": "Always",
        "ports": [{"name": "proxy", "containerPort": 15001}],
    }
    plain = {"name": "init", "ports": [{"name": "proxy", "containerPort": 15002}]}
    c.pod("web-sidecar", "10.244.1.2", initContainers=[sidecar])
    c.pod("web-init", "10.244.1.3", initContainers=[plain])
    c.sync()
    # utils.go FindPort: initContainers count only with restartPolicy Always.
    layout = {tuple(p["port"] for p in s["ports"] or ()): sorted(by_pod(s)) for s in c.slices()}
    assert layout == {(15001,): ["web-sidecar"], (): ["web-init"]}


def test_placeholder_slice_when_no_pod_matches(c: Cluster) -> None:
    service = c.service()
    c.sync()
    [placeholder] = c.slices()
    # reconciler.go reconcileByAddressType: a placeholder with no ports and no endpoints.
    assert placeholder["endpoints"] is None
    assert placeholder["ports"] is None
    assert placeholder["addressType"] == "IPv4"
    assert placeholder["metadata"]["ownerReferences"][0]["uid"] == service["metadata"]["uid"]
    c.controller.enqueue("default", "web")
    c.sync()
    assert c.writes == []
    # finalize: the create becomes an update of the placeholder, which keeps its name.
    c.pod("web-1", "10.244.1.2")
    c.sync()
    assert c.writes == [("MODIFIED", placeholder["metadata"]["name"])]
    assert ips(c.slices()[0]) == ["10.244.1.2"]


def test_last_pod_gone_turns_the_slice_into_the_placeholder(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    name = c.slices()[0]["metadata"]["name"]
    c.api.remove("Pod", "default", "web-1")
    c.sync()
    assert c.writes == [("MODIFIED", name)]
    assert c.slices()[0]["endpoints"] is None
    assert c.slices()[0]["ports"] is None


def test_selector_change_moves_endpoints(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.pod("api-1", "10.244.1.3", labels={"app": "api"})
    c.sync()
    c.update("Service", "web", lambda s: s.update(spec={**s["spec"], "selector": {"app": "api"}}))
    c.sync()
    assert [list(by_pod(s)) for s in c.slices()] == [["api-1"]]


def test_pod_label_change_moves_it_between_services(c: Cluster) -> None:
    c.service("web")
    c.service("api", selector={"app": "api"})
    c.pod("pod-1", "10.244.1.2")
    c.sync()
    c.update("Pod", "pod-1", lambda p: p["metadata"].update(labels={"app": "api"}))
    c.sync()
    assert c.slices("web")[0]["endpoints"] is None
    assert list(by_pod(c.slices("api")[0])) == ["pod-1"]


def test_service_delete_removes_its_slices(c: Cluster) -> None:
    c.service()
    for i in range(3):
        c.pod(f"web-{i}", f"10.244.1.{2 + i}")
    c.sync()
    c.api.remove("Service", "default", "web")
    c.sync()
    assert c.slices() == []


def test_user_created_slice_is_never_touched(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    mine = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "web-extra",
            "labels": {SERVICE_NAME: "web", MANAGED_BY: "staff.example.com"},
        },
        "addressType": "IPv4",
        "endpoints": [{"addresses": ["192.0.2.7"]}],
        "ports": [{"name": "http", "protocol": "TCP", "port": 8080}],
    }
    stored = c.api.create(mine, trusted=True)
    c.sync()
    c.api.remove("Service", "default", "web")
    c.sync()
    assert c.store.get("EndpointSlice", "default", "web-extra") is stored


def test_external_name_and_selectorless_services_get_no_slices(c: Cluster) -> None:
    c.service("ext", selector={}, type="ExternalName", externalName="example.com")
    c.service("manual", selector={})
    c.pod("web-1", "10.244.1.2")
    c.sync()
    # endpointslice_controller.go syncService returns early for both.
    assert c.slices("ext") == []
    assert c.slices("manual") == []


def test_headless_service_slices_carry_the_headless_label(c: Cluster) -> None:
    c.service(cluster_ip="None", ports=[])
    c.pod("web-1", "10.244.1.2")
    c.sync()
    endpoint_slice = c.slices()[0]
    assert endpoint_slice["metadata"]["labels"]["service.kubernetes.io/headless"] == ""
    # utils.go getEndpointPorts: a headless Service without ports gives an empty port list.
    assert endpoint_slice["ports"] is None
    assert ips(endpoint_slice) == ["10.244.1.2"]


def test_service_labels_are_copied_except_reserved_ones(c: Cluster) -> None:
    service = c.service()
    c.update(
        "Service",
        "web",
        lambda s: s["metadata"].update(labels={"team": "blue", SERVICE_NAME: "spoof"}),
    )
    c.pod("web-1", "10.244.1.2")
    c.sync()
    labels = c.slices()[0]["metadata"]["labels"]
    assert labels == {
        SERVICE_NAME: "web",
        MANAGED_BY: "endpointslice-controller.k8s.io",
        "team": "blue",
    }
    assert service["metadata"]["uid"]
    c.update("Service", "web", lambda s: s["metadata"].update(labels={"team": "red"}))
    c.sync()
    assert [t for t, _ in c.writes] == ["MODIFIED"]
    assert c.slices()[0]["metadata"]["labels"]["team"] == "red"


def test_hostname_only_when_the_subdomain_is_the_service(c: Cluster) -> None:
    c.service()
    c.pod("web-0", "10.244.1.2", hostname="web-0", subdomain="web")
    c.pod("web-1", "10.244.1.3", hostname="web-1", subdomain="other")
    c.sync()
    endpoints = by_pod(c.slices()[0])
    # controller_utils.go ShouldSetHostname.
    assert endpoints["web-0"]["hostname"] == "web-0"
    assert "hostname" not in endpoints["web-1"]


def test_pod_on_a_missing_node_waits_for_the_node(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.pod("web-9", "10.244.9.2", node="kind-worker9")
    c.sync()
    # reconciler.go: a pod whose Node is not found is skipped (and the Service retried).
    assert list(by_pod(c.slices()[0])) == ["web-1"]
    c.node("kind-worker9", "zone-c")
    c.sync()
    assert by_pod(c.slices()[0])["web-9"]["zone"] == "zone-c"


def test_missing_node_is_no_obstacle_with_publish_not_ready(c: Cluster) -> None:
    c.service(publishNotReadyAddresses=True)
    c.pod("web-9", "10.244.9.2", node="kind-worker9")
    c.sync()
    endpoint = by_pod(c.slices()[0])["web-9"]
    assert endpoint["nodeName"] == "kind-worker9"
    assert "zone" not in endpoint


def test_dual_stack_service_gets_a_slice_per_family(c: Cluster) -> None:
    c.service(ipFamilies=["IPv4", "IPv6"], ipFamilyPolicy="PreferDualStack")
    c.pod("web-1", "10.244.1.2,fd00:10:244:1::2")
    c.sync()
    # utils.go getAddressTypesForService, getEndpointAddresses.
    layout = {s["addressType"]: ips(s) for s in c.slices()}
    assert layout == {"IPv4": ["10.244.1.2"], "IPv6": ["fd00:10:244:1::2"]}


def test_trigger_time_follows_the_changes(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.pod("web-2", "10.244.1.3")
    c.sync()
    c.clock.advance(60)
    c.set_ready("web-1", False)
    c.sync()
    # trigger_time_tracker.go: the earliest Ready transition since the last sync.
    assert c.slices()[0]["metadata"]["annotations"][TRIGGER] == "2025-01-01T00:01:00Z"
    c.clock.advance(60)
    c.api.remove("Pod", "default", "web-2")
    c.sync()
    # No trigger time changed: addTriggerTimeAnnotation removes the annotation.
    assert "annotations" not in c.slices()[0]["metadata"]


def test_a_slice_deleted_by_someone_else_comes_back(c: Cluster) -> None:
    c.service()
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.api.remove("EndpointSlice", "default", c.slices()[0]["metadata"]["name"])
    c.sync()
    assert ips(c.slices()[0]) == ["10.244.1.2"]


def test_packing_fills_changed_slices_then_the_closest_unchanged_one() -> None:
    c = Cluster(max_endpoints_per_slice=3)
    c.service()
    for i in range(1, 6):
        c.pod(f"web-{i}", f"10.244.1.{i}")
        c.clock.advance(1)
    c.sync()
    layout = {s["metadata"]["name"]: list(by_pod(s)) for s in c.slices()}
    assert sorted(layout.values()) == [["web-1", "web-2", "web-3"], ["web-4", "web-5"]]
    full = next(n for n, pods in layout.items() if len(pods) == 3)
    partial = next(n for n, pods in layout.items() if len(pods) == 2)
    # reconciler.go step 3 / getSliceToFill: a leftover goes to the unchanged slice that it fills.
    c.pod("web-6", "10.244.1.6")
    c.sync()
    assert c.writes == [("MODIFIED", partial)]
    # Step 1 keeps existing endpoints in place; step 2 fills the changed slice; the rest is new.
    c.clock.advance(1)
    c.api.remove("Pod", "default", "web-1")
    c.pod("web-7", "10.244.1.7")
    c.clock.advance(1)
    c.pod("web-8", "10.244.1.8")
    c.sync()
    layout = {s["metadata"]["name"]: list(by_pod(s)) for s in c.slices()}
    assert layout[full] == ["web-2", "web-3", "web-7"]
    assert layout[partial] == ["web-4", "web-5", "web-6"]
    assert sorted(t for t, _ in c.writes) == ["ADDED", "MODIFIED"]


def test_slices_of_an_unsupported_address_type_are_deleted(c: Cluster) -> None:
    service = c.service()
    c.pod("web-1", "10.244.1.2")
    stale = {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {
            "name": "web-v6",
            "labels": {SERVICE_NAME: "web", MANAGED_BY: "endpointslice-controller.k8s.io"},
            "ownerReferences": [{"apiVersion": "v1", "kind": "Service", "name": "web", "uid": "x"}],
        },
        "addressType": "IPv6",
        "endpoints": None,
        "ports": None,
    }
    c.api.create(stale, trusted=True)
    c.sync()
    assert c.store.get("EndpointSlice", "default", "web-v6") is None
    assert [s["addressType"] for s in c.slices()] == ["IPv4"]
    assert service["metadata"]["uid"] != "x"


def test_a_pod_change_only_queues_the_services_it_matches(c: Cluster) -> None:
    c.service("web")
    c.service("api", selector={"app": "api"})
    c.pod("web-1", "10.244.1.2")
    c.sync()
    c.set_ready("web-1", False)
    assert list(c.controller._queue) == [("default", "web")]


def test_service_index_files_each_service_under_one_selector_pair(c: Cluster) -> None:
    c.service("web", selector={"app": "web", "tier": "front"})
    c.service("all-web", selector={"app": "web"})
    c.pod("p1", "10.244.1.2", labels={"app": "web", "tier": "front"})
    c.pod("p2", "10.244.1.3", labels={"app": "web"})
    assert c.index.services_for("default", {"app": "web", "tier": "front"}) == ["all-web", "web"]
    assert [p["metadata"]["name"] for p in c.index.pods_of("default", "web")] == ["p1"]
    assert [p["metadata"]["name"] for p in c.index.pods_of("default", "all-web")] == ["p1", "p2"]


def test_undone_writes_only_update_the_indexes(c: Cluster) -> None:
    c.service()
    c.sync()

    def refused_request() -> None:
        with c.store.transaction():
            c.pod("web-1", "10.244.1.2")
            raise RuntimeError

    with pytest.raises(RuntimeError):
        refused_request()
    # The refused request's queued work is dropped; the replayed DELETED queues nothing.
    c.controller.clear()
    assert c.index.pods_of("default", "web") == []
    assert not c.controller.pending()
