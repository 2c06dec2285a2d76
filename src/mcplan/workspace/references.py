"""Structure checks: every file loads, and every id one file names exists and fits.

:func:`validate` returns what loading found (syntax, types, unknown keys) plus the
cross-reference checks below, sorted by file, line and column.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from mcplan.findings import Finding, Level
from mcplan.suggest import closest
from mcplan.workspace.campaign import Campaign, Message
from mcplan.workspace.loader import Workspace
from mcplan.workspace.persona import Persona
from mcplan.workspace.problems import UNKNOWN_KEY, unknown_reference
from mcplan.workspace.yamlsource import KeyPath, SourceMap

ORPHAN_FOLLOW_UP = "S303"
OUTSIDE_DATES = "S304"
CHANNEL_NOT_USED_BY_PERSONA = "S305"
NOT_IN_CAMPAIGN = "S306"
UNUSED_CHANNEL = "S308"


def validate(workspace: Workspace) -> list[Finding]:
    """Every structural finding of ``workspace``, sorted."""
    findings = list(workspace.findings)
    for persona in workspace.personas.values():
        findings.extend(_check_persona(workspace, persona))
    for campaign in workspace.campaigns.values():
        findings.extend(_check_campaign(workspace, campaign))
    return sorted(findings)


def _check_persona(workspace: Workspace, persona: Persona) -> Iterator[Finding]:
    source = workspace.source("personas", persona.id)
    for channel_id in persona.channels:
        path = ("channels", channel_id)
        yield from _unknown(source, path, "channel", channel_id, workspace, key=True)


def _check_campaign(workspace: Workspace, campaign: Campaign) -> Iterator[Finding]:
    source = workspace.source("campaigns", campaign.id)
    yield from _check_message_keys(source, campaign.message)
    for i, persona_id in enumerate(campaign.personas):
        yield from _unknown(source, ("personas", i), "persona", persona_id, workspace)
    personas = [workspace.personas[p] for p in campaign.personas if p in workspace.personas]
    for i, channel_id in enumerate(campaign.channels or []):
        yield from _unknown(source, ("channels", i), "channel", channel_id, workspace)
        if personas and not any(channel_id in p.channels for p in personas):
            yield Finding(
                source.locate(("channels", i)),
                UNUSED_CHANNEL,
                Level.WARNING,
                f"channels[{i}]: no persona of this campaign uses channel '{channel_id}'",
                "add the channel to a persona's `channels`, or drop it from the campaign",
            )
    for i, objective in enumerate(campaign.objectives):
        if objective.channel:
            path: KeyPath = ("objectives", i, "channel")
            yield from _unknown(source, path, "channel", objective.channel, workspace)
    for key in ("variants", "templates"):
        for channel_id in getattr(campaign, key):
            path = (key, channel_id)
            yield from _unknown(source, path, "channel", channel_id, workspace, key=True)
    yield from _check_touches(workspace, campaign, source)


def _check_message_keys(source: SourceMap, message: Message) -> Iterator[Finding]:
    """Extra message keys are allowed for templates, but not a near-miss of a known key."""
    for key in message.model_extra or {}:
        known = closest(key, Message.model_fields)
        if known:
            yield Finding(
                source.locate(("message", key), key=True),
                UNKNOWN_KEY,
                Level.ERROR,
                f"message.{key}: unknown key '{key}' (did you mean '{known}'?)",
                "fix the spelling; other extra keys are fine and reach templates as m.<key>",
            )


def _check_touches(
    workspace: Workspace, campaign: Campaign, source: SourceMap
) -> Iterator[Finding]:
    # When each touch reaches each persona, as an aware datetime in the persona's zone.
    sends: list[dict[str, datetime]] = []
    for i, touch in enumerate(campaign.touches):
        yield from _check_touch_personas(workspace, campaign, source, i)
        reached = workspace.targets(campaign, touch)
        sends.append({p.id: touch.local_time(p) for p in reached})
        yield from _check_touch_channel(workspace, campaign, source, i, reached)
        yield from _check_dates(campaign, source, i, sends[i])
    yield from _check_follow_ups(workspace, campaign, source, sends)


def _check_touch_personas(
    workspace: Workspace, campaign: Campaign, source: SourceMap, i: int
) -> Iterator[Finding]:
    for j, persona_id in enumerate(campaign.touches[i].personas or []):
        path: KeyPath = ("touches", i, "personas", j)
        if not workspace.exists("personas", persona_id):
            yield from _unknown(source, path, "persona", persona_id, workspace)
        elif persona_id not in campaign.personas:
            yield Finding(
                source.locate(path),
                NOT_IN_CAMPAIGN,
                Level.ERROR,
                f"touches[{i}].personas[{j}]: persona '{persona_id}' is not one of the "
                "campaign's personas",
                "add it to the campaign's `personas`, or remove it from the touch",
            )


def _check_touch_channel(
    workspace: Workspace,
    campaign: Campaign,
    source: SourceMap,
    i: int,
    targets: list[Persona],
) -> Iterator[Finding]:
    channel = campaign.touches[i].channel
    path: KeyPath = ("touches", i, "channel")
    if not workspace.exists("channel_rules", channel):
        yield from _unknown(source, path, "channel", channel, workspace)
        return
    if campaign.channels is not None and channel not in campaign.channels:
        yield Finding(
            source.locate(path),
            NOT_IN_CAMPAIGN,
            Level.ERROR,
            f"touches[{i}].channel: channel '{channel}' is not one of the campaign's channels",
            "add it to the campaign's `channels`, or change the touch",
        )
    missing = [p.id for p in targets if channel not in p.channels]
    if missing:
        yield Finding(
            source.locate(path),
            CHANNEL_NOT_USED_BY_PERSONA,
            Level.ERROR,
            f"touches[{i}].channel: {_names(missing)} {_does(missing)} not list channel "
            f"'{channel}'",
            "add the channel to the persona's `channels` (with reach, affinity and consent), "
            "or limit the touch with `personas:`",
        )


def _check_dates(
    campaign: Campaign, source: SourceMap, i: int, sends: dict[str, datetime]
) -> Iterator[Finding]:
    first, last = campaign.first_day, campaign.last_day
    outside = sorted(
        p for p, at in sends.items() if (first and at.date() < first) or (last and at.date() > last)
    )
    if outside:
        yield Finding(
            source.locate(("touches", i, "at")),
            OUTSIDE_DATES,
            Level.ERROR,
            f"touches[{i}].at: {campaign.touches[i].at.isoformat(timespec='minutes')} is outside "
            f"the campaign's dates ({first or '…'} to {last or '…'}) for {_names(outside)}",
            "move the touch, or set the campaign's `starts`/`ends`",
        )


def _check_follow_ups(
    workspace: Workspace,
    campaign: Campaign,
    source: SourceMap,
    sends: list[dict[str, datetime]],
) -> Iterator[Finding]:
    for i, touch in enumerate(campaign.touches):
        if touch.after is None:
            continue
        path: KeyPath = ("touches", i, "after")
        if not workspace.exists("channel_rules", touch.after):
            yield from _unknown(source, path, "channel", touch.after, workspace)
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
            yield Finding(
                source.locate(path),
                ORPHAN_FOLLOW_UP,
                Level.ERROR,
                f"touches[{i}].after: no earlier '{touch.after}' touch reaches "
                f"{_names(orphans)} before this one",
                f"schedule a '{touch.after}' touch earlier, or remove `after`",
            )


def _unknown(
    source: SourceMap,
    path: KeyPath,
    kind: str,
    value: str,
    workspace: Workspace,
    *,
    key: bool = False,
) -> Iterator[Finding]:
    """An unknown-id finding, unless the id exists (even in a file that failed to load)."""
    folder = "personas" if kind == "persona" else "channel_rules"
    if not workspace.exists(folder, value):
        known = [id_ for f, id_ in (*workspace.sources, *workspace.failed) if f == folder]
        yield unknown_reference(source, path, kind, value, known, key=key)


def _names(ids: list[str]) -> str:
    quoted = [f"'{p}'" for p in ids]
    return ("persona " if len(ids) == 1 else "personas ") + ", ".join(quoted)


def _does(ids: list[str]) -> str:
    return "does" if len(ids) == 1 else "do"
