"""The kubectl-shaped tables, the DNS table, and every table's HTML with hostile text in it.

`kubectl get svc/pods -o wide` columns come from kubernetes/kubernetes
pkg/printers/internalversion/printers.go (`AddHandlers`); cli-runtime's printer cuts a cell at
its first newline and adds "..." (k8s.io/cli-runtime/pkg/printers/tableprinter.go
`printTable`). pandas escapes cell text in `to_html`/`_repr_html_` but its Styler does not by
default (pandas docs, `Styler.format(escape=...)`); Styler also writes a missing value as a bare
`<NA>` and a random table id unless `set_uuid` is given (checked with pandas 2.2 and 3.1).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from html.parser import HTMLParser

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from kubenet_nb import Cluster
from kubenet_nb.network.dns import Record, cluster_dns_state, zone_records
from kubenet_nb.views.tables import (
    DNS_COLUMNS,
    dns_frame,
    kubectl_frame,
    pods_table,
    services_table,
)
from kubenet_nb.views.tables.endpoints import endpoints_frame, endpoints_table
from kubenet_nb.views.tables.rules import rules_frame
from kubenet_nb.views.tables.style import COLOURS, readiness, styled
from tests.readiness_probes import create_deployment

HOSTILE = "<script>alert(\"x\")</script>{a}:'b'\\\n&amp;"
"""Markup, quotes, braces, a colon, a backslash, a newline and an entity."""
KUBECTL_HOSTILE = HOSTILE.split("\n")[0] + "..."
"""The same text in a kubectl cell: cut at the newline."""
NOW = datetime(2025, 1, 1, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def c() -> Cluster:
    cluster = Cluster()
    cluster.kubectl("create deployment web --image=nginx --replicas=2 --port=80")
    cluster.kubectl("expose deployment web --port=80 --type=NodePort")
    cluster.kubectl("create service loadbalancer lb --tcp=443:8443")
    cluster.kubectl("create service externalname ext --external-name=db.example.com")
    cluster.kubectl("create service clusterip hl --clusterip=None")
    cluster.advance(90)
    return cluster


def kubectl_cells(text: str) -> pd.DataFrame:
    """kubectl's aligned output read back by the header's column offsets."""
    lines = text.split("\n")
    starts = [m.start() for m in re.finditer(r"(?<!\S)\S+(?: \S+)?", lines[0])]
    bounds = [*starts[1:], None]
    rows = [[line[a:b].strip() for a, b in zip(starts, bounds, strict=True)] for line in lines]
    return pd.DataFrame(rows[1:], columns=rows[0], dtype="string")


@pytest.mark.parametrize(
    ("command", "namespace", "selector"),
    [
        ("get svc -o wide", "default", None),
        ("get svc -o wide -A", None, None),
        ("get svc -o wide -n kube-system", "kube-system", None),
    ],
)
def test_services_table_is_kubectl(
    c: Cluster, command: str, namespace: str | None, selector: str | None
) -> None:
    assert_frame_equal(services_table(c, namespace, selector), kubectl_cells(c.kubectl(command)))


@pytest.mark.parametrize(
    ("command", "namespace", "selector"),
    [
        ("get pods -o wide", "default", None),
        ("get pods -o wide -A", None, None),
        ("get pods -o wide -A -l k8s-app=kube-dns", None, "k8s-app=kube-dns"),
    ],
)
def test_pods_table_is_kubectl(
    c: Cluster, command: str, namespace: str | None, selector: str | None
) -> None:
    assert_frame_equal(pods_table(c, namespace, selector), kubectl_cells(c.kubectl(command)))


def test_show_labels_is_kubectl(c: Cluster) -> None:
    text = c.kubectl("get pods -o wide -A --show-labels")
    assert_frame_equal(pods_table(c, None, show_labels=True), kubectl_cells(text))
    text = c.kubectl("get svc -o wide --show-labels")
    assert_frame_equal(services_table(c, show_labels=True), kubectl_cells(text))


def test_services_table_exact(c: Cluster) -> None:
    columns = ["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE", "SELECTOR"]
    web_ip = c.get("svc", "web")["spec"]["clusterIP"]
    web_port = c.get("svc", "web")["spec"]["ports"][0]["nodePort"]
    lb = c.get("svc", "lb")
    lb_port = lb["spec"]["ports"][0]["nodePort"]
    rows = [
        ["ext", "ExternalName", "<none>", "db.example.com", "<none>", "90s", "app=ext"],
        ["hl", "ClusterIP", "None", "<none>", "<none>", "90s", "app=hl"],
        ["kubernetes", "ClusterIP", "10.96.0.1", "<none>", "443/TCP", "6m30s", "<none>"],
        [
            "lb",
            "LoadBalancer",
            lb["spec"]["clusterIP"],
            "172.18.255.200",
            f"443:{lb_port}/TCP",
            "90s",
            "app=lb",
        ],
        ["web", "NodePort", web_ip, "<none>", f"80:{web_port}/TCP", "90s", "app=web"],
    ]
    expected = pd.DataFrame(rows, columns=columns, dtype="string")
    assert_frame_equal(services_table(c), expected)
    everything = services_table(c, None)
    assert list(everything.columns) == ["NAMESPACE", *columns]
    assert everything["NAMESPACE"].tolist() == ["default"] * 5 + ["kube-system"]


def test_empty_tables_keep_their_columns(c: Cluster) -> None:
    assert list(services_table(c, "nowhere").columns)[:2] == ["NAME", "TYPE"]
    pods = pods_table(c, "default", "app=nothing")
    assert pods.empty
    assert list(pods.columns) == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    ]


def test_dns_table_lists_every_served_record(c: Cluster) -> None:
    records = zone_records(cluster_dns_state(c.control_plane))
    table = c.dns_table()
    assert list(table.columns) == list(DNS_COLUMNS)
    assert list(table.itertuples(index=False, name=None)) == [
        (r.name, r.rtype, r.data, r.ttl) for r in records
    ]
    a_records = table[table["type"] == "A"]
    for name, values in a_records.groupby("name", sort=False)["value"]:
        assert c.resolve(name).addresses == values.tolist()


def test_dns_table_filters(c: Cluster) -> None:
    web = c.dns_table(service="web")
    web_ip = c.get("svc", "web")["spec"]["clusterIP"]
    pod_ips = sorted(p["status"]["podIP"] for p in c.list("pods", selector="app=web"))
    assert web[web["type"] == "A"][["name", "value", "ttl"]].values.tolist() == [
        ["web.default.svc.cluster.local.", web_ip, 30]
    ]
    ptr = web[web["type"] == "PTR"]["value"].tolist()
    assert sorted(ptr) == sorted(
        ["web.default.svc.cluster.local."]
        + [f"{ip.replace('.', '-')}.web.default.svc.cluster.local." for ip in pod_ips]
    )
    assert c.dns_table(service="ext")[["type", "value"]].values.tolist() == [
        ["CNAME", "db.example.com."]
    ]
    system = c.dns_table(namespace="kube-system")
    assert set(system["type"]) == {"A", "SRV", "PTR"}
    assert not system["name"].str.startswith("dns-version").any()
    assert c.dns_table(namespace="nowhere").empty


# -- hostile text ------------------------------------------------------------------------------

ALLOWED_TAGS = {"div", "style", "table", "thead", "tbody", "tr", "th", "td", "p"}


class _Html(HTMLParser):
    """Checks that tags balance and collects each cell's text (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.tags: set[str] = set()
        self.cells: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.add(tag)
        self.stack.append(tag)
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        assert self.stack, f"</{tag}> closes nothing"
        assert self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1]}>"
        self.stack.pop()
        if tag in ("td", "th") and self._cell is not None:
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_cells(text: str) -> list[str]:
    """The cells of well-formed HTML made only of table markup."""
    parser = _Html()
    parser.feed(text)
    parser.close()
    assert parser.stack == []
    assert parser.tags <= ALLOWED_TAGS
    return parser.cells


