"""Cross-reference checks: every id one file names exists, and fits where it is used.

The second half of the structure family (S301, S303–S306, S308; see `structure`): loading
found what is wrong inside each file, these find what is wrong between files.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from mcplan.findings import NOTHING, Finding, Location, Related, Subject
from mcplan.suggest import closest, did_you_mean
from mcplan.workspace.campaign import Campaign, Message
from mcplan.workspace.channel import Channel
from mcplan.workspace.library import BUNDLED_CURRENCY, BUNDLED_PREFIX, EURO_RATES
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.markets import assumed_region, region_names, regions
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import unknown_reference
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import (
    ASSUMED_REGION,
    CHANNEL_NOT_USED_BY_PERSONA,
    CLOCK_CHANGE,
    FOREIGN_COSTS,
    NOT_IN_CAMPAIGN,
    ORPHAN_FOLLOW_UP,
    OUTSIDE_DATES,
    TEST_DESIGN,
    UNKNOWN_KEY,
    UNKNOWN_PART,
    UNUSED_CHANNEL,
)


def check_references(workspace: Workspace) -> list[Finding]:
    """Every cross-reference finding of ``workspace``, sorted."""
    findings: list[Finding] = list(_check_currency(workspace))
    findings.extend(_check_regions(workspace))
    for persona in workspace.personas.values():
        findings.extend(_check_persona(workspace, persona))
    for campaign in workspace.campaigns.values():
        findings.extend(_check_campaign(workspace, campaign))
        findings.extend(_check_parts(workspace, campaign))
        findings.extend(_check_tests(workspace, campaign))
    for channel in workspace.channels.values():
        if workspace.origin(channel.id) != "bundled":
            findings.extend(_check_mentions(workspace, channel))
    return sorted(findings)


def _check_regions(workspace: Workspace) -> Iterator[Finding]:
    """Once per place a country is written (or implied by a locale) without the region whose
    holidays mcplan then assumes (``GB``: England's), with the personas it applies to."""
    places: dict[tuple[Location, str, str], list[str]] = {}
    for persona in workspace.personas.values():
        assumed = assumed_region(persona.country or "")
        if assumed is None or ("personas", persona.id) in workspace.failed:
            continue  # a file with errors: its country may be one that could not be read
        at, written = _country_written(workspace, persona)
        places.setdefault((at, written, assumed), []).append(persona.id)
    for (at, written, assumed), ids in sorted(places.items()):
        country = assumed.partition("-")[0]
        names = region_names(country)
        options = [f"{code} ({names[code]})" if code in names else code for code in
                   sorted(regions(country), key=lambda c: (c != assumed, c))]  # fmt: skip
        yield ASSUMED_REGION(
            at,
            f"{written}: {_names(ids)} {'is' if len(ids) == 1 else 'are'} in {_place(country)} "
            f"without a region: the public holidays of {names.get(assumed, assumed)} apply "
            f"(did you mean {', '.join(options[:-1])} or {options[-1]}?)",
            subject=Subject(persona=ids[0]) if len(ids) == 1 else NOTHING,
        )


def _country_written(workspace: Workspace, persona: Persona) -> tuple[Location, str]:
    """Where the persona's country comes from, and what is written there: its own `country`,
    the workspace's, its own locale's region or the workspace's locale's."""
    own = workspace.source("personas", persona.id)
    settings = workspace.settings_source
    places: list[tuple[SourceMap | None, str]] = [(own, "country")]
    if persona.country == workspace.settings.country:
        places.append((settings, "country"))
    places += [(own, "locale"), (settings, "locale")]
    for where, key in places:
        if where is not None and (key,) in where.values:
            value = persona.country if key == "country" else persona.locale
            return where.locate((key,)), f"{key}: {value}"
    return own.locate(()), f"locale: {persona.locale}"


def _place(country: str) -> str:
    """``the United Kingdom``, as English says it."""
    from babel import Locale

    name = Locale("en").territories.get(country, country)
    return f"the {name}" if name.startswith("United") else name


def _check_persona(workspace: Workspace, persona: Persona) -> Iterator[Finding]:
    source = workspace.source("personas", persona.id)
    about = Subject(persona=persona.id)
    for channel_id in persona.channels:
        path = ("channels", channel_id)
        yield from _unknown(source, path, "channel", channel_id, workspace, about, key=True)


def _check_campaign(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    source = workspace.source("campaigns", campaign.id)
    about = Subject(campaign=campaign.id)
    yield from _check_message_keys(source, campaign.message, about)
    for i, persona_id in enumerate(campaign.personas):
        yield from _unknown(source, ("personas", i), "persona", persona_id, workspace, about)
    personas = [workspace.personas[p] for p in campaign.personas if p in workspace.personas]
    # A persona that could not be read may use any channel: say nothing of what it would use.
    unread = any(("personas", p) in workspace.failed for p in campaign.personas)
    for i, channel_id in enumerate(campaign.channels or []):
        on_channel = Subject(campaign=campaign.id, channel=channel_id)
        path: KeyPath = ("channels", i)
        yield from _unknown(source, path, "channel", channel_id, workspace, on_channel)
        known = workspace.exists("channel_rules", channel_id)
        unused = not any(channel_id in p.channels for p in personas)
        if known and personas and unused and not unread:
            yield UNUSED_CHANNEL(
                source.locate(path),
                f"{source.name(path)}: no persona of this campaign uses channel '{channel_id}'",
                related=[_persona_channels(workspace, p) for p in personas],
                subject=on_channel,
            )
    for i, objective in enumerate(campaign.objectives):
        if objective.channel:
            path = ("objectives", i, "channel")
            yield from _unknown(source, path, "channel", objective.channel, workspace, about)
    for key in ("variants", "templates"):
        for channel_id in getattr(campaign, key):
            path = (key, channel_id)
            yield from _unknown(source, path, "channel", channel_id, workspace, about, key=True)
    yield from _check_touches(workspace, campaign, source)


def _check_message_keys(source: SourceMap, message: Message, about: Subject) -> Iterator[Finding]:
    """Extra message keys are allowed for templates, but not a near-miss of a known key."""
    for key in message.model_extra or {}:
        known = closest(key, Message.model_fields)
        if known:
            yield UNKNOWN_KEY(
                source.locate(("message", key), key=True),
                f"message.{key}: unknown key '{key}' (did you mean '{known}'?)",
                hint="fix the spelling; other extra keys are fine and reach templates as m.<key>",
                subject=about,
            )


def _check_touches(
    workspace: Workspace, campaign: Campaign, source: SourceMap
) -> Iterator[Finding]:
    # When each touch reaches each persona, as an aware datetime in the persona's zone.
    sends: list[dict[str, datetime]] = []
    for i, touch in enumerate(campaign.touches):
        about = Subject(campaign=campaign.id, channel=touch.channel)
        yield from _check_touch_personas(workspace, campaign, source, i, about)
        reached = workspace.targets(campaign, touch)
        sends.append({p.id: touch.local_time(p) for p in reached})
        yield from _check_touch_channel(workspace, campaign, source, i, reached, about)
        dated = sends[i] | _unread_sends(workspace, campaign, i)
        yield from _check_dates(campaign, source, i, dated, about)
        yield from _check_clock(campaign, source, i, reached, about)
    yield from _check_follow_ups(workspace, campaign, source, sends)


def _unread_sends(workspace: Workspace, campaign: Campaign, i: int) -> dict[str, datetime]:
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


def _check_touch_personas(
    workspace: Workspace, campaign: Campaign, source: SourceMap, i: int, about: Subject
) -> Iterator[Finding]:
    for j, persona_id in enumerate(campaign.touches[i].personas or []):
        path: KeyPath = ("touches", i, "personas", j)
        if not workspace.exists("personas", persona_id):
            yield from _unknown(source, path, "persona", persona_id, workspace, about)
        elif persona_id not in campaign.personas:
            yield NOT_IN_CAMPAIGN(
                source.locate(path),
                f"{source.name(path)}: persona '{persona_id}' is not one of the campaign's "
                "personas",
                hint="add it to the campaign's `personas`, or remove it from the touch",
                subject=about,
            )


def _check_touch_channel(
    workspace: Workspace,
    campaign: Campaign,
    source: SourceMap,
    i: int,
    targets: list[Persona],
    about: Subject,
) -> Iterator[Finding]:
    channel = campaign.touches[i].channel
    path: KeyPath = ("touches", i, "channel")
    if not workspace.exists("channel_rules", channel):
        yield from _unknown(source, path, "channel", channel, workspace, about)
        return
    if campaign.channels is not None and channel not in campaign.channels:
        yield NOT_IN_CAMPAIGN(
            source.locate(path),
            f"{source.name(path)}: channel '{channel}' is not one of the campaign's channels",
            hint="add it to the campaign's `channels`, or change the touch",
            related=[Related(source.locate(("channels",)), "the campaign's channels")],
            subject=about,
        )
    missing = [p for p in targets if channel not in p.channels]
    if missing:
        ids = [p.id for p in missing]
        yield CHANNEL_NOT_USED_BY_PERSONA(
            source.locate(path),
            f"{source.name(path)}: {_names(ids)} {_does(ids)} not list channel '{channel}'",
            related=[_persona_channels(workspace, p) for p in missing],
            subject=about,
        )


def _check_dates(
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
            f"outside the campaign's dates ({first or '…'} to {last or '…'}) for {_names(outside)}",
            subject=about,
        )


def _check_clock(
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
        where = f"in {name}, where {_names(personas)} {lives}"
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


def _check_follow_ups(
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
            yield from _unknown(source, path, "channel", touch.after, workspace, about)
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
                f"{_names(orphans)} before this one",
                hint=f"schedule a '{touch.after}' touch earlier, or remove `after`",
                subject=about,
            )


def _check_currency(workspace: Workspace) -> Iterator[Finding]:
    """The channels the personas use whose costs are the bundled ones, in a currency they
    cannot be converted to."""
    currency = workspace.settings.currency
    used = {c for p in workspace.personas.values() for c in p.channels if c in workspace.channels}
    if currency == BUNDLED_CURRENCY or currency in EURO_RATES or not used:
        return  # the bundled costs are the workspace's, or converted to its currency
    bundled = [c for c in sorted(used) if _bundled_costs(workspace, c)]
    if not bundled:
        return
    settings = workspace.settings_source
    where = settings.locate(("currency",)) if settings else Location(workspace.settings_file or "")
    costs = [workspace.source("channel_rules", c).locate(("cost_per_contact",)) for c in bundled]
    yield FOREIGN_COSTS(
        where,
        f"currency: {currency}, but {_listed(bundled)} {'uses' if len(bundled) == 1 else 'use'} "
        f"the bundled costs, which are in {BUNDLED_CURRENCY}",
        related=[Related(c, "a cost in EUR") for c in costs],
    )


def _bundled_costs(workspace: Workspace, channel: str) -> bool:
    source = workspace.source("channel_rules", channel)
    return any(
        source.locate((key,)).file.startswith(BUNDLED_PREFIX)
        for key in ("cost_per_contact", "fixed_cost")
        if (key,) in source.values
    )


def _listed(ids: list[str]) -> str:
    names = [f"'{i}'" for i in ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _persona_channels(workspace: Workspace, persona: Persona) -> Related:
    """Where a persona lists its channels (or its file, when it lists none)."""
    where = workspace.source("personas", persona.id).locate(("channels",), key=True)
    return Related(where, f"the channels of persona '{persona.id}'")


def _check_parts(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    """Each part a campaign's templates and variants name is one the channel renders."""
    source = workspace.source("campaigns", campaign.id)
    for key in ("templates", "variants"):
        for channel_id, value in getattr(campaign, key).items():
            channel = workspace.channels.get(channel_id)
            if channel is None or not isinstance(value, dict):
                continue
            known = list(channel.parts)
            own = campaign.templates.get(channel_id)
            if not known and key == "variants" and isinstance(own, dict):
                known = list(own)  # a channel without a template has the campaign's parts
            for name in value:
                if known and name not in known:
                    path = (key, channel_id, name)
                    yield _unknown_part(source, path, channel, name, known, campaign=campaign.id)


def _check_tests(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    """Each test is of a channel the campaign sends, and of a part that channel has; one test
    per channel, one id per test."""
    source = workspace.source("campaigns", campaign.id)
    used = workspace.campaign_channels(campaign)  # without any, the personas' channels
    ids: dict[str, int] = {}
    channels: dict[str, int] = {}
    for i, test in enumerate(campaign.tests):
        about = Subject(campaign=campaign.id, channel=test.channel)
        at: KeyPath = ("tests", i, "channel")
        problem = None
        if test.id in ids:
            at, problem = ("tests", i, "id"), f"the id '{test.id}' is used by tests[{ids[test.id]}]"
        elif test.channel in channels:
            problem = f"{test.channel} has a test already, tests[{channels[test.channel]}]"
        ids.setdefault(test.id, i)
        channels.setdefault(test.channel, i)
        if not workspace.exists("channel_rules", test.channel):
            yield from _unknown(source, at, "channel", test.channel, workspace, about)
            continue
        if problem is None and test.channel not in used:
            sends = ", ".join(used) or "nothing"
            problem = f"the campaign does not send {test.channel} (it sends {sends})"
        if problem is not None:
            yield TEST_DESIGN(
                source.locate(at), f"{source.name(('tests', i))}: {problem}", subject=about
            )
        channel = workspace.channels.get(test.channel)
        if channel is None:
            continue
        own = campaign.templates.get(test.channel)
        known = list(channel.parts) or (list(own) if isinstance(own, dict) else [])
        if known and test.part not in known:
            path = ("tests", i, "part")
            yield _unknown_part(
                source, path, channel, test.part, known, key=False, campaign=campaign.id
            )


def _check_mentions(workspace: Workspace, channel: Channel) -> Iterator[Finding]:
    """A mandatory mention of one part names a part of the channel."""
    source = workspace.source("channel_rules", channel.id)
    known = list(channel.parts)
    for i, mention in enumerate(channel.must_contain):
        if known and mention.part and mention.part not in known:
            path = ("must_contain", i, "part")
            yield _unknown_part(source, path, channel, mention.part, known, key=False)


def _unknown_part(
    source: SourceMap,
    path: KeyPath,
    channel: Channel,
    name: str,
    known: list[str],
    *,
    key: bool = True,
    campaign: str | None = None,
) -> Finding:
    return UNKNOWN_PART(
        source.locate(path, key=key),
        f"{source.name(path)}: channel '{channel.id}' has no part '{name}'"
        f"{did_you_mean(name, known)}; its parts: {', '.join(known)}",
        subject=Subject(campaign=campaign, channel=channel.id, part=name),
    )


def _unknown(
    source: SourceMap,
    path: KeyPath,
    kind: str,
    value: str,
    workspace: Workspace,
    about: Subject,
    *,
    key: bool = False,
) -> Iterator[Finding]:
    """An unknown-id finding, unless the id exists (even in a file that failed to load)."""
    folder = "personas" if kind == "persona" else "channel_rules"
    if not workspace.exists(folder, value):
        known = workspace.known(folder)
        yield unknown_reference(source, path, kind, value, known, key=key, subject=about)


def _names(ids: list[str]) -> str:
    quoted = [f"'{p}'" for p in ids]
    return ("persona " if len(ids) == 1 else "personas ") + ", ".join(quoted)


def _does(ids: list[str]) -> str:
    return "does" if len(ids) == 1 else "do"
