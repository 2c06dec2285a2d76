"""A plan in Markdown, to paste into a brief: its forecast table, the sentences under it, its
schedule, and with `--explain` the factors' table and its notes."""

from __future__ import annotations

from typing import TYPE_CHECKING

from mcplan.numbers import money, quantity
from mcplan.output.plan.explain import markdown_lines
from mcplan.output.plan.journeys import markdown_lines as journey_lines
from mcplan.output.plan.sentences import (
    experiment_lines,
    headline,
    not_chosen,
    not_forecast,
    objective_line,
    schedule_label,
    touch_line,
)
from mcplan.plan.result import CampaignPlan
from mcplan.words import Reader

if TYPE_CHECKING:
    from mcplan.output.plan import Plans

_COLUMNS = ("channel", "personas", "reached", "conversions", "cost", "per_conversion")


def as_markdown(result: Plans) -> str:
    """One section per campaign, in the workspace's language."""
    currency, t = result.workspace.settings.currency, result.reader
    lines: list[str] = []
    for plan in result.plans:
        lines += _forecast_table(plan, currency, t)
        lines += _sentences(plan, currency, t)
        if plan.touches:
            label = schedule_label(plan, t)
            lines += ["", f"{label[:1].upper()}{label[1:]}", ""]
            lines += [f"1. {touch_line(plan, i, t)}" for i in range(len(plan.touches))]
        lines += [f"- **{f.rule}** {f.message}" for f in plan.findings]
        if result.explain:
            lines += markdown_lines(plan, result.workspace, t)
        lines.append("")
    lines += journey_lines(result)
    return "\n".join(lines)


def _forecast_table(plan: CampaignPlan, currency: str, t: Reader) -> list[str]:
    """The headline, then each channel's forecast and the total."""
    lines = [
        f"## {headline(plan, currency, t)}",
        "",
        "| " + " | ".join(t.say(f"col_{h}") for h in _COLUMNS) + " |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for c in plan.channels:
        lines.append(
            f"| {c.channel} | {', '.join(c.personas)} | {quantity(c.funnel.reached)} | "
            f"{quantity(c.funnel.conversions)} | {money(c.funnel.cost, currency)} | "
            f"{money(c.funnel.cost_per_conversion, currency)} |"
        )
    total = plan.total
    lines.append(
        f"| **{t.say('total')}** | | {quantity(total.reached)} | "
        f"{quantity(total.conversions)} | "
        f"{money(total.cost, currency)} | {money(total.cost_per_conversion, currency)} |"
    )
    return [*lines, ""]


def _sentences(plan: CampaignPlan, currency: str, t: Reader) -> list[str]:
    """The objectives, the experiments, and the channels not forecast or left out."""
    lines = [f"- {objective_line(o, currency, t)}" for o in plan.objectives]
    lines += [f"- {line}" for line in experiment_lines(plan, t)]
    lines += ["- " + t.say("not_forecast", channel=f"**{c}**") for c in not_forecast(plan)]
    lines += [
        "- " + t.say("not_chosen", channel=f"**{channel}**", why=why)
        for channel, why in not_chosen(plan, t)
    ]
    return lines
