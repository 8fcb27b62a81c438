"""`topology`: what the picture of a cluster shows, in its DOT source and its SVG."""

from __future__ import annotations

import re
import statistics
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kubenet_nb import Cluster
from kubenet_nb.views import Picture, topology
from kubenet_nb.views.dot import TIMES
from kubenet_nb.views.topology import CAPTION_WIDTH
from kubenet_nb.views.topology.styles import CONNECTION_STYLES, FAILED, HIGHLIGHT, POD_STYLES
from tests.readiness_probes import create_deployment

SVG = "{http://www.w3.org/2000/svg}"
DATA = Path(__file__).parent / "data"
EDGE = re.compile(r'^"([^"]+)"(?::(\w+))? -> "([^"]+)"(?::(\w+))? \[')


def pod_names(c: Cluster, selector: str, namespace: str | None = "default") -> list[str]:
    return sorted(p["metadata"]["name"] for p in c.list("pods", namespace, selector))


def pod_ip(c: Cluster, name: str, namespace: str = "default") -> str:
    return c.get("pod", name, namespace)["status"]["podIP"]


def line(picture: Picture, node_id: str) -> str:
    """The DOT statement that declares a box."""
    (found,) = [
        s.strip() for s in picture.source.splitlines() if s.strip().startswith(f'"{node_id}" [')
    ]
    return found


def edges(picture: Picture, tail: str = "", head: str = "") -> list[str]:
    """The edge statements from `tail` / to `head` (box IDs, ports ignored)."""
    found = []
    for statement in picture.source.splitlines():
        match = EDGE.match(statement.strip())
        if match and tail in ("", match[1]) and head in ("", match[3]):
            found.append(statement.strip())
    return found


def styled(kind: str) -> str:
    style = CONNECTION_STYLES[kind]
    return f'color="{style["color"]}" fontcolor="{style["color"]}" style={style["style"]}'


def svg_texts(picture: Picture) -> str:
    svg = picture.svg()
    assert svg is not None
    root = ET.fromstring(svg)
    return "\n".join((t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text"))


def web(replicas: int = 2, kind: str = "ClusterIP", port: int = 80, target: int = 8080) -> Cluster:
    """A cluster with Deployment web (app=web, nginx, with a readinessProbe `set_ready` can
    fail) and a Service web of the given type; traces need target 80, where nginx listens."""
    c = Cluster()
    probe = {"httpGet": {"path": "/", "port": 80}}  # where nginx listens, whatever the target
    create_deployment(c, f"web --image=nginx --replicas={replicas} --port={target}", probe)
    c.kubectl(f"expose deploy web --port={port} --target-port={target} --type={kind}")
    return c


# -- the whole picture ------------------------------------------------------------------------


def test_a_new_cluster_pinned() -> None:
    # kind: the default/kubernetes Service's endpoint is the API server on the control plane's
    # address, port 6443 (kind's kubeadm config; kubernetes/kubernetes pkg/controlplane).
    picture = topology(Cluster(workers=1), legend=False)
    assert picture.source == (DATA / "topology_new_cluster.dot").read_text(encoding="utf-8")
    assert repr(picture) == "<Topology: 2 nodes, 0 pods, 1 service>"


def test_summary_counts_what_is_drawn() -> None:
    c = web(replicas=3)
    assert repr(topology(c)) == "<Topology: 3 nodes, 3 pods, 2 services>"
    assert repr(topology(c, system=True)) == "<Topology: 3 nodes, 16 pods, 3 services>"


def test_nodes_are_boxes_with_name_ip_and_pod_cidr() -> None:
    source = topology(Cluster()).source
    assert 'subgraph "cluster_node/kind-worker2" {' in source
    assert "<B>kind-worker2</B>" in source
    assert "node IP 172.18.0.4 · pod CIDR 10.244.2.0/24" in source


def test_a_cordoned_node_says_so() -> None:
    c = Cluster()
    c.kubectl("cordon kind-worker")
    assert "SchedulingDisabled" in topology(c).source


def test_pods_show_name_ip_labels_and_readiness() -> None:
    c = web()
    name = pod_names(c, "app=web")[0]
    statement = line(topology(c), f"pod/default/{name}")
    assert f"<B>{name}</B>" in statement
    assert f"{pod_ip(c, name)} · ready" in statement
    assert "app=web" in statement
    assert "pod-template-hash" not in statement
    style = POD_STYLES["ready"]
    assert f'color="{style["color"]}" fillcolor="{style["fillcolor"]}"' in statement


def test_not_ready_and_terminating_pods_look_different() -> None:
    c = web(replicas=3)
    first, second, _ = pod_names(c, "app=web")
    c.set_ready(first, False)
    c.delete("pod", second)
    picture = topology(c)
    for name, state in ((first, "not ready"), (second, "terminating")):
        style = POD_STYLES[state]
        statement = line(picture, f"pod/default/{name}")
        assert f" · {state}</TD>" in statement
        assert f'fillcolor="{style["fillcolor"]}"' in statement
        assert f'style="{style["style"]}"' in statement


def test_unscheduled_pods_sit_apart() -> None:
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "stuck"},
            "spec": {"nodeSelector": {"disk": "ssd"}, "containers": [{"name": "c", "image": "x"}]},
        }
    )
    source = topology(c).source
    assert "subgraph cluster_unscheduled {" in source
    assert "no IP · pending" in source


