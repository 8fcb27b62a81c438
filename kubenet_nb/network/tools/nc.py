"""`nc` in a pod as a port probe (`nc -z`): OpenBSD netcat in netshoot and agnhost, busybox's
applet everywhere else, each through the cluster's packet walk and in its own words.

netshoot and agnhost install Alpine's `netcat-openbsd` (nicolaka/netshoot Dockerfile, agnhost's
Dockerfile), whose /usr/bin/nc replaces busybox's applet link. That package is Debian's
netcat-openbsd 1.226 with Debian's patches (alpinelinux/aports main/netcat-openbsd/APKBUILD),
linked against musl, so its errors end in musl's strerror and gai_strerror texts
(src/errno/__strerror.h, src/network/gai_strerror.c @ v1.2.5). From its netcat.c:

- success, with or without `-v` (`if (vflag || zflag)`): `Connection to HOST (IP) PORT port
  [tcp/SERVICE] succeeded!` on stderr, SERVICE from /etc/services or `*`, `(IP)` left out when
  HOST is the address or with `-n`; exit 0 when any port answered;
- with `-v` only, per port: `nc: connect to HOST (IP) port PORT (tcp) failed: Connection
  refused`, after `-w N` `... timed out: Operation in progress` (connect_with_timeout's select
  runs out; errno is still connect()'s EINPROGRESS), without `-w` the kernel's ETIMEDOUT as
  `... failed: Operation timed out`; exit 1;
- a name that does not resolve ends it at once: `nc: getaddrinfo for host "HOST" port PORT:
  Name does not resolve` (NXDOMAIN), `Name has no usable address` (no A record), `Try again`
  (SERVFAIL, or no DNS server answered); with `-n` a name is not looked up at all;
- UDP (`-u`) has no handshake: udptest() writes a byte, then one a second for `-w` seconds
  (3 without it) and fails only when a write meets ECONNREFUSED, the ICMP port unreachable a
  closed port or kube-proxy's REJECT sends back. That failure is silent even with `-v`, exit 1;
  a NetworkPolicy drop, like an open port, prints `succeeded!`. With `-w 0` it stops after the
  two back-to-back writes, before any ICMP error can arrive: always `succeeded!`.

busybox's applet (the busybox image's defconfig and Alpine's busyboxconfig both set
NC_110_COMPAT, so networking/nc_bloaty.c) takes exactly HOST PORT: `-v` prints `HOST (IP:PORT)
open`; a failure prints `nc: HOST (IP:PORT): ERROR` with `-v` unless it is a refusal, which
needs `-vv`; `-vv` ends with `sent 0, rcvd 0`. `-w N` bounds connect() with an alarm whose
expiry fakes ETIMEDOUT. A name that does not resolve dies with `nc: bad address 'HOST'`; `-n` is
accepted and ignored. Its UDP test writes, waits (`-w`, or a TCP connect to port 31337 of the
same host), writes again and fails on ECONNREFUSED. ERROR is glibc's strerror in the busybox
image (`Connection timed out`) and musl's in Alpine-based ones (`Operation timed out`).

Only probing is simulated: without `-z` nc would carry data, and listening (`-l`), proxies,
source addresses and the like are refused with a KubenetError.
"""

from __future__ import annotations

import ipaddress

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.cluster.listeners import image_repository
from kubenet_nb.network.dns_path import DNS_TIMEOUT
from kubenet_nb.network.tools.connect import ConnectResult, connect
from kubenet_nb.network.tools.process import Context, Execution

__all__ = ["run_nc"]

OPENBSD_IMAGES = ("nicolaka/netshoot", "e2e-test-images/agnhost")
"""Images whose `nc` is netcat-openbsd (they `apk add netcat-openbsd`)."""
SERVICES = {("tcp", 22): "ssh", ("tcp", 53): "domain", ("udp", 53): "domain"}
SERVICES |= {("tcp", 80): "http", ("tcp", 443): "https", ("tcp", 8080): "http-alt"}
"""The /etc/services entries kubenet-nb knows (getservbyport/getservbyname)."""
GAI_ERRORS = {
    "nxdomain": "Name does not resolve",
    "nodata": "Name has no usable address",
    "servfail": "Try again",
    DNS_TIMEOUT: "Try again",
}
"""musl's gai_strerror for what getaddrinfo returns: EAI_NONAME, EAI_NODATA, EAI_AGAIN."""
TIMED_OUT = {"musl": "Operation timed out", "glibc": "Connection timed out"}
"""strerror(ETIMEDOUT) per C library."""
REFUSED = "Connection refused"
UDP_SCAN_TIMEOUT = 3
"""Seconds udptest() keeps writing without `-w` (netcat.c UDP_SCAN_TIMEOUT)."""
INT_MAX = 2**31 - 1


