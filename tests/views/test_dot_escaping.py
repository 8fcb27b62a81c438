"""User text in DOT: colon-free IDs, escaped HTML-like labels, shown literally in the SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from types import SimpleNamespace
from urllib.parse import unquote

import graphviz
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kubenet_nb import Cluster
from kubenet_nb.views import Picture, topology
from kubenet_nb.views.dot import LINE_BREAK, MAX_TEXT, dot_id, html_label, port_name, table, text

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = [
    '<script>alert("x")</script>',
    "a{b}:c\\N\\G\\L\\\\d",
    "quote \" and ' apostrophe",
    "&amp; &lt; &#x27; &nbsp;",
    "]]> <!-- --> <![CDATA[",
    "<<B>bold</B>>",
    "kube-system:coredns",
    "%3A already encoded",
    "é 🚀 ✓",
]
# Text the way a user might write it: printable characters plus the ones DOT, HTML and XML treat
# specially; control characters are covered separately.
HOSTILE_TEXT = st.text(
    alphabet=st.sampled_from(list("ab09 -_.:/\\\"'<>&{}[];=#%é🚀\n")), min_size=1, max_size=40
)


def node_texts(svg: str) -> list[str]:
    """The text shown in each node of an SVG drawing, lines joined with newlines."""
    root = ET.fromstring(svg)
    shown = []
    for group in root.iter(f"{SVG}g"):
        if group.get("class") == "node":
            lines = [(t.text or "").replace("\xa0", " ") for t in group.iter(f"{SVG}text")]
            shown.append("\n".join(lines))
    return shown


def render(values: list[str]) -> str:
    graph = graphviz.Digraph("escaping")
    for number, value in enumerate(values):
        graph.node(f"n{number}", html_label(table([text(value)])))
    return graph.pipe(format="svg", encoding="utf-8")


def test_ids_are_colon_free_and_keep_the_parts_apart() -> None:
    assert dot_id("pod", "kube-system", "coredns-1") == "pod/kube-system/coredns-1"
    assert dot_id("pod", "a:b", 'c"d\\e\nf') == "pod/a%3Ab/c%22d%5Ce%0Af"
    assert dot_id("svc", "a/b", "c") != dot_id("svc", "a", "b/c")


@given(st.lists(st.text(max_size=20), min_size=1, max_size=3))
def test_ids_never_hold_dot_syntax_and_decode_back(parts: list[str]) -> None:
    node_id = dot_id("pod", *parts)
    assert not set(node_id) & set(':"\\\n<>{}[]; ')
    assert [unquote(p) for p in node_id.split("/")[1:]] == parts


def test_port_names_are_plain_words() -> None:
    assert port_name("np", 30080, "TCP") == "np_30080_tcp"
    assert port_name("np", "a:b<c>") == "np_a_b_c_"


def test_text_escapes_markup_and_backslashes() -> None:
    assert text("<b>&</b>") == "&lt;b&gt;&amp;&lt;/b&gt;"
    assert text("\"'") == "&quot;&#x27;"
    # Graphviz expands \N, \G, \L... even inside HTML-like labels: a doubled backslash is one.
    assert text("\\N") == "\\\\N"
    assert text("one\ntwo") == 'one<BR ALIGN="LEFT"/>two'


def test_text_shows_control_characters_and_cuts_long_text() -> None:
    assert text("a\tb\x00c\x7f") == "a\\\\x09b\\\\x00c\\\\x7f"
    long = text("x" * (MAX_TEXT + 50))
    assert long == "x" * (MAX_TEXT - 1) + "…"
    assert text("y" * 10, limit=5) == "yyyy…"


@given(HOSTILE_TEXT)
def test_escaped_text_holds_no_markup(value: str) -> None:
    markup = text(value).replace(LINE_BREAK, "")
    assert "<" not in markup
    assert ">" not in markup
    assert '"' not in markup


@pytest.mark.exe
def test_hostile_text_renders_literally() -> None:
    shown = node_texts(render(HOSTILE))
    assert shown == HOSTILE


@pytest.mark.exe
def test_control_characters_render_as_escapes() -> None:
    assert node_texts(render(["tab\there", "nul\x00", "two\nlines"])) == [
        "tab\\x09here",
        "nul\\x00",
        "two\nlines",
    ]


@pytest.mark.exe
@settings(max_examples=25, deadline=None)
@given(HOSTILE_TEXT)
@example("]")  # dot 2.43 refused a cell holding a lone "]" until it was written &#93;
def test_any_text_renders_as_itself(value: str) -> None:
    (shown,) = node_texts(render([value]))
    # Graphviz drops spaces that end a line and starts a line after a line break.
    assert shown.split() == value.split()


# -- hostile objects in a topology -----------------------------------------------------------

EVIL = "<script>alert(\"x\")</script> {a:b} \\N 'q'\nsecond line &amp;"
EDGE = re.compile(r'^"([^"]+)"(?::(\w+))? -> "([^"]+)"(?::(\w+))? \[')


def assert_safe(picture: Picture) -> str:
    """The DOT's edges use only our IDs and ports; the SVG parses; returns the shown text."""
    for statement in picture.source.splitlines():
        if " -> " in statement:
            match = EDGE.match(statement.strip())
            assert match is not None, statement
            assert ":" not in match[1] + match[3]
            assert {match[2], match[4]} <= {None, "ip"} or "np_" in statement
    svg = picture.svg()
    assert svg is not None
    assert "<script" not in svg
    root = ET.fromstring(svg)
    return "\n".join((t.text or "").replace("\xa0", " ") for t in root.iter(f"{SVG}text"))


