"""A plan in a terminal: the forecast table, the sentences under it, and with `--explain` the
factors' table and its notes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from mcplan.numbers import amount, decimal, quantity
from mcplan.output import Rich
from mcplan.output.grid import ID, NUMBER, Grid
from mcplan.output.plan.explain import explain_table, notes
from mcplan.output.plan.journeys import text_blocks
from mcplan.output.plan.sentences import (
    experiment_lines,
    headline,
    not_chosen,
    not_forecast,
    objective_line,
    schedule_label,
    touch_line,
)
from mcplan.plan.result import CampaignPlan, Funnel
from mcplan.words import Reader

if TYPE_CHECKING:
    from mcplan.output.plan import Plans


PERSONAS_SHOWN = 12  # persona rows under a channel; the others are added up in one row


def shown_personas(
    sent: Sequence[tuple[str, Funnel]],
) -> tuple[list[tuple[str, Funnel]], list[tuple[str, Funnel]]]:
    """The personas a channel's rows show, and those one row adds up: all of them up to
    ``PERSONAS_SHOWN`` + 1, in the campaign's order; beyond, the ``PERSONAS_SHOWN`` with the
    most conversions, most first (a plan for a thousand personas is read, not scrolled:
    `--format json` lists every one)."""
    if len(sent) <= PERSONAS_SHOWN + 1:
        return list(sent), []
    ranked = sorted(sent, key=lambda item: -item[1].conversions)
    return ranked[:PERSONAS_SHOWN], ranked[PERSONAS_SHOWN:]


def forecast_table(plan: CampaignPlan, currency: str, t: Reader) -> Grid:
    """Each channel's forecast (its fixed cost included), then each persona's under it."""
    table = Grid(
        headline(plan, currency, t),
        [
            (t.say("col_channel_persona"), ID), (t.say("col_score"), NUMBER),
            (t.say("col_reached"), NUMBER), (t.say("col_conversions"), NUMBER),
            (t.say("col_cost_in", currency=currency), NUMBER),
            (t.say("col_per_conversion_in", currency=currency), NUMBER),
        ],
    )  # fmt: skip
    for forecast in plan.channels:
        funnel = forecast.funnel
        table.add_row(
            Text(forecast.channel, style="bold"),
            "",
            quantity(funnel.reached),
            quantity(funnel.conversions),
            amount(funnel.cost),
            amount(funnel.cost_per_conversion),
            style="bold",
        )
        block = plan.candidates.blocks[forecast.channel]
        scores = dict(zip(block.personas, block.scores.tolist(), strict=True))
        shown, rest = shown_personas(forecast.sent)
        for n, (persona, sent) in enumerate(shown, start=1):
            table.add_row(
                f"  {persona}",
                decimal(scores[persona], 3),
                quantity(sent.reached),
                quantity(sent.conversions),
                amount(sent.cost),
                amount(sent.cost_per_conversion),
                end_section=n == len(shown) and not rest,
            )
        if rest:
            others = sum((f for _, f in rest), Funnel())
            table.add_row(
                Text("  " + t.count("more_personas", len(rest)), style="dim"),
                "",
                quantity(others.reached),
                quantity(others.conversions),
                amount(others.cost),
                amount(others.cost_per_conversion),
                style="dim",
                end_section=True,
            )
    return table


def text(result: Plans) -> Rich:
    """One block per campaign: the choice, what was left out and why, objectives, schedule;
    then one per journey (`journeys`)."""
    return Rich([*(_block(plan, result) for plan in result.plans), *text_blocks(result)])


def _block(plan: CampaignPlan, result: Plans) -> Group:
    currency, t = result.workspace.settings.currency, result.reader
    parts: list[RenderableType] = [
        forecast_table(plan, currency, t) if plan.channels else Text(headline(plan, currency, t))
    ]
    parts += _left_out(plan, currency, t)
    parts += [Text("  " + objective_line(o, currency, t)) for o in plan.objectives]
    parts += [Text("  " + line) for line in experiment_lines(plan, t)]
    if plan.touches:
        parts.append(Text(f"  {schedule_label(plan, t)}", style="bold"))
        parts += [Text(f"    {touch_line(plan, i, t)}") for i in range(len(plan.touches))]
    parts += [Text(f"  {finding}", style="bold red") for finding in plan.findings]
    if result.explain:
        parts.append(explain_table(plan, currency, t))
        parts += [Text(f"  {line}", style="dim") for line in notes(plan, result.workspace, t)]
    return Group(*parts, Text(""))


def _left_out(plan: CampaignPlan, currency: str, t: Reader) -> list[Text]:
    """The fixed costs the table's figures include, then the channels chosen that send
    nothing and the channels left out, with why."""
    lines = []
    fixed = [f"{c.channel} {amount(c.fixed_cost)}" for c in plan.channels if c.fixed_cost]
    if fixed:
        line = "  " + t.say("fixed_costs", costs=", ".join(fixed), currency=currency)
        lines.append(Text(line, style="dim"))
    lines += [Text("  " + t.say("not_forecast", channel=c)) for c in not_forecast(plan)]
    lines += [Text(f"  ✗ {c}: {why}", style="yellow") for c, why in not_chosen(plan, t)]
    return lines
