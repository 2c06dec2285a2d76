"""A journey's forecast: what each send step sends per week, per persona and in all, and what
the journey costs, converts and brings in per week and over its live period.

- Entries per persona per week as `entry.per_week` writes them; a single number is split
  between the journey's personas by their size (`Journey.per_week_of`). They count entries,
  re-entries included: `re_entry` does not change them.
- The sends of each step come from the exact walk of the steps (`walk`): a send goes to those
  who arrive at it × the persona's reach on its channel (read as the plan reads it,
  `audience.Audience`: 0 for a persona that lacks the channel or whose consent does not
  suffice, which validate reports), and the odds of an open, a click and a conversion among
  them are the plan's funnel of one message to that persona on that channel
  (`costs.funnels_of`: delivery × open, delivery × click, delivery × conversion).
- Each step's funnel (sends, reached, opens, clicks, conversions, cost) is the plan's funnel
  of its sends (`costs.funnels_of`): cost is sends × the channel's `cost_per_contact`, × the
  SMS segments of the text each persona reads on a channel billed per segment (`segments`:
  each such step rendered; one segment where its text does not render, the step then listed
  in `unmeasured`; `priced=False`, for a caller that reads only the sends, renders none and
  lists them all). Revenue is conversions × the journey's `average_order_value`, as a
  campaign's; without one, None.
- Weekly figures are those of a steady week: every entrant of the week counted through every
  step, whenever the step falls. The live period runs from `entry.from` to `until` (both
  included), or for `DEFAULT_WEEKS` weeks when the journey has no `until`; its totals are the
  weekly figures × its weeks (each week's entrants through their whole journey), plus each
  channel's `fixed_cost` once, for the channels the journey sends on (as a campaign pays it
  once per channel it uses).
- Its objectives are measured on those totals as a campaign's are (`mcplan.objectives`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from mcplan import objectives
from mcplan.plan.audience import Audience
from mcplan.plan.costs import funnels_of
from mcplan.plan.journey.segments import Measured, StepSegments, measure, per_segment
from mcplan.plan.journey.walk import Odds, Walked, walk
from mcplan.plan.result import FUNNEL, Funnel, ObjectiveProgress, Segments
from mcplan.workspace import ObjectiveKind, Workspace
from mcplan.workspace.channel import Channel
from mcplan.workspace.journey import Journey, Send
from mcplan.workspace.sourcemap import KeyPath

DEFAULT_WEEKS = 52  # a journey without `until` is forecast over a year of 52 weeks


@dataclass(frozen=True)
class StepForecast:
    """One send step's expected figures per week: per persona (the journey's, in its order)
    and in all."""

    step: str  # the send's id
    channel: str
    path: KeyPath  # where the step is written in the journey's file
    personas: tuple[str, ...]  # the journey's, in its order
    weekly: Funnel  # per week, all personas (variable cost)
    # Per persona of `personas`, columns FUNNEL, per week (variable cost): read-only.
    funnels: np.ndarray = field(compare=False, repr=False)
    # How the figures come, for `plan --explain`: per persona, those who arrive at the step
    # each week (before its reach), and the channel's odds (reach, open, click, conversion).
    arrived: np.ndarray | None = field(default=None, compare=False, repr=False)
    odds: Odds | None = field(default=None, compare=False, repr=False)
    # On a channel billed per SMS segment, the segments of each persona's text (a persona
    # whose text does not render is not in it: billed one segment); None on any other.
    segments: Mapping[str, Segments] | None = field(default=None, compare=False, repr=False)

    @property
    def sends_per_week(self) -> dict[str, float]:
        """Expected sends per week, per persona."""
        column = self.funnels[:, FUNNEL.index("sends")].tolist()
        return dict(zip(self.personas, column, strict=True))

    @property
    def total_sends_per_week(self) -> float:
        """Expected sends per week, all personas."""
        return self.weekly.sends

    def funnel(self, persona: str) -> Funnel:
        """The step's funnel per week for one persona (ValueError: not the journey's)."""
        return Funnel(*self.funnels[self.personas.index(persona)].tolist())


@dataclass(frozen=True)
class JourneyForecast:
    """A journey's forecast (see the module's docstring for every definition)."""

    journey: str
    entries_per_week: tuple[tuple[str, float], ...]  # per persona, in the journey's order
    steps: tuple[StepForecast, ...]  # its send steps, in the order written
    weekly: Funnel  # per week, all steps and personas (variable cost only)
    revenue_per_week: float | None  # None: no average_order_value
    first: date  # the live period's first day (`entry.from`)
    last: date  # its last day: `until`, or the last of DEFAULT_WEEKS weeks
    open_ended: bool  # no `until`: the period is DEFAULT_WEEKS weeks
    fixed_cost: float  # the fixed cost of each channel it sends on, once
    total: Funnel  # over the live period: weekly × weeks, fixed cost included
    revenue: float | None  # over the live period
    objectives: tuple[ObjectiveProgress, ...]  # measured on `total`
    # Send steps on a channel billed per SMS segment priced at one segment a message for a
    # persona they send to, whose text does not render (a broken template: lint says why).
    unmeasured: tuple[str, ...] = ()

    @property
    def weeks(self) -> float:
        """The live period in weeks (days / 7)."""
        return ((self.last - self.first).days + 1) / 7

    @property
    def cost_per_week(self) -> float:
        return self.weekly.cost

    @property
    def conversions_per_week(self) -> float:
        return self.weekly.conversions

    @property
    def sends_per_week(self) -> float:
        return self.weekly.sends

    def step(self, step_id: str) -> StepForecast:
        """The forecast of the send step `step_id` (KeyError: the journey has none)."""
        for found in self.steps:
            if found.step == step_id:
                return found
        raise KeyError(step_id)


@dataclass
class _Known:
    """What the journeys of one workspace with the same personas share (they are often all
    for the same ones): their rows in the audience, their sizes, each channel's odds."""

    audience: Audience
    personas: dict[tuple[str, ...], tuple[np.ndarray, dict[str, float]]] = field(
        default_factory=dict
    )
    odds: dict[tuple[str, tuple[str, ...]], Odds] = field(default_factory=dict)

    def rows(self, personas: tuple[str, ...]) -> tuple[np.ndarray, dict[str, float]]:
        """The rows of ``personas`` in the audience (-1: one the workspace lacks), and the
        size of each it has."""
        if personas not in self.personas:
            audience = self.audience
            rows = np.array([audience.row.get(p, -1) for p in personas], int)
            listed = rows.tolist()
            sizes = {
                p: float(audience.size[r]) for p, r in zip(personas, listed, strict=True) if r >= 0
            }
            self.personas[personas] = (rows, sizes)
        return self.personas[personas]

    def odds_of(self, channel: Channel, personas: tuple[str, ...]) -> Odds:
        """The channel's odds for ``personas``."""
        key = (channel.id, personas)
        if key not in self.odds:
            self.odds[key] = _odds(self.audience, channel, self.rows(personas)[0])
        return self.odds[key]


