"""Record what the real kubectl prints for `kubectl logs`, as reference data for the tests.

Run by hand (`python3 tests/kubectl/data/logs/record_logs.py`); pytest only reads its outputs. It
builds scenario.py's cluster, serves its objects through data/printing/record.py's read-only
fake API server, extended with the pods/log subresource, and runs the real /usr/bin/kubectl
against it for each command in `cases.yaml`, writing `<case>.txt` (`# exit N`, then stdout,
then `# stderr` and stderr).

The log text the fake server streams is kubenet-nb's own (the API server and kubelet side:
what a container printed, `tailLines`, the kubelet's refusals), so these files check kubectl's
client side of `logs`: its arguments and flag checks, the rewrapped NotFound, the choice of pod
and container with their stderr notes, prefixes, and how the server's errors are printed.
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[3]))
sys.path.insert(0, str(HERE.parent / "printing"))
sys.path.insert(0, str(HERE))

import record as printing  # noqa: E402
from scenario import DEBUG, PORT_FORWARD, build, cases  # noqa: E402

from kubenet_nb.api.errors import StatusError  # noqa: E402
from kubenet_nb.api.kinds import RESOURCES  # noqa: E402
from kubenet_nb.kubectl.commands.logs import read_log  # noqa: E402


def _status(code: int, reason: str, message: str) -> dict:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


class _LogHandler(printing._Handler):
    """The printing fake server, plus GET /api/v1/namespaces/NS/pods/NAME/log."""

    def do_GET(self) -> None:
        url = urlparse(self.path)
        parts = [p for p in url.path.split("/") if p]
        if parts[-1:] != ["log"] or "pods" not in parts:
            return super().do_GET()
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        namespace, name = parts[3], parts[5]
        cluster = self.server.cluster
        try:
            pod = cluster.get("pods", name, namespace)
            names = [c["name"] for c in pod["spec"]["containers"]]
            container = query.get("container") or (names[0] if len(names) == 1 else "")
            if not container:
                message = f"a container name must be specified for pod {name}, choose one of: "
                raise_text = message + "[" + " ".join(names) + "]"
                return self._send(400, _status(400, "BadRequest", raise_text))
            tail = int(query["tailLines"]) if "tailLines" in query else None
            timestamps = query.get("timestamps") == "true"
            previous = query.get("previous") == "true"
            lines = read_log(cluster.control_plane, pod, container, tail, timestamps, previous)
        except StatusError as error:
            return self._send(error.code, _status(error.code, error.reason, error.message))
        data = "".join(line + "\n" for line in lines).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        return None


class LogServer(printing.FakeApiServer):
    def __init__(self, cluster: object, fixture: dict) -> None:
        super().__init__(fixture)
        self.RequestHandlerClass = _LogHandler
        self.cluster = cluster


def main() -> None:
    cluster = build()
    objects = []
    for info in RESOURCES:
        objects.extend(
            {"apiVersion": info.api_version, "kind": info.kind, **o}
            for o in cluster.list(info.plural, None)
        )
    fixture = {"now": cluster.now.strftime("%Y-%m-%dT%H:%M:%SZ"), "objects": objects}
    server = LogServer(cluster, fixture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with tempfile.TemporaryDirectory() as home:
        env = printing.kubeconfig(home, server.server_address[1])
        for folder in (HERE, PORT_FORWARD, DEBUG):
            for case in cases(folder):
                done = printing.kubectl(env, case["args"].split())
                text = f"# exit {done.returncode}\n{done.stdout}# stderr\n{done.stderr}"
                (folder / f"{case['name']}.txt").write_text(text)
    server.shutdown()


if __name__ == "__main__":
    main()
