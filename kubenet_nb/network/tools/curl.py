"""`curl` in a pod: one HTTP/1.1 request over a connection the cluster's packet walk opened.

Outcomes and their exit status, with curl's texts (lib/connect.c, lib/hostip.c, lib/strerror.c):

- the name does not resolve: 6, `Could not resolve host: nope` (also when no DNS server answers
  and the resolver gives up); with `-m` or `--connect-timeout` an unanswered lookup ends first:
  28, `Resolving timed out after N milliseconds` (lib/multi.c `multi_handle_timeout`);
- refused (kube-proxy's REJECT for a Service without endpoints, or a closed port's RST): 7,
  `Failed to connect to HOST port P after 0 ms: Couldn't connect to server`;
- no answer (a DROP, an unproxied port of a ClusterIP): 28, after `--connect-timeout`
  `Failed to connect to HOST port P after N ms: Timeout was reached`, after a shorter `-m`
  `Connection timed out after N milliseconds`, and without either the kernel gives up (ETIMEDOUT,
  still 28) with `... after 130000 ms: Couldn't connect to server`;
- `-f` and a status of 400 or more: 22, `The requested URL returned error: 404`.

HOST is the host as written in the URL. The versions differ only in `-v`: curl 7.88.1 (Debian's,
in nginx) and curl 8 (Alpine's). `-v` prints a short faithful subset of libcurl's lines:
resolution (8.x), `Trying`, `Connected to` or the failure, the request and response headers
(`>`/`<`), `{ [N bytes data]` when stdout is not a terminal, and how the connection ended.
"""

from __future__ import annotations

from typing import NoReturn

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.network.access_log import serve
from kubenet_nb.network.dns import cluster_dns_state, resolve
from kubenet_nb.network.dns_path import DNS_TIMEOUT
from kubenet_nb.network.tools.connect import ConnectResult, connect, elapsed_ms, hosts_address
from kubenet_nb.network.tools.curl_args import (
    TRY_HELP,
    CurlError,
    CurlOptions,
    CurlUsageError,
    Url,
    parse_curl_args,
    parse_url,
)
from kubenet_nb.network.tools.curl_text import METER_HEADER, meter_line, write_out
from kubenet_nb.network.tools.http import HttpRequest, HttpResponse
from kubenet_nb.network.tools.libc import pod_libc
from kubenet_nb.network.tools.process import Context, Execution

__all__ = ["run_curl"]

COULDNT_CONNECT = "Couldn't connect to server"


