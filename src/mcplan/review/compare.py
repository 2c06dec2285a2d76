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

Percentages are shown in whole percents, or with the decimals it takes not to round across a
limit of the rules below (+9.65 % is "+9.7%", not the "+10%" that widens).

Recommendations
---------------

The campaign's cost per conversion is the total cost of the channels that give a cost,
divided by their conversions. A channel's ROI is (revenue − cost) / cost, when its row gives
both (the average order value is not used here). For each channel with results, the first rule
that applies:

1. **drop** when it converted nothing, whatever it cost: it did not work. Except in a campaign
   with an awareness objective, where a channel that reached people (delivered, or sent) did
   what the objective asks: **keep** (or **try**);
2. **drop** when its revenue does not cover its cost (ROI below 0);
3. **drop** when its cost per conversion is more than 1.5 × the campaign's, unless its ROI is
   known: a channel whose revenue covers its cost is worth its cost per conversion (high
   value sales, such as phone or a store, cost more to win);
4. **widen** when it beat its forecast conversions by 10 % or more, and either its cost per
   conversion is at most 0.8 × the campaign's or its ROI is 1 or more;
5. **keep** otherwise.

A limit counts as met: exactly +10 % at exactly 0.8 × widens, exactly 1.5 × is kept.

A channel in the results that the plan did not choose gets **drop** by rules 1 to 3 and
**try** otherwise (it converted, at a cost the campaign can bear), its reason starting with
"not in the plan". A channel of the plan missing
from the results gets no recommendation and the reason "no results".

Totals add up the figures the rows give (a column no row gives stays unknown); their cost per
conversion is the campaign's, their ROI counts the channels that give both revenue and cost.
Channels come in the plan's order, then the extra channels alphabetically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from enum import StrEnum

from mcplan import objectives
from mcplan.errors import UsageError
from mcplan.findings import count, plural
from mcplan.plan.result import CampaignPlan, Funnel
from mcplan.review.results import ChannelResult
from mcplan.workspace import ObjectiveKind, Workspace

# Recommendation thresholds (see the module docstring).
BEAT_FORECAST = 1.10  # widen: conversions at least 10 % over the forecast …
CHEAP = 0.8  # … and a cost per conversion at most 0.8 × the campaign's …
GOOD_ROI = 1.0  # … or an ROI of 1 or more
EXPENSIVE = 1.5  # drop: a cost per conversion over 1.5 × the campaign's
_EPSILON = 1e-9  # thresholds are met exactly at the limit, whatever float rounding does


# -- comparing ----------------------------------------------------------------------------


class Recommendation(StrEnum):
    """What to do with a channel next time."""

    WIDEN = "widen"
    KEEP = "keep"
    DROP = "drop"
    TRY = "try"


