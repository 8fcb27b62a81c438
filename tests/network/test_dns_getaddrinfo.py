"""getaddrinfo in a pod: A and AAAA for every candidate name, by glibc's rules or musl's.

Sources: glibc resolv/res_query.c @ glibc-2.36 (`__res_context_query`: the A+AAAA pair of
T_QUERY_A_AND_AAAA and the error it yields; `__res_context_search`: the search order, NO_DATA
and SERVFAIL of the A reply keep searching, the final error); musl src/network/lookup_name.c @
v1.2.5 (`name_from_dns_search`: no search list at ndots dots or more; `name_from_dns`: SERVFAIL
stops, NXDOMAIN tries the next name, NODATA stops) and src/network/res_query.c (`res_search` is
`res_query`); moby/moby libnetwork/resolver.go `serveDNS` (SERVFAIL when no upstream answers).
"""

from __future__ import annotations

import pytest
from dns_inputs import endpoint, make_pod, make_service, make_slice, make_state

from kubenet_nb import Cluster
from kubenet_nb.network.dns import dns_state, resolve

STATE = make_state(
    make_service("webapp1", cluster_ip="10.96.12.34"),
    make_slice("webapp1", [endpoint("10.244.1.5")]),
    make_service("dual", cluster_ip=["10.96.7.7", "fd00:10:96::7"]),
)
CLIENT = make_pod()
# dnsPolicy None: a search domain outside the cluster first, whose names Docker's DNS cannot
# resolve without internet (SERVFAIL), then the pod's namespace.
CORP_FIRST = make_pod(
    dnsPolicy="None",
    dnsConfig={
        "nameservers": ["10.96.0.10"],
        "searches": ["corp.example", "default.svc.cluster.local"],
        "options": [{"name": "ndots", "value": "5"}],
    },
)


