"""Record what the real kubectl prints for `kubectl describe csr`, as reference data for tests.

Run by hand (`python3 tests/kubectl/data/csr/record_csr.py`); pytest only reads its outputs. It
creates CertificateSigningRequests from the PEM requests beside it (made with `openssl req`) on a
kubenet-nb Cluster, marks one approved and issued, serves them through a tiny read-only fake API
server (discovery, GET by name, an empty events search) and runs the real /usr/bin/kubectl
against it. It writes `fixture.json` (the objects) and `describe-<name>.txt` (stdout, then
stderr) per request. kubectl computes describe output itself, so the files check all of it.
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[3]))
sys.path.insert(0, str(HERE.parent / "printing"))

import record as printing  # noqa: E402

from kubenet_nb import Cluster  # noqa: E402

GROUP = "certificates.k8s.io"


def build_objects() -> list[dict]:
    """The requests as the cluster stores them; `bob` then approved and issued."""
    c = Cluster()
    jane = c.create(
        {
            "apiVersion": f"{GROUP}/v1",
            "kind": "CertificateSigningRequest",
            "metadata": {"name": "jane", "labels": {"team": "a"}},
            "spec": {
                "request": base64.b64encode((HERE / "jane.csr").read_bytes()).decode(),
                "signerName": "kubernetes.io/kube-apiserver-client",
                "expirationSeconds": 86400,
                "usages": ["client auth"],
            },
        },
    )
    bob = c.create(
        {
            "apiVersion": f"{GROUP}/v1",
            "kind": "CertificateSigningRequest",
            "metadata": {"name": "bob", "annotations": {"note": "node client"}},
            "spec": {
                "request": base64.b64encode((HERE / "bob.csr").read_bytes()).decode(),
                "signerName": "kubernetes.io/kube-apiserver-client-kubelet",
                "usages": ["digital signature", "client auth"],
            },
        },
    )
    bob["status"] = {
        "conditions": [
            {
                "type": "Approved",
                "status": "True",
                "reason": "KubectlApprove",
                "message": "This CSR was approved by kubectl certificate approve.",
                "lastUpdateTime": bob["metadata"]["creationTimestamp"],
                "lastTransitionTime": bob["metadata"]["creationTimestamp"],
            }
        ],
        "certificate": base64.b64encode(b"issued").decode(),
    }
    return [jane, bob]


class _Handler(printing._Handler):
    server: _Server  # type: ignore[assignment]

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        if path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"]})
        if path == "/version":
            return self._send(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.1"})
        if path == "/apis":
            version = {"groupVersion": f"{GROUP}/v1", "version": "v1"}
            group = {"name": GROUP, "versions": [version], "preferredVersion": version}
            return self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": [group]})
        if path == "/api/v1":
            events = {"name": "events", "namespaced": True, "kind": "Event", "verbs": ["list"]}
            return self._send(
                200, {"kind": "APIResourceList", "groupVersion": "v1", "resources": [events]}
            )
        if path == f"/apis/{GROUP}/v1":
            csrs = {
                "name": "certificatesigningrequests",
                "singularName": "certificatesigningrequest",
                "shortNames": ["csr"],
                "namespaced": False,
                "kind": "CertificateSigningRequest",
                "verbs": ["get", "list"],
            }
            return self._send(
                200, {"kind": "APIResourceList", "groupVersion": f"{GROUP}/v1", "resources": [csrs]}
            )
        if path == "/api/v1/events":
            return self._send(200, {"kind": "EventList", "apiVersion": "v1", "items": []})
        name = path.rsplit("/", 1)[-1]
        for obj in self.server.objects:
            if path.startswith(f"/apis/{GROUP}/v1/") and obj["metadata"]["name"] == name:
                return self._send(200, obj)
        print("unserved:", self.path, file=sys.stderr)
        return self._send(404, {"kind": "Status", "status": "Failure", "code": 404})


class _Server(ThreadingHTTPServer):
    def __init__(self, objects: list[dict]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.objects = objects


def main() -> None:
    objects = build_objects()
    server = _Server(objects)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as home:
        env = printing.kubeconfig(home, server.server_address[1])
        for obj in objects:
            name = obj["metadata"]["name"]
            done = printing.kubectl(env, ["describe", "csr", name])
            (HERE / f"describe-{name}.txt").write_text(done.stdout + done.stderr)
    lines = [json.dumps(obj, sort_keys=True) for obj in objects]
    (HERE / "fixture.json").write_text("[\n" + ",\n".join(lines) + "\n]\n")
    server.shutdown()


if __name__ == "__main__":
    main()
