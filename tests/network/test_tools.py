"""The programs `kubectl exec` runs: curl, busybox wget and nslookup, the shell and the kubelet's
files, each printing what the real tool prints (sources cited per test)."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from kubenet_nb import Cluster, KubenetError
from kubenet_nb.network.tools import Context, toolbox_for
from kubenet_nb.network.tools.curl_args import parse_url
from kubenet_nb.network.tools.curl_text import max5, meter_line, time2str, write_out
from kubenet_nb.network.tools.files import hostname, hosts_file, service_variables
from kubenet_nb.network.tools.http import HttpRequest, respond
from kubenet_nb.network.tools.images import image_tag
from kubenet_nb.network.tools.script import parse_script
from kubenet_nb.network.tools.shell import run_program

TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n"
METER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)
ZERO = "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
NGINX_HEADERS = (
    "HTTP/1.1 200 OK\nServer: nginx/1.27.3\nDate: Wed, 01 Jan 2025 00:05:00 GMT\n"
    "Content-Type: text/html\nContent-Length: 615\nLast-Modified: Tue, 26 Nov 2024 15:55:00 GMT\n"
    'Connection: keep-alive\nETag: "6745ef54-267"\nAccept-Ranges: bytes\n'
)
ECHO = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo}
spec:
  replicas: 1
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      containers:
      - name: agnhost
        image: registry.k8s.io/e2e-test-images/agnhost:2.52
        args: [netexec, --http-port=8080]
        ports: [{containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{port: 80, targetPort: 8080}]
"""


@pytest.fixture(scope="module")
def cluster() -> Cluster:
    c = Cluster()
    c.kubectl("create deployment webapp1 --image=nginx --replicas=1 --port=80")
    c.kubectl("expose deploy webapp1 --port=80")
    c.kubectl("create service clusterip empty --tcp=80:80")
    c.apply(ECHO)
    c.kubectl("run client --image=busybox -- sleep 3600")
    c.kubectl("run shoot --image=nicolaka/netshoot -- sleep infinity")
    return c


def context(c: Cluster, pod: str, tty: bool = False, stdin: str = "") -> Context:
    if "=" in pod:
        pod = c.list("pods", selector=pod)[0]["metadata"]["name"]
    obj = c.get("pod", pod)
    container = obj["spec"]["containers"][0]
    toolbox = toolbox_for(container["image"])
    return Context(c.control_plane, obj, container, toolbox, proxy=c.proxy, tty=tty, stdin=stdin)


def run(c: Cluster, pod: str, *argv: str, tty: bool = False) -> tuple[str, str, int]:
    result = run_program(context(c, pod, tty), list(argv))
    return result.stdout, result.stderr, result.exit_code


def svc_ip(c: Cluster, name: str) -> str:
    return c.get("svc", name)["spec"]["clusterIP"]


# -- curl's command line ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "stderr", "code"),
    [
        # src/tool_getparam.c / tool_helpers.c: unknown option, missing URL, bad number.
        (["--foo", "webapp1"], "curl: option --foo: is unknown\n" + TRY_HELP, 2),
        (["-sZ", "webapp1"], "curl: option -sZ: is unknown\n" + TRY_HELP, 2),
        (["-s"], "curl: no URL specified!\n" + TRY_HELP, 2),
        (
            ["-m", "abc", "webapp1"],
            "curl: option -m: expected a proper numerical parameter\n" + TRY_HELP,
            2,
        ),
        # lib/urlapi.c CURLUE_BAD_PORT_NUMBER, lib/url.c unsupported scheme.
        (
            ["http://webapp1:99999/"],
            "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n",
            3,
        ),
        (["ftp://webapp1/"], 'curl: (1) Protocol "ftp" not supported\n', 1),
    ],
)
def test_curl_usage_errors(cluster: Cluster, argv: list[str], stderr: str, code: int) -> None:
    assert run(cluster, "shoot", "curl", *argv) == ("", stderr, code)


def test_curl_https_is_not_simulated(cluster: Cluster) -> None:
    with pytest.raises(KubenetError, match="not simulated"):
        run(cluster, "shoot", "curl", "-s", "https://webapp1")


