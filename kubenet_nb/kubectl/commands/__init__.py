"""kubectl's verbs, one module each, registered by name: the registry `main` dispatches through.

A new verb is a new module here with a `run(Invocation) -> None` (or, for a command that only
reads, `run(cluster, argv) -> str`) and one line in the registry below.
"""

from __future__ import annotations

from collections.abc import Callable

from kubenet_nb.kubectl import describe
from kubenet_nb.kubectl.command import Invocation
from kubenet_nb.kubectl.commands import (
    api_resources,
    apply,
    autoscale,
    create,
    debug,
    delete,
    edit,
    expose,
    get,
    label,
    logs,
    nodes,
    patch,
    port_forward,
    replace,
    rollout,
    run,
    scale,
)
from kubenet_nb.kubectl.commands import exec as exec_command
from kubenet_nb.kubectl.commands import set as set_command

__all__ = ["COMMANDS", "READERS"]

COMMANDS: dict[str, Callable[[Invocation], None]] = {
    "create": create.run,
    "expose": expose.run,
    "run": run.run,
    "scale": scale.run,
    "autoscale": autoscale.run,
    "delete": delete.run,
    "label": label.run_label,
    "annotate": label.run_annotate,
    "apply": apply.run,
    "cordon": nodes.run_cordon,
    "uncordon": nodes.run_uncordon,
    "drain": nodes.run_drain,
    "exec": exec_command.run,
    "patch": patch.run,
    "replace": replace.run,
    "edit": edit.run,
    "set": set_command.run,
    "logs": logs.run,
    "port-forward": port_forward.run,
    "debug": debug.run,
    "rollout": rollout.run,
}
"""The commands that may write: each gets the Invocation and prints to its terminal."""

READERS: dict[str, Callable[[get.ClusterView, list[str]], str]] = {
    "get": get.run,
    "describe": describe.run,
    "api-resources": api_resources.run,
}
"""The commands that only read: each returns what it prints."""
