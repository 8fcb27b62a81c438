"""A process in a container: where it runs (`Context`) and what it left behind (`Execution`).

An `Execution` keeps stdout and stderr in the order the program wrote them, and its exit
status, as `kubectl exec` relays them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from kubenet_nb.network.tools.images import Toolbox

if TYPE_CHECKING:
    from kubenet_nb.cluster.control_plane import ControlPlane
    from kubenet_nb.network.proxy import ProxySettings

__all__ = ["Context", "Execution"]


@dataclass
class Execution:
    """A program's output, as (stream, text) parts with stream "out" or "err", and its status."""

    parts: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int = 0

    def out(self, text: str) -> None:
        """Write to stdout."""
        if text:
            self.parts.append(("out", text))

    def err(self, text: str) -> None:
        """Write to stderr."""
        if text:
            self.parts.append(("err", text))

    def extend(self, other: Execution) -> None:
        """Append another program's output (a shell running commands one after another)."""
        self.parts.extend(other.parts)
        self.exit_code = other.exit_code

    @property
    def stdout(self) -> str:
        return "".join(text for stream, text in self.parts if stream == "out")

    @property
    def stderr(self) -> str:
        return "".join(text for stream, text in self.parts if stream == "err")

    @property
    def text(self) -> str:
        """Both streams as a terminal shows them."""
        return "".join(text for _, text in self.parts)


@dataclass(frozen=True)
class Context:
    """Where a command runs: the cluster, the pod, its container and that image's tools."""

    cluster: ControlPlane
    pod: dict
    container: dict
    toolbox: Toolbox
    proxy: ProxySettings | None = None
    """kube-proxy's settings for the connections the command opens (the cluster's)."""
    tty: bool = False
    """Whether stdout is a terminal (`kubectl exec -it`)."""
    stdin: str = ""
