"""What to do with each channel next time: widen, keep, drop, or try.

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

Percentages are shown in whole percents, or with the decimals it takes not to round across a
limit of these rules (+9.65 % is "+9.7%", not the "+10%" that widens).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from mcplan import numbers, objectives
from mcplan.plan.result import Funnel
from mcplan.report.results import ChannelResult
from mcplan.words import Phrase
from mcplan.workspace import ObjectiveKind

# Recommendation thresholds (see the module docstring).
BEAT_FORECAST = 1.10  # widen: conversions at least 10 % over the forecast …
CHEAP = 0.8  # … and a cost per conversion at most 0.8 × the campaign's …
GOOD_ROI = 1.0  # … or an ROI of 1 or more
EXPENSIVE = 1.5  # drop: a cost per conversion over 1.5 × the campaign's
_EPSILON = 1e-9  # thresholds are met exactly at the limit, whatever float rounding does


class Recommendation(StrEnum):
    """What to do with a channel next time."""

    WIDEN = "widen"
    KEEP = "keep"
    DROP = "drop"
    TRY = "try"


def ratio_of(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def roi_of(revenue: float | None, cost: float | None) -> float | None:
    if revenue is None or not cost:
        return None
    return (revenue - cost) / cost


@dataclass(frozen=True)
class Judge:
    """The rules, for one campaign: its cost per conversion, its currency, and whether it has an
    awareness objective."""

    campaign_cpc: float | None
    currency: str
    counts_reach: bool  # the campaign has an awareness objective

    def money(self, value: float) -> str:
        return numbers.money(value, self.currency)

    def advise(self, result: ChannelResult, forecast: Funnel | None) -> tuple[Recommendation, str]:
        """What to do with the channel of ``result`` next time, and why; ``forecast`` is None
        for a channel the plan did not choose."""
        converted = result.converted or 0.0
        cpc = ratio_of(result.cost, converted)
        roi = roi_of(result.revenue, result.cost)
        drop = self.drop_reason(result, cpc, roi)
        reached = self.reached(result)
        if forecast is None:
            if drop:
                return Recommendation.DROP, Phrase("outside_plan", why=drop)
            why = reached or self.tried(result, cpc)
            return Recommendation.TRY, Phrase("outside_plan", why=why)
        if drop:
            return Recommendation.DROP, drop
        if reached:
            return Recommendation.KEEP, reached
        return self.widen_or_keep(result, forecast, cpc, roi)

    def drop_reason(
        self, result: ChannelResult, cpc: float | None, roi: float | None
    ) -> str | None:
        cost, revenue, campaign = result.cost, result.revenue, self.campaign_cpc
        if not result.converted:
            if self.reached(result):
                return None
            if cost:
                return Phrase("converted_nothing_for", cost=self.money(cost))
            return Phrase("converted_nothing")
        if roi is not None and roi < 0 and cost is not None and revenue is not None:
            return Phrase(
                "revenue_below_cost",
                revenue=self.money(revenue),
                cost=self.money(cost),
                roi=percent(roi, limits=ROI_LIMITS),
            )
        if roi is not None:
            return None  # its revenue covers its cost, whatever each conversion costs
        if cpc is not None and campaign is not None and cpc > EXPENSIVE * campaign * (1 + _EPSILON):
            return Phrase(
                "too_expensive",
                cpc=self.money(cpc),
                times=numbers.number(EXPENSIVE),
                campaign=self.money(campaign),
            )
        return None

    def reached(self, result: ChannelResult) -> str | None:
        """Why a channel that converted nothing still served the campaign, if it did."""
        people = objectives.measure(ObjectiveKind.AWARENESS, result.figures, None)
        if result.converted or not self.counts_reach or not people:
            return None
        return Phrase("reached_people", people=numbers.count(people))

    def cheap(self, cpc: float | None, roi: float | None) -> str | None:
        """Why the channel is efficient enough to widen, if it is."""
        campaign = self.campaign_cpc
        if cpc is not None and campaign is not None and cpc <= CHEAP * campaign * (1 + _EPSILON):
            return Phrase(
                "cheap_enough",
                cpc=self.money(cpc),
                times=numbers.number(CHEAP),
                campaign=self.money(campaign),
            )
        if roi is not None and roi >= GOOD_ROI * (1 - _EPSILON):
            good = numbers.percent(GOOD_ROI, 0)
            return Phrase("good_roi", roi=percent(roi, limits=ROI_LIMITS), good=good)
        return None

    def not_cheap(self, cpc: float | None, roi: float | None) -> str:
        """Why a channel that beat its forecast is not efficient enough to widen."""
        parts = []
        if cpc is None:
            parts.append(Phrase("cpc_unknown"))
        elif self.campaign_cpc is not None:
            parts.append(
                Phrase(
                    "not_cheap_enough",
                    cpc=self.money(cpc),
                    times=numbers.number(CHEAP),
                    campaign=self.money(self.campaign_cpc),
                )
            )
        if roi is not None:
            good = numbers.percent(GOOD_ROI, 0)
            parts.append(Phrase("roi_under", roi=percent(roi, limits=ROI_LIMITS), good=good))
        return Phrase("both", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]

    def widen_or_keep(
        self, result: ChannelResult, forecast: Funnel, cpc: float | None, roi: float | None
    ) -> tuple[Recommendation, str]:
        converted = result.converted or 0.0
        expected = forecast.conversions
        ratio = ratio_of(converted - expected, expected)
        versus = (
            Phrase(
                "against_forecast",
                gap=percent(ratio, True, GAP_LIMITS),
                conversions=_conversions(converted),
                forecast=numbers.quantity(expected),
            )
            if ratio is not None
            else Phrase("none_forecast", conversions=_conversions(converted))
        )
        if converted > 0 and converted >= BEAT_FORECAST * expected * (1 - _EPSILON):
            why = self.cheap(cpc, roi)
            if why:
                return Recommendation.WIDEN, Phrase("then", first=versus, second=why)
            return Recommendation.KEEP, Phrase("but", first=versus, second=self.not_cheap(cpc, roi))
        return Recommendation.KEEP, Phrase("then", first=versus, second=self.cost(result, cpc, roi))

    def cost(self, result: ChannelResult, cpc: float | None, roi: float | None) -> str:
        parts: list[Phrase] = []
        if cpc is not None:
            if self.campaign_cpc is not None:
                parts.append(
                    Phrase(
                        "cpc_of_campaign",
                        cpc=self.money(cpc),
                        campaign=self.money(self.campaign_cpc),
                    )
                )
            else:
                parts.append(Phrase("cpc", cpc=self.money(cpc)))
        elif result.cost is not None:
            parts.append(Phrase("spent", cost=self.money(result.cost)))
        if roi is not None:
            parts.append(Phrase("roi", roi=percent(roi, limits=ROI_LIMITS)))
        if not parts:
            return Phrase("cost_not_given")
        return Phrase("then", first=parts[0], second=parts[1]) if len(parts) == 2 else parts[0]

    def tried(self, result: ChannelResult, cpc: float | None) -> str:
        converted = result.converted or 0.0
        if cpc is None:
            return Phrase("then", first=_conversions(converted), second=Phrase("cost_not_given"))
        return Phrase("conversions_each", conversions=_conversions(converted), cost=self.money(cpc))


def percent(ratio: float, signed: bool = False, limits: Sequence[float] = ()) -> str:
    """``1,313%``, ``+35%`` (in the locale of the command: ``1 313 %`` in French): whole
    percents, or as many decimals as it takes not to round to the other side of one of
    ``limits`` (+9.65 % is ``+9.7%``, not the +10 % that widens; an ROI of -0.4 % is
    ``-0.4%``, not the 0 % that covers its cost). ``attribute`` shows an ROI so too."""
    return numbers.percent(ratio, 0, signed=signed, limits=limits)


GAP_LIMITS = (BEAT_FORECAST - 1,)  # the gap to the forecast that widens
ROI_LIMITS = (0.0, GOOD_ROI)  # an ROI that covers the cost, and one that widens


def _conversions(n: float) -> Phrase:
    return Phrase.counted("conversions", n, numbers.quantity(n))


__all__ = [
    "GAP_LIMITS",
    "ROI_LIMITS",
    "Judge",
    "Recommendation",
    "percent",
    "ratio_of",
    "roi_of",
]
