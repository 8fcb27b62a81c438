"""curl's command line: the options kubenet-nb's curl knows, parsed as curl's getparam does.

Short options cluster (`-sSL`); an option taking a value takes the rest of its cluster or the
next word (`-m5`, `-m 5`, `-o/dev/null`). Mistakes get curl's words and exit status 2
(src/tool_getparam.c, tool_helpers.c): `curl: option --foo: is unknown`, `curl: option -m:
expected a proper numerical parameter`, `curl: no URL specified!`, each followed by
`curl: try 'curl --help' or 'curl --manual' for more information`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

__all__ = ["CurlError", "CurlOptions", "CurlUsageError", "Url", "parse_curl_args", "parse_url"]

TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information"
_NUMBER = re.compile(r"\d+(\.\d*)?|\.\d+")

_FLAGS = {
    "s": "silent",
    "S": "show-error",
    "v": "verbose",
    "I": "head",
    "i": "include",
    "f": "fail",
    "L": "location",
    "k": "insecure",
    "4": "ipv4",
    "N": "no-buffer",
}
_VALUED = {"m": "max-time", "o": "output", "w": "write-out", "X": "request", "H": "header"}
_VALUED |= {"A": "user-agent"}
_LONG_FLAGS = set(_FLAGS.values()) | {"no-progress-meter", "http1.1"}
_LONG_VALUED = set(_VALUED.values()) | {"connect-timeout", "url"}
_NUMERIC = ("max-time", "connect-timeout")


class CurlError(Exception):
    """A failure curl reports as `curl: (code) message`."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


class CurlUsageError(Exception):
    """A command-line mistake: curl's message (without `curl: `) and exit status 2."""


@dataclass
class CurlOptions:
    """What the command line asked for."""

    urls: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)
    headers: list[str] = field(default_factory=list)

    def has(self, flag: str) -> bool:
        return flag in self.flags

    def seconds(self, name: str) -> float | None:
        value = self.values.get(name)
        return float(value) if value is not None else None


@dataclass(frozen=True)
class Url:
    """A URL as curl splits it."""

    scheme: str
    host: str
    port: int
    target: str
    """The path and query the request line carries (`/` at least)."""
    explicit_port: bool

    @property
    def effective(self) -> str:
        """`%{url_effective}`: the URL curl normalised (scheme added, `/` path)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        port = f":{self.port}" if self.explicit_port else ""
        return f"{self.scheme}://{host}{port}{self.target}"

    @property
    def host_header(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.explicit_port else host


def _set(options: CurlOptions, name: str, value: str | None, spelled: str) -> None:
    if value is None:
        options.flags.add(name)
    elif name == "header":
        options.headers.append(value)
    elif name == "url":
        options.urls.append(value)
    else:
        if name in _NUMERIC and not _NUMBER.fullmatch(value):
            raise CurlUsageError(f"option {spelled}: expected a proper numerical parameter")
        options.values[name] = value


def parse_curl_args(argv: list[str]) -> CurlOptions:
    """Parse curl's arguments (after `curl`)."""
    options = CurlOptions()
    i = 0
    while i < len(argv):
        arg = argv[i]
        i += 1
        if arg.startswith("--") and len(arg) > 2:
            name = arg[2:]
            if name in _LONG_FLAGS:
                _set(options, name, None, arg)
            elif name in _LONG_VALUED:
                if i >= len(argv):
                    raise CurlUsageError(f"option {arg}: requires parameter")
                _set(options, name, argv[i], arg)
                i += 1
            else:
                raise CurlUsageError(f"option {arg}: is unknown")
        elif arg.startswith("-") and len(arg) > 1:
            for position, letter in enumerate(arg[1:], start=1):
                if letter in _FLAGS:
                    _set(options, _FLAGS[letter], None, arg)
                    continue
                if letter not in _VALUED:
                    raise CurlUsageError(f"option {arg}: is unknown")
                rest = arg[position + 1 :]
                if not rest:
                    if i >= len(argv):
                        raise CurlUsageError(f"option -{letter}: requires parameter")
                    rest, i = argv[i], i + 1
                _set(options, _VALUED[letter], rest, f"-{letter}")
                break
        else:
            options.urls.append(arg)
    if not options.urls:
        raise CurlUsageError("no URL specified!")
    return options


def parse_url(text: str) -> Url:
    """Split a URL; without a scheme curl assumes http (CurlError for what curl refuses)."""
    written = text if "://" in text else f"http://{text}"
    scheme = written.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise CurlError(1, f'Protocol "{scheme}" not supported')
    try:
        parts = urlsplit(written)
    except ValueError:  # an unmatched bracket: curl's urlapi refuses the host (strerror.c)
        message = "Bad IPv6 address" if "[" in written else "Bad hostname"
        raise CurlError(3, f"URL rejected: {message}") from None
    netloc = parts.netloc.rsplit("@", 1)[-1]
    if netloc.startswith("["):
        host, _, rest = netloc[1:].partition("]")
        port_text = rest[1:] if rest.startswith(":") else ""
    else:
        host, _, port_text = netloc.partition(":")
    if not host:
        raise CurlError(3, "URL rejected: No host part in the URL")
    decimal = port_text.isascii() and port_text.isdigit() and len(port_text.lstrip("0")) <= 5
    if port_text and (not decimal or int(port_text) > 65535):
        raise CurlError(3, "URL rejected: Port number was not a decimal number between 0 and 65535")
    default = 443 if scheme == "https" else 80
    port = int(port_text) if port_text else default
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Url(scheme, host, port, target, bool(port_text))
