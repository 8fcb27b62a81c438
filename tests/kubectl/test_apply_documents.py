"""`kubectl apply -f` of many documents, and re-applies, as kubectl v1.33 does them.

Reading: k8s.io/kubectl pkg/cmd/apply/apply.go @ v0.33.1 (GetObjects reads every document
before applying; ContinueOnError) and k8s.io/cli-runtime pkg/resource/visitor.go @ v0.33.1
(StreamVisitor stops a file at a document it cannot read). Patches: k8s.io/kubectl
pkg/cmd/apply/patcher.go and k8s.io/apimachinery pkg/util/strategicpatch/patch.go @ v0.33.0.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.api.well_known import LAST_APPLIED_ANNOTATION

CONFIG_MAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  color: blue
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
spec:{extra}
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector: {app: web}
  ports:
  - port: 80
"""
FOO = """apiVersion: example.com/v1
kind: Foo
metadata:
  name: x
"""


def _file(tmp_path: Path, *documents: str) -> str:
    path = tmp_path / "f.yaml"
    path.write_text("---\n".join(documents))
    return str(path)


def test_five_documents_as_observed_with_kubectl_1_33(tmp_path: Path) -> None:
    # Observed with kubectl v1.33.1 (a ConfigMap, a Deployment, an unknown Foo, a Deployment
    # with spec.foo, a Service): the good objects are applied in file order, the mapping error
    # comes before the server's strict-decoding error whatever their order, and the exit status
    # is 1.
    path = _file(
        tmp_path,
        CONFIG_MAP,
        DEPLOYMENT.format(name="web", extra=""),
        FOO,
        DEPLOYMENT.format(name="web2", extra="\n  foo: 1"),
        SERVICE,
    )
    c = Cluster()
    out = c.kubectl(f"apply -f {path}")
    assert out == (
        "configmap/app-config created\n"
        "deployment.apps/web created\n"
        "service/web created\n"
        f'resource mapping not found for name: "x" namespace: "" from "{path}": no matches for '
        'kind "Foo" in version "example.com/v1"\n'
        "ensure CRDs are installed first\n"
        f'Error from server (BadRequest): error when creating "{path}": Deployment in version '
        '"v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.foo"'
    )
    assert out.exit_code == 1
    assert out.stderr.startswith("resource mapping not found")
    assert [d["metadata"]["name"] for d in c.list("deployments")] == ["web"]
    again = c.kubectl(f"apply -f {path}")
    assert again.splitlines()[:3] == [
        "configmap/app-config unchanged",
        "deployment.apps/web unchanged",
        "service/web unchanged",
    ]


def test_a_document_without_kind_stops_the_rest_of_its_file(tmp_path: Path) -> None:
    # cli-runtime visitor.go StreamVisitor: the error returns from the visit, so documents
    # before it are applied and documents after it are never read.
    nameless = "apiVersion: v1\nmetadata:\n  name: nokind\n"
    path = _file(tmp_path, CONFIG_MAP, nameless, SERVICE)
    c = Cluster()
    out = c.kubectl(f"apply -f {path}")
    assert out == (
        "configmap/app-config created\n"
        f'error: error validating "{path}": error validating data: kind not set; if you choose '
        "to ignore these errors, turn validation off with --validate=false"
    )
    assert out.exit_code == 1
    with pytest.raises(KubenetError):
        c.get("service", "web")


def test_bad_yaml_after_a_good_document(tmp_path: Path) -> None:
    path = _file(tmp_path, CONFIG_MAP, "a: [b\n", SERVICE)
    c = Cluster()
    out = c.kubectl(f"apply -f {path}")
    assert out.splitlines()[0] == "configmap/app-config created"
    assert out.splitlines()[1].startswith(
        f"error: error parsing {path}: error converting YAML to JSON: yaml: line "
    )
    assert out.exit_code == 1


def test_a_file_of_one_unknown_kind_alone_is_a_plain_error(tmp_path: Path) -> None:
    # One error alone prints through checkErr with `error: ` and nothing on stdout: raised.
    path = _file(tmp_path, FOO)
    with pytest.raises(KubenetError) as refused:
        Cluster().kubectl(f"apply -f {path}")
    assert str(refused.value).startswith('error: resource mapping not found for name: "x"')


def test_create_reports_errors_in_document_order(tmp_path: Path) -> None:
    # create.go visits once, creating as it reads: an AlreadyExists of the first document comes
    # before the mapping error of the second.
    c = Cluster()
    c.apply(CONFIG_MAP)
    path = _file(tmp_path, CONFIG_MAP, FOO, SERVICE)
    out = c.kubectl(f"create -f {path}")
    lines = out.splitlines()
    assert lines[0] == "service/web created"
    assert lines[1].startswith("Error from server (AlreadyExists): error when creating")
    assert lines[2].startswith('resource mapping not found for name: "x"')


