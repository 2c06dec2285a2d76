"""The other journeys' part of what the platform holds or skips (`held`), as arrays: the same
figures as `schedule.journey_cross.journey_clashes` summed send by send, in a time that 200
journeys for 1,000 personas allow.

For one way to a send step, a persona's caps that its entrant's own sends fill
(`filled_caps`) are the same for every persona with the same caps and outbound channels, so
they are worked out once per such group (as `KnownCaps` groups them for P106). Each other
journey's chance to come in a cap's span is then its sends a week on the persona's counted
channels (a table of every journey × persona, summed once per set of channels) ÷ the
persona's size × the span in weeks, at most 1; the best cap per journey and persona is the
likeliest (then the longest), as `journey_clashes` takes it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping

import numpy as np
from numpy.typing import NDArray

from mcplan.schedule.journey_cross import Filled, filled_caps
from mcplan.schedule.journey_times import HOURS_A_WEEK
from mcplan.schedule.journeys import KnownCaps, Sent
from mcplan.workspace import Direction, Workspace
from mcplan.workspace.sourcemap import KeyPath

Rates = Mapping[str, Mapping[str, Mapping[str, float]]]  # journey → persona → channel → a week
Add = Callable[[str, tuple[str, str, int | None], float, float], None]
Array = NDArray[np.float64]
Group = tuple[str, NDArray[np.intp]]  # a persona of the group, and the group's columns
KEPT = 32  # the most chances kept at once (each journeys × personas)


class RateTable:
    """Every journey's sends a week, by persona and channel, as one array, with the
    caps of each persona known once (read once for all of a workspace's journeys)."""

    def __init__(self, workspace: Workspace, rates: Rates) -> None:
        self.workspace = workspace
        self.ids = sorted(rates)
        self.personas = {p: i for i, p in enumerate(sorted(workspace.personas))}
        channels = sorted({c for by in rates.values() for on in by.values() for c in on})
        self.channels = {c: i for i, c in enumerate(channels)}
        table = np.zeros((len(self.ids), len(self.personas), len(channels)))
        for row, journey in enumerate(self.ids):
            for persona, on in rates[journey].items():
                if persona in self.personas:
                    for channel, sends in on.items():
                        table[row, self.personas[persona], self.channels[channel]] = sends
        self.table = table
        self.sizes = np.array([float(workspace.personas[p].size or 0) for p in self.personas])
        self.known = KnownCaps(workspace)
        self._sums: dict[frozenset[str], Array] = {}
        self._groups: dict[tuple[frozenset[str], str], list[Group]] = {}
        self._best: dict[tuple[int, tuple[object, ...]], tuple[Array, Array]] = {}

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

    def best(self, full: Filled, columns: NDArray[np.intp]) -> tuple[Array, Array]:
        """`_best`'s chances and chances × spans, kept for the ways whose filled caps are
        alike (most are: the same channel after the same waits), in any journey."""
        key = (id(columns), tuple((span, frozenset(counted)) for span, _, _, counted in full))
        if key not in self._best:
            if len(self._best) >= KEPT:
                self._best.clear()
            chance, span = _best(self, full, columns)
            self._best[key] = (chance, chance * span)
        return self._best[key]

    def _sign(self, persona_id: str, channel: str) -> tuple[object, ...]:
        listed = self.workspace.personas[persona_id].channels
        counted = frozenset(c for c in listed if _outbound(self.workspace, c))
        return (self.known.of(persona_id, None), self.known.of(persona_id, channel), counted)


def with_journeys(
    table: RateTable,
    journey_id: str,
    ways: Mapping[KeyPath, list[Sent]],
    weekly: Mapping[str, Mapping[str, float]],
    add: Add,
) -> None:
    """``add(step, ("journey", other, None), sends a week, mean hold hours)`` for each way to
    a send step of ``journey_id`` (``ways``: by step) and each other journey."""
    others = np.array([j != journey_id for j in table.ids], dtype=bool)
    for sents in ways.values():
        parts = _parts(table, sents, weekly.get(sents[0].step.id, {}))
        for sent, part in zip(sents, parts, strict=True):
            _sent(table, sent, part, others, add)


def _parts(table: RateTable, sents: list[Sent], weekly: Mapping[str, float]) -> Array:
    """Each way's part of its step's sends a week, by persona (ways × personas): the step's
    sends to the persona × the way's share among the ways it takes (`weights`)."""
    index = table.personas
    sends = np.zeros(len(index))
    for persona, n in weekly.items():
        if persona in index and n > 0:
            sends[index[persona]] = n
    member = np.zeros((len(sents), len(index)), dtype=bool)
    for row, sent in enumerate(sents):
        member[row, [index[p] for p in sent.personas if p in index]] = True
    shares = np.array([s.share for s in sents])[:, None] * member
    total, count = shares.sum(axis=0), member.sum(axis=0)
    alike = member / np.maximum(count, 1)
    part = np.where(total > 0, shares / np.where(total > 0, total, 1.0), alike)
    return np.asarray(part * sends, dtype=np.float64)


def _sent(table: RateTable, sent: Sent, part: Array, others: NDArray[np.bool_], add: Add) -> None:
    workspace = table.workspace
    sends = np.zeros(len(table.ids))
    hours = np.zeros(len(table.ids))
    for first, columns in table.grouped(sent.personas, sent.step.send):
        full = filled_caps(workspace, sent, first)
        mine = part[columns]
        if full and mine.any():
            chance, spanned = table.best(full, columns)
            sends += chance @ mine
            hours += spanned @ mine / 2
    for row in np.flatnonzero(others & (sends > 0)):
        source = ("journey", table.ids[row], None)
        add(sent.step.id, source, float(sends[row]), float(hours[row] / sends[row]))


def _best(table: RateTable, full: Filled, columns: NDArray[np.intp]) -> tuple[Array, Array]:
    """Per journey and persona, the chance for the likeliest cap (then the longest) and its
    span in hours; 0 for a persona of no size."""
    sizes = table.sizes[columns]
    known = sizes > 0
    best: tuple[Array, Array] | None = None
    for span, _, _, counted in full:
        rate = table.on(frozenset(counted))[:, columns]
        chance = np.zeros_like(rate)
        chance[:, known] = np.minimum(1.0, rate[:, known] / sizes[known] * span / HOURS_A_WEEK)
        spans = np.full_like(rate, span)
        if best is None:
            best = (chance, spans)
            continue
        better = (chance > best[0]) | ((chance == best[0]) & (span > best[1]))
        best = (np.where(better, chance, best[0]), np.where(better, spans, best[1]))
    assert best is not None
    return best


def _outbound(workspace: Workspace, channel_id: str) -> bool:
    channel = workspace.channels.get(channel_id)
    return channel is not None and channel.direction is Direction.OUTBOUND
