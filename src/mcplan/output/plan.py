"""Plans as rich tables, JSON, YAML or Markdown (to paste into a brief)."""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import yaml
from rich.console import Group, RenderableType
from rich.text import Text

from mcplan import numbers
from mcplan.numbers import (
    amount,
    decimal,
    moment,
    money,
    number,
    quantity,
    rounded,
    unit_price,
)
from mcplan.output import Emitter, Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.plan.experiments import PlannedHoldout, PlannedTest, lift, percent
from mcplan.plan.result import CampaignPlan, Candidate, Funnel
from mcplan.words import Reader, reader
from mcplan.workspace import Workspace
from mcplan.workspace.settings import ExperimentSettings


@dataclass(frozen=True)
class Plans:
    """The plans to show, and how: ``explain`` adds every factor of every score."""

    plans: Sequence[CampaignPlan]
    workspace: Workspace
    explain: bool = False

    @property
    def reader(self) -> Reader:
        """Who reads the text and the Markdown: the workspace's language."""
        return Reader.of(self.workspace.settings.locale)


def _funnel(funnel: Funnel) -> dict[str, Any]:
    return {
        "sends": rounded(funnel.sends, 1),
        "reached": rounded(funnel.reached, 1),
        "opens": rounded(funnel.opens, 1),
        "clicks": rounded(funnel.clicks, 1),
        "conversions": rounded(funnel.conversions, 2),
        "cost": rounded(funnel.cost),
        "cost_per_conversion": rounded(funnel.cost_per_conversion),
    }


def _candidate(candidate: Candidate) -> dict[str, Any]:
    f = candidate.factors
    return {
        "persona": candidate.persona,
        "channel": candidate.channel,
        "score": round(candidate.score, 4),
        "value": round(candidate.value, 4),
        "factors": {
            "reach": f.reach,
            "affinity": f.affinity,
            "objective_fit": round(f.objective_fit, 4),
            "objectives": [{"kind": k, "weight": w, "fit": x} for k, w, x in f.objectives],
            "stage_fit": f.stage_fit,
            "efficiency": round(f.efficiency, 4),
            "cost_per_outcome": rounded(f.cost_per_outcome),
            "reference": rounded(f.reference),
        },
        "outcome": round(candidate.outcome, 4),
        "forecast": _funnel(candidate.funnel),
    }


def _lift(value: float | None) -> float | None:
    """A lift for JSON: None when none can be detected (no contacts)."""
    return None if value is None or math.isinf(value) else round(value, 6)


def _test(planned: PlannedTest) -> dict[str, Any]:
    test = planned.test
    return {
        "id": test.id,
        "channel": test.channel,
        "part": test.part,
        "metric": test.metric.value,
        "min_lift": test.min_lift,
        "arms": [
            {
                "arm": arm.arm,
                "share": round(arm.share, 6),
                "contacts": rounded(arm.contacts, 1),
                "reached": rounded(arm.reached, 1),
                "min_detectable_lift": _lift(arm.min_detectable_lift),
            }
            for arm in planned.arms
        ],
        "baseline_rate": planned.baseline_rate,
        "min_detectable_lift": _lift(planned.min_detectable_lift),
        "powered": planned.powered,
        "contacts_needed": None
        if math.isinf(planned.contacts_needed)
        else math.ceil(planned.contacts_needed),
        "alpha": planned.alpha,
        "power": planned.power,
    }


def _holdout(holdout: PlannedHoldout | None) -> dict[str, Any] | None:
    if holdout is None:
        return None
    return {
        "share": holdout.share,
        "contacts": rounded(holdout.contacts, 1),
        "treated": rounded(holdout.treated, 1),
        "baseline_rate": round(holdout.baseline_rate, 8),
        "min_detectable_lift": _lift(holdout.min_detectable_lift),
    }