def forecast_journey(
    workspace: Workspace,
    journey: Journey,
    audience: Audience | None = None,
    *,
    priced: bool = True,
) -> JourneyForecast:
    """The forecast of `journey` in `workspace` (exact expected values, no sampling);
    `audience`: the workspace's personas as the plan reads them, when the caller has them.
    `priced=False`, for a caller that reads only the sends: its SMS steps are not rendered,
    so each of their messages is one segment, and they are listed in `unmeasured`."""
    known = _Known(audience or Audience.of(workspace))
    return _forecast(workspace, journey, known, priced)


def _forecast(
    workspace: Workspace, journey: Journey, known: _Known, priced: bool
) -> JourneyForecast:
    personas = tuple(journey.personas)
    sizes = known.rows(personas)[1]
    per_week = journey.per_week_of(sizes)
    entries = np.array([per_week[p] for p in personas], float)
    sends = journey.sends()
    channels = {
        step.send: workspace.channels[step.send]
        for _, step in sends
        if step.send in workspace.channels
    }
    odds = {c: known.odds_of(channel, personas) for c, channel in channels.items()}
    walked = walk(journey.steps, personas, entries, odds, exits=journey.exit is not None)
    measured = measure(workspace, journey, channels) if priced else Measured(personas)
    steps = tuple(
        _step(path, step, channels, personas, walked, odds, measured) for path, step in sends
    )
    weekly = sum((s.weekly for s in steps), Funnel())
    used = {s.channel for s in steps if s.channel in channels and s.total_sends_per_week > 0}
    fixed = sum(channels[c].fixed_cost for c in sorted(used))
    first, last = _period(journey)
    weeks = ((last - first).days + 1) / 7
    total = _times(weekly, weeks, fixed)
    aov = journey.average_order_value
    return JourneyForecast(
        journey=journey.id,
        entries_per_week=tuple(zip(personas, entries.tolist(), strict=True)),
        steps=steps,
        weekly=weekly,
        revenue_per_week=_revenue(weekly, aov),
        first=first,
        last=last,
        open_ended=journey.entry.until is None,
        fixed_cost=fixed,
        total=total,
        revenue=_revenue(total, aov),
        objectives=_progress(journey, steps, total, weeks),
        unmeasured=_unmeasured(steps, channels, measured),
    )


