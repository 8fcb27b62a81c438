"""The rules kube-proxy writes for each Service feature, and the node's iptables-save view.

Facts pinned here come from pkg/proxy/iptables/proxier.go (`syncProxyRules`,
`writeServiceToEndpointRules`), pkg/proxy/topology.go (`CategorizeEndpoints`),
pkg/proxy/endpointslicecache.go and pkg/proxy/serviceport.go of kubernetes v1.33, and from real
iptables-save output of a kube-proxy v1.32 node (data/proxier/real_node_iptables_save.txt).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from iptables_canon import check_rule_jumps, load_expected
from proxy_inputs import FAKE, TEST_NODE, endpoint, make_node, make_service, make_slice, port

from kubenet_nb.api.errors import NotFound
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.io.manifests import load_manifests
from kubenet_nb.network.proxy.chains import endpoint_chain
from kubenet_nb.network.proxy.iptables import iptables_save, restore_text
from kubenet_nb.network.proxy.model import endpoints_by_port
from kubenet_nb.network.proxy.save import save_rule
from kubenet_nb.network.proxy.settings import ProxySettings

DATA = Path(__file__).parent / "data" / "proxier"
NODES = [make_node()]
P80 = [port("p80", 80)]
NODEPORTS_TAIL = (
    '-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be'
    ' the last rule in this chain" '
)


Tables = dict[str, list[str]]


def rules(services: list[dict], slices: list[dict], proxy: ProxySettings = FAKE) -> Tables:
    """A full sync's rules by table; the output is checked with checkIPTablesRuleJumps."""
    text = restore_text(services, slices, NODES, TEST_NODE, proxy)
    assert check_rule_jumps(text) == []
    filter_part, nat_part = text.split("*nat\n")
    return {
        table: [line for line in part.split("\n") if line.startswith("-A ")]
        for table, part in (("filter", filter_part), ("nat", nat_part))
    }


FILTER_CHAINS = {"KUBE-EXTERNAL-SERVICES", "KUBE-FIREWALL", "KUBE-FORWARD", "KUBE-PROXY-FIREWALL"}


def chain(tables: Tables, name: str, table: str = "") -> list[str]:
    """One chain's rules; KUBE-SERVICES and KUBE-NODEPORTS exist in both tables (say which)."""
    table = table or ("filter" if name in FILTER_CHAINS else "nat")
    return [line for line in tables[table] if line.split(" ", 2)[1] == name]


def cluster_ip(name: str = "svc1", ip: str = "172.30.0.41", **spec: object) -> dict:
    return make_service("ns1", name, clusterIP=ip, ports=P80, type="ClusterIP", **spec)


# -- a real node -----------------------------------------------------------------------------


def test_real_node_iptables_save() -> None:
    """The kubernetes and kube-dns Services of a fresh kubeadm cluster, as the real node shows
    them (kube-proxy v1.32.11, iptables 1.8.10; that node had no nfacct counters)."""
    node = make_node("k8s-ctr", "172.31.7.91")
    services = [
        make_service(
            "default",
            "kubernetes",
            type="ClusterIP",
            clusterIP="10.96.0.1",
            ports=[port("https", 443, targetPort=6443)],
        ),
        make_service(
            "kube-system",
            "kube-dns",
            type="ClusterIP",
            clusterIP="10.96.0.10",
            ports=[port("dns", 53, "UDP"), port("dns-tcp", 53), port("metrics", 9153)],
        ),
    ]
    dns = [endpoint(ip, "k8s-ctr", ready=True) for ip in ("10.244.0.2", "10.244.0.3")]
    slices = [
        make_slice("default", "kubernetes", 1, [endpoint("172.31.7.91")], [port("https", 6443)]),
        make_slice(
            "kube-system",
            "kube-dns",
            1,
            dns,
            [port("dns", 53, "UDP"), port("dns-tcp", 53), port("metrics", 9153)],
        ),
    ]
    proxy = ProxySettings(cluster_cidr="10.244.0.0/16", nfacct_counters=frozenset())
    text = iptables_save(services, slices, [node], "k8s-ctr", proxy)
    assert text == load_expected(DATA / "real_node_iptables_save.txt")


