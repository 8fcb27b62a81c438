"""The access-log lines servers write for the HTTP requests the simulated tools deliver.

nginx's line is the official image's `log_format main` (the nginx.conf of nginx's Debian
packages, which nginxinc/docker-nginx mainline/debian/Dockerfile @ 1.27.3 installs and links to
/dev/stdout): `$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent
"$http_referer" "$http_user_agent" "$http_x_forwarded_for"`.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubectlError
from kubenet_nb.network.access_log import nginx_access_line
from kubenet_nb.network.tools.http import HttpRequest, HttpResponse

WHEN = datetime(2025, 3, 9, 7, 8, 9, tzinfo=timezone.utc)


def _cluster(service_type: str = "ClusterIP") -> Cluster:
    c = Cluster()
    c.kubectl("create deploy web --image=nginx:1.27.3")
    c.kubectl(f"expose deploy web --port=80 --type={service_type}")
    c.kubectl("run client --image=curlimages/curl:8.11.1 --command -- sleep infinity")
    return c


def _log(c: Cluster, pod: str | None = None, container: str = "nginx") -> list[str]:
    name = pod or next(p["metadata"]["name"] for p in c.list("pods", selector="app=web"))
    web = c.get("pod", name)
    return [line.text for line in c.control_plane.container_logs.lines(web, container)]


def test_the_main_format_with_dashes_for_what_is_absent() -> None:
    request = HttpRequest("GET", "/", (("User-Agent", "curl/8.11.1"),), "10.244.1.5:40000")
    response = HttpResponse(200, (("Content-Length", "615"),), "")
    assert nginx_access_line(request, response, WHEN) == (
        '10.244.1.5 - - [09/Mar/2025:07:08:09 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1" "-"'
    )


def test_referer_and_forwarded_for_are_logged_and_quotes_escaped() -> None:
    # nginx's default log escaping (ngx_http_log_escape): `"` and `\` as \x22 and \x5C.
    headers = (("User-Agent", 'a"b\\c'), ("Referer", "http://x/"), ("X-Forwarded-For", "1.2.3.4"))
    request = HttpRequest("GET", "/p?q=1", headers, "[fd00::5]:4000")
    response = HttpResponse(404, (("Content-Length", "153"),), "")
    assert nginx_access_line(request, response, WHEN) == (
        'fd00::5 - - [09/Mar/2025:07:08:09 +0000] "GET /p?q=1 HTTP/1.1" 404 153 "http://x/" '
        '"a\\x22b\\x5Cc" "1.2.3.4"'
    )


def test_head_sends_no_body() -> None:
    request = HttpRequest("HEAD", "/", (), "10.0.0.1:1")
    response = HttpResponse(200, (("Content-Length", "615"),), "")
    assert ' "HEAD / HTTP/1.1" 200 0 ' in nginx_access_line(request, response, WHEN)


def test_one_line_per_delivered_request_with_the_pod_address_and_the_clock() -> None:
    c = _cluster()
    client_ip = c.get("pod", "client")["status"]["podIP"]
    c.advance(90)
    c.kubectl("exec client -- curl -s web")
    c.kubectl("exec client -- curl -s web/nope")
    c.kubectl("exec client -- curl -sI web")
    stamp = f"{c.now:%d/%b/%Y:%H:%M:%S} +0000"
    assert _log(c) == [
        f'{client_ip} - - [{stamp}] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1" "-"',
        # the 404 page nginx 1.27.3 sends is 153 bytes on the wire (CRLF line ends)
        f'{client_ip} - - [{stamp}] "GET /nope HTTP/1.1" 404 153 "-" "curl/8.11.1" "-"',
        f'{client_ip} - - [{stamp}] "HEAD / HTTP/1.1" 200 0 "-" "curl/8.11.1" "-"',
    ]


def test_busybox_wget_is_logged_with_its_user_agent() -> None:
    c = _cluster()
    c.kubectl("run bb --image=busybox --command -- sleep infinity")
    c.kubectl("exec bb -- wget -qO- web")
    assert _log(c)[0].endswith('"GET / HTTP/1.1" 200 615 "-" "Wget" "-"')


def test_a_request_through_a_node_port_is_seen_from_the_masquerading_node() -> None:
    c = _cluster("NodePort")
    node_port = c.get("svc", "web")["spec"]["ports"][0]["nodePort"]
    web = next(iter(c.list("pods", selector="app=web")))
    other = next(
        n["metadata"]["name"]
        for n in c.list("nodes")
        if n["metadata"]["name"] not in (web["spec"]["nodeName"], "kind-control-plane")
    )
    node_ip = next(
        a["address"]
        for a in c.get("node", other, "")["status"]["addresses"]
        if a["type"] == "InternalIP"
    )
    c.kubectl(f"exec client -- curl -s {node_ip}:{node_port}")
    seen = c.trace("client", f"{node_ip}:{node_port}", seed=1).source_seen
    assert seen is not None
    assert seen != c.get("pod", "client")["status"]["podIP"]
    assert _log(c)[0].split(" ", 1)[0] == seen


def test_plain_connections_log_nothing() -> None:
    # trace and send open TCP connections without a request: nginx logs no line for them.
    c = _cluster()
    c.trace("client", "web:80")
    c.send("client", "web:80", n=20)
    assert _log(c) == []


def test_a_refused_request_is_not_delivered_and_not_logged() -> None:
    c = _cluster()
    with pytest.raises(KubectlError, match="exit code 28"):
        c.kubectl("exec client -- curl -s --connect-timeout 1 web:81")
    assert _log(c) == []


@pytest.mark.parametrize(
    "image", ["hashicorp/http-echo", "registry.k8s.io/e2e-test-images/agnhost:2.53"]
)
def test_servers_without_a_known_log_log_nothing(image: str) -> None:
    c = Cluster()
    args = " -- -text=hi" if "http-echo" in image else " -- netexec --http-port=80"
    c.kubectl(f"run srv --image={image} --port=80{args}")
    c.kubectl("run client --image=curlimages/curl:8.11.1 --command -- sleep infinity")
    srv = c.get("pod", "srv")
    port = 5678 if "http-echo" in image else 80
    c.kubectl(f"exec client -- curl -s {srv['status']['podIP']}:{port}")
    assert c.control_plane.container_logs.lines(srv, "srv") == []


def test_a_pod_created_again_under_its_name_starts_an_empty_log() -> None:
    c = Cluster()
    c.kubectl("run web --image=nginx:1.27.3")
    c.kubectl("run client --image=curlimages/curl:8.11.1 --command -- sleep infinity")
    c.kubectl(f"exec client -- curl -s {c.get('pod', 'web')['status']['podIP']}")
    assert len(_log(c, "web", "web")) == 1
    c.delete("pod", "web", grace_period=0)
    c.kubectl("run web --image=nginx:1.27.3")
    assert _log(c, "web", "web") == []