def test_url_parsing() -> None:
    url = parse_url("webapp1:8080/a?b=1")
    assert (url.scheme, url.host, url.port, url.target) == ("http", "webapp1", 8080, "/a?b=1")
    assert url.effective == "http://webapp1:8080/a?b=1"
    assert url.host_header == "webapp1:8080"
    assert parse_url("http://[fd00::1]/").host == "fd00::1"
    assert parse_url("http://webapp1").effective == "http://webapp1/"


# -- curl's output -----------------------------------------------------------------------------


def test_progress_meter_figures() -> None:
    # lib/progress.c max5data, time2str and the meter's printf; the 615-byte line matches a
    # real nginx transfer, the HEAD line a real `curl -I` in an nginx:1.27.5 pod.
    assert [max5(v) for v in (0, 615, 99999, 615000, 15 * 1024 * 1024)] == [
        "    0",
        "  615",
        "99999",
        " 600k",
        "15.0M",
    ]
    assert [time2str(s) for s in (0, 5, 130, 4000)] == [
        "--:--:--",
        " 0:00:05",
        " 0:02:10",
        " 1:06:40",
    ]
    assert meter_line(615, 615, 0) == (
        "100   615  100   615    0     0   600k      0 --:--:-- --:--:-- --:--:--  600k"
    )
    assert meter_line(615, 0, 0) == (
        "  0   615    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0"
    )
    assert meter_line(0, 0, 0) == ZERO


def test_write_out_expansion() -> None:
    text, warnings = write_out("%{http_code}\\t%%%{nope}\\n", {"http_code": "200"})
    assert text == "200\t%\n"
    assert warnings == ["curl: unknown --write-out variable: 'nope'\n"]


def test_curl_verbose_debian_7_88(cluster: Cluster) -> None:
    # A real nginx:1.27.3 pod: `curl -v` with curl/7.88.1 (Connected ... (#0), no resolution
    # lines); stdout is a pipe, so `{ [615 bytes data]` stands for the body (src/tool_cb_dbg.c).
    ip = svc_ip(cluster, "webapp1")
    out, err, code = run(cluster, "app=webapp1", "curl", "-sv", "webapp1")
    assert code == 0
    assert out.startswith("<!DOCTYPE html>")
    assert err == (
        f"*   Trying {ip}:80...\n* Connected to webapp1 ({ip}) port 80 (#0)\n"
        "> GET / HTTP/1.1\n> Host: webapp1\n> User-Agent: curl/7.88.1\n> Accept: */*\n> \n"
        + "".join(f"< {line}\n" for line in NGINX_HEADERS.splitlines())
        + "< \n{ [615 bytes data]\n* Connection #0 to host webapp1 left intact\n"
    )


def test_curl_verbose_alpine_8_refused(cluster: Cluster) -> None:
    # curl 8: resolution lines, then lib/cf-socket.c's `connect to ... from ... failed`.
    ip = svc_ip(cluster, "empty")
    client = cluster.get("pod", "shoot")["status"]["podIP"]
    out, err, code = run(cluster, "shoot", "curl", "-sv", "empty")
    lines = err.splitlines()
    assert (out, code) == ("", 7)
    assert lines[:4] == [
        "* Host empty:80 was resolved.",
        "* IPv6: (none)",
        f"* IPv4: {ip}",
        f"*   Trying {ip}:80...",
    ]
    assert lines[4].startswith(f"* connect to {ip} port 80 from {client} port ")
    assert lines[4].endswith(" failed: Connection refused")
    assert lines[5:] == [
        "* Failed to connect to empty port 80 after 0 ms: Couldn't connect to server",
        "* closing connection #0",
    ]


def test_curl_timeouts(cluster: Cluster) -> None:
    # -m shorter than the connect timeout: lib/multi.c "Connection timed out after N
    # milliseconds"; no timeout at all: the kernel's ETIMEDOUT (exit 28, CURLE_COULDNT_CONNECT
    # text), after the spent-time column reached 0:02:10.
    assert run(cluster, "shoot", "curl", "-sS", "-m", "2", "webapp1:81") == (
        "",
        "curl: (28) Connection timed out after 2001 milliseconds\n",
        28,
    )
    assert run(cluster, "shoot", "curl", "webapp1:81") == (
        "",
        METER + "  0     0    0     0    0     0      0      0 --:--:--  0:02:10 --:--:--     0"
        "curl: (28) Failed to connect to webapp1 port 81 after 130000 ms: Couldn't connect to "
        "server\n",
        28,
    )


