"""NetworkPolicy in the packet walk: where kind's hooks judge a connection, and what a client sees.

Sources: kubernetes-sigs/kube-network-policies pkg/networkpolicy/controller.go @ v0.8.0 ("KNP":
`syncNFTablesRules` — a `postrouting` chain at priority srcnat - 5 that accepts UDP to port 53,
`meta skuid 0` and established flows, then queues packets from or to the node's selected pods;
`addDNSRacersWorkaroundRules` — UDP to port 53 queued in `prerouting` at dstnat + 5; `NfDrop` for
a denied packet); kubernetes-sigs/kind images/kindnetd/cmd/kindnetd/main.go @ v0.29.0 (the table
name `kindnet-network-policies`); kubernetes/website
content/en/docs/concepts/services-networking/network-policies.md ("docs"); curl lib/multi.c
`multi_handle_timeout` @ curl-8_11_1; isc-projects/bind9 bin/dig/dighost.c and
lib/irs/resconf.c @ v9.18.50; busybox networking/nslookup.c @ 1_36_1.
"""

from __future__ import annotations

import pytest

from kubenet_nb import Cluster
from kubenet_nb.network.hops import Hop

WEB = "registry.k8s.io/e2e-test-images/agnhost:2.53"
SERVER = {
    "args": ["netexec", "--http-port=8080"],
    "ports": [{"containerPort": 8080, "name": "http"}],
}


def _policy(name: str, spec: str, namespace: str = "default") -> str:
    return (
        "apply -f -\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        f"metadata: {{name: {name}, namespace: {namespace}}}\nspec: {spec}\n"
    )


def _pod(
    c: Cluster, name: str, node: str, labels: str = "", image: str = "nicolaka/netshoot"
) -> dict:
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": name,
                "labels": dict(p.split("=") for p in labels.split(",") if p),
            },
            "spec": {
                "nodeName": node,
                "containers": [
                    {
                        "name": "main",
                        "image": image,
                        **(SERVER if image == WEB else {}),
                    }
                ],
            },
        }
    )
    return c.get("pod", name)


@pytest.fixture
def c() -> Cluster:
    """Server `web` (agnhost on 8080) behind Service `web` (80 → 8080) on kind-worker; a client
    beside it and one on kind-worker2."""
    cluster = Cluster()
    _pod(cluster, "web", "kind-worker", "app=web", WEB)
    _pod(cluster, "near", "kind-worker", "role=client")
    _pod(cluster, "far", "kind-worker2", "role=client")
    cluster.kubectl("expose pod web --port=80 --target-port=8080")
    cluster.advance(30)
    return cluster


WEB_PODS = "{matchLabels: {app: web}}"
CLIENTS = "{podSelector: {matchLabels: {role: client}}}"


def _policy_hops(trace: object) -> list[Hop]:
    return [hop for hop in trace.hops if hop.stage == "policy"]  # type: ignore[attr-defined]


def test_no_policy_no_hook_and_nothing_changes(c: Cluster) -> None:
    # KNP queues only packets from or to pods a policy selects: none without policies
    t = c.trace("far", "web", 80, seed=1)
    assert t.verdict == "delivered"
    assert _policy_hops(t) == []
    assert t.policy is None


def test_deny_ingress_drops_after_the_dnat_silently(c: Cluster) -> None:
    # KNP: judged in postrouting (after kube-proxy's DNAT) on pod IP and targetPort; NfDrop
    c.kubectl(_policy("deny", "{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}"))
    t = c.trace("far", "web", 80, seed=1)
    stages = [hop.stage for hop in t.hops]
    dnat = next(i for i, hop in enumerate(t.hops) if hop.action.startswith("DNAT"))
    judged = stages.index("policy")
    assert dnat < judged
    hop = t.hops[judged]
    assert (hop.node, hop.table, hop.chain) == (
        "kind-worker",
        "inet kindnet-network-policies",
        "postrouting",
    )
    web_ip = c.get("pod", "web")["status"]["podIP"]
    assert hop.dst == f"{web_ip}:8080"
    assert "NetworkPolicy drops" in hop.action
    assert (
        "pod default/web is isolated for ingress by policy deny;"
        " no rule allows default/far on TCP 8080" in hop.action
    )
    assert t.verdict == "timeout"
    assert t.reason.startswith("dropped by NetworkPolicy on kind-worker (")
    assert t.policy is not None
    assert not t.policy.allowed
    assert t.backend_name == "default/web"
    assert [hop.action for hop in t.hops if hop.stage == "reply"] == ["no reply"]
    assert "deliver" not in stages


