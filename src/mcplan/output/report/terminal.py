"""A report in a terminal: its objectives, its channels (forecast against actual) and what to
do with each, then its tests and holdout; 80 columns wide."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from mcplan.numbers import NONE, amount, decimal, money
from mcplan.output import Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.output.report.cells import (
    OBJECTIVE_HEADERS,
    cost,
    count,
    forecast_conversions,
    headers,
    headline,
    objective_cells,
    percentage,
    revenue,
    verdict,
)
from mcplan.output.report.experiments import (
    TEST_HEADERS,
    arm_cells,
    holdout_lines,
    mismatch_line,
    test_title,
)
from mcplan.report.advice import GAP_LIMITS, ROI_LIMITS, Recommendation
from mcplan.report.compare import CampaignReport, ChannelReport
from mcplan.words import Reader, reader

STYLES = {
    Recommendation.WIDEN: "bold green",
    Recommendation.KEEP: "cyan",
    Recommendation.DROP: "bold red",
    Recommendation.TRY: "yellow",
}


def tables(review: CampaignReport) -> Rich:
    """The objectives, then the channels (forecast against actual) and what to do with each.

    The terminal's channel table leaves out what the lines under it or the plan tell (the
    forecast cost, the gap in conversions, the verdict), to fit 80 columns: see `markdown`.
    """
    currency, t = review.currency, reader()
    parts: list[RenderableType] = []
    if review.objectives:
        parts.append(_objectives(review, currency, t))
        parts += [Text(f"  {t.text(o.note)}", style="dim") for o in review.objectives if o.note]
    parts.append(_channels(review, currency, t))
    if any(not c.planned for c in review.channels):
        parts.append(Text(f"  * {t.say('not_in_plan')}", style="dim"))
    campaign_cpc = money(review.cost_per_conversion, currency)
    parts.append(Text("  " + t.say("campaign_cost_per_conversion", cost=campaign_cpc)))
    parts.append(Padding(_verdicts(review, t), (0, 0, 0, 2)))
    parts += _experiment_tables(review, t)
    return Rich([Group(*parts, Text(""))])


def _objectives(review: CampaignReport, currency: str, t: Reader) -> Grid:
    names = headers(OBJECTIVE_HEADERS, t)
    grid = Grid(
        t.say("report_objectives", campaign=review.name),
        [(names[0], TEXT), *((name, NUMBER) for name in names[1:])],
    )
    for o in review.objectives:
        grid.add_row(*objective_cells(o, currency, t, short=True))
    return grid


def _channels(review: CampaignReport, currency: str, t: Reader) -> Grid:
    """Each channel's forecast and actual figures (`*`: not in the plan), then the total."""
    grid = Grid(
        headline(review, currency, t),
        [
            (t.say("col_channel"), ID), (t.say("col_forecast"), NUMBER),
            (t.say("col_converted"), NUMBER), (t.say("col_gap_pct"), NUMBER),
            (t.say("col_cost_in", currency=currency), NUMBER),
            (t.say("col_per_conversion_in", currency=currency), NUMBER),
            (t.say("col_revenue_in", currency=currency), NUMBER), (t.say("col_roi"), NUMBER),
        ],
    )  # fmt: skip
    *cells, total = _rows([*review.channels, review.total])
    for index, (channel, row) in enumerate(zip(review.channels, cells, strict=True)):
        grid.add_row(
            channel.channel + ("" if channel.planned else " *"),
            *row,
            end_section=index == len(review.channels) - 1,
        )
    grid.add_row(Text(t.say("total"), style="bold"), *total)
    return grid


def _short_money(value: float | None, whole: bool) -> str:
    """`25,500` or `393.76`: in a column headed with the currency, cents only when no figure
    of the column reaches 1,000 (one column, one precision)."""
    if value is None:
        return NONE
    return decimal(value, 0 if whole else 2)


def _rows(rows: Sequence[ChannelReport]) -> list[list[str]]:
    """The channel table's cells of each row (the channels, then the total)."""
    costs, revenues = [cost(r) for r in rows], [revenue(r) for r in rows]
    whole_cost = any(abs(v) >= 1000 for v in costs if v is not None)
    whole_revenue = any(abs(v) >= 1000 for v in revenues if v is not None)
    return [
        [
            count(forecast_conversions(row)),
            count(row.conversions),
            percentage(row.gap_ratio, True, GAP_LIMITS),
            _short_money(spent, whole_cost),
            amount(row.cost_per_conversion),
            _short_money(earned, whole_revenue),
            percentage(row.roi, limits=ROI_LIMITS),
        ]
        for row, spent, earned in zip(rows, costs, revenues, strict=True)
    ]


def _verdicts(review: CampaignReport, t: Reader) -> Grid:
    """What to do with each channel next time, and why."""
    grid = Grid(None, [("next time", ID), ("why", TEXT)], header=False)
    for channel in review.channels:
        style = STYLES.get(channel.recommendation) if channel.recommendation else "dim"
        grid.add_row(
            Text(verdict(channel, t), style=style or ""),
            f"{channel.channel}: {t.text(channel.reason)}",
        )
    return grid


def _experiment_tables(review: CampaignReport, t: Reader) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for test in review.tests:
        # The rate's interval is in the Markdown and the JSON: 80 columns hold the rest.
        shown = [i for i, name in enumerate(TEST_HEADERS) if name != "interval"]
        names = headers(TEST_HEADERS, t)
        columns = [(names[i], NUMBER) for i in shown[1:]]
        grid = Grid(test_title(test, t), [(names[0], ID), *columns])
        for arm in test.arms:
            cells = arm_cells(arm, t)
            grid.add_row(*(cells[i] for i in shown))
        parts.append(grid)
        if test.mismatch:
            parts.append(Text(f"  {mismatch_line(test, t)}", style="bold yellow"))
    if review.holdout is not None:
        parts += [Text(f"  {line}") for line in holdout_lines(review.holdout, t)]
    return parts
