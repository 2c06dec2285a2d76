"""A journey's report in a terminal (80 columns) and in Markdown: its objectives, its steps
(forecast of the export's weeks against the results, per persona when the export gives them)
and its branches (each arm's conversion rate, which did better, or why none is said to)."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from mcplan.output import Rich
from mcplan.output.grid import ID, NUMBER, TEXT, Grid
from mcplan.output.report.cells import OBJECTIVE_HEADERS, headers, objective_cells
from mcplan.output.report.experiments import TEST_HEADERS, arm_cells
from mcplan.output.report.journey_cells import (
    STEP_HEADERS,
    branch_notes,
    branch_title,
    journey_headline,
    step_cells,
)
from mcplan.report.journey import BranchReport, JourneyReport
from mcplan.words import Reader, reader

# An arm's conversions (in the steps' table) and its rate's interval are in the Markdown and
# the JSON: 80 columns hold the rest.
_ARM_SHOWN = tuple(
    i for i, name in enumerate(TEST_HEADERS) if name not in ("interval", "successes")
)


def journey_tables(review: JourneyReport) -> Rich:
    """The objectives, the steps and the branches."""
    t = reader()
    parts: list[RenderableType] = []
    if review.objectives:
        names = headers(OBJECTIVE_HEADERS, t)
        grid = Grid(
            t.say("report_objectives", campaign=review.name),
            [(names[0], TEXT), *((name, NUMBER) for name in names[1:])],
        )
        for o in review.objectives:
            grid.add_row(*objective_cells(o, review.currency, t, short=True))
        parts.append(grid)
        parts += [Text(f"  {t.text(o.note)}", style="dim") for o in review.objectives if o.note]
    parts.append(_steps(review, t))
    for branch in review.branches:
        parts += _branch(branch, t)
    return Rich([Group(*parts, Text(""))])


def _steps(review: JourneyReport, t: Reader) -> Grid:
    """The steps (the channel is in the Markdown and the JSON: 80 columns hold the rest), a
    step's personas under it, but those it neither forecasts nor gives results for."""
    names = headers(STEP_HEADERS, t)
    grid = Grid(journey_headline(review, t), [(names[0], ID), *((n, NUMBER) for n in names[2:])])
    rows = []
    for step in review.steps:
        rows.append(step)
        rows += [p for p in step.personas if p.actual is not None or p.forecast.sends]
    for index, row in enumerate(rows):
        cells = step_cells(row, t)
        grid.add_row(cells[0], *cells[2:], end_section=index == len(rows) - 1)
    cells = step_cells(review.total, t)
    grid.add_row(cells[0], *cells[2:], style="bold")
    return grid


def _branch(branch: BranchReport, t: Reader) -> list[RenderableType]:
    parts: list[RenderableType] = []
    names = headers(TEST_HEADERS, t)
    if len(branch.arms) > 1:
        columns = [(names[i], NUMBER) for i in _ARM_SHOWN[1:]]
        grid = Grid(branch_title(branch, t), [(names[0], ID), *columns])
        for arm in branch.arms:
            cells = arm_cells(arm, t)
            grid.add_row(*(cells[i] for i in _ARM_SHOWN))
        parts.append(grid)
    else:
        parts.append(Text(branch_title(branch, t)))
    parts += [Text(f"  {note}", style="dim") for note in branch_notes(branch, t)]
    return parts


def journey_markdown(review: JourneyReport) -> str:
    """The same, to paste into a debrief: every figure, the rates' intervals too."""
    t = reader()
    lines = [f"## {journey_headline(review, t)}", ""]
    if review.objectives:
        lines += [_row(headers(OBJECTIVE_HEADERS, t))]
        lines += ["| --- |" + " ---: |" * (len(OBJECTIVE_HEADERS) - 1)]
        lines += [_row(objective_cells(o, review.currency, t)) for o in review.objectives]
        lines += [""] + [f"_{t.text(o.note)}_\n" for o in review.objectives if o.note]
    lines += [_row(headers(STEP_HEADERS, t)), "| --- | --- |" + " ---: |" * (len(STEP_HEADERS) - 2)]
    for step in review.steps:
        lines.append(_row(step_cells(step, t)))
        lines += [_row([f"_{p.persona}_", *step_cells(p, t)[1:]]) for p in step.personas]
    lines += [_row([f"**{c}**" if c else c for c in step_cells(review.total, t)]), ""]
    for branch in review.branches:
        lines += [f"### {branch_title(branch, t)}", ""]
        if len(branch.arms) > 1:
            lines += [_row(headers(TEST_HEADERS, t))]
            lines += ["| --- |" + " ---: |" * (len(TEST_HEADERS) - 1)]
            lines += [_row(arm_cells(arm, t)) for arm in branch.arms] + [""]
        lines += [f"_{note}_\n" for note in branch_notes(branch, t)]
    return "\n".join(lines)


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"