def test_queued_on_each_node_with_a_selected_local_pod(c: Cluster) -> None:
    # KNP: every node queues packets of its own selected pods and judges the whole verdict
    c.kubectl(
        _policy(
            "all", "{podSelector: {}, ingress: [{}], egress: [{}], policyTypes: [Ingress, Egress]}"
        )
    )
    t = c.trace("far", "web", 80, seed=1)
    assert t.verdict == "delivered"
    assert [(hop.node, hop.chain) for hop in _policy_hops(t)] == [
        ("kind-worker2", "postrouting"),
        ("kind-worker", "postrouting"),
    ]
    assert all("NetworkPolicy allows" in hop.action for hop in _policy_hops(t))


def test_only_the_node_of_a_selected_pod_judges(c: Cluster) -> None:
    c.kubectl(_policy("web-only", "{podSelector: {matchLabels: {app: web}}, ingress: [{}]}"))
    t = c.trace("far", "web", 80, seed=1)
    assert [hop.node for hop in _policy_hops(t)] == ["kind-worker"]


def test_allow_rule_names_rule_and_peer(c: Cluster) -> None:
    spec = f"{{podSelector: {WEB_PODS}, ingress: [{{from: [{CLIENTS}], ports: [{{port: http}}]}}]}}"
    c.kubectl(_policy("from-clients", spec))
    t = c.trace("far", "web", 80, seed=1)
    assert t.verdict == "delivered"
    assert t.policy is not None
    assert t.policy.allowed
    assert (
        t.policy.reasons[-1]
        == "policy from-clients ingress[0].from[0] matches default/far on TCP 8080"
    )


def test_label_change_changes_the_verdict_at_once(c: Cluster) -> None:
    spec = f"{{podSelector: {WEB_PODS}, ingress: [{{from: [{CLIENTS}]}}]}}"
    c.kubectl(_policy("from-clients", spec))
    assert c.trace("far", "web", 80, seed=1).verdict == "delivered"
    c.kubectl("label pod far role=other --overwrite")
    assert c.trace("far", "web", 80, seed=1).verdict == "timeout"
    c.kubectl("label pod far role=client --overwrite")
    assert c.trace("far", "web", 80, seed=1).verdict == "delivered"
    c.kubectl("delete networkpolicy from-clients")
    c.kubectl("label pod far role=other --overwrite")
    assert c.trace("far", "web", 80, seed=1).verdict == "delivered"


def test_pod_reaching_its_own_ip_is_loopback_but_its_service_is_judged(c: Cluster) -> None:
    # loopback never leaves the pod; a hairpin through the Service passes the node's hooks
    c.kubectl(_policy("deny", "{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}"))
    web_ip = c.get("pod", "web")["status"]["podIP"]
    assert c.trace("web", f"{web_ip}:8080", seed=1).verdict == "delivered"
    hairpin = c.trace("web", "web", 80, seed=1)
    assert hairpin.verdict == "timeout"
    assert (
        "pod default/web is isolated for ingress by policy deny; no rule allows default/web"
        in hairpin.reason
    )


def test_node_root_traffic_passes_on_its_own_node_not_from_another(c: Cluster) -> None:
    # KNP `meta skuid 0 accept` (kubelet probes) on the pod's own node; another node's packet
    # is forwarded, has no socket there, and is judged with no source pod (docs: "traffic from
    # the pod's node" is always allowed)
    c.kubectl(_policy("deny", "{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}"))
    web_ip = c.get("pod", "web")["status"]["podIP"]
    assert c.trace("kind-worker", f"{web_ip}:8080", seed=1).verdict == "delivered"
    from_other = c.trace("kind-worker2", f"{web_ip}:8080", seed=1)
    assert from_other.verdict == "timeout"
    worker2 = c.get("node", "kind-worker2")["status"]["addresses"][0]["address"]
    assert f"no rule allows {worker2} on TCP 8080" in from_other.reason


