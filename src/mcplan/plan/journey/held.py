"""What the sending platform does to a journey's sends that would break a cap together with
the campaigns' touches or another journey's sends, per send step and week (`on_cap`).

- With `on_cap: hold` the platform keeps the caps by holding such a send until it breaks
  none; with `skip`, by dropping it; with `send` it sends it anyway (lint reports it: P107),
  and nothing is held or skipped here.
- Which sends clash is `schedule.journey_cross`'s definition: each way to a step placed for
  entrants at every entry moment of the live period, against the persona's dated campaign
  touches; against another journey, the chance that one of its sends comes in the span of
  the cap the entrant's own sends fill (its sends per week on the persona ÷ the persona's
  size × the span in weeks).
- Expected values: an entry moment carries 1/168 of the step's sends per week on that way
  (the forecast's `sends_per_week` per persona, split between the ways to the step by their
  shares, `journey_times.weights`). A step's sends held (or skipped) per week are the
  expected clashing sends over the live period (`JourneyForecast.first` to `last`) ÷ its
  weeks, plus those per week with other journeys; the mean hold is the mean of the holds of
  the held sends, weighted alike. A send that clashes with a campaign and a journey counts
  for each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from mcplan.plan.journey.forecast import JourneyForecast
from mcplan.plan.journey.held_journeys import RateTable, with_journeys
from mcplan.schedule.contacts import Contact, expand
from mcplan.schedule.journey_cross import campaign_clashes
from mcplan.schedule.journey_times import HOURS_A_WEEK, ways_to, weights
from mcplan.schedule.journeys import KnownCaps, Sent, paths
from mcplan.workspace import Workspace
from mcplan.workspace.journey import OnCap
from mcplan.workspace.sourcemap import KeyPath

WaysTo = Mapping[KeyPath, list[Sent]]


@dataclass(frozen=True)
class Source:
    """A campaign touch or another journey that holds or skips a step's sends."""

    kind: str  # "campaign" or "journey"
    id: str
    per_week: float  # the sends a week it holds or skips
    touch: int | None = None  # the campaign's touch (its index in `touches`)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {self.kind: self.id}
        if self.touch is not None:
            out["touch"] = self.touch
        return {**out, "per_week": round(self.per_week, 6)}


@dataclass(frozen=True)
class StepHold:
    """One send step's sends a week held (and for how long on average) or skipped."""

    step: str
    held_per_week: float = 0.0
    mean_hold_hours: float = 0.0
    skipped_per_week: float = 0.0
    by: tuple[Source, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "step": self.step,
            "held_per_week": round(self.held_per_week, 6),
            "mean_hold_hours": round(self.mean_hold_hours, 6),
            "skipped_per_week": round(self.skipped_per_week, 6),
            "by": [s.to_dict() for s in self.by],
        }


@dataclass(frozen=True)
class CapForecast:
    """A journey's send steps, held or skipped (see the module's docstring)."""

    journey: str
    on_cap: str
    steps: tuple[StepHold, ...]

    def step(self, step_id: str) -> StepHold:
        """The step `step_id`'s figures (KeyError: no such send step)."""
        for found in self.steps:
            if found.step == step_id:
                return found
        raise KeyError(step_id)

    @property
    def held_per_week(self) -> float:
        """The journey's sends a week held, over its steps."""
        return sum(s.held_per_week for s in self.steps)

    @property
    def skipped_per_week(self) -> float:
        """The journey's sends a week skipped, over its steps."""
        return sum(s.skipped_per_week for s in self.steps)

    @property
    def mean_hold_hours(self) -> float:
        """The mean hold of the journey's held sends (each step's, weighted by its sends)."""
        total = self.held_per_week
        weighted = sum(s.held_per_week * s.mean_hold_hours for s in self.steps)
        return weighted / total if total > 0 else 0.0

    @property
    def by(self) -> tuple[Source, ...]:
        """Who holds or skips the journey's sends, over its steps: each campaign touch and
        journey once, the most first."""
        per_week: dict[tuple[str, str, int | None], float] = defaultdict(float)
        for step in self.steps:
            for s in step.by:
                per_week[(s.kind, s.id, s.touch)] += s.per_week
        return _sources(per_week)

    def to_dict(self) -> dict[str, Any]:
        return {"journey": self.journey, "on_cap": self.on_cap,
                "steps": [s.to_dict() for s in self.steps]}  # fmt: skip


