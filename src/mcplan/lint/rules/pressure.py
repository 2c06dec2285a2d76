"""Contact pressure: don't flood (P101–P105).

Counted per persona across every channel and every campaign of the workspace, because a
person does not care which campaign an SMS came from. Only outbound (direct) channels count:
an Instagram post or a web banner does not reach out to anyone.

- **P101 persona-pressure**: more touches than the persona's caps (`pressure` in the persona
  file, else the workspace's; default 3 in any 7 days) in a rolling day, 7 days or 30 days.
- **P102 channel-pressure**: more touches on one channel than that channel's own caps (the
  bundled `phone` channel allows at most 4 calls in 30 days, as French law does).
- **P103 min-gap**: two touches closer than `min_gap_hours` (the channel's, between two touches
  on it; the persona's, between any two).
- **P104 same-day**: several touches to one persona on the same day.
- **P105 repeated-message**: one campaign's message reaches a persona 3 times or more ("a
  prospect touched three times with the same message won't buy three times").

Each finding is reported on the touch that goes over, and names every touch involved with its
file and line.

Passes: `max_per_week: 3` and touches on the 1st, 3rd and 8th. Fails: the same with a fourth
touch on the 5th (4 touches from the 1st to the 5th).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence

from mcplan.findings import Finding
from mcplan.lint.context import LintContext
from mcplan.rules import finding
from mcplan.schedule.caps import over_caps, too_close
from mcplan.schedule.contacts import Contact
from mcplan.workspace import Direction, Pressure

CODES = ("P101", "P102", "P103", "P104", "P105")
REPEATS = 3  # the same message this many times to one persona is one too many


def check(ctx: LintContext) -> Iterator[Finding]:
    workspace = ctx.workspace
    outbound = {c for c, ch in workspace.channels.items() if ch.direction is Direction.OUTBOUND}
    by_persona: dict[str, list[Contact]] = defaultdict(list)
    for contact in ctx.contacts:
        if contact.channel in outbound:
            by_persona[contact.persona].append(contact)
    for persona_id, contacts in by_persona.items():
        persona = workspace.personas[persona_id]
        who = f"persona '{persona_id}'"
        if persona.pressure is not None:
            yield from _caps(contacts, persona.pressure, "P101", who, "")
            yield from _gaps(contacts, persona.pressure, "P103", who)
        by_channel: dict[str, list[Contact]] = defaultdict(list)
        for contact in contacts:
            by_channel[contact.channel].append(contact)
        for channel_id, on_channel in by_channel.items():
            pressure = workspace.channels[channel_id].pressure
            yield from _caps(on_channel, pressure, "P102", who, f" on {channel_id}")
            yield from _gaps(on_channel, pressure, "P103", who, f" on {channel_id}")
        yield from _same_day(contacts, who)
        yield from _repeats(contacts, who)


def _caps(
    contacts: Sequence[Contact], pressure: Pressure, code: str, who: str, where: str
) -> Iterator[Finding]:
    for i, first, words, cap in over_caps([c.at for c in contacts], pressure):
        involved = contacts[first : i + 1]
        message = f"{who} gets {len(involved)} touches{where} in {words} (at most {cap})"
        yield _finding(code, contacts[i], message, involved, pressure.why)


def _gaps(
    contacts: Sequence[Contact], pressure: Pressure, code: str, who: str, where: str = ""
) -> Iterator[Finding]:
    for i in too_close([c.at for c in contacts], pressure):
        before, contact = contacts[i - 1], contacts[i]
        hours = (contact.at - before.at).total_seconds() / 3600
        yield _finding(
            code,
            contact,
            f"{who} gets two touches{where} {hours:g} hours apart "
            f"(at least {pressure.min_gap_hours:g})",
            [before, contact],
            pressure.why,
        )


def _same_day(contacts: Sequence[Contact], who: str) -> Iterator[Finding]:
    by_day: dict[object, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_day[contact.at.date()].append(contact)
    for day, same in by_day.items():
        if len(same) > 1:
            yield _finding("P104", same[1], f"{who} gets {len(same)} touches on {day}", same, "")


def _repeats(contacts: Sequence[Contact], who: str) -> Iterator[Finding]:
    by_campaign: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_campaign[contact.campaign].append(contact)
    for campaign, same in by_campaign.items():
        if len(same) >= REPEATS:
            yield _finding(
                "P105",
                same[REPEATS - 1],
                f"{who} gets the message of campaign '{campaign}' {len(same)} times",
                same,
                "",
            )


def _finding(
    code: str, contact: Contact, message: str, involved: Sequence[Contact], why: str
) -> Finding:
    touches = "; ".join(c.describe() for c in involved)
    hint = "spread the touches out, drop one, or target fewer personas"
    return finding(code, contact.where, f"{message}: {touches}", f"{why}; {hint}" if why else hint)