def forecast_journeys(workspace: Workspace, *, priced: bool = True) -> tuple[JourneyForecast, ...]:
    """The forecast of each of the workspace's journeys, by id (`priced`: as
    `forecast_journey`'s)."""
    known = _Known(Audience.of(workspace))
    journeys = workspace.journeys
    return tuple(_forecast(workspace, journeys[j], known, priced) for j in sorted(journeys))


def _unmeasured(
    steps: tuple[StepForecast, ...], channels: dict[str, Channel], measured: Measured
) -> tuple[str, ...]:
    """The steps billed per segment that send to a persona whose text does not render."""
    out = []
    for step in steps:
        missing = measured.missing(step.step, channels.get(step.channel))
        if missing and any(step.sends_per_week[p] > 0 for p in missing):
            out.append(step.step)
    return tuple(out)


def _revenue(funnel: Funnel, aov: float | None) -> float | None:
    """Conversions × the average order value, as a campaign's; None without one."""
    return None if aov is None else funnel.conversions * aov


def _odds(audience: Audience, channel: Channel, rows: np.ndarray) -> Odds:
    """The channel's odds for the personas of the audience's `rows` (-1: a persona the
    workspace lacks): its reach (0 for a persona that lacks the channel or whose consent does
    not suffice, as the plan leaves them out), and the plan's funnel of one message."""
    n = len(rows)
    reach = np.zeros(n)
    links = audience.links.get(channel.id)
    known = rows >= 0
    if links is not None:
        found = rows[known]
        reach[known] = np.where(links.uses[found] & ~links.refused[found], links.reach[found], 0)
    one = funnels_of(np.ones(n), channel, np.ones(n))  # what it costs does not count here
    column = {name: one[:, i] for i, name in enumerate(FUNNEL)}
    return Odds(reach, column["opens"], column["clicks"], column["conversions"])


def _step(
    path: KeyPath,
    step: Send,
    channels: dict[str, Channel],
    personas: tuple[str, ...],
    walked: Walked,
    odds: dict[str, Odds],
    measured: Measured,
) -> StepForecast:
    zeros = np.zeros(len(personas))
    sent = walked.sends.get(step.id, zeros)
    channel = channels.get(step.send)
    if channel is None:
        funnels = np.zeros((len(personas), len(FUNNEL)))
    else:
        funnels = funnels_of(sent, channel, measured.units(step.id, channel))
    funnels.setflags(write=False)
    weekly = Funnel(*funnels.sum(axis=0).tolist())
    arrived = walked.arrived.get(step.id, zeros)
    known = odds.get(step.send, Odds.none(len(personas)))
    segments = None
    if per_segment(channel):
        segments = measured.segments.get(step.id, StepSegments(()))
    return StepForecast(
        step.id, step.send, path, personas, weekly, funnels, arrived, known, segments
    )


def _period(journey: Journey) -> tuple[date, date]:
    first = journey.entry.from_
    if journey.entry.until is not None:
        return first, journey.entry.until
    return first, first + timedelta(days=DEFAULT_WEEKS * 7 - 1)


def _times(weekly: Funnel, weeks: float, fixed: float) -> Funnel:
    """`weekly` over `weeks` weeks, with `fixed` added to its cost."""
    values = [getattr(weekly, name) * weeks for name in FUNNEL]
    values[FUNNEL.index("cost")] += fixed
    return Funnel(*values)


def _progress(
    journey: Journey, steps: tuple[StepForecast, ...], total: Funnel, weeks: float
) -> tuple[ObjectiveProgress, ...]:
    """How far the live period's totals go towards each objective, as a campaign's."""
    out = []
    aov = journey.average_order_value
    for objective in journey.objectives:
        funnel = total
        if objective.channel is not None:
            weekly = sum((s.weekly for s in steps if s.channel == objective.channel), Funnel())
            funnel = _times(weekly, weeks, 0.0)
        figures = objectives.Figures(
            sent=funnel.sends, reached=funnel.reached, converted=funnel.conversions
        )
        unit = objectives.unit(objective.kind)
        if objective.kind is ObjectiveKind.SALES and aov is None:
            unit = "revenue (needs average_order_value)"
        forecast = objectives.measure(objective.kind, figures, aov)
        out.append(
            ObjectiveProgress(
                objective.kind.value, objective.channel, objective.target, forecast, unit
            )
        )
    return tuple(out)


__all__ = [
    "DEFAULT_WEEKS",
    "JourneyForecast",
    "StepForecast",
    "forecast_journey",
    "forecast_journeys",
]
