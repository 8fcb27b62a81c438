"""CoreDNS's answers for every record type of the Kubernetes DNS spec, and its NXDOMAIN/NODATA.

"spec x.y" cites kubernetes/dns docs/specification.md (schema 1.1.0); "CoreDNS" cites
coredns/coredns v1.12 plugin/kubernetes and plugin/backend_lookup.go; "Corefile" cites
kubeadm's cmd/kubeadm/app/phases/addons/dns/manifests.go, which kind uses.
"""

from __future__ import annotations

import pytest
from dns_inputs import endpoint, make_service, make_slice, make_state

from kubenet_nb.network.dns import DnsResponse, Record, build_zone, zone_records
from kubenet_nb.network.dns.records import DnsSettings


def ask(state, name: str, qtype: str = "A") -> DnsResponse:
    return state.coredns.serve(name, qtype)


def lines(response: DnsResponse) -> list[str]:
    return [str(r) for r in response.answer]


WEB = make_service("webapp1", cluster_ip="10.96.12.34")
WEB_SLICE = make_slice("webapp1", [endpoint("10.244.1.5"), endpoint("10.244.2.7")])
HEADLESS = make_service(
    "web",
    cluster_ip="None",
    ports=[
        {"name": "http", "port": 80, "protocol": "TCP", "targetPort": 8080},
        {"name": "metrics", "port": 9100, "protocol": "TCP", "targetPort": 9100},
    ],
)
HEADLESS_SLICE = make_slice(
    "web",
    [
        endpoint("10.244.1.10", hostname="web-0"),
        endpoint("10.244.2.11"),
        endpoint("10.244.2.12", ready=False),
    ],
    ports=[
        {"name": "http", "port": 8080, "protocol": "TCP"},
        {"name": "metrics", "port": 9100, "protocol": "TCP"},
    ],
)


def test_schema_version_txt():
    # spec 2.2: dns-version.<zone>. TXT "1.1.0"; CoreDNS kubernetes.go gives it TTL 28800.
    reply = ask(make_state(), "dns-version.cluster.local.", "TXT")
    assert lines(reply) == ['dns-version.cluster.local.\t28800\tIN\tTXT\t"1.1.0"']
    assert reply.authoritative


def test_schema_version_name_has_no_a_record():
    # CoreDNS parse.go: "dns-version" is neither "svc" nor "pod", an invalid request: NXDOMAIN.
    assert ask(make_state(), "dns-version.cluster.local", "A").rcode == "NXDOMAIN"


def test_clusterip_service_a_record_with_corefile_ttl():
    # spec 2.3.1: <service>.<ns>.svc.<zone>. A <cluster-ip>; Corefile `ttl 30`.
    reply = ask(make_state(WEB, WEB_SLICE), "webapp1.default.svc.cluster.local")
    assert lines(reply) == ["webapp1.default.svc.cluster.local.\t30\tIN\tA\t10.96.12.34"]
    assert (reply.rcode, reply.authoritative, reply.source) == ("NOERROR", True, "kubernetes")


def test_clusterip_service_without_endpoints_still_answers():
    # spec 2.3.1 asks nothing of endpoints for a ClusterIP Service (CoreDNS findServices).
    assert lines(ask(make_state(WEB), "webapp1.default.svc.cluster.local")) == [
        "webapp1.default.svc.cluster.local.\t30\tIN\tA\t10.96.12.34"
    ]


def test_ipv6_service_aaaa_and_dual_stack():
    # spec 2.3.1: an IPv6 ClusterIP gives AAAA; a dual-stack Service gets both (clusterIPs).
    dual = make_service("dual", cluster_ip=["10.96.0.60", "fd00:10:96::3c"])
    state = make_state(dual)
    assert [r.data for r in ask(state, "dual.default.svc.cluster.local", "A").answer] == [
        "10.96.0.60"
    ]
    assert [r.data for r in ask(state, "dual.default.svc.cluster.local", "AAAA").answer] == [
        "fd00:10:96::3c"
    ]


def test_aaaa_of_ipv4_service_is_nodata():
    # CoreDNS handler.go: no records but no name error -> NOERROR with an empty answer.
    reply = ask(make_state(WEB), "webapp1.default.svc.cluster.local", "AAAA")
    assert (reply.rcode, reply.answer) == ("NOERROR", ())


