"""`endpoints_table`: which pods each Service port routes to, and why some get nothing.

Facts pinned here, with their sources:
- a named targetPort is looked up per pod in its containers' ports (name and protocol); a pod
  without it is left out of that port (kubernetes/kubernetes staging/src/k8s.io/endpointslice
  utils.go `getEndpointPorts`, pkg/api/v1/pod/util.go `FindPort`);
- pods with no IP or in a terminal phase are no endpoints, terminating ones are
  (util/controller_utils.go `ShouldPodBeInEndpoints`, includeTerminating=true);
- ready = not terminating and Ready (or publishNotReadyAddresses), serving = Ready,
  terminating = deletionTimestamp set (utils.go `podToEndpoint`);
- at most 100 endpoints per slice by default (kube-controller-manager
  --max-endpoints-per-slice); consumers merge every slice of a Service and dedupe by ip:port
  (kubernetes.io/docs/concepts/services-networking/endpoint-slices/ "Duplicate endpoints";
  pkg/proxy/endpointslicecache.go `addEndpoints`), sorted by the `ip:port` string (`byEndpoint`);
- kube-proxy falls back to serving terminating endpoints when none is ready
  (pkg/proxy/topology.go `CategorizeEndpoints`); CoreDNS answers with ready endpoints only
  (coredns plugin/kubernetes/object/endpoint.go `EndpointSliceToEndpoints`);
- ExternalName and selector-less Services get no EndpointSlices from the controller
  (pkg/controller/endpointslice/endpointslice_controller.go `syncService`).
"""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from kubenet_nb import Cluster
from kubenet_nb.views.tables.endpoints import (
    ENDPOINT_COLUMNS,
    brief,
    endpoints_frame,
    endpoints_table,
)
from tests.readiness_probes import create_deployment

NOT_READY = "not ready: no traffic"
SLICE_LABEL = "kubernetes.io/service-name"


def pod(name: str, node: str | None, labels: dict, ports: list[dict] | None = None) -> dict:
    """A bare pod whose container has a readinessProbe, so that `set_ready` can fail it."""
    container = {"name": "app", "image": "nginx", "ports": ports or []}
    container["readinessProbe"] = {"tcpSocket": {"port": 80}}
    spec: dict = {"containers": [container]}
    if node is not None:
        spec["nodeName"] = node
    else:
        spec["nodeSelector"] = {"disk": "none-has-it"}
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels},
        "spec": spec,
    }


def service(name: str, selector: dict | None, ports: list[dict], **spec: object) -> dict:
    body: dict = {"ports": ports, **spec}
    if selector is not None:
        body["selector"] = selector
    return {"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": body}


def row(
    svc: str,
    port: tuple | None,
    ip: str | None = None,
    endpoint_port: int | None = None,
    pod_name: str | None = None,
    node: str | None = None,
    conditions: tuple | None = None,
    note: str | None = None,
    namespace: str = "default",
) -> dict:
    """One expected row; `port` is (name, port, protocol, targetPort)."""
    port_name, number, protocol, target = port or (None, None, None, None)
    ready, serving, terminating = conditions or (None, None, None)
    return {
        "service": svc,
        "namespace": namespace,
        "port_name": port_name,
        "port": number,
        "protocol": protocol,
        "target_port": target,
        "endpoint_ip": ip,
        "endpoint_port": endpoint_port,
        "pod": pod_name,
        "node": node,
        "ready": ready,
        "serving": serving,
        "terminating": terminating,
        "note": note,
    }


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(ENDPOINT_COLUMNS)).astype(ENDPOINT_COLUMNS)


READY = (True, True, False)
HTTP = ("http", 80, "TCP", "http")
METRICS = ("metrics", 9100, "TCP", "9100")


@pytest.fixture
def c() -> Cluster:
    return Cluster()


