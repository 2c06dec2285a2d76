"""Propose the touches of a campaign that has none: a cross-channel sequence that keeps to
every send window and every contact pressure cap, counted with the other campaigns.

- Inbound channels (a post, a banner) get one touch on the campaign's first day.
- Outbound channels form a sequence, the most valuable first: the lead touch on the first day,
  each next one two days after the previous (`after:` names it, so the follow-up is linked to
  the touch it follows up), the same persona never touched twice the same day when it can be
  helped.
- A touch goes out at 10:00 local time when the channel's window allows it, else at the start
  of its first range, on the first day from its target that is inside the window, not a
  forbidden public holiday, within the campaign's dates, and breaks no cap of the persona or
  the channel (with the workspace's other touches, and the touches proposed so far).
- Personas that cannot all go at the same time get touches of their own (`personas:`).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from mcplan.plan.result import ProposedTouch
from mcplan.schedule.caps import room_for
from mcplan.schedule.contacts import Contact
from mcplan.schedule.windows import allowed, minutes
from mcplan.workspace import Campaign, Channel, Direction, Persona, Workspace

PREFERRED = time(10, 0)
FOLLOW_UP = timedelta(days=2)


@dataclass
class Calendar:
    """Every outbound contact so far, per persona and per persona × channel, in time order."""

    by_persona: dict[str, list[datetime]] = field(default_factory=lambda: defaultdict(list))
    by_channel: dict[tuple[str, str], list[datetime]] = field(
        default_factory=lambda: defaultdict(list)
    )

    @classmethod
    def of(cls, workspace: Workspace, contacts: Sequence[Contact]) -> Calendar:
        calendar = cls()
        for contact in contacts:
            channel = workspace.channels.get(contact.channel)
            if channel and channel.direction is Direction.OUTBOUND:
                calendar.add(contact.persona, contact.channel, contact.at)
        return calendar

    def add(self, persona: str, channel: str, at: datetime) -> None:
        bisect.insort(self.by_persona[persona], at)
        bisect.insort(self.by_channel[(persona, channel)], at)

    def fits(self, persona: Persona, channel: Channel, at: datetime, same_day_ok: bool) -> bool:
        """Whether one more contact at `at` keeps to the persona's and the channel's caps."""
        mine = self.by_persona[persona.id]
        if not same_day_ok:
            # Only the neighbours in time can share the day.
            i = bisect.bisect(mine, at)
            if any(t.date() == at.date() for t in mine[max(0, i - 1) : i + 1]):
                return False
        on_channel = self.by_channel[(persona.id, channel.id)]
        return room_for(mine, at, persona.pressure) and room_for(on_channel, at, channel.pressure)


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
    touches: list[ProposedTouch] = []
    problems: list[str] = []
    outbound = [c for c in chosen if workspace.channels[c].direction is Direction.OUTBOUND]
    inbound = [c for c in chosen if c not in outbound]
    # The previous outbound touch of each persona: its channel (for `after:`) and its time.
    previous: dict[str, tuple[str, datetime]] = {}
    for step, channel_id in enumerate([*outbound, *inbound]):
        channel = workspace.channels[channel_id]
        is_outbound = channel_id in outbound
        groups: dict[tuple[str | None, date], list[Persona]] = defaultdict(list)
        for persona_id in reached[channel_id]:
            target = first + (FOLLOW_UP * step if is_outbound else timedelta())
            after = None
            if is_outbound and persona_id in previous:
                after, at = previous[persona_id]
                target = max(target, (at + FOLLOW_UP).date())
            groups[(after, target)].append(workspace.personas[persona_id])
        for (after, target), personas in sorted(
            groups.items(), key=lambda g: (g[0][1], g[0][0] or "")
        ):
            placed = _place(workspace, channel, personas, target, last, calendar, is_outbound)
            for at, group in placed:
                ids = tuple(p.id for p in group)
                everyone = set(ids) == set(campaign.personas)
                touches.append(ProposedTouch(channel_id, at, None if everyone else ids, after))
                if is_outbound:
                    previous.update(dict.fromkeys(ids, (channel_id, at)))
            lost = {p.id for p in personas} - {p.id for _, g in placed for p in g}
            problems += [_no_slot(channel_id, p, target, last, after) for p in sorted(lost)]
    touches.sort(key=lambda t: (t.at, t.channel, t.personas or ()))
    return touches, problems


def _no_slot(channel: str, persona: str, target: date, last: date, after: str | None) -> str:
    if target > last:
        return (
            f"no slot for {channel} to '{persona}': following up the {after} touch, it would go "
            f"on {target}, after the campaign's last day ({last})"
        )
    return (
        f"no slot for {channel} to '{persona}' between {target} and {last} within the "
        "channel's window and every pressure cap"
    )


def _place(
    workspace: Workspace,
    channel: Channel,
    personas: list[Persona],
    target: date,
    last: date,
    calendar: Calendar,
    counted: bool,
) -> list[tuple[datetime, list[Persona]]]:
    """Put every persona on the earliest slot that suits it (in the window and caps of its
    country's rules); group those that share one."""
    placed: dict[datetime, list[Persona]] = defaultdict(list)
    for persona in personas:
        rules = workspace.rules(channel.id, persona).channel
        slot = _slot(rules, persona, _clock(rules), target, last, calendar, counted)
        if slot is not None:
            placed[slot].append(persona)
            if counted:
                local = slot.replace(tzinfo=ZoneInfo(persona.timezone or "UTC"))
                calendar.add(persona.id, channel.id, local)
    return sorted(placed.items())


def _slot(
    channel: Channel,
    persona: Persona,
    clock: time,
    target: date,
    last: date,
    calendar: Calendar,
    counted: bool,
) -> datetime | None:
    zone = ZoneInfo(persona.timezone or "UTC")
    for same_day_ok in (False, True):
        day = target
        while day <= last:
            at = datetime.combine(day, clock)
            if allowed(channel.window, persona, at) and (
                not counted or calendar.fits(persona, channel, at.replace(tzinfo=zone), same_day_ok)
            ):
                return at
            day += timedelta(days=1)
    return None


def _clock(channel: Channel) -> time:
    """10:00 when the window allows it, else the start of its first range."""
    preferred = PREFERRED.hour * 60 + PREFERRED.minute
    for start, end in channel.window.hours:
        if minutes(start) <= preferred < minutes(end):
            return PREFERRED
    first = minutes(channel.window.hours[0][0]) if channel.window.hours else preferred
    return time(first // 60, first % 60)