class _Transfer:
    """One URL's transfer: what goes to stdout and stderr, and how it ended."""

    def __init__(self, context: Context, options: CurlOptions, url: Url) -> None:
        self.context, self.options, self.url = context, options, url
        self.version = context.toolbox.curl
        self.modern = not self.version.startswith("7.")
        self.result = Execution()
        self.verbose: list[str] = []
        self.response: HttpResponse | None = None
        self.connection: ConnectResult | None = None
        self.ms = 0

    @property
    def meter(self) -> bool:
        options = self.options
        quiet = options.has("silent") or options.has("no-progress-meter")
        return not quiet and (not self.context.tty or "output" in options.values)

    def info(self, line: str) -> None:
        if self.options.has("verbose"):
            self.verbose.append(line + "\n")

    def closing(self) -> None:
        self.info("* closing connection #0" if self.modern else "* Closing connection 0")

    # -- the request ---------------------------------------------------------------------

    def request_headers(self) -> list[tuple[str, str]]:
        agent = self.options.values.get("user-agent", f"curl/{self.version}")
        headers = [("Host", self.url.host_header), ("User-Agent", agent), ("Accept", "*/*")]
        for line in self.options.headers:
            name, _, value = line.partition(":")
            headers = [h for h in headers if h[0].lower() != name.strip().lower()]
            if value.strip():
                headers.append((name.strip(), value.strip()))
        return headers

    def method(self) -> str:
        if "request" in self.options.values:
            return self.options.values["request"]
        return "HEAD" if self.options.has("head") else "GET"

    # -- connecting ----------------------------------------------------------------------

    def timeout_ms(self) -> tuple[int | None, bool]:
        """The connect timeout in ms, and whether it is `-m`'s (the whole transfer's)."""
        whole = self.options.seconds("max-time")
        connect_only = self.options.seconds("connect-timeout")
        if whole is None and connect_only is None:
            return None, False
        if connect_only is None or (whole is not None and whole < connect_only):
            return int((whole or 0) * 1000), True
        return int(connect_only * 1000), False

    def resolution(self, ip: str) -> None:
        if not self.options.has("verbose") or not self.modern or self.url.host == ip:
            return
        if hosts_address(self.context, self.url.host) is not None:
            return
        state = cluster_dns_state(self.context.cluster)
        pod = self.context.pod
        addresses = resolve(state, self.url.host, "A", pod, pod_libc(pod)).addresses or [ip]
        self.info(f"* Host {self.url.host}:{self.url.port} was resolved.")
        self.info("* IPv6: (none)")
        self.info(f"* IPv4: {', '.join(addresses)}")

    def open(self) -> ConnectResult:
        url = self.url
        connection = connect(self.context, url.host, url.port)
        self.connection = connection
        if connection.verdict == DNS_TIMEOUT and self.timeout_ms()[0] is not None:
            self.ms = elapsed_ms(connection, self.timeout_ms()[0])
            self.fail(28, f"Resolving timed out after {self.ms} milliseconds")
        if not connection.resolved:
            self.info(f"* Could not resolve host: {url.host}")
            self.closing()
            raise CurlError(6, f"Could not resolve host: {url.host}")
        ip = connection.ip or url.host
        self.resolution(ip)
        shown = f"[{ip}]" if ":" in ip else ip
        self.info(f"*   Trying {shown}:{url.port}...")
        where = f"{url.host} port {url.port}"
        if connection.verdict == "refused":
            local_ip, _, local_port = (connection.local or ":").rpartition(":")
            source = f" from {local_ip.strip('[]')} port {local_port}" if self.modern else ""
            self.info(f"* connect to {ip} port {url.port}{source} failed: Connection refused")
            self.fail(7, f"Failed to connect to {where} after 0 ms: {COULDNT_CONNECT}")
        if connection.verdict == "timeout":
            timeout, whole = self.timeout_ms()
            self.ms = elapsed_ms(connection, timeout)
            if timeout is None:
                self.fail(28, f"Failed to connect to {where} after {self.ms} ms: {COULDNT_CONNECT}")
            if whole:
                self.fail(28, f"Connection timed out after {self.ms} milliseconds")
            self.fail(28, f"Failed to connect to {where} after {self.ms} ms: Timeout was reached")
        suffix = "" if self.modern else " (#0)"
        self.info(f"* Connected to {url.host} ({ip}) port {url.port}{suffix}")
        return connection

    def fail(self, code: int, message: str) -> NoReturn:
        self.info(f"* {message}")
        self.closing()
        raise CurlError(code, message)

    # -- the exchange --------------------------------------------------------------------

    def exchange(self) -> HttpResponse:
        connection = self.open()
        headers = self.request_headers()
        method = self.method()
        if self.modern:
            self.info("* using HTTP/1.x")
        self.info(f"> {method} {self.url.target} HTTP/1.1")
        for name, value in headers:
            self.info(f"> {name}: {value}")
        self.info("> ")
        if self.modern:
            self.info("* Request completely sent off")
        peer = connection.trace.peer or ""
        request = HttpRequest(method, self.url.target, tuple(headers), peer, connection.server_port)
        pod, container = connection.trace.backend, connection.container
        response = serve(self.context.cluster, pod, container, request)
        self.response = response
        self.info(f"< {response.status_line}")
        for name, value in response.headers:
            self.info(f"< {name}: {value}")
        self.info("< ")
        if self.options.has("fail") and response.status >= 400:
            self.fail(22, f"The requested URL returned error: {response.status}")
        return response

    def body(self, response: HttpResponse) -> str:
        return "" if self.method() == "HEAD" else response.body

    def finish(self, response: HttpResponse) -> None:
        """Write the headers and body where they go, the meter and the verbose trailer."""
        body = self.body(response)
        if body and (not self.context.tty or "output" in self.options.values):
            self.info(f"{{ [{len(body.encode())} bytes data]")
        head = response.status_line + "\n"
        head += "".join(f"{name}: {value}\n" for name, value in response.headers) + "\n"
        out = ""
        if self.options.has("include") or self.options.has("head"):
            out += head
        if "output" not in self.options.values:
            out += body
        if response.version == "HTTP/1.0":
            self.closing()
        else:
            self.info(f"* Connection #0 to host {self.url.host} left intact")
        total = int(response.header("Content-Length") or len(body.encode()))
        received = len(body.encode())
        self.emit(meter_line(total, received, 0) + "\n", out)

    def emit(self, meter_end: str, out: str) -> None:
        """Meter and verbose lines on stderr (the meter's last state after the verbose text
        for a finished transfer), then stdout: curl's stdout is a pipe, flushed at exit."""
        verbose = "".join(self.verbose)
        if self.meter:
            if verbose:
                self.result.err(METER_HEADER + meter_line(0, 0, 0) + verbose + meter_end)
            else:
                self.result.err(METER_HEADER + meter_end)
        else:
            self.result.err(verbose)
        self.result.out(out)


