"""The slot search counts caps on a matrix of contacts per day; it must agree, day for day,
with counting the contacts one by one (the definition in `mcplan.schedule.caps`)."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from mcplan.plan.audience import caps_of
from mcplan.plan.propose import _MARGIN, _room
from mcplan.schedule.caps import WINDOWS
from mcplan.workspace import Pressure

FIRST = date(2027, 3, 1)
caps = st.one_of(st.none(), st.integers(1, 6))


def fits_one_by_one(days: list[date], day: date, pressure: Pressure | None) -> bool:
    """One more contact on `day` keeps to the caps of every window of days that holds it."""
    if pressure is None:
        return True
    for key, length, _ in WINDOWS:
        cap = getattr(pressure, key)
        if cap is None:
            continue
        for start in (day - timedelta(days=k) for k in range(length)):
            inside = sum(1 for d in days if start <= d < start + timedelta(days=length))
            if inside + 1 > cap:
                return False
    return True


@settings(max_examples=150, deadline=None)
@given(
    contacts=st.lists(st.lists(st.integers(-40, 60), max_size=12), min_size=1, max_size=4),
    pressure=st.one_of(
        st.none(),
        st.builds(Pressure, max_per_day=caps, max_per_week=caps, max_per_30_days=caps),
    ),
)
def test_room_agrees_with_counting_every_window(
    contacts: list[list[int]], pressure: Pressure | None
) -> None:
    start = FIRST - timedelta(days=_MARGIN)
    width = 20 + 2 * _MARGIN + 1
    counts = np.zeros((len(contacts), width), np.int32)
    for row, offsets in enumerate(contacts):
        for offset in offsets:
            if 0 <= offset + _MARGIN < width:
                counts[row, offset + _MARGIN] += 1
    candidates = [FIRST + timedelta(days=k) for k in range(20)]
    columns = np.array([(day - start).days for day in candidates])
    room = _room(counts, columns, np.array([caps_of(pressure)] * len(contacts)))
    for row, offsets in enumerate(contacts):
        days = [FIRST + timedelta(days=o) for o in offsets]
        expected = [fits_one_by_one(days, day, pressure) for day in candidates]
        assert room[row].tolist() == expected
