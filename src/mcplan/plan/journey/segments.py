"""What one message of a journey's send step is billed as, per persona: 1, or on a channel
billed per SMS segment (`billed: per_segment`) the segments of the text that persona reads.

The steps on such channels are rendered as `render JOURNEY` renders them (`render.steps`), and
their texts counted as a campaign's are (`costs.segments_of`: a message test's arms weighted
by their split). Rendering is the forecast's only costly part, so only those steps are
rendered, each once per language (once per persona only when its template reads the persona,
as the renderer does), and a step that renders the same message as an earlier one on its
channel takes its texts. A persona whose text does not render (a broken template: lint says
why) is priced at one segment, and its step is listed as not measured.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import attrgetter

import numpy as np

from mcplan.plan.costs import segments_of
from mcplan.plan.result import Segments
from mcplan.workspace import Workspace
from mcplan.workspace.channel import Billing, Channel
from mcplan.workspace.journey import Journey

_ONE = Segments(1.0, ())  # a text that does not render: one segment
_UNITS = attrgetter("units")


@dataclass(frozen=True)
class Measured:
    """Each per-segment send step's segments, per persona that has a rendered text."""

    segments: dict[str, dict[str, Segments]] = field(default_factory=dict)

    def units(self, step: str, channel: Channel | None, personas: Sequence[str]) -> np.ndarray:
        """What one message of ``step`` to each of ``personas`` is billed as: 1, or its
        segments (1 where its text does not render)."""
        found = self.segments.get(step) if per_segment(channel) else None
        if not found:
            return np.ones(len(personas))
        read = map(_UNITS, map(found.get, personas, repeat(_ONE)))  # thousands of personas
        return np.fromiter(read, float, len(personas))

    def missing(self, step: str, channel: Channel | None, personas: Sequence[str]) -> list[str]:
        """Those of ``personas`` the step is billed per segment for whose text did not
        render (priced at one segment)."""
        if not per_segment(channel):
            return []
        lacking = set(personas).difference(self.segments.get(step, ()))
        return [p for p in personas if p in lacking] if lacking else []


def per_segment(channel: Channel | None) -> bool:
    """Whether ``channel`` is billed per SMS segment."""
    return channel is not None and channel.billed is Billing.PER_SEGMENT


def measure(workspace: Workspace, journey: Journey, channels: dict[str, Channel]) -> Measured:
    """The segments of each of ``journey``'s send steps on a channel of ``channels`` billed
    per segment, per persona whose text renders."""
    billed = sorted(c for c, channel in channels.items() if per_segment(channel))
    if not billed:
        return Measured()
    from mcplan.render.steps import step_versions

    rendered, copies = step_versions(workspace, journey, billed)
    by_step = defaultdict(list)
    for version in rendered:
        by_step[version.step].append(version)
    segments = {}
    for step, versions in by_step.items():
        test = copies[step or ""].test_on(versions[0].channel)
        segments[step or ""] = segments_of(versions, test.shares() if test is not None else {})
    return Measured(segments)


__all__ = ["Measured", "measure", "per_segment"]
