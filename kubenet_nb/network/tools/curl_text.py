"""curl's progress meter and `--write-out`, as lib/progress.c and src/tool_writeout.c print them.

The meter (when not `-s`, and stdout is not a terminal or the body goes to a file) is its two
header lines and one line of figures; curl redraws that line with a carriage return, a terminal
shows the last state, and that is what kubenet-nb prints. A finished transfer ends the line
with a newline (Curl_pgrsDone); a failed one does not, so the error follows on the same line
(`...     0curl: (7) Failed to connect ...`), as it does on a real terminal. Transfers here take a
notional millisecond, which sets the speed columns (615 bytes: `600k`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

__all__ = ["METER_HEADER", "max5", "meter_line", "time2str", "write_out"]

METER_HEADER = (
    "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n"
    "                                 Dload  Upload   Total   Spent    Left  Speed\n"
)
KILO = 1024
MEGA = KILO * KILO
_VARIABLE = re.compile(r"%\{([a-z_]+)\}|%%|\\[nrt\\]")
_ESCAPES = {"\\n": "\n", "\\r": "\r", "\\t": "\t", "\\\\": "\\"}


def max5(value: int) -> str:
    """progress.c max5data: a byte count or speed in at most five characters."""
    if value < 100_000:
        return f"{value:5d}"
    if value < 10_000 * KILO:
        return f"{value // KILO:4d}k"
    if value < 100 * MEGA:
        return f"{value // MEGA:2d}.{(value % MEGA) // (MEGA // 10)}M"
    return f"{value // MEGA:4d}M"


def time2str(seconds: int) -> str:
    """progress.c time2str: `--:--:--` for nothing, else H:MM:SS in eight characters."""
    if seconds <= 0:
        return "--:--:--"
    hours, rest = divmod(seconds, 3600)
    return f"{hours:2d}:{rest // 60:02d}:{rest % 60:02d}"


def meter_line(total: int, received: int, spent_ms: int, transfer_ms: int = 1) -> str:
    """The meter's figures: totals, percentages, speeds and times (no line end)."""
    percent = received * 100 // total if total else 0
    speed = received * 1000 // transfer_ms if received else 0
    return (
        f"{percent:3d} {max5(total)}  {percent:3d} {max5(received)}  {0:3d} {max5(0)}  "
        f"{max5(speed)}  {max5(0)} --:--:-- {time2str(spent_ms // 1000)} --:--:-- {max5(speed)}"
    )


def write_out(template: str, values: Mapping[str, str]) -> tuple[str, list[str]]:
    """Expand `-w`: `%{name}` variables, `%%` and the \\n \\r \\t escapes; also the warnings
    for variables curl does not know."""
    warnings: list[str] = []

    def replace(match: re.Match[str]) -> str:
        text = match.group(0)
        if text == "%%":
            return "%"
        if text in _ESCAPES:
            return _ESCAPES[text]
        name = match.group(1)
        if name not in values:
            warnings.append(f"curl: unknown --write-out variable: '{name}'\n")
            return ""
        return values[name]

    return _VARIABLE.sub(replace, template), warnings
