"""A pod's resolv.conf and resolver: dnsPolicy, search list and ndots, through CoreDNS.

Sources: kubernetes/kubernetes pkg/kubelet/network/dns/dns.go (GetPodDNS, generateSearchesFor
DNSClusterFirst, defaultDNSOptions ndots:5, formDNSConfigFitsLimits); containerd's
parseDNSOptions (search, nameserver, options order); glibc resolv/res_query.c
__res_context_search (search order) with nss_dns's T_QUERY_A_AND_AAAA (getaddrinfo asks A and
AAAA for every candidate); kind's node entrypoint (`enable_network_magic`).
"""

from __future__ import annotations

import pytest
from dns_inputs import endpoint, make_pod, make_service, make_slice, make_state

from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.io.manifests import load_manifests
from kubenet_nb.network.dns import cluster_dns_state, pod_resolv_conf, resolve
from kubenet_nb.network.dns.resolvconf import ResolvConf, kind_node_resolv_conf

STATE = make_state(
    make_service("webapp1", cluster_ip="10.96.12.34"),
    make_slice("webapp1", [endpoint("10.244.1.5")]),
    make_service("db", "other", "10.96.40.4"),
    upstream_hosts={"kind-worker": ["172.18.0.3"]},
)
CLIENT = make_pod()


def conf_text(pod: dict, node: ResolvConf | None = None) -> str:
    node = node or kind_node_resolv_conf()
    return pod_resolv_conf(pod, STATE.settings, node).text()


def tried(name: str, pod: dict = CLIENT, qtype: str = "A") -> list[tuple[str, str, str]]:
    return resolve(STATE, name, qtype, from_pod=pod).tried


def pairs(*candidates: tuple[str, str]) -> list[tuple[str, str, str]]:
    """getaddrinfo's queries: A then AAAA for each (name, rcode) candidate (glibc
    __res_context_query with T_QUERY_A_AND_AAAA; the zone's Services are IPv4-only, so the
    AAAA reply has the A reply's rcode: NOERROR without records, or NXDOMAIN)."""
    return [(name, qtype, rcode) for name, rcode in candidates for qtype in ("A", "AAAA")]


# -- resolv.conf ---------------------------------------------------------------------------------


def test_cluster_first_resolv_conf_is_kinds():
    # dns.go: nameserver = --cluster-dns, search <ns>.svc.<zone> svc.<zone> <zone>, ndots:5;
    # containerd writes search, nameserver, options.
    assert conf_text(CLIENT) == (
        "search default.svc.cluster.local svc.cluster.local cluster.local\n"
        "nameserver 10.96.0.10\n"
        "options ndots:5\n"
    )
    assert conf_text(make_pod(namespace="other")).startswith("search other.svc.cluster.local ")


def test_default_dns_policy_is_cluster_first():
    # API defaulting (SetDefaults_PodSpec): an unset dnsPolicy is ClusterFirst, not Default.
    pod = make_pod()
    del pod["spec"]["dnsPolicy"]
    assert "nameserver 10.96.0.10\n" in conf_text(pod)


def test_node_search_domains_follow_the_cluster_ones_without_duplicates():
    # dns.go generateSearchesForDNSClusterFirst: omitDuplicates(clusterSearch + hostSearch).
    node = kind_node_resolv_conf(searches=("corp.example", "cluster.local"))
    assert conf_text(CLIENT, node).splitlines()[0] == (
        "search default.svc.cluster.local svc.cluster.local cluster.local corp.example"
    )


def test_default_policy_gets_the_kind_node_file():
    # dns.go podDNSHost: the node's resolv.conf; kind rewrites Docker's 127.0.0.11 to the
    # network gateway and Docker writes options ndots:0.
    assert conf_text(make_pod(dnsPolicy="Default")) == "nameserver 172.18.0.1\noptions ndots:0\n"


def test_host_network_pods():
    # dns.go getPodDNSType: ClusterFirst on hostNetwork falls back to Default;
    # ClusterFirstWithHostNet keeps the cluster DNS.
    assert conf_text(make_pod(hostNetwork=True)) == "nameserver 172.18.0.1\noptions ndots:0\n"
    with_host_net = make_pod(hostNetwork=True, dnsPolicy="ClusterFirstWithHostNet")
    assert "nameserver 10.96.0.10\n" in conf_text(with_host_net)


