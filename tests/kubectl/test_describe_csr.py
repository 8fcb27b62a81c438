"""`kubectl describe csr` (kubectl/describe/certificates.py) against the real kubectl's output.

tests/kubectl/data/csr/: two PEM requests made with `openssl req` (one with every subject
attribute kubectl prints and DNS, email, IP and URI SANs; one with a common name and an
organization only), the objects a Cluster stored for them (`fixture.json`, `bob` approved and
issued) and what /usr/bin/kubectl (v1.32.4; describeCertificateSigningRequest is the same in
k8s.io/kubectl pkg/describe/describe.go @ v0.33.0) printed for them (`record_csr.py`).
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError
from kubenet_nb.kubectl.describe.certificates import describe_csr, parse_csr

DATA = Path(__file__).parent / "data" / "csr"
FIXTURE = {obj["metadata"]["name"]: obj for obj in json.loads((DATA / "fixture.json").read_text())}
NOW = datetime(2025, 1, 1, 1, 0, tzinfo=timezone.utc)


def _recorded(name: str) -> str:
    return (DATA / f"describe-{name}.txt").read_text()


@pytest.mark.parametrize("name", ["jane", "bob"])
def test_as_kubectl_prints_it(name: str) -> None:
    assert describe_csr(FIXTURE[name], [], NOW) == _recorded(name)


def test_describe_csr_on_a_cluster() -> None:
    c = Cluster()
    jane = FIXTURE["jane"]
    c.create(
        {
            "apiVersion": "certificates.k8s.io/v1",
            "kind": "CertificateSigningRequest",
            "metadata": {"name": "jane", "labels": {"team": "a"}},
            "spec": {
                k: jane["spec"][k] for k in ("request", "signerName", "expirationSeconds", "usages")
            },
        }
    )
    assert c.kubectl("describe csr jane") + "\n" == _recorded("jane")
    assert c.kubectl("describe certificatesigningrequests").startswith(
        "Name:                jane\n"
    )


def test_the_request_is_read_from_the_pem() -> None:
    request = parse_csr((DATA / "jane.csr").read_bytes())
    assert request.common_name == "jane"
    assert request.organization == ["devs", "admins"]
    assert request.ip_addresses == ["10.0.0.1", "fd00::1"]
    assert request.uris == ["spiffe://cluster.local/ns/default/sa/jane"]
    bob = parse_csr((DATA / "bob.csr").read_bytes())
    assert (bob.common_name, bob.dns_names) == ("bob", [])


def test_a_pem_block_of_another_type_is_refused() -> None:
    # client-go util/certificate/csr ParseCSR: the first PEM block must be the request.
    pem = (DATA / "jane.csr").read_bytes().replace(b"CERTIFICATE REQUEST", b"CERTIFICATE")
    with pytest.raises(KubectlError) as refused:
        parse_csr(pem)
    assert str(refused.value) == (
        "error: Error parsing CSR: PEM block type must be CERTIFICATE REQUEST"
    )


def test_a_request_that_is_not_der_is_refused() -> None:
    garbage = base64.b64encode(b"\x30\x03\x02\x01").decode()
    pem = f"-----BEGIN CERTIFICATE REQUEST-----\n{garbage}\n-----END CERTIFICATE REQUEST-----\n"
    with pytest.raises(KubectlError) as refused:
        parse_csr(pem.encode())
    assert str(refused.value) == "error: Error parsing CSR: x509: malformed certificate request"
