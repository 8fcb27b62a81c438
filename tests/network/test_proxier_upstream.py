"""kube-proxy's own expected outputs (pkg/proxy/iptables/proxier_test.go) reproduced.

Each test builds the very inputs of the upstream test named in its docstring (selector-less
Services, hand-made EndpointSlices, node "test-node"), renders with the fake proxier's settings
(tests/network/proxy_inputs.py `FAKE`), and compares after the upstream `sortIPTablesRules`
(tests/network/iptables_canon.py) with the expected text copied verbatim into
tests/network/data/proxier/. The upstream copy read is the release-1.33 file of
kubernetes/kubernetes pkg/proxy/iptables/ (proxier_test.go with its proxier.go).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from iptables_canon import canonical, check_rule_jumps, load_expected
from proxy_inputs import FAKE, TEST_NODE, endpoint, make_node, make_service, make_slice, port

from kubenet_nb.network.proxy.iptables import restore_text

DATA = Path(__file__).parent / "data" / "proxier"
NODES = [make_node()]


def render(services: list[dict], slices: list[dict], **kwargs: object) -> str:
    return restore_text(services, slices, NODES, TEST_NODE, FAKE, **kwargs)


def assert_matches(name: str, actual: str, consistent: bool = True) -> None:
    """assertIPTablesRulesEqual: canonical form equal; optionally checkIPTablesRuleJumps."""
    expected = load_expected(DATA / name)
    assert canonical(actual) == expected
    if consistent:
        assert check_rule_jumps(expected) == []


def test_overall_iptables_rules() -> None:
    """TestOverallIPTablesRules: ClusterIP, LB eTP=Local without local endpoints, NodePort,
    externalIP, LB with source ranges and ClientIP affinity, and a Service without endpoints."""
    services = [
        make_service("ns1", "svc1", clusterIP="172.30.0.41", ports=[port("p80", 80)]),
        make_service(
            "ns2",
            "svc2",
            ingress=[{"ip": "1.2.3.4"}],
            type="LoadBalancer",
            externalTrafficPolicy="Local",
            clusterIP="172.30.0.42",
            ports=[port("p80", 80, nodePort=3001)],
            externalIPs=["192.168.99.22"],
            healthCheckNodePort=30000,
        ),
        make_service(
            "ns3",
            "svc3",
            type="NodePort",
            clusterIP="172.30.0.43",
            ports=[port("p80", 80, nodePort=3003)],
        ),
        make_service(
            "ns4",
            "svc4",
            type="NodePort",
            clusterIP="172.30.0.44",
            externalIPs=["192.168.99.33"],
            ports=[port("p80", 80, targetPort=80)],
        ),
        make_service(
            "ns5",
            "svc5",
            ingress=[{"ip": "5.6.7.8"}],
            type="LoadBalancer",
            externalTrafficPolicy="Cluster",
            clusterIP="172.30.0.45",
            ports=[port("p80", 80, nodePort=3002)],
            healthCheckNodePort=30000,
            loadBalancerSourceRanges=[" 203.0.113.0/25"],
            sessionAffinity="ClientIP",
            sessionAffinityConfig={"clientIP": {"timeoutSeconds": 10800}},
        ),
        make_service(
            "ns6",
            "svc6",
            type="ClusterIP",
            clusterIP="172.30.0.46",
            ports=[port("p80", 80, targetPort=80)],
        ),
    ]
    p80 = [port("p80", 80)]
    slices = [
        make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], p80),
        make_slice("ns2", "svc2", 1, [endpoint("10.180.0.2")], p80),
        make_slice("ns3", "svc3", 1, [endpoint("10.180.0.3")], p80),
        make_slice(
            "ns4", "svc4", 1, [endpoint("10.180.0.4"), endpoint("10.180.0.5", TEST_NODE)], p80
        ),
        make_slice("ns5", "svc5", 1, [endpoint("10.180.0.3")], p80),
    ]
    assert_matches("overall_iptables_rules.txt", render(services, slices))


def test_bad_ips() -> None:
    """TestBadIPs: leading zeros in IPs and CIDRs are read as decimal and written cleanly."""
    services = [
        make_service(
            "ns1",
            "svc1",
            ingress=[{"ip": "1.2.3.004"}],
            type="LoadBalancer",
            clusterIP="172.30.0.041",
            ports=[port("p80", 80, nodePort=3001)],
            externalIPs=["192.168.099.022"],
            loadBalancerSourceRanges=["203.0.113.000/025"],
        )
    ]
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.180.00.001")], [port("p80", 80)])]
    assert_matches("bad_ips.txt", render(services, slices))


class KernelNat:
    """The nat chains left in the kernel by successive restores (NoFlushTables semantics)."""

    def __init__(self) -> None:
        self.chains: set[str] = set()

    def apply(self, text: str) -> str:
        nat = text.split("*nat\n", 1)[1]
        declared = {line[1:].split(" ", 1)[0] for line in nat.split("\n") if line[:1] == ":"}
        deleted = {line[3:] for line in nat.split("\n") if line.startswith("-X ")}
        self.chains = (self.chains | declared) - deleted
        return text


def test_sync_proxy_rules_repeated() -> None:
    """TestSyncProxyRulesRepeated: a full sync, seven partial syncs, then (after the failed
    partial restore the test provokes) a full resync that deletes svc4's stale chains."""
    kernel = KernelNat()
    svc1 = make_service(
        "ns1", "svc1", type="ClusterIP", clusterIP="172.30.0.41", ports=[port("p80", 80)]
    )
    svc2 = make_service(
        "ns2", "svc2", type="ClusterIP", clusterIP="172.30.0.42", ports=[port("p8080", 8080)]
    )
    svc3 = make_service(
        "ns3", "svc3", type="ClusterIP", clusterIP="172.30.0.43", ports=[port("p80", 80)]
    )
    svc4 = make_service(
        "ns4", "svc4", type="ClusterIP", clusterIP="172.30.0.44", ports=[port("p80", 80)]
    )
    eps1 = make_slice("ns1", "svc1", 1, [endpoint("10.0.1.1")], [port("p80", 80)])
    eps2 = make_slice("ns2", "svc2", 1, [endpoint("10.0.2.1")], [port("p8080", 8080)])
    eps3 = make_slice("ns3", "svc3", 1, [endpoint("10.0.3.1")], [port("p80", 80)])
    eps3b = make_slice("ns3", "svc3", 1, [endpoint("10.0.3.2")], [port("p80", 80)])
    eps3c = make_slice(
        "ns3", "svc3", 1, [endpoint("10.0.3.2"), endpoint("10.0.3.3")], [port("p80", 80)]
    )
    eps4 = make_slice("ns4", "svc4", 1, [endpoint("10.0.4.1")], [port("p80", 80)])

    def sync(step: int, services: list[dict], slices: list[dict], changed: set | None) -> None:
        text = render(services, slices, changed=changed, existing_nat_chains=kernel.chains)
        assert_matches(f"sync_proxy_rules_repeated_{step}.txt", kernel.apply(text), step == 1)

    sync(1, [svc1, svc2], [eps1, eps2], None)
    sync(2, [svc1, svc2, svc3], [eps1, eps2, eps3], {("ns3", "svc3")})
    sync(3, [svc1, svc3], [eps1, eps2, eps3], {("ns2", "svc2")})
    sync(4, [svc1, svc3, svc4], [eps1, eps2, eps3], {("ns4", "svc4")})
    sync(5, [svc1, svc3, svc4], [eps1, eps2, eps3, eps4], {("ns4", "svc4")})
    sync(6, [svc1, svc3, svc4], [eps1, eps2, eps3b, eps4], {("ns3", "svc3")})
    sync(7, [svc1, svc3, svc4], [eps1, eps2, eps3c, eps4], {("ns3", "svc3")})
    sync(8, [svc1, svc3, svc4], [eps1, eps2, eps3c, eps4], set())
    sync(9, [svc1, svc3], [eps1, eps2, eps3c, eps4], None)


