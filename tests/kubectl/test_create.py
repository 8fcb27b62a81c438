"""kubectl create deployment|service|namespace|-f and kubectl run, against kubectl v1.33.1.

The reference records (tests/kubectl/data/reference/{create,run}/) hold what the real kubectl
printed and, for each successful command, the object it built (`--dry-run=client -o yaml`).
"""

from __future__ import annotations

import re
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, KubenetError
from kubenet_nb.kubectl.commands.create import (
    build_deployment,
    build_service,
    container_name,
    parse_tcp,
)
from kubenet_nb.kubectl.commands.run import build_pod, is_image_reference
from kubenet_nb.kubectl.main import run_kubectl

reference = SimpleNamespace(
    **runpy.run_path(str(Path(__file__).parent / "data" / "reference" / "reference_cases.py"))
)

# The fake API server used for recording accepts anything; the real one (and ours) refuses these.
SERVER_REFUSES = {
    ("create", "deployment-bad-name"): (
        'error: failed to create deployment: Deployment.apps "Web" is invalid: metadata.name: '
        'Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case '
        "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
        "character (e.g. 'example.com', regex used for validation is "
        "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
    ),
    ("run", "port-zero"): (
        'The Pod "web" is invalid: spec.containers[0].ports[0].containerPort: Required value'
    ),
}
RANDOM_NAMES = {("create", "deployment-underscore-image")}
CASES = [(g, n) for g in ("create", "run") for n in reference.cases(g)]
BUILT = [(g, n) for g, n in CASES if "built" in reference.case(g, n)]


@pytest.mark.parametrize(("group", "name"), [c for c in CASES if c not in SERVER_REFUSES])
def test_output_matches_kubectl(group: str, name: str) -> None:
    record = reference.case(group, name)
    stdout, stderr = reference.replay(record)
    assert (stdout, stderr) == (record["stdout"], record["stderr"])


@pytest.mark.parametrize(("group", "name"), [c for c in BUILT if c not in RANDOM_NAMES])
def test_built_object_matches_kubectl_byte_for_byte(group: str, name: str) -> None:
    record = reference.case(group, name)
    cluster = reference.seeded(record["fixtures"][1:])
    assert run_kubectl(cluster.control_plane, reference.dry_run_command(record)) == record["built"]


@pytest.mark.parametrize(("group", "name"), sorted(SERVER_REFUSES))
def test_the_api_server_refuses_what_the_fake_server_took(group: str, name: str) -> None:
    record = reference.case(group, name)
    assert reference.replay(record) == ("", SERVER_REFUSES[group, name] + "\n")


def test_builders_are_the_objects_kubectl_sends() -> None:
    seed = yaml.safe_load(reference.case("create", "deployment-seed")["built"])
    assert build_deployment("webapp1", ["nginx"], replicas=3, port=80) == seed
    service = yaml.safe_load(reference.case("create", "service-clusterip")["built"])
    assert build_service("ClusterIP", "web", tcp=["80:8080"]) == service
    pod = yaml.safe_load(reference.case("run", "pod-full")["built"])
    built = build_pod("web", "nginx", port="80", labels="app=web,tier=fe", restart="Never")
    assert built == pod


def test_container_names_with_dots_get_a_random_suffix() -> None:
    # create_deployment.go sanitizeAndUniquify: '_' and '.' become '-', plus utilrand.String(5).
    record = reference.case("create", "deployment-underscore-image")
    assert re.fullmatch(
        r".*name: my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}\n.*", record["built"], re.S
    )
    cluster = Cluster(seed=3)
    run_kubectl(cluster.control_plane, record["command"])
    name = cluster.get("deploy", "web")["spec"]["template"]["spec"]["containers"][0]["name"]
    assert re.fullmatch(r"my-app-v2-[bcdfghjklmnpqrstvwxz2456789]{5}", name)
    assert container_name("nginx@sha256:abc", lambda: "x") == "nginx"


def test_tcp_specifications() -> None:
    assert parse_tcp("80") == (80, 80)
    assert parse_tcp("80:http") == (80, "http")
    assert parse_tcp("0") == (0, 0)
    with pytest.raises(KubectlError, match="must be between 1 and 65535, inclusive"):
        parse_tcp("80:0")


