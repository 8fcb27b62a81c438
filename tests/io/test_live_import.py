"""`Cluster.from_kubeconfig` against a fake API server: GET requests only, objects as observed.

The fake server (http.server on 127.0.0.1, plain HTTP) serves canned list responses for a small
kind cluster (2 nodes, CoreDNS, a Deployment `web` with 2 pods behind a NodePort Service and its
EndpointSlice), shaped as kube-apiserver v1.33 answers a list: `kind: PodList`, items without
kind or apiVersion, `metadata.continue` when a page is cut. It records every request and answers
anything but a GET of a known list with an error, which the tests then fail on.
"""

from __future__ import annotations

import json
import subprocess
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.io.live import LISTS

CREATED = "2025-06-02T09:00:00Z"
STARTED = "2025-06-02T09:00:20Z"
WEB_IPS = ("10.244.1.5", "10.244.1.7")
WEB_CLUSTER_IP, WEB_NODE_PORT = "10.96.57.13", 31234


def _meta(name: str, namespace: str | None = None, **extra: Any) -> dict:
    meta = {
        "name": name,
        "uid": f"00000000-0000-4000-8000-{zlib.crc32(f'{namespace}/{name}'.encode()):012d}",
        "resourceVersion": "4242",
        "creationTimestamp": CREATED,
        **extra,
    }
    if namespace is not None:
        meta["namespace"] = namespace
    return meta


def _node(name: str, ip: str, cidr: str, control_plane: bool = False) -> dict:
    labels = {"kubernetes.io/hostname": name, "kubernetes.io/os": "linux"}
    spec: dict[str, Any] = {
        "podCIDR": cidr,
        "podCIDRs": [cidr],
        "providerID": f"kind://docker/kind/{name}",
    }
    if control_plane:
        labels["node-role.kubernetes.io/control-plane"] = ""
        spec["taints"] = [{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}]
    ready = {
        "type": "Ready",
        "status": "True",
        "lastHeartbeatTime": STARTED,
        "lastTransitionTime": STARTED,
        "reason": "KubeletReady",
        "message": "kubelet is posting ready status",
    }
    return {
        "metadata": _meta(name, labels=labels),
        "spec": spec,
        "status": {
            "addresses": [
                {"type": "InternalIP", "address": ip},
                {"type": "Hostname", "address": name},
            ],
            "allocatable": {"cpu": "8", "memory": "16Gi", "pods": "110"},
            "capacity": {"cpu": "8", "memory": "16Gi", "pods": "110"},
            "conditions": [ready],
            "daemonEndpoints": {"kubeletEndpoint": {"Port": 10250}},
            "nodeInfo": {
                "architecture": "amd64",
                "bootID": "b",
                "containerRuntimeVersion": "containerd://2.1.1",
                "kernelVersion": "6.8.0",
                "kubeProxyVersion": "",
                "kubeletVersion": "v1.33.1",
                "machineID": "m",
                "operatingSystem": "linux",
                "osImage": "Debian GNU/Linux 12 (bookworm)",
                "systemUUID": "s",
            },
        },
    }


def _pod(name: str, namespace: str, rs: str, labels: dict, node: tuple, ip: str, port: int) -> dict:
    owner = {
        "apiVersion": "apps/v1",
        "kind": "ReplicaSet",
        "name": rs,
        "uid": _meta(rs, namespace)["uid"],
        "controller": True,
        "blockOwnerDeletion": True,
    }
    condition = {"status": "True", "lastProbeTime": None, "lastTransitionTime": STARTED}
    return {
        "metadata": _meta(
            name, namespace, generateName=f"{rs}-", labels=labels, ownerReferences=[owner]
        ),
        "spec": {
            "containers": [
                {
                    "name": "main",
                    "image": "registry.k8s.io/e2e-test-images/agnhost:2.53",
                    "args": ["netexec", f"--http-port={port}"],
                    "imagePullPolicy": "IfNotPresent",
                    "ports": [{"containerPort": port, "protocol": "TCP"}],
                    "resources": {},
                }
            ],
            "dnsPolicy": "ClusterFirst",
            "nodeName": node[0],
            "restartPolicy": "Always",
            "schedulerName": "default-scheduler",
            "terminationGracePeriodSeconds": 30,
        },
        "status": {
            "phase": "Running",
            "conditions": [
                {**condition, "type": kind} for kind in ("Initialized", "Ready", "PodScheduled")
            ],
            "hostIP": node[1],
            "hostIPs": [{"ip": node[1]}],
            "podIP": ip,
            "podIPs": [{"ip": ip}],
            "qosClass": "BestEffort",
            "startTime": STARTED,
            "containerStatuses": [
                {
                    "name": "main",
                    "image": "registry.k8s.io/e2e-test-images/agnhost:2.53",
                    "imageID": "",
                    "containerID": f"containerd://{name}",
                    "ready": True,
                    "started": True,
                    "restartCount": 0,
                    "state": {"running": {"startedAt": STARTED}},
                    "lastState": {},
                }
            ],
        },
    }


