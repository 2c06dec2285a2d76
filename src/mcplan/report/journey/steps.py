"""A journey's send steps and objectives, results against the forecast of the same weeks.

The forecast of a step over the export's weeks is its steady week (`forecast_journey`: the
step's `sends_per_week` and its funnel per week) × the export's weeks; its rates are per
message sent. Objectives are measured as a campaign report measures them
(`mcplan.objectives`), on the steps' rows: the target is the journey's, for its whole live
period, so attainment is how far the export's weeks went towards it; "vs forecast" compares
them with the forecast of the same weeks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mcplan import objectives
from mcplan.plan.journey import JourneyForecast, StepForecast
from mcplan.plan.result import FUNNEL, Funnel
from mcplan.report.compare import ObjectiveReport
from mcplan.report.counts import summed
from mcplan.report.journey.export import StepResult
from mcplan.workspace.journey import Journey


@dataclass(frozen=True)
class StepReport:
    """One send step (or one persona of it, or the journey's total): forecast for the
    export's weeks against what the export says (None: no row of it)."""

    step: str
    channel: str
    forecast: Funnel
    actual: StepResult | None
    personas: tuple[StepReport, ...] = ()  # per persona, when the export gives them
    persona: str | None = None

    @property
    def gap(self) -> float | None:
        """Actual − forecast conversions."""
        if self.actual is None or self.actual.converted is None:
            return None
        return self.actual.converted - self.forecast.conversions

    @property
    def gap_ratio(self) -> float | None:
        gap = self.gap
        return (
            None
            if gap is None or not self.forecast.conversions
            else gap / self.forecast.conversions
        )

    def rate(self, name: str) -> float | None:
        """The actual rate of ``opened``, ``clicked`` or ``converted`` per message sent."""
        return None if self.actual is None else self.actual.rate(name)

    def forecast_rate(self, name: str) -> float | None:
        """The forecast rate of ``opened``, ``clicked`` or ``converted`` per message sent."""
        if not self.forecast.sends:
            return None
        funnel = {"opened": "opens", "clicked": "clicks", "converted": "conversions"}[name]
        return float(getattr(self.forecast, funnel)) / self.forecast.sends


def times(funnel: Funnel, weeks: float) -> Funnel:
    """A weekly funnel over ``weeks`` weeks."""
    return Funnel(*(getattr(funnel, name) * weeks for name in FUNNEL))


def step_reports(
    forecast: JourneyForecast,
    results: Mapping[str, StepResult],
    personas: Mapping[tuple[str, str], StepResult],
    weeks: float,
) -> tuple[StepReport, ...]:
    """Each send step in the order written, with its personas when the export gives them."""
    return tuple(_step(step, results, personas, weeks) for step in forecast.steps)


def _step(
    step: StepForecast,
    results: Mapping[str, StepResult],
    personas: Mapping[tuple[str, str], StepResult],
    weeks: float,
) -> StepReport:
    given = any((step.step, p) in personas for p in step.personas)
    per_persona = tuple(
        StepReport(
            step.step,
            step.channel,
            times(step.funnel(p), weeks),
            personas.get((step.step, p)),
            persona=p,
        )
        for p in (step.personas if given else ())
    )
    return StepReport(
        step.step, step.channel, times(step.weekly, weeks), results.get(step.step), per_persona
    )


def total_report(steps: Sequence[StepReport]) -> StepReport:
    """The steps the export gives added up, forecast and actual alike (so that a step it
    leaves out is no gap; a figure a step's row does not give is not known)."""
    given = [s for s in steps if s.actual is not None] or list(steps)
    forecast = sum((s.forecast for s in given), Funnel())
    rows = [s.actual for s in given if s.actual is not None]
    return StepReport("total", "", forecast, StepResult("total", **summed(rows)) if rows else None)


def objective_reports(
    journey: Journey, steps: Sequence[StepReport], weeks: float, forecast: JourneyForecast
) -> tuple[ObjectiveReport, ...]:
    """Each objective of the journey: its target, the forecast of the export's weeks, and
    what the steps' rows achieved."""
    aov = journey.average_order_value
    reports = []
    for objective in journey.objectives:
        mine = [s for s in steps if objective.channel in (None, s.channel)]
        expected = sum((s.forecast for s in mine), Funnel())
        figures = objectives.Figures(expected.sends, expected.reached, expected.conversions)
        measured = {
            s.step: objectives.measure(objective.kind, _figures(s.actual), aov)
            for s in mine
            if s.actual is not None
        }
        known = [v for v in measured.values() if v is not None]
        reports.append(
            ObjectiveReport(
                objective.kind.value,
                objective.channel,
                objective.target,
                objectives.measure(objective.kind, figures, aov) if forecast.steps else None,
                sum(known) if known else None,
                objectives.unit(objective.kind),
                tuple(s for s, v in measured.items() if v is None) if known else (),
            )
        )
    return tuple(reports)


def _figures(result: StepResult | None) -> objectives.Figures:
    return objectives.Figures() if result is None else result.figures