def sends_by_step(
    forecasts: Sequence[JourneyForecast],
) -> dict[str, dict[str, dict[str, float]]]:
    """Each journey's sends per week, by send step, then persona (what the calendar places)."""
    return {f.journey: {s.step: s.sends_per_week for s in f.steps} for f in forecasts}


def held(
    workspace: Workspace,
    forecast: JourneyForecast,
    rates: Sequence[JourneyForecast] | RateTable,
    contacts: Sequence[Contact] | None = None,
    known: KnownCaps | None = None,
) -> CapForecast:
    """What the platform holds or skips of ``forecast``'s journey a week. ``rates``: every
    journey's forecast (or their `RateTable`, when the caller has it), for their sends a week;
    ``contacts``: the campaigns' touches (`contacts.expand`), when the caller has them."""
    journey = workspace.journeys[forecast.journey]
    if journey.on_cap is OnCap.SEND:
        steps = tuple(StepHold(s.step) for s in forecast.steps)
        return CapForecast(journey.id, journey.on_cap.value, steps)
    ways = paths(journey, shares=True)
    by_step = ways_to(ways)
    weekly = {s.step: s.sends_per_week for s in forecast.steps}
    tally = _Tally()
    period = (forecast.first, forecast.last)
    contacts = expand(workspace) if contacts is None else contacts
    for clash in campaign_clashes(workspace, journey, ways, contacts, known, period):
        for persona in clash.personas:
            sends = _part(weekly, by_step, clash.sent, persona) * clash.moments / HOURS_A_WEEK
            hours = clash.held_hours / clash.moments
            source = ("campaign", clash.contact.campaign, clash.contact.touch)
            tally.add(clash.sent.step.id, source, sends / forecast.weeks, hours)
    table = rates if isinstance(rates, RateTable) else RateTable(workspace, rates)
    with_journeys(table, journey.id, by_step, {s.step: s for s in forecast.steps}, tally.add)
    steps = tuple(tally.step(s.step, journey.on_cap) for s in forecast.steps)
    return CapForecast(journey.id, journey.on_cap.value, steps)


def held_all(
    workspace: Workspace,
    forecasts: Sequence[JourneyForecast],
    others: Sequence[JourneyForecast] = (),
) -> dict[str, CapForecast]:
    """What the platform holds or skips of each of ``forecasts``' journeys, by journey id: the
    campaigns' touches expanded once, and every journey's sends a week (``forecasts`` and the
    workspace's ``others``, which are not shown but hold sends too) read once."""
    if not forecasts:
        return {}
    table = RateTable(workspace, [*forecasts, *others])
    contacts = expand(workspace)
    return {f.journey: held(workspace, f, table, contacts) for f in forecasts}


def _part(
    weekly: Mapping[str, Mapping[str, float]], ways: WaysTo, sent: Sent, persona: str
) -> float:
    """The sends a week to ``persona`` of ``sent``'s step that come on ``sent``'s way."""
    sends = weekly.get(sent.step.id, {}).get(persona, 0.0)
    if sends <= 0:
        return 0.0
    return sends * {id(s): w for s, w in weights(ways[sent.where], persona)}.get(id(sent), 0.0)


class _Tally:
    def __init__(self) -> None:
        self.per_week: dict[str, dict[tuple[str, str, int | None], float]] = defaultdict(dict)
        self.hours: dict[str, float] = defaultdict(float)

    def add(
        self, step: str, source: tuple[str, str, int | None], sends: float, hours: float
    ) -> None:
        if sends <= 0:
            return
        mine = self.per_week[step]
        mine[source] = mine.get(source, 0.0) + sends
        self.hours[step] += sends * hours

    def step(self, step_id: str, on_cap: OnCap) -> StepHold:
        mine = self.per_week.get(step_id, {})
        total = sum(mine.values())
        by = _sources(mine)
        if on_cap is OnCap.SKIP:
            return StepHold(step_id, skipped_per_week=total, by=by)
        mean = self.hours[step_id] / total if total > 0 else 0.0
        return StepHold(step_id, held_per_week=total, mean_hold_hours=mean, by=by)


def _sources(per_week: Mapping[tuple[str, str, int | None], float]) -> tuple[Source, ...]:
    """The sources, the most sends a week first (then by kind, id and touch)."""
    return tuple(Source(kind, id_, sends, touch) for (kind, id_, touch), sends in sorted(
        per_week.items(), key=lambda item: (-item[1], item[0][0], item[0][1], item[0][2] or 0)
    ))  # fmt: skip