# -- service types ---------------------------------------------------------------------------


def test_cluster_ip_probabilities_follow_sorted_endpoints() -> None:
    """Endpoints sorted by the "ip:port" string; rule i of n matches with 1/(n-i)."""
    slices = [
        make_slice(
            "ns1", "svc1", 1, [endpoint(ip) for ip in ("10.1.1.2", "10.1.1.11", "10.1.1.1")], P80
        )
    ]
    balance = chain(rules([cluster_ip()], slices), "KUBE-SVC-XPGD46QRK7WJZT7O")[1:]
    assert [line.split('"')[1] for line in balance] == [
        "ns1/svc1:p80 -> 10.1.1.11:80",
        "ns1/svc1:p80 -> 10.1.1.1:80",
        "ns1/svc1:p80 -> 10.1.1.2:80",
    ]
    assert "--probability 0.3333333333 " in balance[0]
    assert "--probability 0.5000000000 " in balance[1]
    assert "statistic" not in balance[2]


@pytest.mark.parametrize(
    "spec",
    [
        {"type": "ClusterIP", "clusterIP": "None"},
        {"type": "ClusterIP", "clusterIP": ""},
        {"type": "ExternalName", "clusterIP": "172.30.0.9", "externalName": "example.com"},
    ],
)
def test_headless_and_external_name_get_no_rules(spec: dict) -> None:
    """ShouldSkipService: clusterIP None/empty, or type ExternalName."""
    service = make_service("ns1", "svc1", ports=P80, **spec)
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], P80)]
    assert not [line for line in rules([service], slices) if "ns1/svc1" in line]


