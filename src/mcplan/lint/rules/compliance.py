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

from mcplan import rule_examples
from mcplan.findings import Family, Finding, Level, Location, Related, Rule, Subject
from mcplan.lint import mandatory_mentions
from mcplan.lint.context import LintContext
from mcplan.schedule.contacts import Contact
from mcplan.schedule.windows import holiday, in_window
from mcplan.workspace import Channel, Persona, Workspace
from mcplan.workspace.countries import ChannelLaw, bundled_countries, country_of
from mcplan.workspace.fields import Window

_MAY = "{headline: Les soldes, starts: 2027-05-01, ends: 2027-05-31}"


def _soldes(*touches: str, more: str = "") -> str:
    return rule_examples.campaign(*touches, name="soldes", message=_MAY, more=more)


# Marie, having objected to SMS: a consumer needs an opt-in.
_OPTED_OUT = "\n# personas/marie.yaml\n" + rule_examples.BASE["personas/marie.yaml"].replace(
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
    "A mention the channel requires (an opt-out, a notice) is missing from the text, or not "
    "in its readers' language.",
    details="The channel's `must_contain` patterns in the text's language, and those of the "
    "persona's country's law, searched in the rendered or hand-written text, such as the "
    'French SMS "STOP au 36xxx". A mention must be in the readers\' language: "Reply STOP to '
    'opt out" in an Italian SMS is none. Its sentence (three words will do) tells its '
    "language, else the whole text when the sentence is too short to tell.",
    fails=_soldes("sms 2027-05-10T18:30", more='variants:\n  sms: "Les soldes sont là !"\n'),
    passes=_soldes(
        "sms 2027-05-10T18:30", more='variants:\n  sms: "Les soldes sont là ! STOP au 36111"\n'
    ),
)

_LISBOA = """
# personas/lisboa.yaml
market: b2c
size: 1000
stage: loyalty
locale: pt-PT
channels:
  email: {reach: 0.9, affinity: 0.6, consent: opt_in}
"""
NO_COUNTRY_RULES = Rule(
    "C105",
    "no-country-rules",
    Level.INFO,
    "A persona in a country mcplan has no rules for: the channels' generic rules apply.",
    hint="check that country's law for each channel it uses, and write what differs in the "
    "workspace's channel files (consent, window, pressure, must_contain)",
    details="mcplan ships the law of France, Belgium, Luxembourg, Switzerland, Germany, the "
    "United Kingdom, Ireland, Spain and Italy (docs/countries.md). Elsewhere the channels' "
    "generic rules apply: the ePrivacy Directive's baseline and mcplan's judgement.",
    fails=_LISBOA,
    passes=_LISBOA.replace("pt-PT", "es-ES"),
)

RULES = (SEND_WINDOW, PUBLIC_HOLIDAY, CONSENT, MANDATORY_MENTION, NO_COUNTRY_RULES)


def check(ctx: LintContext) -> Iterator[Finding]:
    yield from _windows(ctx)
    yield from _consent(ctx)
    yield from _countries(ctx.workspace)


def check_campaign(ctx: LintContext, campaign: str) -> Iterator[Finding]:
    rendering = ctx.rendering(campaign)
    for version in rendering.versions:
        brand = rendering.campaign_of(version).brand
        yield from mandatory_mentions.missing_or_foreign(
            MANDATORY_MENTION, ctx.workspace, version, brand
        )


FAMILY = Family(
    "C",
    "compliance",
    "when, to whom and with which mentions a channel may be used, under each country's law",
    __doc__ or "",
    RULES,
    check=check,
    check_campaign=check_campaign,
)


def _countries(workspace: Workspace) -> Iterator[Finding]:
    """Once per persona whose country has no bundled rules."""
    for persona in workspace.personas.values():
        country = country_of(persona)
        if country is None or country in bundled_countries():
            continue
        source = workspace.source("personas", persona.id)
        key = "country" if ("country",) in source.values else "locale"
        where = source.locate((key,)) if (key,) in source.values else source.locate(())
        yield NO_COUNTRY_RULES(
            where,
            f"persona '{persona.id}' is in {_country_name(country)}, whose law mcplan does "
            "not know: the channels' generic rules apply",
            subject=Subject(persona=persona.id),
        )


