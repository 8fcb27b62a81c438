"""What the program behind a socket answers to an HTTP request: by the container's image.

- nginx (`nginx`, `nginxinc/nginx-unprivileged`): its default site. `/` and `/index.html` are
  the welcome page (615 bytes; nginx's docs/html/index.html) with the headers nginx 1.27.3
  sends for it (`Last-Modified: Tue, 26 Nov 2024 15:55:00 GMT`, `ETag: "6745ef54-267"`, as a
  real nginx:1.27.3 pod answered); any other path its built-in 404 page. The version in
  `Server:` is the image tag's when the tag is one (`nginx:1.25.5`), else 1.27.3.
- agnhost (`registry.k8s.io/e2e-test-images/agnhost`) run as `netexec`: `/hostname` answers the
  pod's hostname, `/clientip` the ip:port the connection came from, `/echo?msg=M` M, `/healthz`
  an empty 200, any other path `NOW: <time>` (kubernetes test/images/agnhost/netexec/netexec.go,
  no trailing newline); as `serve-hostname`: the hostname on every path.
- `hashicorp/http-echo`: its `-text` and a newline on every path.
- the TLS-only servers (kube-apiserver, the kubelet, etcd, the controller manager and scheduler):
  Go's answer to plain HTTP on a TLS port, `400 Bad Request` and `Client sent an HTTP request to
  an HTTPS server.`
- CoreDNS: `OK` from its health (:8080/health) and ready (:8181/ready) plugins;
- anything else, `traefik/whoami` included: traefik/whoami's report (hostname, the pod's IPv4
  addresses, RemoteAddr, the request as Go's Request.Write orders it: Host, User-Agent, then
  the other headers sorted) — kubenet-nb's stand-in for a program it does not know,
  chosen because it shows which pod answered and the client address it saw.

Go servers send `Date`, `Content-Length`, `Content-Type` in that order (net/http extraHeader).
Header lines are shown with LF endings (on the wire they end in CRLF).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.cluster.listeners import image_repository
from kubenet_nb.network.tools.files import hostname
from kubenet_nb.network.tools.images import VERSION, image_tag

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["HttpRequest", "HttpResponse", "http_date", "respond", "server_time"]

NGINX_VERSION = "1.27.3"
NGINX_LAST_MODIFIED = "Tue, 26 Nov 2024 15:55:00 GMT"
NGINX_ETAG = '"6745ef54-267"'
WELCOME = """<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
"""
TLS_IMAGES = ("kube-apiserver", "etcd", "kube-controller-manager", "kube-scheduler")
UNSIMULATED = ("kube-proxy", "kindest/kindnetd", "kindest/local-path-provisioner")
"""Programs whose HTTP answers kubenet-nb does not know (kube-proxy's healthz and metrics)."""
TEXT = "text/plain; charset=utf-8"
REASONS = {200: "OK", 400: "Bad Request", 404: "Not Found"}


@dataclass(frozen=True)
class HttpRequest:
    """An HTTP/1.1 request line and headers, and where it came from as the server sees it."""

    method: str
    target: str
    """The path and query (`/echo?msg=hi`)."""
    headers: tuple[tuple[str, str], ...]
    peer: str
    """The client's ip:port as the server's socket sees it."""
    port: int = 80
    """The server's port the connection reached."""


@dataclass(frozen=True)
class HttpResponse:
    """Status, headers in the server's order, body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: str = ""
    version: str = "HTTP/1.1"

    @property
    def status_line(self) -> str:
        return f"{self.version} {self.status} {REASONS.get(self.status, '')}".rstrip()

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


def http_date(moment: datetime) -> str:
    """RFC 7231 IMF-fixdate, as servers write `Date:`."""
    return moment.strftime("%a, %d %b %Y %H:%M:%S GMT")


def _length(body: str) -> str:
    return str(len(body.encode()))


def _go(status: int, body: str, date: str, content_type: str | None = TEXT) -> HttpResponse:
    headers = [("Date", date), ("Content-Length", _length(body))]
    if content_type and body:
        headers.append(("Content-Type", content_type))
    return HttpResponse(status, tuple(headers), body)


def _nginx(image: str, request: HttpRequest, date: str) -> HttpResponse:
    tag = image_tag(image)
    version = tag if VERSION.fullmatch(tag) else NGINX_VERSION
    path = request.target.split("?", 1)[0]
    if path in ("/", "/index.html"):
        headers: tuple[tuple[str, str], ...] = (
            ("Server", f"nginx/{version}"),
            ("Date", date),
            ("Content-Type", "text/html"),
            ("Content-Length", _length(WELCOME)),
            ("Last-Modified", NGINX_LAST_MODIFIED),
            ("Connection", "keep-alive"),
            ("ETag", NGINX_ETAG),
            ("Accept-Ranges", "bytes"),
        )
        return HttpResponse(200, headers, WELCOME)
    lines = (
        "<html>",
        "<head><title>404 Not Found</title></head>",
        "<body>",
        "<center><h1>404 Not Found</h1></center>",
        f"<hr><center>nginx/{version}</center>",
        "</body>",
        "</html>",
    )
    wire = "".join(line + "\r\n" for line in lines)
    headers = (
        ("Server", f"nginx/{version}"),
        ("Date", date),
        ("Content-Type", "text/html"),
        ("Content-Length", _length(wire)),
        ("Connection", "keep-alive"),
    )
    return HttpResponse(404, headers, "".join(line + "\n" for line in lines))


def _go_time(moment: datetime, since_start: float) -> str:
    """Go's time.Time.String() of a wall clock reading with its monotonic part."""
    return f"NOW: {moment:%Y-%m-%d %H:%M:%S} +0000 UTC m=+{since_start:.9f}"


def _agnhost(context: _Server, request: HttpRequest, date: str) -> HttpResponse:
    container = context.container
    args = [str(a) for a in [*(container.get("command") or []), *(container.get("args") or [])]]
    name = hostname(context.pod)
    if "serve-hostname" in args:
        return _go(200, name, date)
    path, _, query = request.target.partition("?")
    if path in ("/hostname", "/hostName"):
        return _go(200, name, date)
    if path == "/clientip":
        return _go(200, request.peer, date)
    if path == "/echo":
        return _go(200, (parse_qs(query).get("msg") or [""])[0], date)
    if path == "/healthz":
        return _go(200, "", date, None)
    return _go(200, _go_time(context.now, context.uptime), date)


def _coredns(request: HttpRequest, date: str) -> HttpResponse:
    """kubeadm's Corefile: `health` on :8080 (/health) and `ready` on :8181 (/ready) answer
    "OK"; other paths get http.NotFound (http.Error's headers first, then Date and
    Content-Length). DNS on 53 and metrics on 9153 are not simulated."""
    paths = {8080: "/health", 8181: "/ready"}
    if request.port not in paths:
        raise KubenetError(f"CoreDNS's answer on port {request.port} is not simulated")
    if request.target.split("?", 1)[0] == paths[request.port]:
        return _go(200, "OK", date)
    body = "404 page not found\n"
    headers = (
        ("Content-Type", TEXT),
        ("X-Content-Type-Options", "nosniff"),
        ("Date", date),
        ("Content-Length", _length(body)),
    )
    return HttpResponse(404, headers, body)


def _whoami(context: _Server, request: HttpRequest, date: str) -> HttpResponse:
    ips = ["127.0.0.1"] + [
        entry["ip"] for entry in (context.pod.get("status") or {}).get("podIPs") or []
    ]
    lines = [f"Hostname: {hostname(context.pod)}", *(f"IP: {ip}" for ip in ips)]
    lines.append(f"RemoteAddr: {request.peer}")
    lines.append(f"{request.method} {request.target} HTTP/1.1")
    first = [h for name in ("Host", "User-Agent") for h in request.headers if h[0] == name]
    rest = sorted(h for h in request.headers if h[0] not in ("Host", "User-Agent"))
    lines += [f"{name}: {value}" for name, value in first + rest]
    body = "\n".join(lines) + "\n\n"
    return _go(200, body, date)


@dataclass(frozen=True)
class _Server:
    pod: dict
    container: dict
    now: datetime
    uptime: float


def server_time(
    cluster: ControlPlane, pod: dict | None, container: dict | None
) -> tuple[datetime, float]:
    """The simulated time now, and how long the container (or its pod) has been running."""
    now = cluster.clock.now
    status = (pod or {}).get("status") or {}
    name = (container or {}).get("name")
    started = status.get("startTime")
    for entry in status.get("containerStatuses") or []:
        running = (entry.get("state") or {}).get("running") or {}
        if entry.get("name") == name and running.get("startedAt"):
            started = running["startedAt"]
    if not started:
        return now, 0.0
    moment = datetime.strptime(started, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return now, max((now - moment).total_seconds(), 0.0)


def _closing(response: HttpResponse, request: HttpRequest) -> HttpResponse:
    """A request with `Connection: close` (busybox wget's) gets `Connection: close` back: nginx
    in place of its keep-alive, Go after its other headers (net/http extraHeader)."""
    asks = any(k.lower() == "connection" and v.lower() == "close" for k, v in request.headers)
    if not asks or response.version != "HTTP/1.1":
        return response
    kept = [(k, v) for k, v in response.headers if k.lower() != "connection"]
    if len(kept) < len(response.headers):
        headers = [(k, "close" if k.lower() == "connection" else v) for k, v in response.headers]
    else:
        headers = [*kept, ("Connection", "close")]
    return HttpResponse(response.status, tuple(headers), response.body, response.version)


def respond(
    pod: dict | None, container: dict | None, request: HttpRequest, now: datetime, uptime: float
) -> HttpResponse:
    """The answer of the program listening in `container` of `pod` (None: a node's own TLS
    socket, the kubelet's or the API server's), at simulated time `now`, `uptime` seconds after
    the container started."""
    return _closing(_answer(pod, container, request, now, uptime), request)


def _answer(
    pod: dict | None, container: dict | None, request: HttpRequest, now: datetime, uptime: float
) -> HttpResponse:
    date = http_date(now)
    image = (container or {}).get("image") or ""
    repository = image_repository(image)
    if pod is None or container is None or repository in TLS_IMAGES:
        body = "Client sent an HTTP request to an HTTPS server.\n"
        return HttpResponse(400, (), body, version="HTTP/1.0")
    server = _Server(pod, container, now, uptime)
    if repository in ("nginx", "nginxinc/nginx-unprivileged"):
        return _nginx(image, request, date)
    if repository == "e2e-test-images/agnhost":
        return _agnhost(server, request, date)
    if repository == "coredns/coredns":
        return _coredns(request, date)
    if repository in UNSIMULATED:
        raise KubenetError(f"the answer of {image} on port {request.port} is not simulated")
    if repository == "hashicorp/http-echo":
        args = [str(a) for a in container.get("args") or []]
        text = next((a.split("=", 1)[1] for a in args if a.startswith("-text=")), "")
        return _go(200, text + "\n", date)
    return _whoami(server, request, date)
