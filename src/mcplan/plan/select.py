"""Choose the channels of a campaign: the most value within its budget and `max_channels`.

A channel brings the sum of its candidates' values and costs its fixed cost plus theirs. The
choice is a 0/1 knapsack with a cardinality limit, solved exactly by depth-first branch and
bound: channels are tried from the most valuable down, and a branch is cut as soon as even
its best possible completion (the next most valuable channels that still fit in number,
budget ignored) cannot beat the best choice found. With the 14 bundled channels that is at
most 2^14 branches, in practice a few hundred; workspaces with a few dozen channels stay fast.

Ties are broken the same way every time: the same value at a lower cost wins, then fewer
channels, then the channel ids that come first alphabetically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EPSILON = 1e-9


@dataclass(frozen=True)
class Option:
    """One channel as the selection sees it."""

    channel: str
    value: float
    cost: float


def choose(options: Sequence[Option], budget: float | None, most: int | None) -> tuple[str, ...]:
    """The channel ids of the best feasible choice, sorted by value (highest first)."""
    ranked = sorted(
        (o for o in options if o.value > 0), key=lambda o: (-o.value, o.cost, o.channel)
    )
    limit = len(ranked) if most is None else min(most, len(ranked))
    budget = float("inf") if budget is None else budget
    best: list[Option] = []
    best_key = _key(best)

    def search(k: int, chosen: list[Option], value: float, cost: float) -> None:
        nonlocal best, best_key
        key = _key(chosen)
        if _better(key, best_key):
            best, best_key = list(chosen), key
        room = limit - len(chosen)
        if k == len(ranked) or room == 0:
            return
        # The best this branch could still reach: the next `room` values (they are sorted).
        if value + sum(o.value for o in ranked[k : k + room]) < best_key[0] - EPSILON:
            return
        option = ranked[k]
        if cost + option.cost <= budget + EPSILON:
            chosen.append(option)
            search(k + 1, chosen, value + option.value, cost + option.cost)
            chosen.pop()
        search(k + 1, chosen, value, cost)

    search(0, [], 0.0, 0.0)
    return tuple(o.channel for o in best)


def _key(chosen: Sequence[Option]) -> tuple[float, float, int, tuple[str, ...]]:
    return (
        sum(o.value for o in chosen),
        sum(o.cost for o in chosen),
        len(chosen),
        tuple(sorted(o.channel for o in chosen)),
    )


def _better(
    a: tuple[float, float, int, tuple[str, ...]], b: tuple[float, float, int, tuple[str, ...]]
) -> bool:
    """Whether choice `a` beats `b`: more value, then less cost, fewer channels, first ids."""
    if abs(a[0] - b[0]) > EPSILON:
        return a[0] > b[0]
    if abs(a[1] - b[1]) > EPSILON:
        return a[1] < b[1]
    return (a[2], a[3]) < (b[2], b[3])
