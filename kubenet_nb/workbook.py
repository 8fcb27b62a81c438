"""The public `Cluster`: the engine plus the ways a learner drives and looks at it.

The engine (`kubenet_nb.cluster`) knows nothing of kubectl or pictures; this class adds them on
top, so the layers only depend downwards.
"""

from __future__ import annotations

from kubenet_nb.cluster.cluster import Cluster as EngineCluster
from kubenet_nb.kubectl.main import run_kubectl

__all__ = ["Cluster"]


class Cluster(EngineCluster):
    """A kind-style cluster in memory; see DESIGN.md's public face."""

    def kubectl(self, command: str) -> str:
        """Run a kubectl command line against this cluster; returns what kubectl prints.

        The text has no final newline, so that `print` shows exactly what a terminal shows.
        A refused command raises a `KubenetError` whose text is kubectl's error output.

        >>> c = Cluster()
        >>> print(c.kubectl("get nodes"))
        NAME                 STATUS   ROLES           AGE   VERSION
        kind-control-plane   Ready    control-plane   5m    v1.33.1
        kind-worker          Ready    <none>          5m    v1.33.1
        kind-worker2         Ready    <none>          5m    v1.33.1
        """
        return run_kubectl(self, command).removesuffix("\n")