def test_named_ports_resolved_per_pod(c: Cluster) -> None:
    c.create(pod("web-a", "kind-worker", {"app": "web"}, [{"name": "http", "containerPort": 8080}]))
    c.create(
        pod("web-b", "kind-worker2", {"app": "web"}, [{"name": "http", "containerPort": 8081}])
    )
    c.create(pod("web-c", "kind-worker", {"app": "web"}))
    c.create(
        service(
            "web",
            {"app": "web"},
            [{"name": "http", "port": 80, "targetPort": "http"}, {"name": "metrics", "port": 9100}],
        )
    )
    expected = frame(
        [
            row("web", HTTP, "10.244.1.2", 8080, "web-a", "kind-worker", READY),
            row("web", HTTP, "10.244.2.2", 8081, "web-b", "kind-worker2", READY),
            row(
                "web",
                HTTP,
                None,
                None,
                "web-c",
                "kind-worker",
                note='no container port named "http" (TCP) in this pod',
            ),
            row("web", METRICS, "10.244.1.2", 9100, "web-a", "kind-worker", READY),
            row("web", METRICS, "10.244.1.3", 9100, "web-c", "kind-worker", READY),
            row("web", METRICS, "10.244.2.2", 9100, "web-b", "kind-worker2", READY),
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "web", wide=True), expected)
    # Three port lists, three slices: 8080+9100, 8081+9100, 9100 alone.
    assert len(c.list("endpointslices", selector=f"{SLICE_LABEL}=web")) == 3


def test_named_port_missing_on_every_pod(c: Cluster) -> None:
    c.create(pod("solo", "kind-worker", {"app": "solo"}))
    c.create(service("solo", {"app": "solo"}, [{"name": "http", "port": 80, "targetPort": "web"}]))
    expected = frame(
        [
            row(
                "solo",
                ("http", 80, "TCP", "web"),
                None,
                None,
                "solo",
                "kind-worker",
                note='no container port named "web" (TCP) in this pod',
            ),
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "solo", wide=True), expected)


def test_named_port_needs_the_same_protocol(c: Cluster) -> None:
    c.create(pod("dns", "kind-worker", {"app": "dns"}, [{"name": "dns", "containerPort": 53}]))
    ports = [{"name": "dns", "port": 53, "targetPort": "dns", "protocol": "UDP"}]
    c.create(service("dns", {"app": "dns"}, ports))
    table = endpoints_table(c, "default", "dns", wide=True)
    assert table["note"].tolist() == ['no container port named "dns" (UDP) in this pod']


def test_no_pods_match_the_selector(c: Cluster) -> None:
    c.kubectl("create service clusterip lonely --tcp=80:8080")
    expected = frame(
        [
            row(
                "lonely",
                ("80-8080", 80, "TCP", "8080"),
                note="no pods match the selector app=lonely",
            ),
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "lonely", wide=True), expected)


def test_pods_match_but_none_ready(c: Cluster) -> None:
    for name, node in (("api-a", "kind-worker"), ("api-b", "kind-worker2")):
        c.create(pod(name, node, {"app": "api"}))
    c.create(service("api", {"app": "api"}, [{"port": 80}]))
    c.set_ready("api-a", False)
    c.set_ready("api-b", False)
    port = ("", 80, "TCP", "80")
    not_ready = (False, False, False)
    expected = frame(
        [
            row("api", port, "10.244.1.2", 80, "api-a", "kind-worker", not_ready, NOT_READY),
            row("api", port, "10.244.2.2", 80, "api-b", "kind-worker2", not_ready, NOT_READY),
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "api", wide=True), expected)


def test_publish_not_ready_addresses_makes_every_endpoint_ready(c: Cluster) -> None:
    c.create(pod("db-0", "kind-worker", {"app": "db"}))
    c.create(service("db", {"app": "db"}, [{"port": 5432}], publishNotReadyAddresses=True))
    c.set_ready("db-0", False)
    table = endpoints_table(c, "default", "db", wide=True)
    assert table[["ready", "serving", "terminating"]].iloc[0].tolist() == [True, False, False]
    assert table["note"].isna().all()


def test_terminating_endpoints(c: Cluster) -> None:
    c.create(pod("web-a", "kind-worker", {"app": "web"}))
    c.create(pod("web-b", "kind-worker2", {"app": "web"}))
    c.create(service("web", {"app": "web"}, [{"port": 80}]))
    c.delete("pod", "web-a")
    table = endpoints_table(c, "default", "web", wide=True)
    assert table[["pod", "ready", "serving", "terminating"]].values.tolist() == [
        ["web-a", False, True, True],
        ["web-b", True, True, False],
    ]
    assert table["note"].tolist()[0] == (
        "terminating: no new connections while another endpoint is ready"
    )
    c.delete("pod", "web-b")
    table = endpoints_table(c, "default", "web", wide=True)
    assert (
        table["note"].tolist()
        == ["terminating: still serving, gets the traffic as no endpoint is ready"] * 2
    )
    c.advance(60)
    assert endpoints_table(c, "default", "web", wide=True)["note"].tolist() == [
        "no pods match the selector app=web"
    ]


