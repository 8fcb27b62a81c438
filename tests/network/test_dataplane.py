"""The data plane's views after each change: what they reuse never makes them stale.

A view reuses the topology's per-object parts, the DNS zone's entries, parsed rulesets (by the
identity of kube-proxy's text) and compiled chains. Through a run of creates, scales,
readiness flips, deletions, host-network pods and node changes, every view must equal one built
from scratch, and a trace right after a change must see the change.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.network.dataplane import dataplane, default_proxy
from kubenet_nb.network.dns.records import build_zone
from kubenet_nb.network.dns.state import cluster_dns_state
from kubenet_nb.network.kindnet import masq_agent_rules
from kubenet_nb.network.netfilter import parse_ruleset
from kubenet_nb.network.proxy import iptables_save
from kubenet_nb.network.trace import trace
from kubenet_nb.network.wiring import build_wiring
from tests.readiness_probes import create_deployment

HOST_POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "host-echo"},
    "spec": {
        "nodeName": "kind-worker2",
        "hostNetwork": True,
        "containers": [{"name": "echo", "image": "hashicorp/http-echo"}],
    },
}
CLIENT = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "client"},
    "spec": {"nodeName": "kind-worker", "containers": [{"name": "main", "image": "busybox"}]},
}
LOCAL = """
apiVersion: v1
kind: Service
metadata: {name: local}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80}]
"""


def web_pods(c: Cluster) -> list[str]:
    return [p["metadata"]["name"] for p in c.list("pods", selector="app=web")]


def steps(c: Cluster) -> Iterator[str]:
    """Changes of every kind the data plane reads, one at a time."""
    c.create(CLIENT)
    yield "client pod"
    create_deployment(c, "web --image=nginx --replicas=2 --port=80")
    yield "deployment"
    c.kubectl("expose deployment web --port=80")
    yield "service"
    c.kubectl("create service clusterip dns-only --clusterip=None --tcp=80:80")
    yield "headless service"
    c.apply(LOCAL)
    yield "local node port"
    c.kubectl("scale deployment web --replicas=4")
    yield "scale up"
    c.set_ready(web_pods(c)[0], False)
    yield "not ready"
    c.set_ready(web_pods(c)[0], True)
    yield "ready again"
    c.delete("pod", web_pods(c)[1])
    c.advance(31)
    yield "pod deleted and replaced"
    c.create(HOST_POD)
    yield "host-network pod"
    c.apply("apiVersion: v1\nkind: Node\nmetadata: {name: kind-worker3}\n")
    yield "node added"
    c.kubectl("scale deployment web --replicas=1")
    c.advance(31)
    yield "scale down"
    c.delete("node", "kind-worker3")
    c.advance(31)
    yield "node deleted"
    c.delete("svc", "local")
    yield "service deleted"


def assert_view_is_fresh(c: Cluster, step: str = "") -> None:
    """The cached view, zone and rulesets equal ones built from the store from scratch."""
    store, proxy = c.control_plane.store, default_proxy(c.control_plane)
    view = dataplane(c.control_plane).view(c.control_plane, proxy)
    nodes, services, slices = store.list("Node"), store.list("Service"), store.list("EndpointSlice")
    fresh = build_wiring(
        nodes,
        store.list("Pod"),
        services,
        slices,
        c.settings.pod_cidr,
        c.settings.node_network,
        proxy.ip_family,
    )
    assert view.wiring == fresh, step
    zone = cluster_dns_state(c.control_plane).coredns.zone
    scratch = build_zone(services, slices, store.list("Namespace"), zone.settings)
    for index in ("namespaces", "services", "endpoints", "services_by_ip", "endpoints_by_ip"):
        assert getattr(zone, index) == getattr(scratch, index), (step, index)
    kindnet = masq_agent_rules([c.settings.pod_cidr])
    for node in fresh.nodes:
        text = iptables_save(services, slices, nodes, node, proxy)
        assert view.ruleset(node).text() == parse_ruleset(text, kindnet).text(), (step, node)


def test_every_view_after_a_change_equals_one_built_from_scratch() -> None:
    c = Cluster()
    for step in steps(c):
        assert_view_is_fresh(c, step)
        if c.list("endpointslices", selector="kubernetes.io/service-name=web"):
            trace(
                c.control_plane, "client", "web", seed=1
            )  # fills the caches the next step must not trust


def backends(c: Cluster, n: int = 400) -> set[str]:
    table = c.send("client", "web", n=n, seed=5)
    return set(table[table["count"] > 0]["pod"])


@pytest.fixture
def web() -> Cluster:
    c = Cluster()
    c.create(CLIENT)
    create_deployment(c, "web --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deployment web --port=80")
    return c


def test_a_trace_right_after_a_change_sees_it(web: Cluster) -> None:
    c = web
    assert backends(c) == set(web_pods(c))
    c.kubectl("scale deployment web --replicas=3")
    assert backends(c) == set(web_pods(c))
    assert len(web_pods(c)) == 3
    gone = web_pods(c)[0]
    c.set_ready(gone, False)
    assert backends(c) == set(web_pods(c)) - {gone}
    c.kubectl("delete service web")
    # The name is gone from the cluster's zone: every search domain NXDOMAIN, then `web.` goes
    # upstream, which has no internet here: SERVFAIL (tests/network/test_dns_getaddrinfo.py).
    assert trace(c.control_plane, "client", "web", seed=1).verdict == "servfail"


def test_a_recreated_service_gets_its_new_address(web: Cluster) -> None:
    c = web
    old = c.get("svc", "web")["spec"]["clusterIP"]
    assert trace(c.control_plane, "client", "web", seed=1).verdict == "delivered"
    c.kubectl("delete service web")
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "web"},
            "spec": {"selector": {"app": "web"}, "ports": [{"port": 81, "targetPort": 80}]},
        }
    )
    new = c.get("svc", "web")["spec"]["clusterIP"]
    assert new != old
    moved = trace(c.control_plane, "client", "web:81", seed=1)
    assert moved.verdict == "delivered", moved.reason
    assert any(new in hop.action for hop in moved.hops if hop.stage == "dns")
    assert trace(c.control_plane, "client", f"{old}:80", seed=1).verdict == "timeout"


def test_identical_nodes_share_one_parsed_ruleset_and_unchanged_chains(web: Cluster) -> None:
    c = web
    plane, proxy = dataplane(c.control_plane), default_proxy(c.control_plane)
    view = plane.view(c.control_plane, proxy)
    worker, worker2 = view.ruleset("kind-worker"), view.ruleset("kind-worker2")
    assert worker is worker2
    services = worker.chain("nat", "KUBE-SERVICES")
    c.kubectl("scale deployment web --replicas=3")
    later = plane.view(c.control_plane, proxy).ruleset("kind-worker")
    assert later is not worker
    assert later.chain("nat", "KUBE-SERVICES") is services  # the same lines: compiled once
    assert later.text() != worker.text()


def test_a_failed_request_leaves_no_trace_in_the_caches(web: Cluster) -> None:
    c = web
    before = backends(c)
    with pytest.raises(KubenetError, match='The Service "Bad_Name" is invalid'):
        c.create(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "Bad_Name"},
                "spec": {"ports": [{"port": 80}]},
            }
        )
    assert backends(c) == before
    assert_view_is_fresh(c)


def test_clusters_with_the_same_seed_never_share_an_answer() -> None:
    def make() -> Cluster:
        c = Cluster(seed=4)
        c.create(CLIENT)
        c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
        c.kubectl("expose deployment web --port=80")
        return c

    one, two = make(), make()
    assert backends(one) == set(web_pods(one))
    assert backends(two) == set(web_pods(two))
    two.kubectl("scale deployment web --replicas=4")
    assert backends(two) == set(web_pods(two))
    assert backends(one) == set(web_pods(one))
    assert len(web_pods(one)) == 2
    assert_view_is_fresh(one)
    assert_view_is_fresh(two)
