"""Where a persona's learned send time (`send_times` in its file, issue 30) puts a send on a
channel: its slot, moved to the nearest time the channel's window allows when it is outside.

Shared by `plan` (a proposed touch goes at each persona's slot), a journey's sends without
`at` (`journey_times`) and `lint` (P108: a hand-written touch far from the slot), so that
the three agree on what the slot is once the window has had its say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time

from mcplan.schedule.windows import minutes
from mcplan.workspace import Persona, Window
from mcplan.workspace.send_times import WEEKDAY_NAMES, SendTimeSlot

NEAR_HOURS = 1  # a touch within this many hours of the slot (on its weekday) is at the slot


@dataclass(frozen=True)
class Aim:
    """When a persona's sends on one channel aim to go: the learned slot (``learned``), as
    the channel's window lets it be (``clock``, ``weekday``), and why it moved (``moved``:
    "hour" when the hour is outside the window's hours, "weekday" when the window never opens
    on the weekday, both, or empty)."""

    learned: SendTimeSlot
    clock: time
    weekday: int | None  # 0 is Monday; None: any day
    moved: tuple[str, ...] = ()

    @property
    def minute(self) -> int:
        return self.clock.hour * 60 + self.clock.minute

    def label(self) -> str:
        """``tuesday 19:00``, ``19:00``: the slot as the window lets it be."""
        return label(self.weekday, self.clock)


def label(weekday: int | None, clock: time) -> str:
    """``tuesday 19:00`` (any day: ``19:00``)."""
    day = f"{WEEKDAY_NAMES[weekday]} " if weekday is not None else ""
    return f"{day}{clock:%H:%M}"


def aim(window: Window, persona: Persona, channel: str) -> Aim | None:
    """Where ``persona``'s learned slot on ``channel`` puts its sends in ``window`` (the
    channel's, under the persona's country's law), or None when it has none."""
    learned = persona.send_times.get(channel)
    if learned is None:
        return None
    moved = []
    wanted = learned.hour * 60
    found = nearest(window, wanted)
    if found != wanted:
        moved.append("hour")
    weekday = learned.day
    if weekday is not None and all(d.number != weekday for d in window.days):
        weekday = None
        moved.append("weekday")
    return Aim(learned, time(found // 60, found % 60), weekday, tuple(moved))


def nearest(window: Window, wanted: int) -> int:
    """The minute of the day nearest ``wanted`` that the window's hours allow: ``wanted``
    itself, else the whole hour (or a range's start) closest to it, the earlier of two."""
    candidates = []
    for start, end in window.hours:
        begin, stop = minutes(start), minutes(end)
        if begin <= wanted < stop:
            return wanted
        candidates.append(begin)
        candidates += [m for m in range(-(-begin // 60) * 60, stop, 60) if m < 24 * 60]
    if not candidates:
        return wanted
    return min(candidates, key=lambda m: (abs(m - wanted), m))


def far(aimed: Aim, at: datetime) -> bool:
    """Whether a local time is far from the slot: another weekday when the slot has one, or
    more than :data:`NEAR_HOURS` from its hour (around midnight too)."""
    if aimed.weekday is not None and at.weekday() != aimed.weekday:
        return True
    apart = abs(at.hour * 60 + at.minute - aimed.minute)
    return min(apart, 24 * 60 - apart) > NEAR_HOURS * 60