def _large_cluster_inputs() -> tuple[list[dict], list[dict]]:
    services = [
        make_service(
            "ns1", "svc1", type="ClusterIP", clusterIP="172.30.0.41", ports=[port("p80", 80)]
        ),
        make_service(
            "ns2", "svc2", type="ClusterIP", clusterIP="172.30.0.42", ports=[port("p8080", 8080)]
        ),
        make_service(
            "ns3", "svc3", type="ClusterIP", clusterIP="172.30.0.43", ports=[port("p8081", 8081)]
        ),
    ]
    half = 1000 // 2 - 1
    slices = [
        make_slice(
            "ns1",
            "svc1",
            1,
            [endpoint(f"10.0.{i % 256}.{i // 256}") for i in range(half)],
            [port("p80", 80)],
        ),
        make_slice(
            "ns2",
            "svc2",
            1,
            [endpoint(f"10.1.{i % 256}.{i // 256}") for i in range(half)],
            [port("p8080", 8080)],
        ),
    ]
    return services, slices


def _dnat_lines(text: str) -> list[str]:
    """countEndpointsAndComments: the SEP DNAT rules."""
    return [
        line for line in text.split("\n") if line.startswith("-A KUBE-SEP-") and "-j DNAT" in line
    ]


def test_sync_proxy_rules_large_cluster_mode() -> None:
    """TestSyncProxyRulesLargeClusterMode (masqueradeAll): comments stay below 1000 endpoints
    and go from SVC->SEP and SEP rules above it; a partial sync writes only changed Services."""
    settings = replace(FAKE, masquerade_all=True)
    services, slices = _large_cluster_inputs()
    text = restore_text(services, slices, NODES, TEST_NODE, settings)
    dnat = _dnat_lines(text)
    assert len(dnat) == 998
    assert all("--comment" in line for line in dnat)
    assert (
        "-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT"
        " --to-destination 10.0.0.0:80" in dnat
    )
    slices.append(
        make_slice(
            "ns3",
            "svc3",
            1,
            [endpoint("203.0.113.4"), endpoint("203.0.113.8"), endpoint("203.0.113.12")],
            [port("p8081", 8081)],
        )
    )
    partial = _dnat_lines(
        restore_text(services, slices, NODES, TEST_NODE, settings, changed={("ns3", "svc3")})
    )
    assert len(partial) == 3
    assert (
        "-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081"
        in partial
    )
    full = _dnat_lines(restore_text(services, slices, NODES, TEST_NODE, settings))
    assert len(full) == 1001
    assert not any("--comment" in line for line in full)
    assert "-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80" in full
    svc4 = make_service(
        "ns4", "svc4", type="ClusterIP", clusterIP="172.30.0.44", ports=[port("p8082", 8082)]
    )
    eps4 = make_slice("ns4", "svc4", 1, [endpoint("10.4.0.1")], [port("p8082", 8082)])
    added = restore_text(
        [*services, svc4], [*slices, eps4], NODES, TEST_NODE, settings, changed={("ns4", "svc4")}
    )
    assert _dnat_lines(added) == [
        "-A KUBE-SEP-SU5STNODRYEWJAUF -m tcp -p tcp -j DNAT --to-destination 10.4.0.1:8082"
    ]
    kernel = KernelNat()
    kernel.apply(restore_text([*services, svc4], [*slices, eps4], NODES, TEST_NODE, settings))
    deleted = restore_text(
        services,
        [*slices, eps4],
        NODES,
        TEST_NODE,
        settings,
        changed={("ns4", "svc4")},
        existing_nat_chains=kernel.chains,
    )
    assert _dnat_lines(deleted) == []
    assert "-X KUBE-SVC-EBDQOQU5SJFXRIL3" in deleted
    assert "-X KUBE-SEP-SU5STNODRYEWJAUF" in deleted


