"""What each workbench form sends: kubectl lines quoted for a shell, Service manifests."""

from __future__ import annotations

import shlex

import ipywidgets as widgets

from kubenet_nb.views.workbench.forms import (
    DeployForm,
    ExposeForm,
    NodeForm,
    PodForm,
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