def test_pending_pod_has_no_ip(c: Cluster) -> None:
    c.create(pod("queued", None, {"app": "queued"}))
    c.create(service("queued", {"app": "queued"}, [{"port": 80}]))
    expected = frame(
        [
            row(
                "queued",
                ("", 80, "TCP", "80"),
                pod_name="queued",
                note="no pod IP yet: not an endpoint",
            )
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "queued", wide=True), expected)


def test_finished_pods_are_not_endpoints() -> None:
    done = pod("job-1", "kind-worker", {"app": "job"})
    done["metadata"]["namespace"] = "default"
    done["status"] = {"phase": "Succeeded", "podIP": "10.244.1.9"}
    svc = service("job", {"app": "job"}, [{"port": 80, "targetPort": 80, "protocol": "TCP"}])
    svc["metadata"]["namespace"] = "default"
    table = endpoints_frame([svc], [], [done])
    assert table["note"].tolist() == ["pod Succeeded: finished pods are not endpoints"]
    assert table["node"].tolist() == ["kind-worker"]


def test_matching_pod_not_yet_in_a_slice() -> None:
    """A pod that qualifies but no slice lists yet (the controller waits for its Node)."""
    waiting = pod("web-1", "kind-worker9", {"app": "web"})
    waiting["metadata"]["namespace"] = "default"
    waiting["status"] = {"phase": "Running", "podIP": "10.244.9.2"}
    svc = service("web", {"app": "web"}, [{"port": 80, "targetPort": 80, "protocol": "TCP"}])
    svc["metadata"]["namespace"] = "default"
    table = endpoints_frame([svc], [], [waiting])
    assert table[["pod", "node", "note"]].values.tolist() == [
        ["web-1", "kind-worker9", "not in the Service's EndpointSlices"]
    ]


def test_without_selector(c: Cluster) -> None:
    c.create(service("manual", None, [{"name": "http", "port": 80}]))
    port = ("http", 80, "TCP", "80")
    expected = frame(
        [
            row(
                "manual",
                port,
                note="no selector: endpoints come from EndpointSlices written by "
                "hand, and none exists",
            )
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "manual", wide=True), expected)
    c.create(
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "manual-1", "labels": {SLICE_LABEL: "manual"}},
            "addressType": "IPv4",
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
            "endpoints": [{"addresses": ["192.168.5.7"], "nodeName": "kind-worker"}],
        }
    )
    expected = frame([row("manual", port, "192.168.5.7", 8080, None, "kind-worker", READY)])
    assert_frame_equal(endpoints_table(c, "default", "manual", wide=True), expected)


def test_manual_slice_without_the_port(c: Cluster) -> None:
    c.create(service("manual", None, [{"name": "http", "port": 80}]))
    c.create(
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {"name": "manual-1", "labels": {SLICE_LABEL: "manual"}},
            "addressType": "IPv4",
            "ports": [{"name": "grpc", "port": 9090, "protocol": "TCP"}],
            "endpoints": [{"addresses": ["192.168.5.7"]}],
        }
    )
    assert endpoints_table(c, "default", "manual", wide=True)["note"].tolist() == [
        "no selector: the EndpointSlices written for it list no endpoint for this port"
    ]


def test_external_name(c: Cluster) -> None:
    c.kubectl("create service externalname ext --external-name=db.example.com")
    expected = frame(
        [row("ext", None, note="ExternalName: DNS answers with a CNAME to db.example.com")]
    )
    assert_frame_equal(endpoints_table(c, "default", "ext", wide=True), expected)


def test_headless(c: Cluster) -> None:
    c.create(pod("db-0", "kind-worker", {"app": "db"}))
    c.create(pod("db-1", "kind-worker2", {"app": "db"}))
    c.create(service("db", {"app": "db"}, [], clusterIP="None"))
    c.set_ready("db-1", False)
    expected = frame(
        [
            row(
                "db",
                None,
                "10.244.1.2",
                None,
                "db-0",
                "kind-worker",
                READY,
                "headless: DNS answers with this address",
            ),
            row(
                "db",
                None,
                "10.244.2.2",
                None,
                "db-1",
                "kind-worker2",
                (False, False, False),
                "not ready: left out of DNS answers",
            ),
        ]
    )
    assert_frame_equal(endpoints_table(c, "default", "db", wide=True), expected)
    # CoreDNS agrees: only the ready endpoint is in the answer.
    assert c.resolve("db.default.svc.cluster.local").addresses == ["10.244.1.2"]


