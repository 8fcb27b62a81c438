"""Leases, CertificateSigningRequests and IngressClasses through the public face.

Sources: kubernetes/kubernetes @ v1.33.0 pkg/apis/coordination/validation/validation_test.go
(TestValidateLeaseSpec "leaseDurationSeconds 0", "leaseTransitions -1"),
pkg/apis/certificates/validation/validation_test.go (TestValidateCertificateSigningRequestCreate:
"missing usages", "unknown and duplicate usages", "signerName must be fully qualified",
"signerName domain must have at least two segments", "expirationSeconds too small", "invalid
request") and pkg/apis/networking/validation/validation_test.go (TestValidateIngressClass:
"empty controller", "invalid controller", "controller too long", "parameters missing scope",
"namespace scope without namespace", "cluster scope with namespace";
TestValidateIngressClassUpdate "controller is immutable").
"""

from __future__ import annotations

import base64

import pytest
from rules_helpers import refusal

from kubenet_nb import Cluster

PEM = b"-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST-----\n"


@pytest.fixture
def cluster() -> Cluster:
    return Cluster()


def lease(**spec: object) -> dict:
    return {
        "apiVersion": "coordination.k8s.io/v1",
        "kind": "Lease",
        "metadata": {"name": "leader", "namespace": "default"},
        "spec": spec,
    }


def test_lease(cluster: Cluster) -> None:
    assert refusal(cluster, lease(leaseDurationSeconds=0)) == (
        'The Lease "leader" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be '
        "greater than 0"
    )
    assert refusal(cluster, lease(leaseTransitions=-1)) == (
        'The Lease "leader" is invalid: spec.leaseTransitions: Invalid value: -1: must be '
        "greater than or equal to 0"
    )
    cluster.create(lease(holderIdentity="me", leaseDurationSeconds=15))


def csr(**spec: object) -> dict:
    spec.setdefault("request", base64.b64encode(PEM).decode())
    spec.setdefault("signerName", "kubernetes.io/kube-apiserver-client")
    spec.setdefault("usages", ["client auth"])
    return {
        "apiVersion": "certificates.k8s.io/v1",
        "kind": "CertificateSigningRequest",
        "metadata": {"name": "jane"},
        "spec": spec,
    }


def test_csr_accepted_with_empty_status(cluster: Cluster) -> None:
    cluster.create(csr())
    assert cluster.get("CertificateSigningRequest", "jane", "")["status"] == {}


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"usages": []}, "spec.usages: Required value"),
        (
            {"usages": ["client auth", "client auth"]},
            'spec.usages[1]: Duplicate value: "client auth"',
        ),
        ({"signerName": ""}, "spec.signerName: Required value"),
        (
            {"signerName": "example"},
            'spec.signerName: Invalid value: "example": must be a fully qualified domain and '
            "path of the form 'example.com/signer-name'",
        ),
        (
            {"signerName": "example/signer"},
            'spec.signerName: Invalid value: "example": should be a domain with at least two '
            "segments separated by dots",
        ),
        (
            {"expirationSeconds": 599},
            "spec.expirationSeconds: Invalid value: 599: may not specify a duration less than "
            "600 seconds (10 minutes)",
        ),
        (
            {"request": base64.b64encode(b"hi").decode()},
            "spec.request: Invalid value: []byte{0x68, 0x69}: PEM block type must be "
            "CERTIFICATE REQUEST",
        ),
    ],
)
def test_csr_errors(cluster: Cluster, spec: dict, message: str) -> None:
    assert refusal(cluster, csr(**spec)) == (
        f'The CertificateSigningRequest "jane" is invalid: {message}'
    )


def test_csr_unknown_usage(cluster: Cluster) -> None:
    text = refusal(cluster, csr(usages=["flying"]))
    assert (
        'spec.usages[0]: Unsupported value: "flying": supported values: "any", "cert sign"' in text
    )


def ingress_class(controller: str = "example.com/ingress", **spec: object) -> dict:
    return {
        "apiVersion": "networking.k8s.io/v1",
        "kind": "IngressClass",
        "metadata": {"name": "nginx"},
        "spec": {"controller": controller, **spec},
    }


@pytest.mark.parametrize(
    ("controller", "spec", "message"),
    [
        ("", {}, "spec.controller: Required value"),
        (
            "example.com",
            {},
            'spec.controller: Invalid value: "example.com": must be a domain-prefixed path '
            '(such as "acme.io/foo")',
        ),
        (
            "example.com/" + "a" * 250,
            {},
            "spec.controller: Too long: may not be more than 250 bytes",
        ),
        (
            "example.com/ingress",
            {"parameters": {"kind": "Config", "name": "c"}},
            "spec.parameters.scope: Required value",
        ),
        (
            "example.com/ingress",
            {"parameters": {"kind": "Config", "name": "c", "scope": "Namespace"}},
            "spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'",
        ),
        (
            "example.com/ingress",
            {"parameters": {"kind": "Config", "name": "c", "scope": "Cluster", "namespace": "x"}},
            "spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'",
        ),
    ],
)
def test_ingress_class_errors(cluster: Cluster, controller: str, spec: dict, message: str) -> None:
    assert refusal(cluster, ingress_class(controller, **spec)) == (
        f'The IngressClass "nginx" is invalid: {message}'
    )


def test_ingress_class_controller_immutable(cluster: Cluster) -> None:
    cluster.create(ingress_class())
    changed = cluster.get("IngressClass", "nginx", "")
    changed["spec"]["controller"] = "example.com/other"
    assert refusal(cluster, changed, update=True) == (
        'The IngressClass "nginx" is invalid: spec.controller: Invalid value: '
        '"example.com/other": field is immutable'
    )
