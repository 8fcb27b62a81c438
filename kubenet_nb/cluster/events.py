"""Events: what the cluster's components report about objects (`kubectl get events`, describe).

Kept beside the store rather than in it, so that recording one costs an append, not a watched
write; each record becomes a core/v1 Event when read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["EventLog", "EventRecord"]


@dataclass(frozen=True)
class EventRecord:
    """One event: when, Normal or Warning, reason, reporting component, message, about what.

    Events about cluster-scoped objects (Nodes) live in the default namespace, as on a cluster.
    """

    seq: int
    timestamp: str
    type: str
    reason: str
    source: str
    message: str
    kind: str
    namespace: str
    name: str
    uid: str
    object_namespace: str = ""

    def to_object(self) -> dict:
        """The core/v1 Event a real cluster would store for this record."""
        return {
            "apiVersion": "v1",
            "kind": "Event",
            "metadata": {
                "name": f"{self.name}.{self.seq:016x}",
                "namespace": self.namespace,
                "creationTimestamp": self.timestamp,
            },
            "involvedObject": {
                "apiVersion": "apps/v1" if self.kind in ("Deployment", "ReplicaSet") else "v1",
                "kind": self.kind,
                "namespace": self.object_namespace,
                "name": self.name,
                "uid": self.uid,
            },
            "reason": self.reason,
            "message": self.message,
            "source": {"component": self.source},
            "firstTimestamp": self.timestamp,
            "lastTimestamp": self.timestamp,
            "count": 1,
            "type": self.type,
            "reportingComponent": self.source,
            "reportingInstance": "",
        }


class EventLog:
    """Append-only event records, indexed by the object they are about."""

    def __init__(self, on_undo: Callable[[Callable[[], object]], None]) -> None:
        self.records: list[EventRecord] = []
        self._by_object: dict[tuple[str, str, str], list[EventRecord]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[EventRecord]] = defaultdict(list)
        self._on_undo = on_undo

    def record(
        self, obj: dict, type_: str, reason: str, source: str, message: str, timestamp: str
    ) -> None:
        meta = obj["metadata"]
        record = EventRecord(
            len(self.records) + 1,
            timestamp,
            type_,
            reason,
            source,
            message,
            obj["kind"],
            meta.get("namespace") or "default",
            meta["name"],
            meta.get("uid", ""),
            meta.get("namespace", ""),
        )
        key = (record.kind, record.object_namespace, record.name)
        named = (record.object_namespace, record.name)
        self.records.append(record)
        self._by_object[key].append(record)
        self._by_name[named].append(record)
        self._on_undo(
            lambda: (self.records.pop(), self._by_object[key].pop(), self._by_name[named].pop())
        )

    def named(self, namespace: str, name: str) -> list[EventRecord]:
        """Records about any object with this name in this namespace ("" for cluster scope)."""
        return list(self._by_name.get((namespace, name), ()))

    def about(self, kind: str, namespace: str, name: str) -> list[EventRecord]:
        return list(self._by_object.get((kind, namespace, name), ()))
