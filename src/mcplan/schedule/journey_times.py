"""When a journey's sends go out, as the sending platform places them: the placement the
calendar's journey load and the checks across journeys and campaigns share.

- Entrants enter at any moment of the week, uniformly. A moment of entry stands for the hour
  around it: the entry moments are the middle of each hour (:func:`entry_moments`), so each
  carries 1/168 of a week's entrants.
- A send's *arrival* is the send before it on its path (or the entry) plus the waits between
  them, in elapsed hours; it goes out at the first moment at or after its arrival that its
  channel's window allows for the persona (the window's days and hours in the persona's time
  zone, and its country's public holidays where the channel keeps them: `windows.allowed`,
  with the window the persona's country's law gives the channel), or, with `at`, at the
  first such moment whose local time of day is `at`; without `at`, when the persona has a
  learned send time on the channel (`send_times`), at the first such moment at its hour (on
  its weekday, when it has one), moved into the window as `send_times.aim` says. A send the
  window never opens for in :data:`AHEAD` days does not go out, nor do the sends after it on
  its path.
- The paths are `journeys.paths(journey, shares=True)`: each send on each way to it (a
  `Sent`), with the share of the entrants who come that way (`Path.share`). A send step's
  sends per week (the forecast's `sends_per_week`) are split between the ways to it by those
  shares, per persona (:func:`weights`); a step reached on more than :data:`MAX_WAYS` ways
  is placed on the ways most entrants take, their shares renormalised.

At most :data:`MAX_PLACED` sends of one journey are placed for one group of personas (a few
seconds): past it, `Placer.place` raises :class:`TooMany` and its callers keep what they have
(a journey of a thousand steps, or of thousands of ways, gets a bounded answer, not a hang).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mcplan.schedule.journeys import Paths, Sent
from mcplan.schedule.send_times import aim
from mcplan.schedule.windows import holiday, minutes
from mcplan.workspace import Persona, Window, Workspace
from mcplan.workspace.sourcemap import KeyPath

AHEAD = 31  # days a send waits at most for its window to open
MAX_WAYS = 8  # ways to one send step placed: the likeliest
MAX_PLACED = 300_000  # sends placed for one journey (and persona group): past it, no more
SLACK = 14  # days the windows may add to a path's waits, for what reaches a span
HOURS_A_WEEK = 7 * 24


def entry_moments(first: datetime, last: datetime) -> Iterator[datetime]:
    """The middle of each hour from ``first`` (an hour's start) to before ``last``."""
    at = first + timedelta(minutes=30)
    while at < last:
        yield at
        at += timedelta(hours=1)


@dataclasses.dataclass(frozen=True)
class Opening:
    """A window as numbers: its weekdays, its ranges in minutes, and whether it opens on a
    public holiday."""

    days: frozenset[int]
    ranges: tuple[tuple[int, int], ...]
    holidays: bool

    @classmethod
    def of(cls, window: Window) -> Opening:
        ranges = sorted((minutes(start), minutes(end)) for start, end in window.hours)
        return cls(frozenset(d.number for d in window.days), tuple(ranges), window.holidays)

    def on(self, persona: Persona, day: date) -> bool:
        """Whether it opens on ``day`` at all, for ``persona``."""
        return day.weekday() in self.days and (self.holidays or holiday(persona, day) is None)

    def at(self, minute: int) -> bool:
        return any(begin <= minute < stop for begin, stop in self.ranges)


def next_allowed(
    window: Window | Opening,
    persona: Persona,
    arrival: datetime,
    clock: str | None = None,
    weekday: int | None = None,
) -> datetime | None:
    """The first moment at or after ``arrival`` (aware, in the persona's zone) that
    ``window`` allows for ``persona`` (at the local time ``clock``, on ``weekday``, if
    given), or None within :data:`AHEAD` days."""
    opening = window if isinstance(window, Opening) else Opening.of(window)
    zone = arrival.tzinfo
    now = arrival.hour * 60 + arrival.minute
    for n in range(AHEAD):
        day = arrival.date() + timedelta(days=n)
        if not opening.on(persona, day) or weekday not in (None, day.weekday()):
            continue
        if clock is not None:
            at = _local(day, minutes(clock), zone)
            if at >= arrival and opening.at(minutes(clock)):
                return at
            continue
        for begin, stop in opening.ranges:
            if n == 0 and begin <= now < stop:
                return arrival
            if begin < stop and (n > 0 or begin > now):
                return _local(day, begin, zone)
    return None


def _local(day: date, minute: int, zone: object) -> datetime:
    """``minute`` after midnight on ``day``, in ``zone`` (24:00 is the next day's midnight)."""
    at = datetime.combine(day, time(0), tzinfo=zone)  # type: ignore[arg-type]
    return at + timedelta(minutes=minute) if minute < 24 * 60 else at + timedelta(days=1)


def after(at: datetime, hours: float) -> datetime:
    """``hours`` of elapsed time after ``at``, in its zone (clock changes counted)."""
    return (at.astimezone(UTC) + timedelta(hours=hours)).astimezone(at.tzinfo)


class TooMany(Exception):
    """More than :data:`MAX_PLACED` sends to place for one journey."""


@dataclasses.dataclass
class Placer:
    """Places the sends of a journey's paths for one persona (and every persona with the same
    time zone, country and windows): each `Sent` once per entry moment."""

    workspace: Workspace
    persona: Persona
    windows: dict[str, Window] = dataclasses.field(default_factory=dict)
    openings: dict[str, Opening] = dataclasses.field(default_factory=dict)
    aims: dict[str, tuple[str | None, int | None]] = dataclasses.field(default_factory=dict)
    placed: dict[tuple[int, datetime], datetime | None] = dataclasses.field(default_factory=dict)
    budget: int = MAX_PLACED

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.persona.timezone or "UTC")

    def window(self, channel: str) -> Window:
        if channel not in self.windows:
            self.windows[channel] = self.workspace.law(channel, self.persona).channel.window
        return self.windows[channel]

    def opening(self, channel: str) -> Opening:
        if channel not in self.openings:
            self.openings[channel] = Opening.of(self.window(channel))
        return self.openings[channel]

    def aim(self, channel: str) -> tuple[str | None, int | None]:
        """The time of day and weekday a send without `at` aims at: the persona's learned
        slot on ``channel`` as its window lets it be, or (None, None): the first moment."""
        if channel not in self.aims:
            aimed = aim(self.window(channel), self.persona, channel)
            found = (f"{aimed.clock:%H:%M}", aimed.weekday) if aimed else (None, None)
            self.aims[channel] = found
        return self.aims[channel]

    def place(self, sent: Sent, entry: datetime) -> datetime | None:
        """When ``sent`` goes out for an entrant who enters at ``entry``."""
        pending: list[Sent] = []
        way: Sent | None = sent
        while way is not None and (id(way), entry) not in self.placed:
            pending.append(way)
            way = way.before
        at: datetime | None = entry if way is None else self.placed[id(way), entry]
        offset = 0 if way is None else way.offset
        self.budget -= len(pending)
        if self.budget < 0:
            raise TooMany
        for way in reversed(pending):  # the earliest not placed yet first
            if at is not None:
                arrival = after(at, way.offset - offset)
                at = self._next(way, arrival)
            offset = way.offset
            self.placed[id(way), entry] = at
        return self.placed[id(sent), entry]

    def _next(self, way: Sent, arrival: datetime) -> datetime | None:
        step, opening = way.step, self.opening(way.step.send)
        if step.at is not None:
            return next_allowed(opening, self.persona, arrival, step.at)
        return next_allowed(opening, self.persona, arrival, *self.aim(step.send))

    def path(self, sent: Sent, entry: datetime) -> list[tuple[Sent, datetime]]:
        """``sent`` and the sends before it on its path that go out, with their moments."""
        out = []
        way: Sent | None = sent
        while way is not None:
            at = self.place(way, entry)
            if at is not None:
                out.append((way, at))
            way = way.before
        self.budget -= len(out)  # reading a path costs as much as placing it
        if self.budget < 0:
            raise TooMany
        return out[::-1]


