"""A results file with a row per channel and day: a channel on one day once, its days added up.

With a ``date`` column, a channel (or an arm, or a holdout's group) may have a row per day; the
same channel twice on one day is an error (the day of a channel's only row is not read)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.report.counts import FIGURES, summed
from mcplan.tabular import export_time

if TYPE_CHECKING:
    from mcplan.report.results import ChannelResult


def days_added(rows: list[ChannelResult]) -> list[ChannelResult]:
    """The rows of one channel (and arm) on several days as one, in the order they first
    come (a figure a day does not give is not known for the channel)."""
    by_key: dict[tuple[str, str | None], list[ChannelResult]] = {}
    for result in rows:
        by_key.setdefault((result.channel, result.arm), []).append(result)
    return [
        days[0] if len(days) == 1 else replace(added_up(days[0].channel, days), arm=days[0].arm)
        for days in by_key.values()
    ]


def check_days(
    shown: str,
    header: str,
    results: list[ChannelResult],
    written: Mapping[int, tuple[str, str]],
    pattern: str | None,
) -> None:
    """A channel (an arm, a holdout's group) on several rows needs a day on each, a different
    one: read as ISO 8601 or as ``pattern`` says. (The day of a channel's only row is not
    needed, and not read.)"""
    by_key: dict[tuple[str, str | None], list[ChannelResult]] = {}
    for result in results:
        by_key.setdefault((result.channel, result.arm), []).append(result)
    for same in by_key.values():
        if len(same) < 2:
            continue
        first: dict[str, int] = {}
        for result in sorted(same, key=lambda r: r.row):
            text, given = written[result.row]
            day = row_day(shown, result.row, text, header, pattern)
            if day in first:
                what = (
                    f"channel '{given}' ({result.channel})"
                    + (f" arm '{excerpt(result.arm)}'" if result.arm else "")
                    if result.channel
                    else f"the {result.arm} group"
                )
                raise UsageError(
                    f"{shown}: row {result.row}: {what} is given twice on {day} (first on row "
                    f"{first[day]})"
                )
            first[day] = result.row


def row_day(
    shown: str,
    row: int,
    text: str,
    header: str,
    pattern: str | None,
    needs: str = "a channel on several rows needs one on each",
) -> str:
    """A row's day (ISO 8601), from its cell of the ``date`` column; ``needs`` says why the
    row needs one."""
    seconds = export_time(text, pattern)
    if seconds is None:
        how = (
            f"write it as {pattern} says (--date-format)"
            if pattern
            else "write 2027-07-02, or say how the file writes it with --date-format, such as "
            "%d/%m/%Y"
        )
        raise UsageError(
            f"{shown}: row {row}: column '{excerpt(header)}': '{excerpt(text)}' is not a date "
            f"from 1970 to 2199 ({how}); {needs}"
        )
    return datetime.fromtimestamp(seconds, UTC).date().isoformat()


def added_up(channel: str, rows: list[ChannelResult]) -> ChannelResult:
    """Rows of a channel (its arms, or its days) added up into one row of the channel (a
    figure one of them does not give is not known for the channel)."""
    sums = summed(rows, (*FIGURES, "contacts"))
    return replace(rows[0], channel=channel, arm=None, **sums)