def test_containers_and_ports_when_asked() -> None:
    c = web()
    name = pod_names(c, "app=web")[0]
    assert "nginx" not in line(topology(c), f"pod/default/{name}")
    statement = line(topology(c, containers=True), f"pod/default/{name}")
    assert "▸ nginx: nginx" in statement
    assert "port 8080/TCP" in statement


# -- Services -------------------------------------------------------------------------------


def test_a_service_is_a_virtual_ip_box_with_edges_to_its_endpoints() -> None:
    c = web()
    picture = topology(c)
    ip = c.get("svc", "web")["spec"]["clusterIP"]
    statement = line(picture, "svc/default/web")
    for words in ("<B>svc web</B>", f"ClusterIP {ip}", "80 → 8080", "selector app=web"):
        assert words in statement
    assert edges(picture, "svc/default/web") == [
        f'"svc/default/web" -> "pod/default/{name}" [label=<80 → 8080> {styled("ready")}]'
        for name in sorted(pod_names(c, "app=web"), key=lambda n: pod_ip(c, n).split("."))
    ]


def test_not_ready_and_terminating_endpoints_are_drawn_differently() -> None:
    c = web(replicas=3)
    first, second, _ = pod_names(c, "app=web")
    c.set_ready(first, False)
    c.delete("pod", second)
    picture = topology(c)
    (not_ready,) = edges(picture, "svc/default/web", f"pod/default/{first}")
    (terminating,) = edges(picture, "svc/default/web", f"pod/default/{second}")
    assert styled("not ready") in not_ready
    # EndpointSlice: a terminating pod stays as ready=false, serving=true, terminating=true
    # (kubernetes/kubernetes pkg/controller/endpointslice, KEP-1672).
    assert styled("terminating") in terminating


def test_named_and_udp_ports_are_mapped_by_name() -> None:
    picture = topology(Cluster(), namespace="kube-system")
    coredns = edges(picture, "svc/kube-system/kube-dns")
    assert len(coredns) == 2
    # kubeadm's kube-dns Service: dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP.
    assert all("label=<53/UDP → 53<BR/>53 → 53<BR/>9153 → 9153>" in e for e in coredns)


