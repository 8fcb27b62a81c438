"""Events: what the cluster's components report about objects (`kubectl get events`, describe).

Kept beside the store rather than in it, so that recording one costs an append, not a watched
write; each record becomes a core/v1 Event when read. Components that record through client-go's
legacy recorder pass through its EventCorrelator (client-go tools/record/events_cache.go @
v0.33.0): a repeat of an identical event counts up the first one, more than 10 messages of one
reason about one object within 10 minutes are combined, and a source may burst 25 events about
an object, then one every 5 minutes (the rest are counted but not written).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime

__all__ = ["EventLog", "EventRecord"]

AGGREGATE_MAX_EVENTS, AGGREGATE_INTERVAL_SECONDS = 10, 600
"""events_cache.go defaultAggregateMaxEvents, defaultAggregateIntervalInSeconds."""
SPAM_BURST, SPAM_QPS = 25, 1 / 300
"""events_cache.go defaultSpamBurst, defaultSpamQPS: a token bucket per source and object."""
COMBINED = "(combined from similar events): "
"""events_cache.go EventAggregatorByReasonMessageFunc."""
EVENTS_API_SOURCES = frozenset({"default-scheduler"})
"""Components that record through events.k8s.io (k/k pkg/scheduler/scheduler.go @ v1.33.0): no
correlator; an identical event within 6 minutes only counts up its series."""

Subject = tuple[str, str, str, str, str]
"""(source, kind, object namespace, name, uid): what an event is about, and from whom."""


@dataclass
class EventRecord:
    """One event: when, Normal or Warning, reason, reporting component, message, about what;
    `count` occurrences, the last at `last_timestamp`.

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
    count: int = 1
    last_timestamp: str = ""

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
            "lastTimestamp": self.last_timestamp or self.timestamp,
            "count": self.count,
            "type": self.type,
            "reportingComponent": self.source,
            "reportingInstance": "",
        }


@dataclass
class _Seen:
    """eventLogger's eventLog: occurrences of one event key and the record written, if any."""

    count: int
    first: str
    record: EventRecord | None = None


class EventLog:
    """Event records, indexed by the object they are about; repeats count up (see module doc)."""

    def __init__(self, on_undo: Callable[[Callable[[], object]], None]) -> None:
        self.records: list[EventRecord] = []
        self._by_object: dict[tuple[str, str, str], list[EventRecord]] = defaultdict(list)
        self._by_name: dict[tuple[str, str], list[EventRecord]] = defaultdict(list)
        self._on_undo = on_undo
        self._seen: dict[tuple, _Seen] = {}
        self._similar: dict[tuple, tuple[tuple[str, ...], float]] = {}
        self._buckets: dict[Subject, tuple[float, float]] = {}
        self._clock = ("", 0.0)

    def record(
        self, obj: dict, type_: str, reason: str, source: str, message: str, timestamp: str
    ) -> None:
        meta = obj["metadata"]
        subject = (
            source,
            obj["kind"],
            meta.get("namespace", ""),
            meta["name"],
            meta.get("uid", ""),
        )
        key: tuple = (*subject, type_, reason, message)
        if source in EVENTS_API_SOURCES:
            self._observe(key, subject, type_, reason, message, timestamp)
            return
        now = self._seconds(timestamp)
        message, key = self._aggregate(key, subject, type_, reason, message, now)
        seen = self._count(key, timestamp)
        if self._accept(subject, now):
            self._write(seen, subject, type_, reason, message, timestamp)

    def _observe(
        self, key: tuple, subject: Subject, type_: str, reason: str, message: str, stamp: str
    ) -> None:
        """Count the event and write it (events.k8s.io series: nothing is filtered)."""
        self._write(self._count(key, stamp), subject, type_, reason, message, stamp)

    def _seconds(self, timestamp: str) -> float:
        if self._clock[0] != timestamp:
            self._clock = (
                timestamp,
                datetime.fromisoformat(timestamp.replace("Z", "+00:00")).timestamp(),
            )
        return self._clock[1]

    def _aggregate(
        self, key: tuple, subject: Subject, type_: str, reason: str, message: str, now: float
    ) -> tuple[str, tuple]:
        """EventAggregate: the message and key to observe (Go's PopAny forgets the oldest)."""
        similar = (*subject, type_, reason)
        old = self._similar.get(similar)
        messages, last = old or ((), 0.0)
        if old is None or now - last > AGGREGATE_INTERVAL_SECONDS:
            messages = ()
        if message not in messages:
            messages = (*messages, message)
        combined = len(messages) >= AGGREGATE_MAX_EVENTS
        self._similar[similar] = (messages[1:] if combined else messages, now)
        self._on_undo(lambda: self._restore(self._similar, similar, old))
        if combined:
            return COMBINED + message, ("combined", *similar)
        return message, key

    def _count(self, key: tuple, timestamp: str) -> _Seen:
        """eventObserve: one more occurrence of the event key."""
        seen = self._seen.get(key)
        if seen is None:
            seen = self._seen[key] = _Seen(1, timestamp)
            self._on_undo(lambda: self._seen.pop(key, None))
        else:
            seen.count += 1
            self._on_undo(lambda: setattr(seen, "count", seen.count - 1))
        return seen

    def _accept(self, subject: Subject, now: float) -> bool:
        """EventSourceObjectSpamFilter: take a token from the source's bucket for the object."""
        old = self._buckets.get(subject)
        tokens, last = old or (float(SPAM_BURST), now)
        tokens = min(float(SPAM_BURST), tokens + (now - last) * SPAM_QPS)
        accepted = tokens >= 1
        self._buckets[subject] = (tokens - 1 if accepted else tokens, now)
        self._on_undo(lambda: self._restore(self._buckets, subject, old))
        return accepted

    def _write(
        self, seen: _Seen, subject: Subject, type_: str, reason: str, message: str, stamp: str
    ) -> None:
        """Create the event, or patch its count, message and last timestamp."""
        if seen.record is not None:
            record, before = seen.record, replace(seen.record)
            record.count, record.message, record.last_timestamp = seen.count, message, stamp
            self._on_undo(lambda: record.__dict__.update(before.__dict__))
            return
        source, kind, namespace, name, uid = subject
        record = EventRecord(
            len(self.records) + 1,
            seen.first,
            type_,
            reason,
            source,
            message,
            kind,
            namespace or "default",
            name,
            uid,
            namespace,
            seen.count,
            stamp,
        )
        seen.record = record
        by_object = (kind, namespace, name)
        by_name = (namespace, name)
        self.records.append(record)
        self._by_object[by_object].append(record)
        self._by_name[by_name].append(record)

        def undo() -> None:
            seen.record = None
            self.records.pop()
            self._by_object[by_object].pop()
            self._by_name[by_name].pop()

        self._on_undo(undo)

    @staticmethod
    def _restore(table: dict, key: object, old: object) -> None:
        if old is None:
            table.pop(key, None)
        else:
            table[key] = old

    def named(self, namespace: str, name: str) -> list[EventRecord]:
        """Records about any object with this name in this namespace ("" for cluster scope)."""
        return list(self._by_name.get((namespace, name), ()))

    def about(self, kind: str, namespace: str, name: str) -> list[EventRecord]:
        return list(self._by_object.get((kind, namespace, name), ()))
