"""Toolbox images: nothing listens unless the command starts a server the image has.

- busybox (and Alpine, whose tools are busybox applets): `httpd [-p [IP:]PORT]`, 80 by
  default (busybox networking/httpd.c), and `nc -l [-p PORT]` (networking/nc.c).
- netshoot and curl: netcat-openbsd's `nc -l [-p] PORT` (nicolaka/netshoot Dockerfile installs
  netcat-openbsd; curlimages/curl is Alpine with busybox's nc).
- python: `python -m http.server [PORT]`, 8000 by default (cpython Lib/http/server.py).
- the Debian and Ubuntu bases: none of these.
"""

from __future__ import annotations

from kubenet_nb.cluster.images.model import Image, ListenPort, Program

__all__ = ["SHELLS"]

_HTTPD = Program(
    ("httpd",),
    (ListenPort(80, flags=("p",)),),
    "mirror/busybox networking/httpd.c: -p [IP:]PORT, default 80",
    valued=("p", "h", "c", "r", "u", "i", "e", "d", "P", "m"),
)
_NC = Program(
    ("nc", "netcat"),
    (ListenPort(0, flags=("p",), switch=("l", False), positional=0),),
    "mirror/busybox networking/nc.c and netcat-openbsd: -l with -p PORT or a PORT argument",
    valued=("p", "w", "s", "q", "e", "i", "x", "X", "T", "O", "I", "V", "M", "m"),
)
_PYTHON = Program(
    ("python", "python3"),
    subcommands={
        "http.server": Program(
            (),
            (ListenPort(8000, positional=0),),
            "python/cpython Lib/http/server.py: port argument, default 8000",
            valued=("b", "bind", "d", "directory", "p", "protocol"),
        )
    },
    after="-m",
)
_BUSYBOX = Image((_HTTPD, _NC), cmd=("sh",), source="docker-library/busybox: CMD [sh]")

SHELLS: dict[str, Image] = {
    "busybox": _BUSYBOX,
    "alpine": Image((_HTTPD, _NC), cmd=("/bin/sh",)),
    "curlimages/curl": Image((_NC,), entrypoint=("/entrypoint.sh",), cmd=("curl",)),
    "nicolaka/netshoot": Image((_NC, _PYTHON), cmd=("zsh",)),
    "python": Image((_PYTHON,), cmd=("python3",)),
    "debian": Image((), cmd=("bash",)),
    "ubuntu": Image((), cmd=("/bin/bash",)),
}
