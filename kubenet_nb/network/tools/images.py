"""Which programs an image has, and which flavour each is: what `kubectl exec` can run in it.

Decided per image repository (the tag only picks a version where it names one):

- `nginx`, `nginxinc/nginx-unprivileged`, `httpd`, `debian`, `ubuntu`: Debian bookworm with GNU
  coreutils and dash as `sh`. The nginx Debian image installs curl (nginxinc/docker-nginx
  mainline/debian/Dockerfile: `apt-get install ... gettext-base curl`), so curl 7.88.1
  (bookworm's); no wget, no nslookup. Its ENV is nginx:1.27.3's (`docker inspect`), the
  `nginx:latest` of the simulated epoch (January 2025).
- `busybox`, `alpine`: busybox applets: `wget` and `nslookup` are busybox's, there is no curl.
- `nginx:*-alpine`, `curlimages/curl`: Alpine plus curl 8 (curlimages/curl's tag is its curl
  version).
- `nicolaka/netshoot`, `registry.k8s.io/e2e-test-images/agnhost`: Alpine plus curl, BIND's
  nslookup (bind-tools; agnhost's Dockerfile: `apk add bind-tools curl netcat-openbsd iproute2
  iperf bash`) and bash; wget stays busybox's.
- images built `FROM scratch` or distroless (`pause`, `coredns`, `http-echo`, `traefik/whoami`,
  the control-plane images, `kindnetd`): no shell, no tools.
- any other image: only `sh`, `cat`, `env` and `hostname` (kubenet-nb's assumption), GNU style.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from kubenet_nb.cluster.listeners import image_repository

__all__ = ["DEFAULT_PATH", "VERSION", "Toolbox", "image_tag", "toolbox_for"]

VERSION = re.compile(r"\d+\.\d+\.\d+")
"""A tag that is a whole version number (`1.27.3`, `8.14.1`)."""

DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
"""containerd's default PATH, also what the Debian and Alpine images set."""
CURL_DEBIAN = "7.88.1"
CURL_ALPINE = "8.11.1"
"""Alpine 3.21's curl (December 2024), for the Alpine-based images."""

_COMMON = "sh cat env printenv hostname echo ls sleep true false id uname date head tail grep sed"
_COMMON += " awk mkdir rm cp mv touch pwd whoami test [ kill"
_BUSYBOX = _COMMON + " ash wget nslookup ping ps ip ifconfig route netstat nc telnet traceroute"
_BUSYBOX += " vi top find xargs tr wc sort uniq cut tee which timeout watch arp hexdump od"
_DEBIAN = _COMMON + " bash dash"
_NGINX_ENV = (
    ("NGINX_VERSION", "1.27.3"),
    ("NJS_VERSION", "0.8.7"),
    ("NJS_RELEASE", "1~bookworm"),
    ("PKG_RELEASE", "1~bookworm"),
    ("DYNPKG_RELEASE", "1~bookworm"),
)


@dataclass(frozen=True)
class Toolbox:
    """What an image offers a `kubectl exec`."""

    commands: frozenset[str]
    """The programs on its PATH (those kubenet-nb runs, and others it only knows exist)."""
    style: str
    """`gnu` or `busybox`: whose wording `cat`'s errors use; `none` for images without tools."""
    shell: str = ""
    """`sh`'s dialect: `dash`, `ash` (busybox) or "" without a shell."""
    curl: str = ""
    """curl's version, "" without curl."""
    nslookup: str = ""
    """`bind` or `busybox`, "" without nslookup."""
    env: tuple[tuple[str, str], ...] = ()
    """The image's ENV after PATH, in Dockerfile order."""
    home: str = "/root"

    def has(self, command: str) -> bool:
        """Whether `command` (a name or an absolute path in a bin directory) exists."""
        if "/" not in command:
            return command in self.commands
        directory, _, name = command.rpartition("/")
        return directory in DEFAULT_PATH.split(":") and name in self.commands


def _words(text: str, *extra: str) -> frozenset[str]:
    return frozenset(text.split()) | frozenset(extra)


DEBIAN = Toolbox(_words(_DEBIAN), "gnu", "dash")
NGINX = Toolbox(
    _words(_DEBIAN, "curl", "nginx", "envsubst"), "gnu", "dash", CURL_DEBIAN, "", _NGINX_ENV
)
BUSYBOX = Toolbox(_words(_BUSYBOX), "busybox", "ash", nslookup="busybox")
ALPINE = Toolbox(_words(_BUSYBOX, "apk"), "busybox", "ash", nslookup="busybox")
ALPINE_CURL = Toolbox(_words(_BUSYBOX, "apk", "curl"), "busybox", "ash", CURL_ALPINE, "busybox")
NETSHOOT = Toolbox(
    _words(_BUSYBOX, "apk", "curl", "bash", "dig", "host", "tcpdump", "iperf3", "nmap", "ss"),
    "busybox",
    "ash",
    CURL_ALPINE,
    "bind",
)
AGNHOST = Toolbox(
    _words(_BUSYBOX, "apk", "curl", "bash", "dig", "host", "ss", "iperf", "agnhost"),
    "busybox",
    "ash",
    CURL_ALPINE,
    "bind",
)
CURLIMAGES = Toolbox(
    ALPINE_CURL.commands, "busybox", "ash", CURL_ALPINE, "busybox", home="/home/curl_user"
)
NOTHING = Toolbox(frozenset(), "none")
UNKNOWN = Toolbox(_words("sh cat env hostname"), "gnu", "dash")

_BY_REPOSITORY: dict[str, Toolbox] = {
    "nginx": NGINX,
    "nginxinc/nginx-unprivileged": NGINX,
    "httpd": DEBIAN,
    "debian": DEBIAN,
    "ubuntu": DEBIAN,
    "busybox": BUSYBOX,
    "alpine": ALPINE,
    "curlimages/curl": CURLIMAGES,
    "nicolaka/netshoot": NETSHOOT,
    "e2e-test-images/agnhost": AGNHOST,
}
_EMPTY = (
    "pause coredns/coredns hashicorp/http-echo traefik/whoami kube-apiserver etcd"
    " kube-controller-manager kube-scheduler kindest/kindnetd"
).split()


def image_tag(image: str) -> str:
    """The image's tag ("latest" when it names none).

    >>> image_tag("curlimages/curl:8.14.1"), image_tag("localhost:5000/nginx")
    ('8.14.1', 'latest')
    """
    name = image.split("@", 1)[0]
    last = name.rsplit("/", 1)[-1]
    return last.split(":", 1)[1] if ":" in last else "latest"


def toolbox_for(image: str) -> Toolbox:
    """The tools of the image a container runs."""
    repository = image_repository(image)
    tag = image_tag(image)
    if repository in _EMPTY:
        return NOTHING
    if repository in ("nginx", "nginxinc/nginx-unprivileged"):
        if "alpine" in tag:
            return ALPINE_CURL
        if VERSION.fullmatch(tag):
            return replace(NGINX, env=(("NGINX_VERSION", tag), *_NGINX_ENV[1:]))
    if repository == "curlimages/curl" and VERSION.fullmatch(tag):
        return replace(CURLIMAGES, curl=tag)
    return _BY_REPOSITORY.get(repository, UNKNOWN)