def _country_name(code: str) -> str:
    from babel import Locale

    name = Locale("en").territories.get(code)
    return f"{name} ({code})" if name else code


# -- when -----------------------------------------------------------------------------------


def _windows(ctx: LintContext) -> Iterator[Finding]:
    workspace = ctx.workspace
    by_touch: dict[tuple[str, int], list[Contact]] = defaultdict(list)
    for contact in ctx.contacts:
        by_touch[(contact.campaign, contact.touch)].append(contact)
    for (campaign, _), everyone in sorted(by_touch.items()):
        if everyone[0].channel not in workspace.channels:
            continue
        yield from _window(workspace, campaign, everyone)


def _window(workspace: Workspace, campaign: str, everyone: list[Contact]) -> Iterator[Finding]:
    """The findings of one touch: its contacts are grouped by the window of their country."""
    channel = workspace.channels[everyone[0].channel]
    channel_id = channel.id
    generic = workspace.source("channel_rules", channel_id)
    groups: dict[Location, tuple[Window, list[Contact]]] = {}
    for contact in everyone:
        found = workspace.law(channel_id, workspace.personas[contact.persona])
        place = found.place("window", generic)
        groups.setdefault(place, (found.channel.window, []))[1].append(contact)
    for rules, (window, contacts) in groups.items():
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
        used = campaign.named_channels
        source = workspace.source(campaign.FOLDER, campaign.id)
        for channel_id in used:
            channel = workspace.channels.get(channel_id)
            if channel is None:
                continue
            named = Related(source.locate(campaign.channel_path(channel_id)), "the channel")
            touches = [i for i, t in enumerate(campaign.touches) if t.channel == channel_id]
            for i in touches:
                reached = workspace.targets(campaign, campaign.touches[i])
                lacking = [
                    p
                    for p in reached
                    if channel_id in p.channels and not _consents(workspace, p, channel_id)
                ]
                if lacking:
                    where = source.locate(("touches", i, "channel"))
                    yield _no_consent(ctx, campaign.id, channel, lacking, where, [])
            if not touches:
                reached = [
                    workspace.personas[p] for p in campaign.personas if p in workspace.personas
                ]
                for persona in reached:
                    if channel_id in persona.channels and not _consents(
                        workspace, persona, channel_id
                    ):
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
    workspace = ctx.workspace
    generic = workspace.source("channel_rules", channel.id)
    law = {p.id: workspace.law(channel.id, p) for p in lacking}
    needed = ", ".join(
        f"'{p.id}' ({p.market.value}{_in(law[p.id])}) has "
        f"{p.channels[channel.id].consent.value}, needs "
        f"{getattr(law[p.id].channel.consent, p.market.value).value}"
        for p in lacking
    )
    entries = [
        Related(_entry(ctx, p, channel.id), f"the {channel.id} entry of persona '{p.id}'")
        for p in lacking
        if _entry(ctx, p, channel.id) != where
    ]
    laws = {r.place("consent", generic): r.channel.consent.why for r in law.values()}
    return CONSENT(
        where,
        f"{channel.id} used{f' by campaign {campaign!r}' if related else ''} without the consent "
        f"it needs: {needed}",
        hint=_reason("; ".join(dict.fromkeys(w for w in laws.values() if w)), CONSENT.hint),
        related=[*entries, *related, *(Related(at, "the consent it needs") for at in laws)],
        subject=Subject(
            campaign=campaign,
            channel=channel.id,
            persona=lacking[0].id if len(lacking) == 1 else None,
        ),
    )


def _consents(workspace: Workspace, persona: Persona, channel_id: str) -> bool:
    return workspace.consents(persona, channel_id)


def _in(law: ChannelLaw) -> str:
    """`` in Germany``: the country whose law applies, if mcplan knows it."""
    return f" in {law.country.law.name}" if law.country else ""
