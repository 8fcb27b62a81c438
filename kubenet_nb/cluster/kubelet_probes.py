"""What one run of a container's probe answers, by what the container really listens on.

The handlers of k/k pkg/probe @ v1.33.0, as pkg/kubelet/prober/prober.go `runProbe` calls them
(the host is the pod's IP unless the probe names one; a port is a number or the name of one of
the container's ports, else `strconv.Atoi` of it). The kubelet reaches the pod's sockets at the
pod's IP (a host-network pod's loopback ones at 127.0.0.1 too); any other host the simulation
does not route a probe to, and refuses it:

- httpGet (pkg/probe/http/http.go `DoHTTPProbe`): a connection nobody accepts is a failure with
  the client's error, `Get "http://IP:PORT/path": dial tcp IP:PORT: connect: connection refused`;
  a status of 200-399 passes, any other gives `HTTP probe failed with statuscode: N`. What the
  program answers: nginx its default site (`/` and `/index.html`, else 404), CoreDNS `/health`
  on 8080 and `/ready` on 8181 (else 404), the control plane's TLS servers 400 to plain HTTP,
  and any other program (agnhost netexec, http-echo, ...) 200 on every path; an HTTPS probe of
  a plain HTTP server fails with `http: server gave HTTP response to HTTPS client`;
- tcpSocket (pkg/probe/tcp/tcp.go): the dial's error, `dial tcp IP:PORT: connect: connection
  refused`, when nothing listens; success as soon as something accepts;
- exec (pkg/probe/exec/exec.go): the command's combined output; the simulated command succeeds
  silently unless the application is made to fail it (exit 1, no output);
- grpc (pkg/probe/grpc/grpc.go): the blocking dial gives up after timeoutSeconds, `timeout:
  failed to connect service "IP:PORT" within 1s: context deadline exceeded`, when nothing
  listens; a failing service answers `service unhealthy (responded with "NOT_SERVING")`.

A probe the application is made to fail (the prober's `failing`): httpGet answers that status
(503 for `set_ready`), tcpSocket is refused (the application closed its socket), exec exits 1,
grpc answers NOT_SERVING.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kubenet_nb.cluster.listeners import Listener, image_repository

__all__ = [
    "ERROR",
    "FAILING_HTTP_STATUS",
    "FAILURE",
    "SUCCESS",
    "ProbeRun",
    "has_readiness_probe",
    "run_probe",
]

SUCCESS, FAILURE, ERROR = "success", "failure", "error"
FAILING_HTTP_STATUS = 503
"""What the simulated application answers a readiness httpGet once `set_ready` makes it fail
(Service Unavailable)."""
TLS_PROGRAMS = ("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler")
NGINX = ("nginx", "nginxinc/nginx-unprivileged")


@dataclass(frozen=True)
class ProbeRun:
    """A probe run: SUCCESS, FAILURE (output: the handler's words) or ERROR (output: why)."""

    result: str
    output: str = ""


def has_readiness_probe(container: dict) -> bool:
    return bool(container.get("readinessProbe"))


def run_probe(
    probe: dict,
    container: dict,
    pod: dict,
    pod_ip: str,
    listeners: Sequence[Listener],
    failing: int | None,
) -> ProbeRun:
    """Run `probe` of `container` once, the pod at `pod_ip` listening on `listeners`;
    `failing`: the application fails it (the HTTP status it answers)."""
    if "exec" in probe:
        return ProbeRun(FAILURE) if failing is not None else ProbeRun(SUCCESS)
    action = probe.get("httpGet") or probe.get("tcpSocket") or probe.get("grpc") or {}
    port = _port(action.get("port"), container)
    if isinstance(port, str):
        return ProbeRun(ERROR, port)
    host = action.get("host") or pod_ip
    address = _join(host, port)
    own = host == pod_ip or (pod["spec"].get("hostNetwork") and host.startswith("127."))
    sockets = listeners if own else ()
    listener = next((s for s in sockets if s.accepts(host, port, "TCP")), None)
    listens = listener is not None
    refused = f"dial tcp {address}: connect: connection refused"
    if "grpc" in probe:
        if not listens:
            within = f"{probe.get('timeoutSeconds', 1)}s"
            return ProbeRun(
                FAILURE,
                f'timeout: failed to connect service "{address}" within {within}: '
                "context deadline exceeded",
            )
        if failing is not None:
            return ProbeRun(FAILURE, 'service unhealthy (responded with "NOT_SERVING")')
        return ProbeRun(SUCCESS)
    if "tcpSocket" in probe:
        return ProbeRun(SUCCESS) if listens and failing is None else ProbeRun(FAILURE, refused)
    scheme = str(action.get("scheme") or "HTTP").lower()
    url = f"{scheme}://{address}{action.get('path') or ''}"
    if listener is None:
        return ProbeRun(FAILURE, f'Get "{url}": {refused}')
    program = next(c for c in pod["spec"]["containers"] if c["name"] == listener.container)
    status = failing if failing is not None else _http_status(program, port, action)
    if status is None:
        return ProbeRun(FAILURE, f'Get "{url}": http: server gave HTTP response to HTTPS client')
    if 200 <= status < 400:
        return ProbeRun(SUCCESS)
    return ProbeRun(FAILURE, f"HTTP probe failed with statuscode: {status}")


def _http_status(program: dict, port: int, action: dict) -> int | None:
    """The status the program answers the probe's GET with (None: a plain HTTP server asked
    for TLS)."""
    repository = image_repository(program.get("image") or "")
    tls = str(action.get("scheme") or "HTTP").upper() == "HTTPS"
    if repository in TLS_PROGRAMS:
        return 200 if tls else 400
    if tls:
        return None
    path = str(action.get("path") or "/").split("?", 1)[0]
    if repository in NGINX:
        return 200 if path in ("/", "/index.html") else 404
    if repository == "coredns/coredns":
        return 200 if (port, path) in ((8080, "/health"), (8181, "/ready")) else 404
    return 200


def _port(port: object, container: dict) -> int | str:
    """prober.go extractPort: the number, or an error's text (a string)."""
    if isinstance(port, str):
        named = next(
            (p.get("containerPort") for p in container.get("ports") or () if p.get("name") == port),
            None,
        )
        if named is None:
            if not port.isdigit():
                return f'strconv.Atoi: parsing "{port}": invalid syntax'
            named = int(port)
        port = named
    if isinstance(port, int) and 0 < port < 65536:
        return port
    return f"invalid port number: {port}"


def _join(host: str, port: int) -> str:
    """net.JoinHostPort."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
