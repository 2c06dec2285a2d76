"""Where a journey's sends break a cap together with the campaigns' touches or another
journey's sends, per persona: what `on_cap: hold` holds, `skip` skips, and lint reports for
`on_cap: send` (P107).

**Campaigns.** Each send of each way to a send step (a `Sent`) is placed for entrants at every
entry moment of the live period (`journey_times`). It *clashes* with a campaign touch when
the send, counted with the persona's campaign touches and the entrant's own earlier sends on
its path, takes a cap of the persona (its outbound channels) or of its channel over (the
caps' calendar days and gaps, `caps.broken_by`), a campaign touch is among those counted, and
the entrant's own sends alone break none (that is P106's). The touch named is the nearest of
those counted. A held send waits until the first moment its window allows at which it breaks
no cap (the sends after it on its path are placed as if it had not waited).

**Other journeys.** Their sends are not dated: `filled_caps` tells which caps an entrant's
own sends fill in the span before a send, and `plan.journey.held_journeys` the chance that
another journey's send comes in that span.

Personas with the same caps, time zone, country, windows and campaign touches are placed and
checked once together (`KnownCaps`, as P106); only the entry moments whose send may land
within a cap's span of a touch are placed (the windows adding at most :data:`DELAY` days to
the waits before it).
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from mcplan.schedule.caps import WINDOWS, broken_by
from mcplan.schedule.contacts import Contact
from mcplan.schedule.journey_times import (
    Placer,
    TooMany,
    after,
    live,
    next_allowed,
    placing_key,
    ways_to,
)
from mcplan.schedule.journeys import KnownCaps, Paths, Sent
from mcplan.workspace import Direction, Persona, Pressure, Workspace
from mcplan.workspace.journey import Journey

DELAY = 4  # days the windows may add to a send's waits, for the entrants a touch concerns
HOLD_STEPS = 64  # how many times a held send is moved on before it is counted as held so long


@dataclasses.dataclass
class Clash:
    """The sends of one way to a send step that break a cap with one campaign touch, for some
    personas that are placed and capped alike, over the entry moments of the live period."""

    sent: Sent
    contact: Contact  # the campaign touch (of the first of `personas`)
    key: str  # the cap's key
    channel: str | None  # the channel whose cap it is, None for the persona's
    personas: tuple[str, ...]
    moments: int = 0  # entry moments (each an hour of the week's entrants) whose send breaks it
    held_hours: float = 0.0  # summed over those moments: how long each would be held
    days: set[date] = dataclasses.field(default_factory=set)  # the days they go out on


def campaign_clashes(
    workspace: Workspace,
    journey: Journey,
    ways: Paths,
    contacts: Sequence[Contact],
    known: KnownCaps | None = None,
    period: tuple[date, date | None] | None = None,
    *,
    hold: bool = True,
) -> list[Clash]:
    """Every clash of ``journey``'s sends with the campaigns' ``contacts`` (every persona's),
    for those who enter in ``period`` (default: the journey's live period, `until` included);
    how long each would be held, with ``hold``."""
    period = period or (journey.entry.from_, journey.entry.until)
    known = known or KnownCaps(workspace)
    counted = {c for c, ch in workspace.channels.items() if ch.direction is Direction.OUTBOUND}
    by_persona: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        if contact.channel in counted:
            by_persona[contact.persona].append(contact)
    groups: dict[object, list[str]] = defaultdict(list)
    for persona_id in sorted(ways.personas & workspace.personas.keys()):
        mine = by_persona.get(persona_id)
        if not mine:
            continue
        persona = workspace.personas[persona_id]
        channels = tuple(sorted(ways.channels | {c.channel for c in mine}))
        caps = (known.of(persona_id, None), tuple(known.of(persona_id, c) for c in channels))
        touches = tuple((c.campaign, c.touch, c.channel, c.at) for c in mine)
        groups[placing_key(workspace, persona, ways.channels), caps, touches].append(persona_id)
    out: list[Clash] = []
    for members in groups.values():
        checker = _Checker(
            workspace, period, members, by_persona[members[0]], counted, ways.channels
        )
        try:
            for sents in ways_to(ways).values():
                for sent in sents:
                    out += checker.clashes(sent, hold)
        except TooMany:
            continue  # the clashes found so far are kept
    return out


class _Checker:
    """Places one way's sends for the entry moments near a group's touches, and checks each."""

    def __init__(
        self,
        workspace: Workspace,
        period: tuple[date, date | None],
        members: list[str],
        contacts: list[Contact],
        counted: set[str],
        channels: frozenset[str],
    ) -> None:
        self.workspace = workspace
        self.members = members
        self.persona: Persona = workspace.personas[members[0]]
        self.placer = Placer(workspace, self.persona)
        self.contacts = sorted(contacts, key=lambda c: c.at)
        self.times = [c.at for c in self.contacts]
        self.counted = counted & set(self.persona.channels)
        self.span = timedelta(days=_span_days(workspace, self.persona, channels))
        zone = self.placer.zone
        self.hour0, self.end = live(*period, zone)

    def moments(self, sent: Sent) -> Iterator[datetime]:
        """The entry moments whose ``sent`` may land near a touch (within a cap's span)."""
        reach = timedelta(hours=sent.offset)
        hours: set[int] = set()
        for at in self.times:
            first = at - self.span - reach - timedelta(days=DELAY)
            last = at + self.span - reach
            if self.end is not None:
                last = min(last, self.end)
            a = max(0, int((first - self.hour0).total_seconds() // 3600))
            b = int((last - self.hour0).total_seconds() // 3600) + 1
            hours.update(range(a, max(a, b)))
        for hour in sorted(hours):
            yield self.hour0 + timedelta(hours=hour, minutes=30)

    def clashes(self, sent: Sent, hold: bool) -> list[Clash]:
        personas = tuple(p for p in self.members if p in sent.personas)
        if not personas or sent.step.send not in self.counted:
            return []
        found: dict[tuple[int, str, str | None], Clash] = {}
        for moment in self.moments(sent):
            own = self.placer.path(sent, moment)
            if not own or own[-1][0] is not sent:
                continue
            at = own[-1][1]
            earlier = [(t, s.step.send) for s, t in own[:-1] if s.step.send in self.counted]
            hit = self.clash(at, sent.step.send, earlier)
            if hit is None:
                continue
            clash = found.setdefault(
                (id(hit.contact), hit.key, hit.channel),
                Clash(sent, hit.contact, hit.key, hit.channel, personas),
            )
            clash.moments += 1
            clash.days.add(at.date())
            if hold:
                clash.held_hours += self.held(at, sent, earlier)
        return list(found.values())

    def clash(self, at: datetime, channel: str, earlier: list[tuple[datetime, str]]) -> Hit | None:
        """What a send at ``at`` breaks with a campaign touch, if anything."""
        lo = bisect_left(self.times, at - self.span)
        hi = bisect_right(self.times, at + self.span)
        near = self.contacts[lo:hi]
        if not near:
            return None
        persona = self.persona
        if persona.pressure is not None:
            hit = _broken(at, earlier, near, persona.pressure, None)
            if hit is not None:
                return hit
        pressure = self.workspace.law(channel, persona).channel.pressure
        on = [c for c in near if c.channel == channel]
        return _broken(at, [e for e in earlier if e[1] == channel], on, pressure, channel)

    def held(self, at: datetime, sent: Sent, earlier: list[tuple[datetime, str]]) -> float:
        """How long a send due at ``at`` waits for the first moment its window allows at which
        it breaks no cap (each cap it breaks tells from when it may not: at most
        :data:`HOLD_STEPS` of them, else as long as the longest cap's span)."""
        window = self.placer.opening(sent.step.send)
        moment: datetime | None = at
        for _ in range(HOLD_STEPS):
            assert moment is not None
            hit = self.clash(moment, sent.step.send, earlier)
            if hit is None:
                return (moment - at).total_seconds() / 3600
            moment = next_allowed(window, self.persona, hit.release)
            if moment is None:
                break
        return self.span.total_seconds() / 3600


@dataclasses.dataclass(frozen=True)
class Hit:
    """A cap a send breaks with a campaign touch: the touch nearest to it among those counted,
    the cap's key, whose cap it is (a channel, or None: the persona's), and the first moment
    at which that window or gap no longer holds it."""

    contact: Contact
    key: str
    channel: str | None
    release: datetime


def _broken(
    at: datetime,
    earlier: list[tuple[datetime, str]],
    near: list[Contact],
    pressure: Pressure,
    channel: str | None,
) -> Hit | None:
    """The first cap a send at ``at`` breaks with a campaign touch among those counted;
    None when it breaks none, or only with the entrant's own sends."""
    touches: list[tuple[datetime, int, Any]] = [(t, 1, None) for t, _ in earlier]
    touches += [(c.at, 2, c) for c in near]
    touches.append((at, 0, "self"))
    touches.sort(key=lambda t: (t[0], t[1]))
    i = next(k for k, t in enumerate(touches) if t[2] == "self")
    times = [t[0] for t in touches]
    for key, first, last in broken_by(times, i, pressure):
        involved = [t[2] for t in touches[first : last + 1] if isinstance(t[2], Contact)]
        if not involved:
            continue
        nearest = min(involved, key=lambda c: abs((c.at - at).total_seconds()))
        if key == "min_gap_hours":
            other = times[first] if first != i else times[last]
            release = after(other, pressure.min_gap_hours or 0)
        else:
            release = datetime.combine(at.date() + timedelta(days=1), time(0), at.tzinfo)
        return Hit(nearest, key, channel, release)
    return None


def _span_days(workspace: Workspace, persona: Persona, channels: frozenset[str]) -> int:
    """The longest span any cap of the persona or of the journey's ``channels`` counts, in
    days."""
    spans = [0]
    pressures = [persona.pressure] + [
        workspace.law(c, persona).channel.pressure for c in persona.channels if c in channels
    ]
    for pressure in pressures:
        if pressure is None:
            continue
        spans += [n for key, n, _ in WINDOWS if getattr(pressure, key) is not None]
        if pressure.min_gap_hours is not None:
            spans.append(int(pressure.min_gap_hours // 24) + 1)
    return max(spans)


# -- other journeys -------------------------------------------------------------------------


Filled = list[tuple[float, str, str | None, set[str]]]  # span, key, whose, channels counted


def filled_caps(workspace: Workspace, sent: Sent, persona_id: str) -> Filled:
    """The caps of the persona (and of ``sent``'s channel for it) that the entrant's own
    sends fill in the span before ``sent``: one more send in that span breaks each. Personas
    with the same caps and outbound channels (`KnownCaps`) have the same."""
    persona = workspace.personas[persona_id]
    channel = sent.step.send
    counted = {c for c in persona.channels if _outbound(workspace, c)}
    if channel not in counted:
        return []
    own = [s.offset for s in _chain(sent) if s.step.send in counted]
    full: Filled = []
    if persona.pressure is not None:
        full += [(h, k, None, counted) for h, k in _filled(own, sent.offset, persona.pressure)]
    pressure = workspace.law(channel, persona).channel.pressure
    mine = [s.offset for s in _chain(sent) if s.step.send == channel]
    full += [(h, k, channel, {channel}) for h, k in _filled(mine, sent.offset, pressure)]
    return full


def _filled(offsets: list[int], at: int, pressure: Pressure) -> Iterator[tuple[float, str]]:
    """The caps the sends at ``offsets`` (hours; ``at`` the send's own) fill in the span
    before ``at``: the span in hours and the cap's key."""
    for key, days, _ in WINDOWS:
        cap = getattr(pressure, key)
        if cap is not None and sum(at - days * 24 < o <= at for o in offsets) >= cap:
            yield days * 24.0, key
    gap = pressure.min_gap_hours
    if gap is not None and gap > 0:
        yield float(gap), "min_gap_hours"


def _chain(sent: Sent) -> list[Sent]:
    out = []
    way: Sent | None = sent
    while way is not None:
        out.append(way)
        way = way.before
    return out


def _outbound(workspace: Workspace, channel_id: str) -> bool:
    channel = workspace.channels.get(channel_id)
    return channel is not None and channel.direction is Direction.OUTBOUND
