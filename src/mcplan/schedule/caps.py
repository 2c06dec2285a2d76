"""Contact pressure caps: how many touches a persona may get in a rolling window, and how close.

Shared by `mcplan lint` (which reports what breaks them) and `mcplan plan` (which schedules
touches that keep to them).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta

from mcplan.workspace import Pressure

# The rolling windows of a Pressure: its key, the window's length, and how to say it.
WINDOWS = (
    ("max_per_day", timedelta(days=1), "24 hours"),
    ("max_per_week", timedelta(days=7), "7 days"),
    ("max_per_30_days", timedelta(days=30), "30 days"),
)


def over_caps(
    times: Sequence[datetime], pressure: Pressure
) -> Iterator[tuple[int, int, str, str, int]]:
    """Every time that goes over a cap: (its index, the first index of its window, the cap's
    key, the window in words, the cap).

    `times` are sorted. A window is the span that ends at a touch and starts one day, 7 days
    or 30 days before it (that start excluded).
    """
    for key, span, words in WINDOWS:
        cap = getattr(pressure, key)
        if cap is None:
            continue
        first = 0
        for i, at in enumerate(times):
            while times[first] <= at - span:
                first += 1
            if i - first + 1 > cap:
                yield i, first, key, words, cap


def too_close(times: Sequence[datetime], pressure: Pressure) -> Iterator[int]:
    """Indexes of the times that follow the previous one by less than `min_gap_hours`."""
    if pressure.min_gap_hours is None:
        return
    gap = timedelta(hours=pressure.min_gap_hours)
    for i in range(1, len(times)):
        if times[i] - times[i - 1] < gap:
            yield i


def room_for(times: Sequence[datetime], at: datetime, pressure: Pressure | None) -> bool:
    """Whether one more touch at `at` keeps to `pressure`, beside the sorted `times`.

    Only the windows that would hold the new touch are counted, so a cap that other touches
    already break elsewhere does not forbid a touch that adds nothing to it.
    """
    if pressure is None:
        return True
    if pressure.min_gap_hours is not None:
        gap = timedelta(hours=pressure.min_gap_hours)
        i = bisect.bisect_left(times, at)
        if (i > 0 and at - times[i - 1] < gap) or (i < len(times) and times[i] - at < gap):
            return False
    for key, span, _ in WINDOWS:
        cap = getattr(pressure, key)
        if cap is None:
            continue
        # Every window (end - span, end] that holds `at` ends at `at` or at a later touch.
        near = [t for t in times[bisect.bisect_right(times, at - span) :] if t < at + span]
        ends = [at, *(t for t in near if t >= at)]
        for end in ends:
            inside = sum(1 for t in near if end - span < t <= end) + 1
            if inside > cap:
                return False
    return True
