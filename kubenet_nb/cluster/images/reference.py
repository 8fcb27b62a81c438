"""Image references: the repository part of `registry/repository:tag@digest`."""

from __future__ import annotations

__all__ = ["image_repository"]


def image_repository(image: str) -> str:
    """The image's repository without registry, `library/`, tag or digest.

    >>> image_repository("registry.k8s.io/coredns/coredns:v1.12.0")
    'coredns/coredns'
    >>> image_repository("docker.io/library/nginx:1.27@sha256:0123")
    'nginx'
    """
    name = image.split("@", 1)[0]
    parts = name.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    last = parts[-1].split(":", 1)[0]
    parts = [*parts[:-1], last]
    if len(parts) == 2 and parts[0] == "library":
        parts = parts[1:]
    return "/".join(parts)