def test_none_policy_uses_only_dns_config():
    pod = make_pod(
        dnsPolicy="None",
        dnsConfig={
            "nameservers": ["192.0.2.1"],
            "searches": ["ns1.svc.cluster-domain.example"],
            "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}],
        },
    )
    # dns-pod-service.md's "Pod's DNS Config" example, as containerd writes it.
    assert conf_text(pod) == (
        "search ns1.svc.cluster-domain.example\nnameserver 192.0.2.1\noptions ndots:2 edns0\n"
    )


def test_dns_config_is_appended_and_options_merged():
    # dns.go appendDNSConfig/mergeDNSOptions: same-named options are replaced.
    pod = make_pod(
        dnsConfig={
            "nameservers": ["10.96.0.10", "192.0.2.1"],
            "searches": ["svc.cluster.local", "corp.example"],
            "options": [{"name": "ndots", "value": "1"}, {"name": "single-request-reopen"}],
        }
    )
    assert conf_text(pod) == (
        "search default.svc.cluster.local svc.cluster.local cluster.local corp.example\n"
        "nameserver 10.96.0.10\n"
        "nameserver 192.0.2.1\n"
        "options ndots:1 single-request-reopen\n"
    )


def test_limits_on_nameservers_and_search_domains():
    # dns.go formDNSConfigFitsLimits: MaxDNSNameservers 3, MaxDNSSearchPathsExpanded 32.
    pod = make_pod(
        dnsPolicy="None",
        dnsConfig={
            "nameservers": ["192.0.2.1", "192.0.2.2", "192.0.2.3", "192.0.2.4"],
            "searches": [f"d{i}.example" for i in range(40)],
        },
    )
    conf = pod_resolv_conf(pod, STATE.settings, kind_node_resolv_conf())
    assert conf.nameservers == ("192.0.2.1", "192.0.2.2", "192.0.2.3")
    assert len(conf.searches) == 32


# -- the search list -----------------------------------------------------------------------------


def test_short_name_resolves_in_the_pods_namespace_with_one_pair_of_queries():
    answer = resolve(STATE, "webapp1", from_pod=CLIENT)
    assert answer.tried == pairs(("webapp1.default.svc.cluster.local.", "NOERROR"))
    assert (answer.addresses, answer.fqdn, answer.server) == (
        ["10.96.12.34"],
        "webapp1.default.svc.cluster.local.",
        "10.96.0.10",
    )


def test_service_dot_namespace_takes_two_queries():
    # dns-pod-service.md: `data.prod` resolves as data.prod.svc.cluster.local.
    assert tried("webapp1.default") == pairs(
        ("webapp1.default.default.svc.cluster.local.", "NXDOMAIN"),
        ("webapp1.default.svc.cluster.local.", "NOERROR"),
    )
    assert tried("webapp1.default.svc") == pairs(
        ("webapp1.default.svc.default.svc.cluster.local.", "NXDOMAIN"),
        ("webapp1.default.svc.svc.cluster.local.", "NXDOMAIN"),
        ("webapp1.default.svc.cluster.local.", "NOERROR"),
    )


def test_four_dot_fqdn_without_final_dot_walks_the_whole_list_first():
    # glibc: fewer than ndots (5) dots -> search domains first, the name itself last.
    assert tried("webapp1.default.svc.cluster.local") == pairs(
        ("webapp1.default.svc.cluster.local.default.svc.cluster.local.", "NXDOMAIN"),
        ("webapp1.default.svc.cluster.local.svc.cluster.local.", "NXDOMAIN"),
        ("webapp1.default.svc.cluster.local.cluster.local.", "NXDOMAIN"),
        ("webapp1.default.svc.cluster.local.", "NOERROR"),
    )


def test_trailing_dot_is_one_query():
    # glibc: a trailing dot means "as is", and nothing else.
    assert tried("webapp1.default.svc.cluster.local.") == pairs(
        ("webapp1.default.svc.cluster.local.", "NOERROR")
    )
    # upstream.py: the name leaves the cluster zone, and Docker's DNS reaches no resolver.
    assert tried("webapp1.") == pairs(("webapp1.", "SERVFAIL"))


def test_five_dots_are_tried_as_is_first_then_the_search_list():
    answer = resolve(STATE, "a.b.c.d.e.f", from_pod=CLIENT)
    assert answer.tried == pairs(
        ("a.b.c.d.e.f.", "SERVFAIL"),
        ("a.b.c.d.e.f.default.svc.cluster.local.", "NXDOMAIN"),
        ("a.b.c.d.e.f.svc.cluster.local.", "NXDOMAIN"),
        ("a.b.c.d.e.f.cluster.local.", "NXDOMAIN"),
    )
    # glibc: the as-is query went first, so its error (TRY_AGAIN) is the final one.
    assert (answer.rcode, answer.found) == ("SERVFAIL", False)