def placing_key(workspace: Workspace, persona: Persona, channels: Iterable[str]) -> object:
    """What a send's placement depends on for ``persona``: its zone, its country's holidays,
    its windows and learned send times on ``channels`` (personas with the same are placed
    once)."""
    windows = tuple(
        workspace.law(c, persona).channel.window.model_dump_json()
        for c in sorted(channels)
        if c in workspace.channels
    )
    learned = tuple(
        (c, persona.send_times[c].hour, persona.send_times[c].weekday)
        for c in sorted(channels)
        if c in persona.send_times
    )
    return (persona.timezone, persona.country, windows, learned)


def ways_to(ways: Paths, most: int = MAX_WAYS) -> dict[KeyPath, list[Sent]]:
    """Each send step's ways (its `Sent`s), by the step's key path: at most ``most`` of them,
    those that the most entrants take (the first written, alike)."""
    out: dict[KeyPath, list[Sent]] = defaultdict(list)
    seen: set[int] = set()
    for way in ways.paths:
        for sent in way.sends:
            if id(sent) not in seen:
                seen.add(id(sent))
                out[sent.where].append(sent)
    for where, sents in out.items():
        if len(sents) > most:
            kept = sorted(range(len(sents)), key=lambda i: -sents[i].share)[:most]
            out[where] = [sents[i] for i in sorted(kept)]
    return out


