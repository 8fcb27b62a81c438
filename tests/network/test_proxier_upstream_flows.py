"""kube-proxy's packet-flow unit tests (pkg/proxy/iptables/proxier_test.go) run on our rules.

Each test builds the inputs of the upstream test it names and checks every `packetFlowTest` of
it with the upstream tracer's semantics (tests/network/packet_flows.py) over `iptables_save`'s
output: the destinations a packet can reach (or ACCEPT/DROP/REJECT) and whether it is marked for
masquerading. Upstream: kubernetes/kubernetes pkg/proxy/iptables/proxier_test.go @ release-1.33.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from packet_flows import FlowCase, trace
from proxy_inputs import FAKE, TEST_NODE, endpoint, make_node, make_service, make_slice, port

from kubenet_nb.network.proxy.iptables import iptables_save
from kubenet_nb.network.proxy.settings import ProxySettings

NODES = [make_node()]
EXTERNAL = "203.0.113.2"
BLOCKED = "203.0.113.130"
NODE_IP = "192.168.0.2"
ALT_NODE_IP = "192.168.1.2"
INTERFACES = (
    "127.0.0.1",
    "::1",
    "192.168.0.2",
    "192.168.1.2",
    "192.168.99.11",
    "2001:db8::1",
    "2001:db8:1::2",
)
"""NewFakeProxier's fake network: lo (127.0.0.1, ::1) and eth0's five addresses."""


def check(text: str, cases: list[FlowCase]) -> None:
    failures = []
    for case in cases:
        got = trace(text, case)
        if got != (case.output, case.masq):
            failures.append(f"{case.name}: expected {(case.output, case.masq)}, got {got}")
    assert failures == []


def render(services: list[dict], slices: list[dict], proxy: ProxySettings = FAKE) -> str:
    return iptables_save(services, slices, NODES, TEST_NODE, proxy)


def test_no_endpoints_reject() -> None:
    """TestNoEndpointsReject."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        externalIPs=["192.168.99.11"],
        ports=[port("p80", 80, nodePort=3001)],
    )
    text = render([service], [])
    check(
        text,
        [
            FlowCase("pod to cluster IP", "10.0.0.2", "172.30.0.41", 80, "REJECT"),
            FlowCase("external to external IP", EXTERNAL, "192.168.99.11", 80, "REJECT"),
            FlowCase("pod to NodePort", "10.0.0.2", NODE_IP, 3001, "REJECT"),
            FlowCase("external to NodePort", EXTERNAL, NODE_IP, 3001, "REJECT"),
            FlowCase("pod to LoadBalancer IP", "10.0.0.2", "1.2.3.4", 80, "REJECT"),
            FlowCase("external to LoadBalancer IP", EXTERNAL, "1.2.3.4", 80, "REJECT"),
        ],
    )


def test_cluster_ip_general() -> None:
    """TestClusterIPGeneral: hairpin masquerade, several ports and protocols on one Service."""
    svc1 = make_service("ns1", "svc1", clusterIP="172.30.0.41", ports=[port("http", 80)])
    svc2 = make_service(
        "ns2",
        "svc2",
        clusterIP="172.30.0.42",
        ports=[
            port("http", 80),
            port("https", 443, targetPort=8443),
            port("dns-udp", 53, "UDP"),
            port("dns-tcp", 53, targetPort=5353),
            port("dns-sctp", 53, "SCTP"),
        ],
    )
    slices = [
        make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1", TEST_NODE)], [port("http", 80)]),
        make_slice(
            "ns2",
            "svc2",
            1,
            [endpoint("10.180.0.1", TEST_NODE), endpoint("10.180.2.1", "node2")],
            [
                port("http", 80),
                port("https", 8443),
                port("dns-udp", 53, "UDP"),
                port("dns-tcp", 5353),
                port("dns-sctp", 53, "SCTP"),
            ],
        ),
    ]
    pod = "10.180.0.2"
    check(
        render([svc1, svc2], slices),
        [
            FlowCase("simple clusterIP", pod, "172.30.0.41", 80, "10.180.0.1:80"),
            FlowCase("hairpin", "10.180.0.1", "172.30.0.41", 80, "10.180.0.1:80", masq=True),
            FlowCase("multiple", pod, "172.30.0.42", 80, "10.180.0.1:80, 10.180.2.1:80"),
            FlowCase("targetPort", pod, "172.30.0.42", 443, "10.180.0.1:8443, 10.180.2.1:8443"),
            FlowCase("tcp", pod, "172.30.0.42", 53, "10.180.0.1:5353, 10.180.2.1:5353"),
            FlowCase("udp", pod, "172.30.0.42", 53, "10.180.0.1:53, 10.180.2.1:53", protocol="udp"),
            FlowCase(
                "sctp", pod, "172.30.0.42", 53, "10.180.0.1:53, 10.180.2.1:53", protocol="sctp"
            ),
            FlowCase("tcp-only port", pod, "172.30.0.42", 80, "", protocol="udp"),
            FlowCase("other service's port", pod, "172.30.0.41", 443, ""),
        ],
    )