def test_more_than_one_slice() -> None:
    # 250 pods need three workers: a kind node takes 110 pods (kubelet maxPods), two of them the
    # kindnet and kube-proxy DaemonSet pods.
    c = Cluster(workers=3)
    c.kubectl("create deployment big --image=nginx --replicas=250 --port=80")
    c.kubectl("expose deployment big --port=80 --target-port=8080")
    slices = c.list("endpointslices", selector=f"{SLICE_LABEL}=big")
    assert sorted(len(s["endpoints"]) for s in slices) == [50, 100, 100]
    table = endpoints_table(c, "default", "big", wide=True)
    pods = {p["metadata"]["name"]: p for p in c.list("pods", selector="app=big")}
    assert len(table) == 250
    assert set(table["pod"]) == set(pods)
    assert table["ready"].all()
    assert (table["endpoint_port"] == 8080).all()
    keys = [f"{ip}:8080" for ip in table["endpoint_ip"]]
    assert keys == sorted(keys)
    for _, each in table.iterrows():
        assert each["endpoint_ip"] == pods[each["pod"]]["status"]["podIP"]
        assert each["node"] == pods[each["pod"]]["spec"]["nodeName"]


def _slice(name: str, endpoints: list[dict]) -> dict:
    return {
        "apiVersion": "discovery.k8s.io/v1",
        "kind": "EndpointSlice",
        "metadata": {"name": name, "namespace": "default", "labels": {SLICE_LABEL: "web"}},
        "addressType": "IPv4",
        "ports": [{"name": "", "port": 8080, "protocol": "TCP"}],
        "endpoints": endpoints,
    }


def _endpoint(ip: str, pod_name: str, terminating: bool) -> dict:
    return {
        "addresses": [ip],
        "conditions": {"ready": not terminating, "serving": True, "terminating": terminating},
        "targetRef": {"kind": "Pod", "namespace": "default", "name": pod_name},
    }


def test_copies_in_two_slices_are_merged() -> None:
    svc = service("web", None, [{"port": 80, "targetPort": 8080, "protocol": "TCP"}])
    svc["metadata"]["namespace"] = "default"
    slices = [
        _slice(
            "web-a", [_endpoint("10.244.1.5", "old", True), _endpoint("10.244.1.6", "x", False)]
        ),
        _slice(
            "web-b", [_endpoint("10.244.1.5", "new", False), _endpoint("10.244.1.6", "y", False)]
        ),
    ]
    table = endpoints_frame([svc], slices, [])
    # The non-terminating copy wins; between equals, the first slice by name.
    assert table[["endpoint_ip", "pod", "terminating"]].values.tolist() == [
        ["10.244.1.5", "new", False],
        ["10.244.1.6", "x", False],
    ]
    assert_frame_equal(endpoints_frame([svc], slices[::-1], []), table)


def test_unusable_slices_and_ports_are_skipped() -> None:
    svc = service("web", None, [{"port": 80, "targetPort": 8080, "protocol": "TCP"}])
    svc["metadata"]["namespace"] = "default"
    fqdn = {**_slice("web-fqdn", [_endpoint("db.example.com", "p", False)]), "addressType": "FQDN"}
    unnamed = {
        **_slice("web-nil", [_endpoint("10.244.1.7", "q", False)]),
        "ports": [{"port": 8080}],
    }
    empty = _slice("web-empty", [{"addresses": []}])
    table = endpoints_frame([svc], [fqdn, unnamed, empty], [])
    assert table["endpoint_ip"].isna().all()
    assert len(table) == 1


