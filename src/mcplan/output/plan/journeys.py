"""The journeys in a plan, after the campaigns (issue 29): each one's headline, its steps' weekly
sends (per persona when it has few), and the sentences under them (live period, entries,
totals, objectives), the same in the terminal and in Markdown; `--explain` adds how each
step's figures come (`journey_explain`).

A terminal's table keeps to 80 columns for the ids a workspace usually has: the personas are
rows under each step, not columns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from mcplan.numbers import amount, money, number, quantity
from mcplan.output.grid import ID, NUMBER, Grid
from mcplan.output.plan.journey_explain import explain_lines
from mcplan.output.plan.journey_held import held_lines
from mcplan.output.plan.sentences import objective_line
from mcplan.plan.journey import JourneyForecast, StepForecast
from mcplan.plan.journey.held import CapForecast
from mcplan.words import Reader
from mcplan.workspace import Workspace

if TYPE_CHECKING:
    from mcplan.output.plan import Plans

FEW = 5  # the most personas whose figures each step shows one by one (JSON has them all)


def headline(forecast: JourneyForecast, workspace: Workspace, t: Reader) -> str:
    """``Journey Welcome (welcome): 412 sends and 3.2 conversions a week for €2.75``."""
    weekly = forecast.weekly
    return t.say(
        "journey_headline",
        name=workspace.journeys[forecast.journey].name,
        id=forecast.journey,
        sends=t.count("sends", weekly.sends, quantity(weekly.sends)),
        conversions=t.count("conversions", weekly.conversions, quantity(weekly.conversions)),
        cost=money(weekly.cost, workspace.settings.currency),
    )


def sentences(
    forecast: JourneyForecast, workspace: Workspace, t: Reader, hold: CapForecast | None = None
) -> list[str]:
    """The live period, the entries, the revenue a week, the period's totals, the
    objectives, the steps priced at one SMS segment, and the sends a week ``hold`` says the
    platform holds or skips to keep the caps."""
    currency = workspace.settings.currency
    lines = [_period(forecast, t), _entries(forecast, t)]
    if forecast.revenue_per_week is not None:
        lines.append(t.say("journey_revenue", revenue=money(forecast.revenue_per_week, currency)))
    lines.append(_totals(forecast, currency, t))
    fixed = _fixed(forecast, workspace)
    if fixed:
        lines.append(t.say("fixed_costs", costs=fixed, currency=currency))
    lines += [objective_line(o, currency, t) for o in forecast.objectives]
    if forecast.unmeasured:
        lines.append(t.say("journey_unmeasured", steps=", ".join(forecast.unmeasured)))
    return lines + held_lines(hold, t)


def _period(forecast: JourneyForecast, t: Reader) -> str:
    key = "journey_period_open" if forecast.open_ended else "journey_period"
    first, last = t.long_date(forecast.first), t.long_date(forecast.last)
    return t.say(key, first=first, last=last, weeks=number(forecast.weeks, 2))


def _entries(forecast: JourneyForecast, t: Reader) -> str:
    """Each persona's entries a week, or past a few personas their sum (JSON has each)."""
    entries = forecast.entries_per_week
    if len(entries) > FEW:
        return t.say("journey_entries", entries=quantity(sum(n for _, n in entries)))
    return t.say("journey_entries", entries=", ".join(f"{p} {quantity(n)}" for p, n in entries))


def _totals(forecast: JourneyForecast, currency: str, t: Reader) -> str:
    total = forecast.total
    said = {
        "sends": t.count("sends", total.sends, quantity(total.sends)),
        "conversions": t.count("conversions", total.conversions, quantity(total.conversions)),
        "cost": money(total.cost, currency),
    }
    if forecast.revenue is None:
        return t.say("journey_totals", **said)
    return t.say("journey_totals_revenue", **said, revenue=money(forecast.revenue, currency))


def _fixed(forecast: JourneyForecast, workspace: Workspace) -> str:
    """``email 300,00, sms 50,00``: the fixed cost of each channel the journey sends on."""
    used = sorted({s.channel for s in forecast.steps if s.total_sends_per_week > 0})
    costs = [(c, workspace.channels[c].fixed_cost) for c in used if c in workspace.channels]
    return ", ".join(f"{c} {amount(cost)}" for c, cost in costs if cost)


