"""Serving one HTTP request a tool delivered, and the access-log line the server writes for it.

`serve` is where every HTTP request the simulated tools (`curl`, `wget`) deliver to a pod
reaches its server: the answer comes from `tools/http.py`, and a server that logs requests
appends its line to the container's log, which the cluster keeps (`ControlPlane.
container_logs`) and `kubectl logs` reads. One delivered request, one line; a connection that
carried no request (`trace`, `send`: a TCP handshake and nothing more) logs nothing, as nginx
writes no access-log line for a connection closed before a request arrived.

Only nginx's lines are simulated: the official image's nginx.conf logs every request in its
`main` format to /var/log/nginx/access.log, a link to /dev/stdout (nginxinc/docker-nginx
mainline/debian/Dockerfile @ 1.27.3; the `log_format main` of the nginx.conf nginx's Debian
packages install):

    $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
    "$http_referer" "$http_user_agent" "$http_x_forwarded_for"

`$remote_addr` is the address the pod saw (after any SNAT or masquerade), `$time_local` the
cluster's simulated time in UTC, `$body_bytes_sent` the body's size on the wire (0 for HEAD),
and an absent value is `-`. Other servers (agnhost, http-echo, whoami...) log nothing here.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kubenet_nb.cluster.container_logs import LogLine
from kubenet_nb.cluster.listeners import image_repository
from kubenet_nb.network.tools.http import HttpRequest, HttpResponse, respond, server_time

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["NGINX_REPOSITORIES", "nginx_access_line", "serve"]

NGINX_REPOSITORIES = ("nginx", "nginxinc/nginx-unprivileged")


def _escaped(value: str) -> str:
    """nginx's default log escaping: `"`, `\\` and bytes outside 0x20-0x7e as `\\xXX`."""
    out = []
    for byte in value.encode():
        if byte in (0x22, 0x5C) or byte < 0x20 or byte > 0x7E:
            out.append(f"\\x{byte:02X}")
        else:
            out.append(chr(byte))
    return "".join(out)


def _header(request: HttpRequest, name: str) -> str:
    value = next((v for k, v in request.headers if k.lower() == name.lower()), "")
    return _escaped(value) if value else "-"


def nginx_access_line(request: HttpRequest, response: HttpResponse, at: datetime) -> str:
    """The line nginx's `main` log format writes for one request.

    >>> from datetime import datetime, timezone
    >>> request = HttpRequest("GET", "/", (("User-Agent", "curl/8.11.1"),), "10.244.1.1:4242")
    >>> response = HttpResponse(200, (("Content-Length", "615"),), "x" * 615)
    >>> nginx_access_line(request, response, datetime(2025, 1, 1, tzinfo=timezone.utc))
    '10.244.1.1 - - [01/Jan/2025:00:00:00 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1" "-"'
    """
    remote = request.peer.rpartition(":")[0].strip("[]") or "-"
    sent = 0 if request.method == "HEAD" else int(response.header("Content-Length") or 0)
    line = _escaped(f"{request.method} {request.target} HTTP/1.1")
    referer, agent = _header(request, "Referer"), _header(request, "User-Agent")
    forwarded = _header(request, "X-Forwarded-For")
    return (
        f'{remote} - - [{at:%d/%b/%Y:%H:%M:%S} +0000] "{line}" {response.status} {sent} '
        f'"{referer}" "{agent}" "{forwarded}"'
    )


def serve(
    cluster: ControlPlane, pod: dict | None, container: dict | None, request: HttpRequest
) -> HttpResponse:
    """The answer of the server in `container` of `pod` (None: a node's own socket), with the
    line it logs appended to that container's log."""
    now, uptime = server_time(cluster, pod, container)
    response = respond(pod, container, request, now, uptime)
    if pod is not None and container is not None:
        if image_repository(container.get("image") or "") in NGINX_REPOSITORIES:
            line = LogLine(now, nginx_access_line(request, response, now))
            cluster.container_logs.append(pod, container["name"], line)
    return response
