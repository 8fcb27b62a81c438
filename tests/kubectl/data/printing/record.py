"""Record what the real kubectl prints for `get` and `describe`, as reference data for the tests.

Run by hand (`python3 tests/kubectl/data/printing/record.py`); pytest only reads its outputs. It
builds a scenario on a kubenet-nb Cluster, moves every timestamp so that the cluster's "now" is
the wall clock, serves the objects through a small read-only fake API server (legacy discovery,
GET and LIST with label and field selectors, server-side Tables for `kubectl get`), and runs the
real /usr/bin/kubectl against it. It writes `fixture.json` (the objects and that "now") and one
`<case>.txt` per command in `cases.yaml` (stdout, then stderr). The Tables' cells come from
kubenet_nb.kubectl.printers.columns, so these files check kubectl's client side of `get` (layout,
decoration, YAML/JSON, messages) and the whole of `describe`, which kubectl computes itself.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[3]))

from kubenet_nb import Cluster  # noqa: E402
from kubenet_nb.api.errors import StatusError  # noqa: E402
from kubenet_nb.api.kinds import RESOURCES, by_kind  # noqa: E402
from kubenet_nb.api.selectors import parse_selector  # noqa: E402
from kubenet_nb.cluster.clock import format_time  # noqa: E402
from kubenet_nb.kubectl.patching import patch_object  # noqa: E402
from kubenet_nb.kubectl.printers.columns import table_for  # noqa: E402

SCENARIO = r"""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
        env: [{name: MODE, value: demo}]
        readinessProbe: {httpGet: {path: /, port: 80}, periodSeconds: 5}
---
apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
  annotations:
    team: networking
    note: "a long note that goes on and on and on and on and on and on and on and on and on and on"
    example.com/long: "0123456789012345678901234567890123456789012345678901234567890123456789\
      012345678901234567890123456789012345678901234567890123456789"
    example.com/multi: "first line\nsecond line\n"
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web-np}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: 80, nodePort: 30080}
  - {name: https, port: 443, targetPort: 80}
---
apiVersion: v1
kind: Service
metadata: {name: web-lb}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 8080, targetPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: db}
spec:
  type: ExternalName
  externalName: db.example.com
---
apiVersion: v1
kind: Service
metadata: {name: web-headless}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web-ext}
spec:
  selector: {app: web}
  externalIPs: [192.0.2.10, 192.0.2.11]
  ports: [{port: 80, protocol: TCP, name: http}, {port: 53, protocol: UDP, name: dns}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {run: client}}
spec:
  containers: [{name: client, image: busybox, command: [sleep, "3600"]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api}
spec:
  replicas: 2
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      containers:
      - name: api
        image: registry.k8s.io/e2e-test-images/agnhost:2.39
        args: [netexec, --http-port=8080]
        resources: {requests: {cpu: 100m, memory: 70Mi}, limits: {cpu: "1", memory: 170Mi}}
        livenessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 3}
        env:
        - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
        - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
        - {name: TOKEN, valueFrom: {secretKeyRef: {name: api, key: token}}}
        - {name: LEVEL, valueFrom: {configMapKeyRef: {name: api, key: level, optional: true}}}
        envFrom: [{configMapRef: {name: api-env}}, {prefix: X_, secretRef: {name: api-x}}]
---
apiVersion: v1
kind: Pod
metadata: {name: kitchen-sink, labels: {run: kitchen-sink}, annotations: {owner: me}}
spec:
  initContainers:
  - {name: setup, image: busybox, command: [sh, -c, "echo hi\necho there"]}
  containers:
  - name: main
    image: nginx
    ports: [{containerPort: 80, hostPort: 8080}, {containerPort: 443, protocol: TCP}]
    livenessProbe: {exec: {command: [cat, /tmp/ok]}, periodSeconds: 7}
    startupProbe: {httpGet: {path: /ready, port: http, scheme: HTTPS}, failureThreshold: 30}
    volumeMounts:
    - {name: cache, mountPath: /cache}
    - {name: config, mountPath: /etc/app, readOnly: true, subPath: app.conf}
  - name: sidecar
    image: busybox
    args: [sleep, infinity]
    resources: {requests: {cpu: 50m}}
  volumes:
  - {name: cache, emptyDir: {sizeLimit: 1Gi}}
  - {name: config, configMap: {name: app-config, optional: true}}
  - {name: creds, secret: {secretName: app-creds}}
  - {name: logs, hostPath: {path: /var/log, type: Directory}}
  - {name: data, persistentVolumeClaim: {claimName: data}}
  nodeSelector: {kubernetes.io/os: linux}
  tolerations:
  - {operator: Exists}
  - {key: dedicated, value: web, effect: NoSchedule}
  - {key: gpu, operator: Exists}