def _values(transfer: _Transfer, code: int, message: str) -> dict[str, str]:
    connection, response = transfer.connection, transfer.response
    remote = (connection.ip or "") if connection is not None else ""
    local = connection.local if connection is not None else None
    local_ip, _, local_port = (local or ":").rpartition(":")
    return {
        "http_code": f"{response.status:03d}" if response else "000",
        "response_code": f"{response.status:03d}" if response else "000",
        "remote_ip": remote,
        "remote_port": str(transfer.url.port) if remote else "0",
        "local_ip": local_ip.strip("[]"),
        "local_port": local_port or "0",
        "size_download": str(len(transfer.body(response).encode())) if response else "0",
        "time_total": f"{(transfer.ms or (1 if response else 0)) / 1000:.6f}",
        "url_effective": transfer.url.effective,
        "content_type": (response.header("Content-Type") or "") if response else "",
        "http_version": "1.1" if response else "0",
        "method": transfer.method(),
        "exitcode": str(code),
        "errormsg": message,
    }


def run_curl(context: Context, argv: list[str]) -> Execution:
    """Run `curl ARGS...` (argv without `curl`) in the context's container."""
    result = Execution()
    try:
        options = parse_curl_args(argv)
    except CurlUsageError as error:
        result.err(f"curl: {error}\n{TRY_HELP}\n")
        result.exit_code = 2
        return result
    if len(options.urls) > 1:
        raise KubenetError("curl with several URLs is not simulated by kubenet-nb")
    try:
        url = parse_url(options.urls[0])
    except CurlError as error:
        if not options.has("silent") or options.has("show-error"):
            result.err(f"curl: ({error.code}) {error.message}\n")
        result.exit_code = error.code
        return result
    if url.scheme == "https":
        raise KubenetError("curl to https:// URLs is not simulated by kubenet-nb (no TLS)")
    transfer = _Transfer(context, options, url)
    code, message = 0, ""
    try:
        transfer.finish(transfer.exchange())
    except CurlError as error:
        code, message = error.code, error.message
        spent = meter_line(0, 0, transfer.ms)
        transfer.emit(spent, "")
        if not options.has("silent") or options.has("show-error"):
            transfer.result.err(f"curl: ({code}) {message}\n")
    result = transfer.result
    if "write-out" in options.values:
        text, warnings = write_out(options.values["write-out"], _values(transfer, code, message))
        for warning in warnings:
            result.err(warning)
        result.out(text)
    result.exit_code = code
    return result
