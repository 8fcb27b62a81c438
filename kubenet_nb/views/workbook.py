"""What the views need of a cluster, as protocols: they read objects and drive the public
methods, never the class that composes them (which sits above the views and imports them).

`Objects` is what the tables read; `Workbook` is what the picture and the workbench use. The
public `kubenet_nb.Cluster` satisfies both, as does anything offering the same calls.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pandas as pd

    from kubenet_nb.cluster.kind import KindSettings
    from kubenet_nb.network.dns import Answer
    from kubenet_nb.network.trace import Trace

__all__ = ["Objects", "Workbook"]


class Objects(Protocol):
    """Objects as the API returns them, and the simulated time their ages are counted in."""

    @property
    def now(self) -> datetime: ...

    @property
    def settings(self) -> KindSettings: ...

    def get(self, kind: str, name: str, namespace: str = ...) -> dict: ...

    def list(
        self, kind: str, namespace: str | None = ..., selector: str | None = ...
    ) -> builtins.list[dict]: ...


class Workbook(Objects, Protocol):
    """A cluster a learner drives: kubectl, readiness, the node's rules, traces and traffic."""

    def kubectl(self, command: str) -> str: ...

    def set_ready(self, pod: str, ready: bool, namespace: str = ...) -> dict: ...

    def iptables_save(self, node: str | None = ...) -> str: ...

    def resolve(
        self,
        name: str,
        qtype: str = ...,
        from_pod: str | dict | None = ...,
        namespace: str = ...,
    ) -> Answer: ...

    def trace(
        self,
        src: str | dict,
        dst: str,
        port: int | None = ...,
        protocol: str = ...,
        seed: int | None = ...,
        *,
        via: str | None = ...,
    ) -> Trace: ...

    def send(
        self,
        src: str | dict,
        dst: str,
        n: int = ...,
        port: int | None = ...,
        protocol: str = ...,
        seed: int | None = ...,
        *,
        via: str | None = ...,
    ) -> pd.DataFrame: ...
