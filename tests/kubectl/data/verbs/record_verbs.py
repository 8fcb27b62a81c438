"""Record what the real kubectl prints and sends for the verbs that change objects.

Run by hand (`python3 tests/kubectl/data/verbs/record_verbs.py`); pytest only reads `recorded.json`.
For each case of `cases.yaml` it builds the scenario below on a fresh kubenet-nb Cluster, serves
that cluster through a small fake API server (discovery from the cluster's ResourceTable; GET,
LIST, POST, PUT, PATCH and DELETE answered by the cluster itself, PATCH through
kubenet_nb.kubectl.patching), and runs the real /usr/bin/kubectl against it. It saves kubectl's
stdout, stderr and exit status, and every write kubectl sent (method, path, Content-Type, body):
the patches `set image`, `set selector` and `edit` compute on the client side are compared with
ours byte for byte. `edit` runs with an EDITOR that changes the buffer kubectl opened as the case
says and saves a reopened buffer unchanged; the three buffers are kept (`opened`, `edited`,
`reopened`).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import yaml

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[3]))
sys.path.insert(0, str(HERE.parent / "printing"))

import record as printing  # noqa: E402

from kubenet_nb import Cluster  # noqa: E402
from kubenet_nb.api.errors import Invalid, KubenetError, NotFound, StatusError  # noqa: E402
from kubenet_nb.kubectl.patching import conflict, patch_object  # noqa: E402

SCENARIO = r"""
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, labels: {app: web}}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
      - {name: init, image: busybox:1.36, command: [sh, -c, "true"]}
      containers:
      - name: nginx
        image: nginx:1.27
        ports: [{containerPort: 80}]
      - name: sidecar
        image: busybox:1.36
        command: [sleep, infinity]
---
apiVersion: v1
kind: Service
metadata: {name: web, labels: {app: web}}
spec:
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {run: client}}
spec:
  containers:
  - {name: client, image: curlimages/curl:8.11.1, command: [sleep, infinity]}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {mode: demo}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: crontabs.stable.example.com}
spec:
  group: stable.example.com
  scope: Namespaced
  names: {plural: crontabs, singular: crontab, kind: CronTab, shortNames: [ct]}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              cronSpec: {type: string}
              replicas: {type: integer}
