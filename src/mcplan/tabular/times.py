"""Times as exports write them (see `mcplan.tabular`): ISO 8601 (``2027-07-02T15:00``, with
an offset or in UTC) and seconds since 1970 are always read; a ``--date-format``
(:func:`time_pattern`) reads times as a team's tools write them."""

from __future__ import annotations

import contextlib
import math
from datetime import UTC, datetime

from mcplan.errors import UsageError
from mcplan.printable import excerpt


def time_pattern(pattern: str | None) -> str | None:
    """A ``--date-format`` that reads dates: a strftime pattern such as ``%d/%m/%Y %H:%M``
    (Italian, Spanish, French exports: 02/07/2027 15:00 is 2 July) or ``%m/%d/%Y %I:%M %p``
    (American ones), which reads back a date it writes."""
    if pattern is None:
        return None
    sample = datetime(2027, 7, 2, 15, 4, 5, tzinfo=UTC)
    try:
        back = datetime.strptime(sample.strftime(pattern), pattern)
    except ValueError:
        back = None
    if "%" not in pattern or back is None or (back.year, back.month, back.day) != (2027, 7, 2):
        raise UsageError(
            f"--date-format: '{excerpt(pattern)}' is not a strftime pattern with a day, a month "
            "and a year, such as %d/%m/%Y %H:%M"
        )
    return pattern


# The times an export may hold, as seconds: from 1970-01-01 to before 2200-01-01 (UTC). Every
# reader (rows, columns, results' days) refuses a time outside them, at its row.
FIRST_TIME, END_TIME = 0.0, datetime(2200, 1, 1, tzinfo=UTC).timestamp()


def seconds_of(text: str, pattern: str | None = None) -> float:
    """A time as seconds since 1970 (nan when it is not one): as ``pattern`` (`time_pattern`)
    writes it, when it is given, else seconds since 1970 or ISO 8601; without an offset, in
    UTC."""
    value = text.strip()
    at = None
    if pattern is not None:
        with contextlib.suppress(ValueError):
            at = datetime.strptime(value, pattern)
    if at is None:
        try:
            return float(value)  # seconds since the epoch
        except ValueError:
            pass
        try:
            at = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return math.nan
    return (at if at.tzinfo else at.replace(tzinfo=UTC)).timestamp()


def export_time(text: str, pattern: str | None = None) -> float | None:
    """The seconds of a time an export may hold (`seconds_of`, from 1970 to 2199), or None
    when the cell is no such time: each reader says so at its row, as a date or a time."""
    seconds = seconds_of(text, pattern)
    return seconds if FIRST_TIME <= seconds < END_TIME else None  # false for nan too
