"""The reachability matrix: which pod may open a connection to which, by NetworkPolicy alone.

Rows are sources and columns destinations, both `ns/pod`, as upstream's netpol e2e suite prints
its truth tables (kubernetes/kubernetes test/e2e/network/netpol/truthtable.go @ v1.33.0). Only
policies are judged: no Service, route or readiness, and the diagonal is a pod reaching itself
over loopback, which no policy sees.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from kubenet_nb.network.policy import allowed_matrix, policy_state

if TYPE_CHECKING:
    from kubenet_nb.views.workbook import Objects

__all__ = ["reachability_table"]


def reachability_table(
    cluster: Objects, port: int = 80, protocol: str = "TCP", namespace: str | None = None
) -> pd.DataFrame:
    """A bool DataFrame: index source `ns/pod`, columns destination `ns/pod`, True when the
    NetworkPolicies let a new `protocol` connection to the destination's pod IP on `port` pass;
    `namespace` narrows both sides to one namespace. Pods sorted by namespace then name."""
    state = policy_state(cluster)
    pods = sorted(
        (
            pod
            for pod in state.pods
            if namespace is None or pod["metadata"].get("namespace") == namespace
        ),
        key=lambda pod: (pod["metadata"].get("namespace", ""), pod["metadata"]["name"]),
    )
    names = [f"{pod['metadata'].get('namespace')}/{pod['metadata']['name']}" for pod in pods]
    matrix = allowed_matrix(state, pods, port, protocol)
    frame = pd.DataFrame(matrix, index=names, columns=names, dtype=bool)
    frame.index.name = "from"
    frame.columns.name = "to"
    return frame
