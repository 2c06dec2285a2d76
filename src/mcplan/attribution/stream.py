"""Paths from a stream of events in contact order, summed batch by batch in bounded memory.

DuckDB sorts the events of a log bigger than memory (spilling to disk beyond its limit) and
hands them over in batches, each contact's events together and in time order. Each batch is
cut into paths as the row reader cuts them (`arrays.cut`), and the paths are summed by their
sequence of channels: a path of up to `Summed.longest` steps is one integer (its channel
numbers as digits), so that a batch's paths are summed by NumPy; a longer one (rare) by a
dictionary. What is kept between batches is one row per distinct path, and the events of the
one contact a batch may end in the middle of.

In SQL (`mcplan.attribution.sql`), naming each path takes a second sort of every event, by
path; here it is one pass over the sorted events (see docs/performance.md).
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from mcplan.attribution.arrays import Paths, cut
from mcplan.attribution.models import decay_weights
from mcplan.attribution.sql import LAST_SECOND
from mcplan.errors import UsageError

_POSITION_BITS = 6  # a path's key, shifted, and a position in it: one integer


class Summed:
    """The paths seen so far, by channel sequence (channels numbered 0 to ``k - 1``):
    conversions, value, how many took it without converting, and the time-decay shares of each
    position, for a half-life (days)."""

    def __init__(self, k: int, half_life_days: float) -> None:
        self.base = max(k + 1, 2)  # digits 1..k: a key is unique whatever its length
        # Steps a key holds: base ** longest and a position fit in 62 bits.
        self.longest = max(1, int((62 - _POSITION_BITS) / math.log2(self.base)))
        self.powers = self.base ** np.arange(self.longest, dtype=np.int64)
        self.half_life_days = half_life_days
        self.totals = _Sums(3)  # conversions, value, nulls per key
        self.shares = _Sums(2)  # time-decay shares (conversions, value) per key and position
        # Longer paths: (conversions, value, nulls) and time-decay shares per step.
        self.long: dict[tuple[int, ...], tuple[NDArray[np.float64], NDArray[np.float64]]] = {}
        self.unattributed = [0.0, 0.0]

    def add(self, paths: Paths) -> None:
        """Sum a batch's paths (`arrays.cut`, each contact's events complete)."""
        j = paths
        self.unattributed[0] += j.unattributed[0]
        self.unattributed[1] += j.unattributed[1]
        if not len(j.conversions):
            return
        assert j.before is not None, "paths cut from events have their times"
        # Time decay: each touch of a path that converted, its share of the path's weight.
        (converting,) = np.nonzero(j.conversions[j.path] > 0)
        path = j.path[converting]
        raw = decay_weights(j.before[converting], path, self.half_life_days)
        share = raw / np.bincount(path, raw, minlength=len(j.conversions))[path]
        decay = np.zeros((2, len(j.path)))
        decay[:, converting] = (share * j.conversions[path], share * j.value[path])
        lengths = np.bincount(j.path, minlength=len(j.conversions))
        short = lengths <= self.longest
        touch_short = short[j.path]
        digits = (j.channel[touch_short] + 1) * self.powers[j.position[touch_short]]
        starts = np.r_[0, np.cumsum(lengths[short])[:-1]]
        keys = np.add.reduceat(digits, starts) if len(digits) else digits
        self.totals.add(keys, np.vstack((j.conversions, j.value, j.nulls))[:, short])
        converting = converting[touch_short[converting]]
        path_key = np.zeros(len(lengths), np.int64)
        path_key[short] = keys
        steps = (path_key[j.path[converting]] << _POSITION_BITS) | j.position[converting]
        self.shares.add(steps, decay[:, converting])
        first = np.r_[0, np.cumsum(lengths)[:-1]]
        for p in np.flatnonzero(~short).tolist():  # rare: one at a time
            touches = slice(first[p], first[p] + lengths[p])
            key = tuple(j.channel[touches].tolist())
            sums, shares = self.long.setdefault(key, (np.zeros(3), np.zeros((2, len(key)))))
            sums += (j.conversions[p], j.value[p], j.nulls[p])
            shares += decay[:, touches]

    def paths(self, channels: Sequence[int], names: tuple[str, ...]) -> Paths:
        """The paths summed: ``channels`` maps a channel number of the keys to one of
        ``names``, the paths' channels. Paths in the order of their keys, then the
        longer ones in the order of their channels: the same whatever the batches."""
        keys, totals = self.totals.summed()
        long = sorted(self.long.items())
        of_path: list[NDArray[np.int64]] = []  # every step's path, position, channel number
        positions: list[NDArray[np.int64]] = []
        codes: list[NDArray[np.int64]] = []
        for at, power in enumerate(self.powers.tolist()):
            digit = keys // power % self.base
            (having,) = np.nonzero(digit)
            of_path.append(having)
            positions.append(np.full(len(having), at))
            codes.append(digit[having] - 1)
        for number, (channels_of, _) in enumerate(long, start=len(keys)):
            of_path.append(np.full(len(channels_of), number))
            positions.append(np.arange(len(channels_of)))
            codes.append(np.asarray(channels_of, np.int64))
        path, position, code = (np.concatenate(c) for c in (of_path, positions, codes))
        order = np.lexsort(np.vstack((position, path)))  # path by path, each in its order
        path, position, code = path[order], position[order], code[order]
        lengths = np.bincount(path, minlength=len(keys) + len(long))
        starts = np.r_[0, np.cumsum(lengths)[:-1]]
        decay = np.zeros((2, len(path)))
        steps, shares = self.shares.summed()
        first = starts[np.searchsorted(keys, steps >> _POSITION_BITS)]
        decay[:, first + (steps & ((1 << _POSITION_BITS) - 1))] = shares
        for number, (channels_of, (_, per_step)) in enumerate(long, start=len(keys)):
            decay[:, starts[number] : starts[number] + len(channels_of)] = per_step
        if long:
            totals = np.hstack((totals, np.transpose([sums for _, (sums, _) in long])))
        return Paths(
            channels=names,
            path=path.astype(np.int64),
            position=position.astype(np.int64),
            length=lengths[path].astype(np.int64),
            channel=np.asarray(channels, np.int64)[code],
            before=None,
            conversions=totals[0],
            value=totals[1],
            nulls=totals[2],
            unattributed=(self.unattributed[0], self.unattributed[1]),
            decay=(decay[0], decay[1]),
            decay_half_life=self.half_life_days,
        )


class _Sums:
    """Columns summed by an integer key, a batch at a time: a batch waits until those waiting
    outnumber the keys summed, so that each row is sorted a few times, not once a batch."""

    least = 1 << 16  # rows that may wait, whatever the number of keys

    def __init__(self, columns: int) -> None:
        self.keys = np.zeros(0, np.int64)
        self.sums = np.zeros((columns, 0))
        self.waiting: list[tuple[NDArray[np.int64], NDArray[np.float64]]] = []
        self.count = 0

    def add(self, keys: NDArray[np.int64], columns: NDArray[np.float64]) -> None:
        self.waiting.append((keys, columns))
        self.count += len(keys)
        if self.count > max(len(self.keys), self.least):
            self.summed()

    def summed(self) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
        """The distinct keys, and each column summed by key."""
        if self.waiting:
            keys = np.concatenate([self.keys, *(k for k, _ in self.waiting)])
            columns = np.hstack([self.sums, *(c for _, c in self.waiting)])
            self.keys, inverse = np.unique(keys, return_inverse=True)
            sums = [np.bincount(inverse, c, minlength=len(self.keys)) for c in columns]
            self.sums = np.asarray(sums, np.float64).reshape(len(columns), len(self.keys))
            self.waiting, self.count = [], 0
        return self.keys, self.sums


def paths_of(
    batches: Iterable[Any],
    names: Sequence[str],
    numbers: Sequence[int],
    channels: tuple[str, ...],
    half_life_days: float,
    display: str = "the events",
) -> Paths:
    """The paths of a stream of pyarrow record batches of events in contact order
    (`sql.sorted_events`: journey, t, channel, is_conversion, value; `journey` is the contact),
    whose channel names are ``names``: the paths' ``channels``, each name's number among them
    in ``numbers``.

    Every time must be from 1970 to 2199 and every value a positive number, as the engine's
    checks made sure; an event that is not (DuckDB trusts a Parquet file's statistics, which
    a corrupt page belies) is a :class:`UsageError` on ``display``."""
    import pyarrow as pa
    import pyarrow.compute as pc

    index = pa.array(list(names), pa.string())
    summed = Summed(len(names), half_life_days)
    held: Any = None  # the events of the last contact of the batch before, maybe unfinished
    for batch in _ahead(batches):
        if not batch.num_rows:
            continue
        table = (
            pa.Table.from_batches([batch])
            if held is None
            else pa.concat_tables([held, pa.Table.from_batches([batch])])
        )
        contact = table.column("journey")
        n = table.num_rows
        starts = np.r_[True, np.asarray(pc.not_equal(contact.slice(1), contact.slice(0, n - 1)))]
        last = int(np.flatnonzero(starts)[-1])
        if last > 0:
            summed.add(_cut(table.slice(0, last), starts[:last], index, display))
        held = table.slice(last)
    if held is not None:
        summed.add(_cut(held, np.r_[True, np.zeros(held.num_rows - 1, bool)], index, display))
    return summed.paths(numbers, channels)


def _cut(table: Any, starts: NDArray[np.bool_], index: Any, display: str) -> Paths:
    """A batch's paths; ``index``: the channel names, in the order they are numbered."""
    import pyarrow.compute as pc

    channel = pc.index_in(table.column("channel"), value_set=index)
    times = np.asarray(table.column("t"), np.float64)
    values = np.asarray(table.column("value"), np.float64)
    if not (((times >= 0) & (times < LAST_SECOND)).all() and (values >= 0).all()):  # nan too
        raise UsageError(
            f"{display}: a time is not from 1970 to 2199, or a value not a positive number, "
            "where the file's statistics say none is: the file may be corrupt"
        )
    return cut(
        starts,
        times,
        np.asarray(channel.fill_null(-1), np.int64),
        values,
        np.asarray(table.column("is_conversion"), bool),
        (),  # the channels are numbers here; their names are the summed paths'
    )


def _ahead(batches: Iterable[Any], depth: int = 2) -> Iterator[Any]:
    """The batches, read by another thread up to ``depth`` ahead: DuckDB makes the next
    ones while this one is cut (it lets go of the interpreter while it works)."""
    import queue
    import threading

    waiting: queue.Queue[Any] = queue.Queue(depth)
    done, stop = object(), threading.Event()
    failed: list[BaseException] = []

    def read() -> None:
        try:
            for batch in batches:
                if stop.is_set():
                    break
                waiting.put(batch)
        except BaseException as exc:  # raised in the thread that reads the batches
            failed.append(exc)
        finally:
            waiting.put(done)

    thread = threading.Thread(target=read, name="mcplan-batches", daemon=True)
    thread.start()
    try:
        while (batch := waiting.get()) is not done:
            yield batch
        if failed:
            raise failed[0]
    finally:  # stopped early, or done: the thread ends before DuckDB's connection does
        stop.set()
        while thread.is_alive():
            with contextlib.suppress(queue.Empty):
                waiting.get(timeout=0.1)
        thread.join()