def names(name: str, libc: str, pod: dict = CLIENT) -> list[str]:
    """The candidate names tried, once each (every one costs an A and an AAAA query)."""
    tried = resolve(STATE, name, from_pod=pod, libc=libc).tried
    assert [qtype for _, qtype, _ in tried] == ["A", "AAAA"] * (len(tried) // 2)
    return list(dict.fromkeys(qname for qname, _, _ in tried))


@pytest.mark.parametrize("libc", ["glibc", "musl"])
def test_every_candidate_costs_an_a_and_an_aaaa_query(libc: str) -> None:
    answer = resolve(STATE, "webapp1.default", from_pod=CLIENT, libc=libc)
    assert answer.tried == [
        ("webapp1.default.default.svc.cluster.local.", "A", "NXDOMAIN"),
        ("webapp1.default.default.svc.cluster.local.", "AAAA", "NXDOMAIN"),
        ("webapp1.default.svc.cluster.local.", "A", "NOERROR"),
        ("webapp1.default.svc.cluster.local.", "AAAA", "NOERROR"),
    ]
    assert (answer.addresses, answer.libc) == (["10.96.12.34"], libc)


def test_qtype_picks_the_family_of_the_addresses_returned() -> None:
    a = resolve(STATE, "dual", "A", CLIENT)
    aaaa = resolve(STATE, "dual", "AAAA", CLIENT)
    assert a.tried == aaaa.tried
    assert (a.addresses, aaaa.addresses) == (["10.96.7.7"], ["fd00:10:96::7"])


def test_an_ipv4_only_name_has_no_aaaa_address_but_is_found() -> None:
    answer = resolve(STATE, "webapp1", "AAAA", CLIENT)
    assert (answer.rcode, answer.addresses, answer.found) == ("NOERROR", [], False)
    assert len(answer.tried) == 2


def test_at_ndots_glibc_asks_as_is_first_and_musl_only_as_is() -> None:
    assert names("a.b.c.d.e.f", "glibc") == [
        "a.b.c.d.e.f.",
        "a.b.c.d.e.f.default.svc.cluster.local.",
        "a.b.c.d.e.f.svc.cluster.local.",
        "a.b.c.d.e.f.cluster.local.",
    ]
    assert names("a.b.c.d.e.f", "musl") == ["a.b.c.d.e.f."]


def test_nodata_keeps_glibc_searching_and_stops_musl() -> None:
    # `default.svc.cluster.local` is a namespace name: NOERROR without records (NODATA).
    glibc = resolve(STATE, "default", from_pod=CLIENT, libc="glibc")
    musl = resolve(STATE, "default", from_pod=CLIENT, libc="musl")
    assert (len(glibc.tried), glibc.rcode) == (8, "NOERROR")
    assert musl.tried[-1] == ("default.svc.cluster.local.", "AAAA", "NOERROR")
    assert (len(musl.tried), musl.rcode) == (4, "NOERROR")


def test_servfail_keeps_glibc_searching_and_stops_musl() -> None:
    glibc = resolve(STATE, "webapp1", from_pod=CORP_FIRST, libc="glibc")
    assert glibc.tried == [
        ("webapp1.corp.example.", "A", "SERVFAIL"),
        ("webapp1.corp.example.", "AAAA", "SERVFAIL"),
        ("webapp1.default.svc.cluster.local.", "A", "NOERROR"),
        ("webapp1.default.svc.cluster.local.", "AAAA", "NOERROR"),
    ]
    assert glibc.addresses == ["10.96.12.34"]
    musl = resolve(STATE, "webapp1", from_pod=CORP_FIRST, libc="musl")
    assert musl.tried == glibc.tried[:2]
    assert (musl.rcode, musl.addresses) == ("SERVFAIL", [])


def test_glibc_reports_servfail_when_nothing_else_was_learnt() -> None:
    answer = resolve(STATE, "nope", from_pod=CORP_FIRST, libc="glibc")
    assert [rcode for _, qtype, rcode in answer.tried if qtype == "A"] == [
        "SERVFAIL",
        "NXDOMAIN",
        "SERVFAIL",
    ]
    assert answer.rcode == "SERVFAIL"


def test_other_types_once_per_candidate_and_musl_without_search() -> None:
    srv = "_http._tcp.webapp1"
    glibc = resolve(STATE, srv, "SRV", CLIENT, libc="glibc")
    assert [qtype for _, qtype, _ in glibc.tried] == ["SRV"]
    assert glibc.fqdn == "_http._tcp.webapp1.default.svc.cluster.local."
    musl = resolve(STATE, srv, "SRV", CLIENT, libc="musl")
    assert (musl.tried, musl.found) == ([("_http._tcp.webapp1.", "SRV", "SERVFAIL")], False)


def test_unknown_libc_is_refused() -> None:
    with pytest.raises(ValueError, match="libc must be one of glibc, musl, not 'uclibc'"):
        resolve(STATE, "webapp1", from_pod=CLIENT, libc="uclibc")


def test_upstream_without_internet_answers_servfail_and_with_it_nxdomain() -> None:
    offline = dns_state([], [], [], upstream_hosts={"kind-worker": ["172.18.0.3"]})
    online = dns_state([], [], [], internet=True)
    assert offline.ask("10.96.0.10", "example.com.", "A").rcode == "SERVFAIL"
    assert online.ask("10.96.0.10", "example.com.", "A").rcode == "NXDOMAIN"
    assert offline.ask("10.96.0.10", "kind-worker.", "A").answer[0].data == "172.18.0.3"


def test_cluster_setting_and_the_pods_c_library() -> None:
    c = Cluster(seed=7, internet=True)
    c.kubectl("run alpine --image=nicolaka/netshoot -- sleep infinity")
    c.kubectl("run debian --image=nginx")
    musl = c.resolve("kubernetes.default.svc.cluster.local.x", from_pod="alpine")
    glibc = c.resolve("kubernetes.default.svc.cluster.local.x", from_pod="debian")
    assert (musl.libc, len(musl.tried), musl.rcode) == ("musl", 2, "NXDOMAIN")
    assert (glibc.libc, len(glibc.tried), glibc.rcode) == ("glibc", 8, "NXDOMAIN")
    assert Cluster(seed=7).resolve("example.com").rcode == "SERVFAIL"
