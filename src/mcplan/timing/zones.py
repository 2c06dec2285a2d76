"""Local weekday and hour of a send in its persona's time zone, clock changes included,
without one time-zone call per row: a zone's UTC offsets over the data's period are found
once, as breakpoints (the instant each offset starts), and every send takes the offset of
the last breakpoint at or before it (a binary search in the sorted breakpoints written as
nested CASE in DuckDB's query, `mcplan.timing.scan.offset`)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import numpy as np

DAY = 86_400


def _offset(zone: ZoneInfo, seconds: int) -> int:
    """The zone's UTC offset, in seconds, at an instant."""
    offset = datetime.fromtimestamp(seconds, UTC).astimezone(zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def breakpoints(zone_name: str, first: float, last: float) -> tuple[np.ndarray, np.ndarray]:
    """The instants (seconds since 1970) from which each UTC offset of the zone holds over
    ``first`` … ``last``, and those offsets (seconds): a day apart, the offset is asked once
    a day, and a change is found to the second between two days (zones change their clocks
    at most once a day)."""
    zone = ZoneInfo(zone_name)
    start = int(first) // DAY * DAY - DAY
    days = np.arange(start, int(last) + 2 * DAY, DAY, dtype=np.int64)
    offsets = [_offset(zone, int(d)) for d in days]
    starts, values = [int(days[0])], [offsets[0]]
    for i in range(1, len(days)):
        if offsets[i] != offsets[i - 1]:
            starts.append(_change(zone, int(days[i - 1]), int(days[i]), offsets[i - 1]))
            values.append(offsets[i])
    starts[0] = -(1 << 62)  # the first offset holds before the period too
    return np.array(starts, dtype=np.int64), np.array(values, dtype=np.int64)


def _change(zone: ZoneInfo, before: int, after: int, old: int) -> int:
    """The first second from which the offset is no longer ``old`` (bisection)."""
    while after - before > 1:
        middle = (before + after) // 2
        if _offset(zone, middle) == old:
            before = middle
        else:
            after = middle
    return after


def local_day(seconds: float, zone_name: str) -> date:
    """The local day of one instant (a period's first or last send)."""
    return datetime.fromtimestamp(seconds, UTC).astimezone(ZoneInfo(zone_name)).date()