def test_as_is_error_wins_when_it_went_first():
    # glibc: "if we did an initial full query, return that query's H_ERRNO": NODATA here
    # (`svc.<zone>` exists without records; with ndots:1 its one dot sends it as is first).
    pod = make_pod(dnsConfig={"options": [{"name": "ndots", "value": "1"}]})
    answer = resolve(STATE, "svc.cluster.local", "AAAA", pod)
    assert answer.tried == pairs(
        ("svc.cluster.local.", "NOERROR"),
        ("svc.cluster.local.default.svc.cluster.local.", "NXDOMAIN"),
        ("svc.cluster.local.svc.cluster.local.", "NXDOMAIN"),
        ("svc.cluster.local.cluster.local.", "NXDOMAIN"),
    )
    assert (answer.rcode, answer.found) == ("NOERROR", False)


def test_short_name_of_another_namespace_fails():
    # dns-pod-service.md: a short name only finds Services of the pod's own namespace.
    answer = resolve(STATE, "db", from_pod=CLIENT)
    assert answer.tried == pairs(
        ("db.default.svc.cluster.local.", "NXDOMAIN"),
        ("db.svc.cluster.local.", "NXDOMAIN"),
        ("db.cluster.local.", "NXDOMAIN"),
        ("db.", "SERVFAIL"),
    )
    assert (answer.rcode, answer.addresses) == ("SERVFAIL", [])
    assert resolve(STATE, "db.other", from_pod=CLIENT).addresses == ["10.96.40.4"]
    assert resolve(STATE, "db", from_pod=make_pod(namespace="other")).addresses == ["10.96.40.4"]


def test_nodata_moves_on_and_is_the_final_answer():
    # glibc: NO_DATA keeps searching; with no success the error is NO_DATA, not NXDOMAIN.
    answer = resolve(STATE, "default", from_pod=CLIENT)
    assert answer.tried == pairs(
        ("default.default.svc.cluster.local.", "NXDOMAIN"),
        ("default.svc.cluster.local.", "NOERROR"),
        ("default.cluster.local.", "NXDOMAIN"),
        ("default.", "SERVFAIL"),
    )
    assert (answer.rcode, answer.found) == ("NOERROR", False)


def test_resolution_is_case_insensitive():
    # spec 2.1: all comparisons are case-insensitive.
    answer = resolve(STATE, "WEBAPP1", from_pod=CLIENT)
    assert (answer.addresses, answer.fqdn) == (
        ["10.96.12.34"],
        "WEBAPP1.default.svc.cluster.local.",
    )


def test_external_names_cost_eight_queries_and_end_upstream():
    answer = resolve(STATE, "www.example.com", from_pod=CLIENT)
    assert [q.source for q in answer.queries] == ["kubernetes"] * 6 + ["forward"] * 2
    assert answer.rcode == "SERVFAIL"
    assert resolve(STATE, "kind-worker", from_pod=CLIENT).addresses == ["172.18.0.3"]


def test_default_policy_pod_cannot_see_cluster_names():
    # Default: the node's resolver (Docker's DNS, ndots:0) knows the nodes, not the cluster.
    pod = make_pod(dnsPolicy="Default")
    answer = resolve(STATE, "webapp1", from_pod=pod)
    assert (answer.server, answer.tried) == ("172.18.0.1", pairs(("webapp1.", "SERVFAIL")))
    assert resolve(STATE, "kind-worker", from_pod=pod).addresses == ["172.18.0.3"]


def test_without_a_pod_the_name_is_asked_as_written():
    assert resolve(STATE, "webapp1.default.svc.cluster.local").tried == [
        ("webapp1.default.svc.cluster.local.", "A", "NOERROR")
    ]
    assert resolve(STATE, "webapp1").rcode == "SERVFAIL"  # outside the zone: upstream.py
    srv = resolve(STATE, "_http._tcp.webapp1.default.svc.cluster.local", "srv")
    assert (srv.qtype, srv.addresses, [r.rtype for r in srv.records]) == ("SRV", [], ["SRV"])


# -- through a real cluster ----------------------------------------------------------------------

MANIFESTS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: webapp1}
spec:
  replicas: 2
  selector: {matchLabels: {app: webapp1}}
  template:
    metadata: {labels: {app: webapp1}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{containerPort: 80}]
        readinessProbe: {tcpSocket: {port: 80}}