def test_no_endpoints_rejects_every_address() -> None:
    """TestNoEndpointsReject: REJECT for the cluster IP, external IP, LB IP and NodePort."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        externalIPs=["192.168.99.11"],
        ports=[port("p80", 80, nodePort=3001)],
    )
    lines = rules([service], [])
    comment = '-m comment --comment "ns1/svc1:p80 has no endpoints"'
    assert chain(lines, "KUBE-SERVICES", "filter") == [
        f"-A KUBE-SERVICES {comment} -m tcp -p tcp -d 172.30.0.41 --dport 80 -j REJECT"
    ]
    assert chain(lines, "KUBE-EXTERNAL-SERVICES") == [
        f"-A KUBE-EXTERNAL-SERVICES {comment} -m tcp -p tcp -d 192.168.99.11 --dport 80 -j REJECT",
        f"-A KUBE-EXTERNAL-SERVICES {comment} -m tcp -p tcp -d 1.2.3.4 --dport 80 -j REJECT",
        f"-A KUBE-EXTERNAL-SERVICES {comment} -m addrtype --dst-type LOCAL -m tcp -p tcp"
        " --dport 3001 -j REJECT",
    ]
    assert chain(lines, "KUBE-SERVICES") == [
        NODEPORTS_TAIL + "-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"
    ]
    assert not chain(lines, "KUBE-NODEPORTS")


def test_internal_traffic_policy_local() -> None:
    """iTP=Local: ClusterIP traffic jumps to KUBE-SVL with only this node's endpoints, or is
    dropped in filter when the node has none (TestInternalTrafficPolicy)."""
    service = cluster_ip(internalTrafficPolicy="Local")
    here = [
        make_slice(
            "ns1", "svc1", 1, [endpoint("10.0.1.1", TEST_NODE), endpoint("10.0.1.2", "n2")], P80
        )
    ]
    lines = rules([service], here)
    assert chain(lines, "KUBE-SERVICES")[0].endswith("-j KUBE-SVL-XPGD46QRK7WJZT7O")
    sep = endpoint_chain("ns1/svc1:p80", "tcp", "10.0.1.1:80")
    assert chain(lines, "KUBE-SVL-XPGD46QRK7WJZT7O")[1:] == [
        f'-A KUBE-SVL-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j {sep}'
    ]
    assert not chain(lines, "KUBE-SVC-XPGD46QRK7WJZT7O")
    elsewhere = [make_slice("ns1", "svc1", 1, [endpoint("10.0.1.2", "n2")], P80)]
    lines = rules([service], elsewhere)
    assert chain(lines, "KUBE-SERVICES", "filter") == [
        '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 has no local endpoints"'
        " -m tcp -p tcp -d 172.30.0.41 --dport 80 -j DROP"
    ]


def test_external_traffic_policy_local() -> None:
    """eTP=Local LoadBalancer: the EXT chain short-circuits pods and the host to KUBE-SVC and
    sends the rest to KUBE-SVL (local endpoints only); the health-check port is accepted."""
    service = make_service(
        "ns2",
        "svc2",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        externalTrafficPolicy="Local",
        clusterIP="172.30.0.42",
        ports=[port("p80", 80, nodePort=3001)],
        healthCheckNodePort=30000,
    )
    slices = [
        make_slice(
            "ns2", "svc2", 1, [endpoint("10.180.0.1"), endpoint("10.180.2.1", TEST_NODE)], P80
        )
    ]
    lines = rules([service], slices)
    assert chain(lines, "KUBE-EXT-GNZBNJ2PO5MGZ6GT") == [
        '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external'
        ' destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
        '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for'
        ' ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ',
        '-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80'
        ' external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT',
        "-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -j KUBE-SVL-GNZBNJ2PO5MGZ6GT",
    ]
    assert len(chain(lines, "KUBE-SVC-GNZBNJ2PO5MGZ6GT")) == 3
    assert len(chain(lines, "KUBE-SVL-GNZBNJ2PO5MGZ6GT")) == 1
    assert chain(lines, "KUBE-NODEPORTS", "filter") == [
        '-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port"'
        " -m tcp -p tcp --dport 30000 -j ACCEPT"
    ]


def test_health_check_port_only_for_local_load_balancers() -> None:
    """apiservice.NeedsHealthCheck: type LoadBalancer with eTP=Local; NodePort never."""
    node_port = make_service(
        "ns1",
        "svc1",
        type="NodePort",
        externalTrafficPolicy="Local",
        clusterIP="172.30.0.41",
        ports=[port("p80", 80, nodePort=3001)],
        healthCheckNodePort=30000,
    )
    assert not chain(rules([node_port], []), "KUBE-NODEPORTS", "filter")


def test_load_balancer_source_ranges_allow_the_node() -> None:
    """KUBE-FW: one rule per source range, then the VIPs themselves when a range holds the
    node IP (TestLoadBalancer); unmatched traffic is dropped by KUBE-PROXY-FIREWALL."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        ports=[port("p80", 80, nodePort=3001)],
        loadBalancerSourceRanges=["192.168.0.0/24", " 203.0.113.0/25"],
    )
    lines = rules([service], [make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], P80)])
    head = '-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP"'
    ext = "-j KUBE-EXT-XPGD46QRK7WJZT7O"
    assert chain(lines, "KUBE-FW-XPGD46QRK7WJZT7O") == [
        f"{head} -s 192.168.0.0/24 {ext}",
        f"{head} -s 203.0.113.0/25 {ext}",
        f"{head} -s 1.2.3.4 {ext}",
        f"{head} -s 5.6.7.8 {ext}",
        '-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "other traffic to ns1/svc1:p80 will be'
        ' dropped by KUBE-PROXY-FIREWALL"',
    ]
    assert len(chain(lines, "KUBE-PROXY-FIREWALL")) == 2


def test_session_affinity_client_ip() -> None:
    """ClientIP affinity: a `recent --rcheck` rule per endpoint before the probabilities, and
    `recent --set` in each SEP chain; the timeout is sessionAffinityConfig's."""
    service = cluster_ip(
        sessionAffinity="ClientIP", sessionAffinityConfig={"clientIP": {"timeoutSeconds": 60}}
    )
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.0.0.1"), endpoint("10.0.0.2")], P80)]
    lines = rules([service], slices)
    svc = chain(lines, "KUBE-SVC-XPGD46QRK7WJZT7O")
    assert [("--rcheck --seconds 60 --reap" in line, "statistic" in line) for line in svc[1:]] == [
        (True, False),
        (True, False),
        (False, True),
        (False, False),
    ]
    dnat = [line for line in lines["nat"] if "-j DNAT" in line]
    assert all(" --set -m tcp -p tcp -j DNAT " in line for line in dnat)


