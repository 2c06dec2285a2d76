"""A campaign's results against its plan (`mcplan report`): rich tables, JSON or Markdown."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mcplan import numbers
from mcplan.numbers import NONE, amount, decimal, money, quantity, rounded
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.plan.result import Funnel
from mcplan.report.advice import GAP_LIMITS, ROI_LIMITS, Recommendation, percent
from mcplan.report.compare import CampaignReport, ChannelReport, ObjectiveReport
from mcplan.report.experiments import ArmReport, HoldoutReport, TestReport
from mcplan.report.results import ChannelResult
from mcplan.words import Reader, reader

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


def _objective_label(objective: ObjectiveReport, t: Reader) -> str:
    from mcplan.output.plan.sentences import objective_name, unit_of

    name = objective_name(objective.kind, objective.channel, t)
    return f"{name}: {unit_of(objective.unit, t)}"


def _verdict(channel: ChannelReport, t: Reader) -> str:
    if channel.recommendation is None:
        return t.say("no_results")
    return t.say(f"advice_{channel.recommendation.value}")


def _headline(review: CampaignReport, currency: str, t: Reader) -> str:
    total = review.total
    converted = total.actual.converted if total.actual else None
    forecast = total.forecast.conversions if total.forecast else None
    return t.say(
        "report_headline",
        campaign=review.name,
        conversions=t.count("conversions", converted or 0, _count(converted)),
        cost=money(_cost(total), currency),
        forecast=_count(forecast),
        forecast_cost=money(_forecast_cost(total), currency),
    )


def _cost(channel: ChannelReport) -> float | None:
    return channel.actual.cost if channel.actual else None


def _revenue(channel: ChannelReport) -> float | None:
    return channel.actual.revenue if channel.actual else None


def _forecast_cost(channel: ChannelReport) -> float | None:
    return channel.forecast.cost if channel.forecast else None


def _forecast_conversions(channel: ChannelReport) -> float | None:
    return channel.forecast.conversions if channel.forecast else None


def _short_money(value: float | None, whole: bool) -> str:
    """`25,500` or `393.76`: in a column headed with the currency, cents only when no figure
    of the column reaches 1,000 (one column, one precision)."""
    if value is None:
        return NONE
    return decimal(value, 0 if whole else 2)


def _terminal_rows(rows: Sequence[ChannelReport]) -> list[list[str]]:
    """The terminal table's cells of each row (the channels, then the total)."""
    costs, revenues = [_cost(r) for r in rows], [_revenue(r) for r in rows]
    whole_cost = any(abs(v) >= 1000 for v in costs if v is not None)
    whole_revenue = any(abs(v) >= 1000 for v in revenues if v is not None)
    return [
        [
            _count(_forecast_conversions(row)),
            _count(row.conversions),
            _percent(row.gap_ratio, True, GAP_LIMITS),
            _short_money(cost, whole_cost),
            amount(row.cost_per_conversion),
            _short_money(revenue, whole_revenue),
            _percent(row.roi, limits=ROI_LIMITS),
        ]
        for row, cost, revenue in zip(rows, costs, revenues, strict=True)
    ]


def _channel_cells(channel: ChannelReport, currency: str) -> list[str]:
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


# The columns, by catalogue key (`col_<name>`).
CHANNEL_HEADERS = (
    "channel", "forecast_conv", "converted", "gap", "gap_pct", "forecast_cost", "cost",
    "per_conversion", "revenue", "roi", "next_time",
)  # fmt: skip
OBJECTIVE_HEADERS = ("objective", "target", "forecast", "actual", "attainment", "vs_forecast")


def _headers(names: Sequence[str], t: Reader) -> list[str]:
    return [t.say(f"col_{name}") for name in names]


# -- tests and holdout ----------------------------------------------------------------------


def _rate(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 2)


def _lift(value: float | None) -> str:
    return NONE if value is None else numbers.percent(value, 1, signed=True)


def _interval(low: float | None, high: float | None, show: Callable[[float | None], str]) -> str:
    if low is None or high is None:
        return NONE
    return reader().say("interval", low=show(low), high=show(high))


def _p(value: float | None) -> str:
    if value is None:
        return NONE
    return f"< {decimal(0.0001, 4)}" if value < 0.0001 else decimal(value, 4)


def _level(alpha: float) -> str:
    return numbers.percent(1 - alpha)


TEST_HEADERS = ("arm", "contacts", "successes", "rate", "interval", "lift", "lift_interval", "p")


def _arm_cells(arm: ArmReport, t: Reader) -> list[str]:
    c = arm.comparison
    return [
        arm.arm, _count(arm.contacts), _count(arm.successes), _rate(arm.rate),
        _interval(arm.low, arm.high, _rate), _lift(c.lift) if c else t.say("control"),
        _interval(c.low, c.high, _lift) if c else "", _p(c.p_value) if c else "",
    ]  # fmt: skip


