"""A report in Markdown, to paste into a campaign debrief: objectives, channels (every figure,
the terminal's and the ones it leaves out) and recommendations, then tests and holdout."""

from __future__ import annotations

from mcplan.numbers import money
from mcplan.output.report.cells import (
    OBJECTIVE_HEADERS,
    cost,
    count,
    forecast_conversions,
    forecast_cost,
    headers,
    headline,
    objective_cells,
    percentage,
    revenue,
    signed,
    verdict,
)
from mcplan.output.report.experiments import (
    TEST_HEADERS,
    arm_cells,
    holdout_lines,
    mismatch_line,
    test_title,
)
from mcplan.report.advice import GAP_LIMITS, ROI_LIMITS
from mcplan.report.compare import CampaignReport, ChannelReport
from mcplan.report.experiments import TestReport
from mcplan.words import Reader, reader

# The columns, by catalogue key (`col_<name>`).
CHANNEL_HEADERS = (
    "channel", "forecast_conv", "converted", "gap", "gap_pct", "forecast_cost", "cost",
    "per_conversion", "revenue", "roi", "next_time",
)  # fmt: skip


def as_markdown(review: CampaignReport) -> str:
    """Objectives, channels and recommendations, to paste into a campaign debrief."""
    currency, t = review.currency, reader()
    lines = [f"## {headline(review, currency, t)}", ""]
    if review.objectives:
        lines += _objectives(review, currency, t)
    lines += _channels(review, currency, t)
    for test in review.tests:
        lines += _test(test, t)
    if review.holdout is not None:
        heading = t.say("holdout_heading")
        lines += [f"### {heading}", ""]
        lines += [f"- {line}" for line in holdout_lines(review.holdout, t)]
        lines.append("")
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def _objectives(review: CampaignReport, currency: str, t: Reader) -> list[str]:
    """The objectives' table, then the notes on how some are measured."""
    lines = [
        _row(headers(OBJECTIVE_HEADERS, t)),
        "| --- |" + " ---: |" * (len(OBJECTIVE_HEADERS) - 1),
    ]
    lines += [_row(objective_cells(o, currency, t)) for o in review.objectives]
    lines.append("")
    lines += [f"_{t.text(o.note)}_\n" for o in review.objectives if o.note]
    return lines


def _channel_cells(channel: ChannelReport, currency: str) -> list[str]:
    return [
        count(forecast_conversions(channel)),
        count(channel.conversions),
        signed(channel.gap),
        percentage(channel.gap_ratio, True, GAP_LIMITS),
        money(forecast_cost(channel), currency),
        money(cost(channel), currency),
        money(channel.cost_per_conversion, currency),
        money(revenue(channel), currency),
        percentage(channel.roi, limits=ROI_LIMITS),
    ]


def _channels(review: CampaignReport, currency: str, t: Reader) -> list[str]:
    """The channels' table with the total, the campaign's cost per conversion, and what to
    do with each channel and why."""
    lines = [
        _row(headers(CHANNEL_HEADERS, t)),
        "| --- |" + " ---: |" * (len(CHANNEL_HEADERS) - 2) + " --- |",
    ]
    for c in review.channels:
        name = c.channel if c.planned else f"{c.channel} ({t.say('not_in_plan')})"
        lines.append(_row([name, *_channel_cells(c, currency), f"**{verdict(c, t)}**"]))
    lines.append(_row([f"**{t.say('total')}**", *_channel_cells(review.total, currency), ""]))
    campaign_cpc = money(review.cost_per_conversion, currency)
    said = t.say("campaign_cost_per_conversion", cost=campaign_cpc)
    lines += ["", f"{said[:1].upper()}{said[1:]}.", ""]
    lines += [f"- **{verdict(c, t)}** {c.channel}: {t.text(c.reason)}" for c in review.channels]
    lines.append("")
    return lines


def _test(test: TestReport, t: Reader) -> list[str]:
    """A message test's arms, and a warning when its split is off."""
    lines = [f"### {test_title(test, t)}", "", _row(headers(TEST_HEADERS, t))]
    lines.append("| --- |" + " ---: |" * (len(TEST_HEADERS) - 1))
    lines += [_row(arm_cells(arm, t)) for arm in test.arms]
    lines.append("")
    if test.mismatch:
        lines += [f"**{t.say('warning')}** {mismatch_line(test, t)}.", ""]
    return lines