def test_curl_head_include_output_and_fail(cluster: Cluster) -> None:
    # Headers as a real nginx:1.27.3 pod sent them (shown with LF line ends).
    out, err, code = run(cluster, "shoot", "curl", "-I", "webapp1")
    assert (out, code) == (NGINX_HEADERS + "\n", 0)
    assert (
        err == METER + "  0   615    0     0    0     0      0      0 --:--:-- --:--:-- "
        "--:--:--     0\n"
    )
    assert run(
        cluster, "shoot", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "webapp1"
    ) == ("200\n", "", 0)
    assert run(cluster, "shoot", "curl", "-s", "-w", "%{http_code}", "nope") == ("000", "", 6)
    # -f: CURLE_HTTP_RETURNED_ERROR.
    assert run(cluster, "shoot", "curl", "-sSf", "webapp1/x") == (
        "",
        "curl: (22) The requested URL returned error: 404\n",
        22,
    )
    # Go's net/http headers for an empty 200: Date, Content-Length, no Content-Type.
    assert run(cluster, "shoot", "curl", "-si", "echo/healthz") == (
        "HTTP/1.1 200 OK\nDate: Wed, 01 Jan 2025 00:05:00 GMT\nContent-Length: 0\n\n",
        "",
        0,
    )


def test_curl_on_a_terminal_has_no_meter(cluster: Cluster) -> None:
    out, err, _ = run(cluster, "shoot", "curl", "webapp1", tty=True)
    assert err == ""
    assert out.startswith("<!DOCTYPE html>")


# -- the servers -------------------------------------------------------------------------------


def test_agnhost_netexec_endpoints(cluster: Cluster) -> None:
    # test/images/agnhost/netexec/netexec.go: rootHandler "NOW: %v" (Go's time.Time.String
    # with its monotonic reading), echoHandler's msg, no trailing newlines.
    assert run(cluster, "shoot", "curl", "-s", "echo/")[0] == (
        "NOW: 2025-01-01 00:05:00 +0000 UTC m=+0.000000000"
    )
    assert run(cluster, "shoot", "curl", "-s", "echo/echo?msg=hi%20there")[0] == "hi there"


def test_tls_port_answers_plain_http_with_400(cluster: Cluster) -> None:
    # The kubelet on its node port: Go's crypto/tls reply to plaintext, HTTP/1.0 400.
    assert run(cluster, "shoot", "curl", "-s", "172.18.0.3:10250") == (
        "Client sent an HTTP request to an HTTPS server.\n",
        "",
        0,
    )


def test_unknown_image_answers_like_whoami() -> None:
    pod = {
        "metadata": {"name": "app-1", "namespace": "default"},
        "spec": {},
        "status": {"podIPs": [{"ip": "10.244.1.7"}]},
    }
    request = HttpRequest("GET", "/", (("Host", "app"), ("Accept", "*/*")), "10.244.2.3:40000")
    now = datetime(2025, 1, 1, tzinfo=timezone.utc)
    response = respond(pod, {"name": "app", "image": "example/app:1"}, request, now, 5.0)
    assert response.body == (
        "Hostname: app-1\nIP: 127.0.0.1\nIP: 10.244.1.7\nRemoteAddr: 10.244.2.3:40000\n"
        "GET / HTTP/1.1\nHost: app\nAccept: */*\n\n"
    )
    echo = {"name": "e", "image": "hashicorp/http-echo", "args": ["-text=hello"]}
    assert respond(pod, echo, request, now, 5.0).body == "hello\n"
    nginx = {"name": "w", "image": "nginx:1.25.5"}
    missing = respond(pod, nginx, HttpRequest("GET", "/x", (), ""), now, 0.0)
    # The 404 page's wire length (CRLF lines) is what nginx sends as Content-Length.
    assert missing.status == 404
    assert missing.header("Content-Length") == "153"
    assert missing.header("Server") == "nginx/1.25.5"


