"""The netfilter model: iptables-save parsing, rule matching and the chain traversal.

Kernel semantics cited per test: net/ipv4/netfilter/ip_tables.c (`ipt_do_table`: first match
decides, jump/goto/RETURN, built-in policy), net/netfilter/xt_statistic.c, xt_recent.c,
xt_mark.c / xt_MARK.c, xt_addrtype.c. kube-proxy's rules come from kubenet_nb.network.proxy,
whose inputs here are the ones pkg/proxy/iptables/proxier_test.go builds.
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from proxy_inputs import FAKE, TEST_NODE, endpoint, make_node, make_service, make_slice, port

from kubenet_nb.network.netfilter import (
    ChainPool,
    Host,
    Packet,
    RecentTables,
    Walker,
    ip_int,
    parse_rule,
    parse_ruleset,
)
from kubenet_nb.network.netfilter.matches import fixed_probability
from kubenet_nb.network.netfilter.recent import IP_LIST_TOT
from kubenet_nb.network.netfilter.syntax import tokens
from kubenet_nb.network.proxy import iptables_save

TEST_NODE_IPS = ("192.168.0.2", "192.168.1.2", "192.168.99.11")
"""proxier_test.go `testNodeIPs` (IPv4 part): the fake node's local addresses."""


def host(*local: str, name: str = "node") -> Host:
    return Host(name, frozenset(ip_int(ip) for ip in local), lambda _device: local[0])


def walker(text: str, seed: int = 0, now: float = 0.0, node: Host | None = None) -> Walker:
    return Walker(parse_ruleset(text), node or host("192.168.0.2"), random.Random(seed), now)


def table(*lines: str, chains: tuple[str, ...] = (), policy: str = "ACCEPT") -> str:
    """A nat table whose PREROUTING holds the rules that name it, user chains the rest."""
    head = ["*nat", f":PREROUTING {policy} [0:0]", *(f":{c} - [0:0]" for c in chains)]
    return "\n".join([*head, *lines, "COMMIT"]) + "\n"


# -- parsing ---------------------------------------------------------------------------------


def test_tokens_keep_quoted_arguments_whole_and_unescape_them() -> None:
    line = '-A X -m comment --comment "say \\"hi\\"" -m nfacct --nfacct-name  ctr -j ACCEPT'
    assert tokens(line) == [
        "-A",
        "X",
        "-m",
        "comment",
        "--comment",
        'say "hi"',
        "-m",
        "nfacct",
        "--nfacct-name",
        "ctr",
        "-j",
        "ACCEPT",
    ]


def test_parse_rule_in_iptables_save_spelling() -> None:
    # KUBE-FIREWALL as iptables-save prints it (kubelet/kube-proxy "block incoming localnet").
    rule = parse_rule(
        "-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment"
        ' "block incoming localnet connections" -m conntrack ! --ctstate'
        " RELATED,ESTABLISHED,DNAT -j DROP"
    )
    assert rule.chain == "KUBE-FIREWALL"
    assert rule.src is not None
    assert rule.src.negated
    assert rule.src.text == "127.0.0.0/8"
    assert rule.dst is not None
    assert not rule.dst.negated
    assert rule.dst.host is None
    assert [m.module for m in rule.matches] == ["comment", "conntrack"]
    assert rule.matches[1].options == (("--ctstate", True, "RELATED,ESTABLISHED,DNAT"),)
    assert rule.target == "DROP"


def test_parse_rule_in_iptables_restore_spelling() -> None:
    # kube-proxy writes `-m tcp -p tcp -d IP --dport N` (proxier.go); --dport is tcp's option.
    rule = parse_rule(
        '-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp'
        " -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O"
    )
    assert rule.proto == "tcp"
    assert rule.dst is not None
    assert rule.dst.host == ip_int("172.30.0.41")
    assert rule.dport == 80
    tcp = rule.match("tcp")
    assert tcp is not None
    assert tcp.value("--dport") == "80"
    assert (rule.target, rule.goto) == ("KUBE-SVC-XPGD46QRK7WJZT7O", False)


