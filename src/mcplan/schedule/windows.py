"""When a channel may reach a persona: its send window and the persona's public holidays.

Shared by `mcplan lint` (which reports touches outside them) and `mcplan plan` (which schedules
touches inside them).
"""

from __future__ import annotations

import functools
from datetime import date, datetime
from typing import TYPE_CHECKING

from mcplan.workspace import Persona, Window
from mcplan.workspace.markets import holiday_region

if TYPE_CHECKING:
    from holidays import HolidayBase


def in_window(window: Window, at: datetime) -> bool:
    """Whether a local time falls on an allowed day and inside an allowed range.

    A range's end is excluded: with `["08:00", "20:00"]`, 19:59 is in and 20:00 is out.
    """
    if not on_day(window, at):  # a datetime is a date
        return False
    minute = at.hour * 60 + at.minute
    return any(minutes(start) <= minute < minutes(end) for start, end in window.hours)


def on_day(window: Window, day: date, holiday: str | None = None) -> bool:
    """Whether the window opens on ``day`` at all: one of its days, and not the public
    ``holiday`` that falls on it, where the channel keeps holidays."""
    return any(d.number == day.weekday() for d in window.days) and (
        window.holidays or holiday is None
    )


def minutes(clock: str) -> int:
    """`"08:30"` → 510 minutes after midnight."""
    hours, mins = clock.split(":")
    return int(hours) * 60 + int(mins)


def holiday(persona: Persona, day: date) -> str | None:
    """The name of the public holiday on `day` in the persona's country (or region), if any."""
    if not persona.country:
        return None
    calendar = _calendar(persona.country, day.year, (persona.locale or "").split("-")[0])
    return calendar.get(day) if calendar is not None else None


@functools.lru_cache(maxsize=256)
def _calendar(country: str, year: int, language: str) -> HolidayBase | None:
    import holidays  # its calendars load in a while: only for a date to check

    code, subdivision = holiday_region(country)
    try:  # holiday names in the persona's language where the library has it, else English
        return holidays.country_holidays(
            code, subdiv=subdivision, years=year, language=language or None
        )
    except NotImplementedError:  # a country the library does not know
        return None


def allowed(window: Window, persona: Persona, at: datetime) -> bool:
    """Whether the channel may reach the persona at this local time (window and holidays)."""
    return in_window(window, at) and (window.holidays or holiday(persona, at.date()) is None)
