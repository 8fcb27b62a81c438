"""`nslookup` in a pod, as BIND 9's nslookup prints it (Debian bind9-dnsutils, netshoot).

Sources: isc-projects/bind9 bin/dig/nslookup.c (printmessage, printsection, rtypetext, main's
final `puts("")` and exit status query_error | print_error) and bin/dig/dighost.c (setup_lookup,
next_origin: only NXDOMAIN moves to the next search domain).
"""

from __future__ import annotations

from dns_inputs import endpoint, make_pod, make_service, make_slice, make_state

from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.network.dns import cluster_dns_state, nslookup

HEADER = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10#53\n\n"
STATE = make_state(
    make_service("webapp1", cluster_ip="10.96.12.34"),
    make_slice("webapp1", [endpoint("10.244.1.5")]),
    make_service("web", cluster_ip="None"),
    make_slice("web", [endpoint("10.244.1.10", hostname="web-0"), endpoint("10.244.2.11")]),
    make_service("db", "other", "10.96.40.4"),
    make_service("ext", type="ExternalName", externalName="www.example.com"),
    upstream_hosts={"kind-worker": ["172.18.0.3"]},
)
CLIENT = make_pod()


def run(name: str, pod: dict = CLIENT, qtype: str | None = None) -> tuple[str, int]:
    result = nslookup(STATE, name, pod, qtype)
    return result.output, result.exit_code


def test_service_name():
    # The format of the brief's example, plus nslookup's closing empty line.
    assert run("webapp1") == (
        HEADER + "Name:\twebapp1.default.svc.cluster.local\nAddress: 10.96.12.34\n\n",
        0,
    )


def test_nxdomain():
    # printmessage: "** server can't find <name>: <RCODE>" after the whole search; exit 1. The
    # last query, `nope.`, leaves the cluster zone and gets the upstream's SERVFAIL (no internet).
    assert run("nope") == (HEADER + "** server can't find nope: SERVFAIL\n\n", 1)


def test_queries_sent_search_then_aaaa():
    # dighost.c: search domains until one is not NXDOMAIN; nslookup.c then asks AAAA of the
    # answer's name as is (an IPv4 Service has none: NODATA, nothing printed).
    queries = nslookup(STATE, "webapp1.other", CLIENT).queries
    assert [(q.qname, q.qtype, q.rcode) for q in queries] == [
        ("webapp1.other.default.svc.cluster.local.", "A", "NXDOMAIN"),
        ("webapp1.other.svc.cluster.local.", "A", "NXDOMAIN"),
        ("webapp1.other.cluster.local.", "A", "NXDOMAIN"),
        ("webapp1.other.", "A", "SERVFAIL"),
    ]
    found = nslookup(STATE, "db.other", CLIENT).queries
    assert [(q.qname, q.qtype, q.rcode) for q in found] == [
        ("db.other.default.svc.cluster.local.", "A", "NXDOMAIN"),
        ("db.other.svc.cluster.local.", "A", "NOERROR"),
        ("db.other.svc.cluster.local.", "AAAA", "NOERROR"),
    ]


def test_cross_namespace_names():
    assert run("db.other")[0] == (
        HEADER + "Name:\tdb.other.svc.cluster.local\nAddress: 10.96.40.4\n\n"
    )
    assert run("db") == (HEADER + "** server can't find db: SERVFAIL\n\n", 1)
    assert run("db", make_pod(namespace="other"))[1] == 0


def test_headless_service_lists_each_ready_endpoint():
    assert run("web")[0] == (
        HEADER
        + "Name:\tweb.default.svc.cluster.local\nAddress: 10.244.1.10\n"
        + "Name:\tweb.default.svc.cluster.local\nAddress: 10.244.2.11\n\n"
    )
    assert run("web-0.web")[0] == (
        HEADER + "Name:\tweb-0.web.default.svc.cluster.local\nAddress: 10.244.1.10\n\n"
    )


def test_fqdn_and_case():
    assert run("WebApp1.Default.svc.cluster.local.")[0] == (
        HEADER + "Name:\tWebApp1.Default.svc.cluster.local\nAddress: 10.96.12.34\n\n"
    )


def test_reverse_lookup_prints_no_header():
    # nslookup.c printmessage: the header belongs to A replies; a PTR reply is one line.
    assert run("10.96.12.34") == (
        "34.12.96.10.in-addr.arpa\tname = webapp1.default.svc.cluster.local.\n\n",
        0,
    )
    assert run("10.244.99.99") == (
        "** server can't find 99.99.244.10.in-addr.arpa: SERVFAIL\n\n",
        1,
    )


def test_external_name_without_internet():
    # The CNAME is printed; the AAAA lookup of the target gets the upstream's SERVFAIL.
    assert run("ext") == (
        HEADER
        + "ext.default.svc.cluster.local\tcanonical name = www.example.com.\n"
        + "** server can't find www.example.com: SERVFAIL\n\n",
        1,
    )


def test_forwarded_answers_are_non_authoritative():
    assert run("kind-worker") == (
        HEADER + "Non-authoritative answer:\nName:\tkind-worker\nAddress: 172.18.0.3\n\n",
        0,
    )


def test_nodata_stops_the_search():
    # dighost.c: only NXDOMAIN moves on; default.svc.cluster.local exists without an address.
    assert run("default") == (
        HEADER + "*** Can't find default.svc.cluster.local: No answer\n\n",
        0,
    )


def test_type_srv():
    # `nslookup -type=srv`: a header for every reply; SRV records print as "service = ".
    assert run("_http._tcp.webapp1", qtype="srv") == (
        HEADER + "_http._tcp.webapp1.default.svc.cluster.local\tservice = 0 100 80 "
        "webapp1.default.svc.cluster.local.\n\n",
        0,
    )


def test_type_txt_and_no_answer():
    assert run("dns-version.cluster.local.", qtype="txt")[0] == (
        HEADER + 'dns-version.cluster.local\ttext = "1.1.0"\n\n'
    )
    # Without the final dot the first candidate is dns-version.cluster.local.default.svc...,
    # and CoreDNS answers every TXT question in its zone but dns-version with NODATA
    # (kubernetes.go Services), which ends nslookup's search.
    assert run("dns-version.cluster.local", qtype="txt") == (
        HEADER + "*** Can't find dns-version.cluster.local: No answer\n\n",
        0,
    )
    assert run("webapp1", qtype="aaaa") == (HEADER + "*** Can't find webapp1: No answer\n\n", 0)


def test_default_policy_pod_asks_the_node_resolver():
    pod = make_pod(dnsPolicy="Default")
    assert run("webapp1", pod) == (
        "Server:\t\t172.18.0.1\nAddress:\t172.18.0.1#53\n\n"
        "** server can't find webapp1: SERVFAIL\n\n",
        1,
    )


def test_through_a_real_cluster():
    c = ControlPlane()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "dnsutils"},
            "spec": {"containers": [{"name": "c", "image": "debian"}]},
        }
    )
    output = nslookup(cluster_dns_state(c), "kubernetes.default", c.get("pod", "dnsutils")).output
    assert output == HEADER + "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n"
