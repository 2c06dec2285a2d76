"""Where a journey's sends break a cap together with another journey's sends, per persona:
what the platform holds or skips of them (`held`) and what lint reports for `on_cap: send`
(P107), as arrays, in a time that 200 journeys for 1,000 personas allow.

Other journeys' sends are not dated: a member of the persona gets one of another journey's
sends in a span with the chance that journey's sends per week on the persona ÷ the
persona's size × the span in weeks (at most 1). A way to a send step clashes with another
journey when its entrant's own sends already fill a cap in the span before it (one more
breaks it: the cap's days, or its gap's hours; `filled_caps`), with that chance for the
likeliest such cap (then the longest); held, it waits half that span on average (the other
journey's send comes anywhere in it).

For one way to a send step, a persona's filled caps are the same for every persona with the
same caps and outbound channels, so they are worked out once per such group (as `KnownCaps`
groups them for P106); the other journeys' sends a week are one table of every journey ×
persona × channel, summed once per set of counted channels.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from mcplan.plan.journey.forecast import JourneyForecast, StepForecast
from mcplan.plan.result import FUNNEL
from mcplan.schedule.journey_cross import Filled, filled_caps
from mcplan.schedule.journey_times import HOURS_A_WEEK
from mcplan.schedule.journeys import KnownCaps, Sent
from mcplan.workspace import Direction, Workspace
from mcplan.workspace.sourcemap import KeyPath

Add = Callable[[str, tuple[str, str, int | None], float, float], None]
Array = NDArray[np.float64]
Group = tuple[str, NDArray[np.intp]]  # a persona of the group, and the group's columns
SENDS = FUNNEL.index("sends")
KEPT = 32  # the most chances kept at once (each journeys × personas)


@dataclasses.dataclass(frozen=True)
class Best:
    """For one way's filled caps and a group of personas, per journey × persona: the chance
    that one of the journey's sends comes in the likeliest cap's span (then the longest),
    the chance × that span in hours, and which of the filled caps it is."""

    chance: Array
    spanned: Array
    which: NDArray[np.intp]
    top: float  # the largest chance


@dataclasses.dataclass(frozen=True)
class JourneyClash:
    """One way to a send step against another journey, for one persona."""

    sent: Sent
    other: str  # the other journey's id
    persona: str
    key: str  # the cap's key filled by the entrant's own sends
    channel: str | None  # the channel whose cap it is, None for the persona's
    chance: float  # that one of the other's sends comes in the span before it
    held_hours: float  # how long it waits on average, held
    entrants: float  # the way's sends a week to the persona that clash


class RateTable:
    """Every journey's sends a week, by persona and channel, as one array, with the
    caps of each persona known once (read once for all of a workspace's journeys)."""

    def __init__(self, workspace: Workspace, forecasts: Sequence[JourneyForecast]) -> None:
        self.workspace = workspace
        by_id = {f.journey: f for f in forecasts}
        self.ids = sorted(by_id)
        self.order = sorted(workspace.personas)
        self.personas = {p: i for i, p in enumerate(self.order)}
        channels = sorted({s.channel for f in forecasts for s in f.steps})
        self.channels = {c: i for i, c in enumerate(channels)}
        table = np.zeros((len(self.ids), len(self.personas), len(channels)))
        self._columns: dict[object, NDArray[np.intp]] = {}
        self._seen: dict[int, tuple[object, NDArray[np.intp]]] = {}
        for row, journey in enumerate(self.ids):
            for step in by_id[journey].steps:
                sends, at = self.sends(step), self.channels[step.channel]
                table[row, :, at] += sends
        self.table = table
        self.sizes = np.array([float(workspace.personas[p].size or 0) for p in self.personas])
        self.known = KnownCaps(workspace)
        self._sums: dict[frozenset[str], Array] = {}
        self._groups: dict[tuple[frozenset[str], str], list[Group]] = {}
        self._best: dict[tuple[int, tuple[object, ...]], Best] = {}

    def columns(self, personas: tuple[str, ...] | frozenset[str]) -> NDArray[np.intp]:
        """Where ``personas`` are in the table, in their order (-1: not the workspace's);
        read once for each tuple or set of them (a journey's steps share one)."""
        seen = self._seen.get(id(personas))
        if seen is not None and seen[0] is personas:  # the same object: no hash of its ids
            return seen[1]
        if personas not in self._columns:
            at = [self.personas.get(p, -1) for p in personas]
            self._columns[personas] = np.array(at, dtype=np.intp)
        self._seen[id(personas)] = (personas, self._columns[personas])  # kept: its id stays
        return self._columns[personas]

    def sends(self, step: StepForecast) -> Array:
        """``step``'s sends a week, by persona of the table (0 for those not its own)."""
        out = np.zeros(len(self.order))
        at = self.columns(step.personas)
        out[at[at >= 0]] = step.funnels[at >= 0, SENDS]
        return out

    def member(self, personas: frozenset[str]) -> NDArray[np.bool_]:
        """Whether each persona of the table is one of ``personas``."""
        out = np.zeros(len(self.order), dtype=bool)
        at = self.columns(personas)
        out[at[at >= 0]] = True
        return out

    def on(self, channels: frozenset[str]) -> Array:
        """Each journey's sends a week on ``channels``, by persona (journeys × personas)."""
        if channels not in self._sums:
            columns = [self.channels[c] for c in sorted(channels) if c in self.channels]
            self._sums[channels] = self.table[:, :, columns].sum(axis=2)
        return self._sums[channels]

    def grouped(self, personas: frozenset[str], channel: str) -> list[Group]:
        """``personas`` (those of the workspace), by what their filled caps on ``channel``
        depend on: their caps, the channel's for them, and their outbound channels; each
        group with its personas' columns in the table."""
        key = (personas, channel)
        if key not in self._groups:
            groups: dict[tuple[object, ...], list[str]] = defaultdict(list)
            for persona_id in sorted(personas & self.workspace.personas.keys()):
                groups[self._sign(persona_id, channel)].append(persona_id)
            self._groups[key] = [
                (ids[0], np.array([self.personas[p] for p in ids])) for ids in groups.values()
            ]
        return self._groups[key]

    def best(self, full: Filled, columns: NDArray[np.intp]) -> Best:
        """`_best` of ``full`` for the personas at ``columns``, kept for the ways whose
        filled caps are alike (most are: the same channel after the same waits), in any
        journey."""
        key = (id(columns), tuple((span, frozenset(counted)) for span, _, _, counted in full))
        if key not in self._best:
            if len(self._best) >= KEPT:
                self._best.clear()
            self._best[key] = _best(self, full, columns)
        return self._best[key]

    def clashes(self, sent: Sent, part: Array) -> Iterator[tuple[Filled, NDArray[np.intp], Best]]:
        """For each group of ``sent``'s personas whose entrants' own sends fill a cap and
        that get sends on its way (``part``: by persona), the filled caps, the group's
        columns and `best`."""
        for first, columns in self.grouped(sent.personas, sent.step.send):
            full = filled_caps(self.workspace, sent, first)
            if full and part[columns].any():
                yield full, columns, self.best(full, columns)

    def _sign(self, persona_id: str, channel: str) -> tuple[object, ...]:
        listed = self.workspace.personas[persona_id].channels
        counted = frozenset(c for c in listed if _outbound(self.workspace, c))
        return (self.known.of(persona_id, None), self.known.of(persona_id, channel), counted)


def with_journeys(
    table: RateTable,
    journey_id: str,
    ways: Mapping[KeyPath, list[Sent]],
    steps: Mapping[str, StepForecast],
    add: Add,
) -> None:
    """``add(step, ("journey", other, None), sends a week, mean hold hours)`` for each way to
    a send step of ``journey_id`` (``ways``: by step; ``steps``: their forecasts, by id) and
    each other journey."""
    others = np.array([j != journey_id for j in table.ids], dtype=bool)
    for sent, part in _ways(table, ways, steps):
        _sent(table, sent, part, others, add)


def _ways(
    table: RateTable, ways: Mapping[KeyPath, list[Sent]], steps: Mapping[str, StepForecast]
) -> Iterator[tuple[Sent, Array]]:
    """Each way to each send step, with its part of the step's sends a week, by persona."""
    for sents in ways.values():
        parts = _parts(table, sents, steps.get(sents[0].step.id))
        yield from zip(sents, parts, strict=True)


def _parts(table: RateTable, sents: list[Sent], step: StepForecast | None) -> Array:
    """Each way's part of its step's sends a week, by persona (ways × personas): the step's
    sends to the persona × the way's share among the ways it takes (`weights`)."""
    sends = table.sends(step) if step is not None else np.zeros(len(table.order))
    member = np.array([table.member(s.personas) for s in sents], dtype=bool)
    shares = np.array([s.share for s in sents])[:, None] * member
    total, count = shares.sum(axis=0), member.sum(axis=0)
    alike = member / np.maximum(count, 1)
    part = np.where(total > 0, shares / np.where(total > 0, total, 1.0), alike)
    return np.asarray(part * sends, dtype=np.float64)


def _sent(table: RateTable, sent: Sent, part: Array, others: NDArray[np.bool_], add: Add) -> None:
    sends = np.zeros(len(table.ids))
    hours = np.zeros(len(table.ids))
    for _, columns, best in table.clashes(sent, part):
        sends += best.chance @ part[columns]
        hours += best.spanned @ part[columns] / 2
    for row in np.flatnonzero(others & (sends > 0)):
        source = ("journey", table.ids[row], None)
        add(sent.step.id, source, float(sends[row]), float(hours[row] / sends[row]))


def journey_clashes(
    table: RateTable,
    journey_id: str,
    ways: Mapping[KeyPath, list[Sent]],
    steps: Mapping[str, StepForecast],
    floor: float,
) -> Iterator[JourneyClash]:
    """Each way to a send step of ``journey_id`` (``ways``: by step; ``steps``: their
    forecasts, by id) against each other journey and persona, where at least ``floor`` of
    the way's sends a week clash."""
    mine = table.ids.index(journey_id) if journey_id in table.ids else None
    for sent, part in _ways(table, ways, steps):
        for full, columns, best in table.clashes(sent, part):
            if best.top * part[columns].max() < floor:
                continue  # none of theirs comes often enough
            entrants = best.chance * part[columns]
            if mine is not None:
                entrants[mine] = 0.0
            for row, column in zip(*np.nonzero(entrants >= floor), strict=True):
                span, key, whose, _ = full[best.which[row, column]]
                yield JourneyClash(
                    sent, table.ids[row], table.order[columns[column]], key, whose,
                    float(best.chance[row, column]), span / 2, float(entrants[row, column]),
                )  # fmt: skip


def _best(table: RateTable, full: Filled, columns: NDArray[np.intp]) -> Best:
    """Per journey and persona, the chance for the likeliest cap (then the longest), its
    span in hours and which it is; 0 for a persona of no size."""
    sizes = table.sizes[columns]
    known = sizes > 0
    shape = (len(table.ids), len(columns))
    chance, spans = np.full(shape, -1.0), np.zeros(shape)
    which = np.zeros(shape, dtype=np.intp)
    for index, (span, _, _, counted) in enumerate(full):
        rate = table.on(frozenset(counted))[:, columns]
        mine = np.zeros_like(rate)
        mine[:, known] = np.minimum(1.0, rate[:, known] / sizes[known] * span / HOURS_A_WEEK)
        better = (mine > chance) | ((mine == chance) & (span > spans))
        chance, spans = np.where(better, mine, chance), np.where(better, span, spans)
        which = np.where(better, index, which)
    return Best(chance, chance * spans, which, float(chance.max(initial=0.0)))


def _outbound(workspace: Workspace, channel_id: str) -> bool:
    channel = workspace.channels.get(channel_id)
    return channel is not None and channel.direction is Direction.OUTBOUND
