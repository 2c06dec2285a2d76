"""Contact pressure caps: how many touches a persona may get in a span of days, and how close.

Shared by `mcplan lint` (which reports what breaks them) and `mcplan plan` (which schedules
touches that keep to them). Caps stated in days count **calendar days** in the persona's time
zone, as the law words them (French décret 2022-1313: "trente jours calendaires"): with at
most 4 calls in 30 days, a fifth call on the 31st day after the first is allowed, whatever the
hours. A gap stated in hours counts **elapsed** hours, daylight saving time included: 21:00 on
the Saturday before the spring change and 21:30 on the Sunday are 23½ hours apart.

Times are aware datetimes in the persona's time zone, sorted.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta

from mcplan.workspace import Pressure

# The caps of a Pressure that count days: its key, the number of days, and how to say it.
WINDOWS = (
    ("max_per_day", 1, "one day"),
    ("max_per_week", 7, "7 days"),
    ("max_per_30_days", 30, "30 days"),
)


def elapsed(earlier: datetime, later: datetime) -> timedelta:
    """The time that really passes between two aware times (not the wall clock's difference,
    which Python gives for two times of the same zone)."""
    return later.astimezone(UTC) - earlier.astimezone(UTC)


def over_caps(
    times: Sequence[datetime], pressure: Pressure
) -> Iterator[tuple[int, int, str, str, int]]:
    """Every time that goes over a cap: (its index, the first index of its window, the cap's
    key, the window in words, the cap).

    A window is the span of calendar days that ends on a touch's day: that day and the days
    before it, as many as the cap counts.
    """
    days = [t.date().toordinal() for t in times]
    yield from _over(days, pressure, 1)


def over_caps_hours(
    offsets: Sequence[float], pressure: Pressure
) -> Iterator[tuple[int, int, str, str, int]]:
    """As :func:`over_caps`, for sorted ``offsets`` in hours from one moment, placed as badly
    as they may fall: touches less than N × 24 hours apart may share N calendar days (the
    first just after midnight), so a window is the offsets less than that before a touch's."""
    yield from _over(offsets, pressure, 24)


def _over(
    values: Sequence[float], pressure: Pressure, per_day: int
) -> Iterator[tuple[int, int, str, str, int]]:
    """The windows over a cap, for sorted ``values`` counted ``per_day`` a day."""
    for key, length, words in WINDOWS:
        cap = getattr(pressure, key)
        if cap is None:
            continue
        for i, first in _windows(values, length * per_day):
            if i - first + 1 > cap:
                yield i, first, key, words, cap


def busiest(times: Sequence[datetime], length: int) -> int:
    """The most of ``times`` in any ``length`` consecutive calendar days."""
    days = sorted(t.date().toordinal() for t in times)
    return max((i - first + 1 for i, first in _windows(days, length)), default=0)


def _windows(values: Sequence[float], span: float) -> Iterator[tuple[int, int]]:
    """For each of the sorted ``values`` (calendar days as ordinals, or hours), its index and
    the index of the first value of the window of ``span`` that ends on it."""
    first = 0
    for i, value in enumerate(values):
        while values[first] <= value - span:
            first += 1
        yield i, first


def too_close(times: Sequence[datetime], pressure: Pressure) -> Iterator[int]:
    """Indexes of the times that follow the previous one by less than `min_gap_hours`."""
    if pressure.min_gap_hours is None:
        return
    gap = timedelta(hours=pressure.min_gap_hours)
    for i in range(1, len(times)):
        if elapsed(times[i - 1], times[i]) < gap:
            yield i


def too_close_hours(offsets: Sequence[float], pressure: Pressure) -> Iterator[int]:
    """As :func:`too_close`, for sorted ``offsets`` in hours."""
    if pressure.min_gap_hours is None:
        return
    for i in range(1, len(offsets)):
        if offsets[i] - offsets[i - 1] < pressure.min_gap_hours:
            yield i


def broken_by(
    times: Sequence[datetime], i: int, pressure: Pressure
) -> Iterator[tuple[str, int, int]]:
    """The caps that ``times[i]`` takes over, among the other sorted ``times``: (the cap's
    key, the first and last index of the touches counted with it), for each window over a cap
    that holds it. A calendar cap counts windows of its days that hold ``times[i]``'s day; a
    gap, the touch just before and the one just after."""
    days = [t.date().toordinal() for t in times]
    day = days[i]
    for key, length, _ in WINDOWS:
        cap = getattr(pressure, key)
        if cap is None:
            continue
        # A window over the cap that holds the day starts on the day of a touch (or on it).
        starts = sorted(set(days[bisect_left(days, day - length + 1) : bisect_right(days, day)]))
        for start in starts:
            first, last = bisect_left(days, start), bisect_right(days, start + length - 1) - 1
            if last - first + 1 > cap:
                yield key, first, last
    if pressure.min_gap_hours is not None:
        gap = timedelta(hours=pressure.min_gap_hours)
        if i > 0 and elapsed(times[i - 1], times[i]) < gap:
            yield "min_gap_hours", i - 1, i
        if i + 1 < len(times) and elapsed(times[i], times[i + 1]) < gap:
            yield "min_gap_hours", i, i + 1
