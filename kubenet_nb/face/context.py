"""The current cluster: the one `%kubectl` talks to, as kubectl talks to its current context.

`kubenet_nb.use(c)` picks it; until then the magics make a default `Cluster()` on first use.
"""

from __future__ import annotations

from kubenet_nb.face.cluster import Cluster

__all__ = ["current", "use"]

_current: Cluster | None = None


def use(cluster: Cluster) -> Cluster:
    """Make `cluster` the one `%kubectl` and `%%kubectl` run against, and return it.

    Like `kubectl config use-context`: later magics act on this cluster until `use` is called
    again. Returning the cluster allows `c = kubenet_nb.use(Cluster(seed=7))`.

    >>> import kubenet_nb
    >>> c = kubenet_nb.use(kubenet_nb.Cluster(seed=7))
    >>> kubenet_nb.current() is c
    True
    """
    global _current
    if not isinstance(cluster, Cluster):
        raise TypeError(f"use() takes a kubenet_nb Cluster, e.g. use(Cluster()), not {cluster!r}")
    _current = cluster
    return cluster


def current() -> Cluster:
    """The cluster the magics run against: the last one given to `use`.

    Before any `use`, the first call makes a default `Cluster()` (seed 0, two workers) and keeps
    it, so `%kubectl get nodes` works in a fresh notebook.
    """
    global _current
    if _current is None:
        _current = Cluster()
    return _current
