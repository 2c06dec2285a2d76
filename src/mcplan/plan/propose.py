"""Propose the touches of a campaign that has none: a cross-channel sequence that keeps to
every send window and every contact pressure cap, counted with the other campaigns.

- Inbound channels (a post, a banner) get one touch on the campaign's first day.
- Outbound channels form a sequence, the most valuable first: the lead touch on the first day,
  each next one two days after the previous (`after:` names it, so the follow-up is linked to
  the touch it follows up), the same persona never touched twice the same day when it can be
  helped.
- A touch goes out at each persona's learned send time (`send_times`, moved to the nearest
  time the window allows; `aims`), else at 10:00 local time when the channel's window allows
  it, else at the start of its first range, on the first day from its target that is inside
  the window (on the slot's weekday when it has one and such a day has room), not a forbidden
  public holiday, within the campaign's dates (its first year, for a longer one), and breaks
  no cap of the persona or the channel (with the workspace's other touches, and the
  touches proposed so far).
- Personas that cannot all go at the same time get touches of their own (`personas:`).

The search is done for every persona of a touch at once: the contacts per persona and day
are a matrix, a cap is a sum over a sliding window of its columns, and a persona's slot is its
first free day (a minimum gap is looked up in the contacts' times only when a contact falls
on a day near the slot). Personas are independent (each one's calendar is its own), so this
finds exactly the slot that a day-by-day search for each persona would.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from mcplan.plan.aims import by_target, days_to_try
from mcplan.plan.audience import NO_CAP, Audience, caps_of, gap_of
from mcplan.plan.result import ProposedTouch
from mcplan.schedule.caps import WINDOWS, elapsed
from mcplan.schedule.contacts import Contact
from mcplan.workspace import Campaign, Channel, Direction, Persona, Workspace

FOLLOW_UP = timedelta(days=2)
SEARCH_DAYS = 366  # a touch is proposed within the campaign's first year
_MARGIN = max(length for _, length, _ in WINDOWS)  # days around a slot that its caps count
_BLOCK = 128  # days: the calendar counts contacts per day in blocks made when first needed
_KEPT_BYTES = 256 * 1024**2  # the calendar's blocks together (at least the one being made)
_Matrix = np.ndarray  # personas × days: contacts per local day


class Calendar:
    """Every outbound contact so far, per persona and per persona × channel: their times in
    order (for the minimum gaps), and their number per local day (for the caps)."""

    def __init__(self, audience: Audience) -> None:
        self.audience = audience
        self.times: dict[Hashable, list[datetime]] = defaultdict(list)
        # Every contact, as added: (channel, its personas' rows, their local days' ordinals)
        self.log: list[tuple[str, np.ndarray, np.ndarray]] = []
        # (channel, or None for every channel; block number) → personas × _BLOCK days
        self.blocks: dict[tuple[str | None, int], _Matrix] = {}

    @classmethod
    def of(
        cls, workspace: Workspace, contacts: Sequence[Contact], audience: Audience | None = None
    ) -> Calendar:
        calendar = cls(audience or Audience.of(workspace))
        by_channel: dict[str, list[tuple[str, datetime]]] = defaultdict(list)
        for contact in contacts:
            channel = workspace.channels.get(contact.channel)
            if channel and channel.direction is Direction.OUTBOUND:
                by_channel[contact.channel].append((contact.persona, contact.at))
        for channel_id, added in by_channel.items():
            calendar.add(channel_id, added)
        return calendar

    def add(self, channel: str, contacts: Sequence[tuple[str, datetime]]) -> None:
        """Count a contact of the channel for each (persona, local time)."""
        for persona, at in contacts:
            bisect.insort(self.times[persona], at)
            bisect.insort(self.times[(persona, channel)], at)
        rows = np.array([self.audience.row[persona] for persona, _ in contacts], int)
        days = np.array([at.date().toordinal() for _, at in contacts], int)
        self.log.append((channel, rows, days))
        for (level, number), block in self.blocks.items():
            if level in (None, channel):
                _count(block, rows, days, number)

    def counts(self, channel: str | None, rows: np.ndarray, first: date, width: int) -> _Matrix:
        """Contacts (of `channel`, or of any) of the personas of `rows` on each of the
        `width` days from `first`."""
        lo = first.toordinal()
        parts = []
        for number in range(lo // _BLOCK, (lo + width - 1) // _BLOCK + 1):
            start = number * _BLOCK
            block = self._block(channel, number)
            parts.append(
                block[rows, max(lo, start) - start : min(lo + width, start + _BLOCK) - start]
            )
        return np.concatenate(parts, axis=1)

    def _block(self, channel: str | None, number: int) -> _Matrix:
        if (channel, number) not in self.blocks:
            block = np.zeros((len(self.audience.ids), _BLOCK), np.int32)
            # Campaigns years apart need blocks of their own: keep the latest, within a budget
            # (a block let go is counted again from the log when it is needed).
            while self.blocks and (len(self.blocks) + 1) * block.nbytes > _KEPT_BYTES:
                del self.blocks[next(iter(self.blocks))]
            for level, rows, days in self.log:
                if channel in (None, level):
                    _count(block, rows, days, number)
            self.blocks[(channel, number)] = block
        return self.blocks[(channel, number)]

    def far_enough(self, key: Hashable, at: datetime, hours: float) -> bool:
        """Whether `at` is at least `hours` from the key's contacts before and after it."""
        times = self.times.get(key, [])
        gap = timedelta(hours=hours)
        i = bisect.bisect_left(times, at)
        if i > 0 and elapsed(times[i - 1], at) < gap:
            return False
        return not (i < len(times) and elapsed(at, times[i]) < gap)


