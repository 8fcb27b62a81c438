"""busybox `wget` in a pod (networking/wget.c, libbb/progress.c of busybox 1.36).

Without `-q` it reports on stderr: `Connecting to HOST (IP:PORT)`, then `writing to stdout` (with
`-O -`) or `saving to 'FILE'`, the progress bar as a non-terminal gets it (no carriage return,
one line with a newline: `-                    100% |*****...|   615  0:00:00 ETA`, the bar
80 - 48 columns wide) and `written to stdout` or `'FILE' saved`; `--spider` only `remote file
exists`. Failures die with exit status 1: `wget: bad address 'HOST'` (the name does not
resolve), `wget: can't connect to remote host (IP): Connection refused`, with `-T SEC`
`wget: download timed out` (its alarm around connect()), without it the kernel's
`... (IP): Connection timed out`, and `wget: server returned error: HTTP/1.1 404 Not Found`.
HOST keeps the port as written (`webapp1:8080`). kubenet-nb keeps no files: a download saved to
a file is reported as saved and then forgotten.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.network.access_log import serve
from kubenet_nb.network.tools.connect import connect
from kubenet_nb.network.tools.http import HttpRequest
from kubenet_nb.network.tools.process import Context, Execution

__all__ = ["run_wget"]

BAR_WIDTH = 80 - 48
"""get_terminal_width() - 48: a non-terminal counts as 80 columns."""
_FLAGS = {"q": "quiet", "S": "server-response", "c": "continue"}
_VALUED = {"O": "output-document", "T": "timeout", "U": "user-agent", "P": "directory-prefix"}
_VALUED |= {"o": "output-file", "Y": "proxy", "t": "tries"}
_LONG_FLAGS = {"quiet", "server-response", "continue", "spider", "no-check-certificate"}
_LONG_VALUED = set(_VALUED.values()) | {"header"}


class _Die(Exception):
    """bb_error_msg_and_die: `wget: MESSAGE` and exit status 1."""


@dataclass
class _Options:
    urls: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)


def _parse(argv: list[str]) -> _Options:
    options = _Options()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            name, eq, value = arg[2:].partition("=")
            if name in _LONG_FLAGS and not eq:
                options.flags.add(name)
            elif name in _LONG_VALUED:
                if not eq:
                    if i >= len(argv):
                        raise _Die(f"option '--{name}' requires an argument")
                    value, i = argv[i], i + 1
                options.values[name] = value
            else:
                raise _Die(f"unrecognized option '{arg}'")
        elif arg.startswith("-") and len(arg) > 1:
            for position, letter in enumerate(arg[1:], start=1):
                if letter in _FLAGS:
                    options.flags.add(_FLAGS[letter])
                    continue
                if letter not in _VALUED:
                    raise _Die(f"invalid option -- '{letter}'")
                rest = arg[position + 1 :]
                if not rest:
                    if i >= len(argv):
                        raise _Die(f"option requires an argument -- '{letter}'")
                    rest, i = argv[i], i + 1
                options.values[_VALUED[letter]] = rest
                break
        else:
            options.urls.append(arg)
    return options


def _split(url: str) -> tuple[str, str, int, str]:
    """parse_url: (host as written with its port, host, port, path without the first `/`)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "http", url
    if scheme.lower() == "https":
        raise KubenetError("wget of https:// URLs is not simulated by kubenet-nb (no TLS)")
    if scheme.lower() != "http":
        raise _Die(f"not an http or ftp url: {url}")
    hostport, _, path = rest.partition("/")
    hostport = hostport.rsplit("@", 1)[-1]
    if hostport.startswith("["):
        host, _, tail = hostport[1:].partition("]")
        port_text = tail[1:]
    else:
        host, _, port_text = hostport.partition(":")
    if port_text and not port_text.isdigit():
        raise _Die(f"bad port spec '{hostport}'")
    return hostport, host, int(port_text or 80), path


def _bar(name: str, size: int) -> str:
    """bb_progress_update's final line on a non-terminal."""
    line = f"{name[:20]:<20} "
    if size:
        line += f"100% |{'*' * BAR_WIDTH}| "
    line += f"{size:5d}"
    line += "  0:00:00 ETA" if size else " --:--:-- ETA"
    return line + "\n"


def _download(context: Context, options: _Options, url: str, result: Execution) -> None:
    quiet = "quiet" in options.flags
    hostport, host, port, path = _split(url)
    connection = connect(context, host, port)
    if not connection.resolved:
        raise _Die(f"bad address '{hostport}'")
    ip = connection.ip or host
    if not quiet:
        shown = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
        result.err(f"Connecting to {hostport} ({shown})\n")
    if connection.verdict == "refused":
        raise _Die(f"can't connect to remote host ({ip}): Connection refused")
    if connection.verdict == "timeout":
        if "timeout" in options.values:
            raise _Die("download timed out")
        raise _Die(f"can't connect to remote host ({ip}): Connection timed out")
    agent = options.values.get("user-agent", "Wget")
    headers = (("Host", hostport), ("User-Agent", agent), ("Connection", "close"))
    pod, container = connection.trace.backend, connection.container
    peer = connection.trace.peer or ""
    request = HttpRequest("GET", "/" + path, headers, peer, connection.server_port)
    response = serve(context.cluster, pod, container, request)
    if "server-response" in options.flags:
        result.err(f"  {response.status_line}\n")
        result.err("".join(f"  {name}: {value}\n" for name, value in response.headers))
    if not 200 <= response.status < 400:
        raise _Die(f"server returned error: {response.status_line}")
    if "spider" in options.flags:
        if not quiet:
            result.err("remote file exists\n")
        return
    target = options.values.get("output-document")
    name = target or (path.rsplit("/", 1)[-1].split("?", 1)[0] or "index.html")
    size = len(response.body.encode())
    if not quiet:
        result.err("writing to stdout\n" if target == "-" else f"saving to '{name}'\n")
        result.err(_bar(name, size))
    if target == "-":
        result.out(response.body)
    if not quiet:
        result.err("written to stdout\n" if target == "-" else f"'{name}' saved\n")


def run_wget(context: Context, argv: list[str]) -> Execution:
    """Run busybox `wget ARGS...` (argv without `wget`) in the context's container."""
    result = Execution()
    try:
        options = _parse(argv)
        if not options.urls:
            raise KubenetError("wget without a URL prints busybox's usage: not simulated")
        for url in options.urls:
            _download(context, options, url, result)
    except _Die as error:
        result.err(f"wget: {error}\n")
        result.exit_code = 1
    return result