def test_serving_terminating_fallback() -> None:
    """With no ready endpoint anywhere, serving+terminating endpoints are used; terminating
    ones that are not serving never are (TestTerminatingEndpointsTrafficPolicyCluster)."""
    service = cluster_ip()
    terminating = [
        endpoint("10.0.1.2", TEST_NODE, ready=False, serving=True, terminating=True),
        endpoint("10.0.1.4", "n2", ready=False, serving=False, terminating=True),
        endpoint("10.0.1.5", "n2", ready=False, serving=True, terminating=True),
    ]
    lines = rules([service], [make_slice("ns1", "svc1", 1, terminating, P80)])
    targets = [line.split('"')[1] for line in chain(lines, "KUBE-SVC-XPGD46QRK7WJZT7O")[1:]]
    assert targets == ["ns1/svc1:p80 -> 10.0.1.2:80", "ns1/svc1:p80 -> 10.0.1.5:80"]
    mixed = [*terminating, endpoint("10.0.1.9", "n2", ready=True)]
    lines = rules([service], [make_slice("ns1", "svc1", 1, mixed, P80)])
    assert len(chain(lines, "KUBE-SVC-XPGD46QRK7WJZT7O")) == 2
    gone = [endpoint("10.0.1.4", "n2", ready=False, serving=False, terminating=True)]
    lines = rules([service], [make_slice("ns1", "svc1", 1, gone, P80)])
    assert chain(lines, "KUBE-SERVICES", "filter")[0].endswith("-j REJECT")