def _test_title(test: TestReport, t: Reader) -> str:
    planned = test.test
    return t.say(
        "report_test",
        test=planned.id,
        channel=planned.channel,
        part=t.part(planned.part),
        metric=t.say(f"metric_{planned.metric.value}"),
        per=t.words.get(f"per_{test.denominator}", test.denominator),
        verdict=t.text(test.verdict),
    )


def _mismatch_line(test: TestReport, t: Reader) -> str:
    return t.say(
        "sample_ratio_mismatch",
        test=test.test.id,
        chi2=decimal(test.split_chi2, 1),
        p=_p(test.split_p),
    )


def _group(row: ChannelResult, t: Reader) -> str:
    contacts, converted = row.contacts or 0.0, row.converted or 0.0
    return t.say("rate_of", rate=_rate(converted / contacts), contacts=_count(contacts))


def _holdout_lines(holdout: HoldoutReport, t: Reader) -> list[str]:
    c = holdout.comparison
    level = _level(holdout.alpha)
    verdict = t.say("significant" if holdout.significant else "not_significant")
    return [
        t.say(
            "holdout_groups", treated=_group(holdout.treated, t), held=_group(holdout.holdout, t)
        ),
        t.say(
            "holdout_lift",
            lift=_lift(c.lift),
            level=level,
            interval=_interval(c.low, c.high, _lift),
            p=_p(c.p_value),
            verdict=verdict,
        ),
        t.say(
            "holdout_incremental",
            incremental=_signed(holdout.incremental),
            level=level,
            interval=_interval(holdout.incremental_low, holdout.incremental_high, _signed),
        ),
    ]


def _experiment_tables(review: CampaignReport, t: Reader) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for test in review.tests:
        # The rate's interval is in the Markdown and the JSON: 80 columns hold the rest.
        shown = [i for i, name in enumerate(TEST_HEADERS) if name != "interval"]
        headers = _headers(TEST_HEADERS, t)
        columns = [(headers[i], NUMBER) for i in shown[1:]]
        grid = Grid(_test_title(test, t), [(headers[0], ID), *columns])
        for arm in test.arms:
            cells = _arm_cells(arm, t)
            grid.add_row(*(cells[i] for i in shown))
        parts.append(grid)
        if test.mismatch:
            parts.append(Text(f"  {_mismatch_line(test, t)}", style="bold yellow"))
    if review.holdout is not None:
        parts += [Text(f"  {line}") for line in _holdout_lines(review.holdout, t)]
    return parts


def _sig(value: float | None) -> float | None:
    """A p-value or a statistic for JSON: six significant digits."""
    return None if value is None else float(f"{value:.6g}")


def _test_dict(test: TestReport) -> dict[str, Any]:
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
        "verdict": str(test.verdict),
        "confidence": 1 - test.alpha,
        "sample_ratio": {
            "chi2": _sig(test.split_chi2),
            "p_value": _sig(test.split_p),
            "mismatch": test.mismatch,
        },
    }


def _holdout_dict(holdout: HoldoutReport | None) -> dict[str, Any] | None:
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


def tables(review: CampaignReport) -> Rich:
    """The objectives, then the channels (forecast against actual) and what to do with each.

    The terminal's channel table leaves out what the lines under it or the plan tell (the
    forecast cost, the gap in conversions, the verdict), to fit 80 columns: see `markdown`.
    """
    currency, t = review.currency, reader()
    headers = _headers(OBJECTIVE_HEADERS, t)
    objectives = Grid(
        t.say("report_objectives", campaign=review.name),
        [(headers[0], TEXT), *((name, NUMBER) for name in headers[1:])],
    )
    for o in review.objectives:
        objectives.add_row(*_objective_cells(o, currency, t, short=True))

    channels = Grid(
        _headline(review, currency, t),
        [
            (t.say("col_channel"), ID), (t.say("col_forecast"), NUMBER),
            (t.say("col_converted"), NUMBER), (t.say("col_gap_pct"), NUMBER),
            (t.say("col_cost_in", currency=currency), NUMBER),
            (t.say("col_per_conversion_in", currency=currency), NUMBER),
            (t.say("col_revenue_in", currency=currency), NUMBER), (t.say("col_roi"), NUMBER),
        ],
    )  # fmt: skip
    *cells, total = _terminal_rows([*review.channels, review.total])
    for index, (channel, row) in enumerate(zip(review.channels, cells, strict=True)):
        channels.add_row(
            channel.channel + ("" if channel.planned else " *"),
            *row,
            end_section=index == len(review.channels) - 1,
        )
    channels.add_row(Text(t.say("total"), style="bold"), *total)

    notes = [Text(f"  {t.text(o.note)}", style="dim") for o in review.objectives if o.note]
    parts: list[RenderableType] = (
        [objectives, *notes, channels] if review.objectives else [channels]
    )
    if any(not c.planned for c in review.channels):
        parts.append(Text(f"  * {t.say('not_in_plan')}", style="dim"))
    campaign_cpc = money(review.cost_per_conversion, currency)
    parts.append(Text("  " + t.say("campaign_cost_per_conversion", cost=campaign_cpc)))
    verdicts = Grid(None, [("next time", ID), ("why", TEXT)], header=False)
    for channel in review.channels:
        style = STYLES.get(channel.recommendation) if channel.recommendation else "dim"
        verdicts.add_row(
            Text(_verdict(channel, t), style=style or ""),
            f"{channel.channel}: {t.text(channel.reason)}",
        )
    parts.append(Padding(verdicts, (0, 0, 0, 2)))
    parts += _experiment_tables(review, t)
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