---
apiVersion: v1
kind: Service
metadata: {name: webapp1}
spec:
  selector: {app: webapp1}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: peers}
spec:
  clusterIP: None
  selector: {app: webapp1}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: peers-all}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: webapp1}
  ports: [{name: http, port: 80}]
"""


@pytest.fixture
def cluster() -> ControlPlane:
    c = ControlPlane()
    c.apply(load_manifests(MANIFESTS))
    return c


def pod_ips(c: ControlPlane) -> list[str]:
    return sorted(p["status"]["podIP"] for p in c.list("pods", selector="app=webapp1"))


def test_cluster_service_and_headless_answers(cluster: ControlPlane):
    client = cluster.list("pods", selector="app=webapp1")[0]
    state = cluster_dns_state(cluster)
    vip = cluster.get("svc", "webapp1")["spec"]["clusterIP"]
    assert resolve(state, "webapp1", from_pod=client).addresses == [vip]
    assert sorted(resolve(state, "peers", from_pod=client).addresses) == pod_ips(cluster)
    assert resolve(state, "kubernetes.default", from_pod=client).addresses == ["10.96.0.1"]
    assert resolve(state, "kind-control-plane", from_pod=client).addresses == ["172.18.0.2"]


def test_cluster_headless_follows_readiness_and_publish_not_ready(cluster: ControlPlane):
    # spec 2.4.1 ready endpoints only, NXDOMAIN when none; publishNotReadyAddresses keeps all.
    for pod in cluster.list("pods", selector="app=webapp1"):
        cluster.set_ready(pod["metadata"]["name"], False)
    state = cluster_dns_state(cluster)
    assert resolve(state, "peers.default.svc.cluster.local").rcode == "NXDOMAIN"
    everyone = resolve(state, "peers-all.default.svc.cluster.local")
    assert sorted(everyone.addresses) == pod_ips(cluster)


def test_cluster_answers_follow_the_store(cluster: ControlPlane):
    name = "webapp1.default.svc.cluster.local"
    assert resolve(cluster_dns_state(cluster), name).found
    cluster.delete("svc", "webapp1")
    assert resolve(cluster_dns_state(cluster), name).rcode == "NXDOMAIN"
    cluster.apply(load_manifests(MANIFESTS))
    vip = cluster.get("svc", "webapp1")["spec"]["clusterIP"]
    assert resolve(cluster_dns_state(cluster), name).addresses == [vip]


def test_cluster_state_is_reused_while_nothing_changes(cluster: ControlPlane):
    assert cluster_dns_state(cluster).coredns.zone is cluster_dns_state(cluster).coredns.zone


def test_cluster_answers_inside_and_after_a_refused_request(cluster: ControlPlane):
    # Answers come from the store as it is, half-done requests included, and nothing of a
    # refused request survives in the DNS.
    name = "extra.default.svc.cluster.local"
    service = {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "extra", "namespace": "default"},
        "spec": {"ports": [{"port": 80}]},
    }
    seen: list[bool] = []

    def refused_request() -> None:
        with cluster.store.transaction():
            cluster.api.create(service)
            seen.append(resolve(cluster_dns_state(cluster), name).found)
            raise RuntimeError("refused")

    assert resolve(cluster_dns_state(cluster), name).rcode == "NXDOMAIN"
    with pytest.raises(RuntimeError, match="refused"):
        refused_request()
    assert seen == [True]
    assert resolve(cluster_dns_state(cluster), name).rcode == "NXDOMAIN"


def test_cluster_pod_hostname_and_subdomain(cluster: ControlPlane):
    # dns-pod-service.md: spec.hostname + spec.subdomain naming a headless Service of the same
    # namespace gives <hostname>.<subdomain>.<ns>.svc.<zone> (the EndpointSlice's hostname).
    cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "pet", "labels": {"app": "webapp1"}},
            "spec": {
                "hostname": "web-0",
                "subdomain": "peers",
                "containers": [{"name": "web", "image": "nginx"}],
            },
        }
    )
    ip = cluster.get("pod", "pet")["status"]["podIP"]
    state = cluster_dns_state(cluster)
    assert resolve(state, "web-0.peers.default.svc.cluster.local").addresses == [ip]
    ptr = resolve(state, ".".join(reversed(ip.split("."))) + ".in-addr.arpa", "PTR")
    assert "web-0.peers.default.svc.cluster.local." in [r.data for r in ptr.records]
