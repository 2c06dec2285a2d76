"""Counts read as English: one of a thing, several things, in every message and summary."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mcplan.findings import Finding, Level, Location, summary
from mcplan.numbers import plural, sizes


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
    assert plural(n, "file") == (f"{n:,} file" if n == 1 else f"{n:,} files")


def test_sizes() -> None:
    assert sizes(50 * 1024**2, 1024**2) == ["50 MB", "1 MB"]
    assert sizes(1536 * 1024, 1) == ["1.5 MB", "1 byte"]
    assert sizes(12 * 1024, 3 * 1024**3) == ["12 kB", "3 GB"]
    # One byte over the limit must not read "1.0 MB, more than the 1.0 MB allowed".
    assert sizes(1024**2 + 1, 1024**2) == ["1,048,577 bytes", "1,048,576 bytes"]


@given(st.integers(min_value=0, max_value=2**40), st.integers(min_value=0, max_value=2**40))
def test_different_sizes_never_read_the_same(a: int, b: int) -> None:
    shown = sizes(a, b)
    assert (shown[0] == shown[1]) == (a == b)


def test_summaries() -> None:
    def findings(*levels: Level) -> list[Finding]:
        return [Finding(Location(f"{i}.yaml", 1), "X100", lv, "m") for i, lv in enumerate(levels)]

    assert summary(findings(Level.ERROR)) == "1 error in 1 file"
    assert summary(findings(Level.INFO, Level.INFO)) == "2 info in 2 files"  # not "infos"
    assert summary(findings(Level.ERROR, Level.WARNING, Level.INFO)) == (
        "1 error, 1 warning and 1 info in 3 files"
    )
