"""When a campaign's touches reach its personas, each in its own time zone: a touch outside
the campaign's dates (S304), at a local time the clocks skip or repeat (S310), a follow-up
(`after: email`) that no earlier touch on that channel comes before (S303).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from mcplan.findings import Finding, Subject
from mcplan.workspace.campaign import Campaign
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.persona import Persona
from mcplan.workspace.resolving import personas_named, unknown
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import CLOCK_CHANGE, ORPHAN_FOLLOW_UP, OUTSIDE_DATES


def unread_sends(workspace: Workspace, campaign: Campaign, i: int) -> dict[str, datetime]:
    """When a touch reaches the personas it names whose file could not be read (an error in
    it, an id two files use): at the time it says, when it is a local time, which is the
    same date in every time zone; with an offset, the day depends on the persona's zone,
    which is not known: only a moment outside the campaign's dates in every zone counts."""
    touch = campaign.touches[i]
    at = touch.at
    if at.tzinfo is not None:
        earliest, latest = (at.astimezone(timezone(timedelta(hours=h))) for h in (-12, 14))
        first, last = campaign.first_day, campaign.last_day
        if last and earliest.date() > last:
            at = earliest
        elif first and latest.date() < first:
            at = latest
        else:
            return {}
    ids = touch.personas if touch.personas is not None else campaign.personas
    return {p: at for p in ids if p not in workspace.personas and workspace.exists("personas", p)}


def check_dates(
    campaign: Campaign, source: SourceMap, i: int, sends: dict[str, datetime], about: Subject
) -> Iterator[Finding]:
    first, last = campaign.first_day, campaign.last_day
    if first and last and last < first:
        return  # the dates themselves are wrong, and reported as such
    outside = sorted(
        p for p, at in sends.items() if (first and at.date() < first) or (last and at.date() > last)
    )
    if outside:
        path = ("touches", i, "at")
        yield OUTSIDE_DATES(
            source.locate(path),
            f"{source.name(path)}: {campaign.touches[i].at.isoformat(timespec='minutes')} is "
            f"outside the campaign's dates ({first or '…'} to {last or '…'}) "
            f"for {personas_named(outside)}",
            subject=about,
        )


def check_clock(
    campaign: Campaign, source: SourceMap, i: int, reached: list[Persona], about: Subject
) -> Iterator[Finding]:
    """A local time that the clocks skip or repeat in the time zone of a persona it reaches."""
    at = campaign.touches[i].at
    if at.tzinfo is not None:  # an offset says which moment
        return
    by_zone: dict[str, list[str]] = {}
    for persona in reached:
        by_zone.setdefault(persona.timezone or "UTC", []).append(persona.id)
    for name, personas in by_zone.items():
        zone = ZoneInfo(name)
        earlier, later = at.replace(tzinfo=zone, fold=0), at.replace(tzinfo=zone, fold=1)
        if earlier.utcoffset() == later.utcoffset():
            continue
        lives = "lives" if len(personas) == 1 else "live"
        where = f"in {name}, where {personas_named(personas)} {lives}"
        if earlier.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != at:
            what = f"does not exist {where}: the clocks go forward that night"
        else:
            what = (
                f"happens twice {where}: the clocks go back that night; write "
                f"{_offset(earlier)} or {_offset(later)}"
            )
        path = ("touches", i, "at")
        yield CLOCK_CHANGE(
            source.locate(path),
            f"{source.name(path)}: {at.isoformat(timespec='minutes')} {what}",
            subject=about,
        )


def _offset(at: datetime) -> str:
    """``2028-10-29T02:30+02:00``."""
    return at.isoformat(timespec="minutes")


def check_follow_ups(
    workspace: Workspace,
    campaign: Campaign,
    source: SourceMap,
    sends: list[dict[str, datetime]],
) -> Iterator[Finding]:
    for i, touch in enumerate(campaign.touches):
        if touch.after is None:
            continue
        about = Subject(campaign=campaign.id, channel=touch.channel)
        path: KeyPath = ("touches", i, "after")
        if not workspace.exists("channel_rules", touch.after):
            yield from unknown(source, path, "channel", touch.after, workspace, about)
            continue
        orphans = sorted(
            persona
            for persona, at in sends[i].items()
            if not any(
                other.channel == touch.after and persona in sends[k] and sends[k][persona] < at
                for k, other in enumerate(campaign.touches)
                if k != i
            )
        )
        if orphans:
            yield ORPHAN_FOLLOW_UP(
                source.locate(path),
                f"{source.name(path)}: no earlier '{touch.after}' touch reaches "
                f"{personas_named(orphans)} before this one",
                hint=f"schedule a '{touch.after}' touch earlier, or remove `after`",
                subject=about,
            )
