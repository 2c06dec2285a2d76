"""Planning (N): choose each campaign's channels, forecast them, and propose a schedule.

See `candidates` (filters and score), `select` (the exact choice), `propose` (the schedule).
A campaign that cannot be planned or scheduled is a finding, and `mcplan plan` exits with 1.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from mcplan import examples, objectives
from mcplan.errors import UsageError
from mcplan.findings import Finding, Level, Rule, Subject
from mcplan.objectives import Figures
from mcplan.plan import candidates as candidates_module
from mcplan.plan.propose import Calendar, propose
from mcplan.plan.result import (
    CampaignPlan,
    Candidate,
    ChannelForecast,
    Funnel,
    ObjectiveProgress,
    ProposedTouch,
)
from mcplan.plan.select import Option, choose
from mcplan.schedule.contacts import expand
from mcplan.suggest import did_you_mean
from mcplan.workspace import Campaign, ObjectiveKind, Workspace

FAMILY = "planning"

UNPLANNABLE = Rule(
    "N101",
    "unplannable",
    Level.ERROR,
    "No channel passes the filters and fits the budget: the campaign cannot be planned.",
    hint="widen the campaign's channels or budget, or record the consent it needs",
    details="The finding gives every reason a channel was left out.",
    fails=examples.campaign(
        more="channels: [sms]\nbudget: 10  # the SMS channel's fixed cost is 50\n"
    ),
    passes=examples.campaign(more="channels: [sms]\nbudget: 1000\n"),
)
# Three touches to marie in a week, her cap: a campaign planned in that week finds no slot.
_SOLDES = examples.campaign(
    "email 2027-03-02T10:00",
    "sms 2027-03-03T10:00",
    "email 2027-03-04T10:00",
    name="soldes",
    message="{headline: Les soldes, starts: 2027-03-01, ends: 2027-03-31}",
)


def _flash(starts: str, ends: str) -> str:
    message = f"{{headline: Vente flash, starts: {starts}, ends: {ends}}}"
    return examples.campaign(name="flash", message=message, more="channels: [sms]\n")


UNSCHEDULABLE = Rule(
    "N102",
    "unschedulable",
    Level.ERROR,
    "A proposed touch finds no slot within the dates, the window and the pressure caps.",
    hint="widen the campaign's dates, or lower the pressure of other campaigns",
    details="Only for a campaign without touches, whose schedule `mcplan plan` proposes.",
    fails=_SOLDES + _flash("2027-03-03", "2027-03-05"),
    passes=_SOLDES + _flash("2027-03-10", "2027-03-12"),
)

# Marie, having objected to SMS (a consumer needs an opt-in).
_OPTED_OUT = "\n# personas/marie.yaml\n" + examples.BASE["personas/marie.yaml"].replace(
    "consent: opt_in}\n  instagram", "consent: opt_out}\n  instagram"
)
UNSENT_TOUCH = Rule(
    "N103",
    "unsent-touch",
    Level.ERROR,
    "A touch of the campaign that the plan cannot send: its channel is not chosen, or a "
    "persona it reaches cannot get it.",
    hint="change or drop the touch, or give the persona what the channel needs (the consent)",
    details="`mcplan plan --write` would otherwise write channels that leave the touch out.",
    fails=_OPTED_OUT + examples.campaign("email 2027-12-01T10:00", "sms 2027-12-03T10:00"),
    passes=examples.campaign("email 2027-12-01T10:00", "sms 2027-12-03T10:00"),
)
IDLE_CHANNEL = Rule(
    "N104",
    "idle-channel",
    Level.WARNING,
    "A channel the plan chooses that no touch of the campaign uses: it is not forecast.",
    hint="add a touch on it, or leave it out of the campaign's channels",
    fails=examples.campaign(
        "email 2027-12-02T10:00", more="channels: [email, sms]\nbudget: 1000\n"
    ),
    passes=examples.campaign(
        "email 2027-12-02T10:00", "sms 2027-12-04T10:00", more="channels: [email, sms]\n"
    ),
)

RULES = (UNPLANNABLE, UNSCHEDULABLE, UNSENT_TOUCH, IDLE_CHANNEL)


def plan(workspace: Workspace, campaign_ids: Sequence[str] | None = None) -> list[CampaignPlan]:
    """Plan the named campaigns (default: all), in that order.

    Each proposed schedule counts the touches of every other campaign, and those proposed for
    the campaigns planned before it.
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
    calendar = Calendar.of(workspace, expand(workspace))
    return [plan_campaign(workspace, workspace.campaigns[c], calendar) for c in ids]


