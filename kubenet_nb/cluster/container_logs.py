"""What containers wrote to stdout and stderr while the cluster ran: the kubelet's log files.

containerd keeps one log file per container instance; `kubectl logs` reads it through the
kubelet. Here the lines are kept per pod uid and container name, in the order they were
written, each with the simulated time it was written at. The data plane writes them (a request
a server logged); the cluster layer only keeps them, so that it never learns what a program
prints. A pod deleted and created again under the same name has a new uid and a new, empty log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

__all__ = ["ContainerLogs", "LogLine"]


@dataclass(frozen=True)
class LogLine:
    """One line a container wrote (without its newline), when, and to which stream."""

    at: datetime
    text: str
    stream: str = "stdout"


class ContainerLogs:
    """The lines each container instance wrote since it started, oldest first."""

    def __init__(self) -> None:
        self._lines: dict[tuple[str, str], list[LogLine]] = {}

    def append(self, pod: dict, container: str, line: LogLine) -> None:
        """Record a line `container` of `pod` wrote."""
        key = (pod["metadata"].get("uid") or "", container)
        self._lines.setdefault(key, []).append(line)

    def lines(self, pod: dict, container: str) -> list[LogLine]:
        """What `container` of `pod` wrote, oldest first."""
        return list(self._lines.get((pod["metadata"].get("uid") or "", container), ()))