def test_node_ports_enter_on_every_node() -> None:
    c = web(kind="NodePort")
    nodeport = c.get("svc", "web")["spec"]["ports"][0]["nodePort"]
    picture = topology(c)
    for node in ("kind-control-plane", "kind-worker", "kind-worker2"):
        row = f'<TD ALIGN="LEFT" PORT="np_{nodeport}_tcp">:{nodeport}/TCP → web:80</TD>'
        assert row in line(picture, f"node/{node}")
        assert edges(picture, f"node/{node}", "svc/default/web") == [
            f'"node/{node}":np_{nodeport}_tcp -> "svc/default/web" '
            f'[color="#868e96" constraint=false fontcolor="#868e96" style=solid]'
        ]
        assert len(edges(picture, "outside/client", f"node/{node}")) == 1
    assert f"80 → 8080 · nodePort {nodeport}" in line(picture, "svc/default/web")


def test_a_load_balancer_sends_to_the_nodes_it_may_use() -> None:
    c = web(kind="LoadBalancer")
    ingress = c.get("svc", "web")["status"]["loadBalancer"]["ingress"][0]["ip"]
    picture = topology(c)
    assert ingress in line(picture, "lb/default/web")
    assert f"external IP {ingress}" in line(picture, "svc/default/web")
    assert len(edges(picture, "outside/client", "lb/default/web")) == 1
    # kind labels its control plane node.kubernetes.io/exclude-from-external-load-balancers.
    targets = [EDGE.match(e)[3] for e in edges(picture, "lb/default/web")]
    assert targets == ["node/kind-worker", "node/kind-worker2"]


def test_a_pending_load_balancer_has_no_external_ip_yet() -> None:
    c = Cluster(load_balancer_pool="172.18.255.200-172.18.255.200")
    c.kubectl("create deployment a --image=nginx")
    c.kubectl("expose deploy a --port=80 --type=LoadBalancer")
    c.kubectl("expose deploy a --port=80 --type=LoadBalancer --name=b")
    picture = topology(c)
    assert "external IP &lt;pending&gt;" in line(picture, "svc/default/b")
    assert not edges(picture, "lb/default/b")


def test_external_traffic_policy_local_only_reaches_local_pods() -> None:
    c = web(replicas=1, kind="LoadBalancer")
    service = c.get("svc", "web")
    service["spec"]["externalTrafficPolicy"] = "Local"
    c.update(service)
    nodeport = service["spec"]["ports"][0]["nodePort"]
    (name,) = pod_names(c, "app=web")
    home = c.get("pod", name)["spec"]["nodeName"]
    away = "kind-worker2" if home == "kind-worker" else "kind-worker"
    picture = topology(c)
    statement = line(picture, "svc/default/web")
    assert 'color="#862e9c"' in statement
    assert "externalTrafficPolicy Local:" in statement
    assert edges(picture, f"node/{home}", f"pod/default/{name}") == [
        f'"node/{home}":np_{nodeport}_tcp -> "pod/default/{name}" '
        f"[label=<{nodeport} → 8080> {styled('local')}]"
    ]
    assert not edges(picture, f"node/{away}")
    assert "no local endpoint: dropped" in line(picture, f"node/{away}")
    assert "no local endpoint" not in line(picture, f"node/{home}")
    # The load balancer's health check passes only where a ready local endpoint runs.
    assert [EDGE.match(e)[3] for e in edges(picture, "lb/default/web")] == [f"node/{home}"]


def test_a_headless_service_is_a_dns_name_pointing_at_pods() -> None:
    c = web()
    c.kubectl("expose deploy web --port=80 --target-port=8080 --cluster-ip=None --name=db")
    picture = topology(c)
    statement = line(picture, "svc/default/db")
    assert "headless (clusterIP: None)" in statement
    assert "DNS db.default.svc.cluster.local" in statement
    assert "shape=note" in statement
    answers = edges(picture, "svc/default/db")
    assert len(answers) == 2
    assert all(f"label=<A> {styled('dns')}" in e for e in answers)


