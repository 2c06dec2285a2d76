"""A campaign's results against its plan (`mcplan report`): rich tables, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mcplan import numbers
from mcplan.findings import plural
from mcplan.numbers import NONE, amount, decimal, money, quantity, rounded
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.plan.result import Funnel
from mcplan.review.advice import GAP_LIMITS, ROI_LIMITS, Recommendation, percent
from mcplan.review.compare import ChannelReview, ObjectiveReview, Review
from mcplan.review.experiments import ArmReview, HoldoutReview, TestReview
from mcplan.review.results import ChannelResult

STYLES = {
    Recommendation.WIDEN: "bold green",
    Recommendation.KEEP: "cyan",
    Recommendation.DROP: "bold red",
    Recommendation.TRY: "yellow",
}


# -- numbers for people ---------------------------------------------------------------------


def _count(value: float | None) -> str:
    return NONE if value is None else quantity(value)


def _signed(value: float | None) -> str:
    return NONE if value is None else quantity(value, signed=True)


def _percent(value: float | None, signed: bool = False, limits: Sequence[float] = ()) -> str:
    if value is None:
        return NONE
    return percent(value, signed, limits)


def _figure(value: float | None, unit: str, currency: str, short: bool = False) -> str:
    if unit != "revenue":
        return _count(value)
    if short and value is not None:
        return money(value, currency, whole=abs(value) >= 1000)
    return money(value, currency)


def _objective_label(objective: ObjectiveReview) -> str:
    where = f" ({objective.channel})" if objective.channel else ""
    return f"{objective.kind}{where}: {objective.unit}"


def _verdict(channel: ChannelReview) -> str:
    return channel.recommendation.value if channel.recommendation else "no results"


def _headline(review: Review, currency: str) -> str:
    total = review.total
    converted = total.actual.converted if total.actual else None
    forecast = total.forecast.conversions if total.forecast else None
    return (
        f"{review.name}: {plural(converted or 0, 'conversion', shown=_count(converted))} for "
        f"{money(_cost(total), currency)} "
        f"({_count(forecast)} forecast for {money(_forecast_cost(total), currency)})"
    )


def _cost(channel: ChannelReview) -> float | None:
    return channel.actual.cost if channel.actual else None


def _revenue(channel: ChannelReview) -> float | None:
    return channel.actual.revenue if channel.actual else None


def _forecast_cost(channel: ChannelReview) -> float | None:
    return channel.forecast.cost if channel.forecast else None


def _forecast_conversions(channel: ChannelReview) -> float | None:
    return channel.forecast.conversions if channel.forecast else None


def _short_money(value: float | None) -> str:
    """`25,500` or `393.76`: cents only under 1,000, in a column headed with the currency."""
    if value is None:
        return NONE
    return decimal(value, 0 if abs(value) >= 1000 else 2)


def _terminal_cells(channel: ChannelReview) -> list[str]:
    return [
        _count(_forecast_conversions(channel)),
        _count(channel.conversions),
        _percent(channel.gap_ratio, True, GAP_LIMITS),
        _short_money(_cost(channel)),
        amount(channel.cost_per_conversion),
        _short_money(_revenue(channel)),
        _percent(channel.roi, limits=ROI_LIMITS),
    ]


def _channel_cells(channel: ChannelReview, currency: str) -> list[str]:
    return [
        _count(_forecast_conversions(channel)),
        _count(channel.conversions),
        _signed(channel.gap),
        _percent(channel.gap_ratio, True, GAP_LIMITS),
        money(_forecast_cost(channel), currency),
        money(_cost(channel), currency),
        money(channel.cost_per_conversion, currency),
        money(_revenue(channel), currency),
        _percent(channel.roi, limits=ROI_LIMITS),
    ]


CHANNEL_HEADERS = (
    "channel", "forecast conv.", "converted", "gap", "gap %", "forecast cost", "cost",
    "per conversion", "revenue", "ROI", "next time",
)  # fmt: skip
OBJECTIVE_HEADERS = ("objective", "target", "forecast", "actual", "attainment", "vs forecast")


# -- tests and holdout ----------------------------------------------------------------------


def _rate(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 2)


def _lift(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 1, signed=True)


def _interval(low: float | None, high: float | None, show: Callable[[float | None], str]) -> str:
    return NONE if low is None or high is None else f"{show(low)} to {show(high)}"


def _p(value: float | None) -> str:
    if value is None:
        return NONE
    return f"< {decimal(0.0001, 4)}" if value < 0.0001 else decimal(value, 4)


def _level(alpha: float) -> str:
    return numbers.percent(1 - alpha)


TEST_HEADERS = ("arm", "contacts", "successes", "rate", "interval", "lift", "lift interval", "p")


def _arm_cells(arm: ArmReview) -> list[str]:
    c = arm.comparison
    return [
        arm.arm, _count(arm.contacts), _count(arm.successes), _rate(arm.rate),
        _interval(arm.low, arm.high, _rate), _lift(c.lift) if c else "control",
        _interval(c.low, c.high, _lift) if c else "", _p(c.p_value) if c else "",
    ]  # fmt: skip


def _test_title(test: TestReview) -> str:
    t = test.test
    return (
        f"test {t.id} ({t.channel} {t.part}, {t.metric.value} per {test.denominator}): "
        f"{test.verdict}"
    )


def _mismatch_line(test: TestReview) -> str:
    return (
        f"sample ratio mismatch in test {test.test.id}: the sends split as planned would be "
        f"this unlikely (χ² {decimal(test.split_chi2, 1)}, p {_p(test.split_p)}); check how "
        "contacts were assigned before trusting the result"
    )


def _group(row: ChannelResult) -> str:
    contacts, converted = row.contacts or 0.0, row.converted or 0.0
    return f"{_rate(converted / contacts)} of {_count(contacts)}"


def _holdout_lines(holdout: HoldoutReview) -> list[str]:
    c = holdout.comparison
    level = _level(holdout.alpha)
    verdict = "significant" if holdout.significant else "not significant"
    return [
        f"holdout: treated {_group(holdout.treated)}, held out {_group(holdout.holdout)}",
        f"lift {_lift(c.lift)} ({level} interval {_interval(c.low, c.high, _lift)}), p "
        f"{_p(c.p_value)}: {verdict}",
        f"incremental conversions {_signed(holdout.incremental)} ({level} interval "
        f"{_signed(holdout.incremental_low)} to {_signed(holdout.incremental_high)})",
    ]


def _experiment_tables(review: Review) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for test in review.tests:
        # The rate's interval is in the Markdown and the JSON: 80 columns hold the rest.
        shown = [i for i, name in enumerate(TEST_HEADERS) if name != "interval"]
        columns = [(TEST_HEADERS[i], NUMBER) for i in shown[1:]]
        grid = Grid(_test_title(test), [("arm", ID), *columns])
        for arm in test.arms:
            cells = _arm_cells(arm)
            grid.add_row(*(cells[i] for i in shown))
        parts.append(grid)
        if test.mismatch:
            parts.append(Text(f"  {_mismatch_line(test)}", style="bold yellow"))
    if review.holdout is not None:
        parts += [Text(f"  {line}") for line in _holdout_lines(review.holdout)]
    return parts


def _sig(value: float | None) -> float | None:
    """A p-value or a statistic for JSON: six significant digits."""
    return None if value is None else float(f"{value:.6g}")


def _test_dict(test: TestReview) -> dict[str, Any]:
    t, deciding = test.test, test.deciding
    c = deciding.comparison if deciding else None
    return {
        "id": t.id,
        "channel": t.channel,
        "part": t.part,
        "metric": t.metric.value,
        "denominator": test.denominator,
        "arms": [
            {
                "arm": a.arm,
                "contacts": a.contacts,
                "successes": a.successes,
                "rate": round(a.rate, 8),
                "rate_low": round(a.low, 8),
                "rate_high": round(a.high, 8),
                "lift": rounded(a.comparison.lift, 6) if a.comparison else None,
                "lift_low": rounded(a.comparison.low, 6) if a.comparison else None,
                "lift_high": rounded(a.comparison.high, 6) if a.comparison else None,
                "p_value": _sig(a.comparison.p_value) if a.comparison else None,
            }
            for a in test.arms
        ],
        "lift": rounded(c.lift, 6) if c else None,
        "lift_low": rounded(c.low, 6) if c else None,
        "lift_high": rounded(c.high, 6) if c else None,
        "p_value": _sig(c.p_value) if c else None,
        "winner": test.winner,
        "verdict": test.verdict,
        "confidence": 1 - test.alpha,
        "sample_ratio": {
            "chi2": _sig(test.split_chi2),
            "p_value": _sig(test.split_p),
            "mismatch": test.mismatch,
        },
    }


def _holdout_dict(holdout: HoldoutReview | None) -> dict[str, Any] | None:
    if holdout is None:
        return None
    c = holdout.comparison

    def group(row: ChannelResult) -> dict[str, Any]:
        contacts, converted = row.contacts or 0.0, row.converted or 0.0
        return {
            "contacts": contacts,
            "converted": converted,
            "rate": round(converted / contacts, 8),
        }

    return {
        "treated": group(holdout.treated),
        "holdout": group(holdout.holdout),
        "lift": rounded(c.lift, 6),
        "lift_low": rounded(c.low, 6),
        "lift_high": rounded(c.high, 6),
        "p_value": _sig(c.p_value),
        "significant": holdout.significant,
        "incremental_conversions": round(holdout.incremental, 2),
        "incremental_low": rounded(holdout.incremental_low),
        "incremental_high": rounded(holdout.incremental_high),
        "confidence": 1 - holdout.alpha,
    }


# -- rich -----------------------------------------------------------------------------------


def tables(review: Review) -> Rich:
    """The objectives, then the channels (forecast against actual) and what to do with each.

    The terminal's channel table leaves out what the lines under it or the plan tell (the
    forecast cost, the gap in conversions, the verdict), to fit 80 columns: see `markdown`.
    """
    currency = review.currency
    objectives = Grid(
        f"{review.name}: objectives",
        [("objective", TEXT), *((name, NUMBER) for name in OBJECTIVE_HEADERS[1:])],
    )
    for o in review.objectives:
        objectives.add_row(*_objective_cells(o, currency, short=True))

    channels = Grid(
        _headline(review, currency),
        [
            ("channel", ID), ("forecast", NUMBER), ("converted", NUMBER), ("gap %", NUMBER),
            (f"cost {currency}", NUMBER), (f"{currency} per conversion", NUMBER),
            (f"revenue {currency}", NUMBER), ("ROI", NUMBER),
        ],
    )  # fmt: skip
    for index, channel in enumerate(review.channels):
        channels.add_row(
            channel.channel + ("" if channel.planned else " *"),
            *_terminal_cells(channel),
            end_section=index == len(review.channels) - 1,
        )
    channels.add_row(Text("total", style="bold"), *_terminal_cells(review.total))

    notes = [Text(f"  {o.note}", style="dim") for o in review.objectives if o.note]
    parts: list[RenderableType] = (
        [objectives, *notes, channels] if review.objectives else [channels]
    )
    if any(not c.planned for c in review.channels):
        parts.append(Text("  * not in the plan", style="dim"))
    parts.append(
        Text(f"  campaign cost per conversion: {money(review.cost_per_conversion, currency)}")
    )
    verdicts = Grid(None, [("next time", ID), ("why", TEXT)], header=False)
    for channel in review.channels:
        style = STYLES.get(channel.recommendation) if channel.recommendation else "dim"
        verdicts.add_row(
            Text(_verdict(channel), style=style or ""), f"{channel.channel}: {channel.reason}"
        )
    parts.append(Padding(verdicts, (0, 0, 0, 2)))
    parts += _experiment_tables(review)
    return Rich([Group(*parts, Text(""))])


# -- JSON -----------------------------------------------------------------------------------


def _forecast_dict(funnel: Funnel | None) -> dict[str, Any] | None:
    if funnel is None:
        return None
    return {
        "sent": rounded(funnel.sends, 1),
        "delivered": rounded(funnel.reached, 1),
        "opened": rounded(funnel.opens, 1),
        "clicked": rounded(funnel.clicks, 1),
        "converted": rounded(funnel.conversions),
        "cost": rounded(funnel.cost),
    }


def _actual_dict(result: ChannelResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "sent": result.sent,
        "delivered": result.delivered,
        "opened": result.opened,
        "clicked": result.clicked,
        "converted": result.converted,
        "revenue": rounded(result.revenue),
        "cost": rounded(result.cost),
    }


def _channel_dict(channel: ChannelReview) -> dict[str, Any]:
    return {
        "channel": channel.channel,
        "planned": channel.planned,
        "forecast": _forecast_dict(channel.forecast),
        "actual": _actual_dict(channel.actual),
        "gap": rounded(channel.gap),
        "gap_ratio": rounded(channel.gap_ratio, 4),
        "cost_per_conversion": rounded(channel.cost_per_conversion),
        "roi": rounded(channel.roi, 4),
    }


def _objective_cells(objective: ObjectiveReview, currency: str, short: bool = False) -> list[str]:
    """One objective's row, in the table (``short`` amounts) and in Markdown."""
    return [
        _objective_label(objective),
        _figure(objective.target, objective.unit, currency, short),
        _figure(objective.forecast, objective.unit, currency, short),
        _figure(objective.actual, objective.unit, currency, short),
        _percent(objective.attainment, limits=(1.0,)),
        _percent(objective.vs_forecast),
    ]


