"""Cross-reference checks: every id one file names exists, and fits where it is used.

The second half of the structure family (S301, S303–S306, S308–S313; see `structure`): loading
found what is wrong inside each file, these find what is wrong between files. Which references
each file kind makes is here; how one is resolved and reported is `resolving`, when touches
reach their personas `timing`, and what mcplan assumes where the workspace does not say
`assumed`.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from mcplan.findings import Finding, Related, Subject
from mcplan.workspace.assumed import check_currency, check_regions
from mcplan.workspace.campaign import Campaign
from mcplan.workspace.channel import Channel
from mcplan.workspace.journey_checks import check_journeys
from mcplan.workspace.loaded import Workspace
from mcplan.workspace.persona import Persona
from mcplan.workspace.resolving import (
    check_message_keys,
    does,
    persona_channels,
    personas_named,
    unknown,
    unknown_part,
)
from mcplan.workspace.sourcemap import KeyPath, SourceMap
from mcplan.workspace.structure import (
    CHANNEL_NOT_USED_BY_PERSONA,
    NOT_IN_CAMPAIGN,
    TEST_DESIGN,
    UNUSED_CHANNEL,
)
from mcplan.workspace.timing import check_clock, check_dates, check_follow_ups, unread_sends


def check_references(workspace: Workspace) -> list[Finding]:
    """Every cross-reference finding of ``workspace``, sorted."""
    findings: list[Finding] = list(check_currency(workspace))
    findings.extend(check_regions(workspace))
    for persona in workspace.personas.values():
        findings.extend(_check_persona(workspace, persona))
    for campaign in workspace.campaigns.values():
        findings.extend(_check_campaign(workspace, campaign))
        findings.extend(_check_parts(workspace, campaign))
        findings.extend(_check_tests(workspace, campaign))
    findings.extend(check_journeys(workspace))
    for channel in workspace.channels.values():
        if workspace.origin(channel.id) != "bundled":
            findings.extend(_check_mentions(workspace, channel))
    return sorted(findings)


def _check_persona(workspace: Workspace, persona: Persona) -> Iterator[Finding]:
    source = workspace.source("personas", persona.id)
    about = Subject(persona=persona.id)
    for channel_id in persona.channels:
        path = ("channels", channel_id)
        yield from unknown(source, path, "channel", channel_id, workspace, about, key=True)


def _check_campaign(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    source = workspace.source("campaigns", campaign.id)
    about = Subject(campaign=campaign.id)
    yield from check_message_keys(source, campaign.message, about)
    for i, persona_id in enumerate(campaign.personas):
        yield from unknown(source, ("personas", i), "persona", persona_id, workspace, about)
    personas = [workspace.personas[p] for p in campaign.personas if p in workspace.personas]
    # A persona that could not be read may use any channel: say nothing of what it would use.
    unread = any(("personas", p) in workspace.failed for p in campaign.personas)
    for i, channel_id in enumerate(campaign.channels or []):
        on_channel = Subject(campaign=campaign.id, channel=channel_id)
        path: KeyPath = ("channels", i)
        yield from unknown(source, path, "channel", channel_id, workspace, on_channel)
        known = workspace.exists("channel_rules", channel_id)
        unused = not any(channel_id in p.channels for p in personas)
        if known and personas and unused and not unread:
            yield UNUSED_CHANNEL(
                source.locate(path),
                f"{source.name(path)}: no persona of this campaign uses channel '{channel_id}'",
                related=[persona_channels(workspace, p) for p in personas],
                subject=on_channel,
            )
    for i, objective in enumerate(campaign.objectives):
        if objective.channel:
            path = ("objectives", i, "channel")
            yield from unknown(source, path, "channel", objective.channel, workspace, about)
    for key in ("variants", "templates"):
        for channel_id in getattr(campaign, key):
            path = (key, channel_id)
            yield from unknown(source, path, "channel", channel_id, workspace, about, key=True)
    yield from _check_touches(workspace, campaign, source)


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
        dated = sends[i] | unread_sends(workspace, campaign, i)
        yield from check_dates(campaign, source, i, dated, about)
        yield from check_clock(campaign, source, i, reached, about)
    yield from check_follow_ups(workspace, campaign, source, sends)


def _check_touch_personas(
    workspace: Workspace, campaign: Campaign, source: SourceMap, i: int, about: Subject
) -> Iterator[Finding]:
    for j, persona_id in enumerate(campaign.touches[i].personas or []):
        path: KeyPath = ("touches", i, "personas", j)
        if not workspace.exists("personas", persona_id):
            yield from unknown(source, path, "persona", persona_id, workspace, about)
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
        yield from unknown(source, path, "channel", channel, workspace, about)
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
            f"{source.name(path)}: {personas_named(ids)} {does(ids)} not list channel '{channel}'",
            related=[persona_channels(workspace, p) for p in missing],
            subject=about,
        )


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
                    yield unknown_part(source, path, channel, name, known, campaign=campaign.id)


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
            yield from unknown(source, at, "channel", test.channel, workspace, about)
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
            yield unknown_part(
                source, path, channel, test.part, known, key=False, campaign=campaign.id
            )


def _check_mentions(workspace: Workspace, channel: Channel) -> Iterator[Finding]:
    """A mandatory mention of one part names a part of the channel."""
    source = workspace.source("channel_rules", channel.id)
    known = list(channel.parts)
    for i, mention in enumerate(channel.must_contain):
        if known and mention.part and mention.part not in known:
            path = ("must_contain", i, "part")
            yield unknown_part(source, path, channel, mention.part, known, key=False)