class _Die(Exception):
    """errx / bb_error_msg_and_die: `nc: MESSAGE` and exit status 1."""


def _getopt(argv: list[str], flags: str, valued: str) -> tuple[list[tuple[str, str]], list[str]]:
    """POSIX getopt: clustered letters, a valued one takes the rest of its word or the next
    word; options end at `--` or the first operand (musl does not permute)."""
    options: list[tuple[str, str]] = []
    i = 0
    while i < len(argv) and argv[i].startswith("-") and argv[i] != "-":
        word, i = argv[i], i + 1
        if word == "--":
            break
        for position, letter in enumerate(word[1:], start=1):
            if letter in flags:
                options.append((letter, ""))
                continue
            if letter not in valued:
                raise KubenetError(f"nc -{letter} is not simulated by kubenet-nb")
            value = word[position + 1 :]
            if not value:
                if i >= len(argv):
                    raise KubenetError(
                        f"nc -{letter} without a value prints its usage: not simulated"
                    )
                value, i = argv[i], i + 1
            options.append((letter, value))
            break
    operands = argv[i:]
    if any(word.startswith("-") for word in operands):
        raise KubenetError("nc options after the host are not simulated by kubenet-nb")
    return options, operands


def _open(context: Context, host: str, port: int, udp: bool) -> ConnectResult:
    """A TCP connect(), or the UDP datagrams a probe sends, through the packet walk."""
    return connect(context, host, port, "UDP" if udp else "TCP")


