"""What one message of a journey's send step is billed as, per persona: 1, or on a channel
billed per SMS segment (`billed: per_segment`) the segments of the text that persona reads.

The steps on such channels are rendered as `render JOURNEY` renders them (`render.steps`), and
their texts counted as a campaign's are (`costs.segment_groups`: a message test's arms weighted
by their split). Rendering is the forecast's only costly part, so only those steps are
rendered, each once per language (once per persona only when its template reads the persona,
as the renderer does), and a step that renders the same message as an earlier one on its
channel takes its texts. A persona whose text does not render (a broken template: lint says
why) is priced at one segment, and its step is listed as not measured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from itertools import repeat

import numpy as np

from mcplan.plan.costs import segment_groups
from mcplan.plan.result import Segments
from mcplan.workspace import Workspace
from mcplan.workspace.channel import Billing, Channel
from mcplan.workspace.journey import Journey

Group = tuple[tuple[str, ...], Segments]  # personas sent the same segments, and those


@dataclass(frozen=True, eq=False)
class StepSegments(Mapping[str, Segments]):
    """One step's segments per persona whose text renders, kept by group of personas that
    read the same text (a journey's steps often share theirs): read per persona on demand."""

    groups: tuple[Group, ...]

    @cached_property
    def _by_persona(self) -> dict[str, Segments]:
        out: dict[str, Segments] = {}
        for personas, found in self.groups:
            out.update(dict.fromkeys(personas, found))
        return out

    def __getitem__(self, persona: str) -> Segments:
        return self._by_persona[persona]

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_persona)

    def __len__(self) -> int:
        return len(self._by_persona)


@dataclass(frozen=True)
class Measured:
    """The segments of a journey's steps billed per segment (by step id), for its personas
    (in its order)."""

    personas: tuple[str, ...]
    segments: dict[str, StepSegments] = field(default_factory=dict)
    # The rows in `personas` of each group's personas, by the group's tuple (steps that render
    # the same text share it): the tuple kept beside its rows, so that its id stays its own.
    _rows: dict[int, tuple[tuple[str, ...], np.ndarray]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @cached_property
    def _index(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.personas)}

    def units(self, step: str, channel: Channel | None) -> np.ndarray:
        """What one message of ``step`` to each persona is billed as: 1, or its segments (1
        where its text does not render)."""
        units = np.ones(len(self.personas))
        found = self.segments.get(step) if per_segment(channel) else None
        for personas, segments in found.groups if found else ():
            units[self.rows(personas)] = segments.units
        return units

    def missing(self, step: str, channel: Channel | None) -> list[str]:
        """The personas the step is billed per segment for whose text did not render
        (priced at one segment)."""
        if not per_segment(channel):
            return []
        covered = np.zeros(len(self.personas), bool)
        found = self.segments.get(step)
        for personas, _ in found.groups if found else ():
            covered[self.rows(personas)] = True
        return [p for p, c in zip(self.personas, covered.tolist(), strict=True) if not c]

    def rows(self, personas: tuple[str, ...]) -> np.ndarray:
        """The rows of ``personas`` in the journey's (a persona it lacks left out)."""
        if id(personas) not in self._rows:
            read = map(self._index.get, personas, repeat(-1))
            rows = np.fromiter(read, np.intp, len(personas))
            self._rows[id(personas)] = (personas, rows[rows >= 0])
        return self._rows[id(personas)][1]


def per_segment(channel: Channel | None) -> bool:
    """Whether ``channel`` is billed per SMS segment."""
    return channel is not None and channel.billed is Billing.PER_SEGMENT


def measure(workspace: Workspace, journey: Journey, channels: dict[str, Channel]) -> Measured:
    """The segments of each of ``journey``'s send steps on a channel of ``channels`` billed
    per segment, per persona whose text renders."""
    personas = tuple(journey.personas)
    billed = sorted(c for c, channel in channels.items() if per_segment(channel))
    if not billed:
        return Measured(personas)
    from mcplan.render.steps import step_versions

    rendered, copies = step_versions(workspace, journey, billed)
    by_step = defaultdict(list)
    for version in rendered:
        by_step[version.step or ""].append(version)
    segments = {}
    for step, versions in by_step.items():
        test = copies[step].test_on(versions[0].channel)
        shares = test.shares() if test is not None else {}
        segments[step] = StepSegments(tuple(segment_groups(versions, shares)))
    return Measured(personas, segments)


__all__ = ["Measured", "StepSegments", "measure", "per_segment"]