def propose(
    workspace: Workspace,
    campaign: Campaign,
    chosen: Sequence[str],
    reached: dict[str, list[str]],
    calendar: Calendar,
) -> tuple[list[ProposedTouch], list[str]]:
    """Touches for the chosen channels (each reaching `reached[channel]` personas).

    Returns the touches, and a sentence for every persona × channel that found no slot.
    """
    first, last = campaign.first_day, campaign.last_day
    if first is None or last is None:
        return [], ["the campaign has no dates (starts/ends): nothing to schedule"]
    end = min(last, first + timedelta(days=SEARCH_DAYS))
    outbound = [c for c in chosen if workspace.channels[c].direction is Direction.OUTBOUND]
    inbound = [c for c in chosen if c not in outbound]
    pressure = _Pressure(calendar, sorted({p for c in outbound for p in reached[c]}), first, end)
    sequence = _Sequence(workspace, campaign, calendar.audience, pressure, end)
    for step, channel_id in enumerate(outbound):
        sequence.schedule(channel_id, reached[channel_id], first + FOLLOW_UP * step)
    for channel_id in inbound:
        sequence.schedule(channel_id, reached[channel_id], first)
    touches = sorted(sequence.touches, key=lambda t: (t.at, t.channel, t.personas or ()))
    return touches, sequence.problems


@dataclass
class _Sequence:
    """A campaign's touches as they are proposed, channel after channel, and each persona's
    previous outbound touch (its channel, for `after:`, and its time)."""

    workspace: Workspace
    campaign: Campaign
    audience: Audience
    pressure: _Pressure
    end: date
    touches: list[ProposedTouch] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    previous: dict[str, tuple[str, datetime]] = field(default_factory=dict)

    def schedule(self, channel_id: str, personas: list[str], target: date) -> None:
        """Touches of the channel to its personas from `target` (an outbound one no sooner
        than its follow-up of each persona's previous touch)."""
        channel = self.workspace.channels[channel_id]
        outbound = channel.direction is Direction.OUTBOUND
        groups = self._groups(personas, target, outbound)
        for (after, start), group in sorted(groups.items(), key=lambda g: (g[0][1], g[0][0] or "")):
            counted = self.pressure if outbound else None
            placed = _place(channel, group, start, self.end, self.audience, counted)
            for at, placed_group in placed:
                self._add(channel_id, at, tuple(p.id for p in placed_group), after, outbound)
            lost = {p.id for p in group} - {p.id for _, g in placed for p in g}
            self.problems += [self._no_slot(channel_id, p, start, after) for p in sorted(lost)]

    def _groups(
        self, personas: list[str], target: date, outbound: bool
    ) -> dict[tuple[str | None, date], list[Persona]]:
        """The personas by the touch they follow up and the day from which they may get this
        one."""
        groups: dict[tuple[str | None, date], list[Persona]] = defaultdict(list)
        for persona_id in personas:
            after, start = None, target
            if outbound and persona_id in self.previous:
                after, at = self.previous[persona_id]
                start = max(target, (at + FOLLOW_UP).date())
            groups[(after, start)].append(self.workspace.personas[persona_id])
        return groups

    def _add(
        self, channel_id: str, at: datetime, ids: tuple[str, ...], after: str | None, outbound: bool
    ) -> None:
        everyone = set(ids) == set(self.campaign.personas)
        self.touches.append(ProposedTouch(channel_id, at, None if everyone else ids, after))
        if outbound:
            self.previous.update(dict.fromkeys(ids, (channel_id, at)))

    def _no_slot(self, channel: str, persona: str, target: date, after: str | None) -> str:
        last = self.campaign.last_day
        if target > self.end:
            bound = (
                "the campaign's last day" if self.end == last else "the year a schedule may take"
            )
            return (
                f"no slot for {channel} to '{persona}': following up the {after} touch, it would "
                f"go on {target}, after {bound} ({self.end})"
            )
        return (
            f"no slot for {channel} to '{persona}' between {target} and {self.end} within the "
            "channel's window and every pressure cap"
        )