def test_external_name_is_a_cname_to_an_outside_name() -> None:
    c = Cluster()
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "search"},
            "spec": {"type": "ExternalName", "externalName": "www.example.com"},
        }
    )
    picture = topology(c)
    assert "ExternalName → www.example.com" in line(picture, "svc/default/search")
    assert edges(picture, "svc/default/search") == [
        f'"svc/default/search" -> "name/www.example.com" [label=<CNAME> {styled("dns")}]'
    ]
    assert 'www.example.com</TD></TR><TR><TD ALIGN="LEFT">outside the cluster' in line(
        picture, "name/www.example.com"
    )


def legend_rows(picture: Picture) -> list[str]:
    """The words of each legend row, in order ([] without a legend)."""
    found = [s for s in picture.source.splitlines() if s.strip().startswith("legend [")]
    if not found:
        return []
    return re.findall(r'<TD ALIGN="LEFT">([^<]*)</TD></TR>', found[0])


def test_the_legend_lists_only_what_the_picture_shows() -> None:
    c = Cluster()
    # default holds Service kubernetes, whose endpoint is the API server on a node.
    assert legend_rows(topology(c, "default")) == [
        "Service: virtual IP (ClusterIP) and ports",
        "Service → ready endpoint (port → target port)",
    ]
    c.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    c.kubectl("expose deploy web --port=80 --type=NodePort")
    c.kubectl("create deployment stuck --image=nginx")
    unschedulable = '{"spec":{"template":{"spec":{"nodeSelector":{"x":"y"}}}}}'
    c.kubectl(f"patch deploy stuck -p '{unschedulable}'")
    pod = pod_names(c, "app=web")[0]
    rows = legend_rows(topology(c, "default", c.trace(f"default/{pod}", "web:80")))
    assert rows == [
        "pod: ready",
        "pod: not scheduled / no IP",
        "Service: virtual IP (ClusterIP) and ports",
        "Service → ready endpoint (port → target port)",
        "node port → Service (externalTrafficPolicy Cluster)",
        "the traced connection (DNAT, SNAT marked)",
    ]
    assert legend_rows(topology(c, "default", legend=False)) == []
    assert "cluster_legend" not in topology(c, legend=False).source


def test_a_highlighted_box_keeps_its_legend_row() -> None:
    c = Cluster()
    picture = topology(c, "default", c.trace("kind-worker", "10.96.0.1:443"))
    assert "Service: virtual IP (ClusterIP) and ports" in legend_rows(picture)
    assert HIGHLIGHT in line(picture, "svc/default/kubernetes")


def test_a_picture_drawing_nothing_in_a_legend_style_has_no_legend() -> None:
    c = Cluster(workers=1)
    c.kubectl("delete service kubernetes")
    assert "cluster_legend" not in topology(c, "default").source


# -- folding and filters --------------------------------------------------------------------


def test_many_pods_of_one_replicaset_on_one_node_fold_into_one_box() -> None:
    c = web(replicas=10)
    picture = topology(c, fold_threshold=4)
    folded = [s.strip() for s in picture.source.splitlines() if s.strip().startswith('"pods/')]
    assert len(folded) == 2
    replicaset = c.list("replicasets")[0]["metadata"]["name"]
    assert f'"pods/default/ReplicaSet/{replicaset}/kind-worker" [' in picture.source
    assert f"<B>{replicaset} {TIMES}5</B>" in folded[0]
    assert "5 pods: 5 ready" in folded[0]
    assert "peripheries=2" in folded[0]
    assert all(f"label=<80 → 8080 {TIMES}5>" in e for e in edges(picture, "svc/default/web"))
    assert repr(picture) == "<Topology: 3 nodes, 10 pods, 2 services>"


def test_folding_starts_beyond_the_threshold() -> None:
    c = web(replicas=10)
    assert '"pods/' not in topology(c, fold_threshold=5).source
    assert '"pods/' not in topology(c, fold_threshold=None).source
    assert '"pods/' in topology(c, fold_threshold=4).source