"""
CRONTAB = """
apiVersion: stable.example.com/v1
kind: CronTab
metadata: {name: nightly}
spec: {cronSpec: "0 0 * * *", replicas: 1}
"""
PATCH_TYPES: dict[str, str] = printing.PATCH_TYPES
"""The patch type kubectl sends as each Content-Type."""


def build_cluster() -> Cluster:
    """The scenario every case starts from (deterministic: the default seed)."""
    c = Cluster()
    c.apply(SCENARIO)
    c.apply(CRONTAB)
    return c


def status_of(error: StatusError) -> dict:
    """The metav1.Status the API server sends, with the details kubectl reads."""
    status = error.status
    if isinstance(error, Invalid):
        status["details"] = {
            "name": error.name,
            "group": error.group,
            "kind": error.kind,
            "causes": [
                {
                    "reason": cause.type,
                    "message": str(cause).removeprefix(f"{cause.field}: "),
                    "field": cause.field,
                }
                for cause in error.causes
            ],
        }
    elif isinstance(error, NotFound):
        status["details"] = {"name": error.name, "group": error.group, "kind": error.resource}
    elif error.reason == "Invalid":
        status["details"] = {}
    return status


class FakeApiServer(ThreadingHTTPServer):
    """An API server answered by one kubenet-nb Cluster; writes are logged."""

    def __init__(self, cluster: Cluster) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.cluster = cluster
        self.writes: list[dict] = []
        self.lock = threading.Lock()


class _Handler(printing._Handler):
    server: FakeApiServer  # type: ignore[assignment]

    def _warnings(self) -> list[str]:
        return list(self.server.cluster.control_plane.last_warnings)

    def _discovery(self, group_version: str) -> dict:
        resources = [
            {
                "name": info.plural,
                "singularName": info.singular,
                "namespaced": info.namespaced,
                "kind": info.kind,
                "verbs": list(info.verbs),
                "shortNames": list(info.short_names),
            }
            for info in self.server.cluster.control_plane.resources.resources
            if info.api_version == group_version
        ]
        return {
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": group_version,
            "resources": resources,
        }

    def _groups(self) -> dict:
        versions: dict[str, list[str]] = {}
        for info in self.server.cluster.control_plane.resources.resources:
            if info.group and info.version not in versions.setdefault(info.group, []):
                versions[info.group].append(info.version)
        return {
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [
                {
                    "name": group,
                    "versions": [{"groupVersion": f"{group}/{v}", "version": v} for v in found],
                    "preferredVersion": {
                        "groupVersion": f"{group}/{found[0]}",
                        "version": found[0],
                    },
                }
                for group, found in versions.items()
            ],
        }

    def _openapi(self, group_version: str) -> dict:
        """Just enough OpenAPI v3 for kubectl's QueryParamVerifierV3: each kind's PATCH
        operation takes the fieldValidation query parameter (server-side validation)."""
        infos = self.server.cluster.control_plane.resources.resources
        if not group_version:
            paths = {}
            for info in infos:
                prefix = "apis/" + info.api_version if info.group else "api/v1"
                paths[prefix] = {"serverRelativeURL": f"/openapi/v3/{prefix}?hash=1"}
            return {"paths": paths}
        operations = {}
        for info in infos:
            prefix = "apis/" + info.api_version if info.group else "api/v1"
            if prefix != group_version:
                continue
            scope = "namespaces/{namespace}/" if info.namespaced else ""
            gvk = {"group": info.group, "version": info.version, "kind": info.kind}
            operations[f"/{prefix}/{scope}{info.plural}/{{name}}"] = {
                "patch": {
                    "x-kubernetes-group-version-kind": gvk,
                    "parameters": [
                        {"name": "fieldValidation", "in": "query", "schema": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "OK"}},
                }
            }
        return {
            "openapi": "3.0.0",
            "info": {"title": "Kubernetes", "version": "v1.33.1"},
            "paths": operations,
        }

    def _target(self) -> tuple[str | None, str | None, str | None, dict[str, str]]:
        """(resource plural, namespace, name, query) of a resource path."""
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        rest = parts[2:] if parts[:1] == ["api"] else parts[3:]
        namespace = None
        if rest[:1] == ["namespaces"] and len(rest) >= 3:
            namespace, rest = rest[1], rest[2:]
        plural = rest[0] if rest else None
        name = rest[1] if len(rest) > 1 else None
        return plural, namespace, name, query

    def _body(self) -> str:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()

    def _answer(self, action: object) -> None:
        try:
            with self.server.lock:
                result = action()  # type: ignore[operator]
        except StatusError as error:
            return self._send(error.code, status_of(error))
        except KubenetError as error:
            return self._send(400, {"kind": "Status", "status": "Failure", "message": str(error)})
        return self._send(200, result)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        parts = [p for p in url.path.split("/") if p]
        if url.path == "/api":
            return self._send(200, {"kind": "APIVersions", "versions": ["v1"]})
        if url.path == "/apis":
            return self._send(200, self._groups())
        if url.path == "/version":
            return self._send(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.1"})
        if parts[:2] == ["openapi", "v3"]:
            return self._send(200, self._openapi("/".join(parts[2:])))
        if len(parts) == (2 if parts[:1] == ["api"] else 3):
            group_version = "v1" if parts[:1] == ["api"] else "/".join(parts[1:3])
            return self._send(200, self._discovery(group_version))
        plural, namespace, name, query = self._target()
        cp = self.server.cluster.control_plane
        if name is not None:
            return self._answer(lambda: cp.get(plural, name, namespace or ""))
        info = cp.resources.resolve(plural or "")
        return self._answer(
            lambda: {
                "kind": f"{info.kind}List",
                "apiVersion": info.api_version,
                "metadata": {"resourceVersion": "1000"},
                "items": cp.list(plural or "", namespace, query.get("labelSelector") or None),
            }
        )

    def _log(self, body: str) -> None:
        self.server.writes.append(
            {
                "method": self.command,
                "path": self.path,
                "content_type": self.headers.get("Content-Type", ""),
                "body": body,
            }
        )

    def do_PATCH(self) -> None:
        body = self._body()
        self._log(body)
        plural, namespace, name, _ = self._target()
        cp = self.server.cluster.control_plane
        patch_type = PATCH_TYPES.get(self.headers.get("Content-Type", ""), "strategic")

        def patch() -> dict:
            live = cp.get(plural or "", name or "", namespace or "")
            return patch_object(cp, live, patch_type, body)[0]

        self._answer(patch)

    def do_PUT(self) -> None:
        body = self._body()
        self._log(body)
        plural, namespace, name, query = self._target()
        cp = self.server.cluster.control_plane

        def replace() -> dict:
            obj = json.loads(body)
            live = cp.get(plural or "", name or "", namespace or "")
            version = (obj.get("metadata") or {}).get("resourceVersion")
            if version and version != live["metadata"].get("resourceVersion"):
                info = cp.resources.resolve(plural or "")
                raise conflict(info.qualified_plural, name or "")
            return cp.update(obj, field_validation=query.get("fieldValidation") or "Warn")

        self._answer(replace)

    def do_POST(self) -> None:
        body = self._body()
        self._log(body)
        _, _, _, query = self._target()
        cp = self.server.cluster.control_plane
        self._answer(
            lambda: cp.create(
                json.loads(body), field_validation=query.get("fieldValidation") or "Warn"
            )
        )

    def do_DELETE(self) -> None:
        self._log(self._body())
        plural, namespace, name, _ = self._target()
        cp = self.server.cluster.control_plane
        self._answer(lambda: cp.delete(plural or "", name or "", namespace or "default"))


EDITOR = """import json, os, sys
home = os.environ["EDIT_HOME"]
with open(sys.argv[1]) as f:
    text = f.read()