def test_node_port_masqueraded_then_judged_by_node_address(c: Cluster) -> None:
    # KNP hooks before masquerading (srcnat - 5), so the entry node judges the client's address
    # when the backend is local; a backend on another node sees the entry node's address
    c.kubectl("expose pod web --name=np --type=NodePort --port=80 --target-port=8080")
    client = "172.18.0.100"
    c.kubectl(
        _policy(
            "from-outside",
            f"{{podSelector: {WEB_PODS}, ingress: [{{from: [{{ipBlock: "
            f"{{cidr: {client}/32}}}}]}}]}}",
        )
    )
    port = c.get("svc", "np")["spec"]["ports"][0]["nodePort"]
    direct = c.trace(client, f"kind-worker:{port}", seed=1)
    assert direct.verdict == "delivered"
    via_other = c.trace(client, f"kind-worker2:{port}", seed=1)
    assert via_other.verdict == "timeout"
    assert "no rule allows" in via_other.reason


def test_egress_to_outside_judged_on_the_client_node_only(c: Cluster) -> None:
    c.kubectl(
        _policy("no-egress", "{podSelector: {matchLabels: {role: client}}, policyTypes: [Egress]}")
    )
    t = c.trace("far", "10.96.0.1:443", seed=1)
    assert t.verdict == "timeout"
    assert (
        "pod default/far is isolated for egress by policy no-egress; no rule allows traffic to"
        in t.reason
    )


def test_send_counts_blocked_connections_by_backend(c: Cluster) -> None:
    _pod(c, "web2", "kind-worker2", "app=web", WEB)
    c.advance(30)
    c.kubectl(_policy("deny", "{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}"))
    c.kubectl("label pod web2 app=web extra=yes")
    c.kubectl(_policy("allow-web2", "{podSelector: {matchLabels: {extra: 'yes'}}, ingress: [{}]}"))
    table = c.send("near", "web", n=200, seed=3)
    rows = {(row.pod, row.verdict): row.count for row in table.itertuples()}
    assert rows[("web", "timeout")] + rows[("web2", "delivered")] == 200
    assert rows[("web", "timeout")] > 50
    assert rows[("web2", "delivered")] > 50
    assert rows[("web", "delivered")] == 0


def test_curl_waits_and_times_out(c: Cluster) -> None:
    # curl lib/multi.c: `Connection timed out after N milliseconds` (28) with -m
    c.kubectl(_policy("deny", "{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}"))
    out = c.kubectl("exec far -- curl -sS -m 2 http://web")
    assert (
        str(out) == "curl: (28) Connection timed out after 2001 milliseconds\n"
        "command terminated with exit code 28"
    )


def test_wget_and_nc_wait_and_time_out(c: Cluster) -> None:
    # busybox networking/wget.c @ 1_36_1: -T's alarm around connect(), `download timed out`;
    # nc (OpenBSD netcat.c): `-w` ends the connect with "timed out: Operation in progress"
    _pod(c, "bb", "kind-worker2", "role=client", "busybox")
    c.kubectl(_policy("deny", "{podSelector: {matchLabels: {app: web}}, policyTypes: [Ingress]}"))
    assert str(c.kubectl("exec bb -- wget -q -T 2 -O- http://web")) == (
        "wget: download timed out\ncommand terminated with exit code 1"
    )
    web = c.get("svc", "web")["spec"]["clusterIP"]
    assert str(c.kubectl("exec far -- nc -zv -w 1 web 80")) == (
        f"nc: connect to web ({web}) port 80 (tcp) timed out: Operation in progress\n"
        "command terminated with exit code 1"
    )


DENY_EGRESS = "{podSelector: {matchLabels: {role: client}}, policyTypes: [Egress]}"


