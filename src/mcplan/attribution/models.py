"""Attribution models: which channels earned the conversions.

Every model gives each converting path's conversions (and their value) to the channels of
its touches, so the attributed totals always equal the observed conversions (conversions with
no touch before them are reported apart).

Rule-based models weigh each touch of a converting path:

- **first** touch: all to the first; **last** touch: all to the last;
- **linear**: the same share to every touch;
- **time decay**: a touch Δt before the conversion weighs 2^(-Δt / half-life) (default half-life
  7 days), shares proportional to the weights (needs times: touch-level input);
- **position-based** (U-shaped): 40 % to the first touch, 40 % to the last, 20 % shared by
  the touches in between (configurable); a path of two touches gives first and last their
  shares' proportion (50/50 by default), a path of one gives it everything.

A channel seen twice in one path gets the weight of both its touches.

Data-driven models:

- **markov**: a first-order (or higher) Markov chain of the paths, from a start state through
  channel states to conversion or null (paths that did not convert count), estimated from
  the observed transitions. A channel's removal effect is the share of the conversion
  probability lost when the chain cannot pass through it; conversions are shared in
  proportion to the removal effects; value likewise, from the chain where each path counts
  its value in conversions of the average value (so the unit of value does not matter, and
  equal values per conversion give the value shares of the conversions). The
  probabilities are solved exactly (absorbing chain), not simulated, and paths may loop
  between channels without limit (ChannelAttribution, by default, stops simulated paths
  after as many steps as the longest observed path; with a large `max_step` it agrees).
- **shapley**: the Shapley value of the cooperative game where a coalition of channels is
  worth the conversions of the paths whose channels it contains (Zhao et al. 2018,
  "Shapley Value Methods for Attribution Modeling in Online Advertising", arXiv:1804.05327).
  That game is a sum of unanimity games, one per channel set, so the exact Shapley value
  gives each path's conversions in equal parts to its distinct channels.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mcplan import numbers
from mcplan.attribution.arrays import Paths
from mcplan.errors import UsageError

DEFAULT_HALF_LIFE_DAYS = 7.0
DEFAULT_POSITIONS = (0.4, 0.2, 0.4)


@dataclass(frozen=True)
class Attribution:
    """Conversions and value per channel for one model (same order as `Paths.channels`)."""

    model: str
    channels: tuple[str, ...]
    conversions: NDArray[np.float64]
    value: NDArray[np.float64]
    unattributed: tuple[float, float]

    @property
    def total(self) -> float:
        return float(self.conversions.sum()) + self.unattributed[0]


@dataclass(frozen=True)
class Options:
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS
    positions: tuple[float, float, float] = DEFAULT_POSITIONS  # first, middle, last
    order: int = 1  # Markov order


def _sum_by(
    index: NDArray[np.int64], weights: NDArray[np.float64], size: int
) -> NDArray[np.float64]:
    return np.bincount(index, weights, minlength=size).astype(np.float64)


def _spread(paths: Paths, weights: NDArray[np.float64], name: str) -> Attribution:
    """Attribute with per-touch weights that sum to 1 over each converting path."""
    k = len(paths.channels)
    touch_conversions = paths.conversions[paths.path] * weights
    touch_value = paths.value[paths.path] * weights
    return Attribution(
        name,
        paths.channels,
        _sum_by(paths.channel, touch_conversions, k),
        _sum_by(paths.channel, touch_value, k),
        paths.unattributed,
    )


def first_touch(paths: Paths, options: Options) -> Attribution:
    return _spread(paths, (paths.position == 0).astype(np.float64), "first")


def last_touch(paths: Paths, options: Options) -> Attribution:
    weights = (paths.position == paths.length - 1).astype(np.float64)
    return _spread(paths, weights, "last")


def linear(paths: Paths, options: Options) -> Attribution:
    return _spread(paths, 1.0 / paths.length, "linear")


def time_decay(paths: Paths, options: Options) -> Attribution:
    if paths.decay is not None:  # aggregated where the events are, for a half-life
        aggregated = paths.decay_half_life
        if aggregated != options.half_life_days:
            raise UsageError(
                f"the paths were aggregated for a half-life of "
                f"{numbers.number(aggregated or 0)} days, not "
                f"{numbers.number(options.half_life_days)}: aggregate them again with --half-life "
                f"{options.half_life_days:g}"
            )
        k = len(paths.channels)
        conversions, value = paths.decay
        return Attribution(
            "time_decay",
            paths.channels,
            _sum_by(paths.channel, conversions, k),
            _sum_by(paths.channel, value, k),
            paths.unattributed,
        )
    if paths.before is None:
        raise UsageError(
            "the time-decay model needs the time of each touch: give touches, not paths"
        )
    raw = decay_weights(paths.before, paths.path, options.half_life_days)
    totals = np.bincount(paths.path, raw, minlength=len(paths.conversions))
    return _spread(paths, raw / totals[paths.path], "time_decay")


def decay_weights(
    before: NDArray[np.float64], path: NDArray[np.int64], half_life_days: float
) -> NDArray[np.float64]:
    """Each touch's time-decay weight in its path: halved every half-life before the
    conversion, counted from the path's last touch (its weight is 1), so that a path whose
    touches all came decades before the conversion still has weights to share, where
    2 ** -(years / half-life) would be 0 for each of them."""
    before = np.maximum(before, 0.0)
    last = np.full(int(path.max()) + 1 if len(path) else 0, np.inf)
    np.minimum.at(last, path, before)
    weights: NDArray[np.float64] = np.exp2(-(before - last[path]) / (half_life_days * 86_400))
    return weights


def position_based(paths: Paths, options: Options) -> Attribution:
    first, middle, last = options.positions
    n, position = paths.length, paths.position
    is_first, is_last = position == 0, position == n - 1
    two = first / (first + last) if first + last else 0.5
    weights = np.select(
        [n == 1, (n == 2) & is_first, n == 2, is_first, is_last],
        [1.0, two, 1.0 - two, first, last],
        default=middle / np.maximum(n - 2, 1),
    )
    if first + middle + last <= 0:
        raise UsageError("position-based shares must add up to more than 0")
    # Normalise, so that shares that do not add up to 1 (say 30/30/30) still attribute it all.
    totals = np.bincount(paths.path, weights, minlength=len(paths.conversions))
    return _spread(paths, weights / totals[paths.path], "position")


def shapley(paths: Paths, options: Options) -> Attribution:
    k = len(paths.channels)
    pairs = np.unique(paths.path * max(k, 1) + paths.channel)
    path, channel = pairs // max(k, 1), pairs % max(k, 1)
    distinct = np.bincount(path, minlength=len(paths.conversions))
    share = 1.0 / distinct[path]
    return Attribution(
        "shapley",
        paths.channels,
        _sum_by(channel, paths.conversions[path] * share, k),
        _sum_by(channel, paths.value[path] * share, k),
        paths.unattributed,
    )


def markov(paths: Paths, options: Options) -> Attribution:
    k = len(paths.channels)
    total = float(paths.conversions.sum())
    total_value = float(paths.value.sum())
    # Value shares come from a chain where each path's value counts in conversions of the
    # average value: scaling every value (euros to cents) changes nothing, and when every
    # conversion is worth the same the value is shared as the conversions are.
    mean = total_value / total if total and total_value else 0.0
    worth = paths.value / mean if mean else np.zeros_like(paths.value)
    if options.order == 1:
        counts_conv = _transitions(paths, paths.conversions)
        counts_value = _transitions(paths, worth)
        states: list[tuple[int, ...]] = [(c,) for c in range(k)]
    else:
        states, counts_conv, counts_value = _high_order(paths, options.order, worth)
    effects = _removal_effects(counts_conv, states, k)
    value_effects = _removal_effects(counts_value, states, k)
    return Attribution(
        "markov" if options.order == 1 else f"markov{options.order}",
        paths.channels,
        _share(effects, total),
        _share(value_effects, total_value),
        paths.unattributed,
    )


def _share(effects: NDArray[np.float64], total: float) -> NDArray[np.float64]:
    return effects / effects.sum() * total if effects.sum() > 0 else np.zeros_like(effects)


def _transitions(paths: Paths, success: NDArray[np.float64]) -> NDArray[np.float64]:
    """Transition counts between start (0), channels (1..k), conversion (k+1) and null (k+2).

    A path counts as many times as it was taken: its conversions (or, for value, its value)
    plus its non-converting paths.
    """
    k = len(paths.channels)
    start, conv, null = 0, k + 1, k + 2
    counts = np.zeros((k + 3, k + 3))
    weight = (success + paths.nulls)[paths.path]
    state = paths.channel + 1
    first = paths.position == 0
    np.add.at(counts, (np.full(int(first.sum()), start), state[first]), weight[first])
    inner = paths.position < paths.length - 1
    np.add.at(counts, (state[:-1][inner[:-1]], state[1:][inner[:-1]]), weight[:-1][inner[:-1]])
    last = ~inner
    np.add.at(counts[:, conv], state[last], success[paths.path][last])
    np.add.at(counts[:, null], state[last], paths.nulls[paths.path][last])
    return counts


def _removal_effects(
    counts: NDArray[np.float64], states: Sequence[tuple[int, ...]], k: int
) -> NDArray[np.float64]:
    """For each channel: 1 - P(conversion without the channel) / P(conversion)."""
    n = counts.shape[0]
    conv, null = n - 2, n - 1
    rows = counts.sum(axis=1, keepdims=True)
    probabilities = np.divide(counts, rows, out=np.zeros_like(counts), where=rows > 0)
    transient = n - 2  # start and the channel states
    base = _conversion_probability(probabilities, transient, conv)
    effects = np.zeros(k)
    if base <= 0:
        return effects
    for channel in range(k):
        removed = probabilities.copy()
        gone = [i + 1 for i, state in enumerate(states) if channel in state]
        removed[:, null] += removed[:, gone].sum(axis=1)
        removed[:, gone] = 0.0
        effects[channel] = 1.0 - _conversion_probability(removed, transient, conv) / base
    return effects


def _conversion_probability(p: NDArray[np.float64], transient: int, conv: int) -> float:
    """The probability of ending in conversion from the start, in an absorbing chain."""
    q = p[:transient, :transient]
    r = p[:transient, conv]
    try:
        reach = np.linalg.solve(np.eye(transient) - q, r)
    except np.linalg.LinAlgError:  # a closed loop with no way out: use a least-squares answer
        reach = np.linalg.lstsq(np.eye(transient) - q, r, rcond=None)[0]
    return float(reach[0])


def _high_order(
    paths: Paths, order: int, worth: NDArray[np.float64]
) -> tuple[list[tuple[int, ...]], NDArray[np.float64], NDArray[np.float64]]:
    """States of the last `order` channels, and the transition counts between them."""
    index: dict[tuple[int, ...], int] = {}
    edges_conv: dict[tuple[int, int], float] = defaultdict(float)
    edges_value: dict[tuple[int, int], float] = defaultdict(float)
    ends: list[tuple[int, float, float, float]] = []
    boundaries = [*np.flatnonzero(paths.position == 0).tolist(), len(paths.path)]
    channels = paths.channel.tolist()
    for p, (start, stop) in enumerate(itertools.pairwise(boundaries)):
        conv, value, nulls = (
            float(paths.conversions[p]),
            float(worth[p]),
            float(paths.nulls[p]),
        )
        previous = 0  # the start state
        history: tuple[int, ...] = ()
        for channel in channels[start:stop]:
            history = (*history, channel)[-order:]
            state = index.setdefault(history, len(index) + 1)
            edges_conv[(previous, state)] += conv + nulls
            edges_value[(previous, state)] += value + nulls
            previous = state
        ends.append((previous, conv, value, nulls))
    n = len(index) + 3
    conv_state, null_state = n - 2, n - 1
    counts_conv, counts_value = np.zeros((n, n)), np.zeros((n, n))
    for (a, b), w in edges_conv.items():
        counts_conv[a, b] = w
    for (a, b), w in edges_value.items():
        counts_value[a, b] = w
    for state, conv, value, nulls in ends:
        counts_conv[state, conv_state] += conv
        counts_conv[state, null_state] += nulls
        counts_value[state, conv_state] += value
        counts_value[state, null_state] += nulls
    states = sorted(index, key=index.__getitem__)
    return states, counts_conv, counts_value


MODELS: dict[str, Callable[[Paths, Options], Attribution]] = {
    "first": first_touch,
    "last": last_touch,
    "linear": linear,
    "time_decay": time_decay,
    "position": position_based,
    "markov": markov,
    "shapley": shapley,
}


def attribute(
    paths: Paths,
    models: list[str],
    options: Options | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[Attribution]:
    """Run the named models (`all` for every one that the input allows); ``progress`` is
    called with (models run, models) as they end."""
    options = options or Options()
    names = list(MODELS) if models == ["all"] else models
    if models == ["all"] and paths.before is None and paths.decay is None:
        names.remove("time_decay")
    unknown = [m for m in names if m not in MODELS]
    if unknown:
        raise UsageError(f"unknown model {', '.join(unknown)}; models: {', '.join(MODELS)}, all")
    results = []
    for name in names:
        results.append(MODELS[name](paths, options))
        if progress is not None:
            progress(len(results), len(names))
    return results