def _service(name: str, namespace: str, ip: str, ports: list[dict], **spec: Any) -> dict:
    return {
        "metadata": _meta(name, namespace),
        "spec": {
            "clusterIP": ip,
            "clusterIPs": [ip],
            "internalTrafficPolicy": "Cluster",
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "ports": ports,
            "sessionAffinity": "None",
            "type": "ClusterIP",
            **spec,
        },
        "status": {"loadBalancer": {}},
    }


def _slice(name: str, namespace: str, service: str, pods: list[tuple], ports: list[dict]) -> dict:
    labels = {"kubernetes.io/service-name": service}
    if service != "kubernetes":
        labels["endpointslice.kubernetes.io/managed-by"] = "endpointslice-controller.k8s.io"
    return {
        "metadata": _meta(name, namespace, labels=labels),
        "addressType": "IPv4",
        "endpoints": [
            {
                "addresses": [ip],
                "conditions": {"ready": True, "serving": True, "terminating": False},
                **({"nodeName": node, "targetRef": {"kind": "Pod", "name": pod}} if pod else {}),
            }
            for pod, ip, node in pods
        ],
        "ports": ports,
    }


CONTROL_PLANE, WORKER = ("kind-control-plane", "172.18.0.2"), ("kind-worker", "172.18.0.3")
WEB_LABELS = {"app": "web", "pod-template-hash": "5d9c7b8f6d"}
WEB_PODS = ["web-5d9c7b8f6d-kx8vq", "web-5d9c7b8f6d-p2lz4"]
TEMPLATE = {
    "metadata": {"creationTimestamp": None, "labels": {"app": "web"}},
    "spec": {
        "containers": [
            {
                "name": "main",
                "image": "registry.k8s.io/e2e-test-images/agnhost:2.53",
                "args": ["netexec", "--http-port=8080"],
                "imagePullPolicy": "IfNotPresent",
                "resources": {},
                "terminationMessagePath": "/dev/termination-log",
                "terminationMessagePolicy": "File",
            }
        ],
        "dnsPolicy": "ClusterFirst",
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "terminationGracePeriodSeconds": 30,
    },
}
"""The web pods' template as the API server defaults it."""
DNS_PORTS = [
    {"name": "dns", "port": 53, "protocol": "UDP", "targetPort": 53},
    {"name": "dns-tcp", "port": 53, "protocol": "TCP", "targetPort": 53},
]
PROXY_CONFIG = "apiVersion: kubeproxy.config.k8s.io/v1alpha1\nclusterCIDR: 10.244.0.0/16\n"
COREFILE = ".:53 {\n    errors\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n    }\n}\n"
LIST_KINDS: dict[str, tuple[str, str, list[dict]]] = {
    "/api/v1/namespaces": (
        "v1",
        "NamespaceList",
        [
            {
                "metadata": _meta(n),
                "spec": {"finalizers": ["kubernetes"]},
                "status": {"phase": "Active"},
            }
            for n in ("default", "kube-system")
        ],
    ),
    "/api/v1/nodes": (
        "v1",
        "NodeList",
        [
            _node(*CONTROL_PLANE, "10.244.0.0/24", control_plane=True),
            _node(*WORKER, "10.244.1.0/24"),
        ],
    ),
    "/api/v1/services": (
        "v1",
        "ServiceList",
        [
            _service(
                "kubernetes",
                "default",
                "10.96.0.1",
                [{"name": "https", "port": 443, "protocol": "TCP", "targetPort": 6443}],
            ),
            _service(
                "web",
                "default",
                WEB_CLUSTER_IP,
                [{"port": 80, "protocol": "TCP", "targetPort": 8080, "nodePort": WEB_NODE_PORT}],
                type="NodePort",
                selector={"app": "web"},
                externalTrafficPolicy="Cluster",
            ),
            _service(
                "kube-dns", "kube-system", "10.96.0.10", DNS_PORTS, selector={"k8s-app": "kube-dns"}
            ),
        ],
    ),
    "/api/v1/pods": (
        "v1",
        "PodList",
        [
            _pod(
                "coredns-674b8bbfcf-7xq2w",
                "kube-system",
                "coredns-674b8bbfcf",
                {"k8s-app": "kube-dns", "pod-template-hash": "674b8bbfcf"},
                CONTROL_PLANE,
                "10.244.0.2",
                53,
            ),
            *(
                _pod(name, "default", "web-5d9c7b8f6d", WEB_LABELS, WORKER, ip, 8080)
                for name, ip in zip(WEB_PODS, WEB_IPS, strict=True)
            ),
        ],
    ),
    "/apis/discovery.k8s.io/v1/endpointslices": (
        "discovery.k8s.io/v1",
        "EndpointSliceList",
        [
            _slice(
                "kubernetes",
                "default",
                "kubernetes",
                [(None, CONTROL_PLANE[1], None)],
                [{"name": "https", "port": 6443, "protocol": "TCP"}],
            ),
            _slice(
                "web-7h2kq",
                "default",
                "web",
                [(name, ip, WORKER[0]) for name, ip in zip(WEB_PODS, WEB_IPS, strict=True)],
                [{"name": "", "port": 8080, "protocol": "TCP"}],
            ),
            _slice(
                "kube-dns-v5tzb",
                "kube-system",
                "kube-dns",
                [("coredns-674b8bbfcf-7xq2w", "10.244.0.2", CONTROL_PLANE[0])],
                [
                    {"name": "dns", "port": 53, "protocol": "UDP"},
                    {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
                ],
            ),
        ],
    ),
    "/apis/apps/v1/deployments": (
        "apps/v1",
        "DeploymentList",
        [
            {
                "metadata": _meta("web", "default", generation=1),
                "spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": {"app": "web"}},
                    "strategy": {
                        "type": "RollingUpdate",
                        "rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                    },
                    "template": TEMPLATE,
                },
                "status": {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2},
            }
        ],
    ),
    "/apis/apps/v1/replicasets": (
        "apps/v1",
        "ReplicaSetList",
        [
            {
                "metadata": _meta(
                    "web-5d9c7b8f6d",
                    "default",
                    labels=WEB_LABELS,
                    ownerReferences=[
                        {
                            "apiVersion": "apps/v1",
                            "kind": "Deployment",
                            "name": "web",
                            "uid": _meta("web", "default")["uid"],
                            "controller": True,
                            "blockOwnerDeletion": True,
                        }
                    ],
                ),
                "spec": {
                    "replicas": 2,
                    "selector": {"matchLabels": WEB_LABELS},
                    "template": {
                        **TEMPLATE,
                        "metadata": {"creationTimestamp": None, "labels": WEB_LABELS},
                    },
                },
                "status": {"replicas": 2, "readyReplicas": 2, "availableReplicas": 2},
            }
        ],
    ),
    "/api/v1/configmaps": (
        "v1",
        "ConfigMapList",
        [
            {"metadata": _meta("coredns", "kube-system"), "data": {"Corefile": COREFILE}},
            {
                "metadata": _meta("kube-proxy", "kube-system"),
                "data": {"config.conf": PROXY_CONFIG},
            },
        ],
    ),
}
"""The lists served with items, by path; every other list the import reads is served empty."""