def test_mixed_container_port_protocols_reapply_unchanged() -> None:
    # Container ports merge by containerPort (k8s.io/api core/v1 types.go patchMergeKey); the
    # server's defaulted protocol is in neither the last-applied nor the manifest.
    manifest = DEPLOYMENT.format(name="web", extra="") + (
        "        ports:\n        - containerPort: 80\n"
        "        - containerPort: 81\n          protocol: TCP\n"
    )
    c = Cluster()
    c.kubectl("apply -f -\n" + manifest)
    version = c.get("deployment", "web")["metadata"]["resourceVersion"]
    assert c.kubectl("apply -f -\n" + manifest) == "deployment.apps/web unchanged"
    assert c.get("deployment", "web")["metadata"]["resourceVersion"] == version


def test_python_apply_and_kubectl_apply_are_one_path() -> None:
    c = Cluster()
    c.apply(SERVICE)
    assert c.kubectl("apply -f -\n" + SERVICE) == "service/web unchanged"
    recorded = json.loads(
        c.get("service", "web")["metadata"]["annotations"][LAST_APPLIED_ANNOTATION]
    )
    assert recorded["metadata"] == {"annotations": {}, "name": "web", "namespace": "default"}
    c.kubectl("apply -f -\n" + SERVICE.replace("port: 80", "port: 8080"))
    assert [p["port"] for p in c.apply(SERVICE)[0]["spec"]["ports"]] == [80]


def test_switching_to_recreate_drops_rolling_update() -> None:
    # DeploymentSpec.strategy has patchStrategy retainKeys: the patch carries
    # `$retainKeys: [type]` and the server clears the defaulted rollingUpdate.
    c = Cluster()
    c.apply(DEPLOYMENT.format(name="web", extra=""))
    assert "rollingUpdate" in c.get("deployment", "web")["spec"]["strategy"]
    recreate = DEPLOYMENT.format(name="web", extra="\n  strategy:\n    type: Recreate")
    assert c.kubectl("apply -f -\n" + recreate) == "deployment.apps/web configured"
    assert c.get("deployment", "web")["spec"]["strategy"] == {"type": "Recreate"}


def test_a_container_dropped_from_the_manifest_is_removed() -> None:
    two = (
        DEPLOYMENT.format(name="web", extra="") + "      - name: sidecar\n        image: busybox\n"
    )
    c = Cluster()
    c.apply(two)
    assert c.kubectl("apply -f -\n" + DEPLOYMENT.format(name="web", extra="")) == (
        "deployment.apps/web configured"
    )
    containers = c.get("deployment", "web")["spec"]["template"]["spec"]["containers"]
    assert [container["name"] for container in containers] == ["nginx"]


def test_recursive_reads_subdirectories_in_walk_order(tmp_path: Path) -> None:
    # cli-runtime pkg/resource/visitor.go @ v0.33.1 ExpandPathsToFileVisitors: filepath.Walk,
    # lexical order, subdirectories only with -R; other extensions skipped.
    (tmp_path / "b").mkdir()
    (tmp_path / "a.yaml").write_text(CONFIG_MAP)
    (tmp_path / "b" / "svc.yml").write_text(SERVICE)
    (tmp_path / "c.txt").write_text(FOO)
    c = Cluster()
    assert c.kubectl(f"apply -f {tmp_path}") == "configmap/app-config created"
    assert c.kubectl(f"apply -R -f {tmp_path}") == (
        "configmap/app-config unchanged\nservice/web created"
    )


def test_kustomize_is_refused_with_a_pointer_to_f() -> None:
    with pytest.raises(KubenetError, match="-k \\(kustomize\\) is not supported"):
        Cluster().kubectl("apply -k overlays/dev")


def test_a_secret_written_with_string_data_is_configured_on_every_reapply() -> None:
    # Observed with kubectl v1.33.1: the API server folds stringData into data
    # (pkg/registry/core/secret/strategy.go), so `current` never has the stringData the
    # manifest has and the patch is never empty; written with data, it is unchanged.
    c = Cluster()
    folded = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: s3cret}\n"
    encoded = "apiVersion: v1\nkind: Secret\nmetadata: {name: db2}\ndata: {password: czNjcmV0}\n"
    assert c.kubectl("apply -f -\n" + folded) == "secret/db created"
    assert c.kubectl("apply -f -\n" + folded) == "secret/db configured"
    assert c.get("secret", "db")["data"] == {"password": "czNjcmV0"}
    assert "stringData" not in c.get("secret", "db")
    assert c.kubectl("apply -f -\n" + encoded) == "secret/db2 created"
    assert c.kubectl("apply -f -\n" + encoded) == "secret/db2 unchanged"