def test_local_fallback_to_terminating_endpoints() -> None:
    """eTP=Local uses local serving-terminating endpoints when no local one is ready, while
    the cluster chain keeps the ready remote ones (TestTerminatingEndpointsTrafficPolicyLocal)."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        externalTrafficPolicy="Local",
        clusterIP="172.30.1.1",
        ports=[port("", 80)],
        healthCheckNodePort=30000,
    )
    endpoints = [
        endpoint("10.0.1.2", TEST_NODE, ready=False, serving=True, terminating=True),
        endpoint("10.0.1.5", "node-1", ready=True, serving=True, terminating=False),
    ]
    lines = rules([service], [make_slice("ns1", "svc1", 1, endpoints, [port("", 80)])])
    svl = [line for line in lines["nat"] if line.startswith("-A KUBE-SVL-")]
    svc = [line for line in lines["nat"] if line.startswith("-A KUBE-SVC-")]
    assert [line.split('"')[1] for line in svl] == ["ns1/svc1 -> 10.0.1.2:80"]
    assert [line.split('"')[1] for line in svc[1:]] == ["ns1/svc1 -> 10.0.1.5:80"]
    assert (
        len({line.split(" ")[1] for line in lines["nat"] if line.startswith("-A KUBE-SEP-")}) == 2
    )


# -- settings ----------------------------------------------------------------------------------


def test_masquerade_all_and_no_detector() -> None:
    """--masquerade-all masquerades all ClusterIP traffic; the no-op local detector writes no
    masquerade rule and no pod short-circuit (TestInternalExternalMasquerade)."""
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.0.0.1")], P80)]
    every = rules([cluster_ip()], slices, replace(FAKE, masquerade_all=True))
    assert chain(every, "KUBE-SVC-XPGD46QRK7WJZT7O")[0].endswith("--dport 80 -j KUBE-MARK-MASQ")
    none = rules([cluster_ip()], slices, replace(FAKE, detect_local_mode=""))
    assert len(chain(none, "KUBE-SVC-XPGD46QRK7WJZT7O")) == 1


@pytest.mark.parametrize(
    ("proxy", "match"),
    [
        (ProxySettings(), "! -s 10.244.0.0/16"),
        (ProxySettings(detect_local_mode="NodeCIDR"), "! -s 10.244.1.0/24"),
        (ProxySettings(detect_local_mode="BridgeInterface", bridge_interface="cni0"), "! -i cni0"),
        (
            ProxySettings(detect_local_mode="InterfaceNamePrefix", interface_name_prefix="veth"),
            "! -i veth+",
        ),
    ],
)
def test_local_detectors(proxy: ProxySettings, match: str) -> None:
    """pkg/proxy/util/localdetector.go: `IfNotLocal()` of each --detect-local-mode."""
    node = make_node()
    node["spec"] = {"podCIDR": "10.244.1.0/24", "podCIDRs": ["10.244.1.0/24"]}
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.0.0.1")], P80)]
    text = restore_text([cluster_ip()], slices, [node], TEST_NODE, proxy)
    assert f"--dport 80 {match} -j KUBE-MARK-MASQ" in text


def test_default_mark_is_bit_14() -> None:
    """NewProxier: mark = fmt.Sprintf("%#08x", 1<<masqueradeBit); iptables-save shows 0x4000."""
    text = restore_text([], [], NODES, TEST_NODE, ProxySettings())
    assert "-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n" in text
    assert "-j MASQUERADE --random-fully\n" in text
    assert ProxySettings(masquerade_bit=0).mark == "0x00000001"
    assert ProxySettings(masquerade_bit=31).mark == "0x80000000"


@pytest.mark.parametrize(
    ("addresses", "localhost", "tail"),
    [
        ((), True, ["-m addrtype --dst-type LOCAL -j KUBE-NODEPORTS"]),
        ((), False, ["-m addrtype --dst-type LOCAL ! -d 127.0.0.0/8 -j KUBE-NODEPORTS"]),
        (("192.168.0.0/24", "127.0.0.1/32"), False, ["-d 192.168.0.2 -j KUBE-NODEPORTS"]),
        (
            ("192.168.0.0/24", "127.0.0.1/32"),
            True,
            ["-d 192.168.0.2 -j KUBE-NODEPORTS", "-d 127.0.0.1 -j KUBE-NODEPORTS"],
        ),
        (("primary",), True, ["-d 192.168.0.2 -j KUBE-NODEPORTS"]),
    ],
)
def test_nodeport_addresses(addresses: tuple[str, ...], localhost: bool, tail: list[str]) -> None:
    """The KUBE-SERVICES tail rule(s) for --nodeport-addresses; localhost NodePorts (and the
    KUBE-FIREWALL rule) only when the addresses include 127.0.0.0/8 (TestNodePorts)."""
    proxy = replace(FAKE, nodeport_addresses=addresses, localhost_nodeports=localhost)
    lines = rules([], [], proxy)
    assert chain(lines, "KUBE-SERVICES") == [NODEPORTS_TAIL + each for each in tail]
    has_loopback = not addresses or "127.0.0.1/32" in addresses
    assert bool(chain(lines, "KUBE-FIREWALL")) == (localhost and has_loopback)


def test_ipv6() -> None:
    """The IPv6 proxier: bracketed endpoints, no KUBE-FIREWALL, no localhost NodePorts."""
    proxy = replace(FAKE, ip_family="IPv6", cluster_cidr="fd00:10::/64")
    service = make_service(
        "ns1",
        "svc1",
        type="NodePort",
        clusterIP="fd00:172:30::41",
        ports=[port("p80", 80, nodePort=3001)],
    )
    slices = [make_slice("ns1", "svc1", 1, [endpoint("fd00:10:180::1")], P80, "IPv6")]
    lines = rules([service], slices, proxy)
    assert any(line.endswith("--to-destination [fd00:10:180::1]:80") for line in lines["nat"])
    assert not chain(lines, "KUBE-FIREWALL")
    assert chain(lines, "KUBE-SERVICES")[-1].endswith(
        "--dst-type LOCAL ! -d ::1/128 -j KUBE-NODEPORTS"
    )
    assert not [line for line in lines["filter"] + lines["nat"] if "127.0.0.0/8" in line]
    ipv4_only = rules([service], [make_slice("ns1", "svc1", 1, [endpoint("10.0.0.1")], P80)], proxy)
    assert chain(ipv4_only, "KUBE-SERVICES", "filter")[0].endswith("-j REJECT")


# -- what the proxy reads ----------------------------------------------------------------------


def test_endpoints_deduplicated_and_sorted() -> None:
    """endpointslicecache.go: one endpoint per "ip:port" across slices (a local copy replaces
    a remote one), sorted as strings (TestUpdateEndpointsMap: 10.1.1.11 before 10.1.1.1)."""
    slices = [
        make_slice(
            "ns1", "ep1", 1, [endpoint("10.1.1.1"), endpoint("10.1.1.11")], [port("p11", 11, "UDP")]
        ),
        make_slice("ns1", "ep1", 2, [endpoint("10.1.1.1", TEST_NODE)], [port("p11", 11, "UDP")]),
    ]
    found = endpoints_by_port(slices, TEST_NODE)[("ns1", "ep1", "p11", "UDP")]
    assert [(e.endpoint, e.is_local) for e in found] == [
        ("10.1.1.11:11", False),
        ("10.1.1.1:11", True),
    ]


def test_slices_kube_proxy_ignores() -> None:
    """Slices of the other family, FQDN slices, slices without the service-name label, and
    ports without a name or number are not read."""
    good = make_slice("ns1", "svc1", 1, [endpoint("10.0.0.1")], P80)
    unlabelled = make_slice("ns1", "svc1", 2, [endpoint("10.0.0.2")], P80)
    unlabelled["metadata"]["labels"] = {}
    fqdn = make_slice("ns1", "svc1", 3, [endpoint("10.0.0.3")], P80, "FQDN")
    unnamed = make_slice(
        "ns1", "svc1", 4, [endpoint("10.0.0.4")], [{"port": 80, "protocol": "TCP"}]
    )
    found = endpoints_by_port([good, unlabelled, fqdn, unnamed], TEST_NODE)
    assert [e.ip for e in found[("ns1", "svc1", "p80", "TCP")]] == ["10.0.0.1"]


def test_ports_match_by_name_and_protocol() -> None:
    service = make_service(
        "ns1", "dns", type="ClusterIP", clusterIP="172.30.0.10", ports=[port("dns", 53, "UDP")]
    )
    slices = [make_slice("ns1", "dns", 1, [endpoint("10.0.0.1")], [port("dns", 53, "TCP")])]
    assert chain(rules([service], slices), "KUBE-SERVICES", "filter")[0].endswith("-j REJECT")


def test_zone_hints() -> None:
    """Topology: when every ready endpoint has zone hints and one names this node's zone, the
    cluster chain keeps only those endpoints (topology.go topologyModeFromHints)."""
    node = make_node(**{"topology.kubernetes.io/zone": "zone-a"})
    items = [endpoint("10.0.0.1"), endpoint("10.0.0.2")]
    items[0]["hints"] = {"forZones": [{"name": "zone-a"}]}
    items[1]["hints"] = {"forZones": [{"name": "zone-b"}]}
    slices = [make_slice("ns1", "svc1", 1, items, P80)]
    text = restore_text([cluster_ip()], slices, [node], TEST_NODE, FAKE)
    assert "10.0.0.1:80" in text
    assert "10.0.0.2:80" not in text
    unlabelled = restore_text([cluster_ip()], slices, NODES, TEST_NODE, FAKE)
    assert "10.0.0.2:80" in unlabelled


def test_node_hints_need_the_feature_gate() -> None:
    """PreferSameTrafficDistribution (alpha in v1.33) gates the use of node hints."""
    items = [endpoint("10.0.0.1"), endpoint("10.0.0.2")]
    items[0]["hints"] = {"forNodes": [{"name": TEST_NODE}]}
    items[1]["hints"] = {"forNodes": [{"name": "other"}]}
    slices = [make_slice("ns1", "svc1", 1, items, P80)]
    assert "10.0.0.2:80" in restore_text([cluster_ip()], slices, NODES, TEST_NODE, FAKE)
    gated = replace(FAKE, prefer_same_traffic_distribution=True)
    assert "10.0.0.2:80" not in restore_text([cluster_ip()], slices, NODES, TEST_NODE, gated)


def test_source_ranges_of_zero_length_still_create_a_firewall() -> None:
    """v1.33 still builds KUBE-FW for 0.0.0.0/0 (the "allow all" shortcut came in v1.34)."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        ports=[port("p80", 80, nodePort=3001)],
        loadBalancerSourceRanges=["0.0.0.0/0"],
    )
    lines = rules([service], [make_slice("ns1", "svc1", 1, [endpoint("10.0.0.1")], P80)])
    assert chain(lines, "KUBE-FW-XPGD46QRK7WJZT7O")


