"""Plan campaigns: choose each one's channels, forecast them, and propose a schedule.

See `candidates` (filters and score), `select` (the exact choice), `propose` (the schedule),
and `rules` for the findings (N) of a campaign that cannot be planned or scheduled.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mcplan import objectives
from mcplan.errors import McplanError, UsageError
from mcplan.findings import Finding, Subject
from mcplan.listing import quoted
from mcplan.numbers import decimal, money
from mcplan.objectives import Figures
from mcplan.plan import experiments
from mcplan.plan.audience import Audience
from mcplan.plan.candidates import find
from mcplan.plan.costs import Pricing, planned
from mcplan.plan.journey import JourneyForecast, forecast_journey
from mcplan.plan.journey.held import held_all
from mcplan.plan.propose import Calendar, propose
from mcplan.plan.result import (
    CampaignPlan,
    ChannelCandidates,
    Funnel,
    ObjectiveProgress,
    PlanResult,
    ProposedTouch,
)
from mcplan.plan.rules import IDLE_CHANNEL, RULES, UNPLANNABLE, UNSCHEDULABLE, UNSENT_TOUCH
from mcplan.plan.select import EPSILON, Option, choose
from mcplan.schedule.contacts import expand
from mcplan.suggest import closest
from mcplan.words import Phrase
from mcplan.workspace import Campaign, ObjectiveKind, Workspace
from mcplan.workspace.channel import Billing


def plan(
    workspace: Workspace,
    campaign_ids: Sequence[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PlanResult:
    """Plan the named campaigns and forecast the named journeys (default: every one of
    both), in that order: ``campaign_ids`` may name journeys too.

    Each proposed schedule counts the touches of every other campaign, and those proposed for
    the campaigns planned before it. ``progress`` is called with (planned, campaigns).
    """
    ids, journey_ids = asked(workspace, campaign_ids)
    # A campaign gets a proposed schedule only when it has no touches, so the touches already
    # in the files and those proposed so far are exactly the other campaigns' contacts.
    audience = Audience.of(workspace)
    calendar = Calendar.of(workspace, expand(workspace), audience) if ids else None
    plans = []
    for campaign_id in ids:
        plans.append(plan_campaign(workspace, workspace.campaigns[campaign_id], calendar, audience))
        if progress is not None:
            progress(len(plans), len(ids))
    journeys = [_forecast_journey(workspace, j, audience) for j in journey_ids]
    # The journeys not asked for hold sends too: their rates count, their figures (and so the
    # prices of their SMS steps) are not shown.
    others = [] if not journeys else [
        _forecast_journey(workspace, j, audience, priced=False)
        for j in sorted(workspace.journeys) if j not in journey_ids
    ]  # fmt: skip
    return PlanResult(plans, journeys, held_all(workspace, journeys, others))


def _forecast_journey(
    workspace: Workspace, journey_id: str, audience: Audience, *, priced: bool = True
) -> JourneyForecast:
    """The journey's forecast, or an error that names its file."""
    try:
        return forecast_journey(workspace, workspace.journeys[journey_id], audience, priced=priced)
    except McplanError as exc:
        where = workspace.source("journeys", journey_id).file
        raise McplanError(f"{where}: journey '{journey_id}' cannot be forecast: {exc}") from exc


def asked(workspace: Workspace, ids: Sequence[str] | None) -> tuple[list[str], list[str]]:
    """The campaigns and the journeys that ``ids`` name (none: every one of both, by id); an
    id that names neither is a usage error, with the closest id of either kind."""
    if not ids:
        return sorted(workspace.campaigns), sorted(workspace.journeys)
    for id_ in ids:
        if id_ in workspace.campaigns or id_ in workspace.journeys:
            continue
        for folder, kind in (("campaigns", "campaign"), ("journeys", "journey")):
            if workspace.exists(folder, id_):
                raise UsageError(f"{kind} '{id_}' has errors; run `mcplan validate`")
        raise UsageError(f"unknown campaign '{id_}'{_closest(workspace, id_)}")
    campaigns = [i for i in ids if i in workspace.campaigns]
    return campaigns, [i for i in ids if i in workspace.journeys]


def _closest(workspace: Workspace, id_: str) -> str:
    """`` (did you mean 'soldes-hiver-2027'?)``, `` (did you mean the journey 'bienvenue'?)``:
    the closest campaign or journey id, or an empty string."""
    meant = closest(id_, [*workspace.campaigns, *workspace.journeys])
    if meant is None or meant == id_:
        return ""
    if meant in workspace.campaigns:
        return f" (did you mean '{meant}'?)"
    return f" (did you mean the journey '{meant}'?)"