@dataclass(frozen=True)
class ObjectiveReview:
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
        figure = {"revenue": "the revenue", "contacts reached": "sent or delivered"}
        return (
            f"{self.kind}: without {', '.join(self.missing)}, whose results do not give "
            f"{figure.get(self.unit, self.unit)}"
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
class ChannelReview:
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
class Review:
    """A campaign's results against its plan."""

    campaign: str
    name: str
    currency: str
    objectives: tuple[ObjectiveReview, ...]
    channels: tuple[ChannelReview, ...]
    total: ChannelReview
    cost_per_conversion: float | None  # the campaign's, which the rules compare with
    unplanned: bool = False  # the campaign cannot be planned: no channel is in the plan

    def channel(self, channel_id: str) -> ChannelReview:
        return next(c for c in self.channels if c.channel == channel_id)


def compare(plan: CampaignPlan, results: Sequence[ChannelResult], workspace: Workspace) -> Review:
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
    judge = _Judge(campaign_cpc, currency, counts_reach)

    channels: list[ChannelReview] = []
    planned = {f.channel: f.funnel for f in plan.channels}
    for channel_id, funnel in planned.items():
        found = by_channel.get(channel_id)
        if found is None:
            channels.append(ChannelReview(channel_id, True, funnel, None, None, None, None,
                                          "no results"))  # fmt: skip
        else:
            channels.append(judge.review(found, funnel))
    for channel_id in sorted(set(by_channel) - set(planned)):
        channels.append(judge.review(by_channel[channel_id], None))

    objectives = tuple(
        _objective(plan, index, results) for index in range(len(plan.campaign.objectives))
    )
    total = _total(plan, results, campaign_cpc)
    return Review(
        plan.campaign.id,
        plan.campaign.name or plan.campaign.id,
        currency,
        objectives,
        tuple(channels),
        total,
        campaign_cpc,
        unplanned=bool(plan.findings),
    )


def _ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def _roi(revenue: float | None, cost: float | None) -> float | None:
    if revenue is None or not cost:
        return None
    return (revenue - cost) / cost


@dataclass(frozen=True)
class _Judge:
    campaign_cpc: float | None
    currency: str
    counts_reach: bool  # the campaign has an awareness objective

    def money(self, value: float) -> str:
        return f"{value:,.2f} {self.currency}"

    def review(self, result: ChannelResult, forecast: Funnel | None) -> ChannelReview:
        converted = result.converted or 0.0
        cpc = _ratio(result.cost, converted)
        roi = _roi(result.revenue, result.cost)
        drop = self.drop_reason(result, cpc, roi)
        reached = self.reached(result)
        if forecast is None:
            if drop:
                verdict, reason = Recommendation.DROP, f"not in the plan; {drop}"
            else:
                tried = reached or self.tried(result, cpc)
                verdict, reason = Recommendation.TRY, f"not in the plan; {tried}"
        elif drop:
            verdict, reason = Recommendation.DROP, drop
        elif reached:
            verdict, reason = Recommendation.KEEP, reached
        else:
            verdict, reason = self.widen_or_keep(result, forecast, cpc, roi)
        return ChannelReview(
            result.channel, forecast is not None, forecast, result, cpc, roi, verdict, reason
        )

    def drop_reason(
        self, result: ChannelResult, cpc: float | None, roi: float | None
    ) -> str | None:
        cost, revenue, campaign = result.cost, result.revenue, self.campaign_cpc
        if not result.converted:
            if self.reached(result):
                return None
            return f"converted nothing for {self.money(cost)}" if cost else "converted nothing"
        if roi is not None and roi < 0 and cost is not None and revenue is not None:
            return (
                f"its revenue ({self.money(revenue)}) does not cover its cost "
                f"({self.money(cost)}): ROI {percent(roi, limits=ROI_LIMITS)}"
            )
        if roi is not None:
            return None  # its revenue covers its cost, whatever each conversion costs
        if cpc is not None and campaign is not None and cpc > EXPENSIVE * campaign * (1 + _EPSILON):
            return (
                f"{self.money(cpc)} per conversion, over {EXPENSIVE:g}× the campaign's "
                f"{self.money(campaign)}"
            )
        return None

    def reached(self, result: ChannelResult) -> str | None:
        """Why a channel that converted nothing still served the campaign, if it did."""
        people = objectives.measure(ObjectiveKind.AWARENESS, result.figures, None)
        if result.converted or not self.counts_reach or not people:
            return None
        return f"converted nothing, but reached {people:,.0f} people for the awareness objective"

    def cheap(self, cpc: float | None, roi: float | None) -> str | None:
        """Why the channel is efficient enough to widen, if it is."""
        campaign = self.campaign_cpc
        if cpc is not None and campaign is not None and cpc <= CHEAP * campaign * (1 + _EPSILON):
            return (
                f"at {self.money(cpc)} per conversion, at most {CHEAP:g}× the campaign's "
                f"{self.money(campaign)}"
            )
        if roi is not None and roi >= GOOD_ROI * (1 - _EPSILON):
            return f"with an ROI of {percent(roi, limits=ROI_LIMITS)} ({GOOD_ROI:.0%} or more)"
        return None

    def not_cheap(self, cpc: float | None, roi: float | None) -> str:
        """Why a channel that beat its forecast is not efficient enough to widen."""
        parts = []
        if cpc is None:
            parts.append("its cost per conversion is not known")
        elif self.campaign_cpc is not None:
            parts.append(
                f"{self.money(cpc)} per conversion is over {CHEAP:g}× the campaign's "
                f"{self.money(self.campaign_cpc)}"
            )
        if roi is not None:
            parts.append(f"its ROI of {percent(roi, limits=ROI_LIMITS)} is under {GOOD_ROI:.0%}")
        return " and ".join(parts)

    def widen_or_keep(
        self, result: ChannelResult, forecast: Funnel, cpc: float | None, roi: float | None
    ) -> tuple[Recommendation, str]:
        converted = result.converted or 0.0
        expected = forecast.conversions
        ratio = _ratio(converted - expected, expected)
        versus = (
            f"{percent(ratio, True, GAP_LIMITS)} against its forecast "
            f"({_conversions(converted)} for {count(expected)} forecast)"
            if ratio is not None
            else f"{_conversions(converted)}, none forecast"
        )
        if converted > 0 and converted >= BEAT_FORECAST * expected * (1 - _EPSILON):
            why = self.cheap(cpc, roi)
            if why:
                return Recommendation.WIDEN, f"{versus}, {why}"
            return Recommendation.KEEP, f"{versus}, but {self.not_cheap(cpc, roi)}"
        return Recommendation.KEEP, f"{versus}, {self.cost(result, cpc, roi)}"

    def cost(self, result: ChannelResult, cpc: float | None, roi: float | None) -> str:
        parts = []
        if cpc is not None:
            parts.append(f"{self.money(cpc)} per conversion")
            if self.campaign_cpc is not None:
                parts[-1] += f" (campaign: {self.money(self.campaign_cpc)})"
        elif result.cost is not None:
            parts.append(f"{self.money(result.cost)} spent")
        if roi is not None:
            parts.append(f"ROI {percent(roi, limits=ROI_LIMITS)}")
        return ", ".join(parts) or "cost not given"

    def tried(self, result: ChannelResult, cpc: float | None) -> str:
        converted = result.converted or 0.0
        if cpc is None:
            return f"{_conversions(converted)}, cost not given"
        return f"{_conversions(converted)} at {self.money(cpc)} each"


def percent(ratio: float, signed: bool = False, limits: Sequence[float] = ()) -> str:
    """``1,313%``, ``+35%``: whole percents, or as many decimals as it takes not to round
    to the other side of one of ``limits`` (+9.65 % is ``+9.7%``, not the +10 % that widens;
    an ROI of -0.4 % is ``-0.4%``, not the 0 % that covers its cost)."""
    text = ""
    for places in (0, 1, 2, 3):
        text = f"{ratio:{'+' if signed else ''},.{places}%}"
        shown = round(ratio, places + 2)
        if all(_meets(ratio, limit) == _meets(shown, limit) for limit in limits):
            break
    return "0%" if text.strip("+-") == "0%" else text


def _meets(value: float, limit: float) -> bool:
    return value >= limit - _EPSILON


GAP_LIMITS = (BEAT_FORECAST - 1,)  # the gap to the forecast that widens
ROI_LIMITS = (0.0, GOOD_ROI)  # an ROI that covers the cost, and one that widens


def _conversions(n: float) -> str:
    return plural(n, "conversion", shown=count(n))


def _objective(plan: CampaignPlan, index: int, results: Sequence[ChannelResult]) -> ObjectiveReview:
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
    return ObjectiveReview(
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
) -> ChannelReview:
    sums: dict[str, float | None] = {}
    for field in fields(ChannelResult)[1:]:
        known = [getattr(r, field.name) for r in results if getattr(r, field.name) is not None]
        sums[field.name] = sum(known) if known else None
    actual = ChannelResult("total", **sums)
    both = [r for r in results if r.revenue is not None and r.cost is not None]
    roi = (
        _roi(sum(r.revenue or 0.0 for r in both), sum(r.cost or 0.0 for r in both))
        if both
        else None
    )
    return ChannelReview("total", True, plan.total, actual, campaign_cpc, roi, None, "")


__all__ = [
    "GAP_LIMITS",
    "ROI_LIMITS",
    "ChannelReview",
    "ObjectiveReview",
    "Recommendation",
    "Review",
    "compare",
    "percent",
]
