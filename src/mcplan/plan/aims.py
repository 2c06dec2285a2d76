"""At what local time of day (and on which weekday) a proposed touch goes to each persona: at
its learned send time where its file has one (`schedule.send_times`, issue 30), else at 10:00
when the channel's window allows it, else at the start of its first range.

Personas whose slots differ get touches of their own (`personas:`); those that share one are
placed together, as before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta

from mcplan.schedule.send_times import aim
from mcplan.schedule.windows import allowed, minutes
from mcplan.workspace import Channel, Persona

PREFERRED = time(10, 0)

# (local time of day, weekday or None for any day)
Target = tuple[time, int | None]


def default_clock(channel: Channel) -> time:
    """10:00 when the window allows it, else the start of its first range."""
    preferred = PREFERRED.hour * 60 + PREFERRED.minute
    for start, end in channel.window.hours:
        if minutes(start) <= preferred < minutes(end):
            return PREFERRED
    first = minutes(channel.window.hours[0][0]) if channel.window.hours else preferred
    return time(first // 60, first % 60)


def by_target(channel: Channel, personas: Sequence[Persona]) -> dict[Target, list[int]]:
    """The indexes of ``personas`` (of one kind: the same rules, zone and holidays) by the
    time they aim at on ``channel`` (its rules under their country's law)."""
    out: dict[Target, list[int]] = defaultdict(list)
    fallback = default_clock(channel)
    for i, persona in enumerate(personas):
        aimed = aim(channel.window, persona, channel.id)
        out[(aimed.clock, aimed.weekday) if aimed else (fallback, None)].append(i)
    return dict(sorted(out.items(), key=lambda item: (item[0][0], item[0][1] or -1)))


def days_to_try(
    channel: Channel, persona: Persona, first: date, last: date, target: Target
) -> list[date]:
    """The days from ``first`` to ``last`` the window (and the persona's holidays) allow at
    ``target``'s time, on its weekday when it has one (on any day when none of those is left
    in the span)."""
    clock, weekday = target
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    open_days = [d for d in days if allowed(channel.window, persona, datetime.combine(d, clock))]
    on_weekday = [d for d in open_days if weekday is None or d.weekday() == weekday]
    return on_weekday or open_days
