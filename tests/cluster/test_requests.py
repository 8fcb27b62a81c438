"""The request cycle: refusals change nothing, apply merges, manifests load safely."""

from __future__ import annotations

import json

import kubernetes_validate
import pytest

from kubenet_nb import KubenetError
from kubenet_nb.api.kinds import RESOURCES
from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION
from kubenet_nb.cluster.control_plane import ControlPlane
from kubenet_nb.io.manifests import MAX_READ_BYTES, load_manifests

WEB = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels: {app: web}
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
          name: http
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 80
    targetPort: http
"""


def snapshot(c: ControlPlane) -> dict:
    """Everything a refused request must leave as it was."""
    return {
        "objects": {
            info.kind: json.dumps(c.store.list(info.kind), sort_keys=True)
            for info in RESOURCES
            if info.kind != "Event"
        },
        "events": len(c.api.events.records),
        "random": c.random.getstate(),
        "version": c.store.resource_version,
        "cluster_ips": c.cluster_ips.used,
        "node_ports": c.node_ports.used,
    }


@pytest.fixture
def cluster() -> ControlPlane:
    c = ControlPlane(seed=2)
    c.apply(load_manifests(WEB))
    return c


def test_apply_creates_and_records_last_applied(cluster: ControlPlane) -> None:
    svc = cluster.get("svc", "web")
    recorded = json.loads(svc["metadata"]["annotations"][LAST_APPLIED_ANNOTATION])
    assert recorded["spec"]["ports"] == [{"port": 80, "targetPort": "http"}]
    # kubernetes/kubectl pkg/util/apply.go @ v0.33.1 GetModifiedConfiguration: the JSON is taken
    # after the annotations are set to the others (an empty map here, which unstructured keeps)
    # and after the builder set the default namespace.
    assert recorded["metadata"] == {"annotations": {}, "name": "web", "namespace": "default"}
    assert 30000 <= svc["spec"]["ports"][0]["nodePort"] <= 32767


def test_reapply_is_unchanged_and_keeps_allocations(cluster: ControlPlane) -> None:
    before = cluster.get("svc", "web")
    obj, verb = cluster.apply_object(load_manifests(WEB)[1])
    assert verb == "unchanged"
    assert obj["spec"]["clusterIP"] == before["spec"]["clusterIP"]
    assert obj["spec"]["ports"][0]["nodePort"] == before["spec"]["ports"][0]["nodePort"]


def test_apply_changes_and_drops_what_the_manifest_dropped(cluster: ControlPlane) -> None:
    before = cluster.get("svc", "web")
    manifest = load_manifests(WEB)[1]
    manifest["metadata"]["labels"] = {"tier": "front"}
    cluster.apply_object(manifest)
    manifest["metadata"].pop("labels")
    obj, verb = cluster.apply_object(manifest)
    assert verb == "configured"
    assert "labels" not in obj["metadata"]
    assert obj["spec"]["ports"][0]["nodePort"] == before["spec"]["ports"][0]["nodePort"]


def test_scaling_by_apply(cluster: ControlPlane) -> None:
    manifest = load_manifests(WEB)[0]
    manifest["spec"]["replicas"] = 4
    _, verb = cluster.apply_object(manifest)
    assert verb == "configured"
    active = [
        p
        for p in cluster.list("pods", selector="app=web")
        if not p["metadata"].get("deletionTimestamp")
    ]
    assert len(active) == 4


@pytest.mark.parametrize(
    ("manifest", "message"),
    [
        # pkg/registry/core/service/portallocator: out-of-range and taken node ports.
        (
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "np"},
                "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 80}]},
            },
            'The Service "np" is invalid: spec.ports[0].nodePort: Invalid value: 80: '
            "provided port is not in the valid range. The range of valid ports is 30000-32767",
        ),
        (
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "web"},
                "spec": {"ports": [{"port": 80}]},
            },
            'Error from server (AlreadyExists): services "web" already exists',
        ),
        (
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "x", "namespace": "nope"},
                "spec": {"ports": [{"port": 80}]},
            },
            'Error from server (NotFound): namespaces "nope" not found',
        ),
        (
            {
                "apiVersion": "apps/v1",
                "kind": "Deployment",
                "metadata": {"name": "Bad_Name"},
                "spec": {
                    "selector": {"matchLabels": {"a": "b"}},
                    "template": {
                        "metadata": {"labels": {"a": "b"}},
                        "spec": {"containers": [{"name": "c", "image": "i"}]},
                    },
                },
            },
            'The Deployment "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"',
        ),
    ],
)
def test_refusals_change_nothing(cluster: ControlPlane, manifest: dict, message: str) -> None:
    before = snapshot(cluster)
    with pytest.raises(KubenetError) as refused:
        cluster.create(manifest)
    assert str(refused.value).startswith(message)
    assert snapshot(cluster) == before


def test_taken_node_port_is_refused_and_nothing_is_allocated(cluster: ControlPlane) -> None:
    taken = cluster.get("svc", "web")["spec"]["ports"][0]["nodePort"]
    before = snapshot(cluster)
    with pytest.raises(KubenetError, match="provided port is already allocated"):
        cluster.create(
            {
                "apiVersion": "v1",
                "kind": "Service",
                "metadata": {"name": "other"},
                "spec": {
                    "type": "NodePort",
                    "ports": [
                        {"port": 80, "name": "a", "nodePort": 30100},
                        {"port": 81, "name": "b", "nodePort": taken},
                    ],
                },
            }
        )
    assert snapshot(cluster) == before
    created = cluster.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "other"},
            "spec": {"type": "NodePort", "ports": [{"port": 80, "nodePort": 30100}]},
        }
    )
    assert created["spec"]["ports"][0]["nodePort"] == 30100


def test_apply_of_many_documents_is_all_or_nothing(cluster: ControlPlane) -> None:
    before = snapshot(cluster)
    with pytest.raises(KubenetError):
        cluster.apply(
            load_manifests("""
