"""kubenet_nb: a faithful in-memory kind cluster for learning Kubernetes networking."""

from __future__ import annotations

from typing import TYPE_CHECKING

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.face.cluster import Cluster
from kubenet_nb.face.context import current, use

if TYPE_CHECKING:
    from IPython.core.interactiveshell import InteractiveShell

__all__ = ["Cluster", "KubenetError", "current", "use"]


def load_ipython_extension(ipython: InteractiveShell) -> None:
    """`%load_ext kubenet_nb`: adds the `%kubectl` and `%%kubectl` magics."""
    from kubenet_nb.face.magic import register  # IPython is imported only when the extension loads

    register(ipython)


def unload_ipython_extension(ipython: InteractiveShell) -> None:
    """`%unload_ext kubenet_nb`: removes the magics again."""
    from kubenet_nb.face.magic import unregister

    unregister(ipython)