def _chain_rules(text: str, table: str, chain: str) -> list[str]:
    """assertIPTablesChainEqual: one chain's rules in order."""
    body = text.split(f"*{table}\n", 1)[1].split("COMMIT\n", 1)[0]
    return [line for line in body.split("\n") if line.startswith(f"-A {chain} ")]


@pytest.mark.parametrize("random_fully", [False, True])
def test_masquerade_rule(random_fully: bool) -> None:
    """TestMasqueradeRule: `--random-fully` only when iptables supports it."""
    settings = replace(FAKE, random_fully=random_fully)
    suffix = " --random-fully" if random_fully else ""
    assert _chain_rules(
        restore_text([], [], NODES, TEST_NODE, settings), "nat", "KUBE-POSTROUTING"
    ) == [
        "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN",
        "-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000",
        '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT"'
        f" -j MASQUERADE{suffix}",
    ]


@pytest.mark.parametrize(
    ("tcp_liberal", "counters", "drop_rule"),
    [
        (False, frozenset(), ["-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP"]),
        (
            False,
            frozenset({"ct_state_invalid_dropped_pkts"}),
            [
                "-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name"
                " ct_state_invalid_dropped_pkts -j DROP"
            ],
        ),
        (True, frozenset(), []),
    ],
)
def test_drop_invalid_rule(
    tcp_liberal: bool, counters: frozenset[str], drop_rule: list[str]
) -> None:
    """TestDropInvalidRule: the INVALID drop (with its nfacct counter) unless TCP is liberal."""
    settings = replace(FAKE, conntrack_tcp_liberal=tcp_liberal, nfacct_counters=counters)
    assert _chain_rules(
        restore_text([], [], NODES, TEST_NODE, settings), "filter", "KUBE-FORWARD"
    ) == [
        *drop_rule,
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules"'
        " -m mark --mark 0x4000/0x4000 -j ACCEPT",
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule"'
        " -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT",
    ]


@pytest.mark.parametrize(
    ("ip_mode", "expected"), [({"ipMode": "Proxy"}, False), ({"ipMode": "VIP"}, True), ({}, True)]
)
def test_load_balancer_ingress_route_type_proxy(ip_mode: dict, expected: bool) -> None:
    """TestLoadBalancerIngressRouteTypeProxy (LoadBalancerIPMode enabled, GA in v1.32):
    `ipMode: Proxy` ingress IPs get no KUBE-SERVICES rule."""
    services = [
        make_service(
            "ns1",
            "svc1",
            ingress=[{"ip": "1.2.3.4", **ip_mode}],
            type="LoadBalancer",
            clusterIP="10.20.30.41",
            ports=[port("p80", 80, nodePort=3001)],
        )
    ]
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], [port("p80", 80)])]
    rules = _chain_rules(render(services, slices), "nat", "KUBE-SERVICES")
    assert any(" -d 1.2.3.4 " in rule for rule in rules) is expected
