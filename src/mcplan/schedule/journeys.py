"""The paths through a journey, and the caps one entrant's own path breaks by itself.

A path is one way through the journey: an arm of each branch it meets, or the way past a
branch without `otherwise` (whoever matches no arm goes on after it). An arm's `personas`
condition limits who takes it (and, when it is the arm's only condition, keeps them out of
the arms after it). A path is the sequence of its sends, each at its *minimal offset* from
entry: the sum of the waits before it on that path.

Why the minimal offsets are the worst case over every entry moment: a send goes out at the
first moment at or after its arrival that the channel's window (days, hours, holidays) or its
`at` allows, and the next step's wait starts from then. A window or an `at` only ever pushes a
send later, never the ones before it: so two sends of a path are at least the sum of the waits
between them apart, and exactly that far for an entrant whose sends all fall inside the
windows (and arrive at their `at`, for the steps that have one). A gap (`min_gap_hours`) is
checked on those sums. A cap in calendar days counts the touches of N consecutive days:
touches less than N × 24 hours apart share them for an entrant whose first one lands just
after midnight, so the calendar caps count the offsets in rolling windows of N × 24 hours
(`caps.over_caps_hours`), the arithmetic campaigns' touches are counted with, in hours.

A journey of sequential branches has exponentially many paths (40 two-arm branches: 2⁴⁰).
Paths that are the same so far (the same sends at the same offsets, for the same personas)
are followed once, and at most :data:`MAX_PATHS` are followed at any step: beyond, the first
ones in the order the arms are written are kept and the others dropped, and `Paths.complete`
says so. The answer is bounded, never a hang; what a dropped path alone would break goes
unreported, and so does what comes after a journey's first :data:`MAX_COLLISIONS` broken
caps (the linter shows 100 findings of a rule in a file).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence

from mcplan.schedule.caps import over_caps_hours, too_close_hours
from mcplan.workspace import Direction, Pressure, Workspace
from mcplan.workspace.journey import Branch, Journey, Otherwise, Send, Wait, When
from mcplan.workspace.journey_steps import Step
from mcplan.workspace.sourcemap import KeyPath

MAX_PATHS = 10_000  # paths of one journey followed at once
MAX_COLLISIONS = 1_000  # of one journey: the paths after are not checked


@dataclasses.dataclass(slots=True, eq=False)
class Sent:
    """A send on a path: the step, its key path, and its minimal offset from entry, in hours."""

    step: Send
    where: KeyPath
    offset: int
    before: Sent | None = None  # the send before it on its path (paths share their start)
    personas: frozenset[str] = frozenset()  # who reaches it
    share: float = 1.0  # of the journey's entrants who come this way (see `Path.share`)


@dataclasses.dataclass(slots=True, eq=False)
class Path:
    """One way through a journey: its sends in order, and who may take it."""

    last: Sent | None  # its last send so far (paths share their start)
    personas: frozenset[str]
    waited: int = 0  # the hours of the waits so far
    # Of the entrants, those who come this way, for timing (`journey_times`): a `share` arm
    # takes its share, the way past a branch of shares the rest; the arms of any other branch
    # (and the way past it) split alike what arrives, as their odds are the forecast's.
    share: float = 1.0

    @property
    def sends(self) -> tuple[Sent, ...]:
        """Its sends, in order."""
        sends = []
        sent = self.last
        while sent is not None:
            sends.append(sent)
            sent = sent.before
        return tuple(reversed(sends))


@dataclasses.dataclass(frozen=True)
class Paths:
    """The paths through a journey; `complete` is false when some were dropped."""

    paths: tuple[Path, ...]
    complete: bool
    channels: frozenset[str] = frozenset()  # those its sends use
    personas: frozenset[str] = frozenset()  # the journey's


def paths(journey: Journey, limit: int = MAX_PATHS, *, shares: bool = False) -> Paths:
    """Every path through ``journey`` (at most ``limit`` at any step), for its personas; with
    ``shares``, the share of the entrants who take each (`Path.share`), else 1."""
    walking = _Walk(limit, shares)
    start = [Path(None, frozenset(journey.personas))]
    ends = walking.follow(journey.steps, ("steps",), start)
    channels = frozenset(send.send for _, send in journey.sends())
    return Paths(tuple(ends), walking.complete, channels, frozenset(journey.personas))


class _Walk:
    """Follows paths. Those that come out of a branch the same (the same sends, offsets and
    personas) are merged there; so two paths with the same sends and offsets share their last
    `Sent`, and are compared by it, never send by send."""

    def __init__(self, limit: int, shares: bool = False) -> None:
        self.limit = limit
        self.complete = True
        self.shares = shares

    def follow(self, steps: Sequence[Step], at: KeyPath, ways: list[Path]) -> list[Path]:
        """The paths after ``steps`` (at key path ``at``), from those that arrive."""
        for i, step in enumerate(steps):
            where = (*at, i)
            if isinstance(step, Send):
                ways = [self.send(way, step, where) for way in ways]
            elif isinstance(step, Wait):
                ways = [Path(w.last, w.personas, w.waited + step.wait.hours, w.share) for w in ways]
            elif isinstance(step, Branch):
                ways = self.bounded(self.branch(step, where, ways))
        return ways

    def branch(self, branch: Branch, at: KeyPath, ways: list[Path]) -> list[Path]:
        """The paths out of ``branch`` for those who arrive on ``ways``: each arm's, in the
        order written, then the ways past it."""
        lefts = [way.personas for way in ways]  # who may still take the arms that follow
        out: list[Path] = []
        parts = _parts(branch) if self.shares else [1.0] * (len(branch.branch) + 1)
        for i, arm in enumerate(branch.branch):
            if len(out) >= self.limit:  # what the later arms add would be dropped
                self.complete = False
                return out
            if isinstance(arm, Otherwise):
                start = [
                    _on(w, left, parts[i]) for w, left in zip(ways, lefts, strict=True) if left
                ]
                return out + self.follow(arm.otherwise, (*at, "branch", i, "otherwise"), start)
            chosen = arm.when.personas
            takes = [left & frozenset(chosen) if chosen else left for left in lefts]
            if chosen and arm.when.model_fields_set == {"personas"}:
                lefts = [left - took for left, took in zip(lefts, takes, strict=True)]
            start = [_on(w, took, parts[i]) for w, took in zip(ways, takes, strict=True) if took]
            out = self.bounded(out + self.follow(arm.steps, (*at, "branch", i, "steps"), start))
        return out + [_on(w, left, parts[-1]) for w, left in zip(ways, lefts, strict=True) if left]

    def send(self, way: Path, step: Send, where: KeyPath) -> Path:
        """``way`` on to ``step``."""
        sent = Sent(step, where, way.waited, way.last, way.personas, way.share)
        return Path(sent, way.personas, way.waited, way.share)

    def bounded(self, ways: list[Path]) -> list[Path]:
        """``ways`` once each, at most ``limit`` of them (the first); past the limit, the
        walk is no longer complete."""
        merged: dict[tuple[int, frozenset[str], int], Path] = {}
        for way in ways:
            key = (id(way.last), way.personas, way.waited)
            if key in merged:  # the same way twice: those who come by either
                same = merged[key]
                merged[key] = Path(same.last, same.personas, same.waited, same.share + way.share)
            else:
                merged[key] = way
        unique = list(merged.values())
        if len(unique) > self.limit:
            self.complete = False
            return unique[: self.limit]
        return unique


# -- caps -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Collision:
    """A cap one entrant's path breaks by itself: ``sent`` goes over it, ``first`` is the
    earliest send it counts with (for a gap: the one just before), ``involved`` all of them."""

    persona: str
    channel: str | None  # the channel whose own cap it is, or None for the persona's
    key: str  # the cap's key in `pressure`
    words: str  # its span in words (7 days), or "" for a gap
    cap: float
    sent: Sent
    first: Sent
    involved: tuple[Sent, ...]
    path: Path

    @property
    def hours(self) -> int:
        """The hours from the first send to the one that goes over."""
        return self.sent.offset - self.first.offset


def collisions(
    workspace: Workspace, ways: Paths, known: KnownCaps | None = None
) -> Iterator[Collision]:
    """Every cap of a persona or a channel that one path breaks, once per persona, cap and
    pair of steps (the smallest gap of the paths they share). ``known``: the caps already
    worked out for the workspace's other journeys.

    What breaks a cap at a send depends on the sends before it alone: paths that share their
    start share its `Sent`s, and each is checked once, for the personas who reach it; once
    for all the personas with the same caps on the journey's channels."""
    known = known or KnownCaps(workspace)
    channels = tuple(sorted(ways.channels))
    seen: dict[tuple[str, str | None, str, KeyPath, KeyPath], Collision] = {}
    checked: set[int] = set()
    for way in ways.paths:
        fresh = {id(s): s for s in way.sends if id(s) not in checked}
        checked.update(fresh)
        reaching = frozenset[str]().union(*(s.personas for s in fresh.values()))
        for members in known.grouped(reaching, channels):
            for found in _on_path(workspace, members[0], way, set(fresh)):
                for persona_id in members:
                    if len(seen) >= MAX_COLLISIONS:
                        break  # far more than a file's findings of one rule are ever shown
                    if persona_id in found.sent.personas:
                        key = (persona_id, found.channel, found.key, found.sent.where,
                               found.first.where)  # fmt: skip
                        if key not in seen or found.hours < seen[key].hours:
                            seen[key] = dataclasses.replace(found, persona=persona_id)
    yield from sorted(seen.values(), key=_order)


