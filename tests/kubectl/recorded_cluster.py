"""The cluster behind the recorded kubectl output in data/printing, and a way to replay it.

`data/printing/record.py` served `fixture.json` to the real kubectl v1.32 client through a fake
API server and saved what it printed for each command of `cases.yaml`. `RecordedCluster` offers
the same objects through the Cluster facade's read methods, so get and describe can be run on
them and compared byte for byte.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from kubenet_nb.api.errors import KubenetError, NotFound
from kubenet_nb.api.kinds import ResourceTable, resolve
from kubenet_nb.api.selectors import parse_selector
from kubenet_nb.kubectl import describe
from kubenet_nb.kubectl.commands import get
from kubenet_nb.kubectl.printers.age import parse_time

__all__ = ["DATA", "RecordedCluster", "cases", "expected", "replay"]

DATA = Path(__file__).parent / "data" / "printing"


class RecordedCluster:
    """Read-only facade over the recorded objects; lists sorted as the API server sorts them."""

    def __init__(self) -> None:
        fixture = json.loads((DATA / "fixture.json").read_text())
        self.objects: list[dict] = fixture["objects"]
        self.now = parse_time(fixture["now"])
        self.resources = ResourceTable()  # the recording has no CRDs: the built-ins only

    def custom(self, kind: str) -> None:
        """No custom resources were recorded."""

    def list(
        self, kind: str, namespace: str | None = "default", selector: str | None = None
    ) -> list[dict]:
        info = resolve(kind)
        match = parse_selector(selector).matches if selector else None
        found = [
            obj
            for obj in self.objects
            if obj["kind"] == info.kind
            and (
                not info.namespaced
                or namespace is None
                or obj["metadata"].get("namespace") == namespace
            )
            and (match is None or match(obj["metadata"].get("labels") or {}))
        ]
        return sorted(
            found, key=lambda o: (o["metadata"].get("namespace", ""), o["metadata"]["name"])
        )

    def events_about(self, namespace: str, name: str) -> list[dict]:
        return [
            event
            for event in self.list("events", None)
            if (event.get("involvedObject") or {}).get("name") == name
            and (event.get("involvedObject") or {}).get("namespace", "") == namespace
        ]

    def get(self, kind: str, name: str, namespace: str = "default") -> dict:
        info = resolve(kind)
        for obj in self.list(kind, namespace if info.namespaced else None):
            if obj["metadata"]["name"] == name:
                return obj
        raise NotFound(info.plural, name, info.group)


def cases(command: str) -> list[tuple[str, list[str]]]:
    """(name, argv after the command) of the recorded cases of one command."""
    recorded = yaml.safe_load((DATA / "cases.yaml").read_text())
    return [
        (case["name"], case["args"].split()[1:])
        for case in recorded
        if case["args"].split()[0] == command
    ]


def expected(name: str) -> str:
    """What the real kubectl printed for a case: stdout, then stderr."""
    return (DATA / f"{name}.txt").read_text()


def replay(command: str, argv: list[str]) -> str:
    """Run our get or describe on the recorded cluster; a refusal gives kubectl's stderr text."""
    run = get.run if command == "get" else describe.run
    try:
        return run(RecordedCluster(), argv)
    except KubenetError as error:
        return f"{error}\n"
