"""Contact pressure (P): don't flood.

Counted per persona across every channel and every campaign of the workspace, because a
person does not care which campaign an SMS came from. Only outbound (direct) channels count:
an Instagram post or a web banner does not reach out to anyone.

Each finding is reported on the touch that goes over; every other touch involved, and the line
of the cap (in the persona file, the settings or the channel file), are its related
locations, so that a change to any of them brings the finding up.

A journey's own paths are checked alone too (P106): what one entrant's sends break by
themselves, at the smallest gaps the waits allow (`schedule.journeys`). A touch far from a
persona's learned send time is said too (P108, `lint.send_times`).
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence

from mcplan import rule_examples
from mcplan.findings import Family, Finding, Level, Related, Rule, Subject
from mcplan.lint import send_times
from mcplan.lint.context import LintContext
from mcplan.numbers import number, plural
from mcplan.schedule.caps import elapsed, over_caps, too_close
from mcplan.schedule.contacts import Contact, outbound
from mcplan.schedule.journeys import Collision, KnownCaps, collisions
from mcplan.schedule.journeys import paths as journey_paths
from mcplan.workspace import Pressure, Workspace
from mcplan.workspace.countries import ChannelLaw
from mcplan.workspace.journey import OnCap
from mcplan.workspace.sourcemap import KeyPath, SourceMap

REPEATS = 3  # the same message this many times to one persona is one too many
_HINT = "spread the touches out, drop one, or target fewer personas"

_PERSONA = """
# personas/marie.yaml
market: b2c
size: 1000
stage: loyalty
channels:
  email: {reach: 0.9, affinity: 0.6, consent: opt_in}
  sms: {reach: 0.7, affinity: 0.8, consent: opt_in}
  phone: {reach: 0.5, affinity: 0.3, consent: opt_in}
