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


def by_target(
    channel: Channel, personas: Sequence[Persona], known: dict[tuple[int, str], Target]
) -> dict[Target, list[int]]:
    """The indexes of ``personas`` (of one kind: the same rules, zone and holidays) by the
    time they aim at on ``channel`` (its rules under their country's law), each read once
    into ``known`` (by the rules' id and the persona: `Audience.aims`)."""
    out: dict[Target, list[int]] = defaultdict(list)
    fallback = default_clock(channel)
    for i, persona in enumerate(personas):
        key = (id(channel), persona.id)
        if key not in known:
            aimed = aim(channel.window, persona, channel.id) if persona.send_times else None
            known[key] = (aimed.clock, aimed.weekday) if aimed else (fallback, None)
        out[known[key]].append(i)
    return dict(sorted(out.items(), key=lambda item: (item[0][0], item[0][1] or -1)))


def days_to_try(
    channel: Channel,
    persona: Persona,
    span: tuple[date, date],
    target: Target,
    opened: dict[time, list[date]],
) -> list[date]:
    """The days of ``span`` the window (and the persona's holidays) allow at ``target``'s
    time, on its weekday when it has one (on any day when none of those is in the span).
    ``opened`` keeps the days open at each time, for the next targets of the kind."""
    clock, weekday = target
    if clock not in opened:
        first, last = span
        days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        at = [datetime.combine(d, clock) for d in days]
        opened[clock] = [
            d for d, t in zip(days, at, strict=True) if allowed(channel.window, persona, t)
        ]
    on_weekday = [d for d in opened[clock] if weekday is None or d.weekday() == weekday]
    return on_weekday or opened[clock]