def xml_cells(text: str) -> list[str]:
    """`to_html` output is also well-formed XML: parse it strictly."""
    root = ET.fromstring(text)
    return ["".join(cell.itertext()) for cell in root.iter() if cell.tag in ("td", "th")]


def shown(text: str) -> str:
    """A cell's text as DataFrame HTML shows it: tab, CR and newline as `\\t`, `\\r`, `\\n`
    (pandas' `pprint_thing` escape_chars); Styler keeps them as they are."""
    return text.replace("\t", "\\t").replace("\r", "\\r").replace("\n", "\\n")


def assert_literal(table: pd.DataFrame, text: str) -> None:
    """The text is in a cell, literally, in every HTML form of the table."""
    assert shown(text) in xml_cells(table.to_html())
    html_cells(table._repr_html_())
    with pd.option_context("display.max_colwidth", None):
        assert shown(text) in html_cells(table._repr_html_())
    assert text in html_cells(styled(table, "hostile").to_html())
    assert "<script>" not in table.to_html() + table._repr_html_()


def hostile_cluster() -> Cluster:
    """Hostile text where the API takes it: annotations, images, an EndpointSlice targetRef."""
    c = Cluster()
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "evil", "labels": {"app": "evil"}, "annotations": {"a": HOSTILE}},
            "spec": {"nodeName": "kind-worker", "containers": [{"name": "c", "image": HOSTILE}]},
        }
    )
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "manual", "annotations": {"note": HOSTILE}},
            "spec": {"ports": [{"name": "http", "port": 80}]},
        }
    )
    c.create(
        {
            "apiVersion": "discovery.k8s.io/v1",
            "kind": "EndpointSlice",
            "metadata": {
                "name": "manual-1",
                "labels": {"kubernetes.io/service-name": "manual"},
                "annotations": {"x": HOSTILE},
            },
            "addressType": "IPv4",
            "ports": [{"name": "http", "port": 8080, "protocol": "TCP"}],
            "endpoints": [
                {"addresses": ["10.0.0.5"], "targetRef": {"kind": "Pod", "name": HOSTILE}}
            ],
        }
    )
    return c


