"""Plan campaigns: choose each one's channels, forecast them, and propose a schedule.

See `candidates` (filters and score), `select` (the exact choice), `propose` (the schedule),
and `rules` for the findings (N) of a campaign that cannot be planned or scheduled.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence

import numpy as np

from mcplan import objectives
from mcplan.errors import UsageError
from mcplan.findings import Finding, Subject
from mcplan.objectives import Figures
from mcplan.plan import experiments
from mcplan.plan.audience import Audience
from mcplan.plan.candidates import find, funnels_of
from mcplan.plan.propose import Calendar, propose
from mcplan.plan.result import (
    FUNNEL,
    CampaignPlan,
    ChannelForecast,
    Funnel,
    ObjectiveProgress,
    ProposedTouch,
    added,
)
from mcplan.plan.rules import IDLE_CHANNEL, RULES, UNPLANNABLE, UNSCHEDULABLE, UNSENT_TOUCH
from mcplan.plan.select import Option, choose
from mcplan.schedule.contacts import expand
from mcplan.suggest import did_you_mean
from mcplan.workspace import Campaign, ObjectiveKind, Workspace


def plan(
    workspace: Workspace,
    campaign_ids: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[CampaignPlan]:
    """Plan the named campaigns (default: all), in that order.

    Each proposed schedule counts the touches of every other campaign, and those proposed for
    the campaigns planned before it. ``progress`` is called with (planned, campaigns).
    """
    ids = list(campaign_ids) if campaign_ids else sorted(workspace.campaigns)
    for campaign_id in ids:
        if campaign_id not in workspace.campaigns:
            if workspace.exists("campaigns", campaign_id):
                raise UsageError(f"campaign '{campaign_id}' has errors; run `mcplan validate`")
            hint = did_you_mean(campaign_id, workspace.campaigns)
            raise UsageError(f"unknown campaign '{campaign_id}'{hint}")
    # A campaign gets a proposed schedule only when it has no touches, so the touches already
    # in the files and those proposed so far are exactly the other campaigns' contacts.
    audience = Audience.of(workspace)
    calendar = Calendar.of(workspace, expand(workspace), audience)
    plans = []
    for campaign_id in ids:
        plans.append(plan_campaign(workspace, workspace.campaigns[campaign_id], calendar, audience))
        if progress is not None:
            progress(len(plans), len(ids))
    return plans


def plan_campaign(
    workspace: Workspace,
    campaign: Campaign,
    calendar: Calendar | None = None,
    audience: Audience | None = None,
) -> CampaignPlan:
    """Plan one campaign, scheduled around the contacts of `calendar` (default: none)."""
    result = CampaignPlan(campaign)
    audience = audience or Audience.of(workspace)
    result.candidates, result.rejections = find(workspace, campaign, audience)
    blocks = result.candidates.blocks
    options = [
        Option(channel, block.value, workspace.channels[channel].fixed_cost + block.cost)
        for channel, block in blocks.items()
    ]
    result.chosen = choose(options, campaign.budget, campaign.max_channels)
    where = workspace.source("campaigns", campaign.id).locate(())
    about = Subject(campaign=campaign.id)
    if not result.chosen:
        reasons = "; ".join(
            f"{r.channel}{f' for {r.persona}' if r.persona else ''}: {r.reason}"
            for r in result.rejections
        )
        result.findings.append(
            UNPLANNABLE(
                where,
                f"campaign '{campaign.id}' cannot be planned: no channel passes the filters "
                f"and fits the budget ({reasons or 'its personas use no channel'})",
                subject=about,
            )
        )
        return result
    reached = {c: list(blocks[c].personas) for c in result.chosen}
    if campaign.touches:
        result.findings += _unsent(workspace, campaign, result, reached)
        result.touches = sorted(
            map(ProposedTouch.written, campaign.touches),
            key=lambda t: (t.at.replace(tzinfo=None), t.channel),  # as written, offset or not
        )
    else:
        calendar = calendar or Calendar(audience)
        result.touches, problems = propose(workspace, campaign, result.chosen, reached, calendar)
        result.proposed = True
        result.findings += [
            UNSCHEDULABLE(where, f"campaign '{campaign.id}': {p}", subject=about) for p in problems
        ]
    _forecast(workspace, result, audience)
    return result


def _unsent(
    workspace: Workspace, campaign: Campaign, result: CampaignPlan, reached: dict[str, list[str]]
) -> list[Finding]:
    """An N103 for each touch of the campaign that the plan cannot send to someone."""
    source = workspace.source("campaigns", campaign.id)
    why = {(r.channel, r.persona): r.reason for r in result.rejections}
    findings = []
    for i, touch in enumerate(campaign.touches):
        if touch.channel not in workspace.channels:
            continue  # an unknown channel: validate says so
        sent = set(reached.get(touch.channel, ()))
        lost = [p.id for p in workspace.targets(campaign, touch) if p.id not in sent]
        if not lost:
            continue
        if touch.channel in result.chosen:
            fallback = "no fit"
        else:
            fallback = why.get((touch.channel, None)) or "the plan does not choose it"
        reasons = [f"'{p}': {why.get((touch.channel, p)) or fallback}" for p in lost]
        problem = "it cannot go to " + "; ".join(reasons)
        findings.append(
            UNSENT_TOUCH(
                source.locate(("touches", i, "channel")),
                f"touches[{i}]: this {touch.channel} touch cannot go out as planned: {problem}",
                subject=Subject(campaign=campaign.id, channel=touch.channel),
            )
        )
    return findings


def _forecast(workspace: Workspace, result: CampaignPlan, audience: Audience) -> None:
    campaign = result.campaign
    touches: dict[tuple[str, str], int] = defaultdict(int)
    for touch in result.touches:
        for persona_id in touch.personas or campaign.personas:
            touches[(persona_id, touch.channel)] += 1
    source = workspace.source("campaigns", campaign.id)
    for channel_id in sorted(result.chosen):  # every table lists channels by id
        channel = workspace.channels[channel_id]
        block = result.candidates.blocks[channel_id]
        times = np.array(
            [touches.get((p, channel_id), 0) if result.touches else 1 for p in block.personas]
        )
        sending = times > 0
        if not sending.any():  # chosen, but no touch sends it: nothing to forecast
            if result.proposed:
                continue  # no slot was found for it: N102 says so
            where = source.locate(campaign.channel_path(channel_id))
            message = f"the plan chooses {channel_id}, but no touch of the campaign uses it"
            about = Subject(campaign=campaign.id, channel=channel_id)
            result.findings.append(IDLE_CHANNEL(where, message, subject=about))
            continue
        rows = np.array([audience.row[p] for p in block.personas])[sending]
        sends = audience.size[rows] * audience.links[channel_id].reach[rows] * times[sending]
        if campaign.holdout:  # the control group gets no touch
            sends = sends * (1 - campaign.holdout)
        funnels = funnels_of(sends, channel)
        columns = [
            added(column, channel.fixed_cost if name == "cost" else 0.0)
            for name, column in zip(FUNNEL, funnels.T, strict=True)
        ]
        personas = tuple(p for p, n in zip(block.personas, sending.tolist(), strict=True) if n)
        value = added(block.values[sending] * times[sending])
        funnel = Funnel(*columns)
        result.channels.append(ChannelForecast(channel_id, personas, funnel, value, funnels))
        result.total = result.total + funnel
    result.objectives = [
        _progress(workspace, result, o.kind, o.channel, o.target) for o in campaign.objectives
    ]
    result.tests = experiments.plan_tests(workspace, campaign, result.channels)
    result.holdout = experiments.plan_holdout(workspace, campaign, result.total.conversions)
    result.findings += experiments.findings(workspace, campaign, result.tests)


def _progress(
    workspace: Workspace,
    result: CampaignPlan,
    kind: ObjectiveKind,
    channel: str | None,
    target: float | None,
) -> ObjectiveProgress:
    """How far the forecast goes towards one objective, measured as `mcplan.objectives` says."""
    funnel = result.total
    if channel is not None:
        funnel = next((c.funnel for c in result.channels if c.channel == channel), Funnel())
    aov = result.campaign.average_order_value
    figures = Figures(sent=funnel.sends, reached=funnel.reached, converted=funnel.conversions)
    unit = objectives.unit(kind)
    if kind is ObjectiveKind.SALES and aov is None:
        unit = "revenue (needs average_order_value)"
    forecast = objectives.measure(kind, figures, aov)
    people = (
        _distinct_people(workspace, result, channel) if kind is ObjectiveKind.AWARENESS else None
    )
    return ObjectiveProgress(kind.value, channel, target, forecast, unit, people)


def _distinct_people(workspace: Workspace, result: CampaignPlan, channel: str | None) -> float:
    """The people the plan reaches at least once: on each channel, the share of a persona
    reached by one touch (more touches reach the same people again); across channels, as if
    being reached on one did not change the odds on another."""
    missed: dict[str, float] = {}  # persona → the share no channel reaches
    for forecast in result.channels:
        if channel not in (None, forecast.channel):
            continue
        rules = workspace.channels[forecast.channel]
        for persona_id in forecast.personas:
            persona = workspace.personas[persona_id]
            if not persona.size:
                continue
            reached = persona.size * persona.channels[rules.id].reach * rules.rates.delivery
            reached *= 1 - (result.campaign.holdout or 0.0)
            share = reached / persona.size
            missed[persona_id] = missed.get(persona_id, 1.0) * (1 - min(share, 1.0))
    return sum(workspace.personas[p].size * (1 - left) for p, left in missed.items())


__all__ = ["RULES", "plan", "plan_campaign"]