def as_dict(plan: CampaignPlan) -> dict[str, Any]:
    """A plan as plain data (the JSON and YAML formats)."""
    campaign = plan.campaign
    return {
        "campaign": campaign.id,
        "budget": campaign.budget,
        "max_channels": campaign.max_channels,
        "chosen": list(plan.chosen),
        "channels": [
            {
                "channel": c.channel,
                "personas": list(c.personas),
                "value": round(c.value, 4),
                **_funnel(c.funnel),
            }
            for c in plan.channels
        ],
        "total": _funnel(plan.total),
        "objectives": [
            {
                "kind": o.kind,
                "channel": o.channel,
                "target": o.target,
                "forecast": rounded(o.forecast),
                "unit": o.unit,
                "share": rounded(o.share, 4),
                "people": rounded(o.people, 1),
            }
            for o in plan.objectives
        ],
        "touches": [
            {
                "channel": t.channel,
                "at": t.at.isoformat(timespec="minutes"),
                "personas": list(t.personas) if t.personas else None,
                "after": t.after,
            }
            for t in plan.touches
        ],
        "touches_proposed": plan.proposed,
        "tests": [_test(t) for t in plan.tests],
        "holdout": _holdout(plan.holdout),
        "counts": plan.candidates.counts.unit,
        "segments": {
            channel: {persona: round(s.units, 4) for persona, s in found.items()}
            for channel, found in plan.segments.items()
        },
        "candidates": [_candidate(c) for c in plan.candidates],
        "rejected": [
            {"channel": r.channel, "persona": r.persona, "reason": str(r.reason)}
            for r in plan.rejections
        ],
        "findings": [f.to_dict() for f in plan.findings],
    }


def as_json(result: Plans) -> str:
    return json.dumps([as_dict(p) for p in result.plans], indent=2, ensure_ascii=False) + "\n"


def as_yaml(result: Plans) -> str:
    return yaml.safe_dump(
        [as_dict(p) for p in result.plans], sort_keys=False, allow_unicode=True, width=100
    )


def _test_line(planned: PlannedTest, reader: Reader) -> str:
    test = planned.test
    arms = ", ".join(f"{a.arm} {quantity(a.contacts)}" for a in planned.arms)
    what = reader.say(
        "test_contacts",
        test=test.id,
        channel=test.channel,
        part=reader.part(test.part),
        metric=reader.say(f"metric_{test.metric.value}"),
        arms=arms,
    )
    if math.isinf(planned.min_detectable_lift):
        return reader.say("test_blind", what=what)
    detectable, baseline = lift(planned.min_detectable_lift), percent(planned.baseline_rate)
    detects = reader.say("test_detects", lift=detectable, baseline=baseline)
    if planned.powered:
        return reader.say("test_enough", what=what, detects=detects, wanted=lift(test.min_lift))
    return reader.say("test_not_enough", what=what, detects=detects, wanted=lift(test.min_lift))


def _holdout_line(holdout: PlannedHoldout, reader: Reader) -> str:
    what = reader.say(
        "holdout_people",
        share=percent(holdout.share),
        held=quantity(holdout.contacts),
        treated=quantity(holdout.treated),
    )
    if math.isinf(holdout.min_detectable_lift):
        return reader.say("holdout_blind", what=what)
    return reader.say(
        "holdout_detects",
        what=what,
        lift=lift(holdout.min_detectable_lift),
        baseline=percent(holdout.baseline_rate),
    )


def _experiment_lines(plan: CampaignPlan, reader: Reader) -> list[str]:
    lines = [_test_line(t, reader) for t in plan.tests]
    return lines + ([_holdout_line(plan.holdout, reader)] if plan.holdout else [])


def _power_note(plan: CampaignPlan, settings: ExperimentSettings, reader: Reader) -> list[str]:
    """How the tests' and the holdout's figures are found, for --explain."""
    notes = []
    if plan.tests:
        notes.append(
            reader.say("note_tests", alpha=number(settings.alpha), power=number(settings.power))
        )
    if plan.holdout:
        notes.append(
            reader.say("note_holdout", alpha=number(settings.alpha), power=number(settings.power))
        )
    return notes


def _not_chosen(plan: CampaignPlan, reader: Reader) -> list[tuple[str, str]]:
    """(channel, why) for every channel left out, rejected or not selected."""
    out = [
        (r.channel, f"{r.persona}: {reader.text(r.reason)}" if r.persona else reader.text(r.reason))
        for r in plan.rejections
    ]
    return out + [(c, reader.text(why)) for c, why in plan.unselected.items()]


