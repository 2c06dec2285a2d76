"""The sentences a plan says in the reader's words, the same in the terminal and in Markdown:
its headline, its objectives, its tests and holdout, what was left out and why, its touches."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from mcplan import numbers
from mcplan.numbers import moment, money, quantity
from mcplan.plan.experiments import PlannedHoldout, PlannedTest, lift, percent
from mcplan.plan.result import CampaignPlan
from mcplan.words import Reader

# What an objective is counted in (`ObjectiveProgress.unit`), by its catalogue key.
UNITS = {
    "revenue": "unit_revenue",
    "contacts reached": "unit_reached",
    "conversions": "unit_conversions",
    "not measured": "unit_not_measured",
    "revenue (needs average_order_value)": "unit_needs_aov",
}


def headline(plan: CampaignPlan, currency: str, reader: Reader) -> str:
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


def unit_of(unit: str, reader: Reader) -> str:
    return reader.say(UNITS[unit]) if unit in UNITS else unit


def objective_name(kind: str, channel: str | None, reader: Reader) -> str:
    """``sales``, ``awareness (linkedin)``: an objective's kind in the reader's words."""
    name = reader.words.get(f"objective_{kind}", kind)
    return f"{name} ({channel})" if channel else name


def objective_line(objective: Any, currency: str, reader: Reader) -> str:
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


def experiment_lines(plan: CampaignPlan, reader: Reader) -> list[str]:
    """What each message test and the holdout can detect."""
    lines = [_test_line(t, reader) for t in plan.tests]
    return lines + ([_holdout_line(plan.holdout, reader)] if plan.holdout else [])


NAMES_SHOWN = 3  # personas a sentence names; it counts the others


def listed(personas: Sequence[str], reader: Reader) -> str:
    """``p1, p2, p3 … 39 more personas``: a sentence's personas, the first few named."""
    if len(personas) <= NAMES_SHOWN + 1:
        return ", ".join(personas)
    rest = reader.count("more_personas", len(personas) - NAMES_SHOWN)
    return f"{', '.join(personas[:NAMES_SHOWN])} {rest}"


def not_chosen(plan: CampaignPlan, reader: Reader) -> list[tuple[str, str]]:
    """(channel, why) for every channel left out, rejected or not selected; the personas a
    channel is left out for by the same reason in one line."""
    whole: list[tuple[str, str]] = []
    by_reason: dict[tuple[str, str], list[str]] = {}
    for r in plan.rejections:
        why = reader.text(r.reason)
        if r.persona is None:
            whole.append((r.channel, why))
        else:
            by_reason.setdefault((r.channel, why), []).append(r.persona)
    out = [(c, f"{listed(ps, reader)}: {why}") for (c, why), ps in by_reason.items()]
    return whole + out + [(c, reader.text(why)) for c, why in plan.unselected.items()]


def not_forecast(plan: CampaignPlan) -> list[str]:
    """The channels chosen that no touch sends: the headline and the table leave them out."""
    forecast = {c.channel for c in plan.channels}
    return [c for c in plan.chosen if c not in forecast]


def touch_line(plan: CampaignPlan, index: int, reader: Reader) -> str:
    touch = plan.touches[index]
    who = listed(touch.personas, reader) if touch.personas else reader.say("every_persona")
    if touch.after:
        return reader.say(
            "touch_after", at=moment(touch.at), channel=touch.channel, who=who, after=touch.after
        )
    return reader.say("touch", at=moment(touch.at), channel=touch.channel, who=who)


def schedule_label(plan: CampaignPlan, reader: Reader) -> str:
    """``proposed schedule`` or ``schedule``: the heading of the touches."""
    return reader.say("proposed_schedule" if plan.proposed else "schedule")
