"""Every campaign's touches, persona by persona and day by day: the calendar a team pins on
the wall (`mcplan calendar`).

Each day of a persona holds its touches (as chips, per channel and campaign, at their local
time), its contacts that day and in the 7 days ending that day against the persona's caps
(outbound channels count, as for lint's P rules), the public holiday of its country if any,
and whether none of its outbound channels may reach it that day (their windows' days, and
holidays where a channel keeps them). A touch outside its channel's window is marked.

Beside the touches, each day holds the persona's expected journey sends that day, per channel
(`journey_times.journey_load`: each step's sends per week, placed as the platform would): a
sum over the persona's members, where a touch reaches each of them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from mcplan import numbers
from mcplan.errors import UsageError
from mcplan.schedule.contacts import Contact, expand
from mcplan.schedule.journey_times import journey_load
from mcplan.schedule.journeys import paths
from mcplan.schedule.windows import allowed, holiday, on_day
from mcplan.workspace import Direction, Persona, Workspace

MAX_DAYS = 400  # a calendar of more days is not read: ask for --from and --to


@dataclass(frozen=True)
class Chip:
    """One touch on one persona's day."""

    campaign: str
    channel: str
    at: datetime  # local to the persona
    outbound: bool  # counts towards the caps
    outside: bool  # outside its channel's window for this persona (lint says C101/C102)


@dataclass(frozen=True)
class Day:
    day: date
    chips: tuple[Chip, ...]
    today: int  # outbound contacts that day
    week: int  # in the 7 calendar days ending that day
    holiday: str | None
    closed: bool  # no outbound channel of the persona may reach it that day
    over_day: bool
    over_week: bool
    journeys: tuple[tuple[str, float], ...] = ()  # expected journey sends, per channel

    @property
    def journey_load(self) -> float:
        """Expected journey sends that day, every channel."""
        return sum(sends for _, sends in self.journeys)


@dataclass(frozen=True)
class Row:
    persona: str
    name: str
    max_per_day: int | None
    max_per_week: int | None
    days: tuple[Day, ...]

    @property
    def over(self) -> bool:
        return any(d.over_day or d.over_week for d in self.days)


@dataclass(frozen=True)
class Span:
    """A campaign's first and last day, for the page's legend."""

    campaign: str
    name: str
    first: date
    last: date


@dataclass(frozen=True)
class Wall:
    first: date
    last: date
    campaigns: tuple[Span, ...]
    rows: tuple[Row, ...]

    @property
    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]


# Each journey's sends per week, by send step, then persona (the forecast's).
JourneySends = Mapping[str, Mapping[str, Mapping[str, float]]]
JOURNEY_DAYS = 28  # shown by default when only journeys have dates


def build(
    workspace: Workspace,
    first: date | None = None,
    last: date | None = None,
    journey_sends: JourneySends | None = None,
) -> Wall:
    """The calendar of every campaign over their span (or from ``first`` to ``last``), with
    the journeys' expected sends of ``journey_sends`` (without it, none).

    Raises :class:`UsageError` when there is nothing to show, or too many days.
    """
    contacts = expand(workspace)
    spans = _spans(workspace, contacts)
    journey_sends = journey_sends or {}
    first, last = _shown(workspace, spans, journey_sends, first, last)
    by_persona: dict[str, list[Chip]] = defaultdict(list)
    for contact in contacts:
        persona = workspace.personas[contact.persona]
        channel = workspace.channels.get(contact.channel)
        if channel is None:
            continue
        window = workspace.law(channel.id, persona).channel.window
        by_persona[persona.id].append(
            Chip(
                contact.campaign,
                channel.id,
                contact.at,
                channel.direction is Direction.OUTBOUND,
                not allowed(window, persona, contact.at),
            )
        )
    loads = _journey_loads(workspace, journey_sends, first, last)
    rows = tuple(
        _row(workspace, workspace.personas[p], by_persona[p], first, last, loads.get(p, {}))
        for p in sorted(workspace.personas)
        if by_persona.get(p) or _in_campaign(workspace, p) or p in loads
    )
    shown = tuple(s for s in spans if s.last >= first and s.first <= last)
    return Wall(first, last, shown, rows)


