"""Ages as kubectl prints them: apimachinery's `duration.HumanDuration` and `ShortHumanDuration`.

The AGE column of `kubectl get` and the ages in `kubectl describe` use `HumanDuration`
(k8s.io/apimachinery/pkg/util/duration/duration.go); times are RFC 3339 strings as the API
serves them, and "now" is the simulated clock, never the wall clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

__all__ = [
    "age",
    "human_duration",
    "object_age",
    "parse_time",
    "rfc1123z",
    "short_human_duration",
]


def _whole_seconds(delta: timedelta) -> int:
    """Seconds truncated toward zero, as Go's `int(d.Seconds())` does."""
    micros = (delta.days * 86400 + delta.seconds) * 1_000_000 + delta.microseconds
    return int(micros / 1_000_000) if micros >= 0 else -int(-micros // 1_000_000)


def human_duration(delta: timedelta) -> str:
    """About two or three significant figures of a duration, as kubectl's AGE shows it.

    >>> [human_duration(timedelta(seconds=s)) for s in (0, 5, 119, 120, 182, 600, 10799)]
    ['0s', '5s', '119s', '2m', '3m2s', '10m', '179m']
    >>> [human_duration(timedelta(hours=h)) for h in (3, 7.5, 8, 47, 48, 51, 192, 800)]
    ['3h', '7h30m', '8h', '47h', '2d', '2d3h', '8d', '33d']
    >>> human_duration(timedelta(days=365 * 2 + 10)), human_duration(timedelta(seconds=-1))
    ('2y10d', '0s')
    >>> human_duration(timedelta(seconds=-2))
    '<invalid>'
    """
    seconds = _whole_seconds(delta)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60 * 2:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 10:
        rest = seconds % 60
        return f"{minutes}m" if rest == 0 else f"{minutes}m{rest}s"
    if minutes < 60 * 3:
        return f"{minutes}m"
    hours = seconds // 3600
    if hours < 8:
        rest = minutes % 60
        return f"{hours}h" if rest == 0 else f"{hours}h{rest}m"
    if hours < 48:
        return f"{hours}h"
    if hours < 24 * 8:
        rest = hours % 24
        return f"{hours // 24}d" if rest == 0 else f"{hours // 24}d{rest}h"
    if hours < 24 * 365 * 2:
        return f"{hours // 24}d"
    if hours < 24 * 365 * 8:
        days = (hours // 24) % 365
        years = hours // 24 // 365
        return f"{years}y" if days == 0 else f"{years}y{days}d"
    return f"{hours // 24 // 365}y"


def short_human_duration(delta: timedelta) -> str:
    """One unit only (`5s`, `3m`, `2h`, `4d`, `1y`), apimachinery's `ShortHumanDuration`.

    >>> [short_human_duration(timedelta(seconds=s)) for s in (59, 61, 3600 * 25, 86400 * 400)]
    ['59s', '1m', '1d', '1y']
    """
    seconds = _whole_seconds(delta)
    if seconds < -1:
        return "<invalid>"
    if seconds < 0:
        return "0s"
    if seconds < 60:
        return f"{seconds}s"
    if seconds // 60 < 60:
        return f"{seconds // 60}m"
    hours = seconds // 3600
    if hours < 24:
        return f"{hours}h"
    if hours < 24 * 365:
        return f"{hours // 24}d"
    return f"{hours // 24 // 365}y"


def parse_time(text: str) -> datetime:
    """An RFC 3339 timestamp (`2025-01-01T00:00:00Z`, fractions allowed) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))


def age(timestamp: str | None, now: datetime) -> str:
    """`translateTimestampSince`: the age of a timestamp, `<unknown>` when it is unset.

    >>> now = parse_time("2025-01-01T00:03:02Z")
    >>> age("2025-01-01T00:00:00Z", now), age(None, now)
    ('3m2s', '<unknown>')
    """
    if not timestamp:
        return "<unknown>"
    return human_duration(now - parse_time(timestamp))


def object_age(obj: dict, now: datetime) -> str:
    """The AGE column: the age of `metadata.creationTimestamp`."""
    return age(obj.get("metadata", {}).get("creationTimestamp"), now)


def rfc1123z(timestamp: str) -> str:
    """Go's `time.RFC1123Z` layout, as describe prints start and creation times.

    >>> rfc1123z("2025-01-02T03:04:05Z")
    'Thu, 02 Jan 2025 03:04:05 +0000'
    """
    moment = parse_time(timestamp)
    offset = moment.utcoffset() or timedelta(0)
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    day = _DAYS[moment.weekday()]
    month = _MONTHS[moment.month - 1]
    return (
        f"{day}, {moment.day:02d} {month} {moment.year} {moment:%H:%M:%S} "
        f"{sign}{minutes // 60:02d}{minutes % 60:02d}"
    )


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