# -- iptables-save spelling --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "saved"),
    [
        (
            '-A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.0.1:80" -m statistic --mode random'
            " --probability 0.3333333333 -j KUBE-SEP-Y",
            '-A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.0.1:80" -m statistic --mode random'
            " --probability 0.33333333349 -j KUBE-SEP-Y",
        ),
        (
            '-A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.0.1:80" -m recent --name KUBE-SEP-Y'
            " --rcheck --seconds 10800 --reap -j KUBE-SEP-Y",
            '-A KUBE-SVC-X -m comment --comment "ns/s:p -> 10.0.0.1:80" -m recent --rcheck'
            " --seconds 10800 --reap --name KUBE-SEP-Y --mask 255.255.255.255 --rsource"
            " -j KUBE-SEP-Y",
        ),
        (
            "-A KUBE-SEP-Y -m comment --comment ns/s:p -m recent --name KUBE-SEP-Y --set"
            " -m tcp -p tcp -j DNAT --to-destination 10.0.0.1:80",
            '-A KUBE-SEP-Y -p tcp -m comment --comment "ns/s:p" -m recent --set --name KUBE-SEP-Y'
            " --mask 255.255.255.255 --rsource -m tcp -j DNAT --to-destination 10.0.0.1:80",
        ),
        (
            '-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns/s:p has no endpoints" -m addrtype'
            " --dst-type LOCAL -m tcp -p tcp --dport 30036 -j REJECT",
            '-A KUBE-EXTERNAL-SERVICES -p tcp -m comment --comment "ns/s:p has no endpoints"'
            " -m addrtype --dst-type LOCAL -m tcp --dport 30036 -j REJECT --reject-with"
            " icmp-port-unreachable",
        ),
        (
            "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name x -j DROP",
            "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name  x -j DROP",
        ),
        (
            "-A KUBE-FW-X -m comment --comment plain -s 203.0.113.0/25 -j KUBE-EXT-X",
            "-A KUBE-FW-X -s 203.0.113.0/25 -m comment --comment plain -j KUBE-EXT-X",
        ),
    ],
)
def test_save_spelling(rule: str, saved: str) -> None:
    """iptables-save's layout (seen in real output): addresses and -p first, matches in the
    order given, 11-decimal probabilities from the kernel's 31-bit value, recent's defaults,
    REJECT's default --reject-with, nfacct's double space, comments quoted unless plain."""
    assert save_rule(rule) == saved


