"""What the exercises of notebooks 04-06 share about reaching a Service from outside the cluster.

The tasks trace from the machine that runs kind, the way the notebooks do, and judge what that
client gets: an answer, and the source address the pod saw.
"""

from __future__ import annotations

__all__ = ["OUTSIDE_CLIENT"]

OUTSIDE_CLIENT = "172.18.0.1"
"""The machine that runs kind: on the `kind` Docker network, but not a node."""
