"""What each workbench form sends: kubectl lines quoted for a shell, Service manifests."""

from __future__ import annotations

import shlex

import ipywidgets as widgets

from kubenet_nb.views.workbench.forms import (
    OUTSIDE,
    DeployForm,
    ExposeForm,
    NodeForm,
    PodForm,
    TraceForm,
    kubectl_line,
    set_options,
)

DEPLOYMENT = {
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {"selector": {"matchLabels": {"app": "web"}}},
}


def test_kubectl_line_quotes_and_adds_the_namespace() -> None:
    assert kubectl_line("default", "delete", "pod", "a") == "delete pod a"
    assert kubectl_line("shop", "delete", "pod", "a") == "delete pod a -n shop"
    line = kubectl_line("default", "create", "deployment", "x", "--image=a b'<c>")
    assert shlex.split(line) == ["create", "deployment", "x", "--image=a b'<c>"]
    assert kubectl_line("default", "scale", "", "--replicas=1") == "scale --replicas=1"


def test_deploy_form_leaves_out_what_is_empty() -> None:
    form = DeployForm()
    form.name.value, form.replicas.value, form.port.value = " web ", 3, 8080
    assert form.command("default") == (
        "create deployment web --image=nginx --replicas=3 --port=8080"
    )
    form.port.value, form.image.value = 0, ""
    assert form.command("default") == "create deployment web --replicas=3"


def test_expose_form_manifest_as_kubectl_expose_would_build_it() -> None:
    form = ExposeForm()
    form.type.value, form.target_port.value, form.node_port.value = "NodePort", "8080", 30080
    form.policy.value = "Local"
    assert form.manifest(DEPLOYMENT, "default") == {
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {"name": "web", "labels": {"app": "web"}},
        "spec": {
            "type": "NodePort",
            "ports": [{"port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": 30080}],
            "selector": {"app": "web"},
            "sessionAffinity": "None",
            "externalTrafficPolicy": "Local",
        },
    }


def test_expose_form_named_port_headless_external_name_and_namespace() -> None:
    form = ExposeForm()
    form.target_port.value, form.type.value = "http", "headless"
    manifest = form.manifest(DEPLOYMENT, "shop")
    assert manifest["metadata"]["namespace"] == "shop"
    assert manifest["spec"]["ports"][0]["targetPort"] == "http"
    assert manifest["spec"]["clusterIP"] == "None"
    form.type.value, form.external_name.value, form.name.value = "ExternalName", "db.x", "db"
    spec = form.manifest(DEPLOYMENT, "default")["spec"]
    assert spec["externalName"] == "db.x"
    assert "selector" not in spec
    assert form.target(form.manifest(None, "default")) == "db:80"
    assert form.stdin({"a": 1}) == "a: 1\n"


def test_pod_and_node_forms() -> None:
    pods = PodForm()
    pods.deployment.options = [("web", "web")]
    pods.deployment.value = "web"
    pods.replicas.value = 4
    assert pods.scale_command("default") == "scale deployment web --replicas=4"
    nodes = NodeForm()
    nodes.node.options = [("n", "kind-worker")]
    nodes.node.value = "kind-worker"
    assert nodes.command("cordon") == "cordon kind-worker"
    nodes.force.value = True
    assert nodes.command("drain") == "drain kind-worker --ignore-daemonsets --force"


def test_set_options_keeps_the_value_or_takes_the_first() -> None:
    dropdown = widgets.Dropdown(options=[])
    set_options(dropdown, [("a", "a"), ("b", "b")])
    assert dropdown.value == "a"
    dropdown.value = "b"
    set_options(dropdown, [("c", "c"), ("b", "b")])
    assert dropdown.value == "b"
    set_options(dropdown, [("c", "c")])
    assert dropdown.value == "c"


def test_trace_form_shows_the_outside_clients_fields_only_for_it() -> None:
    form = TraceForm()
    form.source.options = [("pod a", "default/a"), ("outside client", OUTSIDE)]
    form.source.value = "default/a"
    outside = (form.client_ip, form.via)
    assert [field.layout.display for field in outside] == ["none", "none"]
    assert (form.sender(), form.entry()) == ("default/a", None)
    form.source.value = OUTSIDE
    assert [field.layout.display for field in outside] == [None, None]
    assert form.sender() == "172.18.0.1"
    form.source.value = "default/a"
    assert [field.layout.display for field in outside] == ["none", "none"]


def test_expose_form_shows_and_sends_only_the_fields_of_its_type() -> None:
    form = ExposeForm()
    typed = (form.node_port, form.policy, form.external_name)
    form.node_port.value, form.policy.value, form.external_name.value = 30080, "Local", "x.y"
    assert [field.layout.display for field in typed] == ["none", "none", "none"]
    spec = form.manifest(DEPLOYMENT, "default")["spec"]
    assert "nodePort" not in spec["ports"][0]
    assert "externalTrafficPolicy" not in spec
    for kind in ("NodePort", "LoadBalancer"):
        form.type.value = kind
        assert [field.layout.display for field in typed] == [None, None, "none"]
        spec = form.manifest(DEPLOYMENT, "default")["spec"]
        assert spec["ports"][0]["nodePort"] == 30080
        assert spec["externalTrafficPolicy"] == "Local"
    form.type.value = "ExternalName"
    assert [field.layout.display for field in typed] == ["none", "none", None]


def test_the_replicas_slider_scales_once_per_release() -> None:
    # ipywidgets sends a slider's value while it is dragged unless continuous_update is off.
    assert PodForm().replicas.continuous_update is False
