"""kubectl expose, against kubectl v1.33.1 (tests/kubectl/data/reference/expose/)."""

from __future__ import annotations

import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.commands.expose import (
    build_exposed_service,
    ports_for,
    protocols_for,
    selector_for,
)
from kubenet_nb.kubectl.main import run_kubectl

reference = SimpleNamespace(
    **runpy.run_path(str(Path(__file__).parent / "data" / "reference" / "reference_cases.py"))
)

# Accepted by the recording's fake API server, refused by the real one (and by ours).
SERVER_REFUSES = {
    "bad-selector": (
        'The Service "webapp1" is invalid: spec.selector: Invalid value: "app!": name part must '
        "consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
        "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
        "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
    ),
    "bad-type": (
        'The Service "webapp1" is invalid: spec.type: Unsupported value: "Foo": supported values: '
        '"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'
    ),
    # Two containers declare port 80: kubectl names both `port-1-tcp`, the API refuses.
    "multiport": (
        'The Service "multi" is invalid: \n* spec.ports[1].name: Duplicate value: "port-1-tcp"\n'
        '* spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", '
        "AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, "
        'StrVal:""}, NodePort:0}'
    ),
}
CASES = reference.cases("expose")
BUILT = [name for name in CASES if "built" in reference.case("expose", name)]


@pytest.mark.parametrize("name", [n for n in CASES if n not in SERVER_REFUSES])
def test_output_matches_kubectl(name: str) -> None:
    record = reference.case("expose", name)
    assert reference.replay(record) == (record["stdout"], record["stderr"])


@pytest.mark.parametrize("name", BUILT)
def test_built_service_matches_kubectl_byte_for_byte(name: str) -> None:
    record = reference.case("expose", name)
    cluster = reference.seeded(record["fixtures"][1:])
    assert run_kubectl(cluster.control_plane, reference.dry_run_command(record)) == record["built"]


@pytest.mark.parametrize("name", sorted(SERVER_REFUSES))
def test_the_api_server_refuses_what_the_fake_server_took(name: str) -> None:
    record = reference.case("expose", name)
    assert reference.replay(record) == ("", SERVER_REFUSES[name] + "\n")


def _fixture(name: str, kind: str = "Deployment") -> dict:
    objects = reference.fixture_objects(["webapp1", "shapes", "pods"])
    return next(o for o in objects if (o["kind"], o["metadata"]["name"]) == (kind, name))


def test_builder_is_the_object_kubectl_sends() -> None:
    seed = yaml.safe_load(reference.case("expose", "seed")["built"])
    assert build_exposed_service(_fixture("webapp1"), {"port": "80"}) == seed


def test_introspection_helpers() -> None:
    # polymorphichelpers: ports deduplicated in container order, protocols kept per container.
    multi = _fixture("multi")
    assert ports_for(multi) == ["80", "443", "9090"]
    assert protocols_for(multi) == {"80": ["TCP", "TCP"], "443": ["TCP"], "9090": ["TCP"]}
    assert protocols_for(_fixture("dns"))["53"] == ["UDP", "TCP"]
    assert selector_for(_fixture("web", "Pod")) == "app=web,tier=fe"
    with pytest.raises(KubectlError) as caught:
        selector_for(_fixture("expr"))
    # mapbasedselectorforobject.go prints the requirements with Go's %+v.
    assert caught.value.message == (
        'couldn\'t convert expressions - "[{Key:tier Operator:In Values:[fe be]}]" to '
        "map-based selector format"
    )


def test_the_seed_commands_verbatim() -> None:
    c = Cluster()
    run_kubectl(
        c.control_plane, "kubectl create deployment webapp1 --image=nginx --replicas=3 --port=80"
    )
    assert (
        run_kubectl(c.control_plane, "kubectl expose deploy webapp1 --port=80")
        == "service/webapp1 exposed\n"
    )
    service = c.get("service", "webapp1")
    assert service["metadata"]["labels"] == {"app": "webapp1"}
    assert service["spec"]["selector"] == {"app": "webapp1"}
    assert service["spec"]["ports"] == [{"port": 80, "protocol": "TCP", "targetPort": 80}]
    assert service["spec"]["type"] == "ClusterIP"


def test_target_port_is_the_port_not_the_container_port() -> None:
    # expose.go createService: without --target-port, targetPort = port (not containerPort).
    c = Cluster()
    run_kubectl(c.control_plane, "create deployment api --image=nginx --port=8080")
    run_kubectl(c.control_plane, "expose deployment api --port=80")
    assert c.get("svc", "api")["spec"]["ports"][0]["targetPort"] == 80
    run_kubectl(c.control_plane, "expose deployment api --port=80 --target-port=8080 --name=api2")
    assert c.get("svc", "api2")["spec"]["ports"][0]["targetPort"] == 8080
    run_kubectl(c.control_plane, "expose deployment api --name=api3")
    assert c.get("svc", "api3")["spec"]["ports"][0]["port"] == 8080


def test_nodeport_is_allocated_by_the_server() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create deployment web --image=nginx --port=80")
    run_kubectl(c.control_plane, "expose deploy web --port=80 --type=NodePort")
    node_port = c.get("svc", "web")["spec"]["ports"][0]["nodePort"]
    assert 30000 <= node_port <= 32767


def test_expose_with_yaml_output_prints_the_stored_service() -> None:
    c = Cluster()
    run_kubectl(c.control_plane, "create deployment web --image=nginx --port=80")
    printed = yaml.safe_load(run_kubectl(c.control_plane, "expose deploy web -o yaml"))
    assert printed["spec"]["clusterIP"] == c.get("svc", "web")["spec"]["clusterIP"]