pressure: {max_per_week: 3}
"""


_MARCH = "{headline: Les soldes, starts: 2027-03-01, ends: 2027-03-31}"


def _campaign(name: str, *touches: str) -> str:
    return rule_examples.campaign(*touches, name=name, message=_MARCH)


PERSONA_PRESSURE = Rule(
    "P101",
    "persona-pressure",
    Level.ERROR,
    "More touches to a persona in a rolling day, 7 days or 30 days than its cap.",
    hint=_HINT,
    details="The caps are the persona's `pressure`, else the workspace's (default: 3 in any 7 "
    "days), counted across every campaign, in calendar days of the persona's time zone: a "
    "window is a touch's day and the 6 (or 29) days before it.",
    fails=_PERSONA
    + _campaign("soldes", "email 2027-03-01T10:00", "sms 2027-03-03T10:00")
    + _campaign("printemps", "email 2027-03-04T10:00", "sms 2027-03-06T10:00"),
    passes=_PERSONA
    + _campaign("soldes", "email 2027-03-01T10:00", "sms 2027-03-03T10:00")
    + _campaign("printemps", "email 2027-03-04T10:00", "sms 2027-03-08T10:00"),
)
CHANNEL_PRESSURE = Rule(
    "P102",
    "channel-pressure",
    Level.ERROR,
    "More touches to a persona on one channel than the channel's own cap.",
    hint=_HINT,
    details="The bundled `phone` channel allows at most 4 calls in 30 days, as French law does.",
    fails=_PERSONA.replace("max_per_week: 3", "max_per_week: 5")
    + _campaign("relance", *(f"phone 2027-03-{d:02d}T11:00" for d in (1, 8, 15, 22, 29))),
    passes=_PERSONA.replace("max_per_week: 3", "max_per_week: 5")
    + _campaign("relance", *(f"phone 2027-03-{d:02d}T11:00" for d in (1, 8, 15, 22))),
)
MIN_GAP = Rule(
    "P103",
    "min-gap",
    Level.ERROR,
    "Two touches to a persona closer than the gap required.",
    hint=_HINT,
    details="The `min_gap_hours` of a channel counts between two touches on it; the persona's "
    "between any two. Hours are elapsed time: the night clocks change is 23 or 25 hours long.",
    fails=_PERSONA.replace("max_per_week: 3", "max_per_week: 3, min_gap_hours: 48")
    + _campaign("soldes", "email 2027-03-01T10:00", "sms 2027-03-02T18:00"),
    passes=_PERSONA.replace("max_per_week: 3", "max_per_week: 3, min_gap_hours: 48")
    + _campaign("soldes", "email 2027-03-01T10:00", "sms 2027-03-03T18:00"),
)
SAME_DAY = Rule(
    "P104",
    "same-day",
    Level.WARNING,
    "Several touches to a persona on the same day.",
    hint=_HINT,
    fails=_PERSONA + _campaign("soldes", "email 2027-03-01T09:00", "sms 2027-03-01T18:00"),
    passes=_PERSONA + _campaign("soldes", "email 2027-03-01T09:00", "sms 2027-03-02T18:00"),
)
REPEATED_MESSAGE = Rule(
    "P105",
    "repeated-message",
    Level.WARNING,
    "One campaign's message reaches a persona 3 times or more.",
    hint=_HINT,
    details='"A prospect touched three times with the same message will not buy three times."',
    fails=_PERSONA
    + _campaign(
        "soldes", "email 2027-03-01T10:00", "sms 2027-03-08T10:00", "email 2027-03-15T10:00"
    ),
    passes=_PERSONA
    + _campaign("soldes", "email 2027-03-01T10:00", "sms 2027-03-08T10:00")
    + _campaign("printemps", "email 2027-03-15T10:00"),
)

JOURNEY_PRESSURE = Rule(
    "P106",
    "journey-pressure",
    Level.ERROR,
    "One entrant's own path through a journey breaks a cap of the persona or the channel.",
    hint="wait longer between the two steps, or send one of them on another channel",
    details="Each path through the journey (an arm of each branch, or past it) is checked "
    "alone, at the smallest offsets its waits allow: a window or an `at` only ever sends "
    "later. The caps are those campaigns' touches are checked with (P101, P102, P103); a "
    "journey of two e-mails 6 hours apart breaks the e-mail's `min_gap_hours` by itself.",
    fails=rule_examples.journey(
        "{id: hello, send: email}", "{wait: 6h}", "{id: reminder, send: email}"
    ),
    passes=rule_examples.journey(
        "{id: hello, send: email}", "{wait: 2d}", "{id: reminder, send: email}"
    ),
)

JOURNEY_CAMPAIGN_PRESSURE = Rule(
    "P107",
    "journey-campaign-pressure",
    Level.ERROR,
    "A journey the platform applies no caps to (`on_cap: send`) breaks a cap together with "
    "the campaigns' touches or another journey's sends.",
    hint="let the platform hold or skip such sends (`on_cap: hold`), wait longer before the "
    "step, or move the campaign's touch",
    details="Each send is placed as the platform would, for entrants at every hour (after its "
    "waits, at the first moment its channel's window, the persona's holidays or its `at` "
    "allow), and counted with the campaigns' touches and the entrant's earlier sends; the "
    "finding names the days and about how many entrants a week break the cap. Another "
    "journey's sends are not dated: one comes in a cap's span with the chance its sends a week "
    "on the persona ÷ its size × the span in weeks. With `on_cap: hold` or `skip` the platform "
    "keeps the caps: no finding. A same-day overlap that breaks no cap is no finding.",
    fails=rule_examples.journey("{id: hello, send: email}", more="on_cap: send\n")
    + rule_examples.campaign("email 2027-12-03T10:00"),
    passes=rule_examples.journey("{id: hello, send: email}", more="on_cap: hold\n")
    + rule_examples.campaign("email 2027-12-03T10:00"),
)

RULES = (PERSONA_PRESSURE, CHANNEL_PRESSURE, MIN_GAP, SAME_DAY, REPEATED_MESSAGE,
         JOURNEY_PRESSURE, JOURNEY_CAMPAIGN_PRESSURE, send_times.FAR_FROM_SEND_TIME)  # fmt: skip


def check(ctx: LintContext) -> Iterator[Finding]:
    workspace = ctx.workspace
    counted = outbound(workspace)
    by_persona: dict[str, list[Contact]] = defaultdict(list)
    for contact in ctx.contacts:
        if contact.channel in counted:
            by_persona[contact.persona].append(contact)
    for persona_id, contacts in by_persona.items():
        yield from (_with_persona(f, workspace, persona_id) for f in _persona(workspace, contacts))
    known = KnownCaps(workspace)
    sending = {}  # the paths of the journeys P107 checks too, with their shares
    for journey in workspace.journeys.values():
        ways = journey_paths(journey, shares=journey.on_cap is OnCap.SEND)
        if journey.on_cap is OnCap.SEND:
            sending[journey.id] = ways
        for collision in collisions(workspace, ways, known):
            yield _journey_finding(workspace, journey.id, collision)
    if sending:
        from mcplan.lint import journey_cross  # the forecast, for journeys that need it

        def caps(persona: str, channel: str | None, key: str) -> _Caps:
            return _caps_of(workspace, persona, channel, key)

        yield from journey_cross.findings(ctx, JOURNEY_CAMPAIGN_PRESSURE, caps, known, sending)
    yield from send_times.check(ctx)  # P108: touches far from a learned send time


FAMILY = Family(
    "P",
    "pressure",
    "how often each persona is reached, across every outbound channel and campaign",
    __doc__ or "",
    RULES,
    check=check,
)


def _persona(workspace: Workspace, contacts: list[Contact]) -> Iterator[Finding]:
    """The pressure findings of one persona's contacts."""
    persona_id = contacts[0].persona
    persona = workspace.personas[persona_id]
    if persona.pressure is not None:
        mine = _persona_caps(workspace, persona_id)
        yield from _caps(contacts, persona.pressure, mine)
        yield from _gaps(contacts, persona.pressure, mine)
    by_channel: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_channel[contact.channel].append(contact)
    for channel_id, on_channel in by_channel.items():
        law = workspace.law(channel_id, persona)  # the channel under the persona's country's law
        pressure = law.channel.pressure
        theirs = _channel_caps(workspace, persona_id, law)
        yield from _caps(on_channel, pressure, theirs)
        yield from _gaps(on_channel, pressure, theirs)
    yield from _same_day(contacts)
    yield from _repeats(contacts)