def test_srv_for_named_port_of_clusterip_service():
    # spec 2.3.2: _<port>._<proto>.<svc>.<ns>.svc.<zone>. SRV <prio> <weight> <port> <svc>...;
    # CoreDNS backend_lookup.go SRV: priority 0, weight 100/n per priority, the target's A in
    # the additional section.
    reply = ask(make_state(), "_https._tcp.kubernetes.default.svc.cluster.local.", "SRV")
    assert lines(reply) == [
        "_https._tcp.kubernetes.default.svc.cluster.local.\t30\tIN\tSRV\t"
        "0 100 443 kubernetes.default.svc.cluster.local."
    ]
    assert [str(r) for r in reply.additional] == [
        "kubernetes.default.svc.cluster.local.\t30\tIN\tA\t10.96.0.1"
    ]


def test_unnamed_port_has_no_srv_record():
    # spec 2.3.2: "Unnamed ports do not have an SRV record"; any _x._tcp name is NXDOMAIN.
    unnamed = make_service("plain", ports=[{"port": 80, "protocol": "TCP", "targetPort": 80}])
    assert ask(make_state(unnamed), "_http._tcp.plain.default.svc.cluster.local", "SRV").rcode == (
        "NXDOMAIN"
    )


def test_srv_on_the_service_name_lists_every_port():
    # CoreDNS extension (findServices: no port label matches every port): 3 ports give weight
    # floor(100/3); the UDP and TCP port 53 collapse into one record (SRV isDuplicate).
    state = make_state()
    reply = ask(state, "kube-dns.kube-system.svc.cluster.local", "SRV")
    assert [r.data for r in reply.answer] == [
        "0 33 53 kube-dns.kube-system.svc.cluster.local.",
        "0 33 9153 kube-dns.kube-system.svc.cluster.local.",
    ]


def test_srv_protocol_and_port_match_case_insensitively():
    # spec 2.1: comparisons are case-insensitive.
    reply = ask(make_state(), "_DNS._UDP.kube-dns.kube-system.svc.cluster.local", "SRV")
    assert [r.data for r in reply.answer] == ["0 100 53 kube-dns.kube-system.svc.cluster.local."]
    assert ask(make_state(), "_dns._tcp.kube-dns.kube-system.svc.cluster.local", "SRV").rcode == (
        "NXDOMAIN"
    )


def test_ptr_for_cluster_ip():
    # spec 2.3.3: <d>.<c>.<b>.<a>.in-addr.arpa. PTR <svc>.<ns>.svc.<zone>.
    reply = ask(make_state(WEB), "34.12.96.10.in-addr.arpa.", "PTR")
    assert lines(reply) == [
        "34.12.96.10.in-addr.arpa.\t30\tIN\tPTR\twebapp1.default.svc.cluster.local."
    ]


def test_ptr_for_ipv6_cluster_ip_uses_nibbles():
    # spec 2.3.3: the fully expanded IPv6 address, nibble by nibble, under ip6.arpa.
    v6 = make_service("v6", cluster_ip="2001:db8::1")
    name = "1." + "0." * 23 + "8.b.d.0.1.0.0.2.ip6.arpa."
    assert [r.data for r in ask(make_state(v6), name, "PTR").answer] == [
        "v6.default.svc.cluster.local."
    ]


def test_headless_a_records_are_the_ready_endpoints():
    # spec 2.4.1: one A per ready endpoint; the not-ready 10.244.2.12 is left out.
    reply = ask(make_state(HEADLESS, HEADLESS_SLICE), "web.default.svc.cluster.local")
    assert [r.data for r in reply.answer] == ["10.244.1.10", "10.244.2.11"]


def test_headless_without_ready_endpoints_is_nxdomain():
    # spec 2.4.1: "If there are no ready endpoints for the headless Service, the answer should
    # be NXDOMAIN."
    not_ready = make_slice("web", [endpoint("10.244.1.10", ready=False)])
    assert ask(make_state(HEADLESS, not_ready), "web.default.svc.cluster.local").rcode == (
        "NXDOMAIN"
    )
    assert ask(make_state(HEADLESS), "web.default.svc.cluster.local").rcode == "NXDOMAIN"