def test_save_ipv6_spelling() -> None:
    assert save_rule(
        "-A KUBE-SEP-Y -m comment --comment ns/s:p -s fd00::1 -j KUBE-MARK-MASQ", True
    ) == ('-A KUBE-SEP-Y -s fd00::1/128 -m comment --comment "ns/s:p" -j KUBE-MARK-MASQ')
    assert save_rule("-A KUBE-SERVICES -j REJECT", True).endswith("icmp6-port-unreachable")


# -- properties --------------------------------------------------------------------------------

IPS = st.integers(min_value=1, max_value=250).map(lambda n: f"10.0.0.{n}")
ENDPOINT = st.builds(
    lambda ip, local, ready, serving, terminating: endpoint(
        ip, TEST_NODE if local else "other", ready=ready, serving=serving, terminating=terminating
    ),
    IPS,
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.booleans(),
)
SERVICE = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["ClusterIP", "NodePort", "LoadBalancer"]),
        "etp": st.sampled_from(["Cluster", "Local"]),
        "itp": st.sampled_from(["Cluster", "Local"]),
        "affinity": st.booleans(),
        "external_ip": st.booleans(),
        "ranges": st.booleans(),
        "endpoints": st.lists(ENDPOINT, max_size=6),
    }
)


@settings(max_examples=150, deadline=None)
@given(st.lists(SERVICE, max_size=5))
def test_rules_are_always_consistent(specs: list[dict]) -> None:
    """checkIPTablesRuleJumps holds for any mix of types, policies and endpoint conditions:
    every jump target is declared and filled, no declared chain goes unused."""
    services, slices = [], []
    for i, spec in enumerate(specs):
        extra: dict = {}
        if spec["type"] != "ClusterIP":
            extra["ports"] = [port("p80", 80, nodePort=30000 + i)]
        if spec["type"] == "LoadBalancer":
            extra["healthCheckNodePort"] = 31000 + i
        if spec["external_ip"]:
            extra["externalIPs"] = [f"192.168.99.{i + 1}"]
        if spec["ranges"]:
            extra["loadBalancerSourceRanges"] = ["203.0.113.0/25"]
        if spec["affinity"]:
            extra["sessionAffinity"] = "ClientIP"
        service = make_service(
            "ns",
            f"svc{i}",
            ingress=[{"ip": f"1.2.3.{i + 1}"}] if spec["type"] == "LoadBalancer" else None,
            **{"type": spec["type"], "clusterIP": f"172.30.0.{i + 1}", "ports": P80}
            | {"externalTrafficPolicy": spec["etp"], "internalTrafficPolicy": spec["itp"]}
            | extra,
        )
        services.append(service)
        slices.append(make_slice("ns", f"svc{i}", 1, spec["endpoints"], P80))
    nodes = [*NODES, make_node("other", "192.168.0.3")]
    for node in (TEST_NODE, "other"):
        text = restore_text(services, slices, nodes, node, FAKE)
        assert check_rule_jumps(text) == []
        saved = iptables_save(services, slices, nodes, node, FAKE)
        assert saved.count("COMMIT") == 2