def weights(sents: list[Sent], persona: str) -> list[tuple[Sent, float]]:
    """The ways to one send step that ``persona`` takes, each with its part of the step's
    sends (their shares, normalised; alike when the shares are all zero)."""
    mine = [s for s in sents if persona in s.personas]
    total = sum(s.share for s in mine)
    if total <= 0:
        return [(s, 1.0 / len(mine)) for s in mine]
    return [(s, s.share / total) for s in mine]


def live(entry_from: date, until: date | None, zone: ZoneInfo) -> tuple[datetime, datetime | None]:
    """The first and last moments one may enter (``until`` included), in ``zone``."""
    first = datetime.combine(entry_from, time(0), tzinfo=zone)
    last = datetime.combine(until + timedelta(days=1), time(0), tzinfo=zone) if until else None
    return first, last


def journey_load(
    workspace: Workspace,
    ways: Paths,
    span: tuple[date, date],
    entry: tuple[date, date | None],
    sends_per_week: Mapping[str, Mapping[str, float]],
) -> dict[str, dict[date, dict[str, float]]]:
    """Each persona's expected sends of one journey per day of ``span`` and channel: each
    step's sends per week (by step id, then persona), spread over the days its sends go out
    on for entrants at every entry moment of ``entry`` (the live period) that can reach the
    span."""
    first, last = span
    load: dict[str, dict[date, dict[str, float]]] = {}
    by_step = ways_to(ways)
    reach = max((s.offset for sents in by_step.values() for s in sents), default=0)
    channels = ways.channels
    groups: dict[object, list[Persona]] = defaultdict(list)
    for persona_id in sorted(ways.personas & workspace.personas.keys()):
        persona = workspace.personas[persona_id]
        groups[placing_key(workspace, persona, channels)].append(persona)
    for members in groups.values():
        placer = Placer(workspace, members[0])
        begin, end = live(*entry, placer.zone)
        earliest = datetime.combine(first, time(0), tzinfo=placer.zone)
        begin = max(begin, earliest - timedelta(hours=reach, days=SLACK))
        stop = datetime.combine(last + timedelta(days=1), time(0), tzinfo=placer.zone)
        end = min(end, stop) if end is not None else stop
        moments = list(entry_moments(begin, end))
        try:
            for sents in by_step.values():
                _spread(placer, sents, moments, span, members, sends_per_week, load)
        except TooMany:
            continue  # the steps placed so far are kept
    return load


def _spread(
    placer: Placer,
    sents: list[Sent],
    moments: list[datetime],
    span: tuple[date, date],
    members: list[Persona],
    sends_per_week: Mapping[str, Mapping[str, float]],
    load: dict[str, dict[date, dict[str, float]]],
) -> None:
    """Add one send step's expected sends, day by day, to each of ``members``' load."""
    step = sents[0].step
    days: dict[int, dict[date, int]] = {}
    for sent in sents:
        counted: dict[date, int] = defaultdict(int)
        for moment in moments:
            at = placer.place(sent, moment)
            if at is not None and span[0] <= at.date() <= span[1]:
                counted[at.date()] += 1
        days[id(sent)] = counted
    for persona in members:
        weekly = sends_per_week.get(step.id, {}).get(persona.id, 0.0)
        if weekly <= 0:
            continue
        mine = load.setdefault(persona.id, {})
        for sent, part in weights(sents, persona.id):
            for day, count in days[id(sent)].items():
                on = mine.setdefault(day, {})
                on[step.send] = on.get(step.send, 0.0) + weekly * part * count / HOURS_A_WEEK
