"""`kubectl describe`: recorded real-kubectl output, edge cases of the shared pieces, live runs."""

from __future__ import annotations

import base64

import pytest
from recorded_cluster import RecordedCluster, cases, expected, replay

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError, NotFound
from kubenet_nb.kubectl import describe
from kubenet_nb.kubectl.main import run_kubectl


@pytest.mark.parametrize(("name", "argv"), cases("describe"), ids=[n for n, _ in cases("describe")])
def test_matches_recorded_kubectl(name: str, argv: list[str]) -> None:
    # Source: the real kubectl client run on the same objects (data/printing/README.md).
    assert replay("describe", argv) == expected(name)


def test_no_type_is_kubectls_message() -> None:
    # Wording: k8s.io/kubectl/pkg/cmd/describe/describe.go Complete.
    with pytest.raises(KubectlError) as error:
        describe.run(RecordedCluster(), [])
    assert str(error.value) == (
        'error: You must specify the type of resource to describe. Use "kubectl api-resources" '
        "for a complete list of supported resources.\n"
    )


def test_prefix_that_matches_nothing_keeps_not_found() -> None:
    with pytest.raises(NotFound) as error:
        describe.run(RecordedCluster(), ["deploy", "zzz"])
    assert str(error.value) == 'Error from server (NotFound): deployments.apps "zzz" not found'


@pytest.fixture(scope="module")
def live() -> Cluster:
    cluster = Cluster()
    cluster.apply(
        """
apiVersion: apps/v1
kind: Deployment
metadata: {name: webapp1}
spec:
  replicas: 2
  selector: {matchLabels: {app: webapp1}}
  template:
    metadata: {labels: {app: webapp1}}
    spec: {containers: [{name: nginx, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: webapp1}
spec:
  selector: {app: webapp1}
  ports: [{port: 80, targetPort: 80}]
"""
    )
    return cluster


def test_live_service_endpoints_come_from_its_slices(live: Cluster) -> None:
    text = run_kubectl(live.control_plane, "describe svc webapp1")
    pods = sorted(p["status"]["podIP"] for p in live.list("pods", selector="app=webapp1"))
    line = next(x for x in text.splitlines() if x.startswith("Endpoints:"))
    assert sorted(line.split()[1].split(",")) == [f"{ip}:80" for ip in pods]
    assert text.splitlines()[0] == "Name:                     webapp1"


def test_live_deployment_names_its_replicaset(live: Cluster) -> None:
    text = describe.run(live.control_plane, ["deploy", "webapp1"])
    rs = live.list("rs", selector="app=webapp1")[0]["metadata"]["name"]
    assert f"NewReplicaSet:   {rs} (2/2 replicas created)\n" in text


def test_nothing_to_describe() -> None:
    # describe.go Run: nothing found and no error.
    assert describe.run(RecordedCluster(), ["pods", "-n", "kube-public"]) == (
        "No resources found in kube-public namespace.\n"
    )
    assert describe.run(RecordedCluster(), ["pods", "-A", "-l", "app=none"]) == (
        "No resources found\n"
    )


def test_a_csr_whose_request_kubectl_cannot_parse_is_refused() -> None:
    # kubectl parses the request to describe it (test_describe_csr.py); a PEM block holding no
    # DER request is refused.
    cluster = Cluster()
    pem = b"-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n"
    cluster.create(
        {
            "apiVersion": "certificates.k8s.io/v1",
            "kind": "CertificateSigningRequest",
            "metadata": {"name": "csr-a"},
            "spec": {
                "request": base64.b64encode(pem).decode(),
                "signerName": "kubernetes.io/kube-apiserver-client",
                "usages": ["client auth"],
            },
        }
    )
    with pytest.raises(KubectlError) as error:
        describe.run(cluster.control_plane, ["csr", "csr-a"])
    assert str(error.value) == "error: Error parsing CSR: x509: malformed certificate request"


def test_csinode_as_kubectl_describes_it() -> None:
    # kubernetes/kubectl pkg/describe/describe.go @ v0.33.1 describeCSINode: each driver's
    # node ID, allocatable count and topology keys (a []string printed with %s).
    cluster = Cluster()
    cluster.create(
        {
            "apiVersion": "storage.k8s.io/v1",
            "kind": "CSINode",
            "metadata": {"name": "kind-worker", "labels": {"a": "b"}},
            "spec": {
                "drivers": [
                    {
                        "name": "ebs.csi.aws.com",
                        "nodeID": "i-0123",
                        "allocatable": {"count": 25},
                        "topologyKeys": ["topology.ebs.csi.aws.com/zone"],
                    }
                ]
            },
        }
    )
    assert cluster.kubectl("describe csinode kind-worker") == (
        "Name:               kind-worker\n"
        "Labels:             a=b\n"
        "Annotations:        <none>\n"
        "CreationTimestamp:  Wed, 01 Jan 2025 00:05:00 +0000\n"
        "Spec:\n"
        "  Drivers:\n"
        "    ebs.csi.aws.com:\n"
        "      Node ID:  i-0123\n"
        "      Allocatables:\n"
        "        Count:        25\n"
        "      Topology Keys:  [topology.ebs.csi.aws.com/zone]\n"
        "Events:               <none>"
    )