def test_row_order_and_filters(c: Cluster) -> None:
    c.kubectl("create namespace shop")
    c.kubectl("create service clusterip web --tcp=80")
    c.kubectl("create service clusterip web --tcp=80 -n shop")
    everything = endpoints_table(c, wide=True)
    assert list(zip(everything["namespace"], everything["service"], strict=True)) == [
        ("default", "kubernetes"),
        ("default", "web"),
        ("kube-system", "kube-dns"),
        ("kube-system", "kube-dns"),
        ("kube-system", "kube-dns"),
        ("kube-system", "kube-dns"),
        ("kube-system", "kube-dns"),
        ("kube-system", "kube-dns"),
        ("shop", "web"),
    ]
    assert endpoints_table(c, service="web", wide=True)["namespace"].tolist() == ["default", "shop"]
    assert endpoints_table(c, "shop", wide=True)["service"].tolist() == ["web"]
    empty = endpoints_table(c, "shop", "nothing", wide=True)
    assert empty.empty
    assert empty.dtypes.to_dict() == frame([]).dtypes.to_dict()


def test_columns_and_dtypes(c: Cluster) -> None:
    table = endpoints_table(c, wide=True)
    assert list(table.columns) == [
        "service",
        "namespace",
        "port_name",
        "port",
        "protocol",
        "target_port",
        "endpoint_ip",
        "endpoint_port",
        "pod",
        "node",
        "ready",
        "serving",
        "terminating",
        "note",
    ]
    assert {str(t) for t in table.dtypes} <= {"string", "Int64", "boolean"}


def build(seed: int) -> Cluster:
    c = Cluster(seed=seed)
    create_deployment(c, "web --image=nginx --replicas=5 --port=80")
    c.kubectl("expose deployment web --port=80")
    c.kubectl("create service clusterip lonely --tcp=80")
    c.set_ready(c.list("pods", selector="app=web")[0]["metadata"]["name"], False)
    return c


def test_deterministic() -> None:
    first, second = build(3), build(3)
    assert_frame_equal(endpoints_table(first, wide=True), endpoints_table(second, wide=True))
    assert_frame_equal(endpoints_table(first, wide=True), endpoints_table(first, wide=True))
    html = endpoints_table(first, wide=True).to_html()
    assert html == endpoints_table(second, wide=True).to_html()


def test_reads_without_writing(c: Cluster) -> None:
    c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deployment web --port=80")
    version = c.control_plane.store.resource_version
    endpoints_table(c, wide=True)
    assert c.control_plane.store.resource_version == version


# -- the brief columns (the default) and -o wide ------------------------------------------


def test_brief_by_default_every_column_when_wide(c: Cluster) -> None:
    c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deployment web --port=80 --target-port=8080")
    wide = endpoints_table(c, "default", "web", wide=True)
    short = endpoints_table(c, "default", "web")
    assert list(short.columns) == ["service", "port", "endpoint", "pod", "node", "ready", "note"]
    # An endpoint as `kubectl get endpoints` prints one: ip:port.
    assert short["endpoint"].tolist() == [f"{ip}:8080" for ip in wide["endpoint_ip"]]
    assert_frame_equal(
        short.drop(columns="endpoint"), wide[["service", "port", "pod", "node", "ready", "note"]]
    )
    assert short["endpoint"].dtype == "string"
    # With every namespace the namespace comes first, as `kubectl get -A` prints it.
    everything = c.endpoints_table()
    assert list(everything.columns)[:2] == ["namespace", "service"]
    assert_frame_equal(c.endpoints_table(wide=True), endpoints_table(c, wide=True))
    assert_frame_equal(c.endpoints_table("default", "web"), short)


def test_brief_endpoint_of_ipv6_headless_and_no_endpoint() -> None:
    svc = service("web", None, [{"port": 80, "targetPort": 8080, "protocol": "TCP"}])
    svc["metadata"]["namespace"] = "default"
    six = _slice("web-6", [_endpoint("fd00:10:244::5", "a", False)])
    six["addressType"] = "IPv6"
    assert brief(endpoints_frame([svc], [six], []))["endpoint"].tolist() == [
        "[fd00:10:244::5]:8080"
    ]
    headless = service("db", None, [], clusterIP="None")
    headless["metadata"]["namespace"] = "default"
    portless = _slice("db-1", [_endpoint("10.244.1.7", "db-0", False)])
    portless["metadata"]["labels"] = {SLICE_LABEL: "db"}
    portless["ports"] = []
    assert brief(endpoints_frame([headless], [portless], []))["endpoint"].tolist() == ["10.244.1.7"]
    lonely = endpoints_frame([svc], [], [])
    assert brief(lonely)["endpoint"].isna().all()
    # A row that is no endpoint says why, in the brief table too.
    assert brief(lonely)["note"].tolist() == [
        "no selector: endpoints come from EndpointSlices written by hand, and none exists"
    ]
