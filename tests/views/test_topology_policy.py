"""NetworkPolicy in the topology: isolated pods marked, `flows=` edges from the reachability
matrix, and not one byte of difference for a cluster without NetworkPolicies."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from kubenet_nb import Cluster
from kubenet_nb.views import Picture, topology
from kubenet_nb.views.topology.styles import CONNECTION_STYLES, ISOLATED_STYLE, POLICY
from tests.readiness_probes import create_deployment

SVG = "{http://www.w3.org/2000/svg}"
EDGE = re.compile(r'^"([^"]+)"(?::(\w+))? -> "([^"]+)"(?::(\w+))? \[(.*)\]$')
ISOLATED_ROW = "pod isolated by a NetworkPolicy"
FLOW_ROW = "NetworkPolicies let the pod open a new connection"


def policy(name: str, spec: str, namespace: str = "default") -> str:
    """A NetworkPolicy manifest (spec given as YAML flow text) for `kubectl apply -f -`."""
    return (
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        f"metadata:\n  name: {name}\n  namespace: {namespace}\nspec: {spec}\n"
    )


def apply(c: Cluster, name: str, spec: str, namespace: str = "default") -> None:
    assert "created" in c.kubectl("apply -f -\n" + policy(name, spec, namespace))


def shop(web: int = 2, db: int = 1) -> Cluster:
    """Deployments web (app=web) and db (app=db), nginx on port 80."""
    c = Cluster()
    create_deployment(c, f"web --image=nginx --replicas={web} --port=80")
    create_deployment(c, f"db --image=nginx --replicas={db} --port=80")
    return c


def pods(c: Cluster, selector: str) -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.list("pods", "default", selector))


def box(picture: Picture, node_id: str) -> str:
    """The DOT statement declaring a box."""
    (found,) = [
        s.strip() for s in picture.source.splitlines() if s.strip().startswith(f'"{node_id}" [')
    ]
    return found


def flow_edges(picture: Picture) -> list[tuple[str, str, str]]:
    """(tail, head, attributes) of each flow edge."""
    colour = CONNECTION_STYLES["flow"]["color"]
    found = []
    for statement in picture.source.splitlines():
        match = EDGE.match(statement.strip())
        if match and f'color="{colour}"' in match[5]:
            found.append((match[1], match[3], match[5]))
    return found


def legend(picture: Picture) -> str:
    return next((s for s in picture.source.splitlines() if s.strip().startswith("legend [")), "")


# -- isolation marks ------------------------------------------------------------------------


def test_a_pod_selected_by_an_ingress_policy_is_marked_isolated_for_ingress() -> None:
    c = shop()
    apply(c, "db-deny", "{podSelector: {matchLabels: {app: db}}}")
    picture = topology(c)
    (db,) = pods(c, "app=db")
    statement = box(picture, f"pod/default/{db}")
    assert f'<FONT POINT-SIZE="8" COLOR="{POLICY}">isolated: ingress</FONT>' in statement
    assert f"penwidth={ISOLATED_STYLE['penwidth']}" in statement
    for web in pods(c, "app=web"):
        assert "isolated" not in box(picture, f"pod/default/{web}")
        assert "penwidth" not in box(picture, f"pod/default/{web}")
    assert ISOLATED_ROW in legend(picture)


def test_egress_rules_without_policy_types_isolate_both_ways() -> None:
    # kubernetes/kubernetes pkg/apis/networking/v1/defaults.go @ v1.33.0
    # (SetDefaults_NetworkPolicy): policyTypes defaults to Ingress, plus Egress when there are
    # egress rules.
    c = shop()
    apply(c, "web-out", "{podSelector: {matchLabels: {app: web}}, egress: [{}]}")
    apply(c, "db-out", "{podSelector: {matchLabels: {app: db}}, policyTypes: [Egress]}")
    picture = topology(c)
    for web in pods(c, "app=web"):
        assert "isolated: ingress, egress</FONT>" in box(picture, f"pod/default/{web}")
    (db,) = pods(c, "app=db")
    assert "isolated: egress</FONT>" in box(picture, f"pod/default/{db}")


def test_host_network_pods_are_never_marked() -> None:
    # kubernetes-sigs/kube-network-policies pkg/networkpolicy/controller.go @ v0.8.0: the
    # podIPIndex leaves hostNetwork pods out, so no policy ever applies to them.
    c = Cluster()
    apply(c, "all", "{podSelector: {}, policyTypes: [Ingress, Egress]}", "kube-system")
    source = topology(c, "kube-system").source
    marked = [s for s in source.splitlines() if "isolated: ingress, egress" in s]
    host = [s for s in source.splitlines() if "(host network)" in s]
    assert host
    assert not any("(host network)" in s for s in marked)
    assert any("coredns" in s for s in marked)


def test_a_folded_box_says_how_many_of_its_pods_are_isolated() -> None:
    c = shop(web=10, db=1)
    first = pods(c, "app=web")[0]
    c.kubectl(f"label pod {first} locked=yes")
    apply(c, "locked", "{podSelector: {matchLabels: {locked: 'yes'}}}")
    picture = topology(c, fold_threshold=2)
    node = c.get("pod", first)["spec"]["nodeName"]
    replicaset = c.list("replicasets", selector="app=web")[0]["metadata"]["name"]
    folded = box(picture, f"pods/default/ReplicaSet/{replicaset}/{node}")
    on_node = [p for p in c.list("pods", selector="app=web") if p["spec"]["nodeName"] == node]
    assert f"isolated: ingress (1 of {len(on_node)})</FONT>" in folded
    assert "peripheries=2" in folded
    assert f"penwidth={ISOLATED_STYLE['penwidth']}" in folded


def test_deleting_the_policy_removes_the_mark() -> None:
    c = shop()
    before = topology(c).source
    apply(c, "deny", "{podSelector: {}}")
    assert topology(c).source != before
    c.kubectl("delete networkpolicy deny")
    assert topology(c).source == before


# -- no change without NetworkPolicies ------------------------------------------------------


def test_without_policies_no_mark_no_style_no_legend_row() -> None:
    c = shop(web=6, db=1)
    c.kubectl("expose deploy web --port=80 --type=NodePort")
    for picture in (
        topology(c),
        topology(c, system=True, fold_threshold=2),
        topology(c, containers=True, legend=False),
        topology(c, highlight=c.trace(f"default/{pods(c, 'app=db')[0]}", "web:80")),
    ):
        source = picture.source
        assert "isolated" not in source
        assert POLICY not in source
        assert f"penwidth={ISOLATED_STYLE['penwidth']}" not in "\n".join(
            s for s in source.splitlines() if s.strip().startswith('"pod') and " -> " not in s
        )
        assert ISOLATED_ROW not in source
        assert FLOW_ROW not in source
        assert flow_edges(picture) == []
        assert "flows" not in repr(picture)


def test_a_policy_selecting_no_drawn_pod_changes_nothing_drawn() -> None:
    # The picture of default is the same byte for byte whether or not another namespace has
    # policies: nothing is marked that is not isolated.
    c = shop()
    c.kubectl("create namespace other")
    before = topology(c, "default").source
    apply(c, "deny", "{podSelector: {}, policyTypes: [Ingress, Egress]}", "other")
    apply(c, "none", "{podSelector: {matchLabels: {app: nothing}}}")
    assert topology(c, "default").source == before


# -- flows ----------------------------------------------------------------------------------


def test_every_pair_allowed_draws_no_edge_and_says_so() -> None:
    c = shop()
    picture = topology(c, flows=80)
    assert flow_edges(picture) == []
    assert "every drawn pod may open a connection to every other" in picture.source
    assert repr(picture) == "<Topology: 3 nodes, 3 pods, 1 service; flows 80/TCP: 6 of 6 allowed>"
    assert FLOW_ROW not in legend(picture)


def test_default_deny_ingress_allows_no_pair() -> None:
    # kubernetes/kubernetes test/e2e/network/netpol/network_policy.go @ v1.33.0 "should
    # support a 'default-deny-ingress' policy": nothing reaches the namespace's pods.
    c = shop()
    apply(c, "default-deny-ingress", "{podSelector: {}}")
    picture = topology(c, flows=80)
    assert flow_edges(picture) == []
    assert "NetworkPolicies let no drawn pod connect to another" in picture.source
    assert repr(picture).endswith("; flows 80/TCP: 0 of 6 allowed>")


def test_one_edge_per_allowed_pair() -> None:
    c = shop()
    apply(c, "web-deny", "{podSelector: {matchLabels: {app: web}}}")
    apply(
        c,
        "db-from-web",
        "{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: "
        "{matchLabels: {app: web}}}]}]}",
    )
    picture = topology(c, flows=80)
    (db,) = pods(c, "app=db")
    webs = pods(c, "app=web")
    assert [(tail, head) for tail, head, _ in flow_edges(picture)] == [
        (f"pod/default/{web}", f"pod/default/{db}") for web in webs
    ]
    for _, _, attributes in flow_edges(picture):
        assert "constraint" not in attributes
        assert "label" not in attributes
    assert "2 of 6 connections between pods allowed" in picture.source
    assert FLOW_ROW in legend(picture)


def test_edges_follow_the_reachability_matrix_both_ways() -> None:
    c = shop(web=3, db=2)
    apply(
        c,
        "db-in",
        "{podSelector: {matchLabels: {app: db}}, ingress: [{from: [{podSelector: {}}]}]}",
    )
    apply(
        c,
        "web-out",
        "{podSelector: {matchLabels: {app: web}}, policyTypes: [Egress], "
        "egress: [{to: [{podSelector: {matchLabels: {app: db}}}]}]}",
    )
    picture = topology(c, flows=80, fold_threshold=None)
    drawn = {(tail, head) for tail, head, _ in flow_edges(picture)}
    matrix = c.reachability(80, "TCP", "default")
    expected = {
        (f"pod/{src}", f"pod/{dst}")
        for src in matrix.index
        for dst in matrix.columns
        if src != dst and matrix.at[src, dst]
    }
    assert drawn == expected
    assert 0 < len(drawn) < len(matrix) * (len(matrix) - 1)


def test_the_protocol_counts() -> None:
    c = shop()
    apply(c, "db-tcp", "{podSelector: {matchLabels: {app: db}}, ingress: [{ports: [{port: 80}]}]}")
    tcp, udp = topology(c, flows=80), topology(c, flows=80, flows_protocol="UDP")
    assert repr(tcp).endswith("; flows 80/TCP: 6 of 6 allowed>")
    assert repr(udp).endswith("; flows 80/UDP: 4 of 6 allowed>")  # protocol defaults to TCP
    assert len(flow_edges(udp)) == 4


def test_a_folded_box_stands_for_its_pods() -> None:
    c = shop(web=10, db=1)
    first = pods(c, "app=web")[0]
    c.kubectl(f"label pod {first} locked=yes")
    apply(c, "locked", "{podSelector: {matchLabels: {locked: 'yes'}}, policyTypes: [Egress]}")
    apply(c, "web-in", "{podSelector: {matchLabels: {app: web}}}")
    picture = topology(c, flows=80, fold_threshold=2)
    (db,) = pods(c, "app=db")
    replicaset = c.list("replicasets", selector="app=web")[0]["metadata"]["name"]
    node = c.get("pod", first)["spec"]["nodeName"]
    on_node = [p for p in c.list("pods", selector="app=web") if p["spec"]["nodeName"] == node]
    edges = {(tail, head): attrs for tail, head, attrs in flow_edges(picture)}
    locked_box = f"pods/default/ReplicaSet/{replicaset}/{node}"
    # Only db is reachable (web admits nothing); the locked pod reaches nothing.
    assert set(edges) == {
        (f"pods/default/ReplicaSet/{replicaset}/{n}", f"pod/default/{db}")
        for n in ("kind-worker", "kind-worker2")
    }
    n = len(on_node)
    assert f"label=<{n - 1} of {n}>" in edges[(locked_box, f"pod/default/{db}")]


def test_flows_siblings_in_a_folded_box_draw_a_loop() -> None:
    c = shop(web=10, db=0)
    apply(
        c,
        "web-in",
        "{podSelector: {matchLabels: {app: web}}, ingress: [{from: [{podSelector: {}}]}]}",
    )
    c.kubectl("create namespace other")
    create_deployment(c, "probe --image=nginx --replicas=1 --port=80 -n other")
    picture = topology(c, flows=80, fold_threshold=2)
    loops = [(tail, head) for tail, head, _ in flow_edges(picture) if tail == head]
    assert len(loops) == 2  # one per folded box: its pods reach each other
    assert all(tail.startswith("pods/default/ReplicaSet/") for tail, _ in loops)
    probe = f"pod/other/{c.list('pods', 'other')[0]['metadata']['name']}"
    # web admits only its own namespace: the probe reaches nothing, web reaches the probe.
    assert [tail for tail, _, _ in flow_edges(picture) if tail == probe] == []
    assert any(head == probe for _, head, _ in flow_edges(picture))


def test_pods_without_an_ip_are_left_out() -> None:
    c = shop(web=1, db=0)
    pending = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "nowhere"},
        "spec": {"nodeSelector": {"disk": "none"}, "containers": [{"name": "c", "image": "x"}]},
    }
    c.create(pending)
    picture = topology(c, flows=80)
    assert "fewer than two pods with an IP drawn" in picture.source
    assert repr(picture).endswith("; flows 80/TCP: 0 of 0 allowed>")


@pytest.mark.parametrize(
    ("port", "protocol", "message"),
    [
        (0, "TCP", "flows takes a port number from 1 to 65535, not 0"),
        (65536, "TCP", "flows takes a port number from 1 to 65535, not 65536"),
        ("80", "TCP", "flows takes a port number from 1 to 65535, not '80'"),
        (True, "TCP", "flows takes a port number from 1 to 65535, not True"),
        (80, "ICMP", "flows_protocol is one of TCP, UDP, SCTP, not 'ICMP'"),
        (80, "tcp", "flows_protocol is one of TCP, UDP, SCTP, not 'tcp'"),
    ],
)
def test_flows_takes_a_port_and_a_protocol(port: object, protocol: object, message: str) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        topology(Cluster(), flows=port, flows_protocol=protocol)  # type: ignore[arg-type]


def test_the_cluster_method_takes_the_options() -> None:
    c = shop()
    apply(c, "deny", "{podSelector: {}}")
    assert c.topology(flows=80).source == topology(c, flows=80).source
    assert "isolated: ingress" in c.topology().source


def test_same_cluster_same_flows() -> None:
    def build() -> str:
        c = shop(web=4, db=2)
        apply(
            c,
            "db-from-web",
            "{podSelector: {matchLabels: {app: db}}, ingress: [{from: "
            "[{podSelector: {matchLabels: {app: web}}}]}]}",
        )
        return topology(c, flows=80, fold_threshold=None).source

    assert build() == build()


# -- hostile text ---------------------------------------------------------------------------

EVIL = "<script>alert(\"x\")</script> {a:b} \\N 'q'\nsecond &amp;"


class HandBuilt:
    """A stand-in cluster serving objects the API would refuse (names, labels, namespaces)."""

    def __init__(self, objects: dict[str, list[dict]]) -> None:
        self.objects = objects
        self.settings = type("Settings", (), {"cluster_domain": "cluster.local"})()

    def list(self, kind: str, namespace: str | None = None, selector: str | None = None) -> list:
        return [dict(o) for o in self.objects.get(kind, [])]


def hostile() -> HandBuilt:
    namespace, node = "ns:<b>", "node:<i>1</i>"

    def pod(name: str, ip: str, labels: dict) -> dict:
        return {
            "metadata": {"namespace": namespace, "name": name, "labels": labels},
            "spec": {"nodeName": node, "containers": [{"name": EVIL, "image": EVIL}]},
            "status": {"podIP": ip, "conditions": [{"type": "Ready", "status": "True"}]},
        }

    evil_policy = {
        "metadata": {"namespace": namespace, "name": EVIL},
        "spec": {
            "podSelector": {"matchExpressions": [{"key": "target", "operator": "Exists"}]},
            "policyTypes": ["Ingress", "Egress"],
            "ingress": [{"from": [{"podSelector": {}}]}],
        },
    }
    node_obj = {
        "metadata": {"name": node, "labels": {}},
        "spec": {"podCIDR": "10.244.1.0/24"},
        "status": {
            "addresses": [{"type": "InternalIP", "address": "172.18.0.3"}],
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }
    return HandBuilt(
        {
            "nodes": [node_obj],
            "pods": [
                pod('a"{x}\\N', "10.244.1.5", {"target": EVIL, "app": EVIL}),
                pod("b<i>", "10.244.1.6", {"app": EVIL}),
                pod("c]", "10.244.1.7", {}),
            ],
            "networkpolicies": [evil_policy],
            "namespaces": [{"metadata": {"name": namespace, "labels": {"x": EVIL}}}],
        }
    )


@pytest.mark.exe
def test_hostile_names_and_labels_stay_literal_around_the_marks_and_flows() -> None:
    picture = topology(hostile(), flows=80)  # type: ignore[arg-type]
    # a is isolated both ways and admits b and c; a reaches nobody.
    assert repr(picture).endswith("; flows 80/TCP: 4 of 6 allowed>")
    for statement in picture.source.splitlines():
        match = EDGE.match(statement.strip())
        if match:
            assert ":" not in match[1] + match[3]
    svg = picture.svg()
    assert svg is not None
    assert "<script" not in svg
    root = ET.fromstring(svg)
    shown = "\n".join((t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text"))
    assert 'ns:<b>/a"{x}\\N' in shown
    assert "isolated: ingress, egress" in shown
    assert f"app={EVIL.splitlines()[0]}" in shown
    assert EVIL.splitlines()[0] not in picture.source  # no raw markup anywhere
    assert len(flow_edges(picture)) == 4


def test_flows_across_nodes_and_namespaces_render() -> None:
    # Graphviz 2.43 never finished laying out this picture while the flow edges carried
    # `constraint=false` (three isolated pods on two nodes, two open ones beside them)
    c = Cluster(seed=14)
    for ns in ("shop", "other"):
        c.kubectl(f"create namespace {ns}")
    for app in ("frontend", "backend", "db"):
        c.kubectl(f"create deployment {app} -n shop --image=nginx --port=8080")
    for name in ("client", "bot"):
        c.kubectl(f"run {name} -n other --image=nicolaka/netshoot -- sleep infinity")
    c.apply(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n"
        "metadata: {name: deny, namespace: shop}\nspec: {podSelector: {}, policyTypes: [Ingress]}\n"
    )
    picture = c.topology(flows=8080)
    assert "8 of 20 connections between pods allowed" in picture.source
    svg = picture.svg()
    assert svg is not None
    assert svg.count('class="edge"') >= 7
