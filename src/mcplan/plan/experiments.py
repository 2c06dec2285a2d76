"""Plan a campaign's message tests and holdout: who gets each arm, and what each can detect.

A test splits the contacts its channel reaches among its arms (after the holdout, and only
the personas who read the campaign's own language: the arms are written in it). Its metric's
baseline is the channel's rate (of the contacts reached), and the smallest lift it can detect
is that of a two-sided test of two proportions at the workspace's alpha and power, each arm
against the control (see `mcplan.stats`). A test that cannot detect the lift it looks for is
N105, saying how many contacts it would need.

The holdout keeps a share of every persona out of every touch; what it can detect is the
lift of the treated's conversion rate over the held-out people's, the forecast's conversion
rate per treated person taken as the baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mcplan import numbers, stats
from mcplan.findings import Finding, Subject
from mcplan.plan.result import ChannelForecast
from mcplan.plan.rules import UNDERPOWERED_TEST
from mcplan.workspace import Campaign, Experiment, Workspace


@dataclass(frozen=True)
class PlannedArm:
    """One arm of a test: its share of the contacts, and the contacts it gets."""

    arm: str
    share: float
    contacts: float  # people it is sent to
    reached: float  # of them, those it reaches: the denominator of the metric
    min_detectable_lift: float | None  # against the control (None: the control itself)


@dataclass(frozen=True)
class PlannedTest:
    """A test as planned: its arms, the baseline of its metric, what it can detect."""

    test: Experiment
    arms: tuple[PlannedArm, ...]
    baseline_rate: float
    min_detectable_lift: float  # the weakest arm's against the control; inf: none at all
    contacts_needed: float  # in all, for every arm to detect `min_lift`; inf: never
    alpha: float
    power: float

    @property
    def contacts(self) -> float:
        return sum(arm.contacts for arm in self.arms)

    @property
    def powered(self) -> bool:
        return self.min_detectable_lift <= self.test.min_lift


@dataclass(frozen=True)
class PlannedHoldout:
    """The control group kept out of every touch, and the lift it lets the campaign show."""

    share: float
    contacts: float  # people held out
    treated: float  # people of the campaign's personas who may get its touches
    baseline_rate: float  # the forecast's conversions per treated person
    min_detectable_lift: float  # inf: none


def plan_tests(
    workspace: Workspace, campaign: Campaign, forecasts: list[ChannelForecast]
) -> list[PlannedTest]:
    """Each test of ``campaign``, from the plan's forecast of its channel."""
    settings = workspace.settings.experiments
    by_channel = {f.channel: f for f in forecasts}
    planned = []
    sent = campaign.named_channels
    for test in campaign.tests:
        channel = workspace.channels.get(test.channel)
        if channel is None or campaign.test_on(test.channel) is not test:
            continue  # an unknown channel, a second test of one: validate says so (S301, S312)
        if sent and test.channel not in sent:
            continue  # a channel the campaign does not send (S312)
        people = _people(workspace, campaign, by_channel.get(test.channel))
        delivery = channel.rates.delivery
        shares = test.shares()
        control = shares[test.control]
        baseline = getattr(channel.rates, test.metric.value)
        arms, lifts, needed = [], [], []
        for arm, share in shares.items():
            reached = people * share * delivery
            lift = None
            if arm != test.control:
                ratio = share / control
                args = (ratio, settings.alpha, settings.power)
                lift = stats.detectable_lift(baseline, people * control * delivery, *args)
                lifts.append(lift)
                # The control's contacts needed, then everyone's, sent rather than reached.
                need = stats.contacts_needed(baseline, test.min_lift, *args)
                needed.append(need / control / delivery if delivery else math.inf)
            arms.append(PlannedArm(arm, share, people * share, reached, lift))
        worst, need = max(lifts), max(needed)
        planned.append(
            PlannedTest(test, tuple(arms), baseline, worst, need, settings.alpha, settings.power)
        )
    return planned


def _people(workspace: Workspace, campaign: Campaign, forecast: ChannelForecast | None) -> float:
    """The people a channel's touches are sent to, once each, who read the campaign's own
    language, after the holdout."""
    if forecast is None:
        return 0.0
    channel = forecast.channel
    kept = 1 - (campaign.holdout or 0.0)
    total = 0.0
    for persona_id in forecast.personas:
        persona = workspace.personas[persona_id]
        if campaign.reads_core(workspace.persona_locale(persona)):
            total += persona.size * persona.channels[channel].reach * kept
    return total


def plan_holdout(
    workspace: Workspace, campaign: Campaign, conversions: float
) -> PlannedHoldout | None:
    """The campaign's holdout, with the forecast's ``conversions`` (after the holdout)."""
    if not campaign.holdout:
        return None
    settings = workspace.settings.experiments
    size = sum(workspace.personas[p].size for p in campaign.personas if p in workspace.personas)
    held, treated = size * campaign.holdout, size * (1 - campaign.holdout)
    baseline = conversions / treated if treated else 0.0
    lift = stats.detectable_lift(
        baseline, held, treated / held if held else 0.0, settings.alpha, settings.power
    )
    return PlannedHoldout(campaign.holdout, held, treated, baseline, lift)


def findings(workspace: Workspace, campaign: Campaign, tests: list[PlannedTest]) -> list[Finding]:
    """An N105 for each test that cannot detect the lift it looks for."""
    source = workspace.source("campaigns", campaign.id)
    out = []
    for i, planned in enumerate(tests):
        if planned.powered:
            continue
        test = planned.test
        smallest = min(planned.arms, key=lambda a: a.contacts)
        metric = f"{test.metric.value} rate ({percent(planned.baseline_rate)} expected)"
        if planned.contacts == 0:
            can = f"the plan sends nothing on {test.channel}, so it cannot detect any lift"
        elif math.isinf(planned.min_detectable_lift):
            can = f"with {count(smallest.contacts)} contacts in its smallest arm, it cannot "
            can += f"detect any lift in {metric}"
        else:
            can = f"with {count(smallest.contacts)} contacts in its smallest arm, it detects "
            can += f"a lift of {lift(planned.min_detectable_lift)} or more in {metric}"
        need = (
            f"; it would need {count(planned.contacts_needed)} contacts in all"
            if not math.isinf(planned.contacts_needed)
            else ""
        )
        out.append(
            UNDERPOWERED_TEST(
                source.locate(("tests", i)),
                f"test '{test.id}' on {test.channel}: {can}, not the {lift(test.min_lift)} it "
                f"looks for (alpha {numbers.number(planned.alpha)}, power "
                f"{numbers.number(planned.power)}){need}",
                subject=Subject(campaign=campaign.id, channel=test.channel, part=test.part),
            )
        )
    return out


def count(value: float) -> str:
    """``12,400``: contacts, rounded up to a whole person."""
    return numbers.count(math.ceil(value - 1e-9))


def percent(rate: float) -> str:
    """``2.5%``, ``0.76%``: a rate, with the digits that matter (as ``plan`` shows it)."""
    return numbers.percent(rate, 2 if rate < 0.01 else 1, trim=True)


def lift(value: float) -> str:
    """``+10%``, ``+4.5%``: a relative lift."""
    return numbers.percent(value, 1, trim=True, signed=True)