def test_unknown_readiness_counts_as_ready():
    # CoreDNS object/endpoint.go endpointsliceReady: a nil ready condition is ready (API docs).
    unknown = make_slice("web", [endpoint("10.244.1.10", ready=None)])
    assert [
        r.data for r in ask(make_state(HEADLESS, unknown), "web.default.svc.cluster.local").answer
    ] == ["10.244.1.10"]


def test_endpoint_hostname_records():
    # spec 2.4.1: <hostname>.<service>.<ns>.svc.<zone>. A <endpoint-ip>; without a hostname
    # field CoreDNS (kubernetes.go endpointHostname) uses the IP with dashes.
    state = make_state(HEADLESS, HEADLESS_SLICE)
    assert lines(ask(state, "web-0.web.default.svc.cluster.local")) == [
        "web-0.web.default.svc.cluster.local.\t30\tIN\tA\t10.244.1.10"
    ]
    assert [r.data for r in ask(state, "10-244-2-11.web.default.svc.cluster.local").answer] == [
        "10.244.2.11"
    ]
    assert ask(state, "10-244-2-12.web.default.svc.cluster.local").rcode == "NXDOMAIN"


def test_endpoint_names_also_answer_for_clusterip_services():
    # CoreDNS findServices: an endpoint label in the query selects endpoints even with a VIP.
    state = make_state(WEB, WEB_SLICE)
    assert [r.data for r in ask(state, "10-244-2-7.webapp1.default.svc.cluster.local").answer] == [
        "10.244.2.7"
    ]


def test_headless_srv_is_endpoints_times_named_ports():
    # spec 2.4.2: N ready endpoints x M named ports; CoreDNS uses the endpoint's port (the
    # EndpointSlice's resolved targetPort 8080, not the Service's 80) and weight floor(100/n).
    reply = ask(
        make_state(HEADLESS, HEADLESS_SLICE), "_http._tcp.web.default.svc.cluster.local", "SRV"
    )
    assert [r.data for r in reply.answer] == [
        "0 50 8080 web-0.web.default.svc.cluster.local.",
        "0 50 8080 10-244-2-11.web.default.svc.cluster.local.",
    ]
    assert [str(r) for r in reply.additional] == [
        "web-0.web.default.svc.cluster.local.\t30\tIN\tA\t10.244.1.10",
        "10-244-2-11.web.default.svc.cluster.local.\t30\tIN\tA\t10.244.2.11",
    ]
    everything = ask(make_state(HEADLESS, HEADLESS_SLICE), "web.default.svc.cluster.local", "SRV")
    assert len(everything.answer) == 4


def test_endpoint_ptr_names_every_service_of_the_ip():
    # spec 2.4.3: PTR -> <hostname>.<service>.<ns>.svc.<zone>; CoreDNS reverse.go returns one
    # per Service whose ready endpoints hold the IP.
    other = make_slice("webapp1", [endpoint("10.244.1.10")], name="webapp1-zzzzz")
    reply = ask(
        make_state(HEADLESS, HEADLESS_SLICE, WEB, other), "10.1.244.10.in-addr.arpa.", "PTR"
    )
    assert [r.data for r in reply.answer] == [
        "web-0.web.default.svc.cluster.local.",
        "10-244-1-10.webapp1.default.svc.cluster.local.",
    ]


def test_unknown_reverse_name_falls_through_to_forward():
    # Corefile `fallthrough in-addr.arpa ip6.arpa`: the upstream answers; Docker's DNS reaches
    # no resolver on a host without internet: SERVFAIL (moby libnetwork/resolver.go serveDNS).
    reply = ask(make_state(WEB), "99.99.244.10.in-addr.arpa.", "PTR")
    assert (reply.rcode, reply.authoritative, reply.source) == ("SERVFAIL", False, "forward")


