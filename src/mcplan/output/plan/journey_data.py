"""A journey's forecast as plain data, beside the campaigns' plans in the JSON and YAML formats
(issue 29; its fields are the users' contract).

Its figures are `forecast_journey()`'s as they are, unrounded: a script adds them up or
compares them with its own without the rounding of a report. Weekly figures are those of a
steady week (`mcplan.plan.journey.forecast`); `total` is the live period's.
"""

from __future__ import annotations

from typing import Any

from mcplan.output.plan.journey_held import held_data
from mcplan.plan.journey import JourneyForecast, StepForecast
from mcplan.plan.journey.held import CapForecast
from mcplan.plan.result import FUNNEL, Funnel
from mcplan.workspace import Workspace


def _figures(funnel: Funnel) -> dict[str, float]:
    """A funnel's figures but its sends, under the names the plan's JSON gives them."""
    return {name: getattr(funnel, name) for name in FUNNEL if name != "sends"}


def _step(
    step: StepForecast, workspace: Workspace, journey: str, hold: CapForecast | None
) -> dict[str, Any]:
    where = workspace.source("journeys", journey).locate(step.path)
    held = None if hold is None else held_data(hold.step(step.step))
    return {
        "step": step.step,
        "channel": step.channel,
        "line": where.line,
        "sends_per_week": step.total_sends_per_week,
        **_figures(step.weekly),
        "personas": {
            persona: {"sends_per_week": sends, **_figures(step.funnel(persona))}
            for persona, sends in step.sends_per_week.items()
        },
        # On a channel billed per SMS segment, each persona's segments a message (as a
        # campaign's `segments`; a persona whose text does not render is not in it); else null.
        "segments": None
        if step.segments is None
        else {p: found.units for p, found in step.segments.items()},
        "held": held,
    }


def journey_dict(
    forecast: JourneyForecast, workspace: Workspace, hold: CapForecast | None = None
) -> dict[str, Any]:
    """One journey's forecast, as the JSON and YAML formats write it; ``hold``: what the
    platform holds or skips of its sends (`held`: null without it)."""
    journey = workspace.journeys[forecast.journey]
    total = forecast.total
    return {
        "id": forecast.journey,
        "name": journey.name,
        "personas": list(journey.personas),
        "entries_per_week": dict(forecast.entries_per_week),
        "period": {
            "first": forecast.first.isoformat(),
            "last": forecast.last.isoformat(),
            "weeks": forecast.weeks,
            "open_ended": forecast.open_ended,
        },
        # A steady week: every entrant of a week through every step.
        "sends_per_week": forecast.sends_per_week,
        "cost": forecast.cost_per_week,
        "conversions": forecast.conversions_per_week,
        "revenue": forecast.revenue_per_week,
        "weekly": {"sends": forecast.weekly.sends, **_figures(forecast.weekly)},
        # The live period: weekly × its weeks, each channel's fixed cost once.
        "total": {"sends": total.sends, **_figures(total), "revenue": forecast.revenue},
        "fixed_cost": forecast.fixed_cost,
        "objectives": [
            {
                "kind": o.kind,
                "channel": o.channel,
                "target": o.target,
                "forecast": o.forecast,
                "unit": o.unit,
                "share": o.share,
                "people": o.people,
            }
            for o in forecast.objectives
        ],
        "unmeasured": list(forecast.unmeasured),
        # The sends a week the platform holds or skips to keep the caps, with the campaigns
        # and the other journeys (`plan.journey.held`), and per step under `steps`.
        "held": None if hold is None else {"on_cap": hold.on_cap, **held_data(hold)},
        "steps": [_step(s, workspace, forecast.journey, hold) for s in forecast.steps],
    }


__all__ = ["journey_dict"]
