"""Counts read as English: one of a thing, several things, in every message and summary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mcplan.findings import Finding, Level, Location, plural, summary


def test_one_and_many() -> None:
    assert plural(1, "error") == "1 error"
    assert plural(0, "error") == "0 errors"
    assert plural(2, "entry", "entries") == "2 entries"
    assert plural(1.0, "hour") == "1 hour"
    assert plural(1.5, "hour") == "1.5 hours"
    assert plural(0.9, "conversion", shown="1") == "1 conversion"  # as the number is written
    assert plural(1, "conversion", shown="1.0") == "1.0 conversions"
    assert plural(1234, "row", shown="1,234") == "1,234 rows"


@given(st.integers(min_value=0, max_value=10**9))
def test_the_noun_is_singular_only_for_one(n: int) -> None:
    assert plural(n, "file") == (f"{n} file" if n == 1 else f"{n} files")


def test_summaries() -> None:
    def findings(*levels: Level) -> list[Finding]:
        return [Finding(Location(f"{i}.yaml", 1), "X100", lv, "m") for i, lv in enumerate(levels)]

    assert summary(findings(Level.ERROR)) == "1 error in 1 file"
    assert summary(findings(Level.INFO, Level.INFO)) == "2 info in 2 files"  # not "infos"
    assert summary(findings(Level.ERROR, Level.WARNING, Level.INFO)) == (
        "1 error, 1 warning and 1 info in 3 files"
    )