# -- busybox wget ------------------------------------------------------------------------------


def test_wget_quiet_and_verbose(cluster: Cluster) -> None:
    ip = svc_ip(cluster, "webapp1")
    out, err, code = run(cluster, "client", "wget", "-qO-", "webapp1")
    assert (err, code) == ("", 0)
    assert out.startswith("<!DOCTYPE html>")
    # networking/wget.c and libbb/progress.c on a non-terminal: the transcript shape
    # `Connecting to ... / writing to stdout / -   100% |***...|   615  0:00:00 ETA`.
    out, err, code = run(cluster, "client", "wget", "-O-", "webapp1")
    assert err == (
        f"Connecting to webapp1 ({ip}:80)\nwriting to stdout\n"
        "-                    100% |********************************|   615  0:00:00 ETA\n"
        "written to stdout\n"
    )
    out, err, _ = run(cluster, "client", "wget", "webapp1")
    assert err == (
        f"Connecting to webapp1 ({ip}:80)\nsaving to 'index.html'\n"
        "index.html           100% |********************************|   615  0:00:00 ETA\n"
        "'index.html' saved\n"
    )
    assert run(cluster, "client", "wget", "--spider", "webapp1") == (
        "",
        f"Connecting to webapp1 ({ip}:80)\nremote file exists\n",
        0,
    )


def test_wget_failures(cluster: Cluster) -> None:
    web, empty = svc_ip(cluster, "webapp1"), svc_ip(cluster, "empty")
    assert run(cluster, "client", "wget", "-qO-", "nope") == ("", "wget: bad address 'nope'\n", 1)
    assert run(cluster, "client", "wget", "-qO-", "empty") == (
        "",
        f"wget: can't connect to remote host ({empty}): Connection refused\n",
        1,
    )
    assert run(cluster, "client", "wget", "-T", "2", "-qO-", "webapp1:81") == (
        "",
        "wget: download timed out\n",
        1,
    )
    assert run(cluster, "client", "wget", "-qO-", "webapp1:81") == (
        "",
        f"wget: can't connect to remote host ({web}): Connection timed out\n",
        1,
    )
    assert run(cluster, "client", "wget", "-O-", "webapp1/nope") == (
        "",
        f"Connecting to webapp1 ({web}:80)\nwget: server returned error: HTTP/1.1 404 Not Found\n",
        1,
    )
    assert run(cluster, "client", "wget", "-qO-", "webapp1:8080x")[1] == (
        "wget: bad port spec 'webapp1:8080x'\n"
    )


# -- busybox nslookup ----------------------------------------------------------------------------


def test_busybox_nslookup_records(cluster: Cluster) -> None:
    header = "Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\n"
    # A dotted name is asked as is (no search list), outside the cluster zone: Docker's DNS
    # reaches no resolver without internet, SERVFAIL for A and for AAAA (upstream.py).
    assert run(cluster, "client", "nslookup", "webapp1.default") == (
        header + "** server can't find webapp1.default: SERVFAIL\n\n" * 2,
        "",
        1,
    )
    assert run(cluster, "client", "nslookup", "10.96.0.1") == (
        header + "1.0.96.10.in-addr.arpa\tname = kubernetes.default.svc.cluster.local\n\n",
        "",
        0,
    )
    srv = "_dns._udp.kube-dns.kube-system.svc.cluster.local"
    assert run(cluster, "client", "nslookup", "-type=srv", srv) == (
        header + f"{srv}\tservice = 0 100 53 kube-dns.kube-system.svc.cluster.local\n\n",
        "",
        0,
    )
    assert run(
        cluster, "client", "nslookup", "-type=a", "kubernetes.default.svc.cluster.local"
    ) == (header + "Name:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n\n", "", 0)
    assert run(cluster, "client", "nslookup", "-type=bogus", "x") == (
        "",
        'nslookup: invalid query type "bogus"\n',
        1,
    )


# -- files and environment ----------------------------------------------------------------------