@pytest.mark.exe
def test_hostile_image_and_annotations_through_the_api() -> None:
    c = Cluster()
    # The API server checks an image only for being set and unpadded (kubernetes/kubernetes
    # pkg/apis/core/validation validateContainerCommon); annotations may hold anything.
    c.create(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "evil", "labels": {"app": "evil"}, "annotations": {"a": EVIL}},
            "spec": {
                "containers": [{"name": "c", "image": EVIL, "ports": [{"containerPort": 80}]}]
            },
        }
    )
    c.kubectl("expose pod evil --port=80 --type=NodePort")
    shown = assert_safe(topology(c, containers=True))
    assert "▸ c: <script>alert(\"x\")</script> {a:b} \\N 'q'\nsecond line &amp;" in shown


class HandBuilt:
    """A stand-in cluster serving objects the API would refuse (names, labels, namespaces)."""

    def __init__(self, objects: dict[str, list[dict]]) -> None:
        self.objects = objects
        self.settings = SimpleNamespace(cluster_domain="cluster.local")

    def list(self, kind: str, namespace: str | None = None, selector: str | None = None) -> list:
        return [dict(o) for o in self.objects.get(kind, [])]

    def resolve(self, name: str) -> SimpleNamespace:
        return SimpleNamespace(addresses=["10.244.1.5"])


def hostile_cluster() -> HandBuilt:
    namespace, name, node = "ns:<b>", 'pod"{x}\\N', "node:<i>1</i>"
    meta = {"namespace": namespace, "labels": {"app": EVIL}, "annotations": {"x": EVIL}}
    pod = {
        "metadata": {**meta, "name": name},
        "spec": {"nodeName": node, "containers": [{"name": EVIL, "image": EVIL}]},
        "status": {
            "podIP": "10.244.1.5",
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }
    service = {
        "metadata": {**meta, "name": "svc:<script>"},
        "spec": {
            "type": "NodePort",
            "clusterIP": "10.96.0.50",
            "selector": {"app": EVIL},
            "ports": [{"name": EVIL, "port": 80, "targetPort": EVIL, "nodePort": 30080}],
        },
    }
    headless = {
        "metadata": {**meta, "name": "headless:{}"},
        "spec": {"clusterIP": "None", "selector": {"app": EVIL}},
    }
    external = {
        "metadata": {**meta, "name": "ext"},
        "spec": {"type": "ExternalName", "externalName": EVIL},
    }
    endpoints = {
        "metadata": {
            "namespace": namespace,
            "name": "slice",
            "labels": {"kubernetes.io/service-name": "svc:<script>"},
        },
        "ports": [{"name": EVIL, "port": 8080, "protocol": "TCP"}],
        "endpoints": [
            {
                "addresses": ["10.244.1.5"],
                "conditions": {"ready": True},
                "nodeName": node,
                "targetRef": {"kind": "Pod", "namespace": namespace, "name": name},
            },
            {"addresses": [EVIL], "conditions": {"ready": False}},
        ],
    }
    node_obj = {
        "metadata": {"name": node, "labels": {}},
        "spec": {"podCIDR": EVIL},
        "status": {
            "addresses": [{"type": "InternalIP", "address": "172.18.0.3"}],
            "conditions": [{"type": "Ready", "status": "True"}],
        },
    }
    return HandBuilt(
        {
            "nodes": [node_obj],
            "pods": [pod],
            "services": [service, headless, external],
            "endpointslices": [endpoints],
        }
    )


@pytest.mark.exe
def test_hostile_names_labels_and_namespaces_stay_literal() -> None:
    picture = topology(hostile_cluster(), containers=True)  # type: ignore[arg-type]
    assert repr(picture) == "<Topology: 1 node, 1 pod, 3 services>"
    shown = assert_safe(picture)
    for words in (
        'ns:<b>/pod"{x}\\N',
        "node:<i>1</i>",
        "svc ns:<b>/svc:<script>",
        "svc ns:<b>/headless:{}",
        f"app={EVIL.splitlines()[0]}",
        f"ExternalName → {EVIL.splitlines()[0]}",
        f"80 → {EVIL.splitlines()[0]}",
        ":30080/TCP → ns:<b>/svc:<script>:80",
    ):
        assert words in shown, words
    # The endpoint that is no pod gets a box of its own, its address shown as text.
    assert "not a pod" in shown
