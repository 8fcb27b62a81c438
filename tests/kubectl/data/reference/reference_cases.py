"""The recorded kubectl v1.33.1 cases beside this file, and their fixtures rebuilt in a Cluster.

Used by the tests in tests/kubectl: `case("expose", "seed")` is one record (command, stdout,
stderr, exit code, the object kubectl built); `seeded(["webapp1"])` is a fresh Cluster holding
the same objects the fake API server held for the recording (kinds kubenet-nb does not serve,
such as DaemonSet, are left out).
"""

from __future__ import annotations

import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from kubenet_nb import Cluster
from kubenet_nb.api.errors import KubenetError
from kubenet_nb.kubectl.main import execute

__all__ = [
    "REFERENCE",
    "case",
    "cases",
    "dry_run_command",
    "fixture_objects",
    "replay",
    "seeded",
    "stderr_error",
]

REFERENCE = Path(__file__).resolve().parent
_SERVED = ("Namespace", "Deployment", "ReplicaSet", "Service", "Pod")


@cache
def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def case(group: str, name: str) -> dict:
    """One recorded case: command, stdin, fixtures, exit_code, stdout, stderr, sent, built."""
    return copy.deepcopy(_load(REFERENCE / group / f"{name}.yaml"))


def cases(group: str) -> list[str]:
    """The names of a group's recorded cases, sorted."""
    return sorted(p.stem for p in (REFERENCE / group).glob("*.yaml"))


def fixture_objects(names: list[str]) -> list[dict]:
    """The fixture objects of these sets, later sets replacing same-named objects."""
    sets = _load(REFERENCE / "fixtures.yaml")
    objects: dict[tuple[str, str, str], dict] = {}
    for name in names:
        for obj in sets[name]:
            meta = obj["metadata"]
            objects[(obj["kind"], meta.get("namespace", ""), meta["name"])] = copy.deepcopy(obj)
    return list(objects.values())


def seeded(names: list[str], **settings: Any) -> Cluster:
    """A new Cluster with the fixtures' objects created (nodes updated) through the API."""
    cluster = Cluster(**settings)
    for obj in fixture_objects(["base", *names]):
        kind, meta = obj["kind"], obj["metadata"]
        if kind == "Node":
            node = cluster.get("node", meta["name"])
            spec = {k: v for k, v in node["spec"].items() if k != "unschedulable"}
            if obj["spec"].get("unschedulable"):
                spec["unschedulable"] = True
            cluster.update({**node, "spec": spec})
        elif kind == "Namespace":
            if not cluster.list("namespaces", None, f"kubernetes.io/metadata.name={meta['name']}"):
                cluster.create(
                    {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": meta["name"]}}
                )
        elif kind in _SERVED:
            obj.pop("status", None)
            cluster.create(obj)
    return cluster


def stderr_error(record: dict) -> str:
    """The recorded stderr as an error's str(): without its final newline."""
    return record["stderr"].removesuffix("\n")


def dry_run_command(record: dict) -> str:
    """The case's command with `--dry-run=client -o yaml` (before any `--`), stdin after it."""
    line = record["command"]
    if "--dry-run" not in line:
        head, dash, tail = line.partition(" -- ")
        line = f"{head} --dry-run=client -o yaml" + (f" -- {tail}" if dash else "")
    return line + (f"\n{record['stdin']}" if record.get("stdin") else "")


def replay(record: dict, cluster: Cluster | None = None) -> tuple[str, str]:
    """(stdout, stderr) of the case's command run by kubenet-nb on its seeded fixtures."""
    cluster = cluster or seeded(record["fixtures"][1:])
    command = record["command"] + (f"\n{record['stdin']}" if record.get("stdin") else "")
    try:
        terminal = execute(cluster.control_plane, command)
    except KubenetError as error:
        return "", f"{error}\n"
    return terminal.stdout, "".join(text for stream, text in terminal.parts if stream == "err")