def test_external_name_cname():
    # spec 2.5: <service>.<ns>.svc.<zone>. CNAME <extname>.; for an A question CoreDNS
    # (backend_lookup.go A) adds what the upstream answers for the target.
    ext = make_service("ext", type="ExternalName", externalName="www.example.com")
    state = make_state(ext, upstream_hosts={"www.example.com": ["192.0.2.53"]})
    assert lines(ask(state, "ext.default.svc.cluster.local")) == [
        "ext.default.svc.cluster.local.\t30\tIN\tCNAME\twww.example.com.",
        "www.example.com.\t600\tIN\tA\t192.0.2.53",
    ]
    assert lines(ask(state, "ext.default.svc.cluster.local", "CNAME")) == [
        "ext.default.svc.cluster.local.\t30\tIN\tCNAME\twww.example.com."
    ]


def test_external_name_with_unresolvable_target_is_cname_only():
    # CoreDNS A: the upstream's NXDOMAIN is no lookup error, so the CNAME stands alone (NOERROR).
    ext = make_service("ext", type="ExternalName", externalName="nope.example")
    reply = ask(make_state(ext), "ext.default.svc.cluster.local")
    assert (reply.rcode, [r.rtype for r in reply.answer]) == ("NOERROR", ["CNAME"])


def test_external_name_pointing_inside_the_cluster_is_chased():
    # CoreDNS A: a target inside the zone is answered by the plugin itself.
    alias = make_service(
        "alias", type="ExternalName", externalName="webapp1.default.svc.cluster.local"
    )
    assert lines(ask(make_state(alias, WEB), "alias.default.svc.cluster.local")) == [
        "alias.default.svc.cluster.local.\t30\tIN\tCNAME\twebapp1.default.svc.cluster.local.",
        "webapp1.default.svc.cluster.local.\t30\tIN\tA\t10.96.12.34",
    ]


def test_external_name_srv_is_nodata():
    # CoreDNS kubernetes.go Services: "SRV for external services is not yet implemented".
    ext = make_service("ext", type="ExternalName", externalName="www.example.com")
    reply = ask(make_state(ext), "ext.default.svc.cluster.local", "SRV")
    assert (reply.rcode, reply.answer) == ("NOERROR", ())


def test_pod_records_with_pods_insecure():
    # Corefile `pods insecure`: a-b-c-d.<ns>.pod.<zone> answers a.b.c.d without looking for a
    # pod (CoreDNS findPods); the namespace must exist.
    state = make_state()
    assert lines(ask(state, "10-244-1-5.default.pod.cluster.local")) == [
        "10-244-1-5.default.pod.cluster.local.\t30\tIN\tA\t10.244.1.5"
    ]
    assert ask(state, "10-244-1-5.nowhere.pod.cluster.local").rcode == "NXDOMAIN"
    assert ask(state, "web-0.default.pod.cluster.local").rcode == "NXDOMAIN"
    reply = ask(state, "10-244-1-5.default.pod.cluster.local", "AAAA")
    assert (reply.rcode, reply.answer) == ("NOERROR", ())
    assert [
        r.data for r in ask(state, "fd00-10-244--5.default.pod.cluster.local", "AAAA").answer
    ] == ["fd00:10:244::5"]


@pytest.mark.parametrize(
    ("name", "qtype", "rcode"),
    [
        # CoreDNS parse.go/Records: the zone apex, svc.<zone> and pod.<zone> are NODATA.
        ("cluster.local.", "A", "NOERROR"),
        ("svc.cluster.local.", "A", "NOERROR"),
        ("pod.cluster.local.", "A", "NOERROR"),
        # findServices: an existing namespace without a service label is NODATA ...
        ("default.svc.cluster.local.", "A", "NOERROR"),
        # ... a namespace that does not exist is NXDOMAIN (namespace.go filteredNamespaceExists).
        ("nope.svc.cluster.local.", "A", "NXDOMAIN"),
        ("nope.default.svc.cluster.local.", "A", "NXDOMAIN"),
        ("webapp1.other.svc.cluster.local.", "A", "NXDOMAIN"),
        # parse.go: neither svc nor pod, or more than two labels before the service: invalid.
        ("webapp1.default.cluster.local.", "A", "NXDOMAIN"),
        ("a.b.c.webapp1.default.svc.cluster.local.", "A", "NXDOMAIN"),
        # Services TXT case: every TXT question but dns-version is NODATA, existing or not.
        ("nope.default.svc.cluster.local.", "TXT", "NOERROR"),
        # Other types: a fake A lookup decides between NXDOMAIN and NODATA (handler.go).
        ("webapp1.default.svc.cluster.local.", "MX", "NOERROR"),
        ("nope.default.svc.cluster.local.", "MX", "NXDOMAIN"),
    ],
)
def test_nxdomain_or_nodata(name: str, qtype: str, rcode: str):
    reply = ask(make_state(WEB), name, qtype)
    assert (reply.rcode, reply.answer) == (rcode, ())
    assert reply.authoritative


