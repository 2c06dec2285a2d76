"""What the platform holds or skips of a journey's sends to keep the caps, in a plan (issue 29):
a line for the journey and one per step that has some, in the reader's words (the terminal and
Markdown), the figures as plain data (JSON and YAML, unrounded), and with `--explain` how
they come. A journey of which nothing is held or skipped says nothing.
"""

from __future__ import annotations

from typing import Any

from mcplan.numbers import quantity
from mcplan.plan.journey.held import CapForecast, Source, StepHold
from mcplan.words import Reader

SHOWN = 0.05  # the least sends a week said: `quantity` writes less as 0.0


def held_lines(hold: CapForecast | None, t: Reader) -> list[str]:
    """``18 sends a week held, about 14 hours on average, by soldes-hiver-2027``, then the
    same per step that has some (``step hello: …``); none when nothing is held or skipped
    (nothing that reads more than 0)."""
    if hold is None:
        return []
    total = _said(hold.held_per_week, hold.skipped_per_week, hold.mean_hold_hours, hold.by, t)
    if not total:
        return []
    lines = total
    for step in hold.steps:
        said = _said(step.held_per_week, step.skipped_per_week, step.mean_hold_hours, step.by, t)
        lines += [t.say("journey_held_step", step=step.step, said=line) for line in said]
    return lines


def _said(
    held: float, skipped: float, hours: float, by: tuple[Source, ...], t: Reader
) -> list[str]:
    who = ", ".join(dict.fromkeys(s.id for s in by))
    lines = []
    if _shown(held):
        sends = t.count("sends", held, quantity(held))
        lines.append(t.say("journey_held", sends=sends, hours=quantity(hours), by=who))
    if _shown(skipped):
        sends = t.count("sends", skipped, quantity(skipped))
        lines.append(t.say("journey_skipped", sends=sends, by=who))
    return lines


def _shown(sends: float) -> bool:
    """Whether a figure reads more than 0 as the plan writes it (``0.0`` is not said)."""
    return sends >= SHOWN


def explain_held(hold: CapForecast | None, t: Reader) -> list[str]:
    """How the held or skipped figures come, when there are some."""
    if hold is None or not (_shown(hold.held_per_week) or _shown(hold.skipped_per_week)):
        return []
    return [t.say("journey_explain_held")]


def held_data(hold: CapForecast | StepHold) -> dict[str, Any]:
    """The figures as they are (unrounded), and who holds or skips the sends."""
    return {
        "held_per_week": hold.held_per_week,
        "mean_hold_hours": hold.mean_hold_hours,
        "skipped_per_week": hold.skipped_per_week,
        "by": [_source(s) for s in hold.by],
    }


def _source(source: Source) -> dict[str, Any]:
    """``{"campaign": id, "touch": 0, "per_week": 1.5}`` or ``{"journey": id, "per_week": …}``."""
    out: dict[str, Any] = {source.kind: source.id}
    if source.touch is not None:
        out["touch"] = source.touch
    return {**out, "per_week": source.per_week}


__all__ = ["explain_held", "held_data", "held_lines"]
