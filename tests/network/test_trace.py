"""`trace`: one connection through a kind cluster, for every Service type and traffic policy.

Expected paths follow kube-proxy's iptables proxier (pkg/proxy/iptables/proxier.go) and the
Service docs (kubernetes/website content/en/docs/reference/networking/virtual-ips.md,
concepts/services-networking/service-traffic-policy.md and
tasks/access-application-cluster/create-external-load-balancer.md "Preserving the client
source IP"): externalTrafficPolicy Cluster masquerades, Local keeps the client address and
drops on nodes without a local endpoint; internalTrafficPolicy Local drops ClusterIP traffic
from nodes without one; a Service without endpoints REJECTs. The masquerade address is the
output device's (kindnet's ptp veths carry the pod CIDR's .1, containernetworking/plugins
ptp.go), and kindnet masquerades pod traffic to non-pod addresses (kind images/kindnetd masq.go).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.network.dataplane import dataplane, default_proxy
from kubenet_nb.network.proxy import iptables_save
from kubenet_nb.network.trace import COLUMNS, trace
from tests.readiness_probes import create_deployment

OUTSIDE = "172.18.0.100"
"""A machine on the kind Docker network, outside the cluster."""

SERVICES = """
apiVersion: v1
kind: Service
metadata: {name: cip}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: itp}
spec: {selector: {app: web}, internalTrafficPolicy: Local, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: np}
spec: {type: NodePort, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: npl}
spec: {type: NodePort, externalTrafficPolicy: Local, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lb}
spec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: lbl}
spec:
  type: LoadBalancer
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: lbr}
spec:
  type: LoadBalancer
  loadBalancerSourceRanges: [172.18.0.100/32]
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: empty}
spec: {type: NodePort, selector: {app: nothing}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: closed}
spec: {selector: {app: web}, ports: [{port: 80, targetPort: 8080}]}
---
apiVersion: v1
kind: Service
metadata: {name: headless}
spec: {clusterIP: None, selector: {app: web}, ports: [{port: 80}]}
"""


def pod(name: str, node: str, image: str = "busybox") -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {"nodeName": node, "containers": [{"name": "main", "image": image}]},
    }


@dataclass
class World:
    """One nginx backend on one worker, a client pod beside it and one on the other worker."""

    cluster: Cluster
    backend: dict
    node: str
    other: str

    def ip(self, node: str) -> str:
        return self.cluster.get("node", node)["status"]["addresses"][0]["address"]

    def gateway(self, node: str) -> str:
        cidr = ipaddress.ip_network(self.cluster.get("node", node)["spec"]["podCIDR"])
        return str(cidr.network_address + 1)

    def pod_ip(self, name: str) -> str:
        return self.cluster.get("pod", name)["status"]["podIP"]

    def node_port(self, service: str) -> int:
        return self.cluster.get("svc", service)["spec"]["ports"][0]["nodePort"]

    def lb_ip(self, service: str) -> str:
        return self.cluster.get("svc", service)["status"]["loadBalancer"]["ingress"][0]["ip"]


@pytest.fixture
def world() -> World:
    c = Cluster()
    c.kubectl("create deployment web --image=nginx --port=80")
    backend = c.list("pods", selector="app=web")[0]
    node = backend["spec"]["nodeName"]
    other = next(n for n in ("kind-worker", "kind-worker2") if n != node)
    c.create(pod("near", node))
    c.create(pod("far", other))
    c.apply(SERVICES)
    return World(c, backend, node, other)


def expect(
    w: World, client: str, dst: str, verdict: str, seen: str | None, via: str | None = None
) -> None:
    t = trace(w.cluster.control_plane, client, dst, seed=1, via=via)
    assert (t.verdict, t.source_seen) == (verdict, seen), t.reason
    if verdict == "delivered":
        assert t.backend_name == f"default/{w.backend['metadata']['name']}"
        assert t.node == w.node


# -- every Service type x traffic policy x client -----------------------------------------------

MATRIX = [
    # service, client, destination, via, verdict, address the backend sees
    ("cip", "near", "cluster-ip", None, "delivered", "near"),
    ("cip", "far", "cluster-ip", None, "delivered", "far"),
    ("cip", OUTSIDE, "cluster-ip", None, "timeout", None),
    ("itp", "near", "cluster-ip", None, "delivered", "near"),
    ("itp", "far", "cluster-ip", None, "timeout", None),
    ("itp", OUTSIDE, "cluster-ip", None, "timeout", None),
    ("np", "near", "port@node", None, "delivered", "gateway"),
    ("np", "far", "port@other", None, "delivered", "other-ip"),
    ("np", OUTSIDE, "port@node", None, "delivered", "gateway"),
    ("np", OUTSIDE, "port@other", None, "delivered", "other-ip"),
    ("npl", "near", "port@node", None, "delivered", "near"),
    ("npl", "far", "port@other", None, "delivered", "far"),
    ("npl", OUTSIDE, "port@node", None, "delivered", OUTSIDE),
    ("npl", OUTSIDE, "port@other", None, "timeout", None),
    ("lb", "near", "lb", None, "delivered", "gateway"),
    ("lb", "far", "lb", None, "delivered", "other-ip"),
    ("lb", OUTSIDE, "lb", "node", "delivered", "gateway"),
    ("lb", OUTSIDE, "lb", "other", "delivered", "other-ip"),
    ("lbl", "near", "lb", None, "delivered", "near"),
    ("lbl", "far", "lb", None, "delivered", "far"),
    ("lbl", OUTSIDE, "lb", "node", "delivered", OUTSIDE),
    ("lbl", OUTSIDE, "lb", "other", "timeout", None),
]


@pytest.mark.parametrize(("service", "client", "target", "via", "verdict", "seen"), MATRIX)
def test_service_type_policy_and_client(
    world: World,
    service: str,
    client: str,
    target: str,
    via: str | None,
    verdict: str,
    seen: str | None,
) -> None:
    """Same node (near), other node (far), outside. The backend sees a pod's own address for
    ClusterIP traffic and for ETP Local; ETP Cluster masquerades to the address of the device
    the packet leaves by (the backend's veth gateway, or the entry node's eth0); ETP Local
    keeps the outside client's address and drops on a node without an endpoint; ITP Local
    drops ClusterIP traffic from a node without one (proxier.go, virtual-ips.md)."""
    spec = world.cluster.get("svc", service)["spec"]
    destination = {
        "cluster-ip": f"{spec['clusterIP']}:80",
        "port@node": f"{world.ip(world.node)}:{spec['ports'][0].get('nodePort')}",
        "port@other": f"{world.ip(world.other)}:{spec['ports'][0].get('nodePort')}",
    }.get(target) or f"{world.lb_ip(service)}:80"
    entry = {"node": world.node, "other": world.other}.get(via or "")
    address = {
        "near": world.pod_ip("near"),
        "far": world.pod_ip("far"),
        "gateway": world.gateway(world.node),
        "other-ip": world.ip(world.other),
    }.get(seen or "", seen)
    expect(world, client, destination, verdict, address, via=entry)


# -- ClusterIP -------------------------------------------------------------------------------


def test_cluster_ip_is_not_reachable_from_outside(world: World) -> None:
    cluster_ip = world.cluster.get("svc", "cip")["spec"]["clusterIP"]
    t = trace(world.cluster.control_plane, OUTSIDE, f"{cluster_ip}:80", seed=1)
    assert t.verdict == "timeout"
    assert "not reachable from outside the cluster" in t.reason


def test_cluster_ip_from_a_node_is_masqueraded(world: World) -> None:
    # proxier.go: the SVC chain marks traffic whose source is not in the cluster CIDR.
    cluster_ip = world.cluster.get("svc", "cip")["spec"]["clusterIP"]
    expect(world, world.node, f"{cluster_ip}:80", "delivered", world.gateway(world.node))
    expect(world, world.other, f"{cluster_ip}:80", "delivered", world.ip(world.other))


def test_internal_traffic_policy_local(world: World) -> None:
    # service-traffic-policy.md: only node-local endpoints; none on the node -> dropped.
    expect(world, "near", "itp", "delivered", world.pod_ip("near"))
    t = trace(world.cluster.control_plane, "far", "itp", seed=1)
    assert t.verdict == "timeout"
    assert "default/itp has no local endpoints" in t.reason


def test_hairpin_is_masqueraded(world: World) -> None:
    # proxier.go: each KUBE-SEP chain marks packets from its own endpoint (`-s <ip>`), so a
    # pod reaching itself through its Service sees the node's address on its veth.
    name = world.backend["metadata"]["name"]
    t = trace(world.cluster.control_plane, name, "cip", seed=1)
    assert (t.verdict, t.backend_name, t.source_seen) == (
        "delivered",
        f"default/{name}",
        world.gateway(world.node),
    )
    assert any(h.rule.endswith("-j KUBE-MARK-MASQ") and "-s " in h.rule for h in t.hops)
    assert any("MASQUERADE" in h.action for h in t.hops)


# -- NodePort ----------------------------------------------------------------------------------


def test_node_port_local_policy_keeps_the_client_and_drops_without_endpoints(
    world: World,
) -> None:
    # create-external-load-balancer.md "Preserving the client source IP"; proxier.go writes a
    # DROP "has no local endpoints" in KUBE-EXTERNAL-SERVICES on nodes without one.
    port = world.node_port("npl")
    expect(world, OUTSIDE, f"{world.ip(world.node)}:{port}", "delivered", OUTSIDE)
    t = trace(world.cluster.control_plane, OUTSIDE, f"{world.ip(world.other)}:{port}", seed=1)
    assert t.verdict == "timeout"
    assert "KUBE-EXTERNAL-SERVICES" in t.reason
    assert "default/npl has no local endpoints" in t.reason


def test_localhost_node_port_from_the_node(world: World) -> None:
    # kube-proxy's localhost NodePort rule (`-d 127.0.0.0/8`), on by default for IPv4.
    port = world.node_port("np")
    expect(world, world.other, f"127.0.0.1:{port}", "delivered", world.ip(world.other))


# -- LoadBalancer ------------------------------------------------------------------------------


def test_load_balancer_local_policy_health_checks_and_drops(world: World) -> None:
    # The load balancer sends only to nodes passing the health check node port (a local
    # endpoint); a node without one drops the traffic (create-external-load-balancer.md).
    ip = world.lb_ip("lbl")
    t = trace(world.cluster.control_plane, OUTSIDE, f"{ip}:80", seed=1)
    assert (t.verdict, t.entry_node, t.source_seen) == ("delivered", world.node, OUTSIDE)
    t = trace(world.cluster.control_plane, OUTSIDE, f"{ip}:80", seed=1, via=world.other)
    assert t.verdict == "timeout"
    expect(world, "far", f"{ip}:80", "delivered", world.pod_ip("far"))


def test_load_balancer_source_ranges(world: World) -> None:
    # proxier.go: KUBE-FW-* lets the ranges through, KUBE-PROXY-FIREWALL drops the rest, also
    # for pods (proxier_test.go TestLoadBalancer "pod to LB1": DROP).
    ip = world.lb_ip("lbr")
    expect(world, OUTSIDE, f"{ip}:80", "delivered", world.ip(world.other), via=world.other)
    for client in ("172.18.0.101", "near"):
        t = trace(
            world.cluster.control_plane,
            client,
            f"{ip}:80",
            seed=1,
            via=world.other if "." in client else None,
        )
        assert t.verdict == "timeout"
        assert t.reason.startswith("dropped by KUBE-PROXY-FIREWALL")
    blocked = trace(
        world.cluster.control_plane, "172.18.0.101", f"{ip}:80", seed=1, via=world.other
    )
    assert any(h.chain.startswith("KUBE-FW-") for h in blocked.hops)


# -- failures ----------------------------------------------------------------------------------


def test_no_endpoints_is_refused(world: World) -> None:
    # proxier.go: REJECT "<svc> has no endpoints" for the ClusterIP and the NodePort.
    t = trace(world.cluster.control_plane, "near", "empty", seed=1)
    assert (t.verdict, t.source_seen) == ("refused", None)
    assert "default/empty has no endpoints" in t.reason
    node_port = f"{world.ip(world.other)}:{world.node_port('empty')}"
    assert trace(world.cluster.control_plane, OUTSIDE, node_port, seed=1).verdict == "refused"


def test_not_ready_backend_leaves_no_endpoints(world: World) -> None:
    # nginx has no readinessProbe: it is unready only while its container is down.
    world.cluster.kill(world.backend["metadata"]["name"])
    assert trace(world.cluster.control_plane, "near", "cip", seed=1).verdict == "refused"
    world.cluster.advance(1)  # the kubelet restarts it
    assert trace(world.cluster.control_plane, "near", "cip", seed=1).verdict == "delivered"


def test_unproxied_port_on_a_cluster_ip_times_out(world: World) -> None:
    # kube-proxy captures only the Service's proto/port; a ClusterIP is not routable.
    t = trace(world.cluster.control_plane, "near", "cip:81", seed=1)
    assert t.verdict == "timeout"
    assert "cluster IP of default/cip, but no rule handles port 81/TCP" in t.reason


def test_nothing_listening_on_the_target_port_is_refused(world: World) -> None:
    # nginx listens on 80; kube-proxy does not check, the pod's kernel answers with a RST.
    t = trace(world.cluster.control_plane, "near", "closed", seed=1)
    assert t.verdict == "refused"
    assert t.endpoint == f"{world.backend['status']['podIP']}:8080"
    assert "listens on" in t.reason


def test_unknown_name_fails_after_every_search_domain(world: World) -> None:
    # ndots:5 and the search list (kubernetes-dns-spec, glibc resolv/res_query.c @ glibc-2.36
    # __res_context_search), A and AAAA for each name (getaddrinfo's T_QUERY_A_AND_AAAA); the
    # bare name leaves the cluster zone and Docker's DNS, with no internet, answers SERVFAIL
    # (moby libnetwork/resolver.go serveDNS), which CoreDNS passes on.
    t = trace(world.cluster.control_plane, "near", "nope", seed=1)
    assert t.verdict == "servfail"
    assert [h.action for h in t.hops] == [
        f"{name} {qtype} → {rcode}"
        for name, rcode in [
            ("nope.default.svc.cluster.local.", "NXDOMAIN"),
            ("nope.svc.cluster.local.", "NXDOMAIN"),
            ("nope.cluster.local.", "NXDOMAIN"),
            ("nope.", "SERVFAIL"),
        ]
        for qtype in ("A", "AAAA")
    ]


def test_a_node_resolves_through_docker_dns_not_the_cluster(world: World) -> None:
    # Docker's DNS knows the node containers only; other names go to the host's resolvers,
    # unreachable without internet: SERVFAIL (moby libnetwork/resolver.go serveDNS).
    assert trace(world.cluster.control_plane, world.node, "cip", seed=1).verdict == "servfail"


def test_pod_ip_from_outside_times_out(world: World) -> None:
    t = trace(
        world.cluster.control_plane, OUTSIDE, f"{world.backend['status']['podIP']}:80", seed=1
    )
    assert t.verdict == "timeout"


# -- names, protocols, special backends ---------------------------------------------------------


def test_names_resolve_through_the_search_list(world: World) -> None:
    t = trace(world.cluster.control_plane, "near", "cip.default", seed=1)
    dns = [h.action.split(" → ")[1] for h in t.hops if h.stage == "dns"]
    assert dns[:2] == ["NXDOMAIN", "NXDOMAIN"]  # cip.default.default.svc..., A and AAAA
    assert dns[2].startswith("NOERROR ")
    assert t.verdict == "delivered"


def test_headless_service_name_goes_straight_to_the_pod(world: World) -> None:
    t = trace(world.cluster.control_plane, "far", "headless", seed=1)
    assert t.verdict == "delivered"
    assert not any("DNAT" in h.action for h in t.hops)


def test_cluster_dns_over_udp_and_the_api_server(world: World) -> None:
    t = trace(
        world.cluster.control_plane, "near", "kube-dns.kube-system:53", protocol="UDP", seed=1
    )
    assert t.verdict == "delivered"
    assert t.backend_name is not None
    assert t.backend_name.startswith("kube-system/coredns-")
    t = trace(world.cluster.control_plane, "near", "kubernetes:443", seed=1)
    assert (t.verdict, t.endpoint, t.node) == ("delivered", "172.18.0.2:6443", "kind-control-plane")
    # kindnet masquerades pod traffic to non-pod addresses (masq.go).
    assert t.source_seen == world.ip(world.node)


def test_the_reply_undoes_the_nat(world: World) -> None:
    t = trace(
        world.cluster.control_plane,
        OUTSIDE,
        f"{world.ip(world.other)}:{world.node_port('np')}",
        seed=1,
    )
    replies = [h for h in t.hops if h.stage == "reply"]
    assert "un-SNAT" in replies[1].action
    assert "un-DNAT" in replies[2].action
    assert replies[-1].src == f"{world.ip(world.other)}:{world.node_port('np')}"
    assert replies[-1].dst.startswith(OUTSIDE + ":")


# -- one source of truth, caching, determinism ------------------------------------------------


def test_every_rule_walked_is_a_line_of_iptables_save(world: World) -> None:
    c = world.cluster
    t = trace(c.control_plane, OUTSIDE, f"{world.ip(world.other)}:{world.node_port('np')}", seed=1)
    for node in {h.node for h in t.hops if h.stage == "netfilter"}:
        lines = set(
            iptables_save(
                c.control_plane.store.list("Service"),
                c.control_plane.store.list("EndpointSlice"),
                c.control_plane.store.list("Node"),
                node,
                default_proxy(c.control_plane),
            ).splitlines()
        )
        walked = [h.rule for h in t.hops if h.node == node and h.rule]
        assert walked
        assert all(r in lines or "KIND-MASQ-AGENT" in r for r in walked)


def test_views_are_cached_per_store_version(world: World) -> None:
    c = world.cluster
    plane, proxy = dataplane(c.control_plane), default_proxy(c.control_plane)
    first = plane.view(c.control_plane, proxy)
    trace(c.control_plane, "near", "cip", seed=1)
    assert plane.view(c.control_plane, proxy) is first
    c.kubectl("scale deployment web --replicas=2")
    assert plane.view(c.control_plane, proxy) is not first


def test_same_seed_same_trace(world: World) -> None:
    one = trace(world.cluster.control_plane, "near", "cip", seed=7)
    two = trace(world.cluster.control_plane, "near", "cip", seed=7)
    assert str(one) == str(two)


def test_unseeded_traces_are_deterministic_per_cluster_seed() -> None:
    def run() -> list[str]:
        c = Cluster(seed=3)
        c.kubectl("create deployment web --image=nginx --replicas=3 --port=80")
        c.kubectl("expose deployment web --port=80")
        c.create(pod("client", "kind-worker"))
        return [str(trace(c.control_plane, "client", "web")) for _ in range(5)]

    first = run()
    assert first == run()
    assert len({t.splitlines()[-1] for t in first}) > 1


# -- rendering and refusals ---------------------------------------------------------------------


def test_frame_text_and_html(world: World) -> None:
    t = trace(world.cluster.control_plane, "near", "cip", seed=1)
    frame = t.to_frame()
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == len(t.hops)
    text = str(t)
    assert text.startswith("trace pod default/near (")
    assert text.endswith(f"the backend saw the client as {world.pod_ip('near')}")
    hostile = trace(world.cluster.control_plane, "near", "<script>", seed=1)
    page = hostile._repr_html_()
    assert "<script>" not in page
    assert "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("src", "dst", "kwargs", "message"),
    [
        ("ghost", "cip", {}, 'pods "ghost" not found'),
        ("near", "cip:99999", {}, "invalid port '99999'"),
        ("near", "cip:80", {"port": 81}, "names port 80, not 81"),
        ("near", "cip", {"protocol": "ICMP"}, "unsupported protocol 'ICMP'"),
        ("near", "cip", {"via": "kind-worker"}, "via names the entry node of an outside client"),
        (OUTSIDE, "cip", {"via": "nowhere"}, 'nodes "nowhere" not found'),
        ("10.244.9.9", "cip", {}, "no pod has the IP address 10.244.9.9"),
    ],
)
def test_refusals(world: World, src: str, dst: str, kwargs: dict, message: str) -> None:
    with pytest.raises(KubenetError, match=message):
        trace(world.cluster.control_plane, src, dst, **kwargs)


def test_a_pod_without_an_ip_cannot_send(world: World) -> None:
    unschedulable = pod("stuck", world.node)
    del unschedulable["spec"]["nodeName"]
    unschedulable["spec"]["nodeSelector"] = {"disk": "none"}
    world.cluster.create(unschedulable)
    with pytest.raises(KubenetError, match="pod default/stuck has no IP address"):
        trace(world.cluster.control_plane, "stuck", "cip")


# -- the property ---------------------------------------------------------------------------------


@given(
    replicas=st.lists(st.integers(0, 3), min_size=1, max_size=3),
    ready=st.lists(st.booleans(), min_size=9, max_size=9),
    ports=st.lists(st.integers(1, 65535), min_size=3, max_size=3, unique=True),
    seed=st.integers(0, 2**16),
)
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_every_cluster_ip_reaches_a_ready_endpoint_or_is_refused(
    replicas: list[int], ready: list[bool], ports: list[int], seed: int
) -> None:
    """For random small clusters, a ClusterIP:port with ready endpoints traces to one of
    exactly those endpoints; one without endpoints is refused (proxier.go REJECT)."""
    c = Cluster(seed=seed)
    c.create(pod("client", "kind-worker"))
    flips = iter(ready)
    for index, count in enumerate(replicas):
        name = f"app{index}"
        create_deployment(c, f"{name} --image=nginx --replicas={count} --port=80")
        c.kubectl(f"expose deployment {name} --port={ports[index]} --target-port=80")
        for backend in c.list("pods", selector=f"app={name}"):
            if not next(flips):
                c.set_ready(backend["metadata"]["name"], False)
    for index in range(len(replicas)):
        name = f"app{index}"
        service = c.get("svc", name)
        ready_ips = {
            e["addresses"][0]
            for s in c.list("endpointslices", selector=f"kubernetes.io/service-name={name}")
            for e in s.get("endpoints") or ()
            if e["conditions"].get("ready")
        }
        t = trace(
            c.control_plane, "client", f"{service['spec']['clusterIP']}:{ports[index]}", seed=seed
        )
        if ready_ips:
            assert t.verdict == "delivered", t.reason
            assert t.endpoint is not None
            assert t.endpoint.rsplit(":", 1)[0] in ready_ips
        else:
            assert t.verdict == "refused", t.reason