def _with_persona(finding: Finding, workspace: Workspace, persona_id: str) -> Finding:
    """The finding, with the persona's file among the places involved: its time zone says
    when each touch lands (a pre-commit run on the persona file alone reports it)."""
    source = workspace.source("personas", persona_id)
    if any(r.location.file == source.file for r in finding.related):
        return finding
    if ("timezone",) in source.values:
        place = Related(source.values[("timezone",)], f"persona '{persona_id}': its time zone")
    else:
        place = Related(source.locate(()), f"persona '{persona_id}'")
    return dataclasses.replace(finding, related=(*finding.related, place))


# Whose caps touches are counted against: for a cap's key, (who, " on <channel>" or "", the
# places that set the cap: the persona, and where the cap is written).
Who = Callable[[str], tuple[str, str, list[Related]]]


def _persona_caps(workspace: Workspace, persona_id: str) -> Who:
    """A persona's caps: in its file, else in the settings, else the built-in default."""
    mine = workspace.source("personas", persona_id)

    def who(key: str) -> tuple[str, str, list[Related]]:
        own = _written(mine, key)
        places = [own or Related(mine.locate(()), f"persona '{persona_id}'")]
        if own is None and (settings := _written(workspace.settings_source, key)):
            places.append(settings)
        return f"persona '{persona_id}'", "", places

    return who


def _channel_caps(workspace: Workspace, persona_id: str, law: ChannelLaw) -> Who:
    """A channel's own caps (its country's, where its law sets them), counted per persona."""
    channel_id = law.channel.id
    country, path = law.path("pressure")
    source = country or workspace.source("channel_rules", channel_id)

    def who(key: str) -> tuple[str, str, list[Related]]:
        cap = _written(source, key, path)
        return f"persona '{persona_id}'", f" on {channel_id}", [cap] if cap else []

    return who


def _written(
    source: SourceMap | None, key: str, pressure: KeyPath = ("pressure",)
) -> Related | None:
    path = (*pressure, key)
    if source is None or path not in source.values:
        return None
    return Related(source.values[path], f"the cap: {key}")


def _caps(contacts: Sequence[Contact], pressure: Pressure, who: Who) -> Iterator[Finding]:
    for i, first, key, words, cap in over_caps([c.at for c in contacts], pressure):
        persona, on, written = who(key)
        involved = contacts[first : i + 1]
        rule = PERSONA_PRESSURE if not on else CHANNEL_PRESSURE
        message = f"{persona} gets {len(involved)} touches{on} in {words} (at most {cap})"
        yield _finding(rule, contacts[i], message, involved, written, pressure.why)


