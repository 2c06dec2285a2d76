"""What a row of the events form must not be (issue 30; docs/timing.md "The export"): each
check written once, as its message, its condition in SQL (DuckDB's scan finds the rows that
meet it in an export of any size: `mcplan.timing.scan`) and the same condition on a CSV
row's cells (the row reader names the first such row as a spreadsheet numbers it:
`mcplan.timing.rows`)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mcplan.attribution.columns import NO, YES
from mcplan.attribution.engines import cells
from mcplan.attribution.sql import LAST_SECOND, quoted
from mcplan.errors import UsageError
from mcplan.printable import excerpt
from mcplan.tabular import export_time

if TYPE_CHECKING:
    from mcplan.timing.scan import EventColumns

# 2000-01-01: a smaller number is no send's seconds since 1970 but an Excel serial day
# (46462.75) or a date written as digits (20270316), which would count in 1970
FIRST_EPOCH = 946_684_800
_DATE = r"\d{4}-\d{1,2}-\d{1,2}"  # a date without a time of day, which reads as midnight UTC

Cell = Callable[[str], str]  # a CSV row's trimmed cell in a column


@dataclass(frozen=True)
class Check:
    """One thing a row must not be: its message (naming the column), the condition a bad
    row meets in SQL, and the same condition on a CSV row's cells."""

    message: str
    sql: str
    bad: Callable[[Cell], bool]


def text(column: str) -> str:
    """A cell as trimmed text (NULL stays NULL)."""
    return f"TRIM(CAST({quoted(column)} AS VARCHAR))"


def words(found: set[str]) -> str:
    return ", ".join("'" + w.replace("'", "''") + "'" for w in sorted(found))


def _said(column: str) -> str:
    return f"COALESCE({text(column)}, '')"


def _a_time(seconds: str) -> str:
    """Whether SQL seconds are a time an export may hold (NaN and infinity are not)."""
    return f"COALESCE(isfinite({seconds}) AND {seconds} >= 0 AND {seconds} < {LAST_SECOND}, FALSE)"


def _number(cell: str) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def checks(c: EventColumns) -> list[Check]:
    """Every check of a row, in the order a row's problems are said."""
    sent = c.sent_at
    found = [
        Check(f"the persona is empty (column {c.persona})", f"{_said(c.persona)} = ''",
              lambda cell: not cell(c.persona)),
        Check(f"the channel is empty (column {c.channel})", f"{_said(c.channel)} = ''",
              lambda cell: not cell(c.channel)),
        _date_only(sent, c.types[sent]),
        _before_2000(sent, c.types[sent], c.seconds),
        Check(
            f"the send time is not a date and time from 1970 to 2199 (column {sent})",
            f"NOT {_a_time(c.seconds)}",
            lambda cell: export_time(cell(sent), c.pattern) is None,
        ),
    ]  # fmt: skip
    for column in (c.opened_at, c.clicked_at):
        kind = c.types.get(column or "", "")
        if column is not None and (kind.startswith("VARCHAR") or not kind):
            found.append(_engagement(column, kind, c.pattern))
    return found


def with_time_of_day(pattern: str | None) -> None:
    """Refuse a ``--date-format`` without an hour: every send would count at midnight."""
    if pattern is not None and not re.search(r"%[HIcXTR]", pattern):
        raise UsageError(
            f"--date-format: '{excerpt(pattern)}' has no hour (%H): a send time needs a time of day"
        )


def _date_only(sent: str, kind: str) -> Check:
    """A send time that is a date alone (text, or a column of dates) would count at
    midnight UTC: a confident false slot."""
    if kind.startswith("DATE"):
        condition = f"{quoted(sent)} IS NOT NULL"
    elif kind.startswith("VARCHAR") or not kind:
        condition = f"regexp_full_match({_said(sent)}, '{_DATE}')"
    else:
        condition = "FALSE"
    return Check(
        f"the send time is a date: a send time needs a time of day (column {sent})",
        condition,
        lambda cell: re.fullmatch(_DATE, cell(sent)) is not None,
    )


def _before_2000(sent: str, kind: str, seconds: str) -> Check:
    """A number read as seconds since 1970 before 2000."""
    if kind.startswith("VARCHAR") or not kind:
        number = f"TRY_CAST({_said(sent)} AS DOUBLE)"
        condition = f"COALESCE(isfinite({number}) AND ({seconds}) < {FIRST_EPOCH}, FALSE)"
    elif kind.startswith(("TIMESTAMP", "DATE")):
        condition = "FALSE"
    else:
        condition = f"COALESCE(isfinite({seconds}) AND ({seconds}) < {FIRST_EPOCH}, FALSE)"

    def bad(cell: Cell) -> bool:
        number = _number(cell(sent))
        return number is not None and number < FIRST_EPOCH

    return Check(
        f"the send time is a number, not a date and time: seconds since 1970 are read from "
        f"2000 on ({FIRST_EPOCH}; column {sent})",
        condition,
        bad,
    )


def _engagement(column: str, kind: str, pattern: str | None) -> Check:
    """An open or click cell of text: a time, a yes or a no (in any case), or empty."""
    seconds = cells.seconds(column, kind, pattern)
    said = _said(column)

    def bad(cell: Cell) -> bool:
        value = cell(column)
        return bool(value) and value.lower() not in YES | NO and export_time(value, pattern) is None

    return Check(
        f"{column} is not a date and time, a yes or a no (column {column})",
        f"{said} <> '' AND LOWER({said}) NOT IN ({words(YES | NO)}) AND NOT {_a_time(seconds)}",
        bad,
    )