def _shown(
    workspace: Workspace,
    spans: list[Span],
    journey_sends: JourneySends,
    first: date | None,
    last: date | None,
) -> tuple[date, date]:
    """The days shown: ``first`` to ``last``, else the campaigns' span, else
    :data:`JOURNEY_DAYS` from the first journey's start; at most :data:`MAX_DAYS` of them."""
    if first is None or last is None:
        starts = [
            workspace.journeys[j].entry.from_ for j in journey_sends if j in workspace.journeys
        ]
        if not spans and not starts:
            raise UsageError("no campaign has dates or touches: give --from and --to")
        if spans:
            first = first or min(s.first for s in spans)
            last = last or max(s.last for s in spans)
        else:
            first = first or min(starts)
            last = last or first + timedelta(days=JOURNEY_DAYS - 1)
    if last < first:
        raise UsageError(f"--to ({last}) is before --from ({first})")
    if (last - first).days + 1 > MAX_DAYS:
        raise UsageError(
            f"{first} to {last} is {numbers.count((last - first).days + 1)} days: show at most "
            f"{numbers.count(MAX_DAYS)} with --from and --to"
        )
    return first, last


def _spans(workspace: Workspace, contacts: list[Contact]) -> list[Span]:
    touched: dict[str, list[date]] = defaultdict(list)
    for contact in contacts:
        touched[contact.campaign].append(contact.at.date())
    spans = []
    for campaign in sorted(workspace.campaigns.values(), key=lambda c: c.id):
        days = touched.get(campaign.id, [])
        begin = campaign.first_day or (min(days) if days else None)
        end = campaign.last_day or (max(days) if days else None)
        if begin is not None and end is not None:
            begin, end = min([begin, *days]), max([end, *days])
            spans.append(Span(campaign.id, campaign.name or campaign.id, begin, end))
    return spans


def _in_campaign(workspace: Workspace, persona_id: str) -> bool:
    return any(persona_id in c.personas for c in workspace.campaigns.values())


def _journey_loads(
    workspace: Workspace, journey_sends: JourneySends, first: date, last: date
) -> dict[str, dict[date, dict[str, float]]]:
    """Each persona's expected journey sends, by day and channel, every journey added."""
    loads: dict[str, dict[date, dict[str, float]]] = {}
    for journey_id, weekly in sorted(journey_sends.items()):
        journey = workspace.journeys.get(journey_id)
        if journey is None:
            continue
        ways = paths(journey, shares=True)
        live = (journey.entry.from_, journey.entry.until)
        for persona, days in journey_load(workspace, ways, (first, last), live, weekly).items():
            mine = loads.setdefault(persona, {})
            for day, channels in days.items():
                on = mine.setdefault(day, {})
                for channel, sends in channels.items():
                    on[channel] = on.get(channel, 0.0) + sends
    return loads


def _row(
    workspace: Workspace,
    persona: Persona,
    chips: list[Chip],
    first: date,
    last: date,
    load: Mapping[date, Mapping[str, float]],
) -> Row:
    pressure = persona.pressure
    per_day, per_week = (pressure.max_per_day, pressure.max_per_week) if pressure else (None, None)
    by_day: dict[date, list[Chip]] = defaultdict(list)
    for chip in sorted(chips, key=lambda c: c.at):
        by_day[chip.at.date()].append(chip)
    outbound = [
        workspace.law(c, persona).channel.window
        for c in persona.channels
        if c in workspace.channels and workspace.channels[c].direction is Direction.OUTBOUND
    ]
    days = []
    day = first - timedelta(days=6)
    counts: dict[date, int] = {}
    while day <= last:
        counts[day] = sum(c.outbound for c in by_day.get(day, []))
        if day >= first:
            week = sum(counts[day - timedelta(days=i)] for i in range(7))
            named = holiday(persona, day)
            closed = bool(outbound) and not any(on_day(w, day, named) for w in outbound)
            # Over a cap: the day a contact takes the persona over it (lint's P101 there).
            over_day = per_day is not None and counts[day] > per_day
            over_week = counts[day] > 0 and per_week is not None and week > per_week
            chips_of_day = tuple(by_day.get(day, []))
            journeys = tuple(sorted(load.get(day, {}).items()))
            days.append(
                Day(day, chips_of_day, counts[day], week, named, closed, over_day, over_week,
                    journeys)
            )  # fmt: skip
        day += timedelta(days=1)
    return Row(persona.id, persona.name or persona.id, per_day, per_week, tuple(days))