def test_a_folded_box_counts_each_state() -> None:
    c = web(replicas=10)
    on_worker = [
        n for n in pod_names(c, "app=web") if c.get("pod", n)["spec"]["nodeName"] == "kind-worker"
    ]
    c.set_ready(on_worker[0], False)
    picture = topology(c, fold_threshold=4)
    assert "5 pods: 4 ready, 1 not ready" in picture.source
    worker = [e for e in edges(picture, "svc/default/web") if 'kind-worker"' in e]
    assert len(worker) == 2
    assert any(f"{TIMES}4" in e and styled("ready") in e for e in worker)
    assert any(TIMES not in e and styled("not ready") in e for e in worker)


def test_system_namespaces_are_hidden_unless_asked() -> None:
    c = Cluster()
    assert "coredns" not in topology(c).source
    assert "kube-dns" not in topology(c).source
    everything = topology(c, system=True).source
    assert "pod/kube-system/coredns-" in everything
    assert "svc/kube-system/kube-dns" in everything
    assert "pod/local-path-storage/local-path-provisioner-" in everything


def test_a_namespace_filter_shows_only_that_namespace() -> None:
    c = web()
    source = topology(c, namespace="kube-system").source
    assert "svc/kube-system/kube-dns" in source
    assert "svc/default/" not in source
    assert "pod/default/" not in source
    assert repr(topology(c, namespace="nowhere")) == "<Topology: 3 nodes, 0 pods, 0 services>"


def test_a_selector_keeps_matching_pods_and_their_services() -> None:
    c = web()
    c.kubectl("create deployment other --image=nginx --port=80")
    c.kubectl("expose deploy other --port=80")
    picture = topology(c, selector="app=web")
    assert repr(picture) == "<Topology: 3 nodes, 2 pods, 1 service>"
    assert "svc/default/web" in picture.source
    assert "other" not in picture.source
    assert "svc/default/kubernetes" not in picture.source


# -- a traced connection --------------------------------------------------------------------


def traced(picture: Picture) -> list[str]:
    return [e for e in edges(picture) if "penwidth=2.5" in e]


def test_a_trace_from_a_pod_through_a_cluster_ip() -> None:
    c = web(target=80)
    c.kubectl("run client --image=busybox")
    trace = c.trace("client", "web:80", seed=1)
    assert trace.verdict == "delivered"
    backend = trace.backend["metadata"]["name"]
    dnat = next(h for h in trace.hops if h.action.startswith("DNAT"))
    ip = c.get("svc", "web")["spec"]["clusterIP"]
    picture = topology(c, highlight=trace)
    assert traced(picture) == [
        f'"pod/default/client" -> "svc/default/web" [label=<1. to {ip}:80> color="{HIGHLIGHT}" '
        f'constraint=false fontcolor="{HIGHLIGHT}" penwidth=2.5 style=bold]',
        f'"svc/default/web" -> "pod/default/{backend}" '
        f"[label=<2. DNAT on {dnat.node} → {trace.endpoint}> "
        f'color="{HIGHLIGHT}" constraint=false fontcolor="{HIGHLIGHT}" penwidth=2.5 style=bold]',
    ]
    for box in ("pod/default/client", "svc/default/web", f"pod/default/{backend}"):
        assert f'color="{HIGHLIGHT}"' in line(picture, box)
        assert "penwidth=3" in line(picture, box)
    assert "trace pod default/client" in picture.source
    assert repr(picture) == "<Topology: 3 nodes, 3 pods, 2 services; trace delivered>"