def test_load_balancer() -> None:
    """TestLoadBalancer: source ranges filter LB traffic but not NodePorts; the node (and the
    VIP itself) is allowed because a range holds the node IP."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        ports=[port("p80", 80, nodePort=3001)],
        loadBalancerSourceRanges=["192.168.0.0/24", " 203.0.113.0/25"],
    )
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], [port("p80", 80)])]
    ep = "10.180.0.1:80"
    check(
        render([service], slices),
        [
            FlowCase("pod to cluster IP", "10.0.0.2", "172.30.0.41", 80, ep),
            FlowCase("external to nodePort", EXTERNAL, NODE_IP, 3001, ep, masq=True),
            FlowCase("nodePort bypasses ranges", BLOCKED, NODE_IP, 3001, ep, masq=True),
            FlowCase("accepted external to LB1", EXTERNAL, "1.2.3.4", 80, ep, masq=True),
            FlowCase("accepted external to LB2", EXTERNAL, "5.6.7.8", 80, ep, masq=True),
            FlowCase("blocked external to LB1", BLOCKED, "1.2.3.4", 80, "DROP"),
            FlowCase("blocked external to LB2", BLOCKED, "5.6.7.8", 80, "DROP"),
            FlowCase("pod to LB1", "10.0.0.2", "1.2.3.4", 80, "DROP"),
            FlowCase("pod to LB2", "10.0.0.2", "5.6.7.8", 80, "DROP"),
            FlowCase("node to LB1", NODE_IP, "1.2.3.4", 80, ep, masq=True),
            FlowCase("node to LB2", NODE_IP, "5.6.7.8", 80, ep, masq=True),
            FlowCase("LB1 to itself", "1.2.3.4", "1.2.3.4", 80, ep, masq=True),
            FlowCase("LB2 to itself", "5.6.7.8", "5.6.7.8", 80, ep, masq=True),
        ],
    )


NODE_PORT_CASES = [
    # (name, family, localhost NodePorts, --nodeport-addresses, alt node IP allowed)
    ("ipv4, localhost on", "IPv4", True, (), True),
    ("ipv4, localhost off", "IPv4", False, (), True),
    (
        "ipv4, localhost off, localhost listed",
        "IPv4",
        False,
        ("192.168.0.0/24", "127.0.0.1/32"),
        False,
    ),
    (
        "ipv4, several addresses",
        "IPv4",
        False,
        ("192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64"),
        True,
    ),
    ("ipv6, localhost on", "IPv6", True, (), True),
    ("ipv6, localhost off", "IPv6", False, (), True),
    (
        "ipv6, several addresses",
        "IPv6",
        False,
        ("192.168.0.0/24", "192.168.1.0/24", "2001:db8::/64"),
        False,
    ),
]


@pytest.mark.parametrize(("name", "family", "localhost", "addresses", "alt"), NODE_PORT_CASES)
def test_node_ports(
    name: str, family: str, localhost: bool, addresses: tuple[str, ...], alt: bool
) -> None:
    """TestNodePorts: --nodeport-addresses and --iptables-localhost-nodeports."""
    v4 = family == "IPv4"
    svc_ip, ep1, ep2 = (
        ("172.30.0.41", "10.180.0.1", "10.180.2.1")
        if v4
        else ("fd00:172:30::41", "fd00:10:180::1", "fd00:10:180::2:1")
    )
    proxy = replace(
        FAKE,
        ip_family=family,
        cluster_cidr="10.0.0.0/8" if v4 else "fd00:10::/64",
        localhost_nodeports=localhost,
        nodeport_addresses=addresses,
        interface_addresses=INTERFACES,
    )
    service = make_service(
        "ns1", "svc1", type="NodePort", clusterIP=svc_ip, ports=[port("p80", 80, nodePort=3001)]
    )
    slices = [
        make_slice(
            "ns1",
            "svc1",
            1,
            [endpoint(ep1), endpoint(ep2, TEST_NODE)],
            [port("p80", 80)],
            family,
        )
    ]
    text = render([service], slices, proxy)
    pod, client, node, alt_ip, lo = (
        ("10.0.0.2", EXTERNAL, NODE_IP, ALT_NODE_IP, "127.0.0.1")
        if v4
        else ("fd00:10::2", "2600:5200::1", "2001:db8::1", "2001:db8:1::2", "::1")
    )
    both = f"{ep1}:80, {ep2}:80" if v4 else f"[{ep1}]:80, [{ep2}]:80"
    cases = [
        FlowCase("pod to cluster IP", pod, svc_ip, 80, both),
        FlowCase("external to nodePort", client, node, 3001, both, masq=True),
        FlowCase("node to nodePort", node, node, 3001, both, masq=True),
    ]
    if v4 and localhost:
        cases.append(FlowCase("localhost to nodePort", lo, lo, 3001, both, masq=True))
    else:
        cases.append(FlowCase("localhost to nodePort ignored", lo, lo, 3001, ""))
    if alt:
        cases.append(FlowCase("secondary IP", client, alt_ip, 3001, both, masq=True))
    else:
        cases.append(FlowCase("secondary IP ignored", client, alt_ip, 3001, ""))
    check(text, cases)
    firewall = [line for line in text.split("\n") if line.startswith("-A KUBE-FIREWALL")]
    assert bool(firewall) == (v4 and localhost)


def test_health_check_node_port() -> None:
    """TestHealthCheckNodePort: the health-check port is accepted, and no longer once the
    Service is gone (nodeport addresses 127.0.0.0/8)."""
    proxy = replace(FAKE, nodeport_addresses=("127.0.0.0/8",), interface_addresses=INTERFACES)
    service = make_service(
        "ns1",
        "svc1",
        type="LoadBalancer",
        clusterIP="172.30.0.42",
        ports=[port("p80", 80, nodePort=3001)],
        healthCheckNodePort=30000,
        externalTrafficPolicy="Local",
    )
    accept = FlowCase("firewall accepts HealthCheckNodePort", "1.2.3.4", NODE_IP, 30000, "ACCEPT")
    check(render([service], [], proxy), [accept])
    check(render([], [], proxy), [replace(accept, output="")])


def _external_policy_service(policy: str) -> tuple[dict, list[dict]]:
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        externalTrafficPolicy=policy,
        clusterIP="172.30.0.41",
        externalIPs=["192.168.99.11"],
        ports=[port("p80", 80, nodePort=3001, targetPort=80)],
        healthCheckNodePort=30000,
    )
    slices = [
        make_slice(
            "ns1",
            "svc1",
            1,
            [endpoint("10.180.0.1"), endpoint("10.180.2.1", TEST_NODE)],
            [port("p80", 80)],
        )
    ]
    return service, slices


def test_external_traffic_policy_local() -> None:
    """TestExternalTrafficPolicyLocal: outside clients reach only the local endpoint and keep
    their address; pods are short-circuited to every endpoint."""
    service, slices = _external_policy_service("Local")
    both, local = "10.180.0.1:80, 10.180.2.1:80", "10.180.2.1:80"
    check(
        render([service], slices),
        [
            FlowCase("pod to cluster IP", "10.0.0.2", "172.30.0.41", 80, both),
            FlowCase("pod to external IP", "10.0.0.2", "192.168.99.11", 80, both),
            FlowCase("external to external IP", EXTERNAL, "192.168.99.11", 80, local),
            FlowCase("pod to LB IP", "10.0.0.2", "1.2.3.4", 80, both),
            FlowCase("external to LB IP", EXTERNAL, "1.2.3.4", 80, local),
            FlowCase("pod to NodePort", "10.0.0.2", NODE_IP, 3001, both),
            FlowCase("external to NodePort", EXTERNAL, NODE_IP, 3001, local),
        ],
    )


def test_external_traffic_policy_cluster() -> None:
    """TestExternalTrafficPolicyCluster: external destinations always masquerade."""
    service, slices = _external_policy_service("Cluster")
    both = "10.180.0.1:80, 10.180.2.1:80"
    check(
        render([service], slices),
        [
            FlowCase("pod to cluster IP", "10.0.0.2", "172.30.0.41", 80, both),
            FlowCase("pod to external IP", "10.0.0.2", "192.168.99.11", 80, both, masq=True),
            FlowCase("external to external IP", EXTERNAL, "192.168.99.11", 80, both, masq=True),
            FlowCase("pod to LB IP", "10.0.0.2", "1.2.3.4", 80, both, masq=True),
            FlowCase("external to LB IP", EXTERNAL, "1.2.3.4", 80, both, masq=True),
            FlowCase("pod to NodePort", "10.0.0.2", NODE_IP, 3001, both, masq=True),
            FlowCase("external to NodePort", EXTERNAL, NODE_IP, 3001, both, masq=True),
        ],
    )


ITP_CASES = [
    ("cluster", "Cluster", [TEST_NODE, "node1", "node2"], "10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80"),
    ("local, one local endpoint", "Local", [TEST_NODE, "node1", "node2"], "10.0.1.1:80"),
    (
        "local, two local endpoints",
        "Local",
        [TEST_NODE, TEST_NODE, "node2"],
        "10.0.1.1:80, 10.0.1.2:80",
    ),
    ("local, no local endpoints", "Local", ["node0", "node1", "node2"], "DROP"),
]


@pytest.mark.parametrize(("name", "policy", "nodes", "output"), ITP_CASES)
def test_internal_traffic_policy(name: str, policy: str, nodes: list[str], output: str) -> None:
    """TestInternalTrafficPolicy, then REJECT once the EndpointSlice is deleted."""
    service = make_service(
        "ns1",
        "svc1",
        clusterIP="172.30.1.1",
        selector={"foo": "bar"},
        ports=[port("", 80)],
        internalTrafficPolicy=policy,
    )
    items = [endpoint(f"10.0.1.{i + 1}", node, ready=True) for i, node in enumerate(nodes)]
    slices = [make_slice("ns1", "svc1", 1, items, [port("", 80)])]
    flow = FlowCase("pod to ClusterIP", "10.0.0.2", "172.30.1.1", 80, output)
    check(render([service], slices), [flow])
    check(render([service], []), [replace(flow, output="REJECT")])


def _terminating(ip: str, node: str, ready: bool, serving: bool, terminating: bool) -> dict:
    return endpoint(ip, node, ready=ready, serving=serving, terminating=terminating)


TERMINATING_LOCAL = [
    (
        "ready endpoints exist",
        [
            ("10.0.1.1", TEST_NODE, True, True, False),
            ("10.0.1.2", TEST_NODE, True, True, False),
            ("10.0.1.3", TEST_NODE, False, True, True),
            ("10.0.1.4", TEST_NODE, False, False, True),
            ("10.0.1.5", "node-1", True, True, False),
        ],
        ("10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80", False),
        ("10.0.1.1:80, 10.0.1.2:80", False),
    ),
    (
        "only terminating endpoints exist",
        [
            ("10.0.1.2", TEST_NODE, False, True, True),
            ("10.0.1.3", TEST_NODE, False, True, True),
            ("10.0.1.4", TEST_NODE, False, False, True),
            ("10.0.1.5", "node-1", True, True, False),
        ],
        ("10.0.1.5:80", False),
        ("10.0.1.2:80, 10.0.1.3:80", False),
    ),
    (
        "terminating endpoints on remote node",
        [("10.0.1.5", "node-1", False, True, True)],
        ("10.0.1.5:80", False),
        ("DROP", False),
    ),
    (
        "no usable endpoints on any node",
        [("10.0.1.5", TEST_NODE, False, False, True), ("10.0.1.5", "node-1", False, False, True)],
        ("REJECT", False),
        ("REJECT", False),
    ),
]

TERMINATING_CLUSTER = [
    (
        "ready endpoints exist",
        [
            ("10.0.1.1", TEST_NODE, True, True, False),
            ("10.0.1.2", TEST_NODE, True, True, False),
            ("10.0.1.3", "another-node", False, True, True),
            ("10.0.1.4", "another-node", False, False, True),
            ("10.0.1.5", "another-node", True, True, False),
        ],
        ("10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80", False),
        ("10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80", True),
    ),
    (
        "only terminating endpoints exist",
        [
            ("10.0.1.2", TEST_NODE, False, True, True),
            ("10.0.1.3", TEST_NODE, False, True, True),
            ("10.0.1.4", "another-node", False, False, True),
            ("10.0.1.5", "another-node", False, True, True),
        ],
        ("10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80", False),
        ("10.0.1.2:80, 10.0.1.3:80, 10.0.1.5:80", True),
    ),
    (
        "terminating endpoints on remote node",
        [("10.0.1.5", "node-1", False, True, True)],
        ("10.0.1.5:80", False),
        ("10.0.1.5:80", True),
    ),
    (
        "no usable endpoints on any node",
        [("10.0.1.5", TEST_NODE, False, False, True), ("10.0.1.5", "node-1", False, False, True)],
        ("REJECT", False),
        ("REJECT", False),
    ),
]


@pytest.mark.parametrize("policy", ["Local", "Cluster"])
@pytest.mark.parametrize("index", range(4))
def test_terminating_endpoints(policy: str, index: int) -> None:
    """TestTerminatingEndpointsTrafficPolicyLocal / …Cluster, then REJECT after deletion."""
    name, items, to_cluster_ip, to_lb = (
        TERMINATING_LOCAL if policy == "Local" else TERMINATING_CLUSTER
    )[index]
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        externalTrafficPolicy=policy,
        clusterIP="172.30.1.1",
        ports=[port("", 80, targetPort=80)],
        healthCheckNodePort=30000,
    )
    slices = [make_slice("ns1", "svc1", 1, [_terminating(*item) for item in items], [port("", 80)])]
    pod = FlowCase(f"{name}: pod to clusterIP", "10.0.0.2", "172.30.1.1", 80, *to_cluster_ip)
    lb = FlowCase(f"{name}: external to LB", EXTERNAL, "1.2.3.4", 80, *to_lb)
    check(render([service], slices), [pod, lb])
    gone = render([service], [])
    check(
        gone, [replace(pod, output="REJECT", masq=False), replace(lb, output="REJECT", masq=False)]
    )


MASQUERADE_FLOWS = [
    ("pod to ClusterIP", "10.0.0.2", "172.30.0.41", 80, "10.180.0.1:80, 10.180.1.1:80", False),
    ("pod to NodePort", "10.0.0.2", NODE_IP, 3001, "10.180.0.1:80, 10.180.1.1:80", True),
    ("pod to LB", "10.0.0.2", "1.2.3.4", 80, "10.180.0.1:80, 10.180.1.1:80", True),
    ("node to ClusterIP", NODE_IP, "172.30.0.41", 80, "10.180.0.1:80, 10.180.1.1:80", True),
    ("node to NodePort", NODE_IP, NODE_IP, 3001, "10.180.0.1:80, 10.180.1.1:80", True),
    ("localhost to NodePort", "127.0.0.1", "127.0.0.1", 3001, "10.180.0.1:80, 10.180.1.1:80", True),
    ("node to LB", NODE_IP, "1.2.3.4", 80, "10.180.0.1:80, 10.180.1.1:80", True),
    ("external to ClusterIP", EXTERNAL, "172.30.0.41", 80, "10.180.0.1:80, 10.180.1.1:80", True),
    ("external to NodePort", EXTERNAL, NODE_IP, 3001, "10.180.0.1:80, 10.180.1.1:80", True),
    ("external to LB", EXTERNAL, "1.2.3.4", 80, "10.180.0.1:80, 10.180.1.1:80", True),
    ("pod to ClusterIP eTP", "10.0.0.2", "172.30.0.42", 80, "10.180.0.2:80, 10.180.1.2:80", False),
    ("pod to NodePort eTP", "10.0.0.2", NODE_IP, 3002, "10.180.0.2:80, 10.180.1.2:80", False),
    ("pod to LB eTP", "10.0.0.2", "5.6.7.8", 80, "10.180.0.2:80, 10.180.1.2:80", False),
    ("node to ClusterIP eTP", NODE_IP, "172.30.0.42", 80, "10.180.0.2:80, 10.180.1.2:80", True),
    ("node to NodePort eTP", NODE_IP, NODE_IP, 3001, "10.180.0.1:80, 10.180.1.1:80", True),
    (
        "localhost to NodePort eTP",
        "127.0.0.1",
        "127.0.0.1",
        3002,
        "10.180.0.2:80, 10.180.1.2:80",
        True,
    ),
    ("node to LB eTP", NODE_IP, "5.6.7.8", 80, "10.180.0.2:80, 10.180.1.2:80", True),
    (
        "external to ClusterIP eTP",
        EXTERNAL,
        "172.30.0.42",
        80,
        "10.180.0.2:80, 10.180.1.2:80",
        True,
    ),
    ("external to NodePort eTP", EXTERNAL, NODE_IP, 3002, "10.180.0.2:80", False),
    ("external to LB eTP", EXTERNAL, "5.6.7.8", 80, "10.180.0.2:80", False),
    ("pod to ClusterIP iTP", "10.0.0.2", "172.30.0.43", 80, "10.180.0.3:80", False),
    ("pod to NodePort iTP", "10.0.0.2", NODE_IP, 3003, "10.180.0.3:80, 10.180.1.3:80", True),
    ("pod to LB iTP", "10.0.0.2", "9.10.11.12", 80, "10.180.0.3:80, 10.180.1.3:80", True),
    ("node to ClusterIP iTP", NODE_IP, "172.30.0.43", 80, "10.180.0.3:80", True),
    ("node to NodePort iTP", NODE_IP, NODE_IP, 3003, "10.180.0.3:80, 10.180.1.3:80", True),
    (
        "localhost to NodePort iTP",
        "127.0.0.1",
        "127.0.0.1",
        3003,
        "10.180.0.3:80, 10.180.1.3:80",
        True,
    ),
    ("node to LB iTP", NODE_IP, "9.10.11.12", 80, "10.180.0.3:80, 10.180.1.3:80", True),
    ("external to ClusterIP iTP", EXTERNAL, "172.30.0.43", 80, "10.180.0.3:80", True),
    ("external to NodePort iTP", EXTERNAL, NODE_IP, 3003, "10.180.0.3:80, 10.180.1.3:80", True),
    ("external to LB iTP", EXTERNAL, "9.10.11.12", 80, "10.180.0.3:80, 10.180.1.3:80", True),
]

NO_DETECTOR = {
    "node to ClusterIP": (None, False),
    "node to ClusterIP eTP": (None, False),
    "node to ClusterIP iTP": (None, False),
    "external to ClusterIP": (None, False),
    "external to ClusterIP eTP": (None, False),
    "external to ClusterIP iTP": (None, False),
    "pod to NodePort eTP": ("10.180.0.2:80", None),
    "pod to LB eTP": ("10.180.0.2:80", None),
}
MASQUERADE_ALL = {
    "pod to ClusterIP": (None, True),
    "pod to ClusterIP eTP": (None, True),
    "pod to ClusterIP iTP": (None, True),
}
BOTH = {
    **MASQUERADE_ALL,
    "pod to NodePort eTP": ("10.180.0.2:80", None),
    "pod to LB eTP": ("10.180.0.2:80", None),
}


@pytest.mark.parametrize(
    ("masquerade_all", "detector", "overrides"),
    [
        (False, True, {}),
        (False, False, NO_DETECTOR),
        (True, True, MASQUERADE_ALL),
        (True, False, BOTH),
    ],
    ids=["base", "no LocalTrafficDetector", "masqueradeAll", "masqueradeAll, no detector"],
)
def test_internal_external_masquerade(
    masquerade_all: bool, detector: bool, overrides: dict[str, tuple[str | None, bool | None]]
) -> None:
    """TestInternalExternalMasquerade: which of 30 flows get masqueraded (and where they go)
    under --masquerade-all and without a local traffic detector."""
    common = {"type": "LoadBalancer", "ports": None}
    services = []
    for n, extra in (
        (1, {}),
        (2, {"externalTrafficPolicy": "Local"}),
        (3, {"internalTrafficPolicy": "Local"}),
    ):
        spec = {**common, **extra, "ports": [port("p80", 80, nodePort=3000 + n)]}
        ip = {1: "1.2.3.4", 2: "5.6.7.8", 3: "9.10.11.12"}[n]
        services.append(
            make_service(
                f"ns{n}",
                f"svc{n}",
                ingress=[{"ip": ip}],
                clusterIP=f"172.30.0.4{n}",
                healthCheckNodePort=30000 + n,
                **spec,
            )
        )
    slices = [
        make_slice(
            f"ns{n}",
            f"svc{n}",
            1,
            [endpoint(f"10.180.0.{n}", TEST_NODE), endpoint(f"10.180.1.{n}", "remote")],
            [port("p80", 80)],
        )
        for n in (1, 2, 3)
    ]
    proxy = replace(
        FAKE, masquerade_all=masquerade_all, detect_local_mode="ClusterCIDR" if detector else ""
    )
    cases = []
    for name, source, dest, dport, output, masq in MASQUERADE_FLOWS:
        new_output, new_masq = overrides.get(name, (None, None))
        cases.append(
            FlowCase(
                name,
                source,
                dest,
                dport,
                output if new_output is None else new_output,
                masq if new_masq is None else new_masq,
            )
        )
    check(render(services, slices, proxy), cases)