Caps = tuple[float | None, ...] | None


class KnownCaps:
    """Each persona's caps and each channel's for it (under its country's law), worked out
    once for all of a workspace's journeys: personas with the same are checked together."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.caps: dict[tuple[str, str | None], Caps] = {}
        self.groups: dict[tuple[frozenset[str], tuple[str, ...]], list[list[str]]] = {}

    def of(self, persona_id: str, channel_id: str | None) -> Caps:
        """A persona's own caps (``channel_id`` None), or a channel's for it."""
        key = (persona_id, channel_id)
        if key not in self.caps:
            persona = self.workspace.personas[persona_id]
            if channel_id is None:
                pressure = persona.pressure
            else:
                pressure = self.workspace.law(channel_id, persona).channel.pressure
            self.caps[key] = None if pressure is None else (
                pressure.max_per_day, pressure.max_per_week, pressure.max_per_30_days,
                pressure.min_gap_hours,
            )  # fmt: skip
        return self.caps[key]

    def grouped(self, personas: frozenset[str], channels: tuple[str, ...]) -> list[list[str]]:
        """``personas`` (those of the workspace), by their caps on ``channels``."""
        if (personas, channels) not in self.groups:
            self.groups[personas, channels] = self._grouped(personas, channels)
        return self.groups[personas, channels]

    def _grouped(self, personas: frozenset[str], channels: tuple[str, ...]) -> list[list[str]]:
        workspace = self.workspace
        by_caps: dict[tuple[object, ...], list[str]] = {}
        for persona_id in sorted(personas & workspace.personas.keys()):
            listed = workspace.personas[persona_id].channels
            theirs = tuple(
                (c, self.of(persona_id, c))
                for c in channels
                if c in listed and _outbound(workspace, c)
            )
            by_caps.setdefault((self.of(persona_id, None), theirs), []).append(persona_id)
        return list(by_caps.values())


def _outbound(workspace: Workspace, channel_id: str) -> bool:
    channel = workspace.channels.get(channel_id)
    return channel is not None and channel.direction is Direction.OUTBOUND


def _order(collision: Collision) -> tuple[KeyPath, KeyPath, str, str, str]:
    return (collision.sent.where, collision.first.where, collision.persona,
            collision.channel or "", collision.key)  # fmt: skip


def _on_path(
    workspace: Workspace, persona_id: str, way: Path, new: set[int]
) -> Iterator[Collision]:
    """The caps ``way`` breaks for one persona at its ``new`` sends (their ids): its own
    across outbound channels, and each channel's (under its country's law)."""
    persona = workspace.personas[persona_id]
    counted = [
        s
        for s in way.sends
        if s.step.send in persona.channels and _outbound(workspace, s.step.send)
    ]
    if persona.pressure is not None:
        yield from _broken(persona_id, None, counted, persona.pressure, way, new)
    for channel_id in dict.fromkeys(s.step.send for s in counted):
        pressure = workspace.law(channel_id, persona).channel.pressure
        on = [s for s in counted if s.step.send == channel_id]
        yield from _broken(persona_id, channel_id, on, pressure, way, new)


def _broken(
    persona: str,
    channel: str | None,
    sends: list[Sent],
    pressure: Pressure,
    way: Path,
    new: set[int],
) -> Iterator[Collision]:
    offsets = [s.offset for s in sends]
    for i, first, key, words, cap in over_caps_hours(offsets, pressure):
        if id(sends[i]) not in new:
            continue
        involved = tuple(sends[first : i + 1])
        yield Collision(persona, channel, key, words, cap, sends[i], sends[first], involved, way)
    for i in too_close_hours(offsets, pressure):
        if id(sends[i]) not in new:
            continue
        gap = pressure.min_gap_hours or 0
        pair = (sends[i - 1], sends[i])
        yield Collision(persona, channel, "min_gap_hours", "", gap, sends[i], pair[0], pair, way)


def _on(way: Path, personas: frozenset[str], part: float = 1.0) -> Path:
    """``way``, for ``personas``, taken by ``part`` of those who come on it."""
    if personas is way.personas and part == 1.0:
        return way
    return Path(way.last, personas, way.waited, way.share * part)


def _parts(branch: Branch) -> list[float]:
    """The part of those who arrive at ``branch`` that each of its arms takes, then the part
    that goes on past it (0 with `otherwise`): a `share` arm its share, the way past a branch
    of shares the rest; any other branch splits alike between its arms and the way past."""
    arms = branch.branch
    shares = [arm.when.share if isinstance(arm, When) else None for arm in arms]
    past = 0.0 if isinstance(arms[-1], Otherwise) else 1.0
    if any(share is not None for share in shares):
        rest = max(0.0, 1.0 - sum(share or 0.0 for share in shares))
        return [rest if share is None else share for share in shares] + [rest * past]
    alike = 1.0 / (len(arms) + past)
    return [alike] * len(arms) + [alike * past]


__all__ = ["MAX_PATHS", "Collision", "Path", "Paths", "Sent", "collisions", "paths"]