class FakeApiServer(ThreadingHTTPServer):
    """Canned lists by path; every request recorded as (method, path, query)."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.requests: list[tuple[str, str, dict[str, list[str]]]] = []
        self.lists = {path: LIST_KINDS.get(path) for path in EXPECTED_PATHS}


class Handler(BaseHTTPRequestHandler):
    """GET of a known list: its page; anything else: recorded and refused."""

    server: FakeApiServer

    def log_message(self, *args: Any) -> None:
        """Quiet: the requests are recorded, not logged."""

    def _record(self) -> tuple[str, dict[str, list[str]]]:
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        self.server.requests.append((self.command, url.path, query))
        return url.path, query

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        path, query = self._record()
        if path not in self.server.lists:
            self._reply(404, {"kind": "Status", "code": 404, "reason": "NotFound"})
            return
        api_version, kind, items = self.server.lists[path] or _empty(path)
        page, token = items, ""
        if path == "/api/v1/pods" and "continue" not in query:  # a cut page, as with a small limit
            page, token = items[:1], "pods-page-2"
        elif path == "/api/v1/pods":
            page = items[1:]
        body = {
            "kind": kind,
            "apiVersion": api_version,
            "metadata": {"resourceVersion": "4242", **({"continue": token} if token else {})},
            "items": page,
        }
        self._reply(200, body)

    def _refuse(self) -> None:
        self._record()
        self._reply(405, {"kind": "Status", "code": 405, "reason": "MethodNotAllowed"})

    do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _refuse


EXPECTED_PATHS = {
    "/api/v1/namespaces",
    "/api/v1/nodes",
    "/api/v1/services",
    "/api/v1/endpoints",
    "/api/v1/pods",
    "/api/v1/configmaps",
    "/api/v1/serviceaccounts",
    "/apis/discovery.k8s.io/v1/endpointslices",
    "/apis/apps/v1/deployments",
    "/apis/apps/v1/replicasets",
    "/apis/apps/v1/daemonsets",
    "/apis/apps/v1/statefulsets",
    "/apis/networking.k8s.io/v1/networkpolicies",
    "/apis/networking.k8s.io/v1/ingresses",
    "/apis/networking.k8s.io/v1/servicecidrs",
    "/apis/networking.k8s.io/v1/ipaddresses",
}


def _empty(path: str) -> tuple[str, str, list[dict]]:
    """An empty list response for one of the other lists the import reads."""
    group = path.split("/")[2:4] if path.startswith("/apis/") else ["v1"]
    kinds = {
        "endpoints": "EndpointsList",
        "daemonsets": "DaemonSetList",
        "statefulsets": "StatefulSetList",
        "networkpolicies": "NetworkPolicyList",
        "ingresses": "IngressList",
        "servicecidrs": "ServiceCIDRList",
        "ipaddresses": "IPAddressList",
        "serviceaccounts": "ServiceAccountList",
    }
    return "/".join(group), kinds[path.rsplit("/", 1)[1]], []


@pytest.fixture
def server() -> Iterator[FakeApiServer]:
    fake = FakeApiServer()
    thread = threading.Thread(target=fake.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        fake.shutdown()
        fake.server_close()
        thread.join(timeout=5)


def _kubeconfig(tmp_path: Path, port: int, user: dict | None = None) -> Path:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "kind-kind", "cluster": {"server": f"http://127.0.0.1:{port}"}}],
        "users": [{"name": "kind-kind", "user": user or {"token": "fake-token"}}],
        "contexts": [
            {"name": "kind-kind", "context": {"cluster": "kind-kind", "user": "kind-kind"}}
        ],
        "current-context": "kind-kind",
    }
    path = tmp_path / "kubeconfig"
    path.write_text(json.dumps(config))
    return path


@pytest.fixture
def no_processes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No kubectl on PATH, and starting any process fails the test."""
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))

    def refuse(*args: object, **kwargs: object) -> None:
        pytest.fail(f"the import started a process: {args!r}")

    monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.fixture