def test_dns_times_out_when_egress_is_denied(c: Cluster) -> None:
    # KNP `addDNSRacersWorkaroundRules`: UDP 53 judged in prerouting after the DNAT of kube-dns
    c.kubectl(_policy("no-egress", DENY_EGRESS))
    t = c.trace("far", "web", 80, seed=1)
    assert t.verdict == "dns-timeout"
    hop = _policy_hops(t)[0]
    assert hop.chain == "prerouting"
    assert hop.dst.endswith(":53")
    coredns = {p["status"]["podIP"] for p in c.list("pods", "kube-system", "k8s-app=kube-dns")}
    assert hop.dst.rsplit(":", 1)[0] in coredns
    assert "DNAT 10.96.0.10:53" in " ".join(h.action for h in t.hops)


def test_tools_when_dns_is_dropped(c: Cluster) -> None:
    # curl: `Could not resolve host` (6) after the resolver gives up, `Resolving timed out`
    # (28) with -m; BIND 9.18 nslookup: three tries (resconf.c attempts = 3), each
    # `communications error ... timed out`, then `no servers could be reached`, exit 1;
    # busybox nslookup: `;; connection timed out; no servers could be reached`, exit 1
    _pod(c, "bb", "kind-worker2", "role=client", "busybox")
    c.kubectl(_policy("no-egress", DENY_EGRESS))
    assert str(c.kubectl("exec far -- curl -sS http://web")) == (
        "curl: (6) Could not resolve host: web\ncommand terminated with exit code 6"
    )
    assert str(c.kubectl("exec far -- curl -sS -m 3 http://web")) == (
        "curl: (28) Resolving timed out after 3001 milliseconds\n"
        "command terminated with exit code 28"
    )
    timed_out = ";; communications error to 10.96.0.10#53: timed out\n"
    assert str(c.kubectl("exec far -- nslookup web")) == (
        timed_out * 3 + ";; no servers could be reached\n\ncommand terminated with exit code 1"
    )
    assert str(c.kubectl("exec bb -- nslookup web")) == (
        ";; connection timed out; no servers could be reached\n\n"
        "command terminated with exit code 1"
    )
    assert str(c.kubectl("exec bb -- wget -q -O- http://web")).startswith("wget: bad address 'web'")


def test_allowing_dns_egress_brings_names_back(c: Cluster) -> None:
    c.kubectl(_policy("no-egress", DENY_EGRESS))
    spec = (
        "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{namespaceSelector: "
        "{matchLabels: {kubernetes.io/metadata.name: kube-system}}, podSelector: {matchLabels: "
        "{k8s-app: kube-dns}}}], ports: [{protocol: UDP, port: 53}, {protocol: TCP, port: 53}]}]}"
    )
    c.kubectl(_policy("dns", spec))
    t = c.trace("far", "web", 80, seed=1)
    assert t.verdict == "timeout"  # the name resolves; the connection itself has no egress rule
    assert any(hop.stage == "dns" and "NOERROR" in hop.action for hop in t.hops)
    assert "Name:\tweb.default.svc.cluster.local" in str(c.kubectl("exec far -- nslookup web"))


def test_ip_block_of_the_cluster_ip_does_not_admit(c: Cluster) -> None:
    # docs/KNP: the verdict is on the pod IP after the DNAT, so a ClusterIP ipBlock never matches
    cluster_ip = c.get("svc", "web")["spec"]["clusterIP"]
    c.kubectl(_policy("no-egress", DENY_EGRESS))
    c.kubectl(
        _policy(
            "to-cluster-ip",
            "{podSelector: {}, policyTypes: [Egress], egress: [{to: [{ipBlock: "
            f"{{cidr: {cluster_ip}/32}}}}]}}]}}",
        )
    )
    assert c.trace("far", f"{cluster_ip}:80", seed=1).verdict == "timeout"


def test_host_network_destination_is_never_selected(c: Cluster) -> None:
    # KNP's pod index skips hostNetwork pods: they are node traffic, never a policy's subject
    c.kubectl(_policy("deny-all", "{podSelector: {}, policyTypes: [Ingress]}", "kube-system"))
    node_ip = c.get("node", "kind-worker")["status"]["addresses"][0]["address"]
    t = c.trace("near", f"{node_ip}:10250", seed=1)
    assert t.verdict == "delivered"
    assert _policy_hops(t) == []