def _count(count: float) -> str:
    """`2 segments`, `1.75 segments` (the arms of a test, weighted by their split)."""
    shown = quantity(count) if count == int(count) else decimal(count, 2)
    return reader().say("segments_one" if count == 1 else "segments_many", count=shown)


def billing_lines(plan: CampaignPlan, workspace: Workspace) -> list[str]:
    """How each chosen channel billed per segment is priced, for --explain: its segments
    (per arm of its test) × its price per segment, and to whom."""
    say, currency = reader().say, workspace.settings.currency
    lines = []
    for forecast in plan.channels:
        found = plan.segments.get(forecast.channel)
        if found is None:
            continue
        price = workspace.channels[forecast.channel].cost_per_contact
        groups: dict[tuple[float, tuple[tuple[str | None, int, float], ...]], list[str]] = {}
        for persona in forecast.personas:
            if persona in found:
                groups.setdefault((found[persona].units, found[persona].arms), []).append(persona)
        for (units, arms), personas in groups.items():
            segments = _count(units)
            if len({n for _, n, _ in arms}) > 1:  # the arms differ: each one's
                shown = ", ".join(f"{say('arm', arm=arm)} {n}" for arm, n, _ in arms)
                segments = say("segments_by_arm", segments=segments, arms=shown)
            lines.append(
                say(
                    "billed_per_segment",
                    channel=forecast.channel,
                    segments=segments,
                    price=unit_price(price, currency),
                    cost=unit_price(units * price, currency),
                    personas=", ".join(personas),
                )
            )
        unmeasured = [p for p in forecast.personas if p not in found]
        if unmeasured:
            lines.append(
                say(
                    "segments_not_rendered",
                    channel=forecast.channel,
                    personas=", ".join(unmeasured),
                )
            )
    return lines


def value_line(plan: CampaignPlan) -> str:
    """What the value of a candidate counts, for --explain."""
    counts, say = plan.candidates.counts, reader().say
    if counts.unit != "mixed":
        return say(f"value_{counts.unit}")
    shares = ", ".join(f"{c} {decimal(share, 2)}" for c, share in counts.shares)
    return say("value_mixed", rate=decimal(counts.rate, 4), shares=shares)


def _not_forecast(plan: CampaignPlan) -> list[str]:
    """The channels chosen that no touch sends: the headline and the table leave them out."""
    forecast = {c.channel for c in plan.channels}
    return [c for c in plan.chosen if c not in forecast]


def _touch_line(plan: CampaignPlan, index: int, reader: Reader) -> str:
    touch = plan.touches[index]
    who = ", ".join(touch.personas) if touch.personas else reader.say("every_persona")
    if touch.after:
        return reader.say(
            "touch_after", at=moment(touch.at), channel=touch.channel, who=who, after=touch.after
        )
    return reader.say("touch", at=moment(touch.at), channel=touch.channel, who=who)


def _headline(plan: CampaignPlan, currency: str, reader: Reader) -> str:
    campaign = plan.campaign
    said = {
        "campaign": campaign.name,
        "channels": reader.count("channels", len(plan.channels)),
        "conversions": reader.count(
            "conversions", plan.total.conversions, quantity(plan.total.conversions)
        ),
        "cost": money(plan.total.cost, currency),
    }
    if campaign.budget is not None:
        return reader.say("plan_headline_budget", **said, budget=money(campaign.budget, currency))
    return reader.say("plan_headline", **said)