def test_hosts_file_and_hostname() -> None:
    pod = {
        "metadata": {"name": "web-0", "namespace": "shop"},
        "spec": {
            "hostname": "web-0",
            "subdomain": "web",
            "hostAliases": [{"ip": "10.1.2.3", "hostnames": ["foo.local", "bar.local"]}],
        },
        "status": {"podIPs": [{"ip": "10.244.1.9"}]},
    }
    # kubelet_pods.go managedHostsFileContent and hostsEntriesFromHostAliases.
    assert hosts_file(pod) == (
        "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n"
        "::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\n"
        "fe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n"
        "10.244.1.9\tweb-0.web.shop.svc.cluster.local\tweb-0\n"
        "\n# Entries added by HostAliases.\n10.1.2.3\tfoo.local\tbar.local\n"
    )
    assert hostname(pod) == "web-0"
    assert hostname({**pod, "spec": {**pod["spec"], "setHostnameAsFQDN": True}}) == (
        "web-0.web.shop.svc.cluster.local"
    )
    long = {"metadata": {"name": "a" * 62 + "-b"}, "spec": {}}
    assert hostname(long) == "a" * 62


def test_service_variables_named_ports_and_protocols() -> None:
    svc = {
        "metadata": {"name": "my-dns"},
        "spec": {
            "clusterIP": "10.96.0.10",
            "ports": [
                {"name": "dns", "port": 53, "protocol": "UDP"},
                {"name": "dns-tcp", "port": 53, "protocol": "TCP"},
            ],
        },
    }
    headless = {"metadata": {"name": "h"}, "spec": {"clusterIP": "None", "ports": [{"port": 1}]}}
    # pkg/kubelet/envvars/envvars.go FromServices and makeLinkVariables.
    assert service_variables([svc, headless]) == [
        ("MY_DNS_SERVICE_HOST", "10.96.0.10"),
        ("MY_DNS_SERVICE_PORT", "53"),
        ("MY_DNS_SERVICE_PORT_DNS", "53"),
        ("MY_DNS_SERVICE_PORT_DNS_TCP", "53"),
        ("MY_DNS_PORT", "udp://10.96.0.10:53"),
        ("MY_DNS_PORT_53_UDP", "udp://10.96.0.10:53"),
        ("MY_DNS_PORT_53_UDP_PROTO", "udp"),
        ("MY_DNS_PORT_53_UDP_PORT", "53"),
        ("MY_DNS_PORT_53_UDP_ADDR", "10.96.0.10"),
        ("MY_DNS_PORT_53_TCP", "tcp://10.96.0.10:53"),
        ("MY_DNS_PORT_53_TCP_PROTO", "tcp"),
        ("MY_DNS_PORT_53_TCP_PORT", "53"),
        ("MY_DNS_PORT_53_TCP_ADDR", "10.96.0.10"),
    ]


def test_service_links_disabled_keep_the_master_service() -> None:
    c = Cluster()
    c.kubectl("create service clusterip web --tcp=80:80")
    c.apply(
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  enableServiceLinks: false\n"
        "  containers:\n  - name: p\n    image: nginx\n    env:\n"
        "    - {name: GREETING, value: 'hi $(KUBERNETES_SERVICE_HOST) $$x'}\n"
        "    - name: MY_IP\n      valueFrom: {fieldRef: {fieldPath: status.podIP}}"
    )
    env = run(c, "p", "env")[0].splitlines()
    assert not any(line.startswith("WEB_") for line in env)
    assert "KUBERNETES_SERVICE_HOST=10.96.0.1" in env
    # nginx:1.27.3's ENV follows HOSTNAME; $(VAR) expands to the service variable.
    assert env[2:4] == ["NGINX_VERSION=1.27.3", "NJS_VERSION=0.8.7"]
    assert "GREETING=hi 10.96.0.1 $x" in env
    assert f"MY_IP={c.get('pod', 'p')['status']['podIP']}" in env
    assert run(c, "p", "printenv", "MY_NOPE") == ("", "", 1)


# -- shell and files ----------------------------------------------------------------------------