def test_queries_are_case_insensitive_and_echo_the_question():
    # spec 2.1: case-insensitive; CoreDNS writes the question's own name as the owner.
    reply = ask(make_state(WEB), "WebApp1.Default.SVC.Cluster.Local")
    assert lines(reply) == ["WebApp1.Default.SVC.Cluster.Local.\t30\tIN\tA\t10.96.12.34"]


def test_srv_targets_keep_the_zone_spelling_of_the_question():
    # CoreDNS handler.go keeps "case of original query" for the zone used in SRV targets.
    reply = ask(make_state(WEB), "_http._tcp.webapp1.default.svc.CLUSTER.LOCAL", "SRV")
    assert [r.data for r in reply.answer] == ["0 100 80 webapp1.default.svc.CLUSTER.LOCAL."]


def test_names_outside_the_zone_are_forwarded():
    # Corefile `forward . /etc/resolv.conf`; the upstream is not authoritative.
    state = make_state(upstream_hosts={"kind-worker": ["172.18.0.3"]})
    assert lines(ask(state, "kind-worker")) == ["kind-worker.\t600\tIN\tA\t172.18.0.3"]
    reply = ask(state, "www.example.com")
    # coredns plugin/forward/forward.go @ v1.12.0 passes the upstream's SERVFAIL on as it came.
    assert (reply.rcode, reply.authoritative, reply.source) == ("SERVFAIL", False, "forward")


def test_ns_dns_name_is_the_dns_service():
    # CoreDNS ns.go: ns.dns.<zone> answers the address of the DNS Service.
    assert [r.data for r in ask(make_state(), "ns.dns.cluster.local").answer] == ["10.96.0.10"]


def test_unmodelled_query_types_are_refused_loudly():
    with pytest.raises(ValueError, match="query type SOA is not modelled"):
        ask(make_state(), "cluster.local", "SOA")


def test_publish_not_ready_comes_from_the_ready_condition():
    # The EndpointSlice controller marks every endpoint ready under publishNotReadyAddresses
    # (kubernetes/kubernetes pkg/controller/endpointslice @ v1.33.0); CoreDNS only reads `ready`,
    # so those endpoints are served.
    published = make_service("pub", cluster_ip="None", publishNotReadyAddresses=True)
    slice_ = make_slice("pub", [endpoint("10.244.1.20", ready=True)])
    assert [
        r.data for r in ask(make_state(published, slice_), "pub.default.svc.cluster.local").answer
    ] == ["10.244.1.20"]


def test_zone_records_list_what_the_server_answers():
    records = zone_records(make_state(WEB, WEB_SLICE, HEADLESS, HEADLESS_SLICE))
    text = [str(r) for r in records]
    assert text[0] == 'dns-version.cluster.local.\t28800\tIN\tTXT\t"1.1.0"'
    assert "web-0.web.default.svc.cluster.local.\t30\tIN\tA\t10.244.1.10" in text
    srv = "_http._tcp.webapp1.default.svc.cluster.local.\t30\tIN\tSRV\t0 100 80 "
    assert srv + "webapp1.default.svc.cluster.local." in text
    assert (
        "5.1.244.10.in-addr.arpa.\t30\tIN\tPTR\t10-244-1-5.webapp1.default.svc.cluster.local."
        in text
    )
    assert all(isinstance(r, Record) for r in records)
    assert not any("10.244.2.12" in line for line in text)


def test_build_zone_skips_slices_without_service_label_and_fqdn_slices():
    unlabeled = make_slice("webapp1", [endpoint("10.244.1.9")])
    unlabeled["metadata"]["labels"] = {}
    fqdn = make_slice("webapp1", [endpoint("example.com")], address_type="FQDN", name="f")
    zone = build_zone([WEB], [unlabeled, fqdn], [], DnsSettings())
    assert zone.endpoint_sets("default", "webapp1") == []
