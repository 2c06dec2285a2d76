"""`mcplan report`: compare a campaign's results with its plan, and revise.

Study the returns, then revise: after a campaign ran, its results per channel (read by
`mcplan.results`) are compared with the forecast of `mcplan plan`, objective by objective
and channel by channel, and each channel gets a recommendation for the next campaign.

Objectives
----------

Each objective of the campaign is measured from the results the way `mcplan plan` forecasts
it (`mcplan.objectives`: sales by the revenue, or the conversions × the campaign's
average_order_value for a row without one; awareness by the messages delivered, or sent;
loyalty by the conversions; other kinds are not measured). A channel objective is measured on
that channel's row only. A row that does not give the figure is left out of the sum, and the
review names it. Attainment is actual / target, "vs forecast" is actual / forecast.

Each channel gets a recommendation for next time by the rules of :mod:`mcplan.report.advice`.

Totals add up the figures the rows give (a column no row gives stays unknown); their cost per
conversion is the campaign's, their ROI counts the channels that give both revenue and cost.
Channels come in the plan's order, then the extra channels alphabetically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from mcplan import objectives
from mcplan.errors import UsageError
from mcplan.plan.result import CampaignPlan, Funnel
from mcplan.report.advice import Judge, Recommendation, ratio_of, roi_of
from mcplan.report.counts import FIGURES
from mcplan.report.experiments import HoldoutReport, TestReport
from mcplan.report.results import ChannelResult
from mcplan.words import Phrase
from mcplan.workspace import ObjectiveKind, Workspace


@dataclass(frozen=True)
class ObjectiveReport:
    """One objective: its target, the forecast, and what the results achieved."""

    kind: str
    channel: str | None
    target: float | None
    forecast: float | None  # from the plan, in `unit`
    actual: float | None  # measured from the results; None when they do not tell
    unit: str  # revenue, contacts reached, conversions, not measured
    missing: tuple[str, ...] = ()  # the channels whose row does not tell: left out of actual

    @property
    def note(self) -> str:
        """What the actual figure leaves out, if anything."""
        if not self.missing or self.unit == "not measured":
            return ""
        figure = {"revenue": Phrase("note_revenue"), "contacts reached": Phrase("note_reached")}
        return Phrase(
            "objective_note",
            kind=Phrase(f"objective_{self.kind}"),
            missing=tuple(self.missing),
            figure=figure.get(self.unit, self.unit),
        )

    @property
    def attainment(self) -> float | None:
        """actual / target."""
        if self.target and self.actual is not None:
            return self.actual / self.target
        return None

    @property
    def vs_forecast(self) -> float | None:
        """actual / forecast."""
        if self.forecast and self.actual is not None:
            return self.actual / self.forecast
        return None


@dataclass(frozen=True)
class ChannelReport:
    """One channel (or the totals): forecast against results, and what to do next time."""

    channel: str
    planned: bool  # chosen by the plan
    forecast: Funnel | None  # None: not in the plan
    actual: ChannelResult | None  # None: not in the results
    cost_per_conversion: float | None  # actual
    roi: float | None  # (revenue − cost) / cost, when the results give both
    recommendation: Recommendation | None  # None: no results, and for the totals
    reason: str

    @property
    def conversions(self) -> float | None:
        return self.actual.converted if self.actual else None

    @property
    def gap(self) -> float | None:
        """Actual − forecast conversions."""
        if self.forecast is None or self.actual is None or self.actual.converted is None:
            return None
        return self.actual.converted - self.forecast.conversions

    @property
    def gap_ratio(self) -> float | None:
        """The gap as a share of the forecast conversions."""
        gap = self.gap
        if gap is None or self.forecast is None or not self.forecast.conversions:
            return None
        return gap / self.forecast.conversions


@dataclass(frozen=True)
class CampaignReport:
    """A campaign's results against its plan."""

    campaign: str
    name: str
    currency: str
    objectives: tuple[ObjectiveReport, ...]
    channels: tuple[ChannelReport, ...]
    total: ChannelReport
    cost_per_conversion: float | None  # the campaign's, which the rules compare with
    unplanned: bool = False  # the campaign cannot be planned: the plan chooses no channel
    tests: tuple[TestReport, ...] = ()  # its message tests the results give arms for
    holdout: HoldoutReport | None = None

    def channel(self, channel_id: str) -> ChannelReport:
        return next(c for c in self.channels if c.channel == channel_id)


