"""What a change does to the journeys: each journey added, removed or changed, with its steps
added, removed, moved and changed (`steps`), the keys of its file that say who enters and how
(`entry`, `on_cap`…) before and after, its weekly sends (in all and per send step) and weekly
cost before and after, as `forecast_journeys` gives them on each side, and the findings about
it (`Subject.journey`: its pressure, P106, and its checks; or in its file: a line that is not
YAML) that the change adds and fixes.

A journey is changed when any of these differs: a change to a persona or a channel may change
its forecast or its findings without a line of its file. A journey whose file is there but does
not validate on one side is changed, not added or removed: that side has no forecast and no
steps to compare, and the findings say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from mcplan.diff.steps import StepChange, step_changes
from mcplan.findings import Finding
from mcplan.plan.journey import JourneyForecast, forecast_journeys
from mcplan.workspace import Workspace
from mcplan.workspace.journey import Journey

# The keys of a journey's file compared as they are written, besides its steps and message.
SETTINGS = (
    ("personas",),
    ("entry", "event"),
    ("entry", "per_week"),
    ("entry", "from"),
    ("entry", "until"),
    ("re_entry",),
    ("exit", "event"),
    ("on_cap",),
    ("average_order_value",),
)


@dataclass(frozen=True)
class SettingChange:
    """A key of the journey's file (`entry.per_week`) whose value changed, as written (JSON
    values: a number, a text, a list, a mapping, or None when it is not written)."""

    key: str
    before: Any
    after: Any


@dataclass(frozen=True)
class Weekly:
    """A journey's forecast per week, as `forecast_journey` gives it."""

    sends: float
    cost: float
    steps: tuple[tuple[str, str, float], ...]  # (send step, channel, sends per week), in order

    @classmethod
    def of(cls, forecast: JourneyForecast) -> Weekly:
        steps = tuple((s.step, s.channel, s.total_sends_per_week) for s in forecast.steps)
        return cls(forecast.sends_per_week, forecast.cost_per_week, steps)


@dataclass(frozen=True)
class JourneyChange:
    """One journey that the change adds, removes or alters."""

    journey: str
    status: str  # "added", "removed" or "changed"
    steps: tuple[StepChange, ...]
    settings: tuple[SettingChange, ...]
    before: Weekly | None
    after: Weekly | None
    new: tuple[Finding, ...]  # the change's findings about this journey
    fixed: tuple[Finding, ...]

    def step_sends(self) -> list[tuple[str, str, float | None, float | None]]:
        """(send step, channel, sends per week before, after) of each send step of either
        side: the new file's in order, then those removed."""
        old = {s: (c, n) for s, c, n in self.before.steps} if self.before else {}
        new = {s: (c, n) for s, c, n in self.after.steps} if self.after else {}
        rows: list[tuple[str, str, float | None, float | None]] = [
            (s, c, old[s][1] if s in old else None, n) for s, (c, n) in new.items()
        ]
        rows += [(s, c, n, None) for s, (c, n) in old.items() if s not in new]
        return rows


def journey_changes(
    base: Workspace | None, head: Workspace, new: list[Finding], fixed: list[Finding]
) -> list[JourneyChange]:
    """Each journey that differs from ``base`` (None: a new workspace) to ``head``, by id;
    ``new`` and ``fixed``: the findings the change adds and fixes, of every subject."""
    ids = set(head.journeys) | {i for kind, i in head.failed if kind == "journeys"}
    if base is not None:
        ids |= set(base.journeys) | {i for kind, i in base.failed if kind == "journeys"}
    before, after = _weekly(base), _weekly(head)
    changes = []
    for journey_id in sorted(ids):
        files = _files(head, journey_id) | (_files(base, journey_id) if base else set())
        found = _journey(
            base,
            head,
            journey_id,
            (before.get(journey_id), after.get(journey_id)),
            (_about(new, journey_id, files), _about(fixed, journey_id, files)),
        )
        if found is not None:
            changes.append(found)
    return changes


def _weekly(workspace: Workspace | None) -> dict[str, Weekly]:
    """Each journey's weekly figures (none in no workspace)."""
    if workspace is None or not workspace.journeys:
        return {}
    return {f.journey: Weekly.of(f) for f in forecast_journeys(workspace)}


def _about(findings: list[Finding], journey_id: str, files: set[str]) -> tuple[Finding, ...]:
    """The findings about a journey, or in its file."""
    return tuple(f for f in findings if f.subject.journey == journey_id or f.location.file in files)


def _files(workspace: Workspace, journey_id: str) -> set[str]:
    """The file of a journey, as findings name it: read, or there but unreadable (then its
    id is its file's name)."""
    read = workspace.sources.get(("journeys", journey_id))
    read = read or workspace.salvaged.get(("journeys", journey_id))
    if read is not None:
        return {read.source.file}
    return {
        workspace.prefix + file
        for file in workspace.files
        if PurePosixPath(file).parent.name == "journeys" and PurePosixPath(file).stem == journey_id
    }


def _journey(
    base: Workspace | None,
    head: Workspace,
    journey_id: str,
    weekly: tuple[Weekly | None, Weekly | None],
    findings: tuple[tuple[Finding, ...], tuple[Finding, ...]],
) -> JourneyChange | None:
    """The change to one journey (None: none), with its weekly figures before and after,
    and the findings about it that the change adds and fixes."""
    (before, after), (new, fixed) = weekly, findings
    old = base.journeys.get(journey_id) if base is not None else None
    now = head.journeys.get(journey_id)
    steps, settings = [], []
    if base is not None and old is not None and now is not None:  # else all added or removed
        old_map, new_map = base.source("journeys", journey_id), head.source("journeys", journey_id)
        steps, settings = step_changes(old, now, old_map, new_map), _settings(old, now)
    was = base is not None and base.exists("journeys", journey_id)
    if was and head.exists("journeys", journey_id):
        if not (steps or settings or new or fixed) and before == after:
            return None
        status = "changed"
    else:
        status = "removed" if was else "added"
    return JourneyChange(
        journey_id, status, tuple(steps), tuple(settings), before, after, new, fixed
    )


def _settings(old: Journey, new: Journey) -> list[SettingChange]:
    then = old.model_dump(mode="json", by_alias=True)
    now = new.model_dump(mode="json", by_alias=True)
    changes = []
    for key in SETTINGS:
        before, after = _value(then, key), _value(now, key)
        if before != after:
            changes.append(SettingChange(".".join(key), before, after))
    return changes


def _value(data: dict[str, Any], key: tuple[str, ...]) -> Any:
    found: Any = data
    for part in key:
        found = found.get(part) if isinstance(found, dict) else None
    return "never" if key == ("re_entry",) and found is None else found
