"""Send window and compliance (C101–C104).

- **C101 send-window**: a touch outside its channel's days and hours (`window`), read in each
  persona's time zone, daylight saving time included. A range's end is excluded: with
  hours `["08:00", "20:00"]`, 19:59 passes and 20:00 fails. The bundled `phone` channel
  carries the French telemarketing window (weekdays 10:00–13:00 and 14:00–20:00) and `sms`
  the usual Monday–Saturday 08:00–20:00.
- **C102 public-holiday**: a touch on a public holiday of the persona's country (`country`,
  by default the locale's region), where the channel's window says `holidays: false`.
  Holidays come from the `holidays` library.
- **C103 consent**: a channel used for a persona that lacks the consent the channel needs in
  the persona's market (`consent: {b2c: opt_in}` on the channel, `consent: opt_in` on the
  persona's channel entry). French law: commercial email and SMS to consumers need prior
  opt-in (CPCE art. L.34-5); telephone canvassing of consumers too, since 11 August 2026.
- **C104 mandatory-mention**: a rendered or hand-written text without a mention its channel
  requires (`must_contain`), such as an SMS without "STOP au 36xxx".

Passes: an SMS at Monday 18:30 Paris time. Fails: the same SMS on a Sunday, on 1 May, or to
a consumer whose `sms` entry says `consent: opt_out`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator

from mcplan.findings import Finding
from mcplan.lint.context import LintContext, campaign_channel_path
from mcplan.render.engine import Version
from mcplan.render.measure import main_part
from mcplan.rules import finding
from mcplan.schedule.contacts import Contact
from mcplan.schedule.windows import holiday, in_window
from mcplan.workspace import Channel, Persona

CODES = ("C101", "C102", "C103", "C104")


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from _windows(ctx)
    yield from _consent(ctx)
    for rendering in ctx.renderings.values():
        for version in rendering.versions:
            yield from _mentions(ctx, version)


# -- when -----------------------------------------------------------------------------------


def _windows(ctx: LintContext) -> Iterator[Finding]:
    workspace = ctx.workspace
    by_touch: dict[tuple[str, int], list[Contact]] = defaultdict(list)
    for contact in ctx.contacts:
        by_touch[(contact.campaign, contact.touch)].append(contact)
    for (_, _), contacts in sorted(by_touch.items()):
        channel = workspace.channels.get(contacts[0].channel)
        if channel is None:
            continue
        window = channel.window
        outside = [c for c in contacts if not in_window(window, c.at)]
        if outside:
            yield finding(
                "C101",
                outside[0].where,
                f"{channel.id} touch outside its window ({window.days_text()} "
                f"{window.hours_text()}) for {_at_times(outside)}",
                _reason(window.why, "move the touch into the window"),
            )
        if not window.holidays:
            on_holiday = [
                (c, name)
                for c in contacts
                if (name := holiday(workspace.personas[c.persona], c.at.date()))
            ]
            if on_holiday:
                names = ", ".join(f"'{c.persona}' ({name})" for c, name in on_holiday)
                yield finding(
                    "C102",
                    on_holiday[0][0].where,
                    f"{channel.id} touch on a public holiday for {names}",
                    _reason(window.why, "move the touch to a working day"),
                )


def _at_times(contacts: list[Contact]) -> str:
    return ", ".join(f"'{c.persona}' at {c.at:%a %d %b %H:%M}" for c in contacts)


def _reason(why: str, hint: str) -> str:
    return f"{why}; {hint}" if why else hint


# -- who ------------------------------------------------------------------------------------


def _consent(ctx: LintContext) -> Iterator[Finding]:
    workspace = ctx.workspace
    for campaign in workspace.campaigns.values():
        used = dict.fromkeys([*(campaign.channels or []), *(t.channel for t in campaign.touches)])
        source = workspace.source("campaigns", campaign.id)
        for channel_id in used:
            channel = workspace.channels.get(channel_id)
            if channel is None:
                continue
            reached = [workspace.personas[p] for p in campaign.personas if p in workspace.personas]
            lacking = [p for p in reached if channel_id in p.channels and not _consents(p, channel)]
            if lacking:
                needed = ", ".join(
                    f"'{p.id}' ({p.market.value}) has {p.channels[channel_id].consent.value}, "
                    f"needs {getattr(channel.consent, p.market.value).value}"
                    for p in lacking
                )
                yield finding(
                    "C103",
                    source.locate(campaign_channel_path(campaign, channel_id)),
                    f"{channel_id} used without the consent it needs: {needed}",
                    "record the consent in the persona file, or do not use this channel for "
                    "these personas",
                )


def _consents(persona: Persona, channel: Channel) -> bool:
    needed = getattr(channel.consent, persona.market.value)
    return persona.channels[channel.id].consent.satisfies(needed)


# -- what -----------------------------------------------------------------------------------


def _mentions(ctx: LintContext, version: Version) -> Iterator[Finding]:
    channel = ctx.workspace.channels[version.channel]
    texts = {p.name: p.text for p in version.parts}
    for mention in channel.must_contain:
        flags = re.IGNORECASE if mention.ignore_case else 0
        part = mention.part if mention.part in texts else None
        searched = [texts[part]] if part else list(texts.values())
        if not any(re.search(mention.pattern, text, flags) for text in searched):
            where = part or main_part(list(texts))
            yield finding(
                "C104",
                ctx.text_location(version, where),
                f"{version.channel} {where}: missing the mandatory mention /{mention.pattern}/",
                mention.why,
            )
