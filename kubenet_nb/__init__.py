"""kubenet_nb: a faithful in-memory kind cluster for learning Kubernetes networking."""

from __future__ import annotations

from kubenet_nb.api.errors import KubenetError
from kubenet_nb.workbook import Cluster

__all__ = ["Cluster", "KubenetError"]
