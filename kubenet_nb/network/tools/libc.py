"""Which C library resolves names in a container: it decides how the search list is tried.

Alpine-based images (those with `apk`: alpine, nicolaka/netshoot, agnhost, curlimages/curl,
nginx:*-alpine) use musl; Debian-based ones (nginx, httpd, debian, ubuntu) and any other image
glibc. busybox's default image is counted with glibc (its uClibc variant is not modelled).
"""

from __future__ import annotations

from kubenet_nb.network.tools.images import toolbox_for

__all__ = ["pod_libc"]


def pod_libc(pod: dict) -> str:
    """The C library, musl or glibc, of the pod's first container (`kubectl exec`'s default).

    >>> pod_libc({"spec": {"containers": [{"image": "nicolaka/netshoot"}]}})
    'musl'
    >>> pod_libc({"spec": {"containers": [{"image": "nginx:1.27.3"}]}})
    'glibc'
    """
    containers = (pod.get("spec") or {}).get("containers") or [{}]
    return "musl" if toolbox_for(containers[0].get("image") or "").has("apk") else "glibc"
