"""The journeys a change alters, in each format of `mcplan diff`: a table per journey (its
weekly sends, in all and per send step, its weekly cost, the keys of its file that changed,
before and after), then its steps added, removed, moved and changed, each at its line, and how
many findings about it the change adds and fixes (listed with every finding, after)."""

from __future__ import annotations

from typing import Any

from rich.console import RenderableType
from rich.text import Text

from mcplan.diff.journeys import JourneyChange
from mcplan.diff.steps import StepChange
from mcplan.numbers import NONE, money, quantity, rounded
from mcplan.output.diff.block import Located, markdown_block, text_block
from mcplan.output.diff.escape import inert
from mcplan.words import Reader


def title(journey: JourneyChange, shown: str, reader: Reader) -> str:
    """``journey welcome (changed)``, the journey's id ``shown`` as the format shows it."""
    status = reader.say(f"diff_journey_status_{journey.status}")
    return reader.say("diff_journey", journey=shown, status=status)


def _value(value: Any) -> str:
    """A key's value as the file writes it: ``hold``, ``300``, ``pendler: 200, werkstatt: 15``."""
    if value is None:
        return NONE
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float | int):
        return quantity(value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_value(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    return str(value)


def rows(journey: JourneyChange, currency: str, reader: Reader) -> list[tuple[str, str, str]]:
    """(what, before, after): its weekly sends and cost, each send step's weekly sends, and
    each key of its file that changed."""
    before, after = journey.before, journey.after

    def sends(value: float | None) -> str:
        return quantity(value) if value is not None else NONE

    found = [
        (
            reader.say("diff_sends_per_week"),
            sends(before.sends if before else None),
            sends(after.sends if after else None),
        ),
        (
            reader.say("diff_cost_per_week"),
            money(before.cost, currency) if before else NONE,
            money(after.cost, currency) if after else NONE,
        ),
    ]
    found += [
        (f"  {step} ({channel})", sends(old), sends(new))
        for step, channel, old, new in journey.step_sends()
    ]
    found += [(s.key, _value(s.before), _value(s.after)) for s in journey.settings]
    return found


def step_line(step: StepChange, reader: Reader) -> str:
    """``step moved: hello (email), steps[2] → steps[1].branch[0].steps[0]``."""
    name = reader.text(step.step)
    if step.channel is not None and step.change != "changed":
        name = f"{name} ({step.channel})"
    if step.change in ("added", "removed"):
        return reader.say(f"diff_step_{step.change}", step=name)
    return reader.say(f"diff_step_{step.change}", step=name, before=step.before, after=step.after)


def _located(journey: JourneyChange, reader: Reader) -> list[Located]:
    return [(step_line(s, reader), s.where) for s in journey.steps]


def _findings_line(journey: JourneyChange, reader: Reader) -> str | None:
    if not (journey.new or journey.fixed):
        return None
    added = reader.count("diff_findings_added", len(journey.new))
    return f"{added}, {reader.count('diff_fixed', len(journey.fixed))}"


# -- text -----------------------------------------------------------------------------------


def text_parts(
    journeys: list[JourneyChange], currency: str, reader: Reader
) -> list[RenderableType]:
    parts: list[RenderableType] = []
    for journey in journeys:
        shown = title(journey, journey.journey, reader)
        located = _located(journey, reader)
        parts += text_block(shown, rows(journey, currency, reader), located, reader)
        said = _findings_line(journey, reader)
        if said is not None:
            parts.append(Text(f"  {said}", style="red" if journey.new else "green"))
    return parts


# -- Markdown -------------------------------------------------------------------------------


def markdown_lines(journeys: list[JourneyChange], currency: str, reader: Reader) -> list[str]:
    lines: list[str] = []
    for journey in journeys:
        shown = title(journey, inert(journey.journey), reader)
        located = _located(journey, reader)
        lines += markdown_block(shown, rows(journey, currency, reader), located, reader)
        said = _findings_line(journey, reader)
        lines += [f"- {inert(said)}"] if said is not None else []
        if journey.steps or said is not None:
            lines.append("")
    return lines


# -- JSON -----------------------------------------------------------------------------------


def _step_dict(step: StepChange) -> dict[str, Any]:
    found: dict[str, Any] = {"step": str(step.step), "kind": step.kind, "channel": step.channel}
    if step.change in ("moved", "changed"):
        found |= {"before": step.before, "after": step.after}
    return found | step.where.to_dict()


def _pair(journey: JourneyChange, get: str, places: int) -> dict[str, float | None]:
    return {
        side: rounded(getattr(weekly, get), places) if weekly is not None else None
        for side, weekly in (("before", journey.before), ("after", journey.after))
    }


def as_dicts(journeys: list[JourneyChange]) -> list[dict[str, Any]]:
    """Each journey: its id, status, steps by change, weekly sends and cost before and after,
    each send step's weekly sends, the keys of its file that changed, and its findings."""
    return [
        {
            "journey": j.journey,
            "status": j.status,
            "steps": {
                change: [_step_dict(s) for s in j.steps if s.change == change]
                for change in ("added", "removed", "moved", "changed")
            },
            "sends_per_week": _pair(j, "sends", 2),
            "cost_per_week": _pair(j, "cost", 2),
            "step_sends_per_week": [
                {
                    "step": step,
                    "channel": channel,
                    "before": rounded(old, 2),
                    "after": rounded(new, 2),
                }
                for step, channel, old, new in j.step_sends()
            ],
            "settings": [{"key": s.key, "before": s.before, "after": s.after} for s in j.settings],
            "findings": {
                "added": [f.to_dict() for f in j.new],
                "fixed": [f.to_dict() for f in j.fixed],
            },
        }
        for j in journeys
    ]
