"""Replaying the recorded kubectl runs of data/logs, data/debug and data/port_forward.

`data/logs/record_logs.py` ran the real kubectl v1.32.4 client for each case of a folder's
`cases.yaml` against a fake API server answered by the cluster of `data/logs/scenario.py`, and
kept its exit status, stdout and stderr in `<case>.txt`. `replay` runs the same command on that
cluster with kubenet-nb's kubectl and writes what it printed the same way, to be compared byte
for byte.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError
from kubenet_nb.kubectl.main import execute

__all__ = ["recorded", "replay", "scenario"]

_spec = importlib.util.spec_from_file_location(
    "logs_scenario", Path(__file__).parent / "data" / "logs" / "scenario.py"
)
assert _spec is not None
assert _spec.loader is not None
scenario = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scenario)


@cache
def _cluster(folder: Path) -> Cluster:
    """The scenario's cluster, one for each folder of recorded cases (as it was recorded)."""
    return scenario.build()


def replay(folder: Path, args: str) -> str:
    """Exit status, stdout and stderr of kubenet-nb's kubectl, as record_logs.py writes them."""
    c = _cluster(folder)
    try:
        terminal = execute(c.control_plane, args, c.proxy)
    except KubenetError as error:
        return f"# exit 1\n# stderr\n{error}\n"
    return f"# exit {terminal.exit_code}\n{terminal.stdout}# stderr\n{terminal.stderr}"


def recorded(folder: Path, case: dict) -> str:
    """What the real kubectl printed for the case."""
    return (folder / f"{case['name']}.txt").read_text()