def _count(block: _Matrix, rows: np.ndarray, days: np.ndarray, number: int) -> None:
    """Add the contacts on the block's days to it."""
    inside = days // _BLOCK == number
    np.add.at(block, (rows[inside], days[inside] - number * _BLOCK), 1)


class _Pressure:
    """The contacts of a campaign's personas per day, around the days its touches may take,
    of every channel and per channel; kept up to date as touches are placed."""

    def __init__(self, calendar: Calendar, personas: list[str], first: date, last: date):
        self.calendar = calendar
        self.first = first - timedelta(days=_MARGIN)
        self.width = (last - self.first).days + _MARGIN + 1
        self.row = {p: i for i, p in enumerate(personas)}
        self.rows = np.array([calendar.audience.row[p] for p in personas], int)
        self.personas = calendar.counts(None, self.rows, self.first, self.width)
        self.channels: dict[str, _Matrix] = {}

    def on(self, channel: str) -> _Matrix:
        if channel not in self.channels:
            counts = self.calendar.counts(channel, self.rows, self.first, self.width)
            self.channels[channel] = counts
        return self.channels[channel]

    def column(self, day: date) -> int:
        return (day - self.first).days

    def add(self, channel: str, slots: list[tuple[str, datetime]]) -> None:
        """Count a contact of the channel for each persona at its time."""
        self.calendar.add(channel, slots)
        rows = [self.row[persona] for persona, _ in slots]
        columns = [self.column(at.date()) for _, at in slots]
        np.add.at(self.personas, (rows, columns), 1)
        np.add.at(self.on(channel), (rows, columns), 1)


def _place(
    channel: Channel,
    personas: list[Persona],
    target: date,
    end: date,
    audience: Audience,
    pressure: _Pressure | None,
) -> list[tuple[datetime, list[Persona]]]:
    """Put every persona on the earliest slot that suits it (in the window and caps of its
    country's rules, counted in `pressure` unless None, at its learned time of day); group
    those that share one."""
    links = audience.links[channel.id]
    kinds = links.kind[[audience.row[p.id] for p in personas]]
    slots: list[tuple[datetime, datetime] | None] = [None] * len(personas)  # local, aware
    for kind in np.unique(kinds).tolist():  # the same days to try
        own, persona = links.kinds[kind]
        of_kind = np.flatnonzero(kinds == kind).tolist()
        opened: dict[time, list[date]] = {}
        for aimed, indexes in by_target(own, [personas[i] for i in of_kind], audience.aims).items():
            members = [of_kind[i] for i in indexes]
            # On the slot's weekday; whoever finds no room on those days, on any other day.
            for weekday in dict.fromkeys((aimed[1], None)):
                left = [i for i in members if slots[i] is None]
                days = days_to_try(own, persona, (target, end), (aimed[0], weekday), opened)
                found = _on_days(pressure, own, [personas[i] for i in left], days, aimed[0])
                for i, at in zip(left, found, strict=True):
                    slots[i] = at
    placed: dict[datetime, list[Persona]] = defaultdict(list)
    for persona, slot in zip(personas, slots, strict=True):
        if slot is not None:
            placed[slot[0]].append(persona)
    if pressure is not None:
        pressure.add(channel.id, [(p.id, s[1]) for p, s in zip(personas, slots, strict=True) if s])
    return sorted(placed.items())


def _on_days(
    pressure: _Pressure | None,
    channel: Channel,
    group: list[Persona],
    days: list[date],
    clock: time,
) -> list[tuple[datetime, datetime] | None]:
    """Each persona's slot on the first of ``days`` that suits it, at ``clock`` (local, and
    aware in its zone), or None."""
    if not days or not group:
        return [None] * len(group)
    found = (
        _earliest(pressure, channel, group, days, clock)
        if pressure is not None
        else [days[0]] * len(group)
    )
    zone = ZoneInfo(group[0].timezone or "UTC")
    return [
        (datetime.combine(d, clock), datetime.combine(d, clock, zone)) if d else None for d in found
    ]


