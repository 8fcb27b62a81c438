"""What a container printed: its image's startup lines, then what it logged since.

`kubectl logs` shows a container's stdout and stderr merged in the order they were written.
The lines written later (a request nginx logged) are kept by the cluster
(`ControlPlane.container_logs`, written by `access_log.serve`); the startup lines are what
the image prints when its process starts, at the container's `startedAt`.

Only the official nginx image's startup is simulated; any other image printed nothing (so
`kubectl logs` of an agnhost or http-echo pod is empty here). nginx, run by its own entrypoint
(`/docker-entrypoint.sh nginx -g 'daemon off;'`, nginxinc/docker-nginx mainline/debian @
1.27.3), prints on stdout the entrypoint's lines: its configuration scripts in
/docker-entrypoint.d, of which only 10-listen-on-ipv6-by-default.sh speaks (a pod has IPv6 on
its loopback, so /proc/net/if_inet6 exists, and the packaged default.conf is unchanged);
15-local-resolvers.envsh and 30-tune-worker-processes.sh return at once without their
environment variables, and 20-envsubst-on-templates.sh finds no templates. Then nginx's own
`notice` lines on stderr (`error_log /var/log/nginx/error.log notice;`, linked to
/dev/stderr), in error.log's time format: the event method, the version (the image tag's, as
`tools/http.py` answers in `Server:`), the compiler of the Debian bookworm build, the node's
kernel (`status.nodeInfo.kernelVersion`), the containerd file limit, and one worker per CPU of
the node (`worker_processes auto`; the first worker's pid is 29, the pids before it taken by
the entrypoint's processes). A container whose command replaces nginx's (`sleep 3600`) prints
none of it.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from kubenet_nb.api.quantity import parse_quantity
from kubenet_nb.cluster.container_logs import LogLine
from kubenet_nb.cluster.images import IMAGES, container_argv, image_repository
from kubenet_nb.network.tools.http import NGINX_VERSION
from kubenet_nb.network.tools.images import VERSION, image_tag

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane

__all__ = ["container_log", "startup_lines"]

ENTRYPOINT = "/docker-entrypoint.sh"
SCRIPTS = "/docker-entrypoint.d"
IPV6 = "10-listen-on-ipv6-by-default.sh"
DEFAULT_CONF = "/etc/nginx/conf.d/default.conf"
NGINX_ENTRYPOINT_LINES = (
    f"{ENTRYPOINT}: {SCRIPTS}/ is not empty, will attempt to perform configuration",
    f"{ENTRYPOINT}: Looking for shell scripts in {SCRIPTS}/",
    f"{ENTRYPOINT}: Launching {SCRIPTS}/{IPV6}",
    f"{IPV6}: info: Getting the checksum of {DEFAULT_CONF}",
    f"{IPV6}: info: Enabled listen on IPv6 in {DEFAULT_CONF}",
    f"{ENTRYPOINT}: Sourcing {SCRIPTS}/15-local-resolvers.envsh",
    f"{ENTRYPOINT}: Launching {SCRIPTS}/20-envsubst-on-templates.sh",
    f"{ENTRYPOINT}: Launching {SCRIPTS}/30-tune-worker-processes.sh",
    f"{ENTRYPOINT}: Configuration complete; ready for start up",
)
"""nginxinc/docker-nginx mainline/debian/docker-entrypoint.sh and 10-listen-on-ipv6-by-default.sh
@ 1.27.3 (`$0` is /docker-entrypoint.sh, `$ME` the script's base name)."""
BUILT_BY = "built by gcc 12.2.0 (Debian 12.2.0-14) "
"""nginx -V's compiler line of the bookworm build, with the space nginx leaves after it."""
NOFILE = "1048576:1048576"
"""containerd's RLIMIT_NOFILE for containers (soft:hard)."""
FIRST_WORKER_PID = 29


def _started(pod: dict, name: str) -> datetime | None:
    for status in (pod.get("status") or {}).get("containerStatuses") or []:
        running = (status.get("state") or {}).get("running") or {}
        if status.get("name") == name and running.get("startedAt"):
            return datetime.strptime(running["startedAt"], "%Y-%m-%dT%H:%M:%S%z")
    return None


def _runs_nginx_entrypoint(container: dict) -> bool:
    image = IMAGES.get(image_repository(container.get("image") or ""))
    if image is None or image_repository(container.get("image") or "") != "nginx":
        return False
    argv = container_argv(container, image)
    return argv[:1] == [ENTRYPOINT] and argv[1:2] in (["nginx"], ["nginx-debug"])


def startup_lines(cluster: ControlPlane, pod: dict, container: dict) -> list[LogLine]:
    """What the container's image printed when its process started (nothing when unknown)."""
    started = _started(pod, container["name"])
    if started is None or not _runs_nginx_entrypoint(container):
        return []
    node = cluster.store.get("Node", "", (pod.get("spec") or {}).get("nodeName") or "") or {}
    status = node.get("status") or {}
    kernel = (status.get("nodeInfo") or {}).get("kernelVersion") or ""
    cpus = max(parse_quantity((status.get("capacity") or {}).get("cpu") or "1").whole(), 1)
    tag = image_tag(container.get("image") or "")
    version = tag if VERSION.fullmatch(tag) else NGINX_VERSION
    notices = [
        'using the "epoll" event method',
        f"nginx/{version}",
        BUILT_BY,
        f"OS: Linux {kernel}",
        f"getrlimit(RLIMIT_NOFILE): {NOFILE}",
        "start worker processes",
        *(f"start worker process {FIRST_WORKER_PID + n}" for n in range(cpus)),
    ]
    stamp = f"{started:%Y/%m/%d %H:%M:%S}"
    lines = [LogLine(started, text) for text in NGINX_ENTRYPOINT_LINES]
    lines += [LogLine(started, f"{stamp} [notice] 1#1: {text}", "stderr") for text in notices]
    return lines


def container_log(cluster: ControlPlane, pod: dict, container: dict) -> list[LogLine]:
    """Everything the container wrote, oldest first: its startup, then what it logged."""
    return startup_lines(cluster, pod, container) + cluster.container_logs.lines(
        pod, container["name"]
    )
