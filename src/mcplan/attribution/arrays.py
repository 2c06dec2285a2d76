"""Paths: the sequences of channels that led to a conversion, or not, flattened into arrays,
from each contact's events in order (`cut`) or from aggregated paths (`aggregated_paths`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from mcplan.attribution.columns import Channels


@dataclass(frozen=True)
class Paths:
    """Paths of channels, flattened into touch arrays (a path's touches are contiguous).

    Per touch: `path` (its path's index), `position` (0-based), `length` (of its path),
    `channel` (index into `channels`) and `before` (seconds until its path's conversion, or
    None when the input had no times). Per path: `conversions`, `value`, `nulls`.
    """

    channels: tuple[str, ...]
    path: NDArray[np.int64]
    position: NDArray[np.int64]
    length: NDArray[np.int64]
    channel: NDArray[np.int64]
    before: NDArray[np.float64] | None
    conversions: NDArray[np.float64]
    value: NDArray[np.float64]
    nulls: NDArray[np.float64]
    unattributed: tuple[float, float] = (0.0, 0.0)  # (conversions, value) with no touch
    costs: tuple[float, ...] | None = None  # per channel, from a cost column of the touches
    # Per touch of aggregated paths, instead of `before`: the time-decay shares of its
    # position, summed over the times its path was taken (conversions, value), for a half-life.
    decay: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None
    decay_half_life: float | None = None


def in_time_order(
    contact: NDArray[np.int64],
    times: NDArray[np.float64],
    channel: NDArray[np.int64],
    value: NDArray[np.float64],
    is_conversion: NDArray[np.bool_],
    names: tuple[str, ...],
) -> Paths:
    """Put each contact's events in time order, then cut them into paths (`cut`).

    At equal times a touch comes before a conversion (it may have led to it), touches in the
    order of their channels' names, conversions by value: the order of the rows does not
    matter, as in every engine (`mcplan.attribution.sql`).
    """
    rank = np.full(len(names) + 1, -1)  # a channel's rank by name; -1 (a conversion): -1
    rank[np.argsort(np.asarray(names, dtype=object))] = np.arange(len(names))
    order = np.lexsort((value, rank[channel], is_conversion, times, contact))
    contact = contact[order]
    new_contact = np.r_[True, contact[1:] != contact[:-1]]
    return cut(new_contact, times[order], channel[order], value[order], is_conversion[order], names)


def cut(
    new_contact: NDArray[np.bool_],
    times: NDArray[np.float64],
    channel: NDArray[np.int64],
    value: NDArray[np.float64],
    is_conversion: NDArray[np.bool_],
    names: tuple[str, ...],
) -> Paths:
    """Cut events in order (each contact's together, in time order, ``new_contact`` on its
    first) into paths that each end at a conversion."""
    # A path starts with a contact's first event, or right after a conversion.
    after_conversion = np.r_[False, is_conversion[:-1]] & ~new_contact
    segment = np.cumsum(new_contact | after_conversion) - 1
    touch = ~is_conversion
    n_segments = int(segment[-1]) + 1
    conversions = np.bincount(segment[is_conversion], minlength=n_segments).astype(np.float64)
    worth = np.bincount(segment[is_conversion], value[is_conversion], minlength=n_segments)
    touches_per_segment = np.bincount(segment[touch], minlength=n_segments)
    # Conversions with no touch before them are counted apart.
    empty = touches_per_segment == 0
    unattributed = (float(conversions[empty].sum()), float(worth[empty].sum()))
    conversion_time = np.zeros(n_segments)
    conversion_time[segment[is_conversion]] = times[is_conversion]
    # Renumber the segments that have touches, in order.
    keep = ~empty
    renumber = np.cumsum(keep) - 1
    path = renumber[segment[touch]]
    length = touches_per_segment[keep][path]
    starts = np.r_[0, np.cumsum(touches_per_segment[keep])[:-1]]
    position = np.arange(len(path)) - starts[path]
    converting = conversions[keep] > 0
    before = np.where(converting[path], conversion_time[keep][path] - times[touch], 0.0)
    return Paths(
        channels=names,
        path=path.astype(np.int64),
        position=position.astype(np.int64),
        length=length.astype(np.int64),
        channel=channel[touch],
        before=before,
        conversions=conversions[keep],
        value=worth[keep],
        nulls=(~converting).astype(np.float64),
        unattributed=unattributed,
    )


@dataclass(frozen=True)
class AggregatedPath:
    """One aggregated path: its row, its steps (channel names), conversions, value, how many
    took it without converting, and its time-decay shares per step (conversions, value), if
    given."""

    row: int
    steps: Sequence[str]
    conversions: float
    value: float
    nulls: float
    decay: tuple[Sequence[float], Sequence[float]] | None = None


def aggregated_paths(
    paths: Iterable[AggregatedPath], channels: Channels, half_life: float | None
) -> Paths:
    """Paths from aggregated ones (a path without a step is the conversions with no
    touch); with the paths' time-decay shares for ``half_life`` (days), when it is given."""
    path: list[int] = []
    position: list[int] = []
    length: list[int] = []
    channel: list[int] = []
    decay: tuple[list[float], list[float]] = ([], [])
    conversions: list[float] = []
    value: list[float] = []
    nulls: list[float] = []
    unattributed = [0.0, 0.0]
    for entry in paths:
        if not entry.steps:
            unattributed[0] += entry.conversions
            unattributed[1] += entry.value
            continue
        index = len(conversions)
        for i, step in enumerate(entry.steps):
            path.append(index)
            position.append(i)
            length.append(len(entry.steps))
            channel.append(channels(step, entry.row))
        if half_life is not None:
            assert entry.decay is not None, "a path of an aggregation for time decay"
            decay[0].extend(entry.decay[0])
            decay[1].extend(entry.decay[1])
        conversions.append(entry.conversions)
        value.append(entry.value)
        nulls.append(entry.nulls)
    return Paths(
        channels=channels.names,
        path=np.asarray(path, np.int64),
        position=np.asarray(position, np.int64),
        length=np.asarray(length, np.int64),
        channel=np.asarray(channel, np.int64),
        before=None,
        conversions=np.asarray(conversions, np.float64),
        value=np.asarray(value, np.float64),
        nulls=np.asarray(nulls, np.float64),
        unattributed=(unattributed[0], unattributed[1]),
        decay=None if half_life is None else (np.asarray(decay[0]), np.asarray(decay[1])),
        decay_half_life=half_life,
    )