def as_dict(review: Review) -> dict[str, Any]:
    """A review as plain data (the JSON format)."""
    return {
        "campaign": review.campaign,
        "name": review.name,
        "currency": review.currency,
        "cost_per_conversion": rounded(review.cost_per_conversion),
        "objectives": [
            {
                "kind": o.kind,
                "channel": o.channel,
                "unit": o.unit,
                "target": o.target,
                "forecast": rounded(o.forecast),
                "actual": rounded(o.actual),
                "attainment": rounded(o.attainment, 4),
                "vs_forecast": rounded(o.vs_forecast, 4),
                "missing": list(o.missing),
            }
            for o in review.objectives
        ],
        "channels": [
            {
                **_channel_dict(c),
                "recommendation": c.recommendation.value if c.recommendation else None,
                "reason": c.reason,
            }
            for c in review.channels
        ],
        "total": _channel_dict(review.total),
        "tests": [_test_dict(t) for t in review.tests],
        "holdout": _holdout_dict(review.holdout),
    }


def as_json(review: Review) -> str:
    return json.dumps(as_dict(review), indent=2, ensure_ascii=False) + "\n"


# -- Markdown -------------------------------------------------------------------------------


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def as_markdown(review: Review) -> str:
    """Objectives, channels and recommendations, to paste into a campaign debrief."""
    currency = review.currency
    lines = [f"## {_headline(review, currency)}", ""]
    if review.objectives:
        lines += [
            _md_row(list(OBJECTIVE_HEADERS)),
            "| --- |" + " ---: |" * (len(OBJECTIVE_HEADERS) - 1),
        ]
        lines += [_md_row(_objective_cells(o, currency)) for o in review.objectives]
        lines.append("")
        lines += [f"_{o.note}_\n" for o in review.objectives if o.note]
    lines += [
        _md_row(list(CHANNEL_HEADERS)),
        "| --- |" + " ---: |" * (len(CHANNEL_HEADERS) - 2) + " --- |",
    ]
    for c in review.channels:
        name = c.channel if c.planned else f"{c.channel} (not in the plan)"
        lines.append(_md_row([name, *_channel_cells(c, currency), f"**{_verdict(c)}**"]))
    lines.append(_md_row(["**total**", *_channel_cells(review.total, currency), ""]))
    lines += [
        "",
        f"Campaign cost per conversion: {money(review.cost_per_conversion, currency)}.",
        "",
    ]
    lines += [f"- **{_verdict(c)}** {c.channel}: {c.reason}" for c in review.channels]
    lines.append("")
    for test in review.tests:
        lines += [f"### {_test_title(test)}", "", _md_row(list(TEST_HEADERS))]
        lines.append("| --- |" + " ---: |" * (len(TEST_HEADERS) - 1))
        lines += [_md_row(_arm_cells(arm)) for arm in test.arms]
        lines.append("")
        if test.mismatch:
            lines += [f"**Warning:** {_mismatch_line(test)}.", ""]
    if review.holdout is not None:
        lines += ["### Holdout", ""]
        lines += [f"- {line}" for line in _holdout_lines(review.holdout)]
        lines.append("")
    return "\n".join(lines)


EMITTERS: dict[str, Emitter[Review]] = {"text": tables, "json": as_json, "markdown": as_markdown}

__all__ = ["EMITTERS", "as_dict", "as_json", "as_markdown", "tables"]
