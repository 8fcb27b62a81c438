"""The simulated clock: time moves only when the cluster is told to advance it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

__all__ = ["EPOCH", "Clock", "format_time"]

EPOCH = datetime(2025, 1, 1, 0, 0, 0, tzinfo=timezone.utc)


def format_time(moment: datetime) -> str:
    """RFC 3339 in UTC with second precision, as metav1.Time serializes (`2025-01-01T00:00:00Z`)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class Clock:
    """Seconds since a fixed epoch; deterministic AGE columns, grace periods and timeouts."""

    def __init__(self, start: datetime = EPOCH) -> None:
        self._start = start
        self.seconds = 0.0

    @property
    def now(self) -> datetime:
        return self._start + timedelta(seconds=self.seconds)

    def timestamp(self) -> str:
        """The current time as metav1.Time text."""
        return format_time(self.now)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self.seconds += seconds