def test_image_references() -> None:
    assert is_image_reference("localhost:5000/team/app:v1.2")
    assert is_image_reference("nginx@sha256:" + "a" * 64)
    assert not is_image_reference("nginx:")
    assert is_image_reference("UPPER/case")  # a domain may have capitals, a path may not
    assert not is_image_reference("team/App")


def test_the_seed_deployment_after_server_defaulting() -> None:
    c = Cluster()
    assert run_kubectl(
        c.control_plane, "create deployment webapp1 --image=nginx --replicas=3 --port=80"
    ) == ("deployment.apps/webapp1 created\n")
    deploy = c.get("deployment", "webapp1")
    assert deploy["metadata"]["labels"] == {"app": "webapp1"}
    spec = deploy["spec"]
    assert spec["replicas"] == 3
    assert spec["selector"] == {"matchLabels": {"app": "webapp1"}}
    # apps/v1 SetDefaults_Deployment: RollingUpdate with 25%/25%, 10 revisions, 600s deadline.
    assert spec["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxUnavailable": "25%", "maxSurge": "25%"},
    }
    container = spec["template"]["spec"]["containers"][0]
    assert (container["name"], container["image"]) == ("nginx", "nginx")
    assert container["ports"] == [{"containerPort": 80, "protocol": "TCP"}]
    pods = c.list("pods", selector="app=webapp1")
    assert len(pods) == 3


def test_services_after_server_defaulting() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create service clusterip web --tcp=80:8080")
    run_kubectl(c.control_plane, "create service nodeport np --tcp=80:8080 --node-port=30080")
    run_kubectl(c.control_plane, "create service clusterip headless --clusterip=None")
    run_kubectl(c.control_plane, "create service externalname db --external-name=db.example.com")
    web = c.get("svc", "web")
    assert web["spec"]["ports"] == [
        {"name": "80-8080", "port": 80, "protocol": "TCP", "targetPort": 8080}
    ]
    assert web["spec"]["selector"] == web["metadata"]["labels"] == {"app": "web"}
    assert web["spec"]["clusterIP"].startswith("10.96.")
    assert c.get("svc", "np")["spec"]["ports"][0]["nodePort"] == 30080
    assert c.get("svc", "headless")["spec"]["clusterIP"] == "None"
    assert c.get("svc", "db")["spec"]["externalName"] == "db.example.com"


def test_create_errors_are_wrapped_as_kubectl_wraps_them() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create service nodeport a --tcp=80 --node-port=30080")
    # create_service.go: "failed to create %s service: %v" around the server's message.
    with pytest.raises(KubectlError) as caught:
        run_kubectl(c.control_plane, "create service nodeport b --tcp=80 --node-port=30080")
    assert str(caught.value) == (
        'error: failed to create NodePort service: Service "b" is invalid: '
        "spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"
    )
    assert c.list("svc", selector="app=b") == []


def test_run_expose_creates_pod_and_service() -> None:
    c = Cluster()
    assert run_kubectl(c.control_plane, "run web --image=nginx --port=80 --expose") == (
        "service/web created\npod/web created\n"
    )
    service = c.get("svc", "web")
    assert service["spec"]["selector"] == {"run": "web"}
    assert service["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert c.get("pod", "web")["metadata"]["labels"] == {"run": "web"}


def test_create_from_stdin_with_namespace_clash() -> None:
    c = Cluster()
    manifest = (
        "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: kube-system}\n"
        "spec: {ports: [{port: 80}]}\n"
    )
    with pytest.raises(KubectlError) as caught:
        run_kubectl(c.control_plane, "create -n default -f -\n" + manifest)
    assert str(caught.value) == (
        'error: the namespace from the provided object "kube-system" does not match the '
        "namespace \"default\". You must pass '--namespace=kube-system' to perform this "
        "operation."
    )
    assert run_kubectl(c.control_plane, "create -f -\n" + manifest) == "service/a created\n"
    with pytest.raises(KubenetError) as caught:
        run_kubectl(c.control_plane, "create -f -\n" + manifest)
    assert str(caught.value) == (
        'Error from server (AlreadyExists): error when creating "STDIN": services "a" already '
        "exists"
    )