def test_options_written_without_their_match_belong_to_the_protocol() -> None:
    rule = parse_rule("-A X -p udp --dport 53 -g Y")
    assert rule.dport == 53
    assert (rule.target, rule.goto) == ("Y", True)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("-A X -m multiport --dports 80,443 -j ACCEPT", "unsupported match -m multiport"),
        ("-A X -m statistic --mode nth --every 2 -j ACCEPT", "unsupported -m statistic --mode"),
        ("-A X -m addrtype --dst-type UNICAST -j ACCEPT", "unsupported -m addrtype"),
        ("-I X -j ACCEPT", "not a rule"),
    ],
)
def test_what_kube_proxy_never_writes_is_refused(line: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_rule(line)


def test_ruleset_refuses_rules_of_undeclared_chains() -> None:
    with pytest.raises(ValueError, match="chain of '-A NOPE -j ACCEPT' was not declared"):
        parse_ruleset("*nat\n:PREROUTING ACCEPT [0:0]\n-A NOPE -j ACCEPT\nCOMMIT\n")


def test_ruleset_text_round_trips_and_later_texts_extend_chains() -> None:
    first = table("-A PREROUTING -j X", chains=("X",))
    second = "*nat\n:PREROUTING ACCEPT [0:0]\n-A PREROUTING -j ACCEPT\nCOMMIT\n"
    ruleset = parse_ruleset(first, second)
    assert ruleset.chain("nat", "PREROUTING").lines == [
        "-A PREROUTING -j X",
        "-A PREROUTING -j ACCEPT",
    ]
    assert parse_ruleset(ruleset.text()).text() == ruleset.text()


def test_chain_pool_shares_only_identical_chains() -> None:
    pool = ChainPool()
    one = parse_ruleset(table("-A PREROUTING -j X", "-A X -j ACCEPT", chains=("X",)), pool=pool)
    two = parse_ruleset(table("-A PREROUTING -j X", "-A X -j DROP", chains=("X",)), pool=pool)
    assert one.chain("nat", "PREROUTING") is two.chain("nat", "PREROUTING")
    assert one.chain("nat", "X") is not two.chain("nat", "X")
    later = ChainPool(pool)
    three = parse_ruleset(table("-A PREROUTING -j X", "-A X -j DROP", chains=("X",)), pool=later)
    assert three.chain("nat", "X") is two.chain("nat", "X")


# -- matches -----------------------------------------------------------------------------------


def test_statistic_probability_is_the_kernel_fixed_point() -> None:
    # libxt_statistic stores lround(0x80000000 * p); iptables-save prints it back with 11
    # decimals, so kube-proxy's 0.3333333333 and the saved 0.33333333349 are one value.
    assert fixed_probability("0.3333333333") == fixed_probability("0.33333333349") == 715827883
    assert fixed_probability("1.0000000000") == 0x80000000


def test_statistic_draw_is_a_31_bit_number_below_the_probability() -> None:
    text = table("-A PREROUTING -m statistic --mode random --probability 0.25000000000 -j DROP")
    rng = random.Random(4)
    draws = [rng.getrandbits(31) < 0x20000000 for _ in range(50)]
    w = walker(text, seed=4)
    verdicts = [w.run("nat", "PREROUTING", packet()).verdict == "DROP" for _ in range(50)]
    assert verdicts == draws
    assert 0 < sum(draws) < 50


def packet(
    src: str = "10.0.0.2", dst: str = "172.30.0.41", dport: int = 80, **kw: object
) -> Packet:
    made = Packet(src, dst, 40000, dport)
    for key, value in kw.items():
        setattr(made, key, value)
    return made


@pytest.mark.parametrize(
    ("target", "before", "after"),
    [
        ("--set-xmark 0x4000/0x4000", 0x1, 0x4001),
        ("--set-xmark 0x4000/0x0", 0x4001, 0x1),
        ("--or-mark 0x00004000", 0x1, 0x4001),
        ("--xor-mark 0x4000", 0x4001, 0x1),
        ("--and-mark 0x1", 0x4001, 0x1),
        ("--set-mark 0x2", 0xFF, 0x2),
    ],
)
def test_mark_target_arithmetic(target: str, before: int, after: int) -> None:
    # xt_MARK: mark = (mark & ~mask) ^ value; --or/--xor/--and are libxt_MARK shorthands.
    w = walker(table(f"-A PREROUTING -j MARK {target}"))
    p = packet(mark=before)
    w.run("nat", "PREROUTING", p)
    assert p.mark == after


@pytest.mark.parametrize(("mark", "returns"), [(0x0, True), (0x4000, False), (0xC000, False)])
def test_mark_match_masks_and_negates(mark: int, returns: bool) -> None:
    # KUBE-POSTROUTING's first rule: unmarked packets leave the chain (proxier.go).
    w = walker(
        table("-A PREROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN", "-A PREROUTING -j DROP")
    )
    assert (w.run("nat", "PREROUTING", packet(mark=mark)).verdict == "ACCEPT") is returns


def test_addrtype_local_is_the_node_addresses_and_loopback() -> None:
    rules = table("-A PREROUTING -m addrtype --dst-type LOCAL -j DROP")
    node = host("192.168.0.2")
    for dst, local in (("192.168.0.2", True), ("127.0.0.9", True), ("192.168.0.3", False)):
        verdict = walker(rules, node=node).run("nat", "PREROUTING", packet(dst=dst)).verdict
        assert (verdict == "DROP") is local


def test_conntrack_state_match() -> None:
    rules = table("-A PREROUTING -m conntrack --ctstate DNAT -j DROP")
    assert walker(rules).run("nat", "PREROUTING", packet()).verdict == "ACCEPT"
    dnat = packet(ctstate=frozenset({"NEW", "DNAT"}))
    assert walker(rules).run("nat", "PREROUTING", dnat).verdict == "DROP"


def test_interface_match_with_wildcard() -> None:
    rules = table("-A PREROUTING -i veth+ -j DROP")
    assert walker(rules).run("nat", "PREROUTING", packet(in_iface="veth1a2b")).verdict == "DROP"
    assert walker(rules).run("nat", "PREROUTING", packet(in_iface="eth0")).verdict == "ACCEPT"


# -- recent (ClientIP affinity) -------------------------------------------------------------


AFFINITY = table(
    "-A PREROUTING -m recent --rcheck --seconds 60 --reap --name SEP --mask 255.255.255.255"
    " --rsource -j DROP",
    "-A PREROUTING -m recent --set --name SEP --mask 255.255.255.255 --rsource -j ACCEPT",
)


def test_recent_remembers_the_source_for_the_given_seconds() -> None:
    # xt_recent: --rcheck --seconds S matches when a stamp is no older than S seconds.
    node = host("192.168.0.2")
    ruleset = parse_ruleset(AFFINITY)

    def verdict(now: float, src: str = "10.0.0.2") -> str:
        return (
            Walker(ruleset, node, random.Random(0), now)
            .run("nat", "PREROUTING", packet(src))
            .verdict
        )

    assert verdict(0) == "ACCEPT"
    assert verdict(30) == "DROP"
    assert verdict(30, "10.0.0.3") == "ACCEPT"
    # --rcheck does not stamp: the --set at 0 is 90 s old, so the address is new again.
    assert verdict(90) == "ACCEPT"
    assert verdict(100) == "DROP"
    assert node.recent.last_seen("SEP", ip_int("10.0.0.2")) == 90


def test_recent_forgets_after_the_timeout_and_reaps_the_oldest() -> None:
    tables = RecentTables()
    tables.set("SEP", 1, 0.0)
    tables.set("SEP", 2, 100.0)
    assert tables.check("SEP", 2, 100.0, 60, reap=True)
    assert tables.check("SEP", 2, 161.0, 60, reap=True) is False
    # Reaping removed the least recently used address 1 (stale) but never the one looked up.
    assert tables.last_seen("SEP", 1) is None
    assert tables.last_seen("SEP", 2) == 100.0


def test_recent_list_holds_at_most_ip_list_tot_addresses() -> None:
    # xt_recent module parameter ip_list_tot defaults to 100; the LRU address is evicted.
    tables = RecentTables()
    for address in range(IP_LIST_TOT + 1):
        tables.set("SEP", address, float(address))
    assert tables.last_seen("SEP", 0) is None
    assert tables.last_seen("SEP", IP_LIST_TOT) == IP_LIST_TOT


# -- traversal ---------------------------------------------------------------------------------


def test_jump_returns_goto_does_not_and_the_policy_ends_built_in_chains() -> None:
    # ipt_do_table: a jump pushes a return point; -g replaces the current chain, so the end of
    # the goto's target returns to the caller of the chain that did the goto.
    text = table(
        "-A PREROUTING -j A",
        "-A PREROUTING -j MARK --set-xmark 0x1/0xffffffff",
        "-A A -g B",
        "-A A -j DROP",
        "-A B -j MARK --set-xmark 0x2/0x0",
        chains=("A", "B"),
        policy="DROP",
    )
    w = walker(text)
    p = packet()
    outcome = w.run("nat", "PREROUTING", p)
    assert (outcome.verdict, p.mark) == ("DROP", 0x1)
    kinds = [(e.kind, e.chain) for e in w.events]
    assert kinds == [
        ("enter", "PREROUTING"),
        ("rule", "PREROUTING"),
        ("rule", "A"),
        ("rule", "B"),
        ("return", "B"),
        ("rule", "PREROUTING"),
        ("policy", "PREROUTING"),
    ]


def test_return_from_a_user_chain_and_a_rule_without_target() -> None:
    text = table(
        "-A PREROUTING -j A",
        "-A PREROUTING -j ACCEPT",
        '-A A -m comment --comment "counts only"',
        "-A A -j RETURN",
        "-A A -j DROP",
        chains=("A",),
    )
    w = walker(text)
    assert w.run("nat", "PREROUTING", packet()).verdict == "ACCEPT"
    actions = [e.action for e in w.events if e.kind == "rule"]
    assert actions == ["jump to A", "no target: go on", "RETURN to PREROUTING", "ACCEPT"]


def test_dnat_rewrites_the_destination_and_marks_conntrack() -> None:
    w = walker(table("-A PREROUTING -p tcp -j DNAT --to-destination 10.180.0.1:8080"))
    p = packet()
    outcome = w.run("nat", "PREROUTING", p)
    assert (outcome.verdict, outcome.nat) == ("ACCEPT", "DNAT")
    assert (p.dst, p.dport) == ("10.180.0.1", 8080)
    assert "DNAT" in p.ctstate


def test_masquerade_uses_the_output_device_address() -> None:
    node = Host(
        "node",
        frozenset(),
        lambda device: "10.244.1.1" if device.startswith("veth") else "172.18.0.3",
    )
    text = "*nat\n:POSTROUTING ACCEPT [0:0]\n-A POSTROUTING -j MASQUERADE\nCOMMIT\n"
    p = packet(out_iface="veth0")
    Walker(parse_ruleset(text), node, random.Random(0), 0).run("nat", "POSTROUTING", p)
    assert (p.src, p.sport) == ("10.244.1.1", 40000)


def test_a_rule_loop_is_refused() -> None:
    text = table("-A PREROUTING -j A", "-A A -j A", chains=("A",))
    with pytest.raises(ValueError, match="rule loop"):
        walker(text).run("nat", "PREROUTING", packet())


RULE = st.tuples(
    st.sampled_from(["", "-d 10.0.0.1/32", "-d 10.0.0.2/32", "-d 10.0.0.0/24", "! -d 10.0.0.1/32"]),
    st.sampled_from(["", "-p tcp -m tcp --dport 80", "-p tcp -m tcp --dport 81", "-p udp"]),
    st.sampled_from(["ACCEPT", "DROP", "REJECT"]),
)


@given(
    rules=st.lists(RULE, min_size=17, max_size=40),
    dst=st.sampled_from(["10.0.0.1", "10.0.0.2", "10.0.0.3"]),
    dport=st.sampled_from([80, 81]),
    proto=st.sampled_from(["tcp", "udp"]),
)
@settings(max_examples=60, deadline=None)
def test_the_index_of_a_long_chain_finds_the_same_first_match(
    rules: list[tuple[str, str, str]], dst: str, dport: int, proto: str
) -> None:
    lines = [" ".join(f"-A PREROUTING {d} {p} -j {t}".split()) for d, p, t in rules]
    ruleset = parse_ruleset(table(*lines))
    chain = ruleset.chain("nat", "PREROUTING")
    w = Walker(ruleset, host("192.168.0.2"), random.Random(0), 0, record=False)
    first = next(
        (r for r in chain.rules if w._matches("nat", r, packet(dst=dst, dport=dport, proto=proto))),
        None,
    )
    got = w.run("nat", "PREROUTING", packet(dst=dst, dport=dport, proto=proto))
    assert got.rule is first


# -- kube-proxy's rules, walked ------------------------------------------------------------------


def reachable(text: str, src: str, dst: str, dport: int, seeds: int = 40) -> tuple[set[str], bool]:
    """Every destination nat PREROUTING sends the packet to over many seeds (or the filter
    verdict), and whether it was marked for masquerading: proxier_test.go's `tracePacket`
    outcome, got by drawing instead of following every probabilistic jump."""
    found: set[str] = set()
    masq = False
    node = host(*TEST_NODE_IPS)
    for seed in range(seeds):
        w = Walker(parse_ruleset(text), node, random.Random(seed), 0.0)
        p = packet(src, dst, dport)
        w.run("nat", "PREROUTING", p)
        masq = masq or bool(p.mark & 0x4000)
        hook = "INPUT" if node.is_local(p.dst_int) else "FORWARD"
        verdict = w.run("filter", hook, p).verdict
        found.add(
            p.destination if verdict == "ACCEPT" and p.destination != f"{dst}:{dport}" else verdict
        )
    return found, masq


def test_load_balancer_source_ranges_as_upstream_expects() -> None:
    """TestLoadBalancer (proxier_test.go): accepted sources reach the endpoint masqueraded,
    others are dropped by KUBE-PROXY-FIREWALL, NodePorts ignore the ranges."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}, {"ip": "5.6.7.8"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        externalTrafficPolicy="Cluster",
        loadBalancerSourceRanges=["192.168.0.0/24", "203.0.113.0/25"],
        ports=[port("p80", 80, nodePort=3001)],
    )
    slices = [make_slice("ns1", "svc1", 1, [endpoint("10.180.0.1")], [port("p80", 80)])]
    text = iptables_save([service], slices, [make_node()], TEST_NODE, FAKE)
    ep = {"10.180.0.1:80"}
    assert reachable(text, "10.0.0.2", "172.30.0.41", 80) == (ep, False)
    assert reachable(text, "203.0.113.2", "192.168.0.2", 3001) == (ep, True)
    assert reachable(text, "203.0.113.130", "192.168.0.2", 3001) == (ep, True)
    assert reachable(text, "203.0.113.2", "1.2.3.4", 80) == (ep, True)
    assert reachable(text, "203.0.113.130", "1.2.3.4", 80) == ({"DROP"}, False)
    assert reachable(text, "10.0.0.2", "5.6.7.8", 80) == ({"DROP"}, False)
    assert reachable(text, "192.168.0.2", "5.6.7.8", 80) == (ep, True)


def test_no_endpoints_are_rejected_as_upstream_expects() -> None:
    """TestNoEndpointsReject (proxier_test.go): every address of the Service REJECTs."""
    service = make_service(
        "ns1",
        "svc1",
        ingress=[{"ip": "1.2.3.4"}],
        type="LoadBalancer",
        clusterIP="172.30.0.41",
        externalIPs=["192.168.99.11"],
        ports=[port("p80", 80, nodePort=3001)],
    )
    text = iptables_save([service], [], [make_node()], TEST_NODE, FAKE)
    for src, dst, dport in (
        ("10.0.0.2", "172.30.0.41", 80),
        ("203.0.113.2", "192.168.99.11", 80),
        ("203.0.113.2", "192.168.0.2", 3001),
        ("10.0.0.2", "1.2.3.4", 80),
    ):
        assert reachable(text, src, dst, dport) == ({"REJECT"}, False)


def test_every_endpoint_is_reachable_and_hairpin_is_masqueraded() -> None:
    """TestClusterIPGeneral (proxier_test.go): both endpoints reachable; a pod reaching itself
    through its Service gets the masquerade mark (the KUBE-SEP `-s <ip>` rule)."""
    service = make_service("ns2", "svc2", clusterIP="172.30.0.42", ports=[port("http", 80)])
    slices = [
        make_slice(
            "ns2",
            "svc2",
            1,
            [endpoint("10.180.0.1", TEST_NODE), endpoint("10.180.2.1", "node2")],
            [port("http", 80)],
        )
    ]
    text = iptables_save([service], slices, [make_node()], TEST_NODE, FAKE)
    both = {"10.180.0.1:80", "10.180.2.1:80"}
    assert reachable(text, "10.180.0.2", "172.30.0.42", 80) == (both, False)
    found, masq = reachable(text, "10.180.0.1", "172.30.0.42", 80)
    assert found == both
    assert masq