def steps_table(forecast: JourneyForecast, workspace: Workspace, t: Reader) -> Grid:
    """Each send step's weekly sends, conversions and cost, then each persona's under it."""
    currency = workspace.settings.currency
    few = len(forecast.entries_per_week) <= FEW
    table = Grid(
        headline(forecast, workspace, t),
        [
            (t.say("col_step_persona" if few else "col_step"), ID), (t.say("col_channel"), ID),
            (t.say("col_sends_week"), NUMBER), (t.say("col_conversions"), NUMBER),
            (t.say("col_cost_in", currency=currency), NUMBER),
        ],
    )  # fmt: skip
    for step in forecast.steps:
        weekly = step.weekly
        table.add_row(
            Text(step.step, style="bold"), step.channel, quantity(weekly.sends),
            quantity(weekly.conversions), amount(weekly.cost),
            style="bold",
        )  # fmt: skip
        if few:
            _persona_rows(table, step)
    return table


def _persona_rows(table: Grid, step: StepForecast) -> None:
    for n, persona in enumerate(step.personas, start=1):
        funnel = step.funnel(persona)
        table.add_row(
            f"  {persona}", "", quantity(funnel.sends), quantity(funnel.conversions),
            amount(funnel.cost), end_section=n == len(step.personas),
        )  # fmt: skip


def text_blocks(result: Plans) -> list[Group]:
    """One block per journey, for the terminal."""
    return [_block(forecast, result) for forecast in result.journeys]


def _block(forecast: JourneyForecast, result: Plans) -> Group:
    workspace, t = result.workspace, result.reader
    hold = result.held.get(forecast.journey)
    parts: list[RenderableType] = [steps_table(forecast, workspace, t)]
    parts += [Text(f"  {line}") for line in sentences(forecast, workspace, t, hold)]
    if result.explain:
        lines = explain_lines(forecast, workspace, t, hold)
        parts += [Text("  " * (1 + depth) + line, style="dim") for depth, line in lines]
    return Group(*parts, Text(""))


def markdown_lines(result: Plans) -> list[str]:
    """The journeys' section: one sub-section per journey, its steps as a table (a column
    per persona when it has few), its sentences, and with --explain how the figures come."""
    if not result.journeys:
        return []
    workspace, t = result.workspace, result.reader
    lines = [f"## {t.say('journeys')}", ""]
    for forecast in result.journeys:
        lines += [f"### {headline(forecast, workspace, t)}", ""]
        lines += _markdown_table(forecast, workspace, t)
        hold = result.held.get(forecast.journey)
        lines += ["", *(f"- {line}" for line in sentences(forecast, workspace, t, hold))]
        if result.explain:
            lines += _markdown_explain(forecast, workspace, t, hold)
        lines.append("")
    return lines


def _markdown_explain(
    forecast: JourneyForecast, workspace: Workspace, t: Reader, hold: CapForecast | None
) -> list[str]:
    """The rules in italics, then each step as an item and its personas under it."""
    lines = [""]
    for depth, line in explain_lines(forecast, workspace, t, hold):
        lines += [f"_{line}_", ""] if depth == 0 else ["  " * (depth - 1) + f"- {line}"]
    return lines


def _markdown_table(forecast: JourneyForecast, workspace: Workspace, t: Reader) -> list[str]:
    currency = workspace.settings.currency
    personas = [p for p, _ in forecast.entries_per_week]
    shown = personas if len(personas) <= FEW else []
    headers = [t.say("col_step"), t.say("col_channel"), t.say("col_sends_week"), *shown,
               t.say("col_conversions"), t.say("col_cost")]  # fmt: skip
    aligns = ["---", "---", *["---:"] * (len(headers) - 2)]
    lines = ["| " + " | ".join(headers) + " |", "| " + " | ".join(aligns) + " |"]
    for step in forecast.steps:
        per = [quantity(step.funnel(p).sends) for p in shown]
        cells = [step.step, step.channel, quantity(step.total_sends_per_week), *per,
                 quantity(step.weekly.conversions), money(step.weekly.cost, currency)]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    weekly = forecast.weekly
    total = [f"**{t.say('total')}**", "", quantity(weekly.sends), *([""] * len(shown)),
             quantity(weekly.conversions), money(weekly.cost, currency)]  # fmt: skip
    return [*lines, "| " + " | ".join(total) + " |"]


__all__ = ["FEW", "headline", "markdown_lines", "sentences", "steps_table", "text_blocks"]