def imported(server: FakeApiServer, tmp_path: Path, no_processes: None) -> Cluster:
    return Cluster.from_kubeconfig(kubeconfig=str(_kubeconfig(tmp_path, server.server_port)))


def test_the_import_sends_only_gets_of_the_lists_it_reads(
    imported: Cluster, server: FakeApiServer
) -> None:
    methods = {method for method, _, _ in server.requests}
    paths = [path for _, path, _ in server.requests]
    assert methods == {"GET"}
    assert set(paths) == EXPECTED_PATHS
    assert len(paths) == len(LISTS) + 1  # one list each, the pods in two pages
    for _, _, query in server.requests:
        assert query.get("limit") == ["500"]
        assert "watch" not in query
    assert [q.get("continue") for _, p, q in server.requests if p == "/api/v1/pods"] == [
        None,
        ["pods-page-2"],
    ]
    assert all(method.startswith("list_") for _, method, _ in LISTS)


def test_objects_keep_their_observed_names_ips_ports_and_status(imported: Cluster) -> None:
    c = imported
    assert [n["metadata"]["name"] for n in c.list("nodes")] == ["kind-control-plane", "kind-worker"]
    assert [n["spec"]["podCIDR"] for n in c.list("nodes")] == ["10.244.0.0/24", "10.244.1.0/24"]
    web = c.get("svc", "web")
    assert web["spec"]["clusterIP"] == WEB_CLUSTER_IP
    assert web["spec"]["ports"][0]["nodePort"] == WEB_NODE_PORT
    assert web["metadata"]["uid"] == _meta("web", "default")["uid"]
    pods = c.list("pods", selector="app=web")
    assert [(p["metadata"]["name"], p["status"]["podIP"]) for p in pods] == list(
        zip(WEB_PODS, WEB_IPS, strict=True)
    )
    assert [p["spec"]["nodeName"] for p in pods] == ["kind-worker"] * 2
    assert [s["metadata"]["name"] for s in c.list("endpointslices")] == ["kubernetes", "web-7h2kq"]
    assert c.get("deploy", "web")["status"]["readyReplicas"] == 2
    settings = c.settings
    assert (settings.name, settings.workers, settings.service_cidr, settings.pod_cidr) == (
        "kind",
        1,
        "10.96.0.0/16",
        "10.244.0.0/16",
    )
    assert "web-5d9c7b8f6d-kx8vq   1/1     Running" in c.kubectl("get pods -o wide")