if os.path.exists(os.path.join(home, "opened")):
    with open(os.path.join(home, "reopened"), "w") as out:
        out.write(text)
    sys.exit(0)
with open(os.path.join(home, "opened"), "w") as out:
    out.write(text)
edit = json.loads(os.environ["EDIT_CASE"])
if "buffer" in edit:
    text = edit["buffer"]
for old, new in edit.get("replace", []):
    assert old in text, old
    text = text.replace(old, new, 1)
with open(sys.argv[1], "w") as out:
    out.write(text)
with open(os.path.join(home, "edited"), "w") as out:
    out.write(text)
"""
"""kubectl's editor: the first time it applies the case's change to the buffer kubectl opened
(`buffer` replaces it whole, `replace` swaps text), the second time it saves it unchanged;
each buffer is kept."""


def _read(path: Path) -> str | None:
    return path.read_text() if path.exists() else None


def run_case(case: dict, home: Path) -> dict:
    """One command on a fresh scenario: what kubectl printed and the writes it sent."""
    cluster = build_cluster()
    for line in case.get("setup", []):
        cluster.kubectl(line)
    server = FakeApiServer(cluster)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    for leftover in ("opened", "edited", "reopened"):
        (home / leftover).unlink(missing_ok=True)
    (home / "editor.py").write_text(EDITOR)
    env = {
        **printing.kubeconfig(str(home), server.server_address[1]),
        "KUBE_EDITOR": f"{sys.executable} {home / 'editor.py'}",
        "EDIT_HOME": str(home),
        "EDIT_CASE": json.dumps(case.get("edit") or {}),
    }
    for name, text in (case.get("files") or {}).items():
        (home / name).write_text(text)
    done = subprocess.run(
        ["/usr/bin/kubectl", *case["args"]],
        env=env,
        cwd=home,
        input=case.get("stdin", ""),
        capture_output=True,
        text=True,
        timeout=60,
    )
    server.shutdown()
    server.server_close()
    return {
        "args": case["args"],
        "stdout": done.stdout,
        "stderr": done.stderr,
        "exit_code": done.returncode,
        "writes": server.writes,
        "opened": _read(home / "opened"),
        "edited": _read(home / "edited"),
        "reopened": _read(home / "reopened"),
    }


def main() -> None:
    cases = yaml.safe_load((HERE / "cases.yaml").read_text())
    only = set(sys.argv[1:])
    path = HERE / "recorded.json"
    recorded = json.loads(path.read_text()) if path.exists() else {}
    with tempfile.TemporaryDirectory() as home:
        for case in cases:
            if only and case["name"] not in only:
                continue
            recorded[case["name"]] = run_case(case, Path(home))
            print(case["name"], recorded[case["name"]]["exit_code"], file=sys.stderr)
    names = [case["name"] for case in cases]
    ordered = {name: recorded[name] for name in names if name in recorded}
    path.write_text(json.dumps(ordered, indent=1, sort_keys=True, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