def compare(
    plan: CampaignPlan, results: Sequence[ChannelResult], workspace: Workspace
) -> CampaignReport:
    """Compare a campaign's results with its plan (see the module docstring for the rules)."""
    by_channel: dict[str, ChannelResult] = {}
    for result in results:
        if result.channel in by_channel:
            raise UsageError(f"channel '{result.channel}' is given twice in the results")
        by_channel[result.channel] = result
    currency = workspace.settings.currency
    costed = [r for r in results if r.cost is not None and r.converted is not None]
    spent = sum(r.cost or 0.0 for r in costed)
    converted = sum(r.converted or 0.0 for r in costed)
    campaign_cpc = spent / converted if converted else None
    counts_reach = any(o.kind is ObjectiveKind.AWARENESS for o in plan.campaign.objectives)
    judge = Judge(campaign_cpc, currency, counts_reach)

    channels: list[ChannelReport] = []
    planned = {f.channel: f.funnel for f in plan.channels}
    # A channel the plan chooses but no touch sends is in the plan, with nothing forecast.
    planned.update({c: Funnel() for c in plan.chosen if c not in planned})
    for channel_id, funnel in planned.items():
        found = by_channel.get(channel_id)
        if found is None:
            channels.append(ChannelReport(channel_id, True, funnel, None, None, None, None,
                                          Phrase("no_results")))  # fmt: skip
        else:
            channels.append(_review(judge, found, funnel))
    for channel_id in sorted(set(by_channel) - set(planned)):
        channels.append(_review(judge, by_channel[channel_id], None))
    channels.sort(key=lambda c: c.channel)  # by id, as every table

    objectives = tuple(
        _objective(plan, index, results) for index in range(len(plan.campaign.objectives))
    )
    total = _total(plan, results, campaign_cpc)
    return CampaignReport(
        plan.campaign.id,
        plan.campaign.name or plan.campaign.id,
        currency,
        objectives,
        tuple(channels),
        total,
        campaign_cpc,
        unplanned=not plan.chosen,
    )


def _review(judge: Judge, result: ChannelResult, forecast: Funnel | None) -> ChannelReport:
    verdict, reason = judge.advise(result, forecast)
    return ChannelReport(
        result.channel,
        forecast is not None,
        forecast,
        result,
        ratio_of(result.cost, result.converted or 0.0),
        roi_of(result.revenue, result.cost),
        verdict,
        reason,
    )


def _objective(plan: CampaignPlan, index: int, results: Sequence[ChannelResult]) -> ObjectiveReport:
    objective = plan.campaign.objectives[index]
    forecast = plan.objectives[index].forecast if index < len(plan.objectives) else None
    aov = plan.campaign.average_order_value
    measured = {
        r.channel: objectives.measure(objective.kind, r.figures, aov)
        for r in results
        if objective.channel in (None, r.channel)
    }
    known = [value for value in measured.values() if value is not None]
    missing = tuple(channel for channel, value in measured.items() if value is None)
    unit = objectives.unit(objective.kind)
    return ObjectiveReport(
        objective.kind.value,
        objective.channel,
        objective.target,
        forecast,
        sum(known) if known else None,
        unit,
        missing if known else (),
    )


def _total(
    plan: CampaignPlan, results: Sequence[ChannelResult], campaign_cpc: float | None
) -> ChannelReport:
    sums: dict[str, Any] = {}
    for name in FIGURES:
        known = [getattr(r, name) for r in results if getattr(r, name) is not None]
        sums[name] = sum(known) if known else None
    actual = replace(ChannelResult("total"), **sums)
    both = [r for r in results if r.revenue is not None and r.cost is not None]
    roi = (
        roi_of(sum(r.revenue or 0.0 for r in both), sum(r.cost or 0.0 for r in both))
        if both
        else None
    )
    return ChannelReport("total", True, plan.total, actual, campaign_cpc, roi, None, "")


__all__ = ["CampaignReport", "ChannelReport", "ObjectiveReport", "Recommendation", "compare"]