def _channel_dict(channel: ChannelReport) -> dict[str, Any]:
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


def _objective_cells(
    objective: ObjectiveReport, currency: str, t: Reader, short: bool = False
) -> list[str]:
    """One objective's row, in the table (``short`` amounts) and in Markdown."""
    return [
        _objective_label(objective, t),
        _figure(objective.target, objective.unit, currency, short),
        _figure(objective.forecast, objective.unit, currency, short),
        _figure(objective.actual, objective.unit, currency, short),
        _percent(objective.attainment, limits=(1.0,)),
        _percent(objective.vs_forecast),
    ]


def as_dict(review: CampaignReport) -> dict[str, Any]:
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
                "reason": str(c.reason),
            }
            for c in review.channels
        ],
        "total": _channel_dict(review.total),
        "tests": [_test_dict(t) for t in review.tests],
        "holdout": _holdout_dict(review.holdout),
    }


def as_json(review: CampaignReport) -> str:
    return json.dumps(as_dict(review), indent=2, ensure_ascii=False) + "\n"


# -- Markdown -------------------------------------------------------------------------------


def _md_row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def as_markdown(review: CampaignReport) -> str:
    """Objectives, channels and recommendations, to paste into a campaign debrief."""
    currency, t = review.currency, reader()
    lines = [f"## {_headline(review, currency, t)}", ""]
    if review.objectives:
        lines += [
            _md_row(_headers(OBJECTIVE_HEADERS, t)),
            "| --- |" + " ---: |" * (len(OBJECTIVE_HEADERS) - 1),
        ]
        lines += [_md_row(_objective_cells(o, currency, t)) for o in review.objectives]
        lines.append("")
        lines += [f"_{t.text(o.note)}_\n" for o in review.objectives if o.note]
    lines += [
        _md_row(_headers(CHANNEL_HEADERS, t)),
        "| --- |" + " ---: |" * (len(CHANNEL_HEADERS) - 2) + " --- |",
    ]
    for c in review.channels:
        name = c.channel if c.planned else f"{c.channel} ({t.say('not_in_plan')})"
        lines.append(_md_row([name, *_channel_cells(c, currency), f"**{_verdict(c, t)}**"]))
    lines.append(_md_row([f"**{t.say('total')}**", *_channel_cells(review.total, currency), ""]))
    campaign_cpc = money(review.cost_per_conversion, currency)
    said = t.say("campaign_cost_per_conversion", cost=campaign_cpc)
    lines += ["", f"{said[:1].upper()}{said[1:]}.", ""]
    lines += [f"- **{_verdict(c, t)}** {c.channel}: {t.text(c.reason)}" for c in review.channels]
    lines.append("")
    for test in review.tests:
        lines += [f"### {_test_title(test, t)}", "", _md_row(_headers(TEST_HEADERS, t))]
        lines.append("| --- |" + " ---: |" * (len(TEST_HEADERS) - 1))
        lines += [_md_row(_arm_cells(arm, t)) for arm in test.arms]
        lines.append("")
        if test.mismatch:
            lines += [f"**{t.say('warning')}** {_mismatch_line(test, t)}.", ""]
    if review.holdout is not None:
        heading = t.say("holdout_heading")
        lines += [f"### {heading}", ""]
        lines += [f"- {line}" for line in _holdout_lines(review.holdout, t)]
        lines.append("")
    return "\n".join(lines)


EMITTERS: dict[str, Emitter[CampaignReport]] = {
    "text": tables,
    "json": as_json,
    "markdown": as_markdown,
}

__all__ = ["EMITTERS", "as_dict", "as_json", "as_markdown", "tables"]