def forecast_table(plan: CampaignPlan, currency: str, t: Reader) -> Grid:
    """Each channel's forecast (its fixed cost included), then each persona's under it."""
    table = Grid(
        _headline(plan, currency, t),
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
        scores = {c.persona: c.score for c in plan.candidates.blocks[forecast.channel]}
        for n, (persona, sent) in enumerate(forecast.sent, start=1):
            table.add_row(
                f"  {persona}",
                decimal(scores[persona], 3),
                quantity(sent.reached),
                quantity(sent.conversions),
                amount(sent.cost),
                amount(sent.cost_per_conversion),
                end_section=n == len(forecast.sent),
            )
    return table


def text(result: Plans) -> Rich:
    """One block per campaign: the choice, what was left out and why, objectives, schedule."""
    currency, t = result.workspace.settings.currency, result.reader
    out: list[RenderableType] = []
    for plan in result.plans:
        parts: list[RenderableType] = [
            forecast_table(plan, currency, t)
            if plan.channels
            else Text(_headline(plan, currency, t))
        ]
        fixed = [f"{c.channel} {amount(c.fixed_cost)}" for c in plan.channels if c.fixed_cost]
        if fixed:
            line = "  " + t.say("fixed_costs", costs=", ".join(fixed), currency=currency)
            parts.append(Text(line, style="dim"))
        for channel in _not_forecast(plan):
            parts.append(Text("  " + t.say("not_forecast", channel=channel)))
        for channel, why in _not_chosen(plan, t):
            parts.append(Text(f"  ✗ {channel}: {why}", style="yellow"))
        for objective in plan.objectives:
            parts.append(Text("  " + _objective_line(objective, currency, t)))
        parts += [Text("  " + line) for line in _experiment_lines(plan, t)]
        if plan.touches:
            label = t.say("proposed_schedule" if plan.proposed else "schedule")
            parts.append(Text(f"  {label}", style="bold"))
            parts += [Text(f"    {_touch_line(plan, i, t)}") for i in range(len(plan.touches))]
        for finding in plan.findings:
            parts.append(Text(f"  {finding}", style="bold red"))
        if result.explain:
            parts.append(explain_table(plan, currency, t))
            notes = [value_line(plan), *billing_lines(plan, result.workspace)]
            notes += _power_note(plan, result.workspace.settings.experiments, t)
            parts += [Text(f"  {line}", style="dim") for line in notes]
        out.append(Group(*parts, Text("")))
    return Rich(out)


# What an objective is counted in (`ObjectiveProgress.unit`), by its catalogue key.
UNITS = {
    "revenue": "unit_revenue",
    "contacts reached": "unit_reached",
    "conversions": "unit_conversions",
    "not measured": "unit_not_measured",
    "revenue (needs average_order_value)": "unit_needs_aov",
}


def unit_of(unit: str, reader: Reader) -> str:
    return reader.say(UNITS[unit]) if unit in UNITS else unit


def objective_name(kind: str, channel: str | None, reader: Reader) -> str:
    """``sales``, ``awareness (linkedin)``: an objective's kind in the reader's words."""
    name = reader.words.get(f"objective_{kind}", kind)
    return f"{name} ({channel})" if channel else name


def _objective_line(objective: Any, currency: str, reader: Reader) -> str:
    kind = objective_name(objective.kind, objective.channel, reader)
    if objective.forecast is None:
        return reader.say("objective_unmeasured", kind=kind, unit=unit_of(objective.unit, reader))
    if objective.unit == "revenue":
        figure, target = money(objective.forecast, currency), money(objective.target, currency)
    else:
        figure = f"{quantity(objective.forecast)} {unit_of(objective.unit, reader)}"
        target = quantity(objective.target) if objective.target is not None else ""
    if objective.people is not None:
        figure = reader.say("distinct_people", figure=figure, people=quantity(objective.people))
    if objective.share is None:
        return reader.say("objective_forecast", kind=kind, figure=figure)
    share = numbers.percent(objective.share, 0)
    return reader.say("objective_share", kind=kind, figure=figure, share=share, target=target)


def _per_unit(value: float) -> str:
    """A cost per conversion or per person reached: ``38.92``, ``0.0425`` (a person reached
    costs a fraction of a conversion)."""
    return amount(value) if abs(value) >= 1 or math.isinf(value) else decimal(value, 4)


COUNTED = {"conversions": "col_conversions", "reached": "col_reached", "mixed": "col_outcome"}


def explain_table(plan: CampaignPlan, currency: str, t: Reader) -> Grid:
    """Every factor of every candidate: score = affinity × objectives × stage × efficiency."""
    counted = t.say(COUNTED[plan.candidates.counts.unit])
    table = Grid(
        t.say("score_formula", counted=counted),
        [
            (t.say("col_persona"), ID), (t.say("col_channel"), ID), (t.say("col_reach"), NUMBER),
            (t.say("col_affinity"), NUMBER), (t.say("col_objective_fit"), TEXT),
            (t.say("col_stage_fit"), NUMBER), (t.say("col_efficiency_in", currency=currency), TEXT),
            (t.say("col_score"), NUMBER),
            (counted, NUMBER),
            (t.say("col_value"), NUMBER),
        ],
    )  # fmt: skip
    for c in sorted(plan.candidates, key=lambda c: (-c.value, c.channel, c.persona)):
        f = c.factors
        objectives = " + ".join(
            f"{number(w)}×{t.words.get(f'objective_{k}', k)} {number(x)}"
            for k, w, x in f.objectives
        )
        fit = decimal(f.objective_fit, 2) + (f" ({objectives})" if objectives else "")
        versus = f"{_per_unit(f.cost_per_outcome)} vs {_per_unit(f.reference)}"
        efficiency = f"{decimal(f.efficiency, 2)} ({versus})"
        table.add_row(
            c.persona, c.channel, decimal(f.reach, 2), decimal(f.affinity, 2), fit,
            decimal(f.stage_fit, 2), efficiency, decimal(c.score, 3),
            quantity(c.outcome), decimal(c.value, 2),
        )  # fmt: skip
    return table


def as_markdown(result: Plans) -> str:
    currency, t = result.workspace.settings.currency, result.reader
    lines: list[str] = []
    for plan in result.plans:
        lines += [f"## {_headline(plan, currency, t)}", ""]
        columns = ("channel", "personas", "reached", "conversions", "cost", "per_conversion")
        lines += [
            "| " + " | ".join(t.say(f"col_{h}") for h in columns) + " |",
            "| --- | --- | ---: | ---: | ---: | ---: |",
        ]
        for c in plan.channels:
            lines.append(
                f"| {c.channel} | {', '.join(c.personas)} | {quantity(c.funnel.reached)} | "
                f"{quantity(c.funnel.conversions)} | {money(c.funnel.cost, currency)} | "
                f"{money(c.funnel.cost_per_conversion, currency)} |"
            )
        total = plan.total
        lines += [
            f"| **{t.say('total')}** | | {quantity(total.reached)} | "
            f"{quantity(total.conversions)} | "
            f"{money(total.cost, currency)} | {money(total.cost_per_conversion, currency)} |",
            "",
        ]
        lines += [f"- {_objective_line(o, currency, t)}" for o in plan.objectives]
        lines += [f"- {line}" for line in _experiment_lines(plan, t)]
        lines += ["- " + t.say("not_forecast", channel=f"**{c}**") for c in _not_forecast(plan)]
        lines += [
            "- " + t.say("not_chosen", channel=f"**{channel}**", why=why)
            for channel, why in _not_chosen(plan, t)
        ]
        if plan.touches:
            label = t.say("proposed_schedule" if plan.proposed else "schedule")
            lines += ["", f"{label[:1].upper()}{label[1:]}", ""]
            lines += [f"1. {_touch_line(plan, i, t)}" for i in range(len(plan.touches))]
        lines += [f"- **{f.rule}** {f.message}" for f in plan.findings]
        if result.explain:
            headers = (
                "persona", "channel", "reach", "affinity", "objective_fit", "stage_fit",
                "efficiency", "score", "value",
            )  # fmt: skip
            lines += [
                "",
                "| " + " | ".join(t.say(f"col_{h}") for h in headers) + " |",
                "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
            ]
            for k in sorted(plan.candidates, key=lambda k: (-k.value, k.channel, k.persona)):
                f = k.factors
                cells = [
                    k.persona, k.channel, decimal(f.reach, 2), decimal(f.affinity, 2),
                    decimal(f.objective_fit, 2), decimal(f.stage_fit, 2),
                    decimal(f.efficiency, 2), decimal(k.score, 3), decimal(k.value, 2),
                ]  # fmt: skip
                lines.append("| " + " | ".join(cells) + " |")
            note = [value_line(plan), *billing_lines(plan, result.workspace)]
            note += _power_note(plan, result.workspace.settings.experiments, t)
            lines += ["", *(f"_{line}._" for line in note)]
        lines.append("")
    return "\n".join(lines)


EMITTERS: dict[str, Emitter[Plans]] = {
    "text": text,
    "json": as_json,
    "yaml": as_yaml,
    "markdown": as_markdown,
}