def test_a_trace_from_outside_through_a_load_balancer_marks_the_snat() -> None:
    c = web(kind="LoadBalancer", target=80)
    ingress = c.get("svc", "web")["status"]["loadBalancer"]["ingress"][0]["ip"]
    trace = c.trace("203.0.113.7", f"{ingress}:80", seed=1)
    assert trace.verdict == "delivered"
    picture = topology(c, highlight=trace)
    labels = [re.search(r"label=<(.*?)> color=", e)[1] for e in traced(picture)]
    # externalTrafficPolicy Cluster: the node masquerades (KUBE-MARK-MASQ in KUBE-EXT-*), so the
    # pod sees the node's address, not the client's (kubernetes/kubernetes pkg/proxy/iptables).
    assert labels == [
        f"1. to {ingress}:80",
        f"2. sent to node {trace.entry_node}",
        "3. kube-proxy&#x27;s rules",
        f"4. DNAT on {trace.entry_node} → {trace.endpoint}"
        f"<BR/>SNAT: the backend sees source {trace.source_seen}",
    ]
    assert "external client 203.0.113.7" in line(picture, "outside/client")


def test_a_trace_to_a_local_node_port_keeps_the_client_address() -> None:
    c = web(replicas=1, kind="NodePort", target=80)
    service = c.get("svc", "web")
    service["spec"]["externalTrafficPolicy"] = "Local"
    c.update(service)
    nodeport = service["spec"]["ports"][0]["nodePort"]
    (name,) = pod_names(c, "app=web")
    home = c.get("pod", name)["spec"]["nodeName"]
    node_ip = "172.18.0.3" if home == "kind-worker" else "172.18.0.4"
    trace = c.trace("203.0.113.7", f"{node_ip}:{nodeport}", seed=1)
    assert trace.source_seen == "203.0.113.7"
    picture = topology(c, highlight=trace, legend=False)
    paths = traced(picture)
    assert [EDGE.match(e).groups() for e in paths] == [
        ("outside/client", None, f"node/{home}", f"np_{nodeport}_tcp"),
        (f"node/{home}", f"np_{nodeport}_tcp", f"pod/default/{name}", None),
    ]
    assert "SNAT" not in picture.source


def test_a_trace_from_a_node_to_a_host_network_backend() -> None:
    c = Cluster()
    trace = c.trace("kind-worker", "10.96.0.1:443", seed=1)
    picture = topology(c, highlight=trace, legend=False)
    assert [EDGE.match(e).groups() for e in traced(picture)] == [
        ("node/kind-worker", "ip", "svc/default/kubernetes", None),
        ("svc/default/kubernetes", None, "pod/kube-system/kube-apiserver-kind-control-plane", None),
    ]
    statement = line(picture, "pod/kube-system/kube-apiserver-kind-control-plane")
    assert "172.18.0.2 (host network) · ready" in statement


def test_a_refused_trace_is_drawn_in_red() -> None:
    c = Cluster()
    c.kubectl("run client --image=busybox")
    c.apply(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "empty"},
            "spec": {"selector": {"app": "none"}, "ports": [{"port": 80}]},
        }
    )
    trace = c.trace("client", "empty:80", seed=1)
    assert trace.verdict == "refused"
    picture = topology(c, highlight=trace)
    (path,) = traced(picture)
    assert f'color="{FAILED}"' in path
    assert "refused" in picture.source
    assert repr(picture).endswith("; trace refused>")


def test_the_pods_of_a_trace_are_shown_and_never_folded() -> None:
    c = web(replicas=10, target=80)
    c.kubectl("run client --image=busybox")
    trace = c.trace("client", "kube-dns.kube-system:53", protocol="UDP", seed=1)
    backend = trace.backend["metadata"]["name"]
    picture = topology(c, highlight=trace, selector="run=client")
    assert f'"pod/kube-system/{backend}" [' in picture.source
    assert "svc/kube-system/kube-dns" in picture.source
    trace = c.trace("client", "web:80", seed=2)
    backend = trace.backend["metadata"]["name"]
    picture = topology(c, highlight=trace, fold_threshold=2)
    assert f'"pod/default/{backend}" [' in picture.source
    assert '"pods/default/ReplicaSet/' in picture.source