def test_a_pod_reaches_the_service_at_an_observed_endpoint(imported: Cluster) -> None:
    trace = imported.trace(f"default/{WEB_PODS[0]}", "web", seed=1)
    assert trace.verdict == "delivered"
    assert trace.endpoint in {f"{ip}:8080" for ip in WEB_IPS}
    rules = imported.iptables_save(node="kind-worker")
    assert f"-A KUBE-SERVICES -d {WEB_CLUSTER_IP}/32 -p tcp" in rules
    assert f"--dport {WEB_NODE_PORT}" in rules
    for ip in WEB_IPS:
        assert f"--to-destination {ip}:8080" in rules


def test_later_changes_get_addresses_the_snapshot_does_not_hold(imported: Cluster) -> None:
    c = imported
    c.kubectl("scale deployment web --replicas=4")
    ips = [p["status"]["podIP"] for p in c.list("pods", selector="app=web")]
    assert len(set(ips)) == 4
    assert set(WEB_IPS) <= set(ips)
    created = c.create(
        {
            "apiVersion": "v1",
            "kind": "Service",
            "metadata": {"name": "other"},
            "spec": {"type": "NodePort", "ports": [{"port": 80}]},
        }
    )
    assert created["spec"]["clusterIP"] not in {WEB_CLUSTER_IP, "10.96.0.1", "10.96.0.10"}
    assert created["spec"]["ports"][0]["nodePort"] != WEB_NODE_PORT


def test_the_kubeconfig_is_read_not_written(
    server: FakeApiServer, tmp_path: Path, no_processes: None
) -> None:
    path = _kubeconfig(tmp_path, server.server_port)
    before = path.read_bytes()
    Cluster.from_kubeconfig("kind-kind", str(path))
    assert path.read_bytes() == before


def test_credentials_from_a_program_are_refused_before_any_request(
    server: FakeApiServer, tmp_path: Path, no_processes: None
) -> None:
    exec_user = {"exec": {"apiVersion": "client.authentication.k8s.io/v1", "command": "/bin/false"}}
    path = _kubeconfig(tmp_path, server.server_port, exec_user)
    with pytest.raises(KubenetError, match="credentials from a program"):
        Cluster.from_kubeconfig(kubeconfig=str(path))
    assert server.requests == []


def test_an_unknown_context_is_refused(server: FakeApiServer, tmp_path: Path) -> None:
    path = _kubeconfig(tmp_path, server.server_port)
    with pytest.raises(KubenetError, match='context "nope" does not exist'):
        Cluster.from_kubeconfig("nope", str(path))
    assert server.requests == []
