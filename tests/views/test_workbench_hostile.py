"""Hostile text typed into the workbench's forms stays literal and escaped in its HTML.

Names are refused by the API (and its message, quoting them, is escaped); images, named
ports, trace targets and outside addresses reach Events, errors and tables, escaped there.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import ipywidgets as widgets
import pytest

from kubenet_nb import Cluster
from kubenet_nb.views.workbench import Workbench
from kubenet_nb.views.workbench.forms import OUTSIDE

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
# No slash: kubectl names the container after the image's last path part before ':'.
IMAGE = "nginx:<script>&\"'{}\\"


class _Tags(HTMLParser):
    """Start tags and attribute names seen in a piece of HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [name for name, _ in attrs]


def html_values(widget: widgets.Widget) -> list[str]:
    """The value of every HTML widget in the app."""
    found = [widget.value] if isinstance(widget, widgets.HTML) else []
    for child in getattr(widget, "children", ()):
        found += html_values(child)
    return found


def assert_inert(wb: Workbench) -> str:
    """No script, img or event-handler attribute anywhere; returns all the text, unescaped."""
    texts = []
    for value in html_values(wb):
        parser = _Tags()
        parser.feed(value)
        parser.close()
        assert "script" not in parser.tags
        assert "img" not in parser.tags
        assert not [name for name in parser.attributes if name.startswith("on")]
        texts.append(html.unescape(value))
    return "\n".join(texts)


@pytest.fixture
def wb() -> Workbench:
    bench = Workbench(Cluster())
    bench.deploy.name.value = "web"
    bench.deploy.create.click()
    return bench


def error(wb: Workbench) -> str | None:
    return wb.history.entries[0][0].error


def test_a_hostile_deployment_name_is_refused_and_its_message_escaped(wb: Workbench) -> None:
    wb.deploy.name.value = SCRIPT
    wb.deploy.create.click()
    assert error(wb).startswith(
        f'error: failed to create deployment: Deployment.apps "{SCRIPT}" is invalid: '
    )
    assert html.escape(f'Deployment.apps "{SCRIPT}"') in wb.status_view.value
    shown = assert_inert(wb)
    assert f'Deployment.apps "{SCRIPT}" is invalid' in shown
    assert [d["metadata"]["name"] for d in wb.cluster.list("deployments")] == ["web"]


def test_a_hostile_image_is_stored_as_typed_and_shown_literally(wb: Workbench) -> None:
    wb.deploy.name.value = "evil"
    wb.deploy.image.value = IMAGE
    wb.deploy.replicas.value = 1
    wb.deploy.create.click()
    assert error(wb) is None
    containers = wb.cluster.get("deployment", "evil")["spec"]["template"]["spec"]["containers"]
    assert containers[0]["image"] == IMAGE
    assert containers[0]["name"] == "nginx"
    shown = assert_inert(wb)
    # kubelet's "Pulling" Event quotes the image (a first pull on the node: image_manager.go
    # EnsureImageExists @ v1.33.0): it reaches the log as text.
    assert f'Pulling image "{IMAGE}"' in shown


@pytest.mark.parametrize(
    ("field", "value"),
    [("name", SCRIPT), ("name", 'we"b'), ("external_name", IMG), ("target_port", SCRIPT)],
)
def test_hostile_service_fields_are_refused_and_escaped(
    wb: Workbench, field: str, value: str
) -> None:
    wb.expose.type.value = "ExternalName" if field == "external_name" else "ClusterIP"
    getattr(wb.expose, field).value = value
    wb.expose.create.click()
    assert error(wb) is not None
    assert value in error(wb)
    shown = assert_inert(wb)
    assert value in shown
    assert [s["metadata"]["name"] for s in wb.cluster.list("services")] == ["kubernetes"]


def test_hostile_trace_targets_and_clients(wb: Workbench) -> None:
    wb.tracer.target.value = f"{SCRIPT}:80"
    wb.tracer.trace.click()
    # No such name in the cluster's zone; the rest goes to Docker's DNS, which has no internet
    # to ask here: SERVFAIL (see tests/network/test_dns_getaddrinfo.py).
    assert wb.history.entries[0][0].output.startswith("servfail")
    assert html.escape(SCRIPT) in wb.result_view.value
    wb.tracer.source.value = OUTSIDE
    wb.tracer.client_ip.value = IMG
    wb.tracer.target.value = "web:80"
    wb.tracer.send.click()
    assert IMG in error(wb)
    shown = assert_inert(wb)
    assert IMG in shown
    assert SCRIPT in shown


def test_hostile_objects_made_outside_the_workbench(wb: Workbench) -> None:
    wb.cluster.apply(
        {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {
                "name": "odd",
                "labels": {"app": "a.b-c_d", "tier": "x"},
                "annotations": {"note": f"{SCRIPT}\n{{}}:\\ \"'"},
            },
            "spec": {"containers": [{"name": "c", "image": IMAGE}]},
        }
    )
    wb.refresh_button.click()
    assert "<script" not in wb.picture.source
    shown = assert_inert(wb)
    assert f'Pulling image "{IMAGE}"' in shown


@pytest.mark.exe
def test_the_svg_stays_well_formed(wb: Workbench) -> None:
    wb.deploy.name.value = "evil"
    wb.deploy.image.value = IMAGE
    wb.deploy.create.click()
    wb.expose.deployment.value = "evil"
    wb.expose.create.click()
    wb.tracer.target.value = "evil:80"
    wb.tracer.trace.click()
    svg = wb.picture_view.value
    root = ET.fromstring(svg[svg.index("<svg") : svg.rindex("</svg>") + len("</svg>")])
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert_inert(wb)
