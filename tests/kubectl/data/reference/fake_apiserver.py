"""A tiny fake API server that lets the real kubectl run offline, for recording reference output.

It serves legacy discovery for the resources kubenet-nb simulates, keeps objects in memory, and
answers GET, LIST, POST (create, eviction), merge PATCH and DELETE. It logs every write request
so the recorder can keep the exact object kubectl sent. Not used by the tests themselves: run
`record_kubectl_reference.py` by hand to refresh the files beside it.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

__all__ = ["FakeApiServer"]

_VERBS = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"]


def _resource(
    name: str, kind: str, namespaced: bool = True, short: tuple[str, ...] = (), **extra: Any
) -> dict:
    singular = "" if "/" in name else kind.lower()
    return {
        "name": name,
        "singularName": singular,
        "namespaced": namespaced,
        "kind": kind,
        "verbs": _VERBS,
        "shortNames": list(short),
        **extra,
    }


DISCOVERY: dict[str, list[dict]] = {
    "v1": [
        _resource("pods", "Pod", short=("po",)),
        _resource("pods/eviction", "Eviction", group="policy", version="v1"),
        _resource("services", "Service", short=("svc",)),
        _resource("endpoints", "Endpoints", short=("ep",)),
        _resource("nodes", "Node", namespaced=False, short=("no",)),
        _resource("namespaces", "Namespace", namespaced=False, short=("ns",)),
        _resource("replicationcontrollers", "ReplicationController", short=("rc",)),
        _resource("events", "Event", short=("ev",)),
    ],
    "apps/v1": [
        _resource("deployments", "Deployment", short=("deploy",)),
        _resource("deployments/scale", "Scale", group="autoscaling", version="v1"),
        _resource("replicasets", "ReplicaSet", short=("rs",)),
        _resource("replicasets/scale", "Scale", group="autoscaling", version="v1"),
        _resource("daemonsets", "DaemonSet", short=("ds",)),
        _resource("statefulsets", "StatefulSet", short=("sts",)),
    ],
    "policy/v1": [_resource("poddisruptionbudgets", "PodDisruptionBudget", short=("pdb",))],
    "discovery.k8s.io/v1": [_resource("endpointslices", "EndpointSlice")],
}

SCALABLE = ("deployments", "replicasets", "statefulsets", "replicationcontrollers")

PLURALS = {
    r["kind"]: (gv, r["name"]) for gv, rs in DISCOVERY.items() for r in rs if "/" not in r["name"]
}


def _merge(target: Any, patch: Any) -> Any:
    """RFC 7386 merge patch; strategic-merge directives (`$...` keys) are ignored."""
    if not isinstance(patch, dict):
        return patch
    result = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if key.startswith("$"):
            continue
        if value is None:
            result.pop(key, None)
        else:
            result[key] = _merge(result.get(key), value)
    return result


def _matches(obj: dict, labels: str, fields: str) -> bool:
    have = obj.get("metadata", {}).get("labels") or {}
    for term in filter(None, labels.split(",")):
        key, _, value = term.partition("=")
        if have.get(key) != value:
            return False
    known = {
        "spec.nodeName": obj.get("spec", {}).get("nodeName", ""),
        "metadata.name": obj["metadata"]["name"],
        "metadata.namespace": obj["metadata"].get("namespace", ""),
    }
    for term in filter(None, fields.split(",")):
        key, _, value = term.partition("=")
        if known.get(key) != value:
            return False
    return True


class FakeApiServer:
    """Objects by (group/version, resource, namespace, name), served over HTTP on 127.0.0.1."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str, str, str], dict] = {}
        self.writes: list[dict] = []
        self._version = 100
        handler = type("Handler", (_Handler,), {"api": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def load(self, objects: list[dict]) -> None:
        """Replace the state with these objects and forget the logged writes."""
        self.objects.clear()
        self.writes.clear()
        for obj in objects:
            self.put(obj)

    def put(self, obj: dict) -> dict:
        gv, plural = PLURALS[obj["kind"]]
        meta = obj["metadata"]
        self._version += 1
        meta["resourceVersion"] = str(self._version)
        meta.setdefault("uid", f"00000000-0000-4000-8000-{self._version:012d}")
        meta.setdefault("creationTimestamp", "2025-01-01T00:00:00Z")
        obj.setdefault("apiVersion", gv)
        self.objects[(gv, plural, meta.get("namespace", ""), meta["name"])] = obj
        return obj

    def close(self) -> None:
        self.httpd.shutdown()


class _Handler(BaseHTTPRequestHandler):
    api: FakeApiServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def _send(self, code: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _status(self, code: int, reason: str, message: str, details: dict) -> None:
        self._send(
            code,
            {
                "kind": "Status",
                "apiVersion": "v1",
                "metadata": {},
                "status": "Failure",
                "message": message,
                "reason": reason,
                "details": details,
                "code": code,
            },
        )

    def _route(self) -> tuple[str, str, str, str, str, dict[str, str]] | None:
        url = urlparse(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        if parts[:2] == ["api", "v1"]:
            gv, rest = "v1", parts[2:]
        elif parts[:1] == ["apis"] and len(parts) >= 3:
            gv, rest = f"{parts[1]}/{parts[2]}", parts[3:]
        else:
            return None
        namespace = ""
        if len(rest) >= 2 and rest[0] == "namespaces" and len(rest) != 2:
            namespace, rest = rest[1], rest[2:]
        if not rest:
            return None
        return (
            gv,
            rest[0],
            namespace,
            rest[1] if len(rest) > 1 else "",
            rest[2] if len(rest) > 2 else "",
            query,
        )

    def _not_found(self, gv: str, plural: str, name: str) -> None:
        group = gv.split("/")[0] if "/" in gv else ""
        resource = f"{plural}.{group}" if group else plural
        self._status(
            404,
            "NotFound",
            f'{resource} "{name}" not found',
            {"name": name, "group": group, "kind": plural},
        )

    def _body(self) -> Any:
        data = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if data.startswith(PROTOBUF_MAGIC):
            return _from_protobuf(data)
        return json.loads(data or b"null")

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        if path == "/api":
            self._send(200, {"kind": "APIVersions", "versions": ["v1"]})
            return
        if path == "/apis":
            groups = [
                {
                    "name": gv.split("/")[0],
                    "versions": [{"groupVersion": gv, "version": gv.split("/")[1]}],
                    "preferredVersion": {"groupVersion": gv, "version": gv.split("/")[1]},
                }
                for gv in DISCOVERY
                if "/" in gv
            ]
            self._send(200, {"kind": "APIGroupList", "apiVersion": "v1", "groups": groups})
            return
        if path == "/version":
            self._send(200, {"major": "1", "minor": "33", "gitVersion": "v1.33.0"})
            return
        for gv, resources in DISCOVERY.items():
            if path in (f"/api/{gv}", f"/apis/{gv}"):
                self._send(
                    200,
                    {
                        "kind": "APIResourceList",
                        "apiVersion": "v1",
                        "groupVersion": gv,
                        "resources": resources,
                    },
                )
                return
        route = self._route()
        if route is None:
            self._status(404, "NotFound", "the server could not find the requested resource", {})
            return
        gv, plural, namespace, name, sub, query = route
        if query.get("watch") == "true":
            self._send(200, {})
            return
        if not name:
            items = [
                o
                for (g, p, ns, _), o in sorted(self.api.objects.items())
                if g == gv and p == plural and (not namespace or ns == namespace)
            ]
            items = [
                o
                for o in items
                if _matches(o, query.get("labelSelector", ""), query.get("fieldSelector", ""))
            ]
            kind = next(r["kind"] for r in DISCOVERY[gv] if r["name"] == plural)
            self._send(
                200,
                {
                    "kind": f"{kind}List",
                    "apiVersion": gv,
                    "metadata": {"resourceVersion": "1"},
                    "items": items,
                },
            )
            return
        obj = self.api.objects.get((gv, plural, namespace, name))
        if obj is None:
            self._not_found(gv, plural, name)
        elif sub == "scale" and plural not in SCALABLE:
            self._status(404, "NotFound", "the server could not find the requested resource", {})
        elif sub == "scale":
            self._send(200, _scale(obj))
        else:
            self._send(200, obj)

    def do_POST(self) -> None:
        body = self._body()
        route = self._route()
        assert route is not None
        gv, plural, namespace, name, sub, _ = route
        self.api.writes.append({"method": "POST", "path": self.path, "body": _copy(body)})
        if sub == "eviction":
            self.api.objects.pop((gv, plural, namespace, name), None)
            self._send(
                201,
                {
                    "kind": "Status",
                    "apiVersion": "v1",
                    "metadata": {},
                    "status": "Success",
                    "code": 201,
                },
            )
            return
        body.pop("encoding", None)
        meta = body["metadata"]
        if namespace:
            meta["namespace"] = namespace
        if (gv, plural, namespace, meta["name"]) in self.api.objects:
            group = gv.split("/")[0] if "/" in gv else ""
            resource = f"{plural}.{group}" if group else plural
            self._status(
                409,
                "AlreadyExists",
                f'{resource} "{meta["name"]}" already exists',
                {"name": meta["name"], "group": group, "kind": plural},
            )
            return
        meta.pop("creationTimestamp", None)
        self._send(201, self.api.put(body))

    def do_PATCH(self) -> None:
        body = self._body()
        route = self._route()
        assert route is not None
        gv, plural, namespace, name, sub, _ = route
        self.api.writes.append(
            {
                "method": "PATCH",
                "path": self.path,
                "body": _copy(body),
                "contentType": self.headers.get("Content-Type"),
            }
        )
        obj = self.api.objects.get((gv, plural, namespace, name))
        if obj is None:
            self._not_found(gv, plural, name)
            return
        if sub == "scale" and plural not in SCALABLE:
            self._status(404, "NotFound", "the server could not find the requested resource", {})
            return
        if sub == "scale":
            replicas = body["spec"]["replicas"]
            obj = self.api.put(_merge(obj, {"spec": {"replicas": replicas}}))
            self._send(200, _scale(obj))
            return
        self._send(200, self.api.put(_merge(obj, body)))

    def do_PUT(self) -> None:
        body = self._body()
        route = self._route()
        assert route is not None
        gv, plural, namespace, name, sub, _ = route
        self.api.writes.append({"method": "PUT", "path": self.path, "body": _copy(body)})
        obj = self.api.objects.get((gv, plural, namespace, name))
        if obj is None or sub != "scale":
            self._not_found(gv, plural, name)
            return
        obj = self.api.put(_merge(obj, {"spec": {"replicas": body["spec"]["replicas"]}}))
        self._send(200, _scale(obj))

    def do_DELETE(self) -> None:
        route = self._route()
        assert route is not None
        gv, plural, namespace, name, _, _ = route
        self.api.writes.append({"method": "DELETE", "path": self.path, "body": self._body()})
        obj = self.api.objects.pop((gv, plural, namespace, name), None)
        if obj is None:
            self._not_found(gv, plural, name)
        else:
            self._send(200, obj)


PROTOBUF_MAGIC = b"k8s\x00"


def _fields(data: bytes) -> dict[int, list[Any]]:
    """Protobuf wire format: field number -> values (varints as int, the rest as bytes)."""
    out: dict[int, list[Any]] = {}
    i = 0

    def varint() -> int:
        nonlocal i
        value = shift = 0
        while True:
            byte = data[i]
            i += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if byte < 0x80:
                return value

    while i < len(data):
        key = varint()
        number, wire = key >> 3, key & 7
        if wire == 0:
            value: Any = varint()
        elif wire == 2:
            size = varint()
            value, i = data[i : i + size], i + size
        elif wire == 1:
            value, i = data[i : i + 8], i + 8
        else:
            value, i = data[i : i + 4], i + 4
        out.setdefault(number, []).append(value)
    return out


def _from_protobuf(data: bytes) -> dict:
    """The kind and metadata (name, namespace, labels) of a protobuf-encoded object.

    kubectl v1.33's typed clients send protobuf; the fake server only needs enough of it to
    answer. The full object kubectl builds is recorded by the `--dry-run=client -o yaml` cases.
    """
    unknown = _fields(data[len(PROTOBUF_MAGIC) :])
    type_meta = _fields(unknown[1][0])
    raw = _fields(unknown[2][0])
    meta = _fields(raw[1][0])
    labels = {}
    for entry in meta.get(11, []):
        pair = _fields(entry)
        labels[pair[1][0].decode()] = pair.get(2, [b""])[0].decode()
    metadata: dict[str, Any] = {"name": meta[1][0].decode()}
    if 3 in meta:
        metadata["namespace"] = meta[3][0].decode()
    if labels:
        metadata["labels"] = labels
    kind = type_meta[2][0].decode()
    out = {
        "apiVersion": type_meta[1][0].decode(),
        "kind": kind,
        "metadata": metadata,
        "encoding": "protobuf",
    }
    if kind == "Scale":
        out["spec"] = {"replicas": _fields(raw[2][0]).get(1, [0])[0]}
    return out


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _scale(obj: dict) -> dict:
    meta = obj["metadata"]
    return {
        "kind": "Scale",
        "apiVersion": "autoscaling/v1",
        "metadata": {
            "name": meta["name"],
            "namespace": meta.get("namespace", ""),
            "resourceVersion": meta["resourceVersion"],
            "uid": meta["uid"],
        },
        "spec": {"replicas": obj["spec"].get("replicas", 1)},
        "status": {"replicas": obj["spec"].get("replicas", 1)},
    }
