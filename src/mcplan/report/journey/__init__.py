"""`mcplan report JOURNEY --results EXPORT`: a journey's results per send step against its
forecast, and which arm of each branch did better.

The export
----------

A CSV or Parquet file read as every export is (`mcplan.tabular`: the same numbers, a row of
totals skipped, ``--column`` and ``--date-format``), with a row per send step, and optionally
per persona and per period. Columns (read regardless of case, accents and spaces; the figures
go by the names a campaign's results file gives them, `mcplan.report.results`):

========= ============================================== ===================================
column    also read as                                    what
========= ============================================== ===================================
step      step_id, étape, schritt, stap, passo, paso      the send step's id; required
persona   profil, profiel, profilo, perfil                one of the journey's personas
sent      envoyés, gesendet, verzonden, inviati, enviados messages sent; required
delivered délivrés, zugestellt, afgeleverd, consegnati…   messages delivered
opened    ouverts, geöffnet, geopend, aperti, abiertos…   opened
clicked   cliqués, geklickt, geklikt, cliccati…           clicked
converted convertis, konversionen, conversies…            conversions; required
revenue   chiffre d'affaires, umsatz, omzet, ricavi…      revenue, in the workspace currency
cost      coût, kosten, costo, coste…                     what the step cost
week      semaine, woche, kw, settimana, semana           the row's week: ``2027-W03``, or
                                                          the date of its first day
from, to  du/au, von/bis, van/tot, dal/al, desde/hasta    the row's first and last day
date      jour, datum, dag, data, fecha…                  the row's day
========= ============================================== ===================================

A period is required: a ``week``, a ``date``, or ``from`` and ``to``. The rows of a step over
several periods (and personas) are added up; the export's weeks are the days its periods cover
(overlapping periods counted once) / 7, and the forecast is the journey's steady week × those
weeks (`steps`). A step the journey does not send, or a persona it lacks, is an error naming
the row, with a close id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mcplan.errors import UsageError
from mcplan.plan.journey import forecast_journey
from mcplan.report.compare import ObjectiveReport
from mcplan.report.journey.branches import ArmPlan, BranchReport, report_branches
from mcplan.report.journey.export import JourneyExport, StepResult, read_journey_export
from mcplan.report.journey.steps import (
    StepReport,
    objective_reports,
    step_reports,
    total_report,
)
from mcplan.suggest import did_you_mean
from mcplan.workspace import Workspace


@dataclass(frozen=True)
class JourneyReport:
    """A journey's results against its forecast for the export's weeks."""

    journey: str
    name: str
    currency: str
    first: date  # the export's first day
    last: date  # its last day
    weeks: float  # the days its periods cover / 7
    objectives: tuple[ObjectiveReport, ...]
    steps: tuple[StepReport, ...]  # every send step, in the order written
    total: StepReport
    branches: tuple[BranchReport, ...]

    def step(self, step_id: str) -> StepReport:
        return next(s for s in self.steps if s.step == step_id)


def report_journey(
    workspace: Workspace,
    journey_id: str,
    results: Path,
    *,
    columns: Mapping[str, str] | None = None,
    decimal: str | None = None,
    date_format: str | None = None,
) -> JourneyReport:
    """Compare the journey ``journey_id``'s results export with its forecast (see the module
    docstring for the export). Raises :class:`UsageError` for an unknown journey and for an
    export that is not one, naming its row."""
    journey = workspace.journeys.get(journey_id)
    if journey is None:
        if workspace.exists("journeys", journey_id):
            raise UsageError(f"journey '{journey_id}' has errors; run `mcplan validate`")
        hint = did_you_mean(journey_id, workspace.journeys)
        raise UsageError(f"unknown journey '{journey_id}'{hint}")
    export = read_journey_export(
        results, workspace, journey, columns=columns, decimal=decimal, date_format=date_format
    )
    forecast = forecast_journey(workspace, journey)
    steps = step_reports(forecast, export.steps, export.personas, export.weeks)
    alpha = workspace.settings.experiments.alpha
    return JourneyReport(
        journey.id,
        journey.name or journey.id,
        workspace.settings.currency,
        export.first,
        export.last,
        export.weeks,
        objective_reports(journey, steps, export.weeks, forecast),
        steps,
        total_report(steps),
        report_branches(journey, forecast, export.steps, alpha),
    )


__all__ = [
    "ArmPlan",
    "BranchReport",
    "JourneyExport",
    "JourneyReport",
    "StepReport",
    "StepResult",
    "read_journey_export",
    "report_journey",
]
