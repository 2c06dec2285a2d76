"""The exact walk of a journey's steps: how many of a week's entrants each send goes to.

The walk goes through the step tree once, with the entrants as a mass per persona (an array, a
column per persona: the tree is the same for every persona, their odds differ, so walking it
with arrays is walking it once per persona). The mass is split by what the conditions still
to come need to know of an entrant: for each earlier send a later condition names, whether it
went to them and, if so, whether they clicked it, opened it without clicking, or did neither
(a click is an open: a channel's click rate is at most its open rate, both shares of those
reached). What no later condition names is forgotten, so the split stays small.

- A send goes to those who arrive at it × the persona's reach on its channel (`Odds.reach`);
  those it cannot reach go on. Among those it goes to, `Odds.open` open it, `Odds.click`
  click it (and opened it), as the plan's funnel counts them per message sent.
- With an exit goal, after each send `Odds.conversion` of those it went to convert and leave
  (whatever they did with it: the plan's conversion rate is a share of those reached, not of
  those who clicked).
- A branch draws one random number per entrant: `share` arms take consecutive slices of it
  (arm i: its share of those who arrive at the branch), tried in order with the other arms,
  first match wins. An engagement condition (`opened`, `clicked`, `not_opened`,
  `not_clicked`) holds only for those the named send went to (the others match none of the
  four); `personas` for the personas listed; several keys in one condition all hold. Whoever
  matches no arm (and there is no `otherwise`) goes on after the branch.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from mcplan.errors import McplanError
from mcplan.workspace.journey_steps import Branch, Condition, Otherwise, Send, Step

NOT_OPENED, OPENED, CLICKED = "not_opened", "opened", "clicked"
# What each engagement condition accepts of what an entrant did with the send it names.
ACCEPTS = {
    "opened": {OPENED, CLICKED},
    "clicked": {CLICKED},
    "not_opened": {NOT_OPENED},
    "not_clicked": {NOT_OPENED, OPENED},
}
# The most splits the walk keeps at once: each send a later condition names splits the mass in
# four; past this, the journey names more sends at once than anyone could follow.
MAX_STATES = 4**6

State = frozenset[tuple[str, str]]  # (send id, what the entrant did) for the sends still named
Mass = dict[State, np.ndarray]


@dataclass(frozen=True)
class Odds:
    """One channel's odds per persona (arrays over the walk's personas), per entrant."""

    reach: np.ndarray  # of those who arrive at a send, the share it goes to
    open: np.ndarray  # of those it goes to, the share who open it
    click: np.ndarray  # … who click it (they opened it too)
    conversion: np.ndarray  # … who convert after it

    @classmethod
    def none(cls, n: int) -> Odds:
        """A channel that reaches nobody (one the workspace or the persona lacks)."""
        zeros = np.zeros(n)
        return cls(zeros, zeros, zeros, zeros)


@dataclass
class Walked:
    """What the walk found, per week, as arrays over its personas."""

    sends: dict[str, np.ndarray] = field(default_factory=dict)  # send id → sends
    arrived: dict[str, np.ndarray] = field(default_factory=dict)  # send id → who arrive at it
    left: np.ndarray | None = None  # who left through the exit goal
    out: np.ndarray | None = None  # who reached the end of the journey


def walk(
    steps: Sequence[Step],
    personas: Sequence[str],
    entries: np.ndarray,
    odds: Mapping[str, Odds],
    *,
    exits: bool,
) -> Walked:
    """The expected sends of each send step per persona, for ``entries`` entrants of each
    persona (`personas`' order), with ``odds`` by channel id; ``exits``: the journey has an
    exit goal. Exact: no sampling."""
    walker = _Walker(tuple(personas), odds, exits)
    start: Mass = {frozenset(): np.asarray(entries, float)}
    end = walker.steps(steps, start, frozenset())
    walker.walked.left = walker.left
    walker.walked.out = sum(end.values(), np.zeros(len(personas)))
    return walker.walked


class _Walker:
    def __init__(self, personas: tuple[str, ...], odds: Mapping[str, Odds], exits: bool) -> None:
        self.personas = personas
        self.odds = odds
        self.exits = exits
        self.walked = Walked()
        self.left = np.zeros(len(personas))
        self.none = Odds.none(len(personas))
        self.listed: dict[tuple[str, ...], np.ndarray] = {}  # a `personas` condition's rows

    def steps(self, steps: Sequence[Step], mass: Mass, later: frozenset[str]) -> Mass:
        """Walk `steps`; `later`: the sends named by conditions after them."""
        needed = _needed(steps, later)
        for step, after in zip(steps, needed, strict=True):
            if isinstance(step, Send):
                mass = self.send(step, mass, track=step.id in after)
            elif isinstance(step, Branch):
                mass = _forget(self.branch(step, mass, after), after)
        return mass

    def send(self, step: Send, mass: Mass, *, track: bool) -> Mass:
        odds = self.odds.get(step.send, self.none)
        out: Mass = {}
        sent_all = np.zeros(len(self.personas))
        arrived_all = np.zeros(len(self.personas))
        did = ((CLICKED, odds.click), (OPENED, odds.open - odds.click), (NOT_OPENED, 1 - odds.open))
        for state, arrived in mass.items():
            sent = arrived * odds.reach
            sent_all = sent_all + sent
            arrived_all = arrived_all + arrived
            _add(out, state, arrived * (1 - odds.reach))
            stay = sent
            if self.exits:
                self.left = self.left + sent * odds.conversion
                stay = sent * (1 - odds.conversion)
            if not track:
                _add(out, state, stay)
                continue
            for what, share in did:
                _add(out, state | {(step.id, what)}, stay * share)
        if len(out) > MAX_STATES:
            raise McplanError(
                f"send '{step.id}': the journey's conditions follow more earlier sends at once "
                "than a forecast can: name fewer of them in the branches after it"
            )
        known = self.walked.sends.get(step.id)
        self.walked.sends[step.id] = sent_all if known is None else known + sent_all
        before = self.walked.arrived.get(step.id)
        self.walked.arrived[step.id] = arrived_all if before is None else before + arrived_all
        return out

    def branch(self, step: Branch, mass: Mass, later: frozenset[str]) -> Mass:
        slices = _slices(step)
        arms: list[Mass] = [{} for _ in step.branch]
        out: Mass = {}
        for state, arrived in mass.items():
            free = np.ones(len(self.personas))  # the share of the draw no arm took yet
            for i, arm in enumerate(step.branch):
                if isinstance(arm, Otherwise):
                    take = free
                else:
                    matches = self._matches(arm.when, state)
                    share = slices[i]
                    taken = free if share is None else np.minimum(free, share)
                    take = np.where(matches, taken, 0.0)
                _add(arms[i], state, arrived * take)
                free = free - take
            _add(out, state, arrived * free)
        for arm, entering in zip(step.branch, arms, strict=True):
            inner = arm.otherwise if isinstance(arm, Otherwise) else arm.steps
            for state, value in self.steps(inner, entering, later).items():
                _add(out, state, value)
        return out

    def _matches(self, condition: Condition, state: State) -> np.ndarray:
        """Per persona, whether an entrant in `state` meets `condition` (its share aside)."""
        did = dict(state)
        ok = all(did.get(send) in ACCEPTS[key] for key, send in condition.engagement)
        if condition.personas is None:
            return np.full(len(self.personas), ok)
        if not ok:
            return np.zeros(len(self.personas), bool)
        key = tuple(condition.personas)
        if key not in self.listed:
            listed = set(key)
            self.listed[key] = np.array([p in listed for p in self.personas], bool)
        return self.listed[key]


def _slices(step: Branch) -> list[float | None]:
    """Per arm, the share of the branch's random draw it may take (its slice, after those of
    the `share` arms before it, within 0..1); None for an arm without a share."""
    slices: list[float | None] = []
    start = 0.0
    for arm in step.branch:
        share = None if isinstance(arm, Otherwise) else arm.when.share
        if share is None:
            slices.append(None)
            continue
        end = min(start + share, 1.0)
        slices.append(max(end - start, 0.0))
        start = end
    return slices


def named(step: Step) -> frozenset[str]:
    """The sends the conditions of `step` (its arms' steps included) name."""
    if not isinstance(step, Branch):
        return frozenset()
    found: set[str] = set()
    for arm in step.branch:
        if isinstance(arm, Otherwise):
            inner = arm.otherwise
        else:
            found.update(send for _, send in arm.when.engagement)
            inner = arm.steps
        for each in inner:
            found |= named(each)
    return frozenset(found)


def _needed(steps: Sequence[Step], later: frozenset[str]) -> list[frozenset[str]]:
    """Per step, the sends named by the conditions after it (`later` after the last)."""
    needed = [later] * len(steps)
    after = later
    for i in range(len(steps) - 1, -1, -1):
        needed[i] = after
        after = after | named(steps[i])
    return needed


def _forget(mass: Mass, keep: frozenset[str]) -> Mass:
    """`mass` with what was done with sends no later condition names forgotten."""
    out: Mass = {}
    for state, value in mass.items():
        _add(out, frozenset(p for p in state if p[0] in keep), value)
    return out


def _add(mass: Mass, state: State, value: np.ndarray) -> None:
    known = mass.get(state)
    mass[state] = value if known is None else known + value


__all__ = ["ACCEPTS", "MAX_STATES", "Odds", "Walked", "named", "walk"]
