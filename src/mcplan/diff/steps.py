"""A journey's steps compared between two versions of its file: those added, removed, moved
and changed.

How a step is known on both sides (nothing is matched by a guess):

- A send by its id (a send always has one, unique in its journey). It has *moved* when the
  arm that holds it changed (the journey's own steps, or an arm of a branch: moved into a
  branch, out of it, to another arm), or its order among the sends that both sides have in
  that arm (those outside the longest run both sides keep in order). A step added or removed
  before it shifts its key path but does not move it.
- A wait or a branch by its id when it has one; otherwise by its place. A branch is the one
  holding its first send (`the branch holding sms-nudge`; one that holds no send, by its key
  path), a wait by the step before it in its arm (`the wait after hello`, a second wait in a
  row `(2)`), or as the first step of its arm. So a wait whose length changes in place is
  *changed*, and one whose neighbour changes reads as one wait removed and another added.
- A send is *changed* when its channel or its time of day (`at`) changes; a wait when its
  length does; a branch when its arms' conditions do.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from mcplan.findings import Location
from mcplan.words import Phrase
from mcplan.workspace.journey import Branch, Journey, Send, Wait, When, arm_steps
from mcplan.workspace.journey_steps import Step
from mcplan.workspace.sourcemap import KeyPath, SourceMap

Arm = tuple[tuple[str, int], ...]  # (branch, arm index) from the journey's steps inward


@dataclass(frozen=True)
class StepChange:
    """A step added, removed, moved (`before` and `after`: its key paths) or changed
    (`before` and `after`: what it writes, `3d` → `12h`)."""

    change: str  # "added", "removed", "moved" or "changed"
    kind: str  # "send", "wait" or "branch"
    step: str  # its id, or a Phrase naming it by its place
    channel: str | None  # a send's (after, or before for a send removed)
    before: str | None
    after: str | None
    where: Location  # in the new file (in the old one for a step removed)


@dataclass(frozen=True)
class Placed:
    """One step of a journey, where it is."""

    name: str  # its id, or a Phrase naming it by its place
    step: Step
    path: KeyPath
    arm: Arm
    order: int  # its index among the steps of its arm

    @property
    def kind(self) -> str:
        return "send" if isinstance(self.step, Send) else type(self.step).__name__.lower()


def key_path(path: KeyPath) -> str:
    """``steps[2].branch[0].steps[1]``: a key path as a reviewer reads it."""
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".")


def placed(journey: Journey) -> dict[str, Placed]:
    """Every step of ``journey`` by the name it is known by on both sides."""
    found: dict[str, Placed] = {}
    pending: list[tuple[Sequence[Step], KeyPath, Arm]] = [(journey.steps, ("steps",), ())]
    while pending:
        steps, path, arm = pending.pop()
        first = _first(arm)
        previous, waits = first, 0
        for i, step in enumerate(steps):
            where = (*path, i)
            if isinstance(step, Wait) and step.id is None:
                waits += 1
                name: str = previous
                if waits > 1:
                    name = Phrase("diff_nth", name=name, n=waits)
            else:
                name, previous = _named(step, where)
                waits = 0
            found.setdefault(name, Placed(name, step, where, arm, i))
            if isinstance(step, Branch):
                for a, arm_ in enumerate(step.branch):
                    key = "steps" if isinstance(arm_, When) else "otherwise"
                    inner = arm_.steps if isinstance(arm_, When) else arm_.otherwise
                    pending.append((inner, (*where, "branch", a, key), (*arm, (name, a))))
    return found


def _first(arm: Arm) -> Phrase:
    """The name of a wait without an id that is the first step of ``arm``."""
    if not arm:
        return Phrase("diff_wait_first")
    branch, index = arm[-1]
    if isinstance(branch, Phrase):  # the branch holding…, the branch at…
        which = branch.key.removeprefix("diff_branch_")
        return Phrase(f"diff_wait_first_in_{which}", arm=index + 1, **branch.values)
    return Phrase("diff_wait_first_in", arm=index + 1, branch=branch)


def _named(step: Step, where: KeyPath) -> tuple[str, Phrase]:
    """A send's, a wait's or a branch's name, and the name of a wait without an id after it.
    A branch without an id is the one holding its first send, or the one at its key path."""
    if step.id is not None:
        return step.id, Phrase("diff_wait_after", step=step.id)
    assert isinstance(step, Branch)
    pending = list(reversed(list(arm_steps(where, step))))
    while pending:
        path, inner = pending.pop()
        if isinstance(inner, Send):
            held = inner.id
            return Phrase("diff_branch_holding", step=held), Phrase(
                "diff_wait_after_holding", step=held
            )
        if isinstance(inner, Branch):
            pending.extend(reversed(list(arm_steps(path, inner))))
    at = key_path(where)
    return Phrase("diff_branch_at", path=at), Phrase("diff_wait_after_at", path=at)


def _written(step: Step) -> str:
    """What a step writes that makes it `changed` when it differs."""
    if isinstance(step, Send):
        return f"{step.send}, {step.at}" if step.at is not None else step.send
    if isinstance(step, Wait):
        return str(step.wait)
    conditions = [
        "; ".join(f"{k}: {v}" for k, v in arm.when.model_dump(exclude_none=True).items())
        if isinstance(arm, When)
        else "otherwise"
        for arm in step.branch
    ]
    return " | ".join(conditions)


def _moved(old: dict[str, Placed], new: dict[str, Placed]) -> set[str]:
    """The sends both sides have whose arm changed, or whose order among the others of
    their arm did (outside the longest subsequence both sides keep in order)."""
    kept = [n for n in new if n in old and isinstance(new[n].step, Send)]
    moved = {n for n in kept if old[n].arm != new[n].arm}
    by_arm: dict[Arm, list[str]] = {}
    for n in kept:
        if n not in moved:
            by_arm.setdefault(new[n].arm, []).append(n)
    for names in by_arm.values():
        names.sort(key=lambda n: new[n].order)
        moved |= set(names) - _in_order(names, [old[n].order for n in names])
    return moved


def _in_order(names: list[str], ranks: list[int]) -> set[str]:
    """The names of a longest increasing run of ``ranks`` (patience sorting)."""
    tails: list[int] = []  # the last rank of the best run of each length
    ends: list[int] = []  # the index of that rank
    before = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        at = bisect.bisect_left(tails, rank)
        before[i] = ends[at - 1] if at else -1
        if at == len(tails):
            tails.append(rank)
            ends.append(i)
        else:
            tails[at], ends[at] = rank, i
    kept, i = set(), ends[-1] if ends else -1
    while i >= 0:
        kept.add(names[i])
        i = before[i]
    return kept


def _position(step: Placed) -> tuple[int, ...]:
    """Where a step is in the order written: its key path's indices."""
    return tuple(p for p in step.path if isinstance(p, int))


