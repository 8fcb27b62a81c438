"""The workbench driven headlessly: each button changes the cluster as a user's command would,
and the picture (DOT), the endpoints table and the log follow; refusals change nothing."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kubenet_nb import Cluster
from kubenet_nb.views.tables.endpoints import ENDPOINT_COLUMNS
from kubenet_nb.views.topology.styles import HIGHLIGHT, POD_STYLES
from kubenet_nb.views.workbench import Workbench
from kubenet_nb.views.workbench.display import PICTURE_HEIGHT, default_source, picture_html
from kubenet_nb.views.workbench.forms import OUTSIDE

KINDS = ("deployments", "replicasets", "pods", "services", "endpointslices", "nodes", "events")


def state(c: Cluster) -> dict[str, list[dict]]:
    """Every object the workbench could touch, in every namespace."""
    return {kind: c.list(kind, None) for kind in KINDS}


def last(wb: Workbench) -> object:
    """The newest log entry."""
    return wb.history.entries[0][0]


def deploy(wb: Workbench, name: str = "web", replicas: int = 3, port: int = 80) -> None:
    wb.deploy.name.value = name
    wb.deploy.replicas.value = replicas
    wb.deploy.port.value = port
    wb.deploy.create.click()


def expose(wb: Workbench, kind: str = "ClusterIP", **fields: object) -> None:
    wb.expose.type.value = kind
    for name, value in fields.items():
        getattr(wb.expose, name).value = value
    wb.expose.create.click()


def pods_of(c: Cluster, app: str = "web") -> list[str]:
    return [p["metadata"]["name"] for p in c.list("pods", selector=f"app={app}")]


@pytest.fixture
def wb() -> Workbench:
    return Workbench(Cluster())


@pytest.fixture
def web(wb: Workbench) -> Workbench:
    """A workbench whose cluster has deployment web (3 nginx pods on port 80) and Service web."""
    deploy(wb)
    expose(wb, target_port="80")
    return wb


def test_opens_on_the_cluster_as_it_is(wb: Workbench) -> None:
    assert repr(wb) == "Workbench(namespace='default')"
    assert wb._repr_mimebundle_()["text/plain"] == "Workbench(namespace='default')"
    assert '"node/kind-worker"' in wb.picture.source
    assert "<td>kubernetes</td>" in wb.table_view.value
    assert "Nothing done yet" in wb.log_view.value
    assert [value for _, value in wb.nodes.node.options] == [
        "kind-control-plane",
        "kind-worker",
        "kind-worker2",
    ]
    assert wb.tracer.source.options[-1][1] == OUTSIDE
    assert wb.pods.replicas.disabled


def test_create_deployment_runs_kubectl_and_draws_its_pods(wb: Workbench) -> None:
    deploy(wb, replicas=3)
    entry = last(wb)
    # What `kubectl create deployment web --image=nginx --replicas=3 --port=80 --dry-run=client
    # -o yaml` prints, with the readiness probe that "Fail readiness" makes fail, posted.
    posted = "$ kubectl create -f - <<EOF\napiVersion: apps/v1\nkind: Deployment\n"
    assert entry.says.startswith(posted)
    assert "        readinessProbe:\n          httpGet:\n            path: /\n" in entry.says
    assert entry.output == "deployment.apps/web created"
    template = wb.cluster.get("deployment", "web")["spec"]["template"]["spec"]
    assert template["containers"][0]["readinessProbe"]["httpGet"]["port"] == 80
    assert entry.error is None
    assert wb.cluster.get("deployment", "web")["spec"]["replicas"] == 3
    pods = pods_of(wb.cluster)
    assert len(pods) == 3
    for pod in pods:
        assert pod in wb.picture.source
    # The Events the controllers and the kubelet record, in the order they happened.
    reasons = [event["reason"] for event in entry.events]
    assert reasons[0] == "ScalingReplicaSet"
    assert reasons.count("SuccessfulCreate") == 3
    assert reasons.count("Scheduled") == 3
    assert "Scaled up replica set web-" in wb.log_view.value
    assert "<th>LAST SEEN</th>" in wb.log_view.value
    assert wb.pods.deployment.value == "web"
    assert wb.expose.deployment.value == "web"
    assert wb.pods.replicas.value == 3
    assert not wb.pods.replicas.disabled
    assert wb.tracer.source.value == f"default/{sorted(pods)[0]}"


def test_expose_posts_the_service_with_the_deployments_selector(wb: Workbench) -> None:
    deploy(wb)
    expose(wb, "NodePort", target_port="80", node_port=30080)
    entry = last(wb)
    assert entry.says.startswith("$ kubectl create -f - <<EOF\napiVersion: v1\nkind: Service\n")
    assert entry.output == "service/web created"
    spec = wb.cluster.get("service", "web")["spec"]
    assert spec["selector"] == {"app": "web"}
    assert spec["ports"][0]["nodePort"] == 30080
    assert spec["ports"][0]["targetPort"] == 80
    assert wb.cluster.get("service", "web")["metadata"]["labels"] == {"app": "web"}
    assert '"svc/default/web"' in wb.picture.source
    assert "30080" in wb.picture.source
    frame = wb.table[wb.table["service"] == "web"]
    assert sorted(frame["pod"]) == sorted(pods_of(wb.cluster))
    assert "endpoint added: default/web 80/TCP → " in wb.log_view.value
    assert "iptables on kind-control-plane, kind-worker, kind-worker2" in wb.log_view.value
    assert wb.tracer.target.value == "web:80"


@pytest.mark.parametrize(
    ("kind", "fields", "expected"),
    [
        ("ClusterIP", {}, {"type": "ClusterIP", "sessionAffinity": "None"}),
        ("LoadBalancer", {"policy": "Local"}, {"externalTrafficPolicy": "Local"}),
        ("headless", {}, {"clusterIP": "None", "type": "ClusterIP"}),
        ("NodePort", {"affinity": "ClientIP"}, {"sessionAffinity": "ClientIP"}),
        (
            "ExternalName",
            {"external_name": "db.example.com"},
            {"externalName": "db.example.com", "type": "ExternalName"},
        ),
    ],
)
def test_every_service_type(
    wb: Workbench, kind: str, fields: dict[str, object], expected: dict[str, str]
) -> None:
    deploy(wb)
    expose(wb, kind, **fields)
    assert last(wb).error is None
    spec = wb.cluster.get("service", "web")["spec"]
    assert {key: spec.get(key) for key in expected} == expected
    assert ("selector" in spec) is (kind != "ExternalName")
    assert "web" in set(wb.table["service"])


def test_slider_scales_and_choosing_a_deployment_only_moves_it(web: Workbench) -> None:
    web.pods.replicas.value = 5
    entry = last(web)
    assert entry.says == "$ kubectl scale deployment web --replicas=5"
    assert entry.output == "deployment.apps/web scaled"
    assert len(pods_of(web.cluster)) == 5
    assert len(web.table[web.table["service"] == "web"]) == 5
    assert "Scaled up replica set web-" in web.log_view.value
    assert sum(line.startswith("endpoint added") for line in entry.endpoints) == 2
    deploy(web, "db", replicas=1)
    assert web.pods.replicas.value == 1
    logged = len(web.history.entries)
    web.pods.deployment.value = "web"
    assert web.pods.replicas.value == 5
    assert len(web.history.entries) == logged


def test_readiness_flip_and_restore(web: Workbench) -> None:
    pod = sorted(pods_of(web.cluster))[0]
    web.pods.pod.value = pod
    web.pods.fail.click()
    assert last(web).says == f">>> c.set_ready({pod!r}, False)"
    row = web.table[web.table["pod"] == pod].iloc[0]
    assert not row["ready"]
    assert POD_STYLES["not ready"]["fillcolor"] in web.picture.source
    assert any("ready → not ready" in line for line in last(web).endpoints)
    assert any(label.startswith(f"{pod} · not ready · ") for label, _ in web.pods.pod.options)
    web.pods.restore.click()
    assert web.table[web.table["pod"] == pod].iloc[0]["ready"]
    assert any("not ready → ready" in line for line in last(web).endpoints)
    assert POD_STYLES["not ready"]["fillcolor"] not in _pod_lines(web.picture.source)


def _pod_lines(source: str) -> str:
    """The DOT lines of pod boxes (the legend draws every style too)."""
    return "\n".join(line for line in source.splitlines() if '"pod/' in line)


def test_delete_pod_is_replaced(web: Workbench) -> None:
    pod = sorted(pods_of(web.cluster))[0]
    web.pods.pod.value = pod
    web.pods.delete.click()
    assert last(web).says == f"$ kubectl delete pod {pod}"
    assert last(web).output == f'pod "{pod}" deleted'
    after = pods_of(web.cluster)
    assert pod not in after
    assert len(after) == 3
    assert pod not in web.picture.source
    assert pod not in set(web.table["pod"].dropna())
    assert any(line.startswith("endpoint removed") for line in last(web).endpoints)
    assert pod not in [value for _, value in web.pods.pod.options]


def test_cordon_uncordon_and_drain(web: Workbench) -> None:
    web.nodes.node.value = "kind-worker"
    web.nodes.cordon.click()
    assert last(web).output == "node/kind-worker cordoned"
    assert web.cluster.get("node", "kind-worker")["spec"]["unschedulable"] is True
    assert "SchedulingDisabled" in web.picture.source
    assert web.nodes.node.value == "kind-worker"
    web.nodes.uncordon.click()
    assert last(web).output == "node/kind-worker uncordoned"
    assert "SchedulingDisabled" not in web.picture.source
    web.nodes.drain.click()
    assert last(web).says == "$ kubectl drain kind-worker --ignore-daemonsets"
    assert last(web).output.endswith("node/kind-worker drained")
    nodes = {p["spec"]["nodeName"] for p in web.cluster.list("pods", selector="app=web")}
    assert nodes == {"kind-worker2"}
    assert set(web.table[web.table["service"] == "web"]["node"]) == {"kind-worker2"}


def test_drain_without_ignoring_daemonsets_shows_kubectls_refusal(web: Workbench) -> None:
    web.nodes.node.value = "kind-worker2"
    web.nodes.ignore_daemonsets.value = False
    web.nodes.drain.click()
    # drain.go: DaemonSet pods need --ignore-daemonsets; kubectl names them and stops.
    assert "cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore)" in (
        last(web).output
    )
    assert web.cluster.get("node", "kind-worker2")["spec"]["unschedulable"] is True


def test_trace_shows_the_hops_and_highlights_the_path(web: Workbench) -> None:
    web.tracer.trace.click()
    entry = last(web)
    pod = web.tracer.source.value
    assert entry.says == f">>> c.trace({pod!r}, 'web:80')"
    assert entry.output.startswith("delivered")
    assert web.highlight is not None
    assert "<th>stage</th>" in web.result_view.value
    assert HIGHLIGHT in web.picture.source
    assert "trace delivered" not in web.table_view.value
    web.pods.replicas.value = 4
    assert web.highlight is None
    assert web.result_view.value == ""
    assert HIGHLIGHT not in _pod_lines(web.picture.source)


def test_trace_from_an_outside_client_through_a_node_port(wb: Workbench) -> None:
    deploy(wb)
    expose(wb, "NodePort", target_port="80", node_port=30080)
    wb.tracer.source.value = OUTSIDE
    wb.tracer.via.value = "kind-worker"
    wb.tracer.target.value = "172.18.0.3:30080"
    wb.tracer.trace.click()
    assert last(wb).says == (">>> c.trace('172.18.0.1', '172.18.0.3:30080', via='kind-worker')")
    assert last(wb).output.startswith("delivered")
    assert wb.highlight is not None
    assert wb.highlight.entry_node == "kind-worker"


def test_send_shows_the_counts(web: Workbench) -> None:
    web.tracer.send.click()
    assert last(web).output == "100 of 100 delivered"
    assert "100 new connections from default/" in web.result_view.value
    assert "<th>count</th>" in web.result_view.value
    assert last(web).events == []


@pytest.mark.parametrize(
    ("fill", "message"),
    [
        (
            {"name": "1web", "type": "ClusterIP", "node_port": 0},
            # apimachinery validation.go DNS1035LabelErrMsg; Service names are DNS-1035 labels.
            'The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 '
            "label must consist of lower case alphanumeric characters or '-', start with an "
            "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
            "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
        ),
        (
            {"name": "other", "type": "NodePort", "node_port": 30080},
            # portallocator ErrAllocated.
            'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 30080: '
            "provided port is already allocated",
        ),
        (
            {"name": "other", "type": "NodePort", "node_port": 80},
            # portallocator ErrNotInRange, with the apiserver's default range.
            'The Service "other" is invalid: spec.ports[0].nodePort: Invalid value: 80: '
            "provided port is not in the valid range. The range of valid ports is 30000-32767",
        ),
    ],
)
def test_refused_services_show_the_api_servers_words_and_change_nothing(
    wb: Workbench, fill: dict[str, object], message: str
) -> None:
    deploy(wb)
    expose(wb, "NodePort", node_port=30080)
    before, picture, table = state(wb.cluster), wb.picture.source, wb.table_view.value
    for name, value in fill.items():
        getattr(wb.expose, name).value = value
    wb.expose.create.click()
    assert last(wb).error == message
    assert last(wb).events == []
    assert last(wb).endpoints == []
    assert last(wb).rules == []
    assert state(wb.cluster) == before
    assert (wb.picture.source, wb.table_view.value) == (picture, table)
    escaped = message.replace("&", "&amp;").replace('"', "&quot;").replace("'", "&#x27;")
    assert escaped in wb.status_view.value
    assert escaped in wb.log_view.value
    # The app keeps working.
    expose(wb, "ClusterIP", name="web2", node_port=0)
    assert last(wb).output == "service/web2 created"


def test_refused_deployment_name(wb: Workbench) -> None:
    before = state(wb.cluster)
    deploy(wb, "Web_1")
    # create_deployment.go wraps the server's error: "failed to create deployment: %v";
    # apimachinery validation.go DNS1123SubdomainErrorMsg.
    assert last(wb).error == (
        'error: failed to create deployment: Deployment.apps "Web_1" is invalid: metadata.name: '
        'Invalid value: "Web_1": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    )
    assert state(wb.cluster) == before
    assert wb.pods.deployment.options == ()


def test_errors_from_every_form_are_shown_not_raised(wb: Workbench) -> None:
    wb.deploy.name.value = ""
    wb.deploy.create.click()
    assert last(wb).error.startswith("error: exactly one NAME is required, got 0")
    wb.pods.fail.click()
    assert last(wb).error == 'Error from server (NotFound): pods "" not found'
    wb.tracer.target.value = "web:99999"
    wb.tracer.trace.click()
    assert last(wb).error == "invalid port '99999' in destination 'web:99999'"
    wb.tracer.send.click()
    assert last(wb).error == "invalid port '99999' in destination 'web:99999'"
    deploy(wb)
    assert last(wb).output == "deployment.apps/web created"


def test_refresh_logs_changes_made_outside_the_workbench(web: Workbench) -> None:
    web.cluster.kubectl("scale deployment web --replicas=4")
    web.refresh_button.click()
    assert last(web).says == "(read the cluster again)"
    assert any(e["reason"] == "ScalingReplicaSet" for e in last(web).events)
    assert len(web.table[web.table["service"] == "web"]) == 4
    assert web.pods.replicas.value == 4


def test_another_namespace(wb: Workbench) -> None:
    wb.cluster.kubectl("create namespace shop")
    shop = Workbench(wb.cluster, "shop")
    deploy(shop, "cart", replicas=1)
    assert "\n  namespace: shop\n" in last(shop).says  # the manifest posted into shop
    expose(shop)
    assert shop.cluster.get("service", "cart", "shop")["spec"]["selector"] == {"app": "cart"}
    assert set(shop.table["namespace"]) == {"shop"}
    pod = shop.pods.pod.value
    assert pod.startswith("cart-")
    shop.pods.fail.click()
    assert last(shop).says == f">>> c.set_ready({pod!r}, False, 'shop')"
    assert last(shop).error is None
    assert "default/web" not in shop.picture.source


def drive(seed: int) -> Workbench:
    bench = Workbench(Cluster(seed=seed))
    deploy(bench, replicas=4)
    expose(bench, "NodePort")
    bench.pods.replicas.value = 6
    bench.pods.pod.index = 2
    bench.pods.fail.click()
    bench.nodes.node.value = "kind-worker"
    bench.nodes.drain.click()
    bench.tracer.trace.click()
    bench.tracer.send.click()
    return bench


def test_same_seed_and_clicks_draw_the_same() -> None:
    one, two = drive(7), drive(7)
    assert one.picture.source == two.picture.source
    assert one.table_view.value == two.table_view.value
    assert one.log_view.value == two.log_view.value
    assert one.result_view.value == two.result_view.value


@pytest.mark.exe
def test_the_picture_is_the_rendered_svg(web: Workbench) -> None:
    svg = web.picture_view.value
    start, end = svg.index("<svg"), svg.rindex("</svg>") + len("</svg>")
    root = ET.fromstring(svg[start:end])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    before = svg
    web.pods.replicas.value = 1
    assert web.picture_view.value != before
    terminating = POD_STYLES["terminating"]["fillcolor"]
    assert _pod_lines(web.picture.source).count(terminating) == 2
    web.cluster.advance(60)  # past the grace period: the two pods are gone
    web.refresh_button.click()
    assert before.count("<title>pod/default/web") == 3
    assert web.picture_view.value.count("<title>pod/default/web") == 1


# -- what the app shows and where -----------------------------------------------------------


class FakePicture:
    """A picture whose SVG is given (no dot needed)."""

    source = "digraph {}"

    def svg(self) -> str | None:
        return '<?xml version="1.0"?>\n<svg width="600pt" height="400pt" viewBox="0 0 600 400"/>'

    def fallback_html(self) -> str:
        return "<pre>digraph {}</pre>"


def test_the_picture_is_scaled_to_fit_unless_asked_for_at_full_size() -> None:
    fitted = picture_html(FakePicture())
    assert fitted == (
        f'<div><svg style="max-width:100%;max-height:{PICTURE_HEIGHT};width:auto;height:auto"'
        ' width="600pt" height="400pt" viewBox="0 0 600 400"/></div>'
    )
    assert picture_html(FakePicture(), full_size=True) == (
        '<div><svg width="600pt" height="400pt" viewBox="0 0 600 400"/></div>'
    )


@pytest.mark.exe
def test_full_size_and_wide_redraw_without_touching_the_cluster(web: Workbench) -> None:
    logged, before = len(web.history.entries), state(web.cluster)
    web.full_size.value = True
    assert "max-height" not in web.picture_view.value
    web.full_size.value = False
    assert f"max-height:{PICTURE_HEIGHT}" in web.picture_view.value
    assert "<th>endpoint</th>" in web.table_view.value
    assert "<th>serving</th>" not in web.table_view.value
    web.wide.value = True
    assert "<th>serving</th>" in web.table_view.value
    assert "<th>endpoint_ip</th>" in web.table_view.value
    assert list(web.table.columns) == list(ENDPOINT_COLUMNS)  # what the log compares
    assert (len(web.history.entries), state(web.cluster)) == (logged, before)


def test_the_posted_manifest_is_folded_under_its_command(web: Workbench) -> None:
    status = web.status_view.value
    assert status.startswith("<pre><b>$ kubectl create -f - &lt;&lt;EOF</b></pre><details>")
    assert status.count("kind: Service") == 1
    assert "<summary>standard input: 15 lines</summary>" in status
    assert web.log_view.value.count("kind: Service") == 1


def test_trace_starts_from_a_ready_pod_until_the_user_picks(wb: Workbench) -> None:
    pending = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "a-pending"},
        "spec": {
            "nodeSelector": {"disk": "none-has-it"},
            "containers": [{"name": "app", "image": "nginx"}],
        },
    }
    wb.cluster.create(pending)
    deploy(wb)
    assert wb.tracer.source.options[0] == ("pod a-pending", "default/a-pending")
    assert wb.tracer.source.value == f"default/{sorted(pods_of(wb.cluster))[0]}"
    wb.tracer.source.value = "default/a-pending"  # the user's choice is kept
    wb.refresh_button.click()
    assert wb.tracer.source.value == "default/a-pending"


def test_default_source() -> None:
    def pod(name: str, ip: str | None) -> dict:
        status = {"podIP": ip, "conditions": [{"type": "Ready", "status": "True"}]} if ip else {}
        return {"metadata": {"name": name}, "spec": {"nodeName": "n"}, "status": status}

    assert default_source([pod("a", None), pod("b", "10.244.1.2")], "shop") == "shop/b"
    assert default_source([pod("a", None), pod("c", None)], "default") == "default/a"
    assert default_source([], "default") is None


def test_send_clears_the_last_traces_path(web: Workbench) -> None:
    web.tracer.trace.click()
    assert HIGHLIGHT in web.picture.source
    web.tracer.send.click()
    assert last(web).output == "100 of 100 delivered"
    assert web.highlight is None
    assert HIGHLIGHT not in web.picture.source
    assert "<th>count</th>" in web.result_view.value
    # A refused send changes nothing, the path drawn included.
    web.tracer.trace.click()
    web.tracer.target.value = "web:99999"
    web.tracer.send.click()
    assert last(web).error is not None
    assert web.highlight is not None


def test_create_deployment_without_a_probe_runs_the_command_as_typed(wb: Workbench) -> None:
    wb.deploy.probe.value = False
    deploy(wb, replicas=1)
    entry = last(wb)
    assert entry.says == "$ kubectl create deployment web --image=nginx --replicas=1 --port=80"
    assert entry.output == "deployment.apps/web created"
    pod = pods_of(wb.cluster)[0]
    wb.pods.pod.value = pod
    wb.pods.fail.click()
    refused = last(wb)
    assert refused.error is not None
    assert "has no readinessProbe" in refused.error


def test_a_refused_deployment_is_refused_in_kubectl_s_words_probe_or_not(wb: Workbench) -> None:
    deploy(wb, name="Bad_Name")
    entry = last(wb)
    assert entry.says.startswith("$ kubectl create deployment Bad_Name ")
    assert entry.error is not None
    assert "Bad_Name" in entry.error
    assert wb.cluster.list("deployments") == []