apiVersion: v1
kind: Service
metadata: {name: fine}
spec: {ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: broken}
spec: {type: NodePort, ports: [{port: 80, nodePort: 1}]}
""")
        )
    assert snapshot(cluster) == before


def test_objects_pass_the_v1_33_schemas(cluster: ControlPlane) -> None:
    # kubernetes-validate ships the Kubernetes v1.33 OpenAPI JSON schemas; strict mode
    # rejects any field the API does not know.
    for info in RESOURCES:
        for obj in cluster.list(info.plural, None):
            kubernetes_validate.validate(obj, "1.33", strict=True)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kind: Service\nmetadata: {name: a}\n",
            'error: error validating "STDIN": error validating data: apiVersion not set',
        ),
        (
            "apiVersion: v1\nkind: Sevrice\nmetadata: {name: a}\n",
            'error: resource mapping not found for name: "a" namespace: "" from "STDIN": '
            'no matches for kind "Sevrice" in version "v1"',
        ),
        (
            "apiVersion: apps/v2\nkind: Deployment\nmetadata: {name: a}\n",
            'no matches for kind "Deployment" in version "apps/v2"',
        ),
        # go-yaml names no line for a scanner error on the first (goyaml.v2/decode.go p.fail).
        (
            "a: b: c\n",
            "error: error parsing STDIN: error converting YAML to JSON: yaml: mapping values are "
            "not allowed in this context",
        ),
        ("- 1\n- 2\n", "cannot unmarshal array"),
    ],
)
def test_bad_manifests_are_refused(cluster: ControlPlane, text: str, message: str) -> None:
    before = snapshot(cluster)
    with pytest.raises(KubenetError) as refused:
        cluster.apply(load_manifests(text))
    assert message in str(refused.value)
    assert snapshot(cluster) == before


def test_yaml_is_loaded_safely() -> None:
    with pytest.raises(KubenetError):
        load_manifests("!!python/object/apply:os.system ['true']\n")
    bomb = "a0: &a0 [x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 8)}]\n" for i in range(1, 10)
    )
    with pytest.raises(KubenetError, match="excessive aliasing"):
        load_manifests(bomb)
    with pytest.raises(KubenetError, match="larger than"):
        load_manifests("#" * (MAX_READ_BYTES + 1))


def test_lists_expand() -> None:
    text = (
        "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n"
        "  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\n"
    )
    assert [o["metadata"]["name"] for o in load_manifests(text)] == ["a", "b"]
