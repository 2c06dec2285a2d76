"""The schedule as an iCalendar file (RFC 5545) that any calendar application opens.

One event per touch and per time zone among the touch's personas: a touch's time is local to
each persona, so a touch at 09:00 for personas in Paris and in Montreal is two events, one at
09:00 Paris time and one at 09:00 Montreal time, each with its ``DTSTART;TZID=…`` and the
``VTIMEZONE`` it needs (added by icalendar from the zoneinfo database).

The bytes depend on the plans only: no clock, no random UID, events in a fixed order. So the
file can be committed and diffed, and the same plans always give the same file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import TRANSP, Calendar, Event

from mcplan import __version__
from mcplan.plan.result import CampaignPlan, ProposedTouch
from mcplan.words import Reader
from mcplan.workspace import Workspace

DURATION = timedelta(minutes=15)
PRODID = f"-//mcplan//mcplan {__version__}//EN"
UTC_ZONE = "UTC"  # the time zone of a touch written with an offset (+01:00)


def calendar(plans: Sequence[CampaignPlan], workspace: Workspace) -> bytes:
    """Every touch of ``plans`` as an iCalendar file, one event per touch and time zone."""
    timed = sorted(
        (timed for plan in plans for timed in _events(plan, workspace)), key=lambda t: t[:2]
    )
    events = [event for _, _, event in timed]
    names = list(dict.fromkeys(plan.campaign.name for plan in plans))
    ids = "\n".join(plan.campaign.id for plan in plans)
    cal = Calendar.new(
        prodid=PRODID,
        calscale="GREGORIAN",
        name=", ".join(names) or "mcplan",  # NAME and X-WR-CALNAME
        uid=_uid("calendar", ids),  # Calendar.new would pick a random one
        subcomponents=events,
    )
    if timed:
        # The time zone rules of the years the events are in, not 1970 to 2038: shorter, and
        # enough for every event.
        first, last = timed[0][0].year, timed[-1][0].year
        cal.add_missing_timezones(date(first, 1, 1), date(last + 1, 1, 1))
        # It adds them in the order of a set of names, which changes from run to run.
        zones = sorted(cal.timezones, key=lambda zone: str(zone.tz_name))
        others = [c for c in cal.subcomponents if c.name != "VTIMEZONE"]
        cal.subcomponents[:] = [*zones, *others]
    data: bytes = cal.to_ical()
    return data


def _events(plan: CampaignPlan, workspace: Workspace) -> list[tuple[datetime, str, Event]]:
    """(start, UID, event) of every event of the plan."""
    campaign = plan.campaign
    if not plan.touches:
        return []
    # DTSTAMP is required (RFC 5545: when the event was created) but a clock would make every
    # run write different bytes for the same plan. The first touch's day, at 00:00 UTC, is a
    # fixed moment that still means something: when the campaign starts.
    stamp = datetime.combine(min(touch.at.date() for touch in plan.touches), time(), UTC)
    reader = Reader.of(workspace.settings.locale)
    events = []
    for index, touch in enumerate(plan.touches):
        channel = workspace.channels.get(touch.channel)
        channel_name = reader.channel(channel) if channel is not None else touch.channel
        for zone, personas in _by_time_zone(touch, plan, workspace).items():
            uid, start = _uid(campaign.id, str(index), zone), _start(touch.at, zone)
            event = Event.new(
                uid=uid,
                stamp=stamp,
                start=start,
                summary=f"{channel_name} — {campaign.name}",
                description=_description(touch, personas, workspace, reader),
                categories=[touch.channel],
                transparency=TRANSP.TRANSPARENT,  # a send does not make anyone busy
            )
            event.add("duration", DURATION)
            events.append((start, uid, event))
    return events


def _by_time_zone(
    touch: ProposedTouch, plan: CampaignPlan, workspace: Workspace
) -> dict[str, list[str]]:
    """The touch's persona ids by the time zone its time is read in, zones in name order."""
    personas = touch.personas if touch.personas is not None else plan.campaign.personas
    if touch.at.tzinfo is not None:  # written with an offset: one moment for everyone
        return {UTC_ZONE: list(personas)}
    zones: dict[str, list[str]] = {}
    for persona_id in personas:
        persona = workspace.personas.get(persona_id)
        zone = persona.timezone if persona is not None else None
        zones.setdefault(zone or workspace.settings.timezone, []).append(persona_id)
    return dict(sorted(zones.items()))


def _start(at: datetime, zone: str) -> datetime:
    if at.tzinfo is not None:
        return at.astimezone(UTC)
    return at.replace(tzinfo=ZoneInfo(zone))


def _description(
    touch: ProposedTouch, personas: list[str], workspace: Workspace, reader: Reader
) -> str:
    lines = [reader.say("ics_personas")]
    for persona_id in personas:
        persona = workspace.personas.get(persona_id)
        lines.append(f"- {persona.name if persona is not None else persona_id}")
    if touch.after is not None:
        channel = workspace.channels.get(touch.after)
        after = reader.channel(channel) if channel is not None else touch.after
        lines.append(reader.say("ics_after", channel=after))
    return "\n".join(lines)


def _uid(*parts: str) -> str:
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{digest[:32]}@mcplan"
