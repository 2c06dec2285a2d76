"""Summing paths a batch at a time (`mcplan.attribution.stream`): the sums do not depend on
how the events are cut into batches, nor on when the waiting batches are merged, nor on
whether a path is short enough to be one integer."""

from __future__ import annotations

import itertools
from unittest import mock

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from mcplan.attribution import Options, arrays, attribute, stream
from mcplan.attribution.arrays import Paths

batches = st.lists(
    st.lists(st.tuples(st.integers(0, 2**40), st.floats(0, 100), st.floats(0, 100)), max_size=9),
    max_size=6,
)


@given(batches=batches, least=st.integers(0, 5))
def test_keyed_sums_are_the_sums_of_a_dictionary(
    batches: list[list[tuple[int, float, float]]], least: int
) -> None:
    sums = stream._Sums(2)
    expected: dict[int, list[float]] = {}
    with mock.patch.object(stream._Sums, "least", least):
        for batch in batches:
            keys = np.asarray([k for k, _, _ in batch], np.int64)
            sums.add(keys, np.asarray([[a for _, a, _ in batch], [b for _, _, b in batch]]))
            for key, a, b in batch:
                pair = expected.setdefault(key, [0.0, 0.0])
                pair[0] += a
                pair[1] += b
    keys, columns = sums.summed()
    assert keys.tolist() == sorted(expected)
    for key, a, b in zip(keys.tolist(), *columns.tolist(), strict=True):
        assert np.isclose(a, expected[key][0])
        assert np.isclose(b, expected[key][1])


@st.composite
def events(draw: st.DrawFn) -> tuple[int, list[tuple[int, float, int, float, bool]]]:
    """Channels (up to 60: a key then holds 9 steps), and contacts' events in order:
    (contact, hours, channel or -1, value, is a conversion), some paths longer than a key."""
    k = draw(st.integers(1, 60))
    rows = []
    for contact in range(draw(st.integers(1, 8))):
        hours = 0.0
        for _ in range(draw(st.integers(1, 30))):
            hours += draw(st.sampled_from([0.0, 1.0, 30.0]))
            if draw(st.integers(0, 5)) == 0:
                rows.append((contact, hours, -1, draw(st.sampled_from([0.0, 9.5, 40.0])), True))
            else:
                rows.append((contact, hours, draw(st.integers(0, k - 1)), 0.0, False))
    return k, rows


@given(log=events(), cuts=st.lists(st.integers(0, 8), max_size=4))
def test_paths_summed_in_batches_attribute_as_the_events_do(
    log: tuple[int, list[tuple[int, float, int, float, bool]]], cuts: list[int]
) -> None:
    k, rows = log
    names = tuple(f"c{i:02d}" for i in range(k))
    contact, hours, channel, value, converts = (np.asarray(c) for c in zip(*rows, strict=True))
    new = np.r_[True, contact[1:] != contact[:-1]]

    def cut(at: slice) -> Paths:
        return arrays.cut(new[at], hours[at] * 3600, channel[at], value[at], converts[at], names)

    summed = stream.Summed(k, 7.0)
    starts = [0, *sorted({int(s) for s in np.flatnonzero(new) if contact[s] in cuts}), len(rows)]
    for a, b in itertools.pairwise(starts):  # batches of whole contacts
        if b > a:
            summed.add(cut(slice(a, b)))
    whole = cut(slice(0, len(rows)))
    models = ["first", "last", "linear", "time_decay", "position"]
    got = attribute(summed.paths(list(range(k)), names), models, Options())
    expected = attribute(whole, models, Options())
    for mine, theirs in zip(got, expected, strict=True):
        assert np.allclose(mine.conversions, theirs.conversions)
        assert np.allclose(mine.value, theirs.value)
        assert np.allclose(mine.unattributed, theirs.unattributed)