def _is_address(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


# -- OpenBSD netcat (Debian's netcat.c) -----------------------------------------------------------


def _strtoport(word: str) -> int:
    """strtoport(): a number in 1..65535; any other word is a service /etc/services lacks
    (build_ports looked the known names up first)."""
    if word.isdigit():
        number = int(word)
        if not 1 <= number <= 65535:
            raise _Die(f"port number too {'small' if number < 1 else 'large'}: {word}")
        return number
    raise _Die(f'service "{word}" unknown')


def _openbsd_ports(words: list[str], proto: str) -> list[int]:
    """build_ports(): service names, LOW-HIGH ranges and single ports, in order."""
    by_name = {name: port for (kind, port), name in SERVICES.items() if kind == proto}
    ports: list[int] = []
    for word in words:
        if word in by_name:
            ports.append(by_name[word])
        elif word[:1].isdigit() and "-" in word:
            low, _, high = word.partition("-")
            first, last = sorted((_strtoport(low), _strtoport(high)))
            ports.extend(range(first, last + 1))
        else:
            ports.append(_strtoport(word))
    return ports


def _timeout(text: str) -> int:
    """-w's strtonum(optarg, 0, INT_MAX / 1000) in seconds."""
    if not text.isdigit():
        problem = "too small" if text[:1] == "-" and text[1:].isdigit() else "invalid"
        raise _Die(f"timeout {problem}: {text}")
    if int(text) > INT_MAX // 1000:
        raise _Die(f"timeout too large: {text}")
    return int(text)


def _openbsd(context: Context, argv: list[str], result: Execution) -> None:
    options, operands = _getopt(argv, "zvnu4N", "w")
    letters = {letter for letter, _ in options}
    if "z" not in letters:
        raise KubenetError("nc without -z (sending data) is not simulated by kubenet-nb")
    if len(operands) < 2:
        raise KubenetError("nc without a host and a port prints its usage: not simulated")
    wait = next((_timeout(value) for letter, value in reversed(options) if letter == "w"), None)
    verbose, numeric, udp = "v" in letters, "n" in letters, "u" in letters
    proto = "udp" if udp else "tcp"
    host = operands[0]
    ports = _openbsd_ports(operands[1:], proto)
    result.exit_code = 1
    for port in ports:
        if numeric and not _is_address(host):
            raise _Die(f'getaddrinfo for host "{host}" port {port}: {GAI_ERRORS["nxdomain"]}')
        connection = _open(context, host, port, udp)
        if not connection.resolved:
            message = GAI_ERRORS.get(connection.verdict, GAI_ERRORS["servfail"])
            raise _Die(f'getaddrinfo for host "{host}" port {port}: {message}')
        ip = connection.ip or host
        shown = "" if numeric or ip == host else f" ({ip})"
        if udp:
            if connection.verdict == "refused" and (UDP_SCAN_TIMEOUT if wait is None else wait):
                result.exit_code = 1
                continue
        elif connection.verdict != "delivered":
            if verbose:
                if connection.verdict == "refused":
                    how = f"failed: {REFUSED}"
                elif wait:
                    how = "timed out: Operation in progress"
                else:
                    how = f"failed: {TIMED_OUT['musl']}"
                result.err(f"nc: connect to {host}{shown} port {port} ({proto}) {how}\n")
            continue
        result.exit_code = 0
        service = "*" if numeric else SERVICES.get((proto, port), "*")
        result.err(f"Connection to {host}{shown} {port} port [{proto}/{service}] succeeded!\n")


# -- busybox nc (networking/nc_bloaty.c) ----------------------------------------------------------


def _lookup_port(word: str, proto: str) -> int:
    """bb_lookup_port(): a number up to 65535, else a service name."""
    if word.isdigit() and int(word) <= 65535:
        number = int(word)
    else:
        by_name = {name: port for (kind, port), name in SERVICES.items() if kind == proto}
        if word not in by_name:
            raise _Die(f"bad port '{word}'")
        number = by_name[word]
    if number == 0:
        raise KubenetError("nc to port 0 is not simulated by kubenet-nb")
    return number


def _wait_seconds(text: str) -> int:
    """getopt32's `w:+`: xatoi_positive()."""
    if not text.isdigit():
        raise _Die(f"invalid number '{text}'")
    if int(text) > INT_MAX:
        raise _Die(f"number {text} is not in 0..{INT_MAX} range")
    return int(text)


def _busybox(context: Context, argv: list[str], result: Execution) -> None:
    options, operands = _getopt(argv, "zvnu", "w")
    letters = [letter for letter, _ in options]
    if "z" not in letters:
        raise KubenetError("nc without -z (sending data) is not simulated by kubenet-nb")
    if len(operands) != 2:
        raise KubenetError("nc without exactly a host and a port prints its usage: not simulated")
    for letter, value in options:
        if letter == "w":  # its length shows nowhere: the outcome and the words are the same
            _wait_seconds(value)
    verbose, udp = letters.count("v"), "u" in letters
    host = operands[0]
    port = _lookup_port(operands[1], "udp" if udp else "tcp")
    connection = _open(context, host, port, udp)
    if not connection.resolved:
        raise _Die(f"bad address '{host}'")
    ip = connection.ip or host
    dotted = f"[{ip}]:{port}" if ":" in ip else f"{ip}:{port}"
    refused = connection.verdict == "refused"
    if connection.verdict == "delivered" or (udp and not refused):
        if verbose:
            result.err(f"{host} ({dotted}) open\n")
    else:
        result.exit_code = 1
        if verbose > 1 or (verbose and not refused):
            libc = "musl" if context.toolbox.has("apk") else "glibc"  # libc.py's rule
            error = REFUSED if refused else TIMED_OUT[libc]
            result.err(f"nc: {host} ({dotted}): {error}\n")
    if verbose > 1:
        result.err("sent 0, rcvd 0\n")


def run_nc(context: Context, argv: list[str]) -> Execution:
    """Run `nc ARGS...` (argv without `nc`) in the context's container."""
    result = Execution()
    openbsd = image_repository(context.container.get("image") or "") in OPENBSD_IMAGES
    try:
        (_openbsd if openbsd else _busybox)(context, argv, result)
    except _Die as error:
        result.err(f"nc: {error}\n")
        result.exit_code = 1
    return result
