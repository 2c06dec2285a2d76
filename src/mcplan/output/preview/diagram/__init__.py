"""A journey drawn as a flow chart for its preview page: inline SVG, drawn by mcplan.

From the top: the entry event and how many enter a week; a box per send (its id, its channel's
name in the workspace's language, its expected sends per week as the outputs write numbers in
that language, and in its tooltip the same per persona), linking to the send's cards on the
page (``#step-ID``); a wait as a labelled connector ("wait 3 d"); a branch as a split, its arms
side by side in the order written, each with its condition on its line, and for a branch
without `otherwise` a dashed way past it for everyone else; the end, and the exit goal.

Safety, as the rest of the page: the SVG is written by an autoescaped Jinja template
(``diagram.svg.j2``, which the page includes), so every text is escaped and nothing is marked
safe; it has no script, no external resource, and links only to fragments of its own page.
Accessibility: ``role="img"``, a ``<title>``, and the steps as a nested list (the page shows
it under the drawing, ``aria-describedby`` points to it).

Size: a journey of more than :data:`MAX_STEPS` steps (waits and branches count, those in arms
too), or whose arms stand more than :data:`MAX_COLUMNS` side by side, is not drawn: the page
says so and shows the list, which every journey gets (its size grows with the steps, at most
the 1,000 a journey may have).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import jinja2

from mcplan import numbers
from mcplan.output.preview.diagram.layout import Layout, Shapes, lay_out
from mcplan.output.preview.diagram.steps import Node, step_tree
from mcplan.packaged import template
from mcplan.plan.journey import JourneyForecast
from mcplan.words import Reader
from mcplan.workspace import Workspace
from mcplan.workspace.journey import Journey

MAX_STEPS = 150  # steps drawn at most: about 15,000 px of height for a journey in one line
MAX_COLUMNS = 12  # arms side by side at most: about 2,800 px of width


@dataclass(frozen=True)
class Drawing:
    """A journey's diagram: its shapes, or why it is not drawn, and its steps for the list."""

    journey: str
    title: str  # the SVG's <title>
    tree: tuple[Node, ...]  # the steps, for the list
    shapes: Shapes | None  # None: too large to draw
    too_large: str = ""  # what the page says instead of a drawing that is too large


def journey_diagram(
    workspace: Workspace,
    journey: Journey,
    forecast: JourneyForecast | None,
    reader: Reader,
) -> Drawing:
    """The diagram of ``journey`` in ``reader``'s words, with ``forecast``'s weekly sends
    (None: written as unknown)."""
    tree = step_tree(workspace, journey, forecast, reader)
    title = reader.say("diagram_title", journey=journey.name or journey.id)
    steps = sum(1 for _ in journey.walk())
    columns = Layout().columns(tree)
    if steps > MAX_STEPS or columns > MAX_COLUMNS:
        return Drawing(journey.id, title, tree, None, _too_large(reader, steps, columns))
    start, end = _ends(journey, forecast, reader)
    return Drawing(journey.id, title, tree, lay_out(tree, start, end, columns))


def _ends(
    journey: Journey, forecast: JourneyForecast | None, reader: Reader
) -> tuple[list[str], list[str]]:
    """The lines of the start (the entry event, entries a week) and of the end (the exit
    goal)."""
    start = [str(journey.entry.event)]
    if forecast is not None:
        entries = sum(n for _, n in forecast.entries_per_week)
        with numbers.in_locale(str(reader.locale)):
            start.append(reader.count("diagram_entries", entries, numbers.quantity(entries)))
    end = [reader.words["diagram_end"]]
    if journey.exit is not None:
        end.append(reader.say("diagram_exit", event=journey.exit.event))
    return start, end


def _too_large(reader: Reader, steps: int, columns: int) -> str:
    """Why the journey is not drawn: too many steps, else too many arms side by side."""
    with numbers.in_locale(str(reader.locale)):
        if steps > MAX_STEPS:
            return reader.say(
                "diagram_too_many_steps", steps=numbers.count(steps), max=numbers.count(MAX_STEPS)
            )
        return reader.say(
            "diagram_too_wide", columns=numbers.count(columns), max=numbers.count(MAX_COLUMNS)
        )


def diagram_svg(drawing: Drawing) -> str:
    """The ``<svg>`` element of ``drawing`` (empty when it is too large to draw), as the page
    includes it."""
    return svg_template().render(drawing=drawing) if drawing.shapes else ""


@functools.cache
def svg_template() -> jinja2.Template:
    """The SVG's template, which the page includes (``{% include diagram_template %}``)."""
    return template("mcplan.output.preview.diagram", "diagram.svg.j2")


__all__ = ["MAX_COLUMNS", "MAX_STEPS", "Drawing", "diagram_svg", "journey_diagram", "svg_template"]