def plan_campaign(workspace: Workspace, campaign: Campaign, calendar: Calendar) -> CampaignPlan:
    result = CampaignPlan(campaign)
    result.candidates, result.rejections = candidates_module.find(workspace, campaign)
    by_channel: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in result.candidates:
        by_channel[candidate.channel].append(candidate)
    options = [
        Option(
            channel,
            sum(c.value for c in group),
            workspace.channels[channel].fixed_cost + sum(c.funnel.cost for c in group),
        )
        for channel, group in sorted(by_channel.items())
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
    reached = {c: [x.persona for x in by_channel[c]] for c in result.chosen}
    if campaign.touches:
        result.findings += _unsent(workspace, campaign, result, reached)
        result.touches = sorted(
            (
                ProposedTouch(t.channel, t.at, tuple(t.personas) if t.personas else None, t.after)
                for t in campaign.touches
            ),
            key=lambda t: (t.at.replace(tzinfo=None), t.channel),  # as written, offset or not
        )
    else:
        result.touches, problems = propose(workspace, campaign, result.chosen, reached, calendar)
        result.proposed = True
        result.findings += [
            UNSCHEDULABLE(where, f"campaign '{campaign.id}': {p}", subject=about) for p in problems
        ]
    _forecast(workspace, result, by_channel)
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
        lost = [
            p.id
            for p in workspace.targets(campaign, touch)
            if p.id not in reached.get(touch.channel, [])
        ]
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


def _forecast(
    workspace: Workspace, result: CampaignPlan, by_channel: dict[str, list[Candidate]]
) -> None:
    campaign = result.campaign
    touches: dict[tuple[str, str], int] = defaultdict(int)
    for touch in result.touches:
        for persona_id in touch.personas or campaign.personas:
            touches[(persona_id, touch.channel)] += 1
    source = workspace.source("campaigns", campaign.id)
    for channel_id in result.chosen:
        channel = workspace.channels[channel_id]
        sent: list[tuple[str, Funnel]] = []
        value = 0.0
        for candidate in by_channel[channel_id]:
            times = touches.get((candidate.persona, channel_id), 0) if result.touches else 1
            if times:
                persona = workspace.personas[candidate.persona]
                sent.append((persona.id, candidates_module.funnel_of(persona, channel, times)))
                value += candidate.value * times
        if not sent:  # chosen, but no touch sends it: nothing to forecast
            if result.proposed:
                continue  # no slot was found for it: N102 says so
            where = source.locate(campaign.channel_path(channel_id))
            message = f"the plan chooses {channel_id}, but no touch of the campaign uses it"
            about = Subject(campaign=campaign.id, channel=channel_id)
            result.findings.append(IDLE_CHANNEL(where, message, subject=about))
            continue
        funnel = sum((f for _, f in sent), Funnel(cost=channel.fixed_cost))
        personas = tuple(p for p, _ in sent)
        result.channels.append(ChannelForecast(channel_id, personas, funnel, value, tuple(sent)))
        result.total = result.total + funnel
    result.objectives = [
        _progress(workspace, result, o.kind, o.channel, o.target) for o in campaign.objectives
    ]


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
        for persona_id, _ in forecast.sent:
            persona = workspace.personas[persona_id]
            if not persona.size:
                continue
            share = candidates_module.funnel_of(persona, rules).reached / persona.size
            missed[persona_id] = missed.get(persona_id, 1.0) * (1 - min(share, 1.0))
    return sum(workspace.personas[p].size * (1 - left) for p, left in missed.items())


__all__ = ["RULES", "plan", "plan_campaign"]