def _earliest(
    pressure: _Pressure, channel: Channel, personas: list[Persona], days: list[date], clock: time
) -> list[date | None]:
    """The first of `days` on which each persona may get one more contact of the channel:
    a day without another contact when there is one, else any day within the caps."""
    audience = pressure.calendar.audience
    ids = [p.id for p in personas]
    rows = np.array([pressure.row[p] for p in ids])  # in `pressure`
    own = np.array([audience.row[p] for p in ids])  # in the audience
    columns = np.array([pressure.column(day) for day in days])
    mine, on_channel = pressure.personas[rows], pressure.on(channel.id)[rows]
    room = _room(mine, columns, audience.caps[own])
    room &= _room(on_channel, columns, np.array([caps_of(channel.pressure)] * len(ids)))
    free = room & (mine[:, columns] == 0)
    # The minimum gaps: a slot with no contact on the days its gap spans keeps them; else
    # the contacts' times say.
    zone = ZoneInfo(personas[0].timezone or "UTC")
    times = [datetime.combine(day, clock, zone) for day in days]
    levels = (
        (mine, audience.gaps[own], ids),
        (on_channel, np.full(len(ids), gap_of(channel.pressure)), [(p, channel.id) for p in ids]),
    )
    clear = np.ones_like(room)
    for counts, gaps, _ in levels:
        for hours in np.unique(gaps[~np.isnan(gaps)]).tolist():
            which = gaps == hours
            clear[which] &= _far(counts[which], pressure, times, hours)
    found = np.full(len(ids), -1)
    for mask in (free, room):  # a day of its own first
        first = mask.argmax(axis=1)
        todo = (found < 0) & mask[np.arange(len(ids)), first]
        quick = todo & clear[np.arange(len(ids)), first]
        found[quick] = first[quick]
        for k in np.flatnonzero(todo & ~quick).tolist():
            gaps = [(keys[k], hours[k]) for _, hours, keys in levels if not np.isnan(hours[k])]
            for column in np.flatnonzero(mask[k]).tolist():
                if clear[k, column] or all(
                    pressure.calendar.far_enough(key, times[column], h) for key, h in gaps
                ):
                    found[k] = column
                    break
    return [days[c] if c >= 0 else None for c in found.tolist()]


def _far(counts: _Matrix, pressure: _Pressure, times: list[datetime], hours: float) -> np.ndarray:
    """For each row and each of `times`: whether no contact falls on a day within `hours`
    of it (in elapsed time, summer time changes included)."""
    gap = timedelta(hours=hours)
    lo = np.array(
        [pressure.column((at.astimezone(UTC) - gap).astimezone(at.tzinfo).date()) for at in times]
    )
    hi = np.array(
        [pressure.column((at.astimezone(UTC) + gap).astimezone(at.tzinfo).date()) for at in times]
    )
    width = counts.shape[1]
    counted = (lo >= 0) & (hi < width)  # else some of those days are not counted here
    running = np.zeros((len(counts), width + 1), np.int64)
    np.cumsum(counts, axis=1, out=running[:, 1:])
    lo, hi = lo.clip(0, width - 1), hi.clip(0, width - 1)
    far: np.ndarray = counted & (running[:, hi + 1] - running[:, lo] == 0)
    return far


def _room(counts: _Matrix, columns: np.ndarray, caps: np.ndarray) -> np.ndarray:
    """For each row and each of `columns`: whether one more contact that day keeps to the
    row's caps (`caps`: a row per row, a column per window of `WINDOWS`). Only the windows
    that would hold it count: a window of `length` days holding day d starts on one of the
    days d - length + 1 … d."""
    room = np.ones((len(counts), len(columns)), bool)
    running = np.zeros((len(counts), counts.shape[1] + 1), np.int64)
    np.cumsum(counts, axis=1, out=running[:, 1:])
    for i, (_, length, _) in enumerate(WINDOWS):
        cap = caps[:, i : i + 1]
        if (cap == NO_CAP).all():
            continue
        in_window = running[:, length:] - running[:, :-length]  # by the window's first day
        full = np.zeros_like(running)
        np.cumsum(in_window + 1 > cap, axis=1, out=full[:, 1 : in_window.shape[1] + 1])
        room &= full[:, columns + 1] - full[:, columns - length + 1] == 0
    return room
