"""'Did you mean': near typos suggest, far words do not."""

from __future__ import annotations

import functools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcplan.suggest import closest, did_you_mean_id, distance

STAGES = ["prospection", "acquisition", "loyalty", "reactivation"]


@pytest.mark.parametrize(
    ("word", "choices", "expected"),
    [
        ("emial", ["email", "sms"], "email"),  # two letters swapped
        ("smss", ["sms", "mail"], "sms"),
        ("Europe/Dublín", ["Europe/Dublin", "Europe/Paris"], "Europe/Dublin"),
        ("B2C", ["b2c", "b2b"], "b2c"),
        ("loyal", STAGES, "loyalty"),  # the start of one longer choice
        ("marie", ["marie-citadine", "claire"], "marie-citadine"),
        ("acquisiton", STAGES, "acquisition"),
        ("retention", STAGES, None),  # a word of its own, not a typo of reactivation
        ("xyz", ["sms", "email"], None),
        ("ma", ["marie-citadine"], None),  # too short to be a start
    ],
)
def test_suggestions(word: str, choices: list[str], expected: str | None) -> None:
    assert closest(word, choices) == expected


def reference(a: str, b: str) -> int:
    """Optimal string alignment distance, the slow obvious way."""

    @functools.cache
    def d(i: int, j: int) -> int:
        if i == 0 or j == 0:
            return i + j
        best = min(d(i - 1, j) + 1, d(i, j - 1) + 1, d(i - 1, j - 1) + (a[i - 1] != b[j - 1]))
        if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
            best = min(best, d(i - 2, j - 2) + 1)
        return best

    return d(len(a), len(b))


words = st.text(alphabet="abcé", max_size=7)


@given(words, words, st.integers(min_value=1, max_value=8))
def test_distance_is_the_alignment_distance_up_to_the_stop(a: str, b: str, stop: int) -> None:
    assert distance(a, b, stop) == min(reference(a, b), stop)
    assert distance(a, b, stop) == distance(b, a, stop)
    assert (distance(a, b, stop) == 0) == (a == b)


KNOWN = {"Anna Müller": "munich", "munich": "munich", "SMS": "sms", "sms": "sms"}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("smss", " (did you mean 'sms'?)"),  # the id, though the name is as near
        ("SMS", " (did you mean 'sms'?)"),
        ("Anna Müller", " (did you mean 'munich'? 'Anna Müller' is its name, not its id)"),
        ("anna-muller", " (did you mean 'munich'? 'Anna Müller' is its name, not its id)"),
        ("munich", ""),  # it exists
        ("paris", ""),
    ],
)
def test_an_id_is_suggested_for_a_name(word: str, expected: str) -> None:
    assert did_you_mean_id(word, KNOWN) == expected
