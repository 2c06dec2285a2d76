"""What `--explain` adds to a plan: every factor of every candidate's score, in the terminal
and in Markdown, and the notes that say how values, bills and the experiments' figures are
found, and at what learned send time the proposed touches go."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

from mcplan.numbers import amount, decimal, number, quantity, unit_price
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.output.plan.send_times import send_time_lines
from mcplan.plan.result import CampaignPlan, Segments
from mcplan.words import Reader, reader
from mcplan.workspace import Workspace

# A channel's segments per message (its arms' segments weighted by their split) and its arms.
_Billed = tuple[float, tuple[tuple[str | None, int, float], ...]]

COUNTED = {"conversions": "col_conversions", "reached": "col_reached", "mixed": "col_outcome"}


def notes(plan: CampaignPlan, workspace: Workspace, t: Reader) -> list[str]:
    """What the values count, how billed segments are priced, how the experiments' figures
    are found: the lines under the factors."""
    lines = [value_line(plan), *billing_lines(plan, workspace)]
    return lines + _power_note(plan, workspace, t) + send_time_lines(plan, workspace, t)


def _power_note(plan: CampaignPlan, workspace: Workspace, reader: Reader) -> list[str]:
    """How the tests' and the holdout's figures are found, for --explain."""
    settings = workspace.settings.experiments
    found = []
    if plan.tests:
        found.append(
            reader.say("note_tests", alpha=number(settings.alpha), power=number(settings.power))
        )
    if plan.holdout:
        found.append(
            reader.say("note_holdout", alpha=number(settings.alpha), power=number(settings.power))
        )
    return found


def _count(count: float) -> str:
    """`2 segments`, `1.75 segments` (the arms of a test, weighted by their split)."""
    shown = quantity(count) if count == int(count) else decimal(count, 2)
    return reader().say("segments_one" if count == 1 else "segments_many", count=shown)


def billing_lines(plan: CampaignPlan, workspace: Workspace) -> list[str]:
    """How each chosen channel billed per segment is priced, for --explain: its segments
    (per arm of its test) × its price per segment, and to whom."""
    lines = []
    for forecast in plan.channels:
        found = plan.segments.get(forecast.channel)
        if found is not None:
            lines += billed(forecast.channel, forecast.personas, found, workspace)
    return lines


def billed(
    channel: str, personas: Sequence[str], found: Mapping[str, Segments], workspace: Workspace
) -> list[str]:
    """One line per group of the ``personas`` the channel sends to that are sent the same
    segments, then those whose segments are not measured (their text did not render): a
    campaign's channel, or a journey's SMS step."""
    say = reader().say
    groups: dict[_Billed, list[str]] = {}
    for persona in personas:
        if persona in found:
            groups.setdefault((found[persona].units, found[persona].arms), []).append(persona)
    lines = [_billed_line(channel, key, group, workspace) for key, group in groups.items()]
    unmeasured = [p for p in personas if p not in found]
    if unmeasured:
        lines.append(say("segments_not_rendered", channel=channel, personas=", ".join(unmeasured)))
    return lines


def _billed_line(channel: str, billed: _Billed, personas: list[str], workspace: Workspace) -> str:
    say, currency = reader().say, workspace.settings.currency
    price = workspace.channels[channel].cost_per_contact
    units, arms = billed
    segments = _count(units)
    if len({n for _, n, _ in arms}) > 1:  # the arms differ: each one's
        shown = ", ".join(f"{say('arm', arm=arm)} {n}" for arm, n, _ in arms)
        segments = say("segments_by_arm", segments=segments, arms=shown)
    return say(
        "billed_per_segment",
        channel=channel,
        segments=segments,
        price=unit_price(price, currency),
        cost=unit_price(units * price, currency),
        personas=", ".join(personas),
    )


def value_line(plan: CampaignPlan) -> str:
    """What the value of a candidate counts, for --explain."""
    counts, say = plan.candidates.counts, reader().say
    if counts.unit != "mixed":
        return say(f"value_{counts.unit}")
    shares = ", ".join(f"{c} {decimal(share, 2)}" for c, share in counts.shares)
    return say("value_mixed", rate=decimal(counts.rate, 4), shares=shares)


def _per_unit(value: float) -> str:
    """A cost per conversion or per person reached: ``38.92``, ``0.0425`` (a person reached
    costs a fraction of a conversion)."""
    return amount(value) if abs(value) >= 1 or math.isinf(value) else decimal(value, 4)


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


def markdown_lines(plan: CampaignPlan, workspace: Workspace, t: Reader) -> list[str]:
    """The factors as a Markdown table, then the notes in italics."""
    headers = (
        "persona", "channel", "reach", "affinity", "objective_fit", "stage_fit",
        "efficiency", "score", "value",
    )  # fmt: skip
    lines = [
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
    return [*lines, "", *(f"_{line}._" for line in notes(plan, workspace, t))]
