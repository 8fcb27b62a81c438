"""Ages as kubectl prints them (k8s.io/apimachinery/pkg/util/duration)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from kubenet_nb.kubectl.printers.age import (
    age,
    human_duration,
    parse_time,
    rfc1123z,
    short_human_duration,
)

S, M, H, D = 1, 60, 3600, 86400


# Thresholds of duration.go HumanDuration: seconds below 2m, m+s below 10m, minutes below 3h,
# h+m below 8h, hours below 2d, d+h below 8d, days below 2y, y+d below 8y, then years.
@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (-1, "0s"),
        (-2, "<invalid>"),
        (1, "1s"),
        (70, "70s"),
        (119, "119s"),
        (120, "2m"),
        (190, "3m10s"),
        (9 * M + 59, "9m59s"),
        (10 * M + 59, "10m"),
        (70 * M, "70m"),
        (3 * H - 1, "179m"),
        (3 * H, "3h"),
        (4 * H + 5 * M + 30, "4h5m"),
        (8 * H - 1, "7h59m"),
        (8 * H, "8h"),
        (47 * H, "47h"),
        (49 * H, "2d1h"),
        (8 * D - 1, "7d23h"),
        (8 * D + 2 * H, "8d"),
        (367 * D, "367d"),
        (365 * 2 * D + 25 * H, "2y1d"),
        (365 * 2 * D, "2y"),
        (365 * 8 * D + 2 * H, "8y"),
    ],
)
def test_human_duration(seconds: int, text: str) -> None:
    assert human_duration(timedelta(seconds=seconds)) == text


def test_human_duration_truncates_toward_zero() -> None:
    assert human_duration(timedelta(seconds=1.9)) == "1s"
    assert human_duration(timedelta(seconds=-1.9)) == "0s"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(5, "5s"), (61, "1m"), (3599, "59m"), (3600, "1h"), (25 * H, "1d"), (400 * D, "1y")],
)
def test_short_human_duration(seconds: int, text: str) -> None:
    assert short_human_duration(timedelta(seconds=seconds)) == text


def test_age_of_a_timestamp_against_the_simulated_now() -> None:
    now = datetime(2025, 1, 3, 3, 0, 0, tzinfo=timezone.utc)
    assert age("2025-01-01T00:00:00Z", now) == "2d3h"
    assert age("2025-01-03T02:59:58.5Z", now) == "1s"
    # translateTimestampSince prints <unknown> for a zero (unset) time.
    assert age(None, now) == "<unknown>"
    assert age("", now) == "<unknown>"


def test_parse_time_and_rfc1123z() -> None:
    assert parse_time("2025-01-01T00:00:00Z") == datetime(2025, 1, 1, tzinfo=timezone.utc)
    # Go's time.RFC1123Z layout, "Mon, 02 Jan 2006 15:04:05 -0700".
    assert rfc1123z("2025-07-04T09:05:03Z") == "Fri, 04 Jul 2025 09:05:03 +0000"
    assert rfc1123z("2025-07-04T09:05:03-05:30") == "Fri, 04 Jul 2025 09:05:03 -0530"