def test_hostile_text_from_the_api() -> None:
    c = hostile_cluster()
    assert_literal(endpoints_table(c, "default", "manual", wide=True), HOSTILE)
    for table in (services_table(c), pods_table(c), c.dns_table(), endpoints_table(c, wide=True)):
        html_cells(table._repr_html_())
        xml_cells(table.to_html())
        html_cells(styled(table, "t").to_html())


def test_hostile_kubectl_cells() -> None:
    pod = {
        "metadata": {
            "name": "p",
            "namespace": "default",
            "creationTimestamp": "2025-01-01T00:00:00Z",
        },
        "spec": {"nodeName": "kind-worker", "readinessGates": [{"conditionType": HOSTILE}]},
        "status": {"phase": "Running", "reason": HOSTILE, "nominatedNodeName": HOSTILE},
    }
    table = kubectl_frame("Pod", [pod], NOW, with_namespace=True)
    assert table["STATUS"].tolist() == [KUBECTL_HOSTILE]
    assert table["NOMINATED NODE"].tolist() == [KUBECTL_HOSTILE]
    assert_literal(table, KUBECTL_HOSTILE)
    service = {
        "metadata": {"name": "s", "namespace": "default"},
        "spec": {"type": "LoadBalancer", "clusterIPs": ["10.96.0.9"], "selector": {"k": HOSTILE}},
        "status": {"loadBalancer": {"ingress": [{"hostname": HOSTILE}]}},
    }
    table = kubectl_frame("Service", [service], NOW)
    assert table["EXTERNAL-IP"].tolist() == [KUBECTL_HOSTILE]
    assert table["SELECTOR"].tolist() == [f"k={KUBECTL_HOSTILE}"]
    assert_literal(table, KUBECTL_HOSTILE)
    labelled = {**service, "metadata": {**service["metadata"], "labels": {"app": HOSTILE}}}
    table = kubectl_frame("Service", [labelled], NOW, show_labels=True)
    assert table["LABELS"].tolist() == [f"app={HOSTILE}"]
    assert_literal(table, f"app={HOSTILE}")


def test_hostile_endpoints_dns_and_rules() -> None:
    service = {
        "metadata": {"name": "s", "namespace": "default"},
        "spec": {"type": "ExternalName", "externalName": HOSTILE},
    }
    table = endpoints_frame([service], [], [])
    assert table["note"].tolist() == [f"ExternalName: DNS answers with a CNAME to {HOSTILE}"]
    assert_literal(table, f"ExternalName: DNS answers with a CNAME to {HOSTILE}")
    assert_literal(dns_frame([Record(HOSTILE, "TXT", HOSTILE, 30)]), HOSTILE)
    saved = HOSTILE.replace("\n", " ").replace("\\", "\\\\").replace('"', '\\"')
    text = f'*nat\n:KUBE-X - [0:0]\n-A KUBE-X -m comment --comment "{saved}" -j RETURN\nCOMMIT\n'
    rules = rules_frame(text)
    assert rules["comment"].tolist() == [HOSTILE.replace("\n", " ")]
    assert_literal(rules, HOSTILE.replace("\n", " "))


# -- styling --------------------------------------------------------------------------------------


def css_rules(html: str) -> dict[str, str]:
    """Cell id -> declarations, from the Styler's <style> block."""
    style = html.split("<style", 1)[1].split("</style>", 1)[0]
    found = {}
    for selectors, body in re.findall(r"([^{}>]+)\{([^}]*)\}", style):
        for selector in selectors.split(","):
            found[selector.strip().lstrip("#")] = body.strip().rstrip(";")
    return found


def test_styled_rows_by_readiness() -> None:
    table = pd.DataFrame(
        {
            "pod": ["a", "b", "c", None],
            "ready": pd.array([True, False, False, None], dtype="boolean"),
            "terminating": pd.array([False, True, False, None], dtype="boolean"),
        }
    )
    assert [readiness(row) for _, row in table.iterrows()] == [
        "ready",
        "terminating",
        "not ready",
        "none",
    ]
    rules = css_rules(styled(table, "ep").to_html())
    assert rules["T_ep_row0_col0"] == COLOURS["ready"]
    assert rules["T_ep_row1_col2"] == COLOURS["terminating"]
    assert rules["T_ep_row2_col1"] == COLOURS["not ready"]
    assert "T_ep_row3_col0" not in rules


def test_styled_pods() -> None:
    c = Cluster()
    create_deployment(c, "web --image=nginx --replicas=2 --port=80")
    c.set_ready(c.list("pods", selector="app=web")[0]["metadata"]["name"], False)
    states = [readiness(row) for _, row in pods_table(c).iterrows()]
    assert states == ["not ready", "ready"]
    terminating = pd.DataFrame({"READY": ["1/1"], "STATUS": ["Terminating"]})
    assert readiness(terminating.iloc[0]) == "terminating"


def test_styled_html_is_deterministic_and_blank_for_missing(c: Cluster) -> None:
    first = styled(endpoints_table(c, wide=True), "endpoints").to_html()
    assert first == styled(endpoints_table(c, wide=True), "endpoints").to_html()
    assert 'id="T_endpoints"' in first
    assert "<NA>" not in first
    html_cells(first)