def test_shell_lists_and_not_found_messages(cluster: Cluster) -> None:
    # dash (Debian's sh), busybox ash and bash word a missing command differently; status 127.
    assert run(cluster, "app=webapp1", "sh", "-c", "foo || echo $?") == (
        "127\n",
        "sh: 1: foo: not found\n",
        0,
    )
    assert run(cluster, "client", "sh", "-c", 'false && echo no; echo "$HOSTNAME"') == (
        "client\n",
        "",
        0,
    )
    assert run(cluster, "client", "/bin/sh", "-c", "foo") == ("", "/bin/sh: foo: not found\n", 127)
    assert run(cluster, "shoot", "bash", "-c", "foo") == (
        "",
        "bash: line 1: foo: command not found\n",
        127,
    )
    with pytest.raises(KubenetError, match="pipes are not simulated"):
        run(cluster, "client", "sh", "-c", "hostname | cat")


def test_cat_wording(cluster: Cluster) -> None:
    assert run(cluster, "client", "cat", "/nope") == (
        "",
        "cat: can't open '/nope': No such file or directory\n",
        1,
    )
    assert run(cluster, "app=webapp1", "cat", "/nope") == (
        "",
        "cat: /nope: No such file or directory\n",
        1,
    )
    assert run(cluster, "client", "cat", "/etc/hostname") == ("client\n", "", 0)
    with pytest.raises(KubenetError, match="not simulated"):
        run(cluster, "client", "cat", "/etc/passwd")


def test_script_lexer() -> None:
    values = {"A": "1", "?": "0"}
    commands = list(parse_script("echo 'a $A' \"b $A\" c\\ d ${A}x; x=2 && y", values.get))
    assert commands == [
        ("", ["echo", "a $A", "b 1", "c d", "1x"]),
        (";", ["x=2"]),
        ("&&", ["y"]),
    ]
    with pytest.raises(KubenetError, match="compound commands"):
        list(parse_script("for i in 1 2; do echo; done", values.get))


# -- images ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("image", "curl", "nslookup", "wget"),
    [
        ("nginx", "7.88.1", "", False),
        ("nginx:1.27-alpine", "8.11.1", "busybox", True),
        ("busybox:1.36", "", "busybox", True),
        ("curlimages/curl:8.14.1", "8.14.1", "busybox", True),
        ("nicolaka/netshoot", "8.11.1", "bind", True),
        ("registry.k8s.io/e2e-test-images/agnhost:2.52", "8.11.1", "bind", True),
        ("registry.k8s.io/pause:3.10", "", "", False),
        ("example.com/team/app:v2", "", "", False),
    ],
)
def test_toolboxes(image: str, curl: str, nslookup: str, wget: bool) -> None:
    toolbox = toolbox_for(image)
    assert (toolbox.curl, toolbox.nslookup, toolbox.has("wget")) == (curl, nslookup, wget)


def test_image_tags() -> None:
    assert image_tag("nginx") == "latest"
    assert image_tag("localhost:5000/nginx:1.2@sha256:ab") == "1.2"


def test_coredns_health_and_ready(cluster: Cluster) -> None:
    # kubeadm's Corefile: `health` on :8080 and `ready` on :8181 answer "OK"; elsewhere Go's
    # http.NotFound with http.Error's headers written before Date and Content-Length.
    dns = cluster.list("pods", "kube-system", selector="k8s-app=kube-dns")[0]["status"]["podIP"]
    assert run(cluster, "shoot", "curl", "-s", f"{dns}:8080/health") == ("OK", "", 0)
    assert run(cluster, "shoot", "curl", "-si", f"{dns}:8181/nope")[0] == (
        "HTTP/1.1 404 Not Found\nContent-Type: text/plain; charset=utf-8\n"
        "X-Content-Type-Options: nosniff\nDate: Wed, 01 Jan 2025 00:05:00 GMT\n"
        "Content-Length: 19\n\n404 page not found\n"
    )
    with pytest.raises(KubenetError, match="not simulated"):
        run(cluster, "shoot", "curl", "-s", f"{dns}:9153/metrics")


def test_tagged_images_carry_their_versions() -> None:
    nginx = toolbox_for("nginx:1.25.5")
    assert dict(nginx.env)["NGINX_VERSION"] == "1.25.5"
    assert nginx.curl == "7.88.1"
    assert toolbox_for("curlimages/curl:8.14.1").home == "/home/curl_user"
    assert not toolbox_for("registry.k8s.io/pause:3.10").has("sh")