def test_a_trace_that_outlived_its_pods_still_draws() -> None:
    c = web(target=80)
    c.kubectl("run client --image=busybox")
    trace = c.trace("client", "web:80", seed=1)
    c.delete("pod", "client", grace_period=0)
    c.advance(1)
    picture = topology(c, highlight=trace)
    gone = f"missing/gone/{trace.hops[0].src}"
    assert f'{trace.hops[0].src}</TD></TR><TR><TD ALIGN="LEFT">not in the picture' in line(
        picture, gone
    )
    assert EDGE.match(traced(picture)[0])[1] == gone


def test_highlight_takes_a_trace() -> None:
    with pytest.raises(TypeError, match="highlight takes a Trace"):
        topology(Cluster(), highlight="web:80")  # type: ignore[arg-type]


# -- determinism, read-only, rendering --------------------------------------------------------


def busy(seed: int) -> Cluster:
    c = Cluster(seed=seed)
    c.kubectl("create deployment web --image=nginx --replicas=5 --port=80")
    c.kubectl("expose deploy web --port=80 --type=NodePort")
    c.kubectl("create deployment db --image=postgres --replicas=2 --port=5432")
    c.kubectl("expose deploy db --port=5432 --cluster-ip=None")
    return c


def test_same_seed_same_picture() -> None:
    assert topology(busy(3)).source == topology(busy(3)).source
    assert topology(busy(3)).source != topology(busy(4)).source


@pytest.mark.exe
def test_same_seed_same_svg() -> None:
    assert topology(busy(3)).svg() == topology(busy(3)).svg()


def test_drawing_changes_nothing() -> None:
    drawn, untouched = busy(5), busy(5)
    trace = drawn.trace("kind-worker", "10.96.0.1:443", seed=1)
    untouched.trace("kind-worker", "10.96.0.1:443", seed=1)
    topology(drawn, highlight=trace, system=True, containers=True)
    for c in (drawn, untouched):
        c.kubectl("create deployment after --image=nginx --replicas=2")
    assert drawn.kubectl("get all -A -o wide") == untouched.kubectl("get all -A -o wide")


@pytest.mark.exe
def test_the_svg_is_well_formed_and_shows_the_cluster() -> None:
    c = busy(1)
    shown = svg_texts(topology(c, containers=True))
    for words in ("kind-worker2", "svc web", "headless (clusterIP: None)", "▸ nginx: nginx"):
        assert words in shown


@pytest.mark.exe
def test_thirty_pods_draw_quickly() -> None:
    c = Cluster()
    for name in ("web", "api", "db"):
        c.kubectl(f"create deployment {name} --image=nginx --replicas=10 --port=80")
        c.kubectl(f"expose deploy {name} --port=80 --type=NodePort")
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        assert topology(c, fold_threshold=None).svg() is not None
        timings.append(time.perf_counter() - start)
    # The aim is well under 150 ms with dot; the bound leaves room for a slow CI machine.
    assert statistics.median(timings) < 0.5


def test_without_dot_the_picture_falls_back_to_its_source(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    bundle = topology(Cluster())._repr_mimebundle_()
    assert "sudo apt-get install graphviz" in bundle["text/html"]
    assert "&quot;svc/default/kubernetes&quot;" in bundle["text/html"]
    assert bundle["text/plain"].startswith("<Topology: 3 nodes, 0 pods, 1 service>\n")


def test_a_traced_paths_caption_wraps_instead_of_widening_the_picture() -> None:
    c = web(replicas=1, target=80)
    (pod,) = pod_names(c, "app=web")
    trace = c.trace(f"default/{pod}", "web:80")
    source = topology(c, highlight=trace).source
    (label,) = [s for s in source.splitlines() if s.startswith("\tlabel=")]
    lines = re.findall(r'<FONT COLOR="[^"]+">([^<]*)</FONT>', label)
    assert len(lines) > 1
    assert all(len(each) <= CAPTION_WIDTH for each in lines)
    caption = f"trace {trace.source} → {trace.destination}: {trace.summary()}"
    assert " ".join(lines) == caption