---
apiVersion: v1
kind: Service
metadata: {name: sticky}
spec:
  selector: {app: web}
  sessionAffinity: ClientIP
  ports: [{port: 80}]
"""

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


def _rebase(value: object, delta: float) -> object:
    if isinstance(value, dict):
        return {k: _rebase(v, delta) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebase(v, delta) for v in value]
    if isinstance(value, str) and TIMESTAMP.match(value):
        moment = datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() + delta
        return datetime.fromtimestamp(moment, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value


def build_fixture() -> dict:
    """The scenario's objects, every timestamp moved so that the cluster's now is the wall clock."""
    c = Cluster()
    c.apply(SCENARIO)
    pods = [p["metadata"]["name"] for p in c.list("pods", selector="app=web")]
    c.set_ready(pods[0], False)
    c.advance(4 * 3600 - 625)
    c.delete("pod", "client", grace_period=3600)
    # "now" is 10m30s after the deletion, so that every age is 5s past its last printed unit.
    now = datetime.now(timezone.utc).replace(microsecond=0)
    delta = now.timestamp() - c.now.timestamp() - 630
    return {"now": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "objects": _rebase(_objects(c), delta)}


def _objects(c: Cluster) -> list[dict]:
    """Every object of the cluster, typed, as the API server serves them."""
    objects = []
    for info in RESOURCES:
        objects.extend(
            {"apiVersion": info.api_version, "kind": info.kind, **o}
            for o in c.list(info.plural, None)
        )
    return objects


def build_rollout_cluster() -> Cluster:
    """The cluster of the rollout recordings: rollout-scenario.yaml's manifests applied in
    order, then the first api pod's readiness probe failing."""
    c = Cluster()
    for manifest in yaml.safe_load((HERE / "rollout-scenario.yaml").read_text()):
        c.apply(manifest)
    c.set_ready(c.list("pods", selector="app=api")[0]["metadata"]["name"], False)
    return c


class FakeApiServer(ThreadingHTTPServer):
    """Read-only API server over the fixture objects."""

    def __init__(self, fixture: dict) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fixture = fixture
        self.now = datetime.fromisoformat(fixture["now"].replace("Z", "+00:00"))


def _discovery(group_version: str) -> dict:
    resources = []
    for info in RESOURCES:
        if info.api_version == group_version:
            resources.append(
                {
                    "name": info.plural,
                    "singularName": info.singular,
                    "namespaced": info.namespaced,
                    "kind": info.kind,
                    "verbs": ["get", "list"],
                    "shortNames": list(info.short_names),
                    "categories": ["all"]
                    if info.plural in ("pods", "services", "deployments", "replicasets")
                    else [],
                }
            )
    if group_version == "coordination.k8s.io/v1":
        resources.append(
            {
                "name": "leases",
                "singularName": "lease",
                "namespaced": True,
                "kind": "Lease",
                "verbs": ["get", "list"],
            }
        )
    return {
        "kind": "APIResourceList",
        "apiVersion": "v1",
        "groupVersion": group_version,
        "resources": resources,
    }


def _field_match(obj: dict, selector: str) -> bool:
    for term in filter(None, selector.split(",")):
        negate = "!=" in term
        key, value = re.split(r"!=|==|=", term, maxsplit=1)
        current: object = obj
        for part in key.split("."):
            current = current.get(part, "") if isinstance(current, dict) else ""
        if (str(current) == value) == negate:
            return False
    return True


