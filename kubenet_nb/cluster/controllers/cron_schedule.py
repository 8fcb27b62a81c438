"""When a cron schedule fires: github.com/robfig/cron/v3 SpecSchedule.Next, as CronJobs use it.

Five fields (minute, hour, day of month, month, day of week; names, ranges, steps, `*` and `?`)
or a descriptor (`@yearly`/`@annually`, `@monthly`, `@weekly`, `@daily`/`@midnight`, `@hourly`),
evaluated in a time zone (the CronJob's `timeZone`, UTC when unset). As in robfig/cron's
`dayMatches`, when the day of month or the day of week is `*` both must match, otherwise either
may. `@every` schedules are not simulated (never fire). The schedule has been validated by the
API server (kubenet_nb.api.batch.cron) before it gets here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

__all__ = ["Schedule", "parse_schedule"]

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, {n: i + 1 for i, n in enumerate(_MONTHS)}),
    (0, 6, {n: i for i, n in enumerate(_DAYS)}),
)
_DESCRIPTORS = {
    "@yearly": "0 0 1 1 *",
    "@annually": "0 0 1 1 *",
    "@monthly": "0 0 1 * *",
    "@weekly": "0 0 * * 0",
    "@daily": "0 0 * * *",
    "@midnight": "0 0 * * *",
    "@hourly": "0 * * * *",
}
_SEARCH_YEARS = 5
"""robfig/cron gives up after five years without a match (`Feb 30`)."""


def _values(expr: str, low: int, high: int, names: dict[str, int]) -> tuple[set[int], bool]:
    """One field's values, and whether it was a bare `*`/`?` (robfig's starBit)."""
    found: set[int] = set()
    star = False
    for part in expr.split(","):
        spec, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if spec in ("*", "?"):
            start, end = low, high
            star = star or not step_text
        else:
            a, _, b = spec.partition("-")
            start = names[a.lower()] if a.lower() in names else int(a)
            end = (names[b.lower()] if b.lower() in names else int(b)) if b else start
            if step_text and not b:
                end = high
        found.update(range(start, end + 1, step))
    return found, star


@dataclass(frozen=True)
class Schedule:
    """A parsed schedule; `next` gives its first activation after a moment."""

    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    day_star: bool
    weekday_star: bool
    zone: ZoneInfo | timezone

    def _day_matches(self, moment: datetime) -> bool:
        dom = moment.day in self.days
        dow = (moment.isoweekday() % 7) in self.weekdays
        if self.day_star or self.weekday_star:
            return dom and dow
        return dom or dow

    def next(self, after: datetime) -> datetime | None:
        """The first activation strictly after `after` (to the minute), in UTC."""
        local = after.astimezone(self.zone).replace(second=0, microsecond=0, tzinfo=None)
        local += timedelta(minutes=1)
        limit = local.year + _SEARCH_YEARS
        while local.year <= limit:
            if local.month not in self.months:
                year, month = divmod(local.month, 12)
                local = datetime(local.year + year, month + 1, 1)
                continue
            if not self._day_matches(local):
                local = datetime(local.year, local.month, local.day) + timedelta(days=1)
                continue
            if local.hour not in self.hours:
                local = local.replace(minute=0) + timedelta(hours=1)
                continue
            if local.minute not in self.minutes:
                local += timedelta(minutes=1)
                continue
            return local.replace(tzinfo=self.zone).astimezone(timezone.utc)
        return None


def parse_schedule(text: str, zone: str | None) -> Schedule | None:
    """The schedule of a CronJob; None for one that never fires here (`@every`).

    >>> s = parse_schedule("*/15 * * * *", None)
    >>> s.next(datetime(2025, 1, 1, 0, 7, tzinfo=timezone.utc)).isoformat()
    '2025-01-01T00:15:00+00:00'
    """
    spec = _DESCRIPTORS.get(text.strip(), text.strip())
    if spec.startswith("@"):
        return None
    fields = [
        _values(expr, low, high, names)
        for expr, (low, high, names) in zip(spec.split(), _FIELDS, strict=True)
    ]
    return Schedule(
        frozenset(fields[0][0]),
        frozenset(fields[1][0]),
        frozenset(fields[2][0]),
        frozenset(fields[3][0]),
        frozenset(fields[4][0]),
        fields[2][1],
        fields[4][1],
        ZoneInfo(zone) if zone else timezone.utc,
    )