def _gaps(contacts: Sequence[Contact], pressure: Pressure, who: Who) -> Iterator[Finding]:
    for i in too_close([c.at for c in contacts], pressure):
        persona, on, written = who("min_gap_hours")
        before, contact = contacts[i - 1], contacts[i]
        hours = elapsed(before.at, contact.at).total_seconds() / 3600
        message = (
            f"{persona} gets two touches{on} {plural(hours, 'hour')} apart "
            f"(at least {number(pressure.min_gap_hours or 0)})"
        )
        yield _finding(MIN_GAP, contact, message, [before, contact], written, pressure.why)


def _same_day(contacts: Sequence[Contact]) -> Iterator[Finding]:
    by_day: dict[object, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_day[contact.at.date()].append(contact)
    for day, same in by_day.items():
        if len(same) > 1:
            message = f"persona '{same[0].persona}' gets {len(same)} touches on {day}"
            yield _finding(SAME_DAY, same[1], message, same, [], "")


def _repeats(contacts: Sequence[Contact]) -> Iterator[Finding]:
    by_campaign: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_campaign[contact.campaign].append(contact)
    for campaign, same in by_campaign.items():
        if len(same) >= REPEATS:
            message = (
                f"persona '{same[0].persona}' gets the message of campaign '{campaign}' "
                f"{len(same)} times"
            )
            yield _finding(REPEATED_MESSAGE, same[REPEATS - 1], message, same, [], "")


def _finding(
    rule: Rule,
    contact: Contact,
    message: str,
    involved: Sequence[Contact],
    caps: list[Related],
    why: str,
) -> Finding:
    related = [Related(c.where, c.describe()) for c in involved if c is not contact]
    return rule(
        contact.where,
        message,
        hint=f"{why}; {_HINT}" if why else _HINT,
        related=[*related, *caps],
        subject=Subject(
            campaign=contact.campaign, channel=contact.channel, persona=contact.persona
        ),
    )


def _journey_finding(workspace: Workspace, journey_id: str, collision: Collision) -> Finding:
    """A cap one entrant's path breaks: at the send that goes over, the step it collides with
    (and every other step it counts with, and the cap) as related locations."""
    source = workspace.source("journeys", journey_id)
    sent, first = collision.sent, collision.first
    named, on, written, pressure = _caps_of(
        workspace, collision.persona, collision.channel, collision.key
    )
    steps = " → ".join(f"'{s.step.id}'" for s in collision.path.sends if s in collision.involved)
    apart = f"{plural(collision.hours, 'hour')} apart on the path {steps}"
    if collision.key == "min_gap_hours":
        pair = (
            f"{sent.step.send} '{first.step.id}' and '{sent.step.id}'"
            if on
            else f"{first.step.send} '{first.step.id}' and {sent.step.send} '{sent.step.id}'"
        )
        message = (
            f"{pair} are {apart}: {named} needs at least "
            f"{plural(collision.cap, 'hour')} between two touches{on}"
        )
    else:
        message = (
            f"{len(collision.involved)} touches{on} from '{first.step.id}' to "
            f"'{sent.step.id}', {apart}: {named} gets at most {number(collision.cap)} in "
            f"{collision.words}"
        )
    related = [Related(source.locate((*first.where, "send")), f"step '{first.step.id}': collides")]
    related += [
        Related(source.locate((*s.where, "send")), f"step '{s.step.id}': counted with it")
        for s in collision.involved
        if s is not first and s is not sent
    ]
    why = pressure.why if pressure is not None else ""
    return JOURNEY_PRESSURE(
        source.locate((*sent.where, "send")),
        message,
        hint=f"{why}; {JOURNEY_PRESSURE.hint}" if why else JOURNEY_PRESSURE.hint,
        related=[*related, *written],
        subject=Subject(journey=journey_id, channel=sent.step.send, persona=collision.persona),
    )


_Caps = tuple[str, str, list[Related], Pressure | None]


def _caps_of(workspace: Workspace, persona_id: str, channel: str | None, key: str) -> _Caps:
    """Whose cap ``key`` is (a persona's own, ``channel`` None, or a channel's for it): who,
    " on <channel>" or "", where it is written, and the caps."""
    persona = workspace.personas[persona_id]
    if channel is None:
        who, pressure = _persona_caps(workspace, persona_id), persona.pressure
    else:
        law = workspace.law(channel, persona)
        who, pressure = _channel_caps(workspace, persona_id, law), law.channel.pressure
    return (*who(key), pressure)