class _Handler(BaseHTTPRequestHandler):
    server: FakeApiServer

    def log_message(self, *args: object) -> None:
        pass

    def _warnings(self) -> list[str]:
        """The API server's warnings for the request (none over a read-only fixture)."""
        return []

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        for warning in self._warnings():
            quoted = warning.replace("\\", "\\\\").replace('"', '\\"')
            self.send_header("Warning", f'299 - "{quoted}"')
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"]})
        if url.path == "/apis":
            groups = ["apps/v1", "discovery.k8s.io/v1", "coordination.k8s.io/v1"]
            return self._send(
                200,
                {
                    "kind": "APIGroupList",
                    "apiVersion": "v1",
                    "groups": [
                        {
                            "name": g.split("/")[0],
                            "versions": [{"groupVersion": g, "version": "v1"}],
                            "preferredVersion": {"groupVersion": g, "version": "v1"},
                        }
                        for g in groups
                    ],
                },
            )
        if url.path == "/version":
            return self._send(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.1"})
        group_version = "v1" if parts[:1] == ["api"] else "/".join(parts[1:3])
        rest = parts[2:] if parts[:1] == ["api"] else parts[3:]
        if not rest:
            return self._send(200, _discovery(group_version))
        namespace = None
        if rest[0] == "namespaces" and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        plural, name = rest[0], (rest[1] if len(rest) > 1 else None)
        if plural == "leases":
            return self._send(
                200,
                {
                    "kind": "Lease",
                    "apiVersion": "coordination.k8s.io/v1",
                    "metadata": {"name": name, "namespace": namespace},
                    "spec": {
                        "holderIdentity": name,
                        "renewTime": self.server.fixture["now"][:-1] + ".000000Z",
                    },
                },
            )
        if plural in ("limitranges", "resourcequotas"):
            return self._send(
                200, {"kind": "List", "apiVersion": "v1", "metadata": {}, "items": []}
            )
        kind = next((i.kind for i in RESOURCES if i.plural == plural), None)
        if kind is None:
            print("unserved:", self.path, file=sys.stderr)
            return self._send(
                404,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "status": "Failure",
                    "reason": "NotFound",
                    "code": 404,
                },
            )
        objects = sorted(
            (
                o
                for o in self.server.fixture["objects"]
                if o["kind"] == kind
                and (namespace is None or o["metadata"].get("namespace") == namespace)
            ),
            key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"]),
        )
        if name is not None:
            objects = [o for o in objects if o["metadata"]["name"] == name]
            if not objects:
                info = by_kind(kind)
                resource = info.qualified_plural
                return self._send(
                    404,
                    {
                        "kind": "Status",
                        "apiVersion": "v1",
                        "metadata": {},
                        "status": "Failure",
                        "message": f'{resource} "{name}" not found',
                        "reason": "NotFound",
                        "details": {"name": name, "group": info.group, "kind": plural},
                        "code": 404,
                    },
                )
        if query.get("labelSelector"):
            selector = parse_selector(query["labelSelector"])
            objects = [o for o in objects if selector.matches(o["metadata"].get("labels") or {})]
        if query.get("fieldSelector"):
            objects = [o for o in objects if _field_match(o, query["fieldSelector"])]
        if query.get("watch") == "true":
            return self._send_empty()
        if "as=Table" in self.headers.get("Accept", ""):
            full = query.get("includeObject") == "Object"
            return self._send(200, self._table(kind, objects, full))
        if name is not None:
            return self._send(200, objects[0])
        return self._send(
            200,
            {
                "kind": f"{kind}List",
                "apiVersion": group_version,
                "metadata": {"resourceVersion": "1000"},
                "items": objects,
            },
        )

    def _send_empty(self) -> None:
        """A watch that ends at once: kubectl stops after printing the initial list."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _table(self, kind: str, objects: list[dict], full: bool = False) -> dict:
        table = table_for(kind, objects, self.server.now)
        return {
            "kind": "Table",
            "apiVersion": "meta.k8s.io/v1",
            "metadata": {"resourceVersion": "1"},
            "columnDefinitions": [
                {
                    "name": c.name,
                    "type": "string",
                    "format": c.format,
                    "description": "",
                    "priority": c.priority,
                }
                for c in table.columns
            ],
            "rows": [
                {
                    "cells": row,
                    # includeObject=Object (kubectl asks for it with --sort-by)
                    "object": obj
                    if full
                    else {
                        "kind": "PartialObjectMetadata",
                        "apiVersion": "meta.k8s.io/v1",
                        "metadata": obj["metadata"],
                    },
                }
                for row, obj in zip(table.rows, table.objects, strict=True)
            ],
        }


class LiveApiServer(ThreadingHTTPServer):
    """The fake API server over a live kubenet Cluster: each request reads the cluster as it is
    then, and PATCH goes through kubenet's own patch handling, so that commands that write
    (`kubectl rollout`) can be recorded in sequence."""

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(("127.0.0.1", 0), _LiveHandler)
        self.cluster = cluster

    @property
    def fixture(self) -> dict:
        return {"now": format_time(self.cluster.now), "objects": _objects(self.cluster)}

    @property
    def now(self) -> datetime:
        return self.cluster.now


PATCH_TYPES = {
    "application/json-patch+json": "json",
    "application/merge-patch+json": "merge",
    "application/strategic-merge-patch+json": "strategic",
}


class _LiveHandler(_Handler):
    server: LiveApiServer  # type: ignore[assignment]

    def do_PATCH(self) -> None:
        url = urlparse(self.path)
        parts = [p for p in url.path.split("/") if p]
        rest = parts[2:] if parts[:1] == ["api"] else parts[3:]
        namespace, plural, name = rest[1], rest[2], rest[3]
        info = next(i for i in RESOURCES if i.plural == plural)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        patch_type = PATCH_TYPES[self.headers.get("Content-Type", "").split(";")[0]]
        control_plane = self.server.cluster.control_plane
        try:
            live = {
                "apiVersion": info.api_version,
                "kind": info.kind,
                **control_plane.get(info.plural, name, namespace),
            }
            result, _ = patch_object(control_plane, live, patch_type, body)
        except StatusError as error:
            return self._send(
                error.code,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "metadata": {},
                    "status": "Failure",
                    "message": error.message,
                    "reason": error.reason,
                    "code": error.code,
                },
            )
        return self._send(200, {"apiVersion": info.api_version, "kind": info.kind, **result})


def kubeconfig(home: str, port: int) -> dict[str, str]:
    """The environment that points the real kubectl at a fake server on `port`."""
    config = Path(home) / "config"
    config.write_text(
        json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "current-context": "fake",
                "clusters": [{"name": "fake", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
                "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "fake"}}],
                "users": [{"name": "fake", "user": {}}],
            }
        )
    )
    return {**os.environ, "KUBECONFIG": str(config), "HOME": home, "TZ": "UTC"}


def kubectl(env: dict[str, str], args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run the real kubectl with `args` in the environment `kubeconfig` made; its output kept."""
    return subprocess.run(
        ["/usr/bin/kubectl", *args], env=env, capture_output=True, text=True, timeout=30
    )