def step_changes(
    old: Journey, new: Journey, old_map: SourceMap, new_map: SourceMap
) -> list[StepChange]:
    """The steps added, removed, moved and changed from ``old`` to ``new``, located in
    their file (``*_map``): in the new file's order, then those removed in the old one's."""
    before, after = placed(old), placed(new)
    moved = _moved(before, after)
    changes = []
    for name, now in sorted(after.items(), key=lambda item: _position(item[1])):
        where = new_map.locate(now.path)
        then = before.get(name)
        channel = now.step.send if isinstance(now.step, Send) else None
        if then is None or then.kind != now.kind:
            changes.append(StepChange("added", now.kind, name, channel, None, None, where))
        elif name in moved:
            paths = key_path(then.path), key_path(now.path)
            changes.append(StepChange("moved", now.kind, name, channel, *paths, where))
        if then is not None and then.kind == now.kind and _written(then.step) != _written(now.step):
            written = _written(then.step), _written(now.step)
            changes.append(StepChange("changed", now.kind, name, channel, *written, where))
    for name, then in sorted(before.items(), key=lambda item: _position(item[1])):
        if name not in after or after[name].kind != then.kind:
            channel = then.step.send if isinstance(then.step, Send) else None
            where = old_map.locate(then.path)
            changes.append(StepChange("removed", then.kind, name, channel, None, None, where))
    return changes
