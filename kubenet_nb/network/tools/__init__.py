"""Programs run in pods by `kubectl exec`: curl, wget, nslookup and a few shell basics."""

from __future__ import annotations

from kubenet_nb.network.tools.images import Toolbox, toolbox_for
from kubenet_nb.network.tools.process import Context, Execution

__all__ = ["Context", "Execution", "Toolbox", "toolbox_for"]
