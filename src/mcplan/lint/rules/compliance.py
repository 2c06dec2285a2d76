"""Send window and compliance (C): when, to whom, and with which mentions a channel may be used.

Times are read in each persona's time zone, daylight saving time included. The bundled `phone`
channel carries the French telemarketing window (weekdays 10:00–13:00 and 14:00–20:00) and
`sms` the usual Monday–Saturday 08:00–20:00; public holidays come from the `holidays` library,
for the persona's `country` (by default the region of its locale).

French law: commercial email and SMS to consumers need prior opt-in (CPCE art. L.34-5);
telephone canvassing of consumers too, since 11 August 2026.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mcplan import examples, patterns
from mcplan.findings import Finding, Level, Location, Related, Rule, Subject
from mcplan.lint.context import LintContext
from mcplan.render import Version
from mcplan.schedule.contacts import Contact
from mcplan.schedule.windows import holiday, in_window
from mcplan.workspace import Channel, Persona, Workspace

FAMILY = "compliance"

_MAY = "{headline: Les soldes, starts: 2027-05-01, ends: 2027-05-31}"


def _soldes(*touches: str, more: str = "") -> str:
    return examples.campaign(*touches, name="soldes", message=_MAY, more=more)


# Marie, having objected to SMS: a consumer needs an opt-in.
_OPTED_OUT = "\n# personas/marie.yaml\n" + examples.BASE["personas/marie.yaml"].replace(
    "sms: {reach: 0.7, affinity: 0.8, consent: opt_in}",
    "sms: {reach: 0.7, affinity: 0.8, consent: opt_out}",
)

SEND_WINDOW = Rule(
    "C101",
    "send-window",
    Level.ERROR,
    "A touch outside the channel's days and hours, in the persona's time zone.",
    hint="move the touch into the window",
    details='A range\'s end is excluded: with hours ["08:00", "20:00"], 19:59 passes and '
    "20:00 fails.",
    fails=_soldes("sms 2027-05-09T18:30 # a Sunday"),
    passes=_soldes("sms 2027-05-10T18:30 # a Monday"),
)
PUBLIC_HOLIDAY = Rule(
    "C102",
    "public-holiday",
    Level.ERROR,
    "A touch on a public holiday of the persona's country, where the channel forbids it.",
    hint="move the touch to a working day",
    details="The channel's window says `holidays: false`; the persona's country is its "
    "`country`, by default the region of its locale.",
    fails=_soldes("sms 2027-05-08T10:00 # Victoire 1945, in France"),
    passes=_soldes("sms 2027-05-07T10:00"),
)
CONSENT = Rule(
    "C103",
    "consent",
    Level.ERROR,
    "A channel used for a persona without the consent it needs in that market.",
    hint="record the consent in the persona file, or do not use this channel for these personas",
    details="The channel says what it needs per market (`consent: {b2c: opt_in}`), the "
    "persona's channel entry what it has (`consent: opt_in | opt_out | none`).",
    fails=_OPTED_OUT + _soldes("sms 2027-05-10T18:30"),
    passes=_soldes("sms 2027-05-10T18:30"),
)
MANDATORY_MENTION = Rule(
    "C104",
    "mandatory-mention",
    Level.ERROR,
    "A mention the channel requires (an opt-out, a notice) is missing from the text.",
    details="The channel's `must_contain` patterns, searched in the rendered or hand-written "
    'text, such as the SMS "STOP au 36xxx".',
    fails=_soldes("sms 2027-05-10T18:30", more='variants:\n  sms: "Les soldes sont là !"\n'),
    passes=_soldes(
        "sms 2027-05-10T18:30", more='variants:\n  sms: "Les soldes sont là ! STOP au 36111"\n'
    ),
)

RULES = (SEND_WINDOW, PUBLIC_HOLIDAY, CONSENT, MANDATORY_MENTION)


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from _windows(ctx)
    yield from _consent(ctx)
    for version in ctx.versions():
        yield from _mentions(ctx, version)


# -- when -----------------------------------------------------------------------------------


def _windows(ctx: LintContext) -> Iterator[Finding]:
    workspace = ctx.workspace
    by_touch: dict[tuple[str, int], list[Contact]] = defaultdict(list)
    for contact in ctx.contacts:
        by_touch[(contact.campaign, contact.touch)].append(contact)
    for (campaign, _), contacts in sorted(by_touch.items()):
        channel = workspace.channels.get(contacts[0].channel)
        if channel is None:
            continue
        window = channel.window
        rules = workspace.source("channel_rules", channel.id).locate(("window",), key=True)
        outside = [c for c in contacts if not in_window(window, c.at)]
        if outside:
            yield SEND_WINDOW(
                outside[0].where,
                f"{channel.id} touch outside its window ({window.days_text()} "
                f"{window.hours_text()}) for {_at_times(outside)}",
                hint=_reason(window.why, SEND_WINDOW.hint),
                related=[Related(rules, "the window"), *_zones(workspace, outside)],
                subject=_about(campaign, channel.id, outside),
            )
        if not window.holidays:
            on_holiday = [
                (c, name)
                for c in contacts
                if (name := holiday(workspace.personas[c.persona], c.at.date()))
            ]
            if on_holiday:
                names = ", ".join(f"'{c.persona}' ({name})" for c, name in on_holiday)
                involved = [c for c, _ in on_holiday]
                yield PUBLIC_HOLIDAY(
                    on_holiday[0][0].where,
                    f"{channel.id} touch on a public holiday for {names}",
                    hint=_reason(window.why, PUBLIC_HOLIDAY.hint),
                    related=[Related(rules, "the window"), *_zones(workspace, involved)],
                    subject=_about(campaign, channel.id, involved),
                )


def _at_times(contacts: list[Contact]) -> str:
    return ", ".join(f"'{c.persona}' at {c.at:%a %d %b %H:%M}" for c in contacts)


def _reason(why: str, hint: str) -> str:
    return f"{why}; {hint}" if why else hint


def _about(campaign: str, channel: str, contacts: list[Contact]) -> Subject:
    personas = {c.persona for c in contacts}
    persona = personas.pop() if len(personas) == 1 else None
    return Subject(campaign=campaign, channel=channel, persona=persona)


def _zones(workspace: Workspace, contacts: list[Contact]) -> Iterator[Related]:
    """The persona files whose time zone and country put the touches where they are."""
    for persona in sorted({c.persona for c in contacts}):
        where = workspace.source("personas", persona).locate(())
        yield Related(where, f"persona '{persona}'")


# -- who ------------------------------------------------------------------------------------


def _consent(ctx: LintContext) -> Iterator[Finding]:
    """On each touch that reaches a persona without the consent its channel needs; on the
    persona's channel entry when the campaign names the channel but has no touch on it yet
    (`mcplan plan` would propose one)."""
    workspace = ctx.workspace
    for campaign in workspace.campaigns.values():
        used = dict.fromkeys([*(campaign.channels or []), *(t.channel for t in campaign.touches)])
        source = workspace.source("campaigns", campaign.id)
        for channel_id in used:
            channel = workspace.channels.get(channel_id)
            if channel is None:
                continue
            named = Related(source.locate(campaign.channel_path(channel_id)), "the channel")
            touches = [i for i, t in enumerate(campaign.touches) if t.channel == channel_id]
            for i in touches:
                reached = workspace.targets(campaign, campaign.touches[i])
                lacking = [
                    p for p in reached if channel_id in p.channels and not _consents(p, channel)
                ]
                if lacking:
                    where = source.locate(("touches", i, "channel"))
                    yield _no_consent(ctx, campaign.id, channel, lacking, where, [])
            if not touches:
                reached = [
                    workspace.personas[p] for p in campaign.personas if p in workspace.personas
                ]
                for persona in reached:
                    if channel_id in persona.channels and not _consents(persona, channel):
                        entry = _entry(ctx, persona, channel_id)
                        yield _no_consent(ctx, campaign.id, channel, [persona], entry, [named])


def _entry(ctx: LintContext, persona: Persona, channel: str) -> Location:
    return ctx.workspace.source("personas", persona.id).locate(("channels", channel))


def _no_consent(
    ctx: LintContext,
    campaign: str,
    channel: Channel,
    lacking: list[Persona],
    where: Location,
    related: list[Related],
) -> Finding:
    needed = ", ".join(
        f"'{p.id}' ({p.market.value}) has {p.channels[channel.id].consent.value}, "
        f"needs {getattr(channel.consent, p.market.value).value}"
        for p in lacking
    )
    entries = [
        Related(_entry(ctx, p, channel.id), f"the {channel.id} entry of persona '{p.id}'")
        for p in lacking
        if _entry(ctx, p, channel.id) != where
    ]
    return CONSENT(
        where,
        f"{channel.id} used{f' by campaign {campaign!r}' if related else ''} without the consent "
        f"it needs: {needed}",
        related=[*entries, *related],
        subject=Subject(
            campaign=campaign,
            channel=channel.id,
            persona=lacking[0].id if len(lacking) == 1 else None,
        ),
    )


def _consents(persona: Persona, channel: Channel) -> bool:
    needed = getattr(channel.consent, persona.market.value)
    return persona.channels[channel.id].consent.satisfies(needed)


# -- what -----------------------------------------------------------------------------------


def _mentions(ctx: LintContext, version: Version) -> Iterator[Finding]:
    channel = ctx.workspace.channels[version.channel]
    source = ctx.workspace.source("channel_rules", channel.id)
    texts = {p.name: p.text for p in version.parts}
    known = channel.mentions(version.locale)
    if known is None:
        yield MANDATORY_MENTION(
            version.where(),
            f"{version.channel}: no mandatory mention is known in {version.locale}, and the "
            "channel has some in its other languages",
            hint=f"give the channel its mentions in that language: `locales: "
            f"{{{version.locale.split('-')[0]}: {{must_contain: [...]}}}}` in "
            f"channel_rules/{channel.id}.yaml (with `extends: {channel.id}`)",
            related=[Related(source.locate(("must_contain",)), "its mentions")],
            subject=version.subject(),
        )
        return
    path, mentions = known
    for index, mention in enumerate(mentions):
        part = mention.part if mention.part in texts else None
        searched = [texts[part]] if part else list(texts.values())
        if not any(patterns.search(mention.pattern, t, mention.ignore_case) for t in searched):
            where = part or version.main
            rule = source.locate((*path, index))
            yield MANDATORY_MENTION(
                version.where(where),
                f"{version.channel} {where}: missing the mandatory mention /{mention.pattern}/",
                hint=mention.why,
                related=[Related(rule, "the mention the channel requires")],
                subject=version.subject(where),
            )
