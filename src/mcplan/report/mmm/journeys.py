"""A journey's results export put on days and geos, for the media-mix export: each row's
figures shared evenly among the days of its period (a week, a day, from … to …), by ISO week;
a row of one persona in that persona's geo, a row of every persona among their geos as a
campaign's channel is (`spread`)."""

from __future__ import annotations

from datetime import date, timedelta

from mcplan.errors import UsageError
from mcplan.report.journey.export import JourneyExport
from mcplan.report.mmm.spread import Piece, Spreader
from mcplan.workspace.journey import Journey


def journey_pieces(spreader: Spreader, journey: Journey, export: JourneyExport) -> list[Piece]:
    """Every row of the journey's export as pieces per week and geo; every send step needs a
    row (without one, its spend would read as none)."""
    channels = {step.id: step.send for _, step in journey.sends()}
    given = {result.step for result, _, _ in export.rows}
    for step, channel in channels.items():
        if step not in given:
            raise UsageError(
                f"{spreader.shown}: no row for step '{step}' ({channel}) of journey "
                f"'{journey.id}': give its results (0 where it sent nothing)"
            )
    pieces: list[Piece] = []
    for result, first, last in export.rows:
        personas = [result.persona] if result.persona else list(journey.personas)
        for day, share in _weeks(first, last):
            pieces += spreader.split(result, channels[result.step], day, personas, share)
    return pieces


def _weeks(first: date, last: date) -> list[tuple[date, float]]:
    """The share of a period's days in each ISO week it touches, by its first day there."""
    days = (last - first).days + 1
    shares: list[tuple[date, float]] = []
    day = first
    while day <= last:
        sunday = day + timedelta(days=6 - day.weekday())
        end = min(sunday, last)
        shares.append((day, ((end - day).days + 1) / days))
        day = end + timedelta(days=1)
    return shares