# -- on the simulated kind cluster -------------------------------------------------------------


def test_unknown_node_is_not_found() -> None:
    with pytest.raises(NotFound, match='nodes "nope" not found'):
        restore_text([], [], NODES, "nope")


WEB = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  externalTrafficPolicy: Local
  selector: {app: web}
  ports: [{port: 80}]
"""


def test_kind_cluster_nodes() -> None:
    """On the kind cluster: the system Services' well-known chains on every node, and an
    eTP=Local NodePort Service that only nodes running one of its pods send to locally."""
    cluster = ControlPlane()
    cluster.apply(load_manifests(WEB))
    store = cluster.store
    proxy = ProxySettings(cluster_cidr=cluster.settings.pod_cidr)
    pods = {p["spec"]["nodeName"] for p in cluster.list("pods", selector="app=web")}
    for node in ("kind-control-plane", "kind-worker", "kind-worker2"):
        text = iptables_save(
            store.list("Service"), store.list("EndpointSlice"), store.list("Node"), node, proxy
        )
        for name in (
            "NPX46M4PTMTKRN6Y",
            "TCOU7JCQXEZGVUNU",
            "ERIFXISQEP7F7OF4",
            "JD5MR3NA4I4DYORP",
        ):
            assert f":KUBE-SVC-{name} - [0:0]" in text
        assert "! -s 10.244.0.0/16 -d 10.96.0.1/32" in text
        assert "-j MASQUERADE --random-fully" in text
        has_local = "-A KUBE-EXT-LOLE4ISW44XBNF3G -j KUBE-SVL-LOLE4ISW44XBNF3G" in text
        drops = '--comment "default/web has no local endpoints"' in text
        assert has_local == (node in pods)
        assert drops == (node not in pods)


def test_same_seed_clusters_do_not_share_results() -> None:
    """Two clusters with one seed give their objects the same uids and resourceVersions; the
    rules of one must never be served for the other."""

    def rendered(service_type: str) -> str:
        cluster = ControlPlane()
        cluster.apply(
            load_manifests(
                WEB.replace("type: NodePort", f"type: {service_type}").replace(
                    "  externalTrafficPolicy: Local\n", ""
                )
            )
        )
        store = cluster.store
        return iptables_save(
            store.list("Service"), store.list("EndpointSlice"), store.list("Node"), "kind-worker"
        )

    assert "-A KUBE-NODEPORTS" in rendered("NodePort")
    assert "-A KUBE-NODEPORTS" not in rendered("ClusterIP")