def record_rollout() -> None:
    """Run rollout-cases.yaml in order against the live rollout cluster; one
    `<case>.txt` each (stdout, then stderr)."""
    server = LiveApiServer(build_rollout_cluster())
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = yaml.safe_load((HERE / "rollout-cases.yaml").read_text())
    with tempfile.TemporaryDirectory() as home:
        env = kubeconfig(home, server.server_address[1])
        for case in cases:
            done = kubectl(env, case["args"].split())
            (HERE / f"{case['name']}.txt").write_text(done.stdout + done.stderr)
    server.shutdown()


def main(only: list[str] | None = None) -> None:
    """Record every case on a fresh fixture; or, given case names (`record.py NAME...`), record
    those cases only, against the fixture.json already recorded (the other files unchanged)."""
    if only:
        fixture = json.loads((HERE / "fixture.json").read_text())
    else:
        fixture = build_fixture()
    server = FakeApiServer(fixture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = yaml.safe_load((HERE / "cases.yaml").read_text())
    with tempfile.TemporaryDirectory() as home:
        env = kubeconfig(home, server.server_address[1])
        for case in cases:
            if only and case["name"] not in only:
                continue
            done = kubectl(env, case["args"].split())
            (HERE / f"{case['name']}.txt").write_text(done.stdout + done.stderr)
    if not only:
        lines = [json.dumps(obj, sort_keys=True) for obj in fixture["objects"]]
        (HERE / "fixture.json").write_text(
            f'{{"now": "{fixture["now"]}", "objects": [\n' + ",\n".join(lines) + "\n]}\n"
        )
    server.shutdown()


if __name__ == "__main__":
    if sys.argv[1:] == ["--rollout"]:
        record_rollout()
    else:
        main(sys.argv[1:])