def plan_campaign(
    workspace: Workspace,
    campaign: Campaign,
    calendar: Calendar | None = None,
    audience: Audience | None = None,
) -> CampaignPlan:
    """Plan one campaign, scheduled around the contacts of `calendar` (default: none)."""
    result = CampaignPlan(campaign)
    audience = audience or Audience.of(workspace)
    pricing = Pricing.selecting(workspace, campaign)
    result.candidates, result.rejections = find(workspace, campaign, audience, pricing)
    blocks = result.candidates.blocks
    # Each channel at the price and value of what it would send (`mcplan.plan.costs`): the
    # forecast of a chosen channel is the same computation, on the touches that go out.
    options = [
        Option(channel, block.planned_value, block.price) for channel, block in blocks.items()
    ]
    result.chosen = choose(options, campaign.budget, campaign.max_channels)
    result.unselected = _unselected(workspace, campaign, result.chosen, blocks)
    where = workspace.source("campaigns", campaign.id).locate(())
    about = Subject(campaign=campaign.id)
    if not result.chosen:
        reasons = "; ".join(
            [
                f"{r.channel}{f' for {r.persona}' if r.persona else ''}: {r.reason}"
                for r in result.rejections
            ]
            + [f"{channel}: {why}" for channel, why in result.unselected.items()]
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
    _forecast(workspace, result, pricing.forecasting(result.touches))
    return result


def _unselected(
    workspace: Workspace,
    campaign: Campaign,
    chosen: Sequence[str],
    blocks: dict[str, ChannelCandidates],
) -> dict[str, str]:
    """Why the selection leaves out each candidate channel it does not choose."""
    currency = workspace.settings.currency
    spent = sum(blocks[c].price for c in chosen)
    out: dict[str, str] = {}
    for channel in sorted(set(blocks) - set(chosen)):
        block = blocks[channel]
        value = decimal(block.planned_value, 2) if block.planned else ""
        if block.planned is None:
            out[channel] = Phrase("not_selected_unsent")
        elif campaign.budget is not None and spent + block.price > campaign.budget + EPSILON:
            out[channel] = Phrase(
                "not_selected_budget",
                price=money(block.price, currency),
                spent=money(spent, currency),
                budget=money(campaign.budget, currency),
            )
        elif campaign.max_channels is not None and len(chosen) >= campaign.max_channels:
            out[channel] = Phrase("not_selected_max", max=campaign.max_channels, value=value)
        else:
            out[channel] = Phrase("not_selected", value=value)
    return out


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
            fallback = (
                why.get((touch.channel, None))
                or result.unselected.get(touch.channel)
                or "the plan does not choose it"
            )
        by_reason: dict[str, list[str]] = {}
        for p in lost:
            by_reason.setdefault(str(why.get((touch.channel, p)) or fallback), []).append(p)
        problem = "it cannot go to " + "; ".join(
            f"{quoted(ids)}: {reason}" for reason, ids in by_reason.items()
        )
        findings.append(
            UNSENT_TOUCH(
                source.locate(("touches", i, "channel")),
                f"touches[{i}]: this {touch.channel} touch cannot go out as planned: {problem}",
                subject=Subject(campaign=campaign.id, channel=touch.channel),
            )
        )
    return findings


def _forecast(workspace: Workspace, result: CampaignPlan, pricing: Pricing) -> None:
    """Forecast the chosen channels on the touches that go out, as the selection priced them."""
    campaign = result.campaign
    source = workspace.source("campaigns", campaign.id)
    for channel_id in sorted(result.chosen):  # every table lists channels by id
        channel = workspace.channels[channel_id]
        forecast = planned(result.candidates.blocks[channel_id], channel, pricing)
        if forecast is None:  # chosen, but no touch sends it: nothing to forecast
            if result.proposed:
                continue  # no slot was found for it: N102 says so
            where = source.locate(campaign.channel_path(channel_id))
            message = f"the plan chooses {channel_id}, but no touch of the campaign uses it"
            about = Subject(campaign=campaign.id, channel=channel_id)
            result.findings.append(IDLE_CHANNEL(where, message, subject=about))
            continue
        if channel.billed is Billing.PER_SEGMENT:
            measured = pricing.segments(channel_id)
            result.segments[channel_id] = {
                p: measured[p] for p in forecast.personas if p in measured
            }
        result.channels.append(forecast)
        result.total = result.total + forecast.funnel
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


__all__ = ["RULES", "asked", "plan", "plan_campaign"]
